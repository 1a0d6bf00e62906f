// The report's input from CmdStan-format CSV files (synm's or Stan's): the configuration
// comments (`key = value`, CmdStan's "(Default)" markers dropped), the sampler columns
// (divergent__, energy__, treedepth__), the quantities (`theta.1` shown as `theta[1]`), the
// step size and timing comments; warmup rows saved with save_warmup=1 are dropped. The
// warnings are those of `synm run`, computed from the files.
import Foundation
import SynmInference
import SynmIO
import SynmMath

extension DrawsReport {
    /// An error reading the files, with the file's path.
    struct ReadError: Error {
        var message: String
    }

    /// The chain files of a prefix: `P.csv` → P_1.csv, P_2.csv, … (as `synm run --output`
    /// and CmdStan write them); a file that exists itself is read alone.
    static func chainFiles(prefix: String) -> [String] {
        let fm = FileManager.default
        let base = prefix.hasSuffix(".csv") ? String(prefix.dropLast(4)) : prefix
        var files: [String] = []
        var k = 1
        while fm.fileExists(atPath: "\(base)_\(k).csv") {
            files.append("\(base)_\(k).csv")
            k += 1
        }
        if files.isEmpty, fm.fileExists(atPath: prefix) { files = [prefix] }
        return files
    }

    /// `key = value` pairs of configuration comments, in order ("(Default)" removed).
    static func configurationPairs(_ lines: [String]) -> [(String, String)] {
        lines.compactMap { line in
            var s = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            guard let eq = s.range(of: " = ") else { return nil }
            if s.hasSuffix("(Default)") { s = String(s.dropLast("(Default)".count)).trimmingCharacters(in: .whitespaces) }
            let key = String(s[..<eq.lowerBound]).trimmingCharacters(in: .whitespaces)
            let value = String(s[eq.upperBound...]).replacingOccurrences(of: "(Default)", with: "").trimmingCharacters(in: .whitespaces)
            return (key, value)
        }
    }

