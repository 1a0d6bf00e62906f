// Draws files: `--output draws.csv` writes draws_1.csv, draws_2.csv, … in CmdStan's CSV
// format (CmdStan's whole configuration block, the seven sampler columns — two for
// fixed_param — `theta.1` names, saved warmup draws, the adaptation block when warmup ran,
// the draws, timing), so ArviZ (`from_cmdstan`)
// and cmdstanpy (`from_csv`) read them unchanged (tests/interop checks both). Every file is prepared first
// and the set is written whole or not at all (every temporary file, then the renames).
import Foundation
import SynmInference
import SynmIO

enum DrawsOutput {
    /// `draws.csv` → `draws_1.csv`; `out/run` → `out/run_1.csv`.
    static func path(prefix: String, chain: Int) -> String {
        let base = prefix.hasSuffix(".csv") ? String(prefix.dropLast(4)) : prefix
        return "\(base)_\(chain + 1).csv"
    }

    /// `draws.csv` → `draws_synthetic.json`: the synthetic values the run used (Stan JSON).
    static func syntheticPath(prefix: String) -> String {
        (prefix.hasSuffix(".csv") ? String(prefix.dropLast(4)) : prefix) + "_synthetic.json"
    }

    /// CmdStan's configuration block for chain `chain` [CmdStan User's Guide, "Stan CSV File
    /// Format"; layout as CmdStan 2.28–2.32 writes it, booleans as 0/1]: every argument of
    /// `method = sample`, then id, data, init, random, output. "(Default)" marks a value
    /// left at CmdStan's default, as CmdStan does. cmdstanpy (`from_csv`) and ArviZ
    /// (`from_cmdstan`) read the block: both need num_samples, num_warmup, save_warmup and
    /// thin; cmdstanpy also metric and max_depth.
    static func configuration(_ result: RunResult, chain: Int, file: String) -> [String] {
        let c = result.sampling.configuration
        let o = result.output
        let a = c.adaptation
        func mark(_ value: String, _ isDefault: Bool) -> String { isDefault ? value + " (Default)" : value }
        func number(_ x: Double) -> String { DrawsCSVWriter.format(x) }
        var lines = [
            "model = \(result.modelName)",
            "method = sample (Default)",
            "  sample",
            "    num_samples = " + mark("\(c.draws)", c.draws == 1000),
            "    num_warmup = " + mark("\(o.requestedWarmup ?? c.warmup)", (o.requestedWarmup ?? c.warmup) == 1000),
            "    save_warmup = " + mark(o.saveWarmup ? "1" : "0", !o.saveWarmup),
            "    thin = " + mark("\(o.thin)", o.thin == 1),
            "    adapt",
            // No warmup: CmdStan runs without adaptation and writes no adaptation block;
            // readers (cmdstanpy) then expect none. fixed_param echoes the defaults, as CmdStan.
            "      engaged = " + (adapts(c) || c.sampler == .fixedParam ? "1 (Default)" : "0"),
            "      gamma = " + mark(number(a.gamma), a.gamma == 0.05),
            "      delta = " + mark(number(c.adaptDelta), c.adaptDelta == 0.8),
            "      kappa = " + mark(number(a.kappa), a.kappa == 0.75),
            "      t0 = " + mark(number(a.t0), a.t0 == 10),
            "      init_buffer = " + mark("\(a.initBuffer)", a.initBuffer == 75),
            "      term_buffer = " + mark("\(a.termBuffer)", a.termBuffer == 50),
            "      window = " + mark("\(a.window)", a.window == 25),
        ]
        let metric = metricName(c)
        // A model without parameters runs fixed_param whatever was asked; CmdStan (to 2.36)
        // then echoes the NUTS configuration it was given, and cmdstanpy 1.3 reads such files
        // (it cannot read an explicit `algorithm = fixed_param`, which `--sampler fixed_param`
        // on a model with parameters writes, as CmdStan does).
        let echoed: SamplerKind = c.sampler == .fixedParam && o.requestedWarmup != nil ? .nuts : c.sampler
        switch echoed {
        case .nuts, .hmc:
            lines += [
                "    algorithm = hmc (Default)",
                "      hmc",
                "        engine = " + mark(echoed == .nuts ? "nuts" : "static", echoed == .nuts),
            ]
            if echoed == .nuts {
                lines += ["          nuts", "            max_depth = " + mark("\(c.maxDepth)", c.maxDepth == 10)]
            } else {
                lines += ["          static", "            int_time = " + number(c.integrationTime)]
            }
            lines += [
                "        metric = " + mark(metric, metric == "diag_e"),
                "        metric_file = " + mark(o.metricFile ?? "", o.metricFile == nil),
                "        stepsize = " + mark(number(c.initialStepSize), c.initialStepSize == 1),
                "        stepsize_jitter = " + mark(number(c.stepSizeJitter), c.stepSizeJitter == 0),
            ]
        case .metropolis:
            // Not a CmdStan algorithm: random-walk Metropolis with an adapted proposal.
            lines += [
                "    algorithm = metropolis",
                "      metropolis",
                "        engine = rwm",
                "        proposal = \(metric)",
            ]
        case .fixedParam:
            // CmdStan's sampler for a model without parameters.
            lines += ["    algorithm = fixed_param"]
        }
        lines += [
            "    num_chains = " + mark("\(c.chains)", c.chains == 1),
            "id = \(chain + 1)",
            "data",
            "  file = " + mark(o.dataFiles.joined(separator: ","), o.dataFiles.isEmpty),
            "init = " + mark(o.initDescription, o.initDescription == "2"),
            "random",
            "  seed = \(result.seed)",
            "output",
            "  file = \(file)",
            "  diagnostic_file =  (Default)",
            "  refresh = " + mark("\(o.refresh)", o.refresh == 100),
            "  sig_figs = " + mark(o.sigFigs.map(String.init) ?? "-1", o.sigFigs == nil),
            "synm_version = \(synmVersion)",
        ]
        return lines
    }

