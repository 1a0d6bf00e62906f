// `synm variational MODEL [--data F]… [--method pathfinder] [--seed S] [--draws N] [--paths P]
// [--history-size J] [--elbo-draws K] [--no-psis-resample] [--threads N] [--output F.csv]
// [--sig-figs N] [--json]`: Pathfinder (Zhang, Carpenter, Gelman & Vehtari 2022; the algorithm
// is in SynmInference/Variational/Pathfinder.swift) with CmdStan's defaults: approximate
// posterior draws, a summary table (mean, sd, quantiles), a CSV file in the layout of CmdStan's
// pathfinder method (lp_approx__, lp__, then the parameters and lets), and the Pareto k̂ of the
// importance ratios as a diagnostic of the approximation.
import Foundation
import SynmDiagnostics
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

enum VariationalCommand {
    static let flags: Set<String> = ["json", "no-psis-resample"]
    static let options: Set<String> = ["data", "seed", "draws", "paths", "history-size", "elbo-draws", "method",
                                       "threads", "output", "sig-figs", "tol-rel-obj", "iter"]

    /// The approximation's draws on the unconstrained scale and its outputs per draw.
    struct Approximation {
        var result: PathfinderResult
        var names: [String]
        /// values[column][draw], columns lp_approx__, lp__, then the model's outputs.
        var values: [[Double]]
        var warnings: [String]
    }

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "variational", flags: flags, options: options, console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        guard let seed = OptimizeCommand.parseSeed(parsed.options["seed"], command: "variational", console: console) else {
            return .usage
        }
        var config = PathfinderConfiguration()
        var sigFigs: Int?
        do {
            if let method = parsed.options["method"], method != "pathfinder", method != "meanfield" {
                throw UsageError("--method must be pathfinder or meanfield, got '\(method)'")
            }
            if parsed.options["method"] != "meanfield" {
                for option in ["tol-rel-obj", "iter"] where parsed.options[option] != nil {
                    throw UsageError("--\(option) is a meanfield setting (with --method meanfield)")
                }
            }
            if parsed.options["method"] == "meanfield" {
                for option in ["paths", "history-size", "elbo-draws", "threads"] where parsed.options[option] != nil {
                    throw UsageError("--\(option) is a Pathfinder setting, not meanfield's")
                }
                if parsed.flags.contains("no-psis-resample") {
                    throw UsageError("--no-psis-resample is a Pathfinder setting, not meanfield's")
                }
            }
            config.draws = try RunCommand.integer(parsed, "draws", default: 1000, minimum: 1, maximum: 10_000_000)
            config.paths = try RunCommand.integer(parsed, "paths", default: 4, minimum: 1, maximum: 1000)
            config.historySize = try RunCommand.integer(parsed, "history-size", default: 5, minimum: 1, maximum: 100)
            config.elboDraws = try RunCommand.integer(parsed, "elbo-draws", default: 25, minimum: 1, maximum: 100_000)
            config.psisResample = !parsed.flags.contains("no-psis-resample")
            if parsed.options["threads"] != nil {
                config.threads = try RunCommand.integer(parsed, "threads", default: 1, minimum: 1, maximum: 4096)
            }
            sigFigs = try RunCommand.sigFigs(parsed)
        } catch let e as UsageError {
            return Driver.usageError(e, command: "variational", console: console)
        } catch { return .usage }
        let modelPath = parsed.positionals[0]
        var prepared: PreparedModel
        switch Pipeline.prepare(modelPath: modelPath, dataPaths: parsed.dataFiles, seed: seed, console: console,
                                command: "variational") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        if let code = Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: console) {
            return code
        }
        let name = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
        if parsed.options["method"] == "meanfield" {
            var advi = ADVIConfiguration()
            advi.draws = config.draws
            do {
                advi.maxIterations = try RunCommand.integer(parsed, "iter", default: 10_000, minimum: 1, maximum: 10_000_000)
                if let text = parsed.options["tol-rel-obj"] {
                    guard let v = Double(text), v > 0, v.isFinite else {
                        throw UsageError("--tol-rel-obj must be a positive number, got '\(text)'")
                    }
                    advi.tolRelObj = v
                }
            } catch let e as UsageError {
                return Driver.usageError(e, command: "variational", console: console)
            } catch { return .usage }
            return MeanfieldCommand.run(&prepared, configuration: advi, seed: seed, parsed: parsed, name: name,
                                        sigFigs: sigFigs, console: console)
        }
        let approximation: Approximation
        switch approximate(&prepared, configuration: config, seed: seed, console: console) {
        case .failure(let code): return code
        case .success(let a): approximation = a
        }
        if let path = parsed.options["output"] {
            do {
                try writeFileAtomically(csv(approximation, model: name, configuration: config, seed: seed,
                                            dataFiles: prepared.dataPaths, path: path, sigFigs: sigFigs),
                                        to: path)
            } catch {
                console.err.write("synm variational: error: cannot write the draws: \(error)\n")
                return .cannotCreate
            }
        }
        if parsed.flags.contains("json") {
            console.out.write(json(approximation, configuration: config, seed: seed) + "\n")
        } else {
            console.out.write(table(approximation, model: name, configuration: config, seed: seed))
        }
        for w in approximation.warnings { console.err.write("warning: \(w)\n") }
        return .ok
    }

    /// Pathfinder on a prepared model, with its outputs per draw; errors printed and located.
    /// Without `outputs`, only the draws and their log densities (for --init pathfinder).
    static func approximate(_ prepared: inout PreparedModel, configuration config: PathfinderConfiguration, seed: UInt64,
                            console: Console, outputs: Bool = true) -> Result<Approximation, ExitCode> {
        guard prepared.compiled.dimension > 0 else {
            console.err.write("synm variational: error: \(prepared.loaded.file.name): the model has no parameters: there is no posterior to approximate\n")
            console.err.write("hint: synm run samples a model without parameters (fixed_param); synm simulate draws its data\n")
            return .failure(.modelError)
        }
        let result: PathfinderResult
        do {
            result = try pathfinder(prepared.compiled, configuration: config, seed: seed)
        } catch {
            if case .initializationFailed(let path, let attempts, let explanation) = error {
                var c = SamplerConfiguration()
                c.seed = seed
                c.initRadius = config.initRadius
                if let term = RunCommand.nonFiniteTerm(.initializationFailed(chain: path, attempts: attempts, explanation: explanation),
                                                       configuration: c, model: &prepared.compiled) {
                    Pipeline.report(term, file: prepared.loaded.file, console: console)
                }
            }
            console.err.write("synm variational: error: \(error.description)\n")
            if case .invalidConfiguration = error { return .failure(.usage) }
            return .failure(.runtime)
        }
        var names: [String] = ["lp_approx__", "lp__"]
        var values: [[Double]] = [result.lpApprox, result.lp]
        // The lets and predict nodes of each draw, from a stream of their own.
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x9A8_0000)
        do {
            for u in outputs ? result.draws : [] {
                let outputs = try prepared.compiled.draw(u, rng: &rng)
                if names.count == 2 {
                    names += outputs.flatMap(\.elementNames)
                    values += Array(repeating: [], count: names.count - 2)
                }
                var k = 2
                for o in outputs {
                    for v in o.values {
                        values[k].append(v)
                        k += 1
                    }
                }
            }
        } catch {
            if let e = error as? RuntimeError {
                Pipeline.report(e, file: prepared.loaded.file, console: console)
            } else {
                console.err.write("synm variational: error: \(error)\n")
            }
            return .failure(.runtime)
        }
        var warnings: [String] = []
        for f in result.failedPaths { warnings.append("path \(f.path + 1) failed and was left out: \(f.reason)") }
        if let k = result.paretoK {
            if k > 0.7 || !k.isFinite {
                warnings.append("Pareto k̂ = \(RunSummary.number(k)) (above 0.7): the approximation is poor; use synm run for the posterior")
            }
        }
        let infinite = result.lp.filter { !$0.isFinite }.count
        if infinite > 0 {
            warnings.append("\(infinite) of \(result.lp.count) draws have a non-finite log density")
        }
        return .success(Approximation(result: result, names: names, values: values, warnings: warnings))
    }

    static let quantileLevels = [0.05, 0.5, 0.95]

    static func table(_ a: Approximation, model: String, configuration c: PathfinderConfiguration, seed: UInt64) -> String {
        let paths = a.result.paths.count
        var out = "Approximate posterior for synm model: \(model)\n"
        out += "pathfinder: \(c.paths) path\(c.paths == 1 ? "" : "s")"
        if paths < c.paths { out += " (\(paths) succeeded)" }
        out += ", history \(c.historySize), \(c.elboDraws) ELBO draws; \(a.result.draws.count) draws"
        if c.paths > 1 && c.psisResample { out += " resampled by PSIS" }
        out += "; seed=\(seed)\n"
        let k = a.result.paretoK.map { RunSummary.number($0) } ?? "n/a"
        let evaluations = a.result.paths.reduce(0) { $0 + $1.evaluations }
        out += "Pareto k̂ = \(k); \(evaluations) log density evaluations\n\n"
        let rows = a.names.indices.map { j -> [String] in
            let x = a.values[j].filter(\.isFinite)
            let q = x.isEmpty ? [Double](repeating: .nan, count: 3) : quantiles(x, quantileLevels)
            return [a.names[j], RunSummary.number(mean(x)), RunSummary.number(x.count > 1 ? standardDeviation(x) : .nan)]
                + q.map(RunSummary.number)
        }
        out += OptimizeCommand.alignedTable(["", "Mean", "StdDev", "5%", "50%", "95%"], rows)
        out += "\nDraws from an approximation (no MCSE, ESS or R-hat): check important results with synm run.\n"
        return out
    }

    static func json(_ a: Approximation, configuration c: PathfinderConfiguration, seed: UInt64) -> String {
        let summary: [JSONMember] = a.names.indices.map { j in
            let x = a.values[j].filter(\.isFinite)
            let q = x.isEmpty ? [Double](repeating: .nan, count: 3) : quantiles(x, quantileLevels)
            return JSONMember(a.names[j], .object([
                JSONMember("mean", .real(mean(x))),
                JSONMember("sd", .real(x.count > 1 ? standardDeviation(x) : .nan)),
                JSONMember("q5", .real(q[0])), JSONMember("q50", .real(q[1])), JSONMember("q95", .real(q[2])),
            ]))
        }
        let doc: JSONValue = .object([
            JSONMember("method", .string("pathfinder")),
            JSONMember("seed", .integer(Int(truncatingIfNeeded: seed))),
            JSONMember("num_paths", .integer(c.paths)),
            JSONMember("history_size", .integer(c.historySize)),
            JSONMember("num_elbo_draws", .integer(c.elboDraws)),
            JSONMember("psis_resample", .bool(c.psisResample)),
            JSONMember("draws", .integer(a.result.draws.count)),
            JSONMember("pareto_k", a.result.paretoK.map { .real($0) } ?? .null),
            JSONMember("paths", .array(a.result.paths.map { p in
                .object([JSONMember("path", .integer(p.path + 1)), JSONMember("iterations", .integer(p.iterations)),
                         JSONMember("best_iteration", .integer(p.bestIteration)), JSONMember("elbo", .real(p.elbo)),
                         JSONMember("evaluations", .integer(p.evaluations)), JSONMember("stop", .string(p.stop))])
            })),
            JSONMember("failed_paths", .array(a.result.failedPaths.map { f in
                .object([JSONMember("path", .integer(f.path + 1)), JSONMember("reason", .string(f.reason))])
            })),
            JSONMember("summary", .object(summary)),
            JSONMember("warnings", .array(a.warnings.map { .string($0) })),
        ])
        return JSONWriter(style: .pretty).string(from: doc)
    }

    /// CmdStan's pathfinder CSV: its configuration comments, then lp_approx__, lp__ and the
    /// model's columns, one row per draw.
    static func csv(_ a: Approximation, model: String, configuration c: PathfinderConfiguration, seed: UInt64,
                    dataFiles: [String], path: String, sigFigs: Int?) -> String {
        var w = DrawsCSVWriter()
        w.significantDigits = sigFigs
        w.comments([
            "model = \(model)",
            "method = pathfinder",
            "  pathfinder",
            "    history_size = \(c.historySize)",
            "    num_draws = \(c.draws)",
            "    num_elbo_draws = \(c.elboDraws)",
            "    num_paths = \(c.paths)",
            "    psis_resample = \(c.psisResample)",
            "    calculate_lp = true",
            "data",
            "  file = " + (dataFiles.isEmpty ? " (Default)" : dataFiles.joined(separator: ",")),
            "init = 2",
            "random",
            "  seed = \(seed)",
            "output",
            "  file = \(path)",
            "  sig_figs = " + (sigFigs.map(String.init) ?? "-1 (Default)"),
            "synm_version = \(synmVersion)",
        ])
        w.header(a.names)
        for d in a.values[0].indices { w.row(a.values.map { $0[d] }) }
        w.comment("Pareto k = " + (a.result.paretoK.map { DrawsCSVWriter.format($0) } ?? "n/a"))
        return w.text
    }
}
