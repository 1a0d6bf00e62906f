// Sharded studies: `--shard i/n` on `audit`, `sbc` and `reflect` computes only shard i's replicates,
// on `run` only shard i's chains, and writes a self-describing partial result file; `synm
// merge` (MergeCommand) checks that the shards belong together and rebuilds the unsharded
// output from them.
//
// Run shards: chain k's draws come from stream k of the seed (docs/ARCHITECTURE.md,
// Determinism) and from the decisions taken where the HMC/NUTS chains meet after the first
// warmup stage (Sources/SynmInference/README.md, "Stranded chains"), which read every chain.
// So a run shard runs that first stage (75 iterations) of every chain and takes the whole
// run's restart decisions, then goes on with its own chains only (SamplerConfiguration's
// onlyChains). Its file is RunShard's.
//
// Which replicates: shard i of n takes the replicates r (counted from 1) with
// r ≡ i (mod n) — i, i + n, i + 2n, … — so shards get replicates from the whole run and,
// when the cost of a replicate drifts with r, about the same amount of work. Replicate r's
// random draws come from (seed, r) alone (docs/ARCHITECTURE.md, Determinism), so a replicate
// computed in a shard is bit for bit the one the unsharded run computes, and the merged
// output equals the unsharded output.
//
// The file (JSON, written whole or not at all by SynmIO's writeFileAtomically):
//   synm_shard      format version (1)
//   command         "audit", "sbc" or "reflect"
//   synm_version    the synm that wrote it
//   model_hash      FNV-1a 64 of the model file's bytes, 16 hex digits
//   data_hash       FNV-1a 64 of the data files' bytes (in order, each preceded by its
//                   length), or "embedded" when the data are the model's defaults
//   seed            the seed
//   options         every option that changes results, with its effective value; file
//                   options (--params, --truth) by the FNV-1a 64 of their bytes
//   shard           {"index": i, "count": n}
//   reps            the total number of replicates of the study (run: "chains", the
//                   run's number of chains)
//   status          "ok", or "failed" with "error": the shard ran but could not finish
//   context         what the report prints that is fixed before the replicates (the point,
//                   the variants, the design lines, the model's name and text)
//   replicates      the replicate numbers (from 1) this shard computed, ascending (run:
//                   "chain_numbers", the chains it computed)
//   results         per replicate, its raw results (audit: per variant estimate, se,
//                   failure, message; sbc: the rank of each parameter element; reflect:
//                   each update's summaries, histograms and importance weights; run: per
//                   chain its draws and sampler columns, adapted step size and metric,
//                   restarts and times, RunShard)
//   wall_seconds    run only: the shard's wall-clock seconds of sampling
import Foundation
import SynmDiagnostics
import SynmIO

/// `--shard i/n`: this is shard `index` (1…count) of `count`.
struct ShardSpec: Equatable {
    var index: Int
    var count: Int

    /// Parses `i/n` with 1 ≤ i ≤ n; `reps` bounds n (a shard with no replicate is refused).
    /// `unit` names what is split ("replicates", "chains") and `countOption` the option
    /// that sets their number.
    init(_ text: String, reps: Int, unit: String = "replicates", countOption: String = "--reps") throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else {
            throw UsageError("--shard takes i/n with 1 ≤ i ≤ n, got '\(text)'",
                             hint: "e.g. --shard 3/10 for the third of ten shards (in a Slurm array: --shard $SLURM_ARRAY_TASK_ID/10)")
        }
        guard n <= reps else {
            throw UsageError("--shard \(text): \(n) shards for \(reps) \(unit) would leave shards with nothing to do",
                             hint: "use at most \(reps) shards, or raise \(countOption)")
        }
        index = i
        count = n
    }

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// The replicates of this shard, counted from 0: r with r mod n = i − 1.
    func replicates(of reps: Int) -> [Int] {
        Array(stride(from: index - 1, to: reps, by: count))
    }

    var description: String { "\(index)/\(count)" }
}

/// FNV-1a, 64 bits (Fowler, Noll & Vo; the offset basis and prime of the 64-bit variant).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01B3
        }
    }

    static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = FNV1a64()
        h.add(bytes)
        return h.value
    }

    /// 16 lowercase hex digits.
    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// The shard options of a command, and what a shard file holds besides its results.
struct ShardRun {
    var spec: ShardSpec
    /// Where the file goes.
    var output: String
    var command: String
    var modelHash: String
    var dataHash: String
    var seed: UInt64
    var options: [JSONMember]
    var reps: Int

    /// The members holding the total and this shard's numbers.
    static func countKey(_ command: String) -> String { command == "run" ? "chains" : "reps" }
    static func listKey(_ command: String) -> String { command == "run" ? "chain_numbers" : "replicates" }
    /// What the shards split: replicates, or the chains of `run`.
    static func unit(_ command: String) -> String { command == "run" ? "chains" : "replicates" }

