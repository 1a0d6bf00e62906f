// What `synm run` does when something is wrong, with BSD sysexits codes (ExitCode.swift):
// 66 missing input, 64 bad command line, 70 a model that cannot be initialised (naming the
// term that was not finite), 65 an --init file that violates a parameter's bounds (naming
// the parameter). Nothing is printed on standard output in any of these cases.
import Foundation
import Testing

@Suite struct RunErrorTests {
    @Test func missingModelIs66() {
        let r = RunHarness.synm(["run", "/nonexistent/model.synm"])
        #expect(r.code == 66, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("/nonexistent/model.synm"))
        #expect(r.out.isEmpty)
    }

    @Test func missingDataFileIs66() {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--data", "/nonexistent/data.json"])
        #expect(r.code == 66, "exit \(r.code): \(r.err)")
        #expect(r.out.isEmpty)
    }

    static let badOptions: [[String]] = [
        ["--sampler", "gibbs"], ["--chains", "0"], ["--chains", "four"], ["--warmup", "-1"], ["--draws", "0"],
        ["--seed", "-3"], ["--seed", "x"], ["--adapt-delta", "1.5"], ["--adapt-delta", "0"], ["--max-depth", "0"],
        ["--threads", "0"], ["--no-such-option"], ["--chains"],
    ]

    @Test(arguments: badOptions)
    func badOptionIs64(option: [String]) {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm")] + option)
        #expect(r.code == 64, "\(option): exit \(r.code): \(r.err)")
        #expect(r.err.contains("error"), "\(option): \(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func missingOrExtraModelIs64() {
        #expect(RunHarness.synm(["run"]).code == 64)
        #expect(RunHarness.synm(["run", RunHarness.model("coin.synm"), RunHarness.model("coin.synm")]).code == 64)
    }

    @Test(arguments: ["nuts", "hmc", "metropolis"])
    func initialisationFailureIs70(sampler: String) throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("bad_init.synm", RunModels.initialisationFails)
        let r = RunHarness.synm(["run", model, "--sampler", sampler, "--seed", "1"])
        #expect(r.code == 70, "exit \(r.code): \(r.err)")
        // The failing statement is shown with its location, and why it failed.
        #expect(r.err.contains("bad_init.synm:2:1: error:"), "the failing term should be located: \(r.err)")
        #expect(r.err.contains("target += log(-1 - x^2)"), "the failing term should be shown: \(r.err)")
        #expect(r.err.contains("NaN"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func initOutsideBoundsIs65() throws {
        let dir = try TemporaryDirectory()
        let inits = try dir.write("init.json", #"{"p": 1.5}"#)
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--init", inits, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("'p'") || r.err.contains(" p "), "the parameter should be named: \(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func missingInitFileIs66() {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--init", "/nonexistent/init.json"])
        #expect(r.code == 66, "exit \(r.code): \(r.err)")
    }

    /// A valid --init is used: the run succeeds from it (and still finds the posterior).
    @Test func validInitRuns() throws {
        let dir = try TemporaryDirectory()
        let inits = try dir.write("init.json", #"{"p": 0.3}"#)
        let (doc, _) = try RunHarness.json(["run", RunHarness.model("coin.synm"), "--init", inits, "--seed", "1",
                                            "--warmup", "200", "--draws", "200", "--json"])
        let mean = try RunHarness.statistic(doc, "p", "mean")
        #expect(abs(mean - RunModels.coinExact.mean) < 0.05)
    }
}