    /// Whether the run adapted (and its files carry an adaptation block): not with
    /// `--warmup 0`, nor for fixed_param.
    static func adapts(_ c: SamplerConfiguration) -> Bool {
        c.warmup > 0 && c.sampler != .fixedParam
    }

    /// The sampler columns of the run's files: CmdStan's fixed_param sampler writes lp__ and
    /// accept_stat__ only; the others all seven.
    static func statColumns(_ c: SamplerConfiguration) -> Int {
        c.sampler == .fixedParam ? 2 : SamplerStats.columnNames.count
    }

    /// CmdStan's name of the run's metric: unit_e, diag_e or dense_e.
    static func metricName(_ c: SamplerConfiguration) -> String {
        !c.adaptation.adaptMetric ? "unit_e" : c.denseMetric ? "dense_e" : "diag_e"
    }

    /// CmdStan's adaptation block [Stan, mcmc_writer.hpp and the metrics' write_metric]:
    /// the step size, then "Diagonal elements of inverse mass matrix:" and one line (diag_e),
    /// "Elements of inverse mass matrix:" and one line per row (dense_e), or "No free
    /// parameters for unit metric" (unit_e); no metric for Metropolis.
    static func adaptation(_ w: inout DrawsCSVWriter, chain: ChainResult, configuration c: SamplerConfiguration) {
        if c.sampler == .metropolis {
            w.adaptation(stepSize: chain.stepSize, inverseMetricDiagonal: nil)
        } else if !c.adaptation.adaptMetric {
            w.adaptation(stepSize: chain.stepSize, inverseMetricDiagonal: nil)
            w.comment("No free parameters for unit metric")
        } else if let m = chain.denseInverseMetric {
            w.adaptation(stepSize: chain.stepSize, inverseMetricDiagonal: nil)
            w.comment("Elements of inverse mass matrix:")
            let d = chain.inverseMetric.count
            for i in 0..<d {
                w.comment(m[(i * d)..<((i + 1) * d)].map(DrawsCSVWriter.format).joined(separator: ", "))
            }
        } else {
            w.adaptation(stepSize: chain.stepSize, inverseMetricDiagonal: chain.inverseMetric)
        }
    }

    static func write(_ result: RunResult, prefix: String) throws {
        let c = result.sampling.configuration
        var files: [(String, String)] = []
        for (k, chain) in result.sampling.chains.enumerated() {
            var w = DrawsCSVWriter()
            w.significantDigits = result.output.sigFigs
            w.comments(configuration(result, chain: chain.chain, file: path(prefix: prefix, chain: k)))
            let stats = statColumns(c)
            w.header(Array(SamplerStats.columnNames.prefix(stats)) + result.names.dropFirst())
            // Saved warmup draws (save_warmup = 1) come before the adaptation block.
            if result.output.saveWarmup, result.warmupValues.indices.contains(k) {
                let columns = result.warmupValues[k]
                for d in 0..<chain.warmupStats.count {
                    var row = Array(chain.warmupStats[d].columns.prefix(stats))
                    for col in columns.dropFirst() { row.append(col[d]) }
                    w.row(row)
                }
            }
            if adapts(c) { adaptation(&w, chain: chain, configuration: c) }
            let columns = result.values[k]
            for d in 0..<chain.stats.count {
                var row = Array(chain.stats[d].columns.prefix(stats))
                for col in columns.dropFirst() { row.append(col[d]) }
                w.row(row)
            }
            w.timing(warmupSeconds: chain.warmupSeconds, samplingSeconds: chain.samplingSeconds)
            files.append((path(prefix: prefix, chain: k), w.text))
        }
        if !result.syntheticValues.isEmpty {
            // The synthetic rows the run used (generated from its seed, or a third party's),
            // so the run can be audited or repeated with the same rows.
            let doc = StanJSONData.encode(result.syntheticValues)
            files.append((syntheticPath(prefix: prefix), JSONWriter(style: .pretty).string(from: doc) + "\n"))
        }
        // The set is written whole or not at all: every file is staged before any replaces
        // its destination, so a failure leaves the previous run's files as they were.
        try writeFilesAtomically(files.map { (path: $0.0, text: $0.1) })
    }
}

extension DrawsOutput {
    /// Chain files of `prefix` that this run did not write: `BASE_k.csv` with k > chains (k
    /// written as `path(prefix:chain:)` writes it, no leading zeros), regular files only.
    /// Left from an earlier run with more chains, they would be read by `synm report P.csv`
    /// as chains of this one.
    static func leftovers(prefix: String, chains: Int) -> [String] {
        let base = prefix.hasSuffix(".csv") ? String(prefix.dropLast(4)) : prefix
        let url = URL(fileURLWithPath: base)
        let directory = url.deletingLastPathComponent().path
        let stem = url.lastPathComponent + "_"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [(Int, String)] = []
        for name in names where name.hasPrefix(stem) && name.hasSuffix(".csv") {
            let digits = name.dropFirst(stem.count).dropLast(4)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0",
                  let k = Int(digits), k > chains else { continue }
            let path = (prefix.contains("/") ? URL(fileURLWithPath: directory).appendingPathComponent(name).path : name)
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
                  type == .typeRegular else { continue }
            found.append((k, path))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Removes `leftovers(prefix:chains:)`; returns the paths removed.
    static func removeLeftovers(prefix: String, chains: Int) -> [String] {
        leftovers(prefix: prefix, chains: chains).filter { (try? FileManager.default.removeItem(atPath: $0)) != nil }
    }
}
