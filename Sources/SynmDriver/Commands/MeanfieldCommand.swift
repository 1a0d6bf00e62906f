// `synm variational MODEL --method meanfield`: SynmInference's mean-field ADVI (Kucukelbir et
// al. 2017, Stan's defaults), its draws in the layout of CmdStan's variational method
// (lp__ = 0, log_p__, log_g__, then the model's columns; the first row is the
// approximation's mean, as CmdStan writes it), a summary table of the draws and JSON.
import Foundation
import SynmDiagnostics
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

enum MeanfieldCommand {
    static func run(_ prepared: inout PreparedModel, configuration c: ADVIConfiguration, seed: UInt64, parsed: Arguments,
                    name: String, sigFigs: Int?, console: Console) -> ExitCode {
        guard prepared.compiled.dimension > 0 else {
            console.err.write("synm variational: error: \(prepared.loaded.file.name): the model has no parameters: there is no posterior to approximate\n")
            console.err.write("hint: synm run samples a model without parameters (fixed_param); synm simulate draws its data\n")
            return .modelError
        }
        let result: ADVIResult
        do {
            result = try meanfieldADVI(prepared.compiled, configuration: c, seed: seed)
        } catch {
            if case .initializationFailed(let attempts, let explanation) = error {
                var sc = SamplerConfiguration()
                sc.seed = seed
                if let term = RunCommand.nonFiniteTerm(.initializationFailed(chain: 0, attempts: attempts, explanation: explanation),
                                                       configuration: sc, model: &prepared.compiled) {
                    Pipeline.report(term, file: prepared.loaded.file, console: console)
                }
            }
            console.err.write("synm variational: error: \(error.description)\n")
            return .runtime
        }
        var names: [String] = ["lp__", "log_p__", "log_g__"]
        var values: [[Double]] = [Array(repeating: 0, count: result.draws.count + 1), [0] + result.logP, [0] + result.logG]
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x9A8_0000)
        do {
            for (d, u) in ([result.mean] + result.draws).enumerated() {
                let outputs = try prepared.compiled.draw(u, rng: &rng)
                if d == 0 {
                    names += outputs.flatMap(\.elementNames)
                    values += Array(repeating: [], count: names.count - 3)
                }
                var k = 3
                for o in outputs { for v in o.values { values[k].append(v); k += 1 } }
            }
        } catch {
            if let e = error as? RuntimeError { Pipeline.report(e, file: prepared.loaded.file, console: console) }
            else { console.err.write("synm variational: error: \(error)\n") }
            return .runtime
        }
        var warnings: [String] = []
        if !result.failedEtas.isEmpty {
            let failed = result.failedEtas.map { RunSummary.number($0) }.joined(separator: ", ")
            warnings.append("the ascent with the adapted step size (eta \(failed)) reached parameters where the log density or its gradient is not finite; it was run again with eta \(RunSummary.number(result.eta))")
        }
        if !result.converged {
            warnings.append("the ELBO did not converge in \(c.maxIterations) iterations (tol_rel_obj \(c.tolRelObj)); the approximation may be poor")
        }
        // Pareto k̂ of log p − log q (Yao, Vehtari, Simpson & Gelman 2018): q's constant
        // cancels in the smoothing.
        let ratios = zip(result.logP, result.logG).map { $0.isFinite ? $0 - $1 : -1e300 }
        let k = paretoSmooth(logRatios: ratios).k
        if k > 0.7 || !k.isFinite {
            warnings.append("Pareto k̂ = \(RunSummary.number(k)) (above 0.7): the approximation is poor; use synm run for the posterior")
        }
        if let path = parsed.options["output"] {
            var w = DrawsCSVWriter()
            w.significantDigits = sigFigs
            w.comments(["model = \(name)", "method = variational", "  variational", "    algorithm = meanfield",
                        "    iter = \(c.maxIterations)", "    grad_samples = \(c.gradSamples)",
                        "    elbo_samples = \(c.elboSamples)", "    eta = \(RunSummary.number(result.eta))",
                        "    adapt", "      engaged = true", "      iter = \(c.adaptIterations)",
                        "    tol_rel_obj = \(c.tolRelObj)", "    eval_elbo = \(c.evalElbo)", "    output_samples = \(c.draws)",
                        "data", "  file = " + (prepared.dataPaths.isEmpty ? " (Default)" : prepared.dataPaths.joined(separator: ",")),
                        "init = 2", "random", "  seed = \(seed)", "output", "  file = \(path)",
                        "synm_version = \(synmVersion)"])
            w.header(names)
            w.comment("Stepsize adaptation complete.")
            w.comment("eta = \(RunSummary.number(result.eta))")
            for d in values[0].indices { w.row(values.map { $0[d] }) }
            do { try writeFileAtomically(w.text, to: path) } catch {
                console.err.write("synm variational: error: cannot write the draws: \(error)\n")
                return .cannotCreate
            }
        }
        // The summary is of the draws (the mean row left out).
        let stats = names.indices.dropFirst(1).map { j -> (name: String, values: [Double]) in
            let x = Array(values[j].dropFirst()).filter(\.isFinite)
            let q = x.isEmpty ? [Double](repeating: .nan, count: 3) : quantiles(x, VariationalCommand.quantileLevels)
            return (names[j], [mean(x), x.count > 1 ? standardDeviation(x) : .nan] + q)
        }
        let rows = stats.map { [$0.name] + $0.values.map(RunSummary.number) }
        if parsed.flags.contains("json") {
            let summary = stats.map { s in
                JSONMember(s.name, .object(zip(["mean", "sd", "q5", "q50", "q95"], s.values).map { JSONMember($0, .real($1)) }))
            }
            let doc: JSONValue = .object([
                JSONMember("method", .string("meanfield")), JSONMember("seed", .integer(Int(truncatingIfNeeded: seed))),
                JSONMember("eta", .real(result.eta)), JSONMember("iterations", .integer(result.iterations)),
                JSONMember("converged", .bool(result.converged)), JSONMember("elbo", .real(result.elbo)),
                JSONMember("pareto_k", .real(k)), JSONMember("draws", .integer(result.draws.count)),
                JSONMember("summary", .object(summary)), JSONMember("warnings", .array(warnings.map { .string($0) })),
            ])
            console.out.write(JSONWriter(style: .pretty).string(from: doc) + "\n")
        } else {
            var out = "Approximate posterior for synm model: \(name)\n"
            out += "meanfield ADVI: eta \(RunSummary.number(result.eta)), \(result.iterations) iterations, "
            out += (result.converged ? "ELBO converged" : "ELBO NOT converged") + "; \(result.draws.count) draws; seed=\(seed)\n"
            out += "Pareto k̂ = \(RunSummary.number(k))\n\n"
            out += OptimizeCommand.alignedTable(["", "Mean", "StdDev", "5%", "50%", "95%"], rows)
            out += "\nDraws from an approximation (no MCSE, ESS or R-hat): check important results with synm run.\n"
            console.out.write(out)
        }
        for w in warnings { console.err.write("warning: \(w)\n") }
        return .ok
    }
}
