// Exit codes and hangs: data that contradict the model are found before sampling (65, the
// message once), static HMC and loops have clear limits, nesting counts depth rather than
// length, unreadable inputs say why (66), and a model without parameters runs as Stan's
// fixed_param sampler.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct ExitCodeTests {
    static let dataErrors: [(String, String, String)] = [
        ("binomial", "data n: int = 5\ndata y: int = 7\nparam p: real<lower=0, upper=1>\ny ~ binomial(n, p)\n",
         "m.synm:4:1: error: binomial: y must be an integer in 0...5, got 7"),
        ("index", "data y: real[3] = [1, 2, 3]\nparam mu: real\nmu ~ normal(0, 1)\nfor i in 1..4 { y[i] ~ normal(mu, 1) }\n",
         "m.synm:4:17: error: index 4 is out of range"),
        ("bounds", "param x: real<lower=5, upper=1>\nx ~ normal(0, 1)\n", "m.synm:1:7: error: the bounds of 'x' are empty"),
    ]

    @Test(arguments: ["run", "optimize"], [0, 1, 2])
    func dataErrorsAreFoundBeforeSampling(command: String, k: Int) throws {
        let (name, text, message) = Self.dataErrors[k]
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", text)
        let r = RunHarness.synm([command, model, "--seed", "1"])
        #expect(r.code == 65, "\(name): exit \(r.code): \(r.err)")
        #expect(r.err.contains(message), "\(name): \(r.err)")
        #expect(r.err.components(separatedBy: "error:").count == 2, "\(name): the message should be printed once: \(r.err)")
        #expect(!r.err.contains("initialisations"), "\(name): \(r.err)")
    }

    /// A parameter-dependent failure is still the sampler's (70): it is not a data error.
    @Test func parameterDependentFailureStays70() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param x: real\ntarget += log(-1 - x^2)\n")
        #expect(RunHarness.synm(["run", model, "--seed", "1"]).code == 70)
    }

    @Test func staticHMCCapsItsSteps() {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--sampler", "hmc", "--int-time", "1e300",
                                 "--seed", "1", "--chains", "1", "--warmup", "20", "--draws", "20"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("took the most leapfrog steps per iteration, 1024"), "\(r.err)")
        #expect(Help.command("run")!.contains("2^max-depth"))
    }

    @Test func hugeLoopIsALocatedError() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param mu: real\nmu ~ normal(0, 1)\nvar s: real = 0\nfor i in 1..1000000000 { s = s + mu }\n")
        let r = RunHarness.synm(["run", model, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("m.synm:4:1: error: this loop runs 1000000000 times"), "\(r.err)")
    }

    @Test func flatSumIsNotNesting() throws {
        let dir = try TemporaryDirectory()
        let sum = Array(repeating: "0.01 * mu", count: 200).joined(separator: " + ")
        let model = try dir.write("m.synm", "param mu: real\ntarget += \(sum)\nmu ~ normal(0, 1)\n")
        let r = RunHarness.synm(["run", model, "--seed", "1", "--warmup", "100", "--draws", "100"])
        #expect(r.code == 0, "\(r.err)")
        // Nesting still counts: 65 levels of parentheses are refused.
        let deep = try dir.write("d.synm", "param mu: real\nlet x = " + String(repeating: "exp(", count: 65) + "mu"
                                 + String(repeating: ")", count: 65) + "\nmu ~ normal(0, 1)\n")
        #expect(RunHarness.synm(["check", deep]).code == 65)
    }

    @Test func unreadableInputsSayWhy() throws {
        let dir = try TemporaryDirectory()
        let coin = RunHarness.model("coin.synm")
        let data = RunHarness.synm(["run", coin, "--data", dir.url.path])
        #expect(data.code == 66, "\(data.err)")
        #expect(data.err.contains("is a directory"), "\(data.err)")
        let initFile = RunHarness.synm(["run", coin, "--init", dir.path("missing.json")])
        #expect(initFile.code == 66)
        #expect(initFile.err.contains("cannot read init file") && initFile.err.contains("no such file"), "\(initFile.err)")
        let report = RunHarness.synm(["report", dir.url.path])
        #expect(report.code == 66, "\(report.err)")
        #expect(report.err.contains("is a directory"), "\(report.err)")
        let params = RunHarness.synm(["logprob", coin, "--params", dir.path("p.json")])
        #expect(params.code == 66 && params.err.contains("parameter file"), "\(params.err)")
    }

    @Test func modelWithoutParametersRunsAsFixedParam() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: real[3] = [1, 2, 3]\nlet m = mean(y)\npredict z ~ normal(m, 1)\n")
        let (doc, r) = try RunHarness.json(["run", model, "--seed", "1", "--chains", "2", "--draws", "2000", "--json"])
        #expect(doc["sampler"]?.stringValue == "fixed_param", "\(r.out)")
        let mean = try RunHarness.statistic(doc, "z", "mean"), mcse = try RunHarness.statistic(doc, "z", "mcse_mean")
        #expect(abs(mean - 2) < 4 * mcse, "z ~ normal(2, 1): mean \(mean) ± \(mcse)")
        #expect(!r.err.contains("divergen") && !r.err.contains("tree depth"), "\(r.err)")
        let empty = try dir.write("e.synm", "")
        let e = RunHarness.synm(["run", empty, "--seed", "1", "--chains", "1", "--draws", "10"])
        #expect(e.code == 0, "\(e.err)")
        #expect(e.out.contains("sampler=fixed_param"), "\(e.out)")
    }
}

@Suite struct ReplFixedParamTests {
    /// The REPL samples a model without parameters too (fixed_param) and reads its predict
    /// node's draws; a data error is reported once, before sampling, and the session goes on.
    @Test func replSamplesAModelWithoutParameters() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: real[3] = [1, 2, 3]\npredict z ~ normal(mean(y), 1)\n")
        let (s, out, err) = ReplHarness.session()
        s.load(model)
        let sampled = ReplHarness.line(s, out, err, ":sample --seed 1 --chains 2 --draws 1000")
        #expect(sampled.out.hasPrefix("sampled 2 chains"), "\(sampled)")
        let r = ReplHarness.line(s, out, err, "mean(z)")
        let (v, e) = try #require(ReplHarness.estimate(r.out), "\(r)")
        #expect(abs(v - 2) <= 4 * e, "mean(z) = \(v) ± \(e)")

        let bad = try dir.write("b.synm", "data n: int = 5\ndata y: int = 7\nparam p: real<lower=0, upper=1>\ny ~ binomial(n, p)\n")
        s.load(bad)
        let refused = ReplHarness.line(s, out, err, ":sample --seed 1")
        #expect(refused.err.contains("b.synm:4:1: error: binomial"), "\(refused)")
        #expect(refused.err.components(separatedBy: "error:").count == 2, "\(refused)")
        #expect(!refused.out.hasPrefix("sampled"))
    }
}
