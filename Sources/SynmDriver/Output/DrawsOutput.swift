// Draws files: `--output draws.csv` writes draws_1.csv, draws_2.csv, … in CmdStan's CSV
// format (configuration comments, the seven sampler columns, `theta.1` names, the adaptation
// block, timing), so ArviZ and cmdstanpy read them unchanged. Every file is prepared first
// and each is written whole or not at all (temporary file, then rename).
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
                "    algorithm = \(c.sampler == .metropolis ? "metropolis" : "hmc")",
                "      engine = \(c.sampler == .nuts ? "nuts" : c.sampler == .hmc ? "static" : "rwm")",
                "        max_depth = \(c.maxDepth)",
                "      metric = diag_e",
                "    adapt",
                "      delta = \(c.adaptDelta)",
                "    num_chains = \(c.chains)",
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
        // The set is written whole or not at all: when one file fails, the ones this call
        // already wrote are removed, so a run never leaves some chains' files behind.
        var written: [String] = []
        do {
            for (p, text) in files {
                try writeFileAtomically(text, to: p)
                written.append(p)
            }
        } catch {
            for p in written { try? FileManager.default.removeItem(atPath: p) }
            throw error
        }
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
