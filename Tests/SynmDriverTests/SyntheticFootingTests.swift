// Footing semantics end to end, on the models of models/ : with σ known the
// posterior of a normal mean is normal, so every footing has a closed form —
//   precision P = 1/τ0² + (n + w·m)/σ²,  mean = (Σy + w·Σy_syn)/σ² / P,
// where w·m is the footing's real-row worth (power(a): a·m; cap on our own sample: 0;
// cap on a third party's rows: source_n − overlap). `synm optimize` finds the MAP, which for
// a normal posterior is the mean, with the exact Hessian's standard error 1/√P (both to
// rounding); `synm fisher` reports the information each source claims; `synm run` must
// agree within 4 MCSE (mean) and 4 MCSE of the sd. The synthetic rows are read back from
// the P_synthetic.json file the run writes, so the closed forms use the rows the run used.
// Then the censored coin both ways (the paper's Example 9), the `synthetic` accounting of
// check and run, and simulate round-trips.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

enum SyntheticHarness {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func model(_ name: String) -> String { root.appendingPathComponent("models/\(name).synm").path }

    static func synm(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let out = StringSink(), err = StringSink()
        let code = Driver.run(args, console: Console(out: out, err: err))
        return (code, out.text, err.text)
    }

    static func json(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let r = synm(args)
        try #require(r.code == 0, "synm \(args.joined(separator: " ")) exited \(r.code): \(r.err)", sourceLocation: sourceLocation)
        return try JSONParser().parse(r.out)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-synthetic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The numbers of a Stan JSON file, by name (flattened).
    static func values(_ path: String) throws -> [String: [Double]] {
        let values = try StanJSONData.decode(try String(contentsOfFile: path, encoding: .utf8))
        return Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0.values) })
    }

    static func number(_ v: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        try #require(v?.doubleValue, "missing number", sourceLocation: sourceLocation)
    }
}

/// Within `tol` relative (or absolute below 1).
func nearlyEqual(_ a: Double, _ b: Double, _ tol: Double) -> Bool { abs(a - b) <= tol * max(1, abs(a), abs(b)) }

@Suite struct SyntheticFootingTests {
    typealias H = SyntheticHarness

    /// The closed-form posterior of mu for a normal model with known σ and prior N(0, τ0²).
    struct NormalPosterior {
        var precision: Double
        var mean: Double
        var sd: Double { 1 / precision.squareRoot() }
        /// Real rows `y` at weight 1 and synthetic rows `s` at weight `w`.
        init(y: [Double], synthetic s: [Double], weight w: Double, sigma: Double, tau0: Double) {
            precision = 1 / (tau0 * tau0) + (Double(y.count) + w * Double(s.count)) / (sigma * sigma)
            mean = (y.reduce(0, +) + w * s.reduce(0, +)) / (sigma * sigma) / precision
        }
    }

