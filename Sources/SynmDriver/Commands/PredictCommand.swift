// `synm predict MODEL --fit FIT.csv [FIT2.csv …]`: standalone generated quantities, as
// CmdStan's `generate_quantities` method. For every draw of an existing fit (CSV files written
// by `synm run --output` or by CmdStan, with the model's parameters as columns) the model's
// `let` and `predict` nodes are computed again: the parameters are read, checked against their
// bounds and moved to the unconstrained scale, then the model is evaluated there and each
// predict node drawn. Chain k (CmdStan's `id`) draws from the stream `synm run` uses for its
// predict nodes, so with the run's seed and data the values are the run's own.
import Foundation
import SynmInference
import SynmIO
import SynmMath
import SynmRuntime
import SynmDiagnostics

enum PredictCommand {
    static let flags: Set<String> = ["json", "help"]
    static let options: Set<String> = ["data", "fit", "seed", "output", "sig-figs"]

    /// What `predict` computed: per chain, every output column per draw, with the fit's
    /// sampler columns copied.
    struct Result {
        var names: [String]
        /// values[chain][column][draw]
        var values: [[[Double]]]
        /// The fit's sampler columns (`lp__` … `energy__`, those present), per chain.
        var samplerNames: [String]
        var samplerValues: [[[Double]]]
        /// Which of `names` are the model's parameters (the rest are lets and predict nodes).
        var isParameter: [Bool]
        var chainIDs: [Int]
    }

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart.parse(args, command: "predict", flags: flags, options: options, console: console) {
        case .exit(let code): return code
        case .proceed(let arguments): parsed = arguments
        }
        guard let modelPath = parsed.positionals.first else {
            return Driver.usageError(UsageError("missing MODEL"), command: "predict", console: console)
        }
        // `--fit A.csv B.csv`: the option takes A, and B is a positional after MODEL.
        let fits = (parsed.values["fit"] ?? []) + parsed.positionals.dropFirst()
        guard !fits.isEmpty else {
            return Driver.usageError(UsageError("missing --fit FIT.csv",
                                                hint: "give the CSV files of a fit (synm run --output P.csv writes P_1.csv, …; P.csv names them all)"),
                                     command: "predict", console: console)
        }
        let seed: UInt64
        var sigFigs: Int?
        do {
            seed = try RunCommand.seedOrDrawn(parsed.options["seed"])
            sigFigs = try RunCommand.sigFigs(parsed)
        } catch let e as UsageError {
            return Driver.usageError(e, command: "predict", console: console)
        } catch { return .usage }

        var fit: FitFiles
        switch FitFiles.read(fits, command: "predict", console: console) {
        case .failure(let code): return code
        case .success(let f): fit = f
        }
        if let prefix = parsed.options["output"] {
            let outputs = fit.files.indices.map { ("--output", DrawsOutput.path(prefix: prefix, chain: $0)) }
            do {
                try OutputSafety.verify(outputs: outputs,
                                        inputs: fit.files.map { ("the fit file", $0.path) } + [("the model", modelPath)]
                                            + parsed.dataFiles.map { ("the data file", $0) })
            } catch let e as UsageError {
                return Driver.usageError(e, command: "predict", console: console)
            } catch { return .usage }
        }
        var prepared: PreparedModel
        switch Pipeline.prepare(modelPath: modelPath, dataPaths: parsed.dataFiles, seed: seed, console: console,
                                command: "predict") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        let result: Result
        do {
            result = try compute(fit: fit, model: &prepared.compiled, seed: seed)
        } catch let e as StanCSVFile.Failure {
            console.err.write(e.text)
            return .modelError
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .runtime
        } catch {
            console.err.write("synm predict: error: \(error)\n")
            return .runtime
        }
        let modelName = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
        if let prefix = parsed.options["output"] {
            do {
                try write(result, prefix: prefix, fit: fit, modelName: modelName, seed: seed,
                          dataFiles: prepared.dataPaths, sigFigs: sigFigs)
            } catch {
                console.err.write("synm predict: error: cannot write the draws: \(error)\n")
                return .cannotCreate
            }
        }
        let summaries = result.names.indices.map { k in summarize(chains: result.values.map { $0[k] }) }
        let reported = result.names.indices.filter { !result.isParameter[$0] }
        let draws = result.values.first?.first?.count ?? 0
        if parsed.flags.contains("json") {
            let doc: JSONValue = .object([
                JSONMember("model", .string(modelName)),
                JSONMember("seed", .integer(Int(seed))),
                JSONMember("chains", .integer(result.values.count)),
                JSONMember("draws", .integer(draws)),
                JSONMember("fit", .array(fit.files.map { .string($0.path) })),
                JSONMember("quantities", .object(reported.map { k in
                    let s = summaries[k]
                    return JSONMember(result.names[k], .object([
                        JSONMember("mean", .real(s.mean)), JSONMember("sd", .real(s.sd)),
                        JSONMember("mcse_mean", .real(s.mcseMean)), JSONMember("q5", .real(s.q5)),
                        JSONMember("q50", .real(s.q50)), JSONMember("q95", .real(s.q95)),
                        JSONMember("ess_bulk", .real(s.essBulk)), JSONMember("ess_tail", .real(s.essTail)),
                        JSONMember("rhat", .real(s.rhat)),
                    ]))
                })),
            ])
            console.out.write(JSONWriter(style: .pretty).string(from: doc) + "\n")
        } else {
            var out = "Generated quantities for synm model: \(modelName)\n"
            out += "\(result.values.count) chain\(result.values.count == 1 ? "" : "s") of \(draws) draws from \(fit.files.map(\.path).joined(separator: ", ")); seed=\(seed)\n\n"
            if reported.isEmpty {
                out += "(the model has no let or predict nodes that depend on the parameters)\n"
            } else {
                let n = RunSummary.number
                out += OptimizeCommand.alignedTable(
                    ["", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"],
                    reported.map { k in
                        let s = summaries[k]
                        return [result.names[k], n(s.mean), n(s.mcseMean), n(s.sd), n(s.q5), n(s.q50), n(s.q95),
                                s.essBulk.isFinite ? String(Int(s.essBulk)) : "nan",
                                s.essTail.isFinite ? String(Int(s.essTail)) : "nan",
                                s.rhat.isFinite ? String(format: "%.3f", s.rhat) : "nan"]
                    })
            }
            console.out.write(out)
        }
        return .ok
    }

