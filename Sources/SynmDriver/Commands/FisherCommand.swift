// `synm fisher MODEL [--data F] [--at mle | --params P.json] [--expected N] [--seed S]
// [--unconstrained] [--json]`: observed Fisher information (−∇² log-likelihood, priors
// excluded, exact second-order autodiff) at the MLE or a given point, standard errors,
// expected information by Monte Carlo, and the per-source accounting of claimed versus
// warranted information (Theorems 5 and 8 of the paper; docs/STATISTICS.md §2).
import SynmDiagnostics
import SynmSynthetic
import Foundation
import SynmIO
import SynmMath
import SynmRuntime

enum FisherCommand {
    /// The most simulated data sets `--expected` takes: each is a Hessian of the model, and
    /// more would run for hours while the Monte Carlo error hardly moves.
    static let maxExpected = 100_000

    /// Runs the command; `given` is a model already prepared in process (the REPL's session:
    /// its data, `:set` values and synthetic rows), used instead of reading MODEL and --data.
    static func run(_ args: [String], console: Console, prepared given: PreparedModel? = nil) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "fisher", flags: ["json", "help", "unconstrained"], options: ["data", "at", "params", "expected", "seed", "report"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        do {
            try parsed.verifyPoint()
        } catch let e as UsageError {
            return Driver.usageError(e, command: "fisher", console: console)
        } catch { return .usage }
        var replicates = 0
        if let e = parsed.options["expected"] {
            guard let n = Int(e), n >= 2 else {
                return Driver.usageError(UsageError("--expected needs a number of simulated data sets (at least 2), got '\(e)'"),
                                         command: "fisher", console: console)
            }
            guard n <= maxExpected else {
                return Driver.usageError(UsageError("--expected is \(e), above its limit \(maxExpected)",
                                                    hint: "the Monte Carlo error falls as 1/√N: \(maxExpected) data sets already make it 0.3% of the spread"),
                                         command: "fisher", console: console)
            }
            replicates = n
        }
        guard let seed = OptimizeCommand.parseSeed(parsed.options["seed"], command: "fisher", console: console) else { return .usage }
        var prepared: PreparedModel
        switch Pipeline.prepare(parsed, given: given, seed: seed, console: console, command: "fisher") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        if let code = Pipeline.refuseConstrainedTypes(prepared, command: "fisher", console: console) { return code }
        if let code = Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: console) {
            return code
        }
        let unconstrained = parsed.flags.contains("unconstrained")
        do {
            // The point, constrained, per name.
            var theta: [Double]
            var fit: OptimizationResult?
            if let path = parsed.options["params"] {
                switch readPoint(path, parameters: prepared.compiled.parameters, console: console) {
                case .failure(let code): return code
                case .success(let t): theta = t
                }
            } else {
                let bounds = ModelOptimizer.bounds(prepared.model, prepared.compiled)
                let start = try ModelOptimizer.start(&prepared.compiled, kind: .mle, seed: seed)
                let r = try ModelOptimizer.optimize(&prepared.compiled, bounds: bounds, kind: .mle, start: start)
                for w in r.warnings { console.err.write("warning: \(w)\n") }
                guard r.converged, r.boundary.isEmpty else {
                    console.err.write("synm fisher: error: no interior MLE to evaluate the information at\n")
                    console.err.write("hint: give a point with --params P.json\n")
                    return .runtime
                }
                fit = r
                theta = r.estimate
            }
            var byName: [String: [Double]] = [:]
            for p in prepared.compiled.parameters { byName[p.name] = Array(theta[p.offset..<p.offset + p.count]) }
            let u = try prepared.compiled.unconstrain(byName)  // also validates the bounds
            let x = unconstrained ? u : theta
            let options = CompiledModel.Options(unconstrained: unconstrained, jacobian: false, prior: false, likelihood: true)
            let h = try prepared.compiled.hessian(x, options: options).hessian
            let d = x.count
            let observed = Matrix(rows: d, cols: d, storage: h.flatMap { $0.map { -$0 } })
            let accounting = try InformationAccounting.compute(model: prepared.model, compiled: &prepared.compiled,
                                                               source: prepared.loaded.file, x: x,
                                                               unconstrained: unconstrained, observed: observed)
            var expected: ExpectedInformation?
            if replicates > 0 {
                let progress = ProgressBar.replicates(console: console, label: "fisher --expected", total: replicates)
                expected = try ExpectedInformation.monteCarlo(model: prepared.model, compiled: prepared.compiled,
                                                              source: prepared.loaded.file, parameters: byName, x: x,
                                                              unconstrained: unconstrained, replicates: replicates, seed: seed,
                                                              progress: progress.countCallback)
                progress.finish()
            }
            let report = FisherReport(model: prepared.loaded.file.name, names: prepared.compiled.parameterNames,
                                      theta: theta, atMLE: fit != nil, unconstrained: unconstrained, observed: observed,
                                      accounting: accounting, expected: expected, seed: seed)
            if let path = parsed.options["report"] {
                let html = AnalysisReports.fisher(report, modelSource: String(decoding: prepared.loaded.file.bytes, as: UTF8.self),
                                                  modelPath: parsed.positionals[0])
                let code = ReportCommand.writeHTML(html, to: path, command: "fisher", console: console)
                if code != .ok { return code }
            }
            console.out.write(parsed.flags.contains("json") ? report.json() + "\n" : report.text())
            for w in report.warnings() { console.err.write("warning: \(w)\n") }
            return .ok
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .modelError
        } catch {
            console.err.write("synm fisher: error: \(error)\n")
            return .runtime
        }
    }

    /// Reads constrained parameter values from P.json, flat in layout order.
    static func readPoint(_ path: String, parameters: [ParameterInfo], console: Console) -> Result<[Double], ExitCode> {
        let source: DataSource
        switch DataLoader.read(path, console: console, command: "fisher", kind: "parameter file") {
        case .failure(let code): return .failure(code)
        case .success(let s): source = s
        }
        var byName: [String: [Double]] = [:]
        for v in source.values { byName[v.name] = v.values }
        for v in source.values where !parameters.contains(where: { $0.name == v.name }) {
            console.err.write("\(path): warning: '\(v.name)' is not a parameter of the model; it is ignored\n")
        }
        var theta: [Double] = []
        for p in parameters {
            guard let v = byName[p.name] else {
                console.err.write("\(path): error: parameter '\(p.name)' is missing\n")
                return .failure(.modelError)
            }
            guard v.count == p.count else {
                console.err.write("\(path): error: parameter '\(p.name)' needs \(p.count) value\(p.count == 1 ? "" : "s"), got \(v.count)\n")
                return .failure(.modelError)
            }
            theta += v
        }
        return .success(theta)
    }
}
