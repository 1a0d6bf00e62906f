// `synm loo FIT.csv [FIT2.csv …] [--var log_lik]` and `synm loo MODEL.synm --fit FIT.csv …`:
// PSIS-LOO (Vehtari, Gelman & Gabry 2017; Pareto smoothing as in Vehtari et al. 2024) from
// the pointwise log likelihood, printed as the R loo package prints it: elpd_loo, p_loo and
// looic with their standard errors, the MCSE of elpd_loo and the Pareto k table. The log
// likelihood is a fit's columns `log_lik.1`, … (a `let log_lik` the run reported), or the let
// computed by MODEL on the fit's draws (as `synm predict` does).
import Foundation
import SynmDiagnostics
import SynmInference
import SynmIO
import SynmRuntime

enum LooCommand {
    static let flags: Set<String> = ["json", "help"]
    static let options: Set<String> = ["var", "fit", "data", "seed", "r-eff"]

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart.parse(args, command: "loo", flags: flags, options: options, console: console) {
        case .exit(let code): return code
        case .proceed(let arguments): parsed = arguments
        }
        let variable = parsed.options["var"] ?? "log_lik"
        guard !variable.isEmpty, !variable.contains(where: { "[]., ".contains($0) }) else {
            return Driver.usageError(UsageError("--var takes a variable name such as log_lik, got '\(variable)'"),
                                     command: "loo", console: console)
        }
        // r_eff: from the chains (the loo package's relative_eff), or a number (1: the draws
        // taken as independent).
        var fixedReff: Double?
        if let r = parsed.options["r-eff"], r != "chains" {
            guard let v = Double(r), v > 0, v.isFinite else {
                return Driver.usageError(UsageError("--r-eff takes 'chains' or a positive number, got '\(r)'"),
                                         command: "loo", console: console)
            }
            fixedReff = v
        }
        let positionals = parsed.positionals
        let modelPath = positionals.first.flatMap { $0.hasSuffix(".synm") ? $0 : nil }
        let fits = (parsed.values["fit"] ?? []) + positionals.dropFirst(modelPath == nil ? 0 : 1)
        guard !fits.isEmpty else {
            return Driver.usageError(UsageError("missing the fit's CSV files",
                                                hint: "synm loo FIT.csv (the files of synm run --output, with a let log_lik), or synm loo MODEL.synm --fit FIT.csv"),
                                     command: "loo", console: console)
        }
        if modelPath == nil {
            for (name, _) in [("data", 0), ("seed", 0)] where parsed.options[name] != nil {
                return Driver.usageError(UsageError("--\(name) is for synm loo MODEL.synm --fit FIT.csv",
                                                    hint: "without a model the log likelihood is read from the fit's columns"),
                                         command: "loo", console: console)
            }
        }
        let fit: FitFiles
        switch FitFiles.read(fits, command: "loo", console: console) {
        case .failure(let code): return code
        case .success(let f): fit = f
        }
        // log_lik[i][chain][draw], with the names and (reading columns) each value's place.
        let names: [String]
        var matrix: [[[Double]]]
        if let modelPath {
            guard let seed = OptimizeCommand.parseSeed(parsed.options["seed"], command: "loo", console: console) else {
                return .usage
            }
            var prepared: PreparedModel
            switch Pipeline.prepare(modelPath: modelPath, dataPaths: parsed.dataFiles, seed: seed, console: console, command: "loo") {
            case .failure(let code): return code
            case .success(let p): prepared = p
            }
            let result: PredictCommand.Result
            do {
                result = try PredictCommand.compute(fit: fit, model: &prepared.compiled, seed: seed)
            } catch let e as StanCSVFile.Failure {
                console.err.write(e.text)
                return .modelError
            } catch let e as RuntimeError {
                Pipeline.report(e, file: prepared.loaded.file, console: console)
                return .runtime
            } catch {
                console.err.write("synm loo: error: \(error)\n")
                return .runtime
            }
            let columns = result.names.indices.filter { Self.base(result.names[$0]) == variable && !result.isParameter[$0] }
            guard !columns.isEmpty else {
                console.err.write("synm loo: error: \(modelPath): the model has no let '\(variable)'\n")
                console.err.write("hint: add the pointwise log likelihood, e.g. a loop setting ll[i] = normal_lpdf(y[i] | mu, sigma) and let \(variable) = ll (synm help loo)\n")
                return .modelError
            }
            names = columns.map { result.names[$0] }
            matrix = columns.map { k in result.values.map { $0[k] } }
        } else {
            let header = fit.files[0].csv.names
            let columns = header.indices.filter { Self.base(header[$0]) == variable }
            guard !columns.isEmpty else {
                let f = fit.files[0]
                console.err.write(StanCSVFile.Failure(path: f.path, line: f.headerLine,
                                                      message: "no column '\(variable)' or '\(variable).1', …",
                                                      hint: "the fit needs the pointwise log likelihood as a let (synm help loo shows the idiom), or name it with --var").text)
                return .modelError
            }
            names = columns.map { header[$0] }
            matrix = columns.map { k in fit.files.indices.map { Array(fit.draws(column: k, file: $0)) } }
            // A NaN or +inf log likelihood is a damaged row (or a bug in the model's let).
            for (i, chains) in matrix.enumerated() {
                for (f, draws) in chains.enumerated() {
                    if let d = draws.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
                        console.err.write(StanCSVFile.Failure(path: fit.files[f].path, line: fit.line(draw: d, file: f),
                                                              message: "draw \(d + 1): \(names[i]) is \(DrawsCSVWriter.format(draws[d])); a log likelihood must be a number or -inf").text)
                        return .modelError
                    }
                }
            }
        }
        let loo: LOOResult
        do {
            let reff = fixedReff.map { r in matrix.map { _ in r } } ?? matrix.map { relativeEfficiency(logLikelihoodChains: $0) }
            loo = try psisLOO(logLikelihood: matrix.map { $0.flatMap { $0 } }, relativeEfficiencies: reff)
        } catch {
            switch error {
            case .notFinite(let i, _, let v):
                console.err.write("synm loo: error: \(names[i]) is \(DrawsCSVWriter.format(v)) at a draw; a log likelihood must be a number or -inf\n")
            default:
                console.err.write("synm loo: error: no draws or no observations\n")
            }
            return .modelError
        }
        let displayNames = names.map(Self.display)
        if parsed.flags.contains("json") {
            console.out.write(json(loo, names: displayNames, files: fit.files.map(\.path)) + "\n")
        } else {
            console.out.write(table(loo, chains: fit.files.count))
        }
        for w in warnings(loo, names: displayNames) { console.err.write("warning: \(w)\n") }
        return .ok
    }

    /// `log_lik.3`, `log_lik[3]` → `log_lik`.
    static func base(_ name: String) -> String {
        String(name.prefix { $0 != "." && $0 != "[" })
    }

    /// `log_lik.3` → `log_lik[3]`, `X.2.3` → `X[2, 3]`.
    static func display(_ name: String) -> String {
        let b = base(name)
        guard name.count > b.count else { return name }
        if name.contains("[") { return name }
        let index = name.dropFirst(b.count + 1).split(separator: ".")
        return b + "[" + index.joined(separator: ", ") + "]"
    }

    /// The counts of the Pareto k table: good (k ≤ 0.5), ok (≤ the threshold), bad (≤ 1),
    /// very bad, each with the smallest ESS of the smoothed weights among its observations.
    static func kTable(_ loo: LOOResult) -> [(label: String, range: String, count: Int, minESS: Double?)] {
        let t = loo.kThreshold
        let bounds: [(String, String, (Double) -> Bool)] = [
            ("good", "(-Inf, 0.5]", { $0 <= 0.5 }),
            ("ok", String(format: "(0.5, %.2f]", t), { $0 > 0.5 && $0 <= t }),
            ("bad", String(format: "(%.2f, 1]", t), { $0 > t && $0 <= 1 }),
            ("very bad", "(1, Inf)", { $0 > 1 || $0.isNaN }),
        ]
        return bounds.map { label, range, test in
            let points = loo.points.filter { test($0.k) }
            return (label, range, points.count, label == "good" || label == "ok" ? points.map(\.effectiveSampleSize).min() : nil)
        }
    }

    static func table(_ loo: LOOResult, chains: Int) -> String {
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        var out = "Computed from \(loo.draws) by \(loo.observations) log-likelihood matrix (\(chains) chain\(chains == 1 ? "" : "s")).\n\n"
        out += OptimizeCommand.alignedTable(["", "Estimate", "SE"], [
            ["elpd_loo", f(loo.elpd), f(loo.elpdSE)],
            ["p_loo", f(loo.pLoo), f(loo.pLooSE)],
            ["looic", f(loo.looic), f(loo.looicSE)],
        ])
        out += "------\n"
        let reffs = loo.points.map(\.relativeEfficiency)
        let lo = reffs.min() ?? 1, hi = reffs.max() ?? 1
        // As the loo package: no MCSE when an estimate is unreliable.
        let reliable = loo.points.allSatisfy { $0.k <= loo.kThreshold }
        out += reliable ? "MCSE of elpd_loo is \(String(format: "%.1f", loo.mcse)) (delta method).\n" : "MCSE of elpd_loo is NA (a Pareto k is above the threshold).\n"
        out += lo == hi ? String(format: "MCSE and ESS estimates with r_eff = %.2f.\n\n", lo)
            : String(format: "MCSE and ESS estimates assume MCMC draws (r_eff in [%.2f, %.2f]).\n\n", lo, hi)
        let t = loo.kThreshold
        if loo.points.allSatisfy({ $0.k <= t }) {
            out += String(format: "All Pareto k estimates are good or ok (k <= %.2f).\n", t)
        }
        out += String(format: "Pareto k diagnostic values (threshold min(1 - 1/log10(S), 0.7) = %.2f for S = %d):\n", t, loo.draws)
        let rows = kTable(loo)
        let width = rows.map(\.range.count).max() ?? 0
        out += OptimizeCommand.alignedTable(["", "", "Count", "Pct.", "Min. ESS"], rows.map { r in
            [String(repeating: " ", count: width - r.range.count) + r.range, "(\(r.label))", String(r.count), String(format: "%.1f%%", 100 * Double(r.count) / Double(loo.observations)),
             r.minESS.map { String(Int($0.rounded(.down))) } ?? "--"]
        })
        return out
    }

    static func warnings(_ loo: LOOResult, names: [String]) -> [String] {
        let t = loo.kThreshold
        let bad = loo.points.indices.filter { !(loo.points[$0].k <= t) }
        guard !bad.isEmpty else { return [] }
        let list = bad.map { "\(names[$0]) (k = \(String(format: "%.2f", loo.points[$0].k)))" }
        let what = bad.count == 1 ? "estimate of this observation's elpd is" : "estimates of these observations' elpd are"
        return ["Pareto k above \(String(format: "%.2f", t)) for \(RunSummary.list(list)): the importance sampling \(what) unreliable (the leave-one-out posterior is far from the full posterior). Use a more robust model, or refit without the observation (exact LOO)."]
    }

    static func json(_ loo: LOOResult, names: [String], files: [String]) -> String {
        let doc: JSONValue = .object([
            JSONMember("draws", .integer(loo.draws)),
            JSONMember("observations", .integer(loo.observations)),
            JSONMember("elpd_loo", .real(loo.elpd)), JSONMember("elpd_loo_se", .real(loo.elpdSE)),
            JSONMember("p_loo", .real(loo.pLoo)), JSONMember("p_loo_se", .real(loo.pLooSE)),
            JSONMember("looic", .real(loo.looic)), JSONMember("looic_se", .real(loo.looicSE)),
            JSONMember("elpd_loo_mcse", loo.points.allSatisfy { $0.k <= loo.kThreshold } ? .real(loo.mcse) : .null),
            JSONMember("k_threshold", .real(loo.kThreshold)),
            JSONMember("k_table", .object(kTable(loo).map { r in
                JSONMember(r.label, .object([JSONMember("range", .string(r.range)), JSONMember("count", .integer(r.count)),
                                             JSONMember("min_ess", r.minESS.map { .real($0) } ?? .null)]))
            })),
            JSONMember("pointwise", .array(loo.points.indices.map { i in
                let p = loo.points[i]
                return .object([
                    JSONMember("name", .string(names[i])), JSONMember("elpd_loo", .real(p.elpd)),
                    JSONMember("p_loo", .real(p.pLoo)), JSONMember("looic", .real(p.looic)),
                    JSONMember("pareto_k", .real(p.k)), JSONMember("ess", .real(p.effectiveSampleSize)),
                    JSONMember("mcse", .real(p.mcse)), JSONMember("r_eff", .real(p.relativeEfficiency)),
                ])
            })),
            JSONMember("fit", .array(files.map { .string($0) })),
        ])
        return JSONWriter(style: .pretty).string(from: doc)
    }
}
