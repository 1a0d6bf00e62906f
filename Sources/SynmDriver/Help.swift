// Help texts: `synm --help` and `synm help COMMAND`. Keep them true to what is built.

enum Help {
    /// Commands this version implements.
    static let commandNames = ["check", "logprob"]
    /// Commands of the design that are not built yet (they answer with a clear message).
    static let plannedCommands = ["run", "optimize", "fisher", "reflect", "audit", "simulate",
                                  "repl", "sbc", "report"]

    static let overview = """
    synm \(synmVersion) — a probabilistic programming language that treats synthetic data honestly

    usage: synm COMMAND [OPTIONS]

    commands:
      check MODEL [--json]     parse and check a model; print its structure
      logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]
                               log density, gradient and exact Hessian at a point
      help COMMAND             show help for a command
      --version                print the version

    planned (not in this version yet): \(plannedCommands.joined(separator: ", "))

    exit codes: 0 ok, 64 usage error, 65 model error, 66 missing input file
    run 'synm help check' for details.

    """

    static func usageLine(_ command: String) -> String {
        switch command {
        case "check": return "synm check MODEL [--json]"
        case "logprob": return "synm logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]"
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
        case "logprob":
            return """
            usage: synm logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]

            Evaluates the model's log density at one point, with its gradient and, with
            --hessian, its exact Hessian (forward-over-reverse autodiff, not finite
            differences), like CmdStan's log_prob method. Densities are normalised (constants
            kept), so values match scipy.

            P.json names the parameters as the model does: {"mu": 0.5, "beta": [1, 2]}.
            By default the values are on the constrained scale (a value outside its bounds is
            an error), lp has no log-Jacobian and the gradient is with respect to the
            constrained values. With --unconstrained the values are unconstrained, lp includes
            the log-Jacobian of the bound transforms, and derivatives are with respect to the
            unconstrained values.

            Data: --data F (Stan JSON, or CSV with a header), else MODEL's sibling
            NAME.data.json, else the model's embedded defaults.

            options:
              --params P.json   the point (required)
              --data F          the data file
              --unconstrained   P.json holds unconstrained values
              --hessian         also print the Hessian
              --json            one JSON document: {"lp", "gradient", "hessian", "scale"}
              -h, --help        show this help

            exit codes: 0 ok, 64 usage error, 65 model, data or parameter error,
            66 a file cannot be read

            """
        case "help":
            return "usage: synm help COMMAND\n\nShows help for a command.\n"
        default:
            return nil
        }
    }
}
