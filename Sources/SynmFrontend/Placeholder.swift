// placeholder: SynmFrontend
