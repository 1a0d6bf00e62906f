// placeholder: SynmIO
