// `synm merge FILES... [--json] [--report F.html] [--output P.csv]`: the shard files of one
// sharded `audit`, `sbc`, `reflect` or `run` (Shard.swift) back into the one result — the
// same table, JSON, report and (run) draws files as the unsharded run with the same seed,
// bit for bit but for the measured times. It first checks that the files belong together
// (the same command, synm version, model, data, seed, options and number of shards, each
// shard 1…n present once, none failed) and merges nothing otherwise (exit 65).
import Foundation
import SynmDiagnostics
import SynmIO

enum MergeCommand {
    /// One shard file, read and checked for the members every shard has.
    struct ShardFile {
        var path: String
        var json: JSONValue
        var command: String
        var index: Int
        var count: Int
        var reps: Int
        var seed: UInt64
        var failed: String?
        var replicates: [Int]
        var results: [JSONValue]
    }

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart.parse(args, command: "merge", flags: ["json", "help"], options: ["report", "output"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments): parsed = arguments
        }
        guard !parsed.positionals.isEmpty else {
            return Driver.usageError(UsageError("missing the shard FILES", hint: "give the files the shards of one study wrote, e.g. synm merge study.audit.shard-*.json"),
                                     command: "merge", console: console)
        }
        if let report = parsed.options["report"] {
            for p in parsed.positionals where OutputSafety.sameFile(report, p) {
                return Driver.usageError(UsageError("--report '\(report)' is the shard file '\(p)'; writing it would destroy an input",
                                                    hint: "choose another output path"), command: "merge", console: console)
            }
        }
        // --output's files (P_1.csv, …, P_synthetic.json) are checked once the number of chains is known.
        var files: [ShardFile] = []
        for path in parsed.positionals {
            switch read(path, console: console) {
            case .failure(let code): return code
            case .success(let f): files.append(f)
            }
        }
        if let code = verifyTogether(files, console: console) { return code }
        if parsed.options["output"] != nil, files[0].command != "run" {
            return Driver.usageError(UsageError("--output writes the draws files of run shards; these are \(files[0].command) shards",
                                                hint: "leave out --output"), command: "merge", console: console)
        }
        if let prefix = parsed.options["output"] {
            // A draws file may not overwrite a shard file.
            let outputs = (0..<files[0].reps).map { (option: "--output", path: DrawsOutput.path(prefix: prefix, chain: $0)) }
                + [(option: "--output", path: DrawsOutput.syntheticPath(prefix: prefix))]
            do {
                try OutputSafety.verify(outputs: outputs, inputs: files.map { (what: "the shard file", path: Optional($0.path)) })
            } catch let e as UsageError {
                return Driver.usageError(e, command: "merge", console: console)
            } catch { return .usage }
        }
        // Every replicate (run: chain) in order.
        let reps = files[0].reps
        var results = [JSONValue?](repeating: nil, count: reps)
        for f in files {
            for (r, v) in zip(f.replicates, f.results) { results[r - 1] = v }
        }
        let all = results.map { $0! }
        let first = files[0]
        do throws(ShardFormatError) {
            let context = try first.json.require("context")
            switch first.command {
            case "audit":
                let (report, source, path) = try AuditShard.report(context: context, seed: first.seed, reps: reps, results: all)
                return AuditCommand.emit(report, json: parsed.flags.contains("json"), reportPath: parsed.options["report"],
                                         modelSource: source, modelPath: path, console: console, command: "merge")
            case "sbc":
                if parsed.options["report"] != nil {
                    return Driver.usageError(UsageError("sbc has no --report page", hint: "leave out --report"), command: "merge",
                                             console: console)
                }
                let report = try SbcShard.report(context: context, seed: first.seed, results: all)
                console.out.write(parsed.flags.contains("json") ? report.json() + "\n" : report.text())
                return .ok
            case "run":
                let outputPrefix = parsed.options["output"]
                var wall = 0.0
                for f in files {
                    guard let w = f.json["wall_seconds"].flatMap(ShardNumber.decode) else {
                        throw ShardFormatError(message: "no 'wall_seconds'")
                    }
                    wall = max(wall, w)
                }
                let (result, source, path, dataPath, setup) = try RunShard.result(context: context, seed: first.seed,
                                                                                  results: all, wallSeconds: wall,
                                                                                  shards: files.count)
                // The warnings the run printed while preparing the model, as every shard did.
                console.err.write(setup)
                return RunCommand.emit(result, json: parsed.flags.contains("json"), outputPrefix: outputPrefix,
                                       reportPath: parsed.options["report"], modelSource: source, modelPath: path,
                                       dataPath: dataPath, console: console, command: "merge")
            case "reflect":
                let (result, source, path) = try ReflectShard.result(context: context, seed: first.seed, results: all)
                return ReflectCommand.emit(ReflectReport(result: result), json: parsed.flags.contains("json"),
                                           reportPath: parsed.options["report"], modelSource: source, modelPath: path,
                                           console: console, command: "merge")
            default:
                return .modelError  // refused by `read`
            }
        } catch {
            console.err.write("\(first.path): error: not a synm shard file: \(error.message)\n")
            console.err.write("hint: run the shard again; nothing was merged\n")
            return .modelError
        }
    }

    /// Reads and parses one file: 66 when it cannot be read, 65 when it is not a shard file.
    static func read(_ path: String, console: Console) -> Result<ShardFile, ExitCode> {
        let bytes: [UInt8]
        switch InputFile.read(path) {
        case .failure(let reason):
            console.err.write("synm merge: error: cannot read \(path): \(reason)\n")
            return .failure(.noInput)
        case .success(let d): bytes = [UInt8](d)
        }
        func corrupt(_ message: String, at location: String = "") -> Result<ShardFile, ExitCode> {
            console.err.write("\(path)\(location): error: not a synm shard file: \(message)\n")
            console.err.write("hint: the file is damaged or was not written by `synm audit|sbc|reflect|run --shard`; run that shard again; nothing was merged\n")
            return .failure(.modelError)
        }
        let json: JSONValue
        do {
            json = try JSONParser().parse(bytes)
        } catch {
            return corrupt(error.message, at: ":\(error.line):\(error.column)")
        }
        do throws(ShardFormatError) {
            guard (try? json.requireInt("synm_shard")) == 1 else { return corrupt("no 'synm_shard': 1") }
            let command = try json.requireString("command")
            guard ["audit", "sbc", "reflect", "run"].contains(command) else { return corrupt("command '\(command)' cannot be merged") }
            let shard = try json.require("shard")
            let index = try shard.requireInt("index"), count = try shard.requireInt("count")
            let unit = ShardRun.unit(command)
            let reps = try json.requireInt(ShardRun.countKey(command))
            guard count >= 1, index >= 1, index <= count, count <= reps else {
                return corrupt("shard \(index)/\(count) of \(reps) \(unit) is impossible")
            }
            guard let seed = UInt64(try json.requireString("seed")) else { return corrupt("'seed' is not a whole number") }
            _ = try json.requireString("model_hash")
            _ = try json.requireString("data_hash")
            _ = try json.require("options")
            _ = try json.require("context")
            let status = try json.requireString("status")
            var failed: String?
            if status == "failed" {
                failed = json["error"]?.stringValue ?? "no reason given"
            } else if status != "ok" {
                return corrupt("'status' is '\(status)'")
            }
            let listKey = ShardRun.listKey(command)
            let replicates = try json.requireArray(listKey).map { v throws(ShardFormatError) in
                guard let d = v.doubleValue, let r = Int(exactly: d) else {
                    throw ShardFormatError(message: "'\(listKey)' holds a value that is not a whole number")
                }
                return r
            }
            let expected = ShardSpec(index: index, count: count).replicates(of: reps).map { $0 + 1 }
            guard replicates == expected else {
                return corrupt("shard \(index)/\(count) lists other \(unit) than its own (\(expected.count) from \(index) in steps of \(count))")
            }
            let results = try json.requireArray("results")
            if failed == nil, results.count != replicates.count {
                return corrupt("\(results.count) results for \(replicates.count) \(unit)")
            }
            return .success(ShardFile(path: path, json: json, command: command, index: index, count: count, reps: reps,
                                      seed: seed, failed: failed, replicates: replicates, results: results))
        } catch {
            return corrupt(error.message)
        }
    }

    /// nil when the files are the shards 1…n of one study, each once, none failed; else the
    /// error printed and 65.
    static func verifyTogether(_ files: [ShardFile], console: Console) -> ExitCode? {
        let first = files[0]
        func refuse(_ message: String, _ hint: String) -> ExitCode {
            console.err.write("synm merge: error: \(message)\n")
            console.err.write("hint: \(hint); nothing was merged\n")
            return .modelError
        }
        let label = { (f: ShardFile) in "\(f.path) (shard \(f.index)/\(f.count))" }
        // The members that must agree, in the order a difference is reported.
        let members: [(key: String, what: String)] = [
            ("command", "the command differs"), ("synm_version", "the synm version differs"),
            ("model_hash", "the model (hash of the model file) differs"), ("data_hash", "the data (hash of the data files) differ"),
            ("seed", "the seed differs"), ("options", "the options that change results differ"),
            (ShardRun.countKey(first.command), "the number of \(ShardRun.unit(first.command)) differs"),
            ("shard", "the number of shards differs"),
            ("context", first.command == "run" ? "the setup (the model's columns, the sampler or the synthetic data) differs"
                : "the setup (the point, footings or design) differs"),
        ]
        for f in files.dropFirst() {
            for (key, what) in members where key != "context" || (first.failed == nil && f.failed == nil) {
                var a = first.json[key] ?? .null, b = f.json[key] ?? .null
                if key == "shard" {
                    a = .integer(first.count)
                    b = .integer(f.count)
                }
                guard a != b else { continue }
                func show(_ v: JSONValue) -> String {
                    let s = JSONWriter().string(from: v)
                    return s.count > 80 ? String(s.prefix(77)) + "..." : s
                }
                let detail = key == "context" ? "" : ": \(show(b)) against \(show(a))"
                return refuse("\(label(f)) does not belong with \(label(first)): \(what)\(detail)",
                              "merge only the shards of one study, run with the same command, model, data, seed and options")
            }
        }
        let n = first.count
        var byIndex: [Int: [ShardFile]] = [:]
        for f in files { byIndex[f.index, default: []].append(f) }
        let duplicated = byIndex.keys.sorted().filter { byIndex[$0]!.count > 1 }
        if !duplicated.isEmpty {
            let list = duplicated.map { i in "shard \(i) of \(n) (\(byIndex[i]!.map(\.path).joined(separator: ", ")))" }
            return refuse("given twice: " + list.joined(separator: "; "), "give each shard's file once")
        }
        let missing = (1...n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            return refuse("\(missing.count == 1 ? "shard" : "shards") \(numberList(missing)) of \(n) \(missing.count == 1 ? "is" : "are") missing",
                          "run the missing \(missing.count == 1 ? "shard" : "shards") (--shard \(missing[0])/\(n)…) and merge every file")
        }
        let failed = files.filter { $0.failed != nil }.sorted { $0.index < $1.index }
        if !failed.isEmpty {
            for f in failed { console.err.write("synm merge: error: shard \(f.index) of \(n) failed (\(f.path)): \(f.failed!)\n") }
            console.err.write("hint: fix the cause and run \(failed.count == 1 ? "that shard" : "those shards") again; nothing was merged\n")
            return .modelError
        }
        return nil
    }

    /// "3", "3 and 5", "2, 3 and 5".
    static func numberList(_ n: [Int]) -> String {
        let s = n.map(String.init)
        return s.count == 1 ? s[0] : s.dropLast().joined(separator: ", ") + " and " + s.last!
    }
}
