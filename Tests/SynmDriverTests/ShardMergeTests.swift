// Sharded studies: `audit`/`sbc --shard i/n` and `synm merge` (SynmDriver/Shards). The merged
// output must be the unsharded output with the same seed, byte for byte (text, --json and
// --report), and every way shards can fail to belong together is refused by name with 65.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct ShardMergeTests {
    let h = InfoHarness()

    static let twenty: [Double] = (0..<20).map { k in Foundation.sin(Double(k) * 1.3) * 1.5 + 0.5 }

    func data(_ y: [Double]) -> String { "{\"y\": [\(y.map { "\($0)" }.joined(separator: ", "))]}" }

    /// A normal model with bootstrap rows (so the audit has cap and calibrated variants).
    var syntheticModel: String {
        h.model("boot", """
            data y: real[n]
            synthetic yb: real[40] = bootstrap(y)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yb ~ normal(mu, sigma) footing power(0.5)
            """, data: data(Self.twenty))
    }

    /// The cheapest audit: real data only (two variants, no calibration).
    func plainModel(_ name: String = "plain", comment: String = "") -> String {
        h.model(name, """
            data y: real[n]\(comment)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            """, data: data(Self.twenty))
    }

    @Test func auditMergedIsTheUnshardedRunByteForByte() throws {
        let args = ["audit", syntheticModel, "--reps", "10", "--seed", "5"]
        let whole = h.run(args + ["--json"])
        try #require(whole.code == 0, "\(whole.err)")
        let wholeText = h.run(args + ["--threads", "2", "--report", h.dir.appendingPathComponent("whole.html").path])
        try #require(wholeText.code == 0)
        // Three shards of 4, 3 and 3 replicates, one thread each, given out of order.
        let files = try h.shards(args + ["--threads", "1"], 3, prefix: "audit")
        let merged = h.run(["merge", files[2], files[0], files[1], "--json"])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(merged.out == whole.out)
        #expect(merged.err == whole.err)
        let mergedText = h.run(["merge"] + files + ["--report", h.dir.appendingPathComponent("merged.html").path])
        #expect(mergedText.code == 0)
        #expect(mergedText.out == wholeText.out)
        let a = try String(contentsOf: h.dir.appendingPathComponent("whole.html"), encoding: .utf8)
        let b = try String(contentsOf: h.dir.appendingPathComponent("merged.html"), encoding: .utf8)
        #expect(a == b)
        // The shard file says what it holds.
        let doc = try JSONParser().parse(try String(contentsOfFile: files[1], encoding: .utf8))
        #expect(doc["command"]?.stringValue == "audit")
        #expect(doc["shard"]?["index"]?.doubleValue == 2 && doc["shard"]?["count"]?.doubleValue == 3)
        #expect(doc["replicates"]?.arrayValue?.compactMap(\.doubleValue) == [2, 5, 8])
        #expect(doc["results"]?.arrayValue?.first?.arrayValue?.count == 5)  // one fit per footing variant
        #expect(doc["model_hash"]?.stringValue?.count == 16)
    }

    @Test func sbcMergedIsTheUnshardedRunByteForByte() throws {
        let model = h.model("sbcm", """
            param mu: real
            data y: real[5]
            mu ~ normal(0, 1)
            y ~ normal(mu, 1)
            """, data: "{\"y\": [0, 0, 0, 0, 0]}")
        let args = ["sbc", model, "--reps", "6", "--seed", "3", "--warmup", "40", "--draws", "99"]
        let whole = h.run(args + ["--threads", "2", "--json"])
        try #require(whole.code == 0, "\(whole.err)")
        let wholeText = h.run(args)
        let files = try h.shards(args + ["--threads", "1"], 2, prefix: "sbc")
        let merged = h.run(["merge", files[1], files[0], "--json"])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(merged.out == whole.out)
        #expect(h.run(["merge"] + files).out == wholeText.out)
    }

    @Test func reflectMergedIsTheUnshardedRunByteForByte() throws {
        let model = h.model("refl", """
            data y: real[n]
            param mu: real
            mu ~ normal(0, 10)
            y ~ normal(mu, 1)
            """, data: data(Self.twenty))
        let args = ["reflect", model, "--synthetic-n", "5", "--reps", "6", "--seed", "3", "--chains", "2", "--warmup", "100",
                    "--draws", "200"]
        let whole = h.run(args + ["--threads", "2", "--json"])
        try #require(whole.code == 0, "\(whole.err)")
        let wholeText = h.run(args + ["--report", h.dir.appendingPathComponent("rwhole.html").path])
        let files = try h.shards(args + ["--threads", "1"], 3, prefix: "reflect")
        let merged = h.run(["merge", files[1], files[2], files[0], "--json"])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(merged.out == whole.out)
        #expect(h.run(["merge"] + files + ["--report", h.dir.appendingPathComponent("rmerged.html").path]).out == wholeText.out)
        let a = try String(contentsOf: h.dir.appendingPathComponent("rwhole.html"), encoding: .utf8)
        let b = try String(contentsOf: h.dir.appendingPathComponent("rmerged.html"), encoding: .utf8)
        #expect(a == b)
        let steps = h.run(args + ["--steps", "3", "--shard", "1/2"])
        #expect(steps.code == 64 && steps.err.contains("--shard does not split --steps paths"))
    }

    @Test func fnv1a64MatchesPublishedValues() {
        // Test vectors of the FNV reference (Noll, "FNV hash", isthe.com/chongo/tech/comp/fnv).
        #expect(FNV1a64.hash([UInt8]()) == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a64.hash(Array("a".utf8)) == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a64.hash(Array("foobar".utf8)) == 0x8594_4171_F739_67E8)
        #expect(FNV1a64.hex(0xAB) == "00000000000000ab")
    }

    // MARK: - What merge refuses

    var plainArgs: [String] { ["audit", plainModel(), "--reps", "6", "--seed", "2"] }

    func refused(_ files: [String], code: Int32 = 65, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let r = h.run(["merge"] + files)
        #expect(r.code == code, "\(r.err)", sourceLocation: sourceLocation)
        #expect(r.out.isEmpty, sourceLocation: sourceLocation)
        return r.err
    }

    @Test func missingShardIsNamed() throws {
        let f = try h.shards(plainArgs, 3, prefix: "m")
        let err = refused([f[0], f[2]])
        #expect(err.contains("synm merge: error: shard 2 of 3 is missing"))
        #expect(err.contains("nothing was merged"))
        #expect(refused([f[0]]).contains("shards 2 and 3 of 3 are missing"))
    }

    @Test func duplicatedShardIsNamed() throws {
        let f = try h.shards(plainArgs, 2, prefix: "d")
        let copy = h.dir.appendingPathComponent("copy.json").path
        try FileManager.default.copyItem(atPath: f[0], toPath: copy)
        let err = refused([f[0], f[1], copy])
        #expect(err.contains("given twice: shard 1 of 2 (\(f[0]), \(copy))"))
        #expect(refused([f[0], f[1], f[1]]).contains("given twice: shard 2 of 2 (\(f[1]), \(f[1]))"))
    }

    @Test func mismatchedSeedModelDataOptionsAreRefused() throws {
        let base = try h.shard(plainArgs, 1, 2, name: "base.json")
        let seed = try h.shard(["audit", plainModel(), "--reps", "6", "--seed", "3"], 2, 2, name: "seed.json")
        #expect(refused([base, seed]).contains("\(seed) (shard 2/2) does not belong with \(base) (shard 1/2): the seed differs: \"3\" against \"2\""))
        let model = try h.shard(["audit", plainModel("plain2", comment: "  # another model"), "--reps", "6", "--seed", "2"], 2, 2,
                              name: "model.json")
        #expect(refused([base, model]).contains("the model (hash of the model file) differs"))
        let otherData = h.file("other.json", data(Self.twenty.map { $0 + 1 }))
        let dataShard = try h.shard(plainArgs + ["--data", otherData], 2, 2, name: "data.json")
        #expect(refused([base, dataShard]).contains("the data (hash of the data files) differ"))
        let point = h.file("point.json", "{\"mu\": 0.5, \"sigma\": 1}")
        let options = try h.shard(plainArgs + ["--params", point], 2, 2, name: "options.json")
        #expect(refused([base, options]).contains("the options that change results differ"))
        let reps = try h.shard(["audit", plainModel(), "--reps", "8", "--seed", "2"], 2, 2, name: "reps.json")
        #expect(refused([base, reps]).contains("does not belong with"))
        let count = try h.shard(plainArgs, 2, 3, name: "count.json")
        #expect(refused([base, count]).contains("the number of shards differs: 3 against 2"))
        let sbcModel = h.model("s", "param mu: real\nmu ~ normal(0, 1)\n")
        let sbc = try h.shard(["sbc", sbcModel, "--reps", "6", "--seed", "2", "--warmup", "20", "--draws", "99"], 2, 2,
                            name: "sbc.json")
        #expect(refused([base, sbc]).contains("the command differs: \"sbc\" against \"audit\""))
    }

    @Test func failedShardIsNamed() throws {
        let f = try h.shards(plainArgs, 3, prefix: "f")
        // A shard whose replicates failed writes status "failed" and its error (SbcCommand).
        var text = try String(contentsOfFile: f[1], encoding: .utf8)
        text = text.replacingOccurrences(of: "\"status\": \"ok\"", with: "\"status\": \"failed\",\n  \"error\": \"replicate 2: boom\"")
        try text.write(toFile: f[1], atomically: true, encoding: .utf8)
        let err = refused(f)
        #expect(err.contains("synm merge: error: shard 2 of 3 failed (\(f[1])): replicate 2: boom"))
    }

    @Test func corruptAndUnreadableFilesAreRefused() throws {
        let f = try h.shards(plainArgs, 2, prefix: "c")
        let text = try String(contentsOfFile: f[1], encoding: .utf8)
        let truncated = h.file("truncated.json", String(text.prefix(text.count / 2)))
        let err = refused([f[0], truncated])
        #expect(err.hasPrefix("\(truncated):"))
        #expect(err.contains(": error: not a synm shard file:"))
        let alien = h.file("alien.json", "{\"y\": [1, 2]}")
        #expect(refused([f[0], alien]).contains("\(alien): error: not a synm shard file: no 'synm_shard': 1"))
        let moved = h.file("moved.json", text.replacingOccurrences(of: "\"replicates\": [\n    2,", with: "\"replicates\": [\n    1,"))
        #expect(refused([f[0], moved]).contains("lists other replicates than its own"))
        let short = h.file("short.json", text.replacingOccurrences(of: "\"estimate\": [", with: "\"estimate\": [\"x\", "))
        #expect(refused([f[0], short]).contains("not a synm shard file: 'estimate' holds a value that is not a number"))
        #expect(refused([f[0], h.dir.appendingPathComponent("none.json").path], code: 66).contains("no such file"))
    }

    @Test func shardUsageErrors() throws {
        let m = plainModel()
        for (args, message) in [
            (["--shard", "0/3"], "--shard takes i/n with 1 ≤ i ≤ n, got '0/3'"),
            (["--shard", "4/3"], "--shard takes i/n"),
            (["--shard", "3"], "--shard takes i/n"),
            (["--shard", "1/7"], "7 shards for 6 replicates"),
            (["--shard-output", "x.json"], "--shard-output needs --shard i/n"),
            (["--shard", "1/2", "--report", "r.html"], "--report is not written by a shard"),
        ] {
            let r = h.run(["audit", m, "--reps", "6"] + args)
            #expect(r.code == 64, "\(args)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
        }
        let sbc = h.run(["sbc", m, "--reps", "6", "--shard", "1/2"])
        #expect(sbc.code == 64 && sbc.err.contains("--shard needs --seed S"))
        let merge = h.run(["merge"])
        #expect(merge.code == 64 && merge.err.contains("missing the shard FILES"))
        // The shard file may not overwrite an input.
        let over = h.run(["audit", m, "--reps", "6", "--shard", "1/2", "--shard-output", m])
        #expect(over.code == 64 && over.err.contains("writing it would destroy an input"))
    }
}

extension InfoHarness {
    /// Runs shard i of n of `args` (a command line) into the file `name` of the harness's
    /// directory, requires exit 0 and returns the file's path.
    func shard(_ args: [String], _ i: Int, _ n: Int, name: String,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let r = run(args + ["--shard", "\(i)/\(n)", "--shard-output", path])
        try #require(r.code == 0, "shard \(i)/\(n) exited \(r.code): \(r.err)", sourceLocation: sourceLocation)
        #expect(r.out.contains("written to \(path)"), sourceLocation: sourceLocation)
        return path
    }

    /// Shards 1…n of `args` into PREFIX-1.json, …
    func shards(_ args: [String], _ n: Int, prefix: String,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try (1...n).map { try shard(args, $0, n, name: "\(prefix)-\($0).json", sourceLocation: sourceLocation) }
    }
}
