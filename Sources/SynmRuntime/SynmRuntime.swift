// SynmRuntime: data binding and the compiled log-density program.
