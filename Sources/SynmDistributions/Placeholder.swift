// placeholder: SynmDistributions