    /// Runs, optimises and computes the Fisher accounting of `path` with one seed; checks the
    /// MAP, its standard error and the posterior mean and sd against the closed form, and the
    /// information the synthetic node claims against w·m/σ². Returns the run's JSON.
    @discardableResult
    func checkNormalFooting(path: String, data: String, node: String, weight w: Double, seed: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let dir = try H.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("draws.csv").path
        let run = try H.json(["run", path, "--data", data, "--seed", "\(seed)", "--output", prefix, "--json"])
        let used = try H.values(dir.appendingPathComponent("draws_synthetic.json").path)
        let syntheticRows = try #require(used[node], "the run's synthetic file has \(node)", sourceLocation: sourceLocation)
        let y = try #require(try H.values(data)["y"])
        let cf = NormalPosterior(y: y, synthetic: syntheticRows, weight: w, sigma: 2, tau0: 10)

        // optimize: MAP = posterior mean; se = 1/√P from the exact Hessian.
        let opt = try H.json(["optimize", path, "--data", data, "--seed", "\(seed)", "--json"])
        let map = try H.number(opt["estimate"]?["mu"]), se = try H.number(opt["se"]?["mu"])
        #expect(nearlyEqual(map, cf.mean, 1e-7), "MAP \(map) vs closed form \(cf.mean)", sourceLocation: sourceLocation)
        #expect(nearlyEqual(se, cf.sd, 1e-7), "se \(se) vs closed form \(cf.sd)", sourceLocation: sourceLocation)

        // fisher: the information each source claims: n/σ² for y, w·m/σ² for the node.
        let fisher = try H.json(["fisher", path, "--data", data, "--seed", "\(seed)", "--json"])
        guard case .array(let sources)? = fisher["sources"] else {
            Issue.record("no sources in fisher's JSON", sourceLocation: sourceLocation)
            return run
        }
        func claimed(_ name: String) throws -> Double {
            let s = try #require(sources.first { $0["node"]?.stringValue == name }, "no source \(name)")
            guard case .array(let rows)? = s["claimed"], case .array(let row) = rows[0] else { throw H.Missing() }
            return try H.number(row[0])
        }
        let claimedY = try claimed("y"), claimedNode = try claimed(node)
        #expect(nearlyEqual(claimedY, Double(y.count) / 4, 1e-9), sourceLocation: sourceLocation)
        #expect(nearlyEqual(claimedNode, w * Double(syntheticRows.count) / 4, 1e-9),
                "\(node) claims \(claimedNode), expected w·m/σ² = \(w * Double(syntheticRows.count) / 4)",
                sourceLocation: sourceLocation)
        #expect(nearlyEqual(claimedY + claimedNode, (Double(y.count) + w * Double(syntheticRows.count)) / 4, 1e-9),
                "the likelihood's information is (n + w·m)/σ²", sourceLocation: sourceLocation)

        // run: within Monte Carlo error of the closed form.
        let p = try #require(run["parameters"]?["mu"])
        let mean = try H.number(p["mean"]), sd = try H.number(p["sd"])
        let mcse = try H.number(p["mcse_mean"]), mcseSd = try H.number(p["mcse_sd"])
        #expect(abs(mean - cf.mean) <= 4 * mcse, "posterior mean \(mean) vs \(cf.mean) (MCSE \(mcse))", sourceLocation: sourceLocation)
        #expect(abs(sd - cf.sd) <= 4 * mcseSd, "posterior sd \(sd) vs \(cf.sd) (MCSE \(mcseSd))", sourceLocation: sourceLocation)
        return run
    }

    /// Example 2: 200 bootstrap rows at power(0.1) add exactly 20 rows' worth.
    @Test func bootstrapAtPowerAddsExactlyAMRows() throws {
        let data = H.root.appendingPathComponent("models/bootstrap_normal.data.json").path
        let run = try checkNormalFooting(path: H.model("bootstrap_normal"), data: data, node: "yb", weight: 0.1, seed: 11)
        let s = try #require(run["synthetic"]?["yb"])
        #expect(s["generator"]?.stringValue == "bootstrap")
        #expect(try H.number(s["rows"]) == 200)
        #expect(s["footing"]?.stringValue == "power(0.1)")
        #expect(nearlyEqual(try H.number(s["weight"]), 0.1, 1e-12))
        #expect(nearlyEqual(try H.number(s["real_row_equivalents"]), 20, 1e-12))
    }

    /// Theorem 5: the same rows at cap count nothing — the posterior of y alone.
    @Test func bootstrapAtCapAddsNothing() throws {
        let dir = try H.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: H.model("bootstrap_normal"), encoding: .utf8)
        let variant = text.replacingOccurrences(of: "yb ~ normal(mu, sigma) footing power(0.1)", with: "yb ~ normal(mu, sigma) footing cap #")
        #expect(variant != text)
        let path = dir.appendingPathComponent("bootstrap_cap.synm").path
        try variant.write(toFile: path, atomically: true, encoding: .utf8)
        let data = H.root.appendingPathComponent("models/bootstrap_normal.data.json").path
        let run = try checkNormalFooting(path: path, data: data, node: "yb", weight: 0, seed: 12)
        #expect(try H.number(run["synthetic"]?["yb"]?["real_row_equivalents"]) == 0)
    }

    /// Section 5.2 and Theorem 8: 200 third-party rows resampled from 120 units, 30 of them
    /// ours, at cap: weight (N − 2K)/(N + m − 1) = 60/319 (docs/STATISTICS.md), precision
    /// 1/τ0² + (n + 200 · 60/319)/σ² exactly.
    @Test func thirdPartyAtCapIsTheHonestResamplingWeight() throws {
        let data = H.root.appendingPathComponent("models/third_party_overlap.data.json").path
        let w = 60.0 / 319
        let run = try checkNormalFooting(path: H.model("third_party_overlap"), data: data, node: "yt", weight: w, seed: 13)
        let s = try #require(run["synthetic"]?["yt"])
        #expect(s["generator"]?.stringValue == "external")
        #expect(try H.number(s["rows"]) == 200)
        #expect(nearlyEqual(try H.number(s["weight"]), w, 1e-12))
        #expect(nearlyEqual(try H.number(s["real_row_equivalents"]), 200 * w, 1e-12))
        // The rows the run used are the third party's, unchanged.
        let dir = try H.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = H.synm(["run", H.model("third_party_overlap"), "--seed", "1", "--draws", "50", "--warmup", "50",
                        "--output", dir.appendingPathComponent("t").path])
        #expect(r.code == 0)
        #expect(try H.values(dir.appendingPathComponent("t_synthetic.json").path)["yt"] == H.values(data)["yt"])
    }

    // MARK: the censored coin both ways (Example 9)

    /// The modified likelihood's posterior, p ∝ q^h (1 − q)^t with q = p/(2 − p), by
    /// Simpson's rule on 20 000 intervals (error far below the MCSE compared with).
    static func censoredPosterior(heads h: Double, tails t: Double) -> (mean: Double, sd: Double) {
        let k = 20_000
        var z = 0.0, m1 = 0.0, m2 = 0.0
        for i in 0...k {
            let p = Double(i) / Double(k)
            let q = p / (2 - p)
            let f = (i == 0 || i == k) ? 0 : exp(h * log(q) + t * log1p(-q))
            let c = (i == 0 || i == k) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
            z += c * f; m1 += c * f * p; m2 += c * f * p * p
        }
        let mean = m1 / z
        return (mean, (m2 / z - mean * mean).squareRoot())
    }

    /// censored_coin.synm encodes the mechanism in the likelihood; censored_coin_augmented
    /// adds one made-up head per observed head on equal footing, whose posterior is exactly
    /// Beta(1 + 2h, 1 + t). Both agree with their closed forms within 4 MCSE, and the paper's
    /// point shows: the augmented posterior claims 10 flips the data do not hold, so it is
    /// narrower (sd 0.0762 against ≈ 0.096) — too-small standard errors.
    @Test func censoredCoinBothWays() throws {
        let flips = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0]
        let h = Double(flips.reduce(0, +)), t = Double(flips.count) - h
        #expect(h == 10 && t == 20)
        let modified = Self.censoredPosterior(heads: h, tails: t)
        let a = 1 + 2 * h, b = 1 + t
        let augmented = (mean: a / (a + b), sd: (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot())

        let m = try H.json(["run", H.model("censored_coin"), "--seed", "21", "--json"])
        let g = try H.json(["run", H.model("censored_coin_augmented"), "--seed", "22", "--json"])
        for (doc, cf, name) in [(m, modified, "modified likelihood"), (g, augmented, "augmented")] {
            let p = try #require(doc["parameters"]?["p"])
            let mean = try H.number(p["mean"]), sd = try H.number(p["sd"])
            let mcse = try H.number(p["mcse_mean"]), mcseSd = try H.number(p["mcse_sd"])
            #expect(abs(mean - cf.mean) <= 4 * mcse, "\(name): mean \(mean) vs \(cf.mean)")
            #expect(abs(sd - cf.sd) <= 4 * mcseSd, "\(name): sd \(sd) vs \(cf.sd)")
        }
        // The direction the paper implies: augmentation overstates the information.
        #expect(augmented.sd < 0.85 * modified.sd, "closed forms: \(augmented.sd) vs \(modified.sd)")
        let sdM = try H.number(m["parameters"]?["p"]?["sd"]), sdG = try H.number(g["parameters"]?["p"]?["sd"])
        #expect(sdG < sdM, "sampled: augmented sd \(sdG) vs modified \(sdM)")
        // The made-up heads are counted as 10 real flips, and the run says so.
        #expect(try H.number(g["synthetic"]?["extra"]?["real_row_equivalents"]) == 10)
        let check = H.synm(["check", H.model("censored_coin_augmented")])
        #expect(check.code == 0)
        #expect(check.err.contains("on equal footing is treated as real observations"))
    }

    // MARK: check and run show the accounting

    @Test func checkShowsEachNodesWorth() {
        let expected: [(String, String)] = [
            ("bootstrap_normal", "200 rows × power 0.1 = 20 real rows"),
            ("reweight_classes", "300 rows at cap × weight 0 = 0 real rows (Theorem 5: built from our own sample"),
            ("periodic_symmetry", "400 rows × power 0.05 = 20 real rows"),
            ("third_party_overlap", "m rows (from the data) at cap × weight (N − 2K)/(N + m − 1) with N = 120, K = 30: at most 90 real rows (Theorem 8"),
            ("censored_coin_augmented", "k rows (from the data) × 1 = k real rows (equal footing: counted as real data)"),
            ("synthetic_normal", "with N = 40, K = 0: at most 40 real rows"),
        ]
        for (name, line) in expected {
            let r = H.synm(["check", H.model(name)])
            #expect(r.code == 0, "\(name): \(r.err)")
            #expect(r.out.contains(line), "\(name): no '\(line)' in\n\(r.out)")
        }
    }

    /// `synm run` prints the block with the actual sizes, and `--output` writes the rows used:
    /// reweight rows are rows of y; periodic rows are images of rows of x under rotations;
    /// the same seed writes the same file.
    @Test func runShowsAndWritesTheSyntheticRows() throws {
        let dir = try H.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let short = ["--seed", "5", "--warmup", "100", "--draws", "100"]
        let a = H.synm(["run", H.model("reweight_classes")] + short + ["--output", dir.appendingPathComponent("a.csv").path])
        let b = H.synm(["run", H.model("reweight_classes")] + short + ["--output", dir.appendingPathComponent("b.csv").path])
        #expect(a.code == 0 && b.code == 0, "\(a.err)")
        #expect(a.out.contains("synthetic data (generated rows drawn once from seed 5"))
        #expect(a.out.contains("yr  reweight  300 rows at cap × weight 0 = 0 real rows (Theorem 5: built from our own sample"), "\(a.out)")
        let first = try String(contentsOfFile: dir.appendingPathComponent("a_synthetic.json").path, encoding: .utf8)
        let again = try String(contentsOfFile: dir.appendingPathComponent("b_synthetic.json").path, encoding: .utf8)
        #expect(first == again, "the same seed writes the same synthetic rows")
        let y = try #require(try H.values(H.root.appendingPathComponent("models/reweight_classes.data.json").path)["y"])
        let yr = try #require(try H.values(dir.appendingPathComponent("a_synthetic.json").path)["yr"])
        #expect(yr.count == 300 && yr.allSatisfy { y.contains($0) })

        let p = H.synm(["run", H.model("periodic_symmetry")] + short + ["--output", dir.appendingPathComponent("p").path])
        #expect(p.code == 0, "\(p.err)")
        #expect(p.out.contains("xr  periodic  400 rows × power 0.05 = 20 real rows"), "\(p.out)")
        let x = try #require(try H.values(H.root.appendingPathComponent("models/periodic_symmetry.data.json").path)["x"])
        let xr = try #require(try H.values(dir.appendingPathComponent("p_synthetic.json").path)["xr"])
        var images: Set<[Double]> = []
        for r in stride(from: 0, to: x.count, by: 2) {
            var v = [x[r], x[r + 1]]
            for _ in 0..<4 { images.insert(v); v = [-v[1], v[0]] }
        }
        #expect(xr.count == 800)
        for r in stride(from: 0, to: xr.count, by: 2) {
            #expect(images.contains([xr[r], xr[r + 1]]), "row \(r / 2 + 1) of xr is not a rotation of a row of x")
        }
        // A model without synthetic nodes writes no synthetic file and prints no block.
        let c = H.synm(["run", H.model("coin")] + short + ["--output", dir.appendingPathComponent("c").path])
        #expect(c.code == 0 && !c.out.contains("synthetic data"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c_synthetic.json").path))
        #expect(H.synm(["help", "run"]).out.contains("P_synthetic.json"))
    }

    // MARK: simulate round-trips

    /// `synm simulate` output is a data file for the same model: `logprob` and `run` take it.
    @Test(arguments: ["third_party_overlap", "bootstrap_normal", "censored_coin_augmented", "reweight_classes"])
    func simulateRoundTrips(model name: String) throws {
        let dir = try H.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sim = dir.appendingPathComponent("sim.json").path
        let s = H.synm(["simulate", H.model(name), "--prior", "--seed", "3", "--output", sim])
        try #require(s.code == 0, "simulate: \(s.err)")
        // The drawn parameters as a params file, from a one-draw run on the simulated data.
        let original = try H.values(H.root.appendingPathComponent("models/\(name).data.json").path)
        let simulated = try H.values(sim)
        for (k, v) in original where simulated[k] != nil {
            #expect(simulated[k]!.count == v.count, "\(name): \(k) keeps its size")
        }
        let params = dir.appendingPathComponent("params.json").path
        let opt = H.synm(["optimize", H.model(name), "--data", sim, "--seed", "1", "--json"])
        try #require(opt.code == 0, "optimize on simulated data: \(opt.err)")
        // optimize names elements `mu[1]`; a params file holds `mu` as an array.
        guard case .object(let members)? = try JSONParser().parse(opt.out)["estimate"] else { throw H.Missing() }
        var grouped: [(String, [Double])] = []
        for m in members {
            let base = String(m.key.split(separator: "[")[0])
            let v = try H.number(m.value)
            if let i = grouped.firstIndex(where: { $0.0 == base }) { grouped[i].1.append(v) } else { grouped.append((base, [v])) }
        }
        let text = "{" + grouped.map { name, v in
            "\"\(name)\": " + (members.contains { $0.key == name } ? "\(v[0])" : "[" + v.map { "\($0)" }.joined(separator: ", ") + "]")
        }.joined(separator: ", ") + "}"
        try text.write(toFile: params, atomically: true, encoding: .utf8)
        let lp = H.synm(["logprob", H.model(name), "--data", sim, "--params", params, "--json"])
        #expect(lp.code == 0, "logprob on simulated data: \(lp.err)")
        let run = H.synm(["run", H.model(name), "--data", sim, "--seed", "2", "--warmup", "200", "--draws", "200"])
        #expect(run.code == 0, "run on simulated data: \(run.err)")
        // And simulate at given parameters works the same way.
        let again = H.synm(["simulate", H.model(name), "--params", params, "--seed", "4", "--output", sim])
        #expect(again.code == 0, "\(again.err)")
        #expect(H.synm(["logprob", H.model(name), "--data", sim, "--params", params]).code == 0)
    }
}

extension SyntheticHarness {
    struct Missing: Error {}
}
