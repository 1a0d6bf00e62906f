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
        /// Whether `message` is already a whole located diagnostic (`FILE:LINE: error: …` and
        /// its hint, each line ending in a newline).
        var located = false

        /// What `synm COMMAND` prints.
        func text(command: String) -> String { located ? message : "synm \(command): error: \(message)\n" }
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

    /// `key = value` pairs of configuration comments, in order ("(Default)" removed; a value
    /// may be empty, as in CmdStan's `diagnostic_file =  (Default)`).
    static func configurationPairs(_ lines: [String]) -> [(String, String)] {
        lines.compactMap { line in
            var s = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            if s.hasSuffix("(Default)") { s = String(s.dropLast("(Default)".count)).trimmingCharacters(in: .whitespaces) }
            guard let eq = s.range(of: " =") else { return nil }
            let key = String(s[..<eq.lowerBound]).trimmingCharacters(in: .whitespaces)
            let value = String(s[eq.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else { return nil }
            return (key, value)
        }
    }

    /// The files must be chains of one run: each file once, the same columns, the same model,
    /// seed, `num_chains` and draws, distinct chain ids, and no more chains than a multi-chain
    /// run had.
    /// A leftover chain of an earlier run with the same prefix fails one of these.
    static func checkChainsOfOneRun(_ read: [StanCSVFile]) throws {
        let first = read[0]
        func refuse(_ f: StanCSVFile, line: Int?, _ message: String, hint: String) throws -> Never {
            throw ReadError(message: StanCSVFile.Failure(path: f.path, line: line, message: message, hint: hint).text, located: true)
        }
        let notOneRun = "the files given must be the chains of one run; a file left from an earlier run with the same prefix does not belong. Remove it, or name the chain files"
        var seen: [String: String] = [:]
        for f in read {
            let key = URL(fileURLWithPath: f.path).standardizedFileURL.resolvingSymlinksInPath().path
            if let earlier = seen[key] {
                try refuse(f, line: nil, "given twice (also as \(earlier))", hint: "name each chain's file once")
            }
            seen[key] = f.path
        }
        var ids: [String: String] = [:]
        for (i, f) in read.enumerated() {
            if i > 0, f.csv.names != first.csv.names {
                try refuse(f, line: f.headerLine, "its columns differ from \(first.path)'s", hint: notOneRun)
            }
            if i > 0, let m = f.model, let m0 = first.model, m != m0 {
                try refuse(f, line: f.configLine("model"), "model '\(m)', but \(first.path) is of model '\(m0)'", hint: notOneRun)
            }
            if i > 0, let s = f.seed, let s0 = first.seed, s != s0 {
                try refuse(f, line: f.configLine("seed"), "seed \(s), but \(first.path) has seed \(s0)",
                           hint: notOneRun + " (the chains of one run share its seed, each drawing its own stream by chain id)")
            }
            if i > 0, let n = f.value("num_chains"), let n0 = first.value("num_chains"), n != n0 {
                try refuse(f, line: f.configLine("num_chains"), "a chain of a \(n)-chain run, but \(first.path) is of a \(n0)-chain run",
                           hint: notOneRun)
            }
            if let id = f.chainID, let s = f.seed {
                if let other = ids[id + " " + s] {
                    try refuse(f, line: f.configLine("id"), "chain \(id) of the run with seed \(s), like \(other): one chain twice",
                               hint: "each chain of a run has its own id; name each chain's file once")
                }
                ids[id + " " + s] = f.path
            }
            if i > 0, f.csv.rowCount - f.savedWarmupRows != first.csv.rowCount - first.savedWarmupRows {
                try refuse(f, line: f.rowLines.last ?? f.headerLine,
                           "\(f.csv.rowCount - f.savedWarmupRows) draws, but \(first.path) has \(first.csv.rowCount - first.savedWarmupRows)",
                           hint: notOneRun)
            }
        }
        // num_chains = 1 (CmdStan's default) is also written by one process per chain, each
        // file unaware of its siblings: only a larger count bounds the files.
        if let n = first.value("num_chains").flatMap(Int.init), n > 1, read.count > n {
            try refuse(read[n], line: nil, "\(read.count) files, but \(first.path) is a chain of a \(n)-chain run", hint: notOneRun)
        }
    }

    init(files: [String], modelSource: String?, modelPath: String?, pairs: [String]?) throws {
        guard !files.isEmpty else { throw ReadError(message: "no draws files") }
        var read: [StanCSVFile] = []
        for f in files {
            do {
                read.append(try StanCSVFile.read(f))
            } catch {
                throw ReadError(message: error.text, located: true)
            }
        }
        try Self.checkChainsOfOneRun(read)
        let parsed = read.map(\.csv)
        let first = parsed[0]
        let configLines = read[0].configurationLines
        var config = read[0].configuration
        func value(_ key: String) -> String? { config.first { $0.0 == key }?.1 }
        let warmup = read[0].isFixedParam ? 0 : read[0].warmup
        let savedWarmup = read[0].savedWarmupRows
        let samplerName = read[0].isFixedParam ? "fixed_param" : value("engine") ?? value("algorithm") ?? "unknown"
        let sampler: SamplerKind? = read[0].isFixedParam ? nil : value("engine") == "nuts" ? .nuts : value("algorithm") == "hmc" ? .hmc
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
            + (warmup > 0 ? ", after warmup=\(warmup)" : "") + "; sampler=\(samplerName)"
        // Warnings, as `synm run` words them.
        var w: [String] = []
        let total = divergent.reduce(0) { $0 + $1.count }
        let nDiv = divergent.reduce(0) { $0 + $1.filter { $0 }.count }
        if nDiv > 0 {
            w.append(String(format: "%d of %d draws (%.1f%%) ended with a divergence; the results may be biased. Try --adapt-delta 0.95 or reparameterise (e.g. non-centred).",
                            nDiv, total, 100 * Double(nDiv) / Double(max(total, 1))))
        }
        if sampler == .nuts {
            let saturated = parsed.reduce(0) { $0 + ($1.column(named: "treedepth__") ?? []).dropFirst(savedWarmup).filter { $0 >= Double(maxDepth) }.count }
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
            + [("model", modelName), ("draws per chain", "\(draws)"), ("warmup", "\(warmup)"), ("sampler", samplerName)]
            + [("seed", value("seed") ?? "n/a"), ("data", value("file") ?? "n/a")]
        configurationText = configLines.joined(separator: "\n")
        self.modelSource = modelSource
        self.modelPath = modelPath
        self.pairs = pairs
    }
}