    /// The parameters' columns in the fit (per parameter element, the column index in every
    /// file: the files have the same columns), or a located refusal: a parameter element
    /// without a column, or an element the model does not have (another model or other data).
    static func parameterColumns(_ fit: FitFiles, model: CompiledModel) throws(StanCSVFile.Failure) -> [Int] {
        let f = fit.files[0]
        let present = Set(f.csv.names.map(FitFiles.key))
        var columns: [Int] = []
        var found = 0
        for p in model.parameters {
            let names = (0..<p.count).map { FitFiles.key(elementNameOf(p.name, shape: p.shape, flat: $0)) }
            if names.contains(where: present.contains) { found += 1 }
        }
        if found == 0, !model.parameters.isEmpty {
            throw StanCSVFile.Failure(path: f.path, line: f.headerLine,
                                      message: "the fit has none of the model's parameters (\(model.parameters.map(\.name).joined(separator: ", "))) as columns",
                                      hint: "the fit is of another model: run this model, or give its own fit")
        }
        for p in model.parameters {
            let expected = (0..<p.count).map { FitFiles.key(elementNameOf(p.name, shape: p.shape, flat: $0)) }
            for name in expected {
                guard let k = fit.columnIndex(name, file: 0) else {
                    let have = f.csv.names.filter { $0 == p.name || $0.hasPrefix(p.name + ".") || $0.hasPrefix(p.name + "[") }
                    throw StanCSVFile.Failure(path: f.path, line: f.headerLine,
                                              message: "no column '\(name)' for parameter '\(p.name)'" + (have.isEmpty ? "" : " (the fit has \(have.count) of its \(p.count) elements)"),
                                              hint: "the fit is of another model or of other data: '\(p.name)' has \(p.count) element\(p.count == 1 ? "" : "s") here")
                }
                columns.append(k)
            }
            // An element beyond the parameter's size: the fit's data made it larger.
            let expectedSet = Set(expected)
            if let extra = f.csv.names.first(where: { FitFiles.key($0).hasPrefix(p.name + ".") && !expectedSet.contains(FitFiles.key($0)) }) {
                throw StanCSVFile.Failure(path: f.path, line: f.headerLine,
                                          message: "the fit has column '\(extra)', but parameter '\(p.name)' has \(p.count) element\(p.count == 1 ? "" : "s") here",
                                          hint: "the fit is of another model or of other data: give the data the fit was made with (--data)")
            }
        }
        return columns
    }

