// placeholder: SynmDiagnostics