    init(files: [String], modelSource: String?, modelPath: String?, pairs: [String]?) throws {
        guard !files.isEmpty else { throw ReadError(message: "no draws files") }
        var parsed: [DrawsCSV] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { throw ReadError(message: "\(f): cannot read the file") }
            do {
                parsed.append(try DrawsCSV.parse(Array(data)))
            } catch {
                throw ReadError(message: "\(f): \(error)")
            }
        }
        let first = parsed[0]
        guard first.names.contains("lp__") else { throw ReadError(message: "\(files[0]): no lp__ column; not a CmdStan draws file") }
        for (f, p) in zip(files, parsed).dropFirst() where p.names != first.names {
            throw ReadError(message: "\(f): its columns differ from \(files[0])'s; the files are not chains of one run")
        }
        // Configuration: the comments before the adaptation block.
        func configurationLines(_ p: DrawsCSV) -> [String] {
            var lines: [String] = []
            for c in p.comments where c.rowsBefore == 0 {
                if c.text.contains("Adaptation terminated") || c.text.contains("Step size") { break }
                lines.append(c.text)
            }
            return lines
        }
        let configLines = configurationLines(first)
        var config = Self.configurationPairs(configLines)
        func value(_ key: String) -> String? { config.first { $0.0 == key }?.1 }
        let warmup = value("num_warmup").flatMap(Int.init) ?? 0
        let thin = max(1, value("thin").flatMap(Int.init) ?? 1)
        let savedWarmup = ["1", "true"].contains(value("save_warmup") ?? "0") ? (warmup + thin - 1) / thin : 0
        let sampler: SamplerKind = value("engine") == "nuts" ? .nuts : value("algorithm") == "hmc" ? .hmc
            : (value("algorithm") ?? "").contains("metropolis") || value("engine") == "rwm" ? .metropolis : .nuts
        let maxDepth = value("max_depth").flatMap(Int.init) ?? 10
        let samplerColumns = Set(SamplerStats.columnNames)
        let quantityColumns = first.names.indices.filter { !samplerColumns.contains(first.names[$0]) && !first.names[$0].hasSuffix("__") }
        let lpIndex = first.names.firstIndex(of: "lp__")!
        modelName = value("model") ?? URL(fileURLWithPath: files[0]).deletingPathExtension().lastPathComponent
        names = ["lp__"] + quantityColumns.map { Self.displayName(first.names[$0]) }
        values = parsed.map { p in
            ([lpIndex] + quantityColumns).map { Array(p.columns[$0].dropFirst(savedWarmup)) }
        }
        divergent = parsed.map { p in (p.column(named: "divergent__") ?? []).dropFirst(savedWarmup).map { $0 != 0 } }
        if parsed.allSatisfy({ $0.column(named: "energy__") != nil }) {
            let e = parsed.map { Array($0.column(named: "energy__")!.dropFirst(savedWarmup)) }
            energy = e.allSatisfy { $0.allSatisfy(\.isFinite) } ? e : nil
        } else {
            energy = nil
        }
        let columns = values
        summaries = names.indices.map { k in summarize(chains: columns.map { $0[k] }) }
        let draws = values.first?.first?.count ?? 0
        headline = "\(files.count) chain\(files.count == 1 ? "" : "s") read from \(files.count == 1 ? files[0] : "\(files[0]) … \(files[files.count - 1])"): \(draws) draws each"
            + (warmup > 0 ? ", after warmup=\(warmup)" : "") + "; sampler=\(value("engine") ?? value("algorithm") ?? "unknown")"
        // Warnings, as `synm run` words them.
        var w: [String] = []
        let total = divergent.reduce(0) { $0 + $1.count }
        let nDiv = divergent.reduce(0) { $0 + $1.filter { $0 }.count }
        if nDiv > 0 {
            w.append(String(format: "%d of %d draws (%.1f%%) ended with a divergence; the results may be biased. Try --adapt-delta 0.95 or reparameterise (e.g. non-centred).",
                            nDiv, total, 100 * Double(nDiv) / Double(max(total, 1))))
        }
        if sampler == .nuts {
            let saturated = parsed.reduce(0) { $0 + ($1.column(named: "treedepth__") ?? []).dropFirst(savedWarmup).filter { Int($0) >= maxDepth }.count }
            if saturated > 0 {
                w.append("\(saturated) of \(total) draws hit the maximum tree depth \(maxDepth); sampling is inefficient. Try --max-depth \(maxDepth + 2).")
            }
        }
        if let energy {
            for (k, e) in energyBFMI(chains: energy).enumerated() where e.isFinite && e < energyBFMIThreshold {
                w.append(String(format: "chain %d: E-BFMI = %.2f is below 0.3; the posterior may have heavy tails the sampler explores poorly.", k + 1, e))
            }
        }
        let badRhat = zip(names, summaries).dropFirst().filter { $0.1.rhat.isFinite && $0.1.rhat > 1.01 }.map(\.0)
        if !badRhat.isEmpty {
            w.append("R_hat > 1.01 for \(RunSummary.list(badRhat)); the chains have not mixed. Run longer chains or check the model.")
        }
        let threshold = 100.0 * Double(files.count)
        let lowESS = zip(names, summaries).dropFirst()
            .filter { ($0.1.essBulk.isFinite && $0.1.essBulk < threshold) || ($0.1.essTail.isFinite && $0.1.essTail < threshold) }
            .map(\.0)
        if !lowESS.isEmpty {
            w.append("bulk or tail ESS below \(Int(threshold)) (100 per chain) for \(RunSummary.list(lowESS)); estimates of the mean or quantiles may be unreliable. Run more draws.")
        }
        warnings = w
        // Per-chain rows from the adaptation and timing comments.
        let divergentPerChain = divergent.map { $0.filter { $0 }.count }
        chainRows = zip(files, parsed).enumerated().map { k, fp in
            let comments = fp.1.comments.map(\.text)
            func after(_ marker: String) -> String? {
                comments.first { $0.contains(marker) }.map { line in
                    String(line[line.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces)
                }
            }
            let step = after("Step size =") ?? "n/a"
            func seconds(_ phase: String) -> String {
                guard let line = comments.first(where: { $0.contains("(\(phase))") }) else { return "n/a" }
                let numbers = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "#" }).compactMap { Double($0) }
                return numbers.first.map { String(format: "%.3f s", $0) } ?? "n/a"
            }
            return ["\(k + 1)", step, seconds("Warm-up"), seconds("Sampling"), "\(divergentPerChain[k])"]
        }
        config.removeAll { $0.1.isEmpty }
        configuration = [("files", files.joined(separator: ", "))]
            + [("model", modelName), ("draws per chain", "\(draws)"), ("warmup", "\(warmup)"), ("sampler", value("engine") ?? value("algorithm") ?? "unknown")]
            + [("seed", value("seed") ?? "n/a"), ("data", value("file") ?? "n/a")]
        configurationText = configLines.joined(separator: "\n")
        self.modelSource = modelSource
        self.modelPath = modelPath
        self.pairs = pairs
    }
}
