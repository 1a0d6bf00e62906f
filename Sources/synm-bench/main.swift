// synm-bench: times synm's log density + gradient on the five peer models and four loop-heavy
// time series against hand-written Swift gradients of the same densities (the DESIGN §6
// reference), next to Stan's and NumPyro's reference timings, and times the exact Hessian.
// Prints a plain table, or JSON with --json.
// Not part of `swift test`; build it in release mode (STYLE habit 11).
import Foundation

/// Writes a line to standard error (progress and errors; standard output carries the results).
func report(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs the benchmark and returns the exit status.
func runBench(_ arguments: [String]) -> Int32 {
    let options: BenchOptions
    do {
        switch try BenchOptions.parse(arguments) {
        case .help:
            print(BenchOptions.helpText, terminator: "")
            return 0
        case .run(let parsed): options = parsed
        }
    } catch {
        report("synm-bench: error: \(error.message)")
        return 64
    }
    #if DEBUG
    report("synm-bench: warning: this is a debug build; its timings mean nothing (build with -c release)")
    #endif

    if options.batching {
        do {
            guard let spec = BenchModel.named("logistic_regression") else { return 1 }
            var prepared = try spec.prepare(modelsDirectory: options.modelsDirectory)
            print(renderBatching(try measureBatching(&prepared, options: options)), terminator: "")
            return 0
        } catch {
            report("synm-bench: error: \(error)")
            return 1
        }
    }

    var results: [ModelResult] = []
    for spec in options.selectedModels {
        var prepared: PreparedModel
        do {
            prepared = try spec.prepare(modelsDirectory: options.modelsDirectory)
            if options.noFused { prepared.compiled.usesFusedKernels = false }
            if options.keepDeadLets { prepared.compiled.eliminatesDeadLets = false }
        } catch {
            report("synm-bench: error: \(error)")
            return 1
        }
        var agreement: Agreement?
        if !options.synmOnly {
            do {
                agreement = try prepared.verifyAgreement(checkHessian: !options.skipHessian)
            } catch {
                report("synm-bench: AGREEMENT FAILURE — the hand-written density is not synm's; nothing is timed.")
                report("synm-bench: error: \(error)")
                return 1
            }
        }
        report("synm-bench: timing \(spec.name) (dimension \(prepared.compiled.dimension)) …")
        let timings = timeGradients(&prepared, options: options)
        let hessian = options.skipHessian || options.synmOnly ? nil : timeHessians(&prepared, options: options)
        if !timings.checksum.isFinite {
            report("synm-bench: warning: \(spec.name): a timed evaluation returned a non-finite value")
        }
        let (stan, numpyro) = peerTimings(spec, options: options)
        results.append(ModelResult(spec: spec, dimension: prepared.compiled.dimension, timings: timings,
                                   hessian: hessian, agreement: agreement, stan: stan, numpyro: numpyro))
    }
    print(options.json ? renderJSON(results, options: options) : renderTable(results, options: options),
          terminator: "")
    return 0
}

exit(runBench(Array(CommandLine.arguments.dropFirst())))
