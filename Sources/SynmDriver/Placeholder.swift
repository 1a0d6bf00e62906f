// placeholder: SynmDriver
