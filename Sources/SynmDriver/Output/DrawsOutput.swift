// Draws files: `--output draws.csv` writes draws_1.csv, draws_2.csv, … in CmdStan's CSV
// format (configuration comments, the seven sampler columns, `theta.1` names, the adaptation
// block, timing), so ArviZ and cmdstanpy read them unchanged. Every file is prepared first
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

    static func write(_ result: RunResult, prefix: String, prepared: PreparedModel) throws {
        let c = result.sampling.configuration
        var files: [(String, String)] = []
        for (k, chain) in result.sampling.chains.enumerated() {
            var w = DrawsCSVWriter()
            w.comments([
                "model = \(result.modelName)",
                "method = sample (Default)",
                "  sample",
                "    num_samples = \(c.draws)",
                "    num_warmup = \(c.warmup)",
                "    algorithm = \(c.sampler == .metropolis ? "metropolis" : c.sampler == .fixedParam ? "fixed_param" : "hmc")",
                "      engine = \(c.sampler == .nuts ? "nuts" : c.sampler == .hmc ? "static" : "rwm")",
                "        max_depth = \(c.maxDepth)",
                "      metric = diag_e",
                "    adapt",
                "      delta = \(c.adaptDelta)",
                "id = \(chain.chain + 1)",
                "data",
                "  file = \(prepared.dataPath ?? "")",
                "random",
                "  seed = \(result.seed)",
                "output",
                "  file = \(path(prefix: prefix, chain: k))",
                "synm_version = \(synmVersion)",
            ])
            w.header(SamplerStats.columnNames + result.names.dropFirst())
            w.adaptation(stepSize: chain.stepSize,
                         inverseMetricDiagonal: c.sampler == .metropolis ? nil : chain.inverseMetric)
            let columns = result.values[k]
            for d in 0..<chain.stats.count {
                var row = chain.stats[d].columns
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
