// placeholder: SynmAutodiff
