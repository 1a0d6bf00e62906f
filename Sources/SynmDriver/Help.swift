// Help texts: `synm --help` and `synm help COMMAND`. Keep them true to what is built.

enum Help {
    /// Commands this version implements.
    static let commandNames = ["check"]
    /// Commands of the design that are not built yet (they answer with a clear message).
    static let plannedCommands = ["run", "logprob", "optimize", "fisher", "reflect", "audit", "simulate",
                                  "repl", "sbc", "report"]

    static let overview = """
    synm \(synmVersion) — a probabilistic programming language that treats synthetic data honestly

    usage: synm COMMAND [OPTIONS]

    commands:
      check MODEL [--json]     parse and check a model; print its structure
      help COMMAND             show help for a command
      --version                print the version

    planned (not in this version yet): \(plannedCommands.joined(separator: ", "))

    exit codes: 0 ok, 64 usage error, 65 model error, 66 missing input file
    run 'synm help check' for details.

    """

    static func usageLine(_ command: String) -> String {
        switch command {
        case "check": return "synm check MODEL [--json]"
        default: return "synm COMMAND [OPTIONS]"
        }
    }

    static func command(_ name: String) -> String? {
        switch name {
        case "check":
            return """
            usage: synm check MODEL [--json]

            Parses and checks MODEL (a .synm file) completely: names and roles, types and
            shapes, constraints, distributions and their arguments, functions, loops and
            conditionals, synthetic nodes (generators and footing). Prints the model's
            structure: data, parameters, lets, synthetic nodes, predict nodes and the number
            of statements. Errors and warnings go to standard error as
            FILE:LINE:COL: error: message, with the source line and a caret.

            options:
              --json        print one JSON document on standard output instead of the table
              -h, --help    show this help

            exit codes: 0 the model is valid (warnings allowed), 64 usage error,
            65 the model has errors, 66 MODEL cannot be read

            """
        case "help":
            return "usage: synm help COMMAND\n\nShows help for a command.\n"
        default:
            return nil
        }
    }
}
