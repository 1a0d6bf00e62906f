// `synm optimize MODEL [--data F] [--mle] [--seed S] [--sandwich R] [--json]`: the
// posterior mode (MAP, no Jacobian, like CmdStan's default) or the maximum likelihood
// estimate, by L-BFGS with a Newton polish on the exact Hessian, with standard errors from
// the inverse observed information and clear diagnoses when there is no interior maximum.
// `--sandwich R` adds sandwich standard errors √diag(J⁻¹ E[s sᵀ] J⁻¹), E[s sᵀ] of the
// likelihood's score over R data sets simulated at the estimate under the model and its
// synthetic generators (docs/STATISTICS.md §4).
import SynmDiagnostics
import SynmSynthetic
import Foundation
import SynmIO
import SynmMath
import SynmRuntime

enum OptimizeCommand {
    /// Runs the command; `given` is a model already prepared in process (the REPL's session:
    /// its data, `:set` values and synthetic rows), used instead of reading MODEL and --data.
    static func run(_ args: [String], console: Console, prepared given: PreparedModel? = nil) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "optimize", flags: ["json", "help", "mle"], options: ["data", "seed", "sandwich"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        guard let seed = parseSeed(parsed.options["seed"], command: "optimize", console: console) else { return .usage }
        var sandwichReps = 0
        if let text = parsed.options["sandwich"] {
            guard let n = Int(text), n >= 2 else {
                return Driver.usageError(UsageError("--sandwich needs a number of simulated data sets (at least 2), got '\(text)'"),
                                         command: "optimize", console: console)
            }
            sandwichReps = n
        }
        var prepared: PreparedModel
        switch Pipeline.prepare(parsed, given: given, seed: seed, console: console, command: "optimize") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        // --sandwich evaluates the score on the constrained scale, element by element.
        if sandwichReps > 0, let code = Pipeline.refuseConstrainedTypes(prepared, command: "optimize --sandwich", console: console) {
            return code
        }
        if let code = Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: console) {
            return code
        }
        let kind: OptimizationKind = parsed.flags.contains("mle") ? .mle : .map
        do {
            let bounds = ModelOptimizer.bounds(prepared.model, prepared.compiled)
            let start = try ModelOptimizer.start(&prepared.compiled, kind: kind, seed: seed)
            let result = try ModelOptimizer.optimize(&prepared.compiled, bounds: bounds, kind: kind, start: start)
            var sandwich: [Double]?
            if sandwichReps > 0, result.converged, result.boundary.isEmpty {
                let progress = ProgressBar.replicates(console: console, label: "optimize --sandwich", total: sandwichReps)
                let e = try ExpectedInformation.monteCarlo(model: prepared.model, compiled: prepared.compiled,
                                                           source: prepared.loaded.file,
                                                           parameters: prepared.compiled.byName(result.estimate),
                                                           x: result.estimate, unconstrained: false, replicates: sandwichReps,
                                                           seed: seed, progress: progress.countCallback)
                progress.finish()
                if let inv = result.hessian.scaled(-1).inverseSPD() {
                    let s = inv * e.score * inv
                    let v = (0..<s.rows).map { s[$0, $0] }
                    if v.allSatisfy({ $0 > 0 && $0.isFinite }) { sandwich = v.map { $0.squareRoot() } }
                }
            }
            if parsed.flags.contains("json") {
                console.out.write(json(result, sandwich: sandwich) + "\n")
            } else {
                console.out.write(table(result, model: prepared.loaded.file.name, seed: seed, sandwich: sandwich,
                                        replicates: sandwichReps))
            }
            for w in result.warnings { console.err.write("warning: \(w)\n") }
            return result.converged ? .ok : .runtime
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .modelError
        } catch {
            console.err.write("synm optimize: error: \(error)\n")
            return .runtime
        }
    }

    /// `--seed S` (default 0), or nil after printing a usage error.
    static func parseSeed(_ text: String?, command: String, console: Console) -> UInt64? {
        guard let text else { return 0 }
        guard let v = UInt64(text) else {
            _ = Driver.usageError(UsageError("--seed must be a non-negative whole number, got '\(text)'"),
                                  command: command, console: console)
            return nil
        }
        return v
    }

    static func table(_ r: OptimizationResult, model: String, seed: UInt64, sandwich: [Double]? = nil,
                      replicates: Int = 0) -> String {
        let what = r.kind == .mle
            ? "maximum likelihood estimate (likelihood terms only, priors left out)"
            : "posterior mode (MAP: log density without the Jacobian, like CmdStan's optimize)"
        var out = "\(model): \(what)\n"
        out += "L-BFGS from uniform(-2, 2) on the unconstrained scale (seed \(seed)): \(r.iterations) iteration\(r.iterations == 1 ? "" : "s"), "
        out += "then \(r.newtonSteps) Newton step\(r.newtonSteps == 1 ? "" : "s") on the exact Hessian; "
        out += r.converged ? "converged\n\n" : "NO optimum found (L-BFGS stop: \(r.stop); see the warnings)\n\n"
        var headers = ["parameter", "estimate", "SE"]
        if replicates > 0 { headers.append("SE sandwich") }
        let rows = r.names.indices.map { k -> [String] in
            var row = [r.names[k], RunSummary.number(r.estimate[k]), r.standardErrors.map { RunSummary.number($0[k]) } ?? "n/a"]
            if replicates > 0 { row.append(sandwich.map { RunSummary.number($0[k]) } ?? "n/a") }
            return row
        }
        out += alignedTable(headers, rows)
        out += "\nlp = \(RunSummary.number(r.lp))   (\(r.kind == .mle ? "log-likelihood" : "log density, no Jacobian") at the estimate)\n"
        // A model with constrained types (simplex, …) has no standard errors to explain.
        if !r.onUnconstrainedCoordinates {
            out += "SE: square roots of the diagonal of the inverse observed information, −∇² lp on the constrained scale\n"
        }
        if replicates > 0 {
            out += "SE sandwich: √diag(J⁻¹ E[s sᵀ] J⁻¹), E[s sᵀ] of the likelihood's score over \(replicates) data sets simulated at the estimate (synthetic rows regenerated by their generators); where it exceeds SE, the model-based SE is too small\n"
        }
        return out
    }

    static func json(_ r: OptimizationResult, sandwich: [Double]? = nil) -> String {
        let estimate = zip(r.names, r.estimate).map { JSONMember($0, .real($1)) }
        let se: JSONValue = r.standardErrors.map { s in .object(zip(r.names, s).map { JSONMember($0, .real($1)) }) } ?? .null
        let doc: JSONValue = .object([
            JSONMember("kind", .string(r.kind.rawValue)),
            JSONMember("estimate", .object(estimate)),
            JSONMember("se", se),
            JSONMember("se_sandwich", sandwich.map { s in .object(zip(r.names, s).map { JSONMember($0, .real($1)) }) } ?? .null),
            JSONMember("lp", .real(r.lp)),
            JSONMember("converged", .bool(r.converged)),
            JSONMember("iterations", .integer(r.iterations)),
            JSONMember("newton_steps", .integer(r.newtonSteps)),
            JSONMember("hessian_eigenvalues", .array(r.eigen.values.map { .real($0) })),
            JSONMember("boundary", .array(r.boundary.map {
                .object([JSONMember("parameter", .string($0.name)), JSONMember("edge", .string($0.edge)),
                         JSONMember("unbounded", .bool($0.unbounded))])
            })),
            JSONMember("warnings", .array(r.warnings.map { .string($0) })),
        ])
        return JSONWriter(style: .pretty).string(from: doc)
    }

    /// Left-aligned first column, right-aligned others, two spaces apart.
    static func alignedTable(_ headers: [String], _ rows: [[String]]) -> String {
        let widths = headers.indices.map { k in max(headers[k].count, rows.map { $0[k].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { k, cell in
                k == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[k] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return ([line(headers)] + rows.map(line)).joined()
    }
}
