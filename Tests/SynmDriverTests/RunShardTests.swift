// Run shards: `synm run --shard i/n` computes chains i, i + n, … (after every chain's first
// warmup stage and the stranded-chain check, so the restart decisions are the whole run's);
// `synm merge` of the shard files prints the unsharded run's table, JSON and warnings and
// writes its CSV files and report, identical but for the measured times. Every way run
// shards can fail to belong together is refused by name with 65, and nothing is written.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct RunShardTests {
    let h = InfoHarness()

    /// A centred funnel steep enough that a random init in its neck adapts a step size more
    /// than 100 times below the other chains' after the first stage and is restarted
    /// (Sources/SynmInference/README.md, "Stranded chains"): cheap, and with seed 3 two of
    /// the four chains restart (required below, so the test exercises the decision).
    var funnel: String {
        h.model("funnel", """
            param v: real
            param y: real
            v ~ normal(0, 1)
            y ~ normal(0, exp(8 * v))
            """)
    }

    /// The measured times, the only thing merged shards may print differently: the
    /// numbers before " s" on the chains' lines, and the wall-time line.
    static func withoutTimes(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("Wall time:") { return "Wall time" }
            guard line.hasPrefix("Chain ") else { return String(line) }
            return line.replacingOccurrences(of: #"[0-9.]+ s\b"#, with: "T s", options: .regularExpression)
        }.joined(separator: "\n")
    }

    /// A CSV file without its elapsed-time comments.
    static func withoutElapsed(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !($0.hasPrefix("#") && $0.contains("seconds")) }
    }

    /// The report page with its per-chain times masked.
    static func pageWithoutTimes(_ html: String) -> String {
        html.replacingOccurrences(of: #"[0-9]+\.[0-9]{3} s"#, with: "T s", options: .regularExpression)
    }

    func path(_ name: String) -> String { h.dir.appendingPathComponent(name).path }

    /// Reads and removes the files of `--output PREFIX` (chains 1…k and the synthetic rows).
    func takeOutputs(_ prefix: String, chains: Int) throws -> [String: String] {
        var out: [String: String] = [:]
        for p in (0..<chains).map({ DrawsOutput.path(prefix: prefix, chain: $0) }) + [DrawsOutput.syntheticPath(prefix: prefix)]
            where FileManager.default.fileExists(atPath: p) {
            out[p] = try String(contentsOfFile: p, encoding: .utf8)
            try FileManager.default.removeItem(atPath: p)
        }
        return out
    }

    /// The unsharded run (text with --output and --report; --json) against the merge of its
    /// shards, with the same output paths.
    func expectMergedEqualsUnsharded(_ args: [String], shardCount n: Int, shardThreads: String, label: String) throws {
        let prefix = path("\(label)-draws.csv")
        let page = path("\(label).html")
        let whole = h.run(args + ["--output", prefix, "--report", page])
        try #require(whole.code == 0, "\(whole.err)")
        let wholeJSON = h.run(args + ["--json", "--threads", "1"])
        try #require(wholeJSON.code == 0)
        let wholeFiles = try takeOutputs(prefix, chains: 4)
        let wholePage = try String(contentsOfFile: page, encoding: .utf8)
        try FileManager.default.removeItem(atPath: page)
        #expect(wholeFiles.count >= 4)

        let files = try h.shards(args + ["--threads", shardThreads], n, prefix: label)
        let merged = h.run(["merge"] + files.reversed() + ["--output", prefix, "--report", page])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(Self.withoutTimes(merged.out) == Self.withoutTimes(whole.out))
        #expect(merged.out.contains("Wall time: ") && merged.out.contains("in \(n) shards; the slowest shard's"))
        #expect(merged.err == whole.err)
        let mergedFiles = try takeOutputs(prefix, chains: 4)
        #expect(mergedFiles.keys.sorted() == wholeFiles.keys.sorted())
        for (p, text) in wholeFiles {
            #expect(Self.withoutElapsed(mergedFiles[p] ?? "") == Self.withoutElapsed(text), "\(p) differs")
        }
        #expect(Self.pageWithoutTimes(try String(contentsOfFile: page, encoding: .utf8)) == Self.pageWithoutTimes(wholePage))
        let mergedJSON = h.run(["merge"] + files + ["--json"])
        #expect(mergedJSON.code == 0)
        #expect(RunHarness.withoutTimings(mergedJSON.out) == RunHarness.withoutTimings(wholeJSON.out))
        #expect(mergedJSON.err == wholeJSON.err)
    }

    @Test(arguments: [(2, "1"), (3, "2")])
    func mergedShardsAreTheUnshardedRunWithItsRestarts(n: Int, threads: String) throws {
        let args = ["run", funnel, "--chains", "4", "--warmup", "100", "--draws", "20", "--seed", "3"]
        // The decision the shards must reproduce: chains 3 and 4 restart (one each in the two
        // shards of n = 2, and in shards 3 and 1 of n = 3).
        let (doc, _) = try RunHarness.json(args + ["--json"])
        let restarts = doc["restarts"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        try #require(restarts.count == 4 && restarts.contains { $0 > 0 }, "no chain restarted: \(restarts)")
        try expectMergedEqualsUnsharded(args, shardCount: n, shardThreads: threads, label: "funnel\(n)")
    }

    /// Synthetic rows, saved warmup, thinning, a predict node and a warning about the data:
    /// everything the files, the table and standard error hold besides the draws.
    @Test func mergedShardsKeepSyntheticRowsWarmupAndThinning() throws {
        let y = (0..<12).map { k in Foundation.sin(Double(k) * 1.3) * 1.5 + 0.5 }
        let model = h.model("boot", """
            data y: real[n]
            synthetic yb: real[20] = bootstrap(y)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yb ~ normal(mu, sigma) footing power(0.5)
            predict z ~ normal(mu, sigma)
            """, data: "{\"y\": [\(y.map { "\($0)" }.joined(separator: ", "))], \"unused\": 1}")
        let args = ["run", model, "--chains", "4", "--warmup", "60", "--draws", "30", "--seed", "11", "--save-warmup",
                    "--thin", "2", "--sig-figs", "9"]
        // The data's unknown key is warned about while preparing; merge prints the warning too.
        #expect(h.run(args).err.contains("unused"))
        try expectMergedEqualsUnsharded(args, shardCount: 2, shardThreads: "2", label: "boot")
        // The shard file says what it holds.
        let doc = try JSONParser().parse(try String(contentsOfFile: path("boot-2.json"), encoding: .utf8))
        #expect(doc["command"]?.stringValue == "run")
        #expect(doc["chains"]?.doubleValue == 4)
        #expect(doc["chain_numbers"]?.arrayValue?.compactMap(\.doubleValue) == [2, 4])
        let chain = doc["results"]?.arrayValue?.first
        #expect(chain?["chain"]?.doubleValue == 2)
        #expect(chain?["stats"]?["lp__"]?.arrayValue?.count == 15)  // 30 draws thinned by 2
        #expect(chain?["warmup_stats"]?["lp__"]?.arrayValue?.count == 30)
        #expect(doc["context"]?["synthetic"]?["values"]?.arrayValue?.first?["name"]?.stringValue == "yb")
    }

    /// The metric options travel with the shards: a dense metric from a metric file, an
    /// initial step size and jitter give the unsharded run's files (dense "Elements of
    /// inverse mass matrix" rows, metric = dense_e, the metric_file and stepsize_jitter lines).
    @Test func mergedShardsKeepTheMetricOptions() throws {
        let model = h.model("corr", """
            param x: real
            param y: real
            x ~ normal(0, 1)
            y ~ normal(0.9 * x, 0.5)
            """)
        let metric = h.file("corr.metric.json", "{\"inv_metric\": [[1, 0.9], [0.9, 1.06]]}")
        let args = ["run", model, "--chains", "4", "--warmup", "160", "--draws", "20", "--seed", "5", "--metric", "dense",
                    "--metric-file", metric, "--stepsize", "0.5", "--jitter", "0.2"]
        try expectMergedEqualsUnsharded(args, shardCount: 2, shardThreads: "1", label: "dense")
        // A shard with another metric does not belong with these.
        let a = try h.shard(args, 1, 2, name: "dense-a.json")
        let b = try h.shard(args.filter { $0 != "--jitter" && $0 != "0.2" }, 2, 2, name: "dense-b.json")
        #expect(refused([a, b]).contains("the options that change results differ"))
    }

    // MARK: - What merge refuses

    func plain(_ name: String = "plain", sd: Int = 2, chains: Int = 4, draws: Int = 10, seed: Int = 2) -> [String] {
        ["run", h.model(name, "param mu: real\nmu ~ normal(1, \(sd))\n"), "--chains", "\(chains)", "--warmup", "30",
         "--draws", "\(draws)", "--seed", "\(seed)"]
    }

    func refused(_ args: [String], code: Int32 = 65, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let prefix = path("refused.csv")
        let r = h.run(["merge"] + args + ["--output", prefix])
        #expect(r.code == code, "\(r.err)", sourceLocation: sourceLocation)
        #expect(r.out.isEmpty, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: DrawsOutput.path(prefix: prefix, chain: 0)), "a draws file was written",
                sourceLocation: sourceLocation)
        return r.err
    }

    @Test func missingDuplicatedAndMismatchedRunShardsAreRefused() throws {
        let f = try h.shards(plain(), 3, prefix: "p")
        #expect(refused([f[0], f[2]]).contains("synm merge: error: shard 2 of 3 is missing"))
        #expect(refused([f[0], f[1], f[2], f[1]]).contains("given twice: shard 2 of 3 (\(f[1]), \(f[1]))"))
        let seed = try h.shard(plain(seed: 3), 2, 3, name: "seed.json")
        #expect(refused([f[0], seed, f[2]]).contains("\(seed) (shard 2/3) does not belong with \(f[0]) (shard 1/3): the seed differs: \"3\" against \"2\""))
        let model = try h.shard(plain("plain2", sd: 3), 2, 3, name: "model.json")
        #expect(refused([f[0], model, f[2]]).contains("the model (hash of the model file) differs"))
        let draws = try h.shard(plain(draws: 11), 2, 3, name: "draws.json")
        #expect(refused([f[0], draws, f[2]]).contains("the options that change results differ"))
        let chains = try h.shard(plain(chains: 5), 2, 3, name: "chains.json")
        #expect(refused([f[0], chains, f[2]]).contains("the options that change results differ"))
        let count = try h.shard(plain(), 2, 2, name: "count.json")
        #expect(refused([f[0], count]).contains("the number of shards differs: 2 against 3"))
        // A damaged file: cut in half, and one that lists another shard's chains.
        let text = try String(contentsOfFile: f[1], encoding: .utf8)
        let truncated = h.file("truncated.json", String(text.prefix(text.count / 2)))
        let err = refused([f[0], truncated, f[2]])
        #expect(err.hasPrefix("\(truncated):") && err.contains("error: not a synm shard file:"))
        let moved = h.file("moved.json", text.replacingOccurrences(of: "\"chain_numbers\": [\n    2", with: "\"chain_numbers\": [\n    3"))
        #expect(refused([f[0], moved, f[2]]).contains("lists other chains than its own"))
        // A draws file may not overwrite a shard file.
        let renamed = path("clash_1.csv")
        try FileManager.default.copyItem(atPath: f[0], toPath: renamed)
        let clash = h.run(["merge", renamed, f[1], f[2], "--output", path("clash.csv")])
        #expect(clash.code == 64 && clash.err.contains("is the shard file"), "\(clash.err)")
        // The shards that do belong together are merged, the files written.
        let accepted = h.run(["merge"] + f + ["--output", path("ok.csv")])
        #expect(accepted.code == 0, "\(accepted.err)")
        #expect((1...4).allSatisfy { FileManager.default.fileExists(atPath: path("ok_\($0).csv")) })
    }

    /// Shards that really failed: every chain's initialisation fails (the log density is NaN
    /// wherever random inits land), so each shard exits 70 and leaves a file recording the
    /// failure; merge names both shards by number and writes nothing.
    @Test func failedRunShardsAreNamedAndNothingIsMerged() throws {
        let model = h.model("nan", """
            param x: real
            x ~ normal(0, 1)
            target += log(x - 10)
            """)
        var files: [String] = []
        for i in 1...2 {
            let p = path("nan-\(i).json")
            let r = h.run(["run", model, "--chains", "4", "--warmup", "20", "--draws", "10", "--seed", "1", "--shard", "\(i)/2",
                           "--shard-output", p])
            #expect(r.code == 70)
            #expect(r.err.contains("no finite log density"))
            let doc = try JSONParser().parse(try String(contentsOfFile: p, encoding: .utf8))
            #expect(doc["status"]?.stringValue == "failed")
            files.append(p)
        }
        let err = refused(files)
        #expect(err.contains("synm merge: error: shard 1 of 2 failed (\(files[0])): chain 1: no finite log density"))
        #expect(err.contains("synm merge: error: shard 2 of 2 failed (\(files[1])):"))
        #expect(err.contains("nothing was merged"))
    }

    /// sbc: replicates that really fail (every simulated rate overflows) leave a failed shard
    /// file; merge names the shard.
    @Test func failedSbcShardIsNamed() throws {
        let model = h.model("overflow", """
            param mu: real
            data y: int[3]
            mu ~ normal(5, 0.1)
            y ~ poisson(exp(1000 * mu))
            """, data: "{\"y\": [1, 2, 3]}")
        let args = ["sbc", model, "--reps", "4", "--seed", "1", "--warmup", "20", "--draws", "99"]
        let files = (1...2).map { i in
            let p = path("sbc-\(i).json")
            let r = h.run(args + ["--shard", "\(i)/2", "--shard-output", p])
            #expect(r.code == 70 && r.err.contains("cannot simulate y"), "\(r.err)")
            return p
        }
        let r = h.run(["merge"] + files)
        #expect(r.code == 65 && r.out.isEmpty)
        #expect(r.err.contains("synm merge: error: shard 1 of 2 failed (\(files[0])): replicate 1: cannot simulate y"))
        #expect(r.err.contains("synm merge: error: shard 2 of 2 failed (\(files[1])): replicate 2: cannot simulate y"))
    }

    @Test func runShardUsageErrors() throws {
        let m = h.model("u", "param mu: real\nmu ~ normal(0, 1)\n")
        for (args, message) in [
            (["--shard", "1/2"], "--shard needs --seed S"),
            (["--shard", "1/5", "--seed", "1"], "5 shards for 4 chains"),
            (["--shard", "1/2", "--seed", "1", "--output", "d.csv"], "--output is not written by a shard"),
            (["--shard", "1/2", "--seed", "1", "--report", "r.html"], "--report is not written by a shard"),
            (["--shard-output", "x.json", "--seed", "1"], "--shard-output needs --shard i/n"),
        ] {
            let r = h.run(["run", m] + args)
            #expect(r.code == 64, "\(args)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
        }
        let audit = try (1...2).map { i in
            try h.shard(["audit", h.model("a", "data y: real[3]\nparam mu: real\ny ~ normal(mu, 1)\n", data: "{\"y\": [1, 2, 3]}"),
                       "--reps", "4", "--seed", "1"], i, 2, name: "a-\(i).json")
        }
        let r = h.run(["merge"] + audit + ["--output", path("x.csv")])
        #expect(r.code == 64 && r.err.contains("--output writes the draws files of run shards"), "\(r.err)")
    }
}
