// synm-bench's command line: the options, their defaults, the help text and the parser.
// Parsing never exits by itself; `main.swift` decides what to print and which status to use.
import Foundation

/// What one run of `synm-bench` measures and how it reports.
struct BenchOptions {
    /// The directory holding the models and their `NAME.data.json` files.
    var modelsDirectory = "models"
    /// Calls per timed repetition; nil = calibrated so that one repetition lasts about
    /// `targetSeconds`.
    var iterations: Int?
    /// Timed repetitions per model and implementation; the median is reported.
    var repetitions = 7
    /// Seconds one repetition should last when `iterations` is not given.
    var targetSeconds = 0.2
    /// Print JSON instead of the plain table.
    var json = false
    /// Only these models (repository or peer names); empty = all.
    var only: [String] = []
    /// Skip the Hessian timings.
    var skipHessian = false
    /// Time only synm's compiled model (no hand-written runs, no Hessian): for profilers.
    var synmOnly = false
    /// Also time synm with every loop walked as a tree (no loop kernels), interleaved.
    var tree = false
    /// Measure batched (lock-step) against one-at-a-time gradients instead (logistic regression).
    var batching = false
    /// Time synm with the fused GLM kernels off (the generic row loop): the "before" of
    /// docs/PERFORMANCE.md in the same build.
    var noFused = false
    /// Time synm evaluating every let, unused ones too (no dead-let elimination): the
    /// "before" of docs/PERFORMANCE.md in the same build.
    var keepDeadLets = false
    /// The peers harness (bench.py): --peers DIR, else $SYNM_PEERS; nil = reference figures only.
    var peersDirectory: String? = ProcessInfo.processInfo.environment["SYNM_PEERS"]
    /// Print the reference figures even when the harness is available.
    var referencePeers = false
    /// Seconds per timing repetition of a peer's gradient benchmark.
    var peerSeconds = 0.3
}

/// A command-line problem, reported as `synm-bench: error: …` with exit status 64.
struct UsageError: Error {
    var message: String
}

/// Why `parse` stopped without options.
enum ParseOutcome {
    case run(BenchOptions)
    case help
}

extension BenchOptions {
    /// The text of `--help`.
    static let helpText = """
        synm-bench — time synm's log density + gradient against hand-written Swift gradients.

        usage: synm-bench [options]

        For each of five vectorised models (normal, eight_schools, logistic_regression,
        linear_regression, hier_poisson), four loop benchmarks (arma11, ar5, garch11,
        local_level) and a linear-algebra one (multivariate_regression) it loads MODELS/NAME.synm and MODELS/NAME.data.json, compiles the model,
        checks that the hand-written Swift density agrees with synm's (value and gradient,
        relative 1e-9, at several points), then times one log density + gradient on the
        unconstrained scale, one thread, at Stan's posterior means. Also times the exact Hessian.
        Prints the median over repetitions in µs, synm ÷ hand-written, and ratios against
        Stan's and NumPyro f64's gradient timings: measured in the same run by the peers
        harness when it is available (--peers), else reference figures measured earlier
        (the loop models' Stan figures: scripts/peers/stan_grad.py).

        options:
          --models DIR         the models directory (default: models)
          --iterations N       calls per timed repetition (default: calibrated to ~0.2 s)
          --repetitions R      timed repetitions, median reported (default: 7, at least 1)
          --only MODEL         time only MODEL (repeatable; repository or peer name,
                               e.g. logistic_regression or normal_mean_sd)
          --no-hessian         skip the Hessian timings
          --synm-only          time synm's compiled model only (for profilers: callgrind, perf)
          --tree               also time synm with every loop walked as a tree (the evaluator
                               without loop kernels), interleaved with the other timings
          --no-fused           time synm with the fused GLM kernels off (the generic row loop)
          --keep-dead-lets     time synm evaluating every let, unused ones too (no dead-let
                               elimination)
          --batching           measure W chains' gradients batched in one pass (points in the
                               SIMD lanes) against one at a time, on logistic_regression
                               (docs/PERFORMANCE.md), instead of the table
          --peers DIR          the peers harness (default $SYNM_PEERS): Stan's and NumPyro f64's
                               gradients are measured in this run by its bench.py --grad when its
                               Python environment exists ($PEERS_VENV, else
                               ~/.cache/synm-peers-venv); otherwise the reference figures
                               measured earlier are printed, marked as such
          --reference-peers    print the reference figures without running the harness
          --json               print the results as JSON instead of a table
          -h, --help           this text

        Build and run (release mode; timings of a debug build mean nothing):
          swift build -c release --product synm-bench && .build/release/synm-bench

        """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) throws(UsageError) -> ParseOutcome {
        var options = BenchOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            /// The value of an option that takes one, whether given as `--x V` or `--x=V`.
            func value(_ name: String, inline: String?) throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
                return next
            }
            func positive(_ name: String, _ text: String) throws(UsageError) -> Int {
                guard let n = Int(text), n > 0 else {
                    throw UsageError(message: "\(name) needs a positive integer, got '\(text)'")
                }
                return n
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            let inline = parts.count > 1 ? parts[1] : nil
            switch name {
            case "-h", "--help": return .help
            case "--models": options.modelsDirectory = try value(name, inline: inline)
            case "--iterations": options.iterations = try positive(name, value(name, inline: inline))
            case "--repetitions": options.repetitions = try positive(name, value(name, inline: inline))
            case "--only":
                let model = try value(name, inline: inline)
                guard BenchModel.named(model) != nil else {
                    let known = BenchModel.all.map(\.name).joined(separator: ", ")
                    throw UsageError(message: "unknown model '\(model)' (known: \(known))")
                }
                options.only.append(model)
            case "--no-hessian": options.skipHessian = true
            case "--synm-only": options.synmOnly = true
            case "--tree": options.tree = true
            case "--batching": options.batching = true
            case "--no-fused": options.noFused = true
            case "--keep-dead-lets": options.keepDeadLets = true
            case "--peers": options.peersDirectory = try value(name, inline: inline)
            case "--reference-peers": options.referencePeers = true
            case "--json": options.json = true
            default: throw UsageError(message: "unknown option '\(argument)' (see --help)")
            }
        }
        return .run(options)
    }

    /// The models to run, in the fixed order of `BenchModel.all`.
    var selectedModels: [BenchModel] {
        guard !only.isEmpty else { return BenchModel.all }
        let wanted = Set(only.compactMap { BenchModel.named($0)?.name })
        return BenchModel.all.filter { wanted.contains($0.name) }
    }
}