    /// Every output for every draw of every chain of the fit.
    static func compute(fit: FitFiles, model: inout CompiledModel, seed: UInt64) throws -> Result {
        let columns = try parameterColumns(fit, model: model)
        let parameters = model.parameters
        let samplerNames = fit.files[0].csv.names.filter { $0.hasSuffix("__") }
        var result = Result(names: [], values: [], samplerNames: samplerNames, samplerValues: [], isParameter: [], chainIDs: [])
        for f in fit.files.indices {
            let id = fit.chainID(file: f)
            // The stream `synm run` draws chain id's predict nodes from.
            var rng = Xoshiro256StarStar(seed: seed, stream: 0x9E0_0000 + UInt64(id - 1))
            let n = fit.drawCount(file: f)
            let paramDraws = columns.map { Array(fit.draws(column: $0, file: f)) }
            var out: [[Double]] = []
            for d in 0..<n {
                var byName: [String: [Double]] = [:]
                var k = 0
                for p in parameters {
                    var v: [Double] = []
                    for e in 0..<p.count {
                        let x = paramDraws[k][d]
                        if !x.isFinite {
                            throw StanCSVFile.Failure(path: fit.files[f].path, line: fit.line(draw: d, file: f),
                                                      message: "draw \(d + 1): \(elementNameOf(p.name, shape: p.shape, flat: e)) is \(DrawsCSVWriter.format(x)), not a finite number",
                                                      hint: "the fit is damaged at this row; run it again")
                        }
                        v.append(x)
                        k += 1
                    }
                    byName[p.name] = v
                }
                let outputs: [OutputValue]
                do {
                    // A fit's values are rounded (CmdStan: 6 significant digits), so
                    // constrained types are checked to ConstrainedValues.fitTolerance.
                    let u = try model.unconstrain(byName, allowMissing: false, tolerance: ConstrainedValues.fitTolerance).values
                    outputs = try model.draw(u, rng: &rng)
                } catch let e as RuntimeError {
                    throw StanCSVFile.Failure(path: fit.files[f].path, line: fit.line(draw: d, file: f),
                                              message: "draw \(d + 1): \(e.message)",
                                              hint: "the fit is of another model or other data, or damaged at this row")
                }
                if result.names.isEmpty {
                    result.names = outputs.flatMap(\.elementNames)
                    let parameterNames = Set(parameters.map(\.name))
                    result.isParameter = outputs.flatMap { o in Array(repeating: parameterNames.contains(o.name), count: o.values.count) }
                }
                if out.isEmpty { out = Array(repeating: [], count: result.names.count) }
                var c = 0
                for o in outputs {
                    for v in o.values where c < out.count {
                        out[c].append(v)
                        c += 1
                    }
                }
            }
            if out.isEmpty { out = Array(repeating: [], count: result.names.count) }
            result.values.append(out)
            result.samplerValues.append(samplerNames.map { name in
                fit.columnIndex(name, file: f).map { Array(fit.draws(column: $0, file: f)) } ?? []
            })
            result.chainIDs.append(id)
        }
        return result
    }

    /// `theta[1]` (synm's element names; the CSV column is `theta.1`).
    static func elementNameOf(_ name: String, shape: [Int], flat: Int) -> String {
        guard !shape.isEmpty else { return name }
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            index[d] = rest % shape[d] + 1
            rest /= shape[d]
        }
        return name + "[" + index.map(String.init).joined(separator: ", ") + "]"
    }

    /// P_1.csv, P_2.csv, … (one per fit file, in its order): CmdStan's layout for
    /// generate_quantities (the method and the fitted_params file, id, data, seed, output),
    /// then the fit's sampler columns, the parameters, lets and predict nodes; written whole or
    /// not at all.
    static func write(_ r: Result, prefix: String, fit: FitFiles, modelName: String, seed: UInt64,
                      dataFiles: [String], sigFigs: Int?) throws {
        var files: [(path: String, text: String)] = []
        for k in r.values.indices {
            var w = DrawsCSVWriter()
            w.significantDigits = sigFigs
            let path = DrawsOutput.path(prefix: prefix, chain: k)
            w.comments([
                "model = \(modelName)",
                "method = generate_quantities",
                "  generate_quantities",
                "    fitted_params = \(fit.files[k].path)",
                "id = \(r.chainIDs[k])",
                "data",
                "  file = " + (dataFiles.isEmpty ? " (Default)" : dataFiles.joined(separator: ",")),
                "random",
                "  seed = \(seed)",
                "output",
                "  file = \(path)",
                "  sig_figs = " + (sigFigs.map(String.init) ?? "-1 (Default)"),
                "synm_version = \(synmVersion)",
            ])
            let sampler = r.samplerNames.indices.filter { !r.samplerValues[k][$0].isEmpty }
            w.header(sampler.map { r.samplerNames[$0] } + r.names)
            let n = r.values[k].first?.count ?? fit.drawCount(file: k)
            for d in 0..<n {
                w.row(sampler.map { r.samplerValues[k][$0][d] } + r.values[k].map { $0[d] })
            }
            files.append((path, w.text))
        }
        try writeFilesAtomically(files)
    }
}