    /// Reads `--shard` and `--shard-output`; nil when the command is not sharded.
    /// `needsSeed`: the command draws a random seed when none is given (sbc), so the shards
    /// would not share one.
    static func parse(_ parsed: Arguments, command: String, reps: Int, needsSeed: Bool = false) throws -> ShardSpec? {
        let what = Self.unit(command)
        guard let text = parsed.options["shard"] else {
            if parsed.options["shard-output"] != nil {
                throw UsageError("--shard-output needs --shard i/n", hint: "the file is the partial result of one shard")
            }
            return nil
        }
        let spec = try ShardSpec(text, reps: reps, unit: what, countOption: command == "run" ? "--chains" : "--reps")
        if needsSeed, parsed.options["seed"] == nil {
            throw UsageError("--shard needs --seed S", hint: "every shard of a study must draw from the same seed; without one each would draw its own")
        }
        if parsed.options["report"] != nil {
            throw UsageError("--report is not written by a shard", hint: "give --report to synm merge, which has every \(what == "chains" ? "chain" : "replicate")")
        }
        return spec
    }

    /// The default file name: MODEL.COMMAND.shard-I-of-N.json in the current directory.
    static func defaultOutput(model: String, command: String, spec: ShardSpec) -> String {
        var base = URL(fileURLWithPath: model).lastPathComponent
        if base.hasSuffix(".synm") { base = String(base.dropLast(5)) }
        return "\(base).\(command).shard-\(spec.index)-of-\(spec.count).json"
    }

    /// The model's hash.
    static func modelHash(_ bytes: [UInt8]) -> String { FNV1a64.hex(FNV1a64.hash(bytes)) }

    /// The hash of the data files, in order; "embedded" without files.
    static func dataHash(_ paths: [String]) -> String {
        guard !paths.isEmpty else { return "embedded" }
        var h = FNV1a64()
        for p in paths {
            let bytes = [UInt8](FileManager.default.contents(atPath: p) ?? Data())
            h.add(withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { Array($0) })
            h.add(bytes)
        }
        return FNV1a64.hex(h.value)
    }

    /// The hash of an option's file (--params, --truth).
    static func fileHash(_ path: String) -> String {
        FNV1a64.hex(FNV1a64.hash([UInt8](FileManager.default.contents(atPath: path) ?? Data())))
    }

    /// The file's text: header, context, the replicates and their results.
    func document(context: JSONValue, replicates: [Int], results: [JSONValue], error: String? = nil,
                  extra: [JSONMember] = []) -> String {
        var members: [JSONMember] = [
            JSONMember("synm_shard", .integer(1)),
            JSONMember("command", .string(command)),
            JSONMember("synm_version", .string(synmVersion)),
            JSONMember("model_hash", .string(modelHash)),
            JSONMember("data_hash", .string(dataHash)),
            JSONMember("seed", .string(String(seed))),
            JSONMember("options", .object(options)),
            JSONMember("shard", .object([JSONMember("index", .integer(spec.index)), JSONMember("count", .integer(spec.count))])),
            JSONMember(Self.countKey(command), .integer(reps)),
            JSONMember("status", .string(error == nil ? "ok" : "failed")),
        ]
        if let error { members.append(JSONMember("error", .string(error))) }
        members += [
            JSONMember("context", context),
            JSONMember(Self.listKey(command), .array(replicates.map { .integer($0 + 1) })),
            JSONMember("results", .array(results)),
        ] + extra
        return JSONWriter(style: .pretty).string(from: .object(members)) + "\n"
    }

    /// Writes the file whole or not at all and says so; 73 when it cannot be written.
    func write(context: JSONValue, replicates: [Int], results: [JSONValue], error: String? = nil,
               extra: [JSONMember] = [], console: Console) -> ExitCode {
        do {
            try writeFileAtomically(document(context: context, replicates: replicates, results: results, error: error,
                                             extra: extra),
                                    to: output)
        } catch {
            console.err.write("synm \(command): error: cannot write the shard file \(output): \(error.message)\n")
            return .cannotCreate
        }
        if error == nil {
            console.out.write("shard \(spec.description): \(replicates.count) of \(reps) \(Self.unit(command)) written to \(output)\n")
            console.out.write("when every shard is done: synm merge FILES... (the files of shards 1 to \(spec.count))\n")
        }
        return .ok
    }
}

/// Doubles in shard files: finite values as JSON numbers (shortest round trip, so they read
/// back bit for bit), non-finite ones as Stan's strings "inf", "-inf", "NaN".
enum ShardNumber {
    static func encode(_ x: Double) -> JSONValue { .real(x) }

    static func decode(_ v: JSONValue) -> Double? {
        if let d = v.doubleValue { return d }
        switch v.stringValue {
        case "NaN"?: return .nan
        case "inf"?: return .infinity
        case "-inf"?: return -.infinity
        default: return nil
        }
    }
}

extension ShardRun {
    /// The shard run of `command` on a prepared model: its output file (--shard-output, else
    /// the default name), the model's and data's hashes, and the options that change results.
    init(_ spec: ShardSpec, command: String, parsed: Arguments, prepared: PreparedModel, seed: UInt64,
         options: [JSONMember], reps: Int) {
        self.init(spec: spec,
                  output: parsed.options["shard-output"]
                      ?? ShardRun.defaultOutput(model: parsed.positionals[0], command: command, spec: spec),
                  command: command, modelHash: ShardRun.modelHash(prepared.loaded.file.bytes),
                  dataHash: ShardRun.dataHash(prepared.dataPaths), seed: seed, options: options, reps: reps)
    }
}
