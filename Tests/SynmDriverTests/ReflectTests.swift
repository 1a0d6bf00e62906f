// `synm reflect` against closed forms: the martingale identities hold within their Monte
// Carlo error at equal footing, the mean updated sd matches its exact value for conjugate
// models, --iid-theta breaks the variance identity, and MCMC-fallback updates agree too.
import Foundation
import SynmIO
import SynmMath
import Testing
@testable import SynmDriver

/// Writes a model to a temporary file and returns its path.
func temporaryModel(_ text: String, name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-reflect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Runs `synm reflect … --json` and returns the parameter objects.
func reflect(_ args: [String]) throws -> (JSONValue, [String: JSONValue]) {
    let out = StringSink(), err = StringSink()
    let code = Driver.run(["reflect"] + args + ["--json"], console: Console(out: out, err: err))
    #expect(code == 0, "synm reflect failed: \(err.text)")
    let doc = try JSONParser().parse(out.text)
    var params: [String: JSONValue] = [:]
    for m in doc["parameters"]?.objectMembers ?? [] { params[m.key] = m.value }
    return (doc, params)
}

extension JSONValue {
    func number(_ key: String) -> Double { self[key]?.doubleValue ?? .nan }
}

@Suite struct ReflectTests {
    /// Fast settings for a debug build: 4 × 250 current draws, 100 blocks.
    static let quick = ["--warmup", "300", "--draws", "250", "--reps", "100"]

    static let repositoryModels = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")

    /// Beta(15, 7) current posterior; blocks of M = 20 rows. The updated posterior is
    /// Beta(15 + k, 27 − k) with k ~ beta-binomial(20, 15, 7), so the mean updated sd is
    /// Σₖ P(k) · sd(Beta(15 + k, 27 − k)) exactly.
    @Test func coinIdentitiesAndFalsePrecision() throws {
        let (doc, params) = try reflect([Self.repositoryModels.appendingPathComponent("coin.synm").path,
                                         "--synthetic-n", "20", "--seed", "3"] + Self.quick)
        let p = try #require(params["p"])
        #expect(p["pass"] == .bool(true))
        var exact = 0.0, second = 0.0
        for k in 0...20 {
            let kk = Double(k)
            let logP = logChoose(20, kk) + logBeta(15 + kk, 7 + 20 - kk) - logBeta(15, 7)
            let a = 15 + kk, b = 27 - kk
            let sd = (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
            exact += exp(logP) * sd
            second += exp(logP) * sd * sd
        }
        // Error of the mean updated sd: the blocks' spread (the exact sd of sd over k) over √R,
        // and the current draws' own error in a weighted sd, about sd/√(2·ESS), ESS ≈ 1000.
        let reps = doc.number("reps")
        let sdOfSDs = (second - exact * exact).squareRoot()
        let tolerance = 4 * (sdOfSDs * sdOfSDs / reps + exact * exact / (2 * 1000)).squareRoot()
        #expect(abs(p.number("mean_of_updated_sds") - exact) < tolerance,
                "mean updated sd \(p.number("mean_of_updated_sds")) vs exact \(exact) ± \(tolerance)")
        #expect(p.number("mean_of_updated_sds") < p.number("current_var").squareRoot())
    }

    /// Normal mean with σ = 2 known and a normal(0, 10) prior: every update has the same
    /// variance 1/(1/V + M/σ²), so the mean updated sd is exact up to the draws' error.
    @Test func normalNormalUpdatedSD() throws {
        let y = [1.3, -0.4, 2.2, 0.9, 1.7, 0.1, 1.1, 2.6, -0.2, 0.8]
        let path = try temporaryModel("""
            data y: real[N] = [\(y.map { "\($0)" }.joined(separator: ", "))]
            param mu: real
            mu ~ normal(0, 10)
            y ~ normal(mu, 2)
            """, name: "nn.synm")
        let (_, params) = try reflect([path, "--synthetic-n", "15", "--seed", "4"] + Self.quick)
        let mu = try #require(params["mu"])
        #expect(mu["pass"] == .bool(true))
        let v = 1 / (1 / 100.0 + Double(y.count) / 4)
        let exact = (1 / (1 / v + 15.0 / 4)).squareRoot()
        // The weighted sd of ~1000 draws errs by about sd/√(2·1000).
        #expect(abs(mu.number("mean_of_updated_sds") - exact) < 4 * exact / (2000.0).squareRoot())
        #expect(abs(mu.number("current_var") - v) < 4 * v * (2 / 1000.0).squareRoot())
    }

    @Test func gammaPoissonIdentitiesHold() throws {
        let path = try temporaryModel("""
            data y: int<lower=0>[N] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
            param lambda: real<lower=0>
            lambda ~ gamma(2, 0.5)
            y ~ poisson(lambda)
            """, name: "gp.synm")
        let (_, params) = try reflect([path, "--synthetic-n", "10", "--seed", "5"] + Self.quick)
        #expect(params["lambda"]?["pass"] == .bool(true))
    }

    /// Drawing every row from its own θ is not a block from the posterior predictive: the
    /// variance identity fails for M > 1 (for the coin, Var[updated means] shrinks).
    @Test func iidThetaBreaksTheIdentity() throws {
        let (_, params) = try reflect([Self.repositoryModels.appendingPathComponent("coin.synm").path,
                                       "--synthetic-n", "20", "--seed", "3", "--iid-theta"] + Self.quick)
        let p = try #require(params["p"])
        #expect(p["pass"] == .bool(false))
        let decomposition = p.number("mean_of_updated_vars") + p.number("var_of_updated_means")
        let mcse = p["mcse"]?["variance_decomposition"]?.doubleValue ?? .nan
        #expect(decomposition < p.number("current_var") - 4 * mcse)
    }

    /// Large blocks make the importance weights degenerate: the updates run MCMC on the
    /// augmented model, and the identities still hold within their (larger) errors.
    @Test func mcmcFallbackAgrees() throws {
        let (doc, params) = try reflect([Self.repositoryModels.appendingPathComponent("coin.synm").path,
                                         "--synthetic-n", "2000", "--seed", "6", "--warmup", "150", "--draws", "150",
                                         "--reps", "40"])
        #expect(doc.number("mcmc_fallbacks") > 0)
        #expect(params["p"]?["pass"] == .bool(true))
    }

    @Test func usageErrors() {
        let out = StringSink(), err = StringSink()
        #expect(Driver.run(["reflect", Self.repositoryModels.appendingPathComponent("coin.synm").path],
                           console: Console(out: out, err: err)) == 64)
        #expect(err.text.contains("--synthetic-n"))
        let err2 = StringSink()
        #expect(Driver.run(["reflect", Self.repositoryModels.appendingPathComponent("coin.synm").path, "--synthetic-n", "5",
                            "--node", "p"], console: Console(out: StringSink(), err: err2)) == 64)
        #expect(err2.text.contains("not a data node"))
    }
}
