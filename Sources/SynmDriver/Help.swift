// Help texts: `synm --help` and `synm help COMMAND`. Keep them true to what is built.

enum Help {
    /// Commands this version implements.
    static let commandNames = ["check", "run", "logprob", "optimize", "fisher"]
    /// Commands of the design that are not built yet (they answer with a clear message).
    static let plannedCommands = ["reflect", "audit", "simulate",
                                  "repl", "sbc", "report"]

    static let overview = """
    synm \(synmVersion) — a probabilistic programming language that treats synthetic data honestly

    usage: synm COMMAND [OPTIONS]

    commands:
      check MODEL [--json]     parse and check a model; print its structure
      run MODEL [--data F] [--sampler nuts|hmc|metropolis] [--chains 4] [--warmup 1000]
          [--draws 1000] [--seed S] [--output PREFIX.csv] [--json]
                               MCMC; a summary table (mean, MCSE, sd, quantiles, ESS, R-hat)
      logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]
                               log density, gradient and exact Hessian at a point
      optimize MODEL [--data F] [--mle] [--seed S] [--json]
                               MAP or MLE (L-BFGS, Newton polish) with standard errors
      fisher MODEL [--data F] [--at mle | --params P.json] [--expected N] [--seed S]
          [--unconstrained] [--json]
                               observed and expected Fisher information; claimed vs
                               warranted information per data source
      help COMMAND             show help for a command
      --version                print the version

    planned (not in this version yet): \(plannedCommands.joined(separator: ", "))

    exit codes: 0 ok, 64 usage error, 65 model error, 66 missing input file
    run 'synm help check' for details.

    """

    static func usageLine(_ command: String) -> String {
        switch command {
        case "check": return "synm check MODEL [--json]"
        case "run":
            return "synm run MODEL [--data F] [--sampler nuts|hmc|metropolis] [--chains N] [--warmup N] [--draws N] [--seed S] [--init F] [--adapt-delta D] [--max-depth N] [--int-time T] [--threads N] [--output PREFIX.csv] [--json]"
        case "logprob": return "synm logprob MODEL --params P.json [--data F] [--unconstrained] [--hessian] [--json]"
        case "optimize": return "synm optimize MODEL [--data F] [--mle] [--seed S] [--json]"
        case "fisher":
            return "synm fisher MODEL [--data F] [--at mle | --params P.json] [--expected N] [--seed S] [--unconstrained] [--json]"
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
        case "run":
            return """
            usage: \(usageLine("run"))

            Samples the posterior of MODEL by MCMC and prints a stansummary-style table:
            Mean, MCSE, StdDev, 5%, 50%, 95%, ESS_bulk, ESS_tail and R_hat (rank-normalised
            split R-hat and ESS of Vehtari et al. 2021) for lp__, every parameter, every
            `let` that depends on parameters and every `predict` node; then the time per
            chain, and warnings: divergences, maximum tree depth, E-BFMI below 0.3,
            R_hat above 1.01, ESS below 100 per chain.

            Samplers: nuts (default; multinomial NUTS with Stan's windowed warmup: step size
            by dual averaging, diagonal metric), hmc (static HMC; integration time π/2 in the
            adapted metric's units, where a standardised Gaussian decorrelates fully — Stan's
            2π is a full period there, so its trajectories return to their start),
            metropolis (random walk, proposal adapted in warmup toward acceptance 0.234, or
            0.44 in one dimension). Chains run on parallel
            threads; a given seed gives the same numbers whatever the thread count. Without
            --seed a seed is drawn and printed, so the run can be repeated.

            options:
              --data F          data file (Stan JSON or CSV); default MODEL's NAME.data.json
              --sampler S       nuts, hmc or metropolis (default nuts)
              --chains N        number of chains (default 4)
              --warmup N        warmup iterations per chain (default 1000)
              --draws N         kept draws per chain (default 1000)
              --seed S          random seed (a whole number)
              --init F          initial values (constrained, JSON), for every chain
              --adapt-delta D   target acceptance statistic in (0, 1) (default 0.8)
              --max-depth N     NUTS maximum tree depth (default 10)
              --int-time T      static HMC integration time (default π/2)
              --threads N       worker threads (default: one per core, at most one per chain)
              --output P.csv    write CmdStan-format draws to P_1.csv, P_2.csv, …
              --json            one JSON document on standard output instead of the table
              -h, --help        show this help

            exit codes: 0 ok, 64 usage error, 65 model or data error, 66 missing file,
            70 sampling failed, 73 cannot write the output

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
        case "optimize": return optimizeHelp
        case "fisher": return fisherHelp
        case "help":
            return "usage: synm help COMMAND\n\nShows help for a command.\n"
        default:
            return nil
        }
    }
}
