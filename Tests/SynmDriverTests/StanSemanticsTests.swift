// Answers that follow Stan: predict nodes take their declared size, names ending in `__`
// are reserved, int / int is integer division (truncated toward zero, with stanc's warning),
// Stan data that CmdStan accepts is accepted (zero-row matrices as `[]`, unused keys of any
// kind) and what it refuses is refused (`200.0` for an int), and sbc refuses a model it
// cannot simulate instead of reporting a false "not uniform".
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct StanSemanticsTests {
    /// The gradient of `mu ~ normal(E, 1)` at mu = 0 is E: reads E off `logprob`.
    static func meanOf(_ expression: String, data: String = "") throws -> Double {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", data + "param mu: real\nmu ~ normal(\(expression), 1)\n")
        let params = try dir.write("p.json", #"{"mu": 0}"#)
        let (doc, _) = try RunHarness.json(["logprob", model, "--params", params, "--json"])
        return try #require(doc["gradient"]?["mu"]?.doubleValue)
    }

    @Test func predictTakesItsDeclaredSize() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
            data N: int = 4
            param m: real
            m ~ normal(0, 1)
            predict y_rep: real[N] ~ normal(m, 1)
            predict k: int[3] ~ poisson(2)

            """)
        let (doc, _) = try RunHarness.json(["run", model, "--seed", "1", "--chains", "1", "--warmup", "100",
                                            "--draws", "100", "--json"])
        for name in ["y_rep[1]", "y_rep[4]", "k[1]", "k[3]"] {
            #expect(doc["parameters"]?[name] != nil, "no column \(name)")
        }
        #expect(doc["parameters"]?["y_rep[5]"] == nil)
        #expect(doc["parameters"]?["y_rep"] == nil, "one column instead of N")
        // The draws differ between columns: each is its own variate.
        let a = try RunHarness.statistic(doc, "y_rep[1]", "mean"), b = try RunHarness.statistic(doc, "y_rep[2]", "mean")
        #expect(a != b)
    }

    @Test func predictArgumentsOfAnotherSizeAreAnError() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
            data y: real[3] = [1, 2, 3]
            param m: real
            y ~ normal(m, 1)
            predict y_rep: real[5] ~ normal(y, 1)

            """)
        let r = RunHarness.synm(["run", model, "--seed", "1", "--chains", "1", "--warmup", "20", "--draws", "20"])
        #expect(r.code != 0)
        #expect(r.err.contains("m.synm:4:"), "\(r.err)")
        #expect(r.err.contains("5 elements"), "\(r.err)")
    }

    @Test(arguments: ["param lp__: real", "data accept_stat__: real = 1", "let x__ = 1", "param theta__: real[2]"])
    func doubleUnderscoreNamesAreReserved(declaration: String) throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "\(declaration)\nparam mu: real\nmu ~ normal(0, 1)\n")
        let r = RunHarness.synm(["check", model])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("m.synm:1:"), "\(r.err)")
        #expect(r.err.contains("reserved"), "\(r.err)")
        #expect(r.err.contains("hint:"), "\(r.err)")
    }

    @Test func integerDivisionTruncatesTowardZero() throws {
        #expect(try Self.meanOf("7 / 2") == 3)
        #expect(try Self.meanOf("-7 / 2") == -3)
        #expect(try Self.meanOf("7.0 / 2") == 3.5)
        #expect(try Self.meanOf("n / 2", data: "data n: int = 7\n") == 3)
        #expect(try Self.meanOf("q[2]", data: "data a: int[2] = [7, -9]\nlet q = a / 2\n") == -4)
        // Inside a loop, over loop variables (not folded at compile time).
        #expect(try Self.meanOf("s", data: "var s: real = 0\nfor i in 1..5 { s = s + i / 2 }\n") == 6)
    }

    @Test func integerDivisionWarnsWithAHint() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param mu: real\nmu ~ normal(7 / 2, 1)\n")
        let r = RunHarness.synm(["check", model])
        #expect(r.code == 0)
        #expect(r.err.contains("m.synm:2:13: warning: integer division"), "\(r.err)")
        #expect(r.err.contains("7.0 / 2"), "\(r.err)")
    }

    @Test func integerDivisionInASize() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param v: real[7 / 2]\nv ~ normal(0, 1)\n")
        let params = try dir.write("p.json", #"{"v": [0, 0, 0]}"#)
        let r = RunHarness.synm(["logprob", model, "--params", params])
        #expect(r.code == 0, "\(r.err)")
    }

    @Test func integerDivisionByZeroIsLocated() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data z: int = 0\nparam mu: real\nmu ~ normal(1 / z, 1)\n")
        let r = RunHarness.synm(["run", model, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("m.synm:3:13: error: integer division by zero"), "\(r.err)")
    }

    static let coinModel = "data y: int[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n"

    @Test func zeroRowMatrixGivenAsEmptyArray() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data x: real[0, 5]\ndata z: real[N, K]\nparam mu: real\nmu ~ normal(0, 1)\n")
        let data = try dir.write("d.json", #"{"x": [], "z": []}"#)
        let params = try dir.write("p.json", #"{"mu": 0}"#)
        let r = RunHarness.synm(["logprob", model, "--data", data, "--params", params])
        #expect(r.code == 0, "\(r.err)")
        // Rows are still counted: [] is not a matrix of 2 rows.
        let two = try dir.write("m2.synm", "data x: real[2, 5]\nparam mu: real\nmu ~ normal(0, 1)\n")
        #expect(RunHarness.synm(["logprob", two, "--data", data, "--params", params]).code == 65)
    }

    @Test func unusedStringKeyIsAWarning() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", Self.coinModel)
        let data = try dir.write("d.json", #"{"y": [1, 0, 1], "comment": "collected in 2024", "meta": {"a": 1}}"#)
        let params = try dir.write("p.json", #"{"p": 0.5}"#)
        let r = RunHarness.synm(["logprob", model, "--data", data, "--params", params])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("d.json:1:29: warning:"), "\(r.err)")
        #expect(r.err.contains("'comment'") && r.err.contains("'meta'"), "\(r.err)")
    }

    @Test func declaredStringKeyIsAnError() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", Self.coinModel)
        let data = try dir.write("d.json", #"{"y": "1 0 1"}"#)
        let r = RunHarness.synm(["run", model, "--data", data])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("d.json:1:7: error:"), "\(r.err)")
    }

    @Test func realLiteralForAnIntIsRefused() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data n: int\ndata k: int[3]\nparam mu: real\nmu ~ normal(0, 1)\n")
        let data = try dir.write("d.json", #"{"n": 200.0, "k": [1, 2e0, 3]}"#)
        let r = RunHarness.synm(["run", model, "--data", data])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("d.json:1:7: error: n is 200 written as a real number"), "\(r.err)")
        #expect(r.err.contains("d.json:1:23: error: k[2] is 2 written as a real number"), "\(r.err)")
        // Integer literals are fine.
        let good = try dir.write("g.json", #"{"n": 200, "k": [1, 2, 3]}"#)
        let params = try dir.write("p.json", #"{"mu": 0}"#)
        #expect(RunHarness.synm(["logprob", model, "--data", good, "--params", params]).code == 0)
    }

    @Test func sbcRefusesATargetLikelihood() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
            data y: real[5] = [0.1, -0.3, 0.8, 1.2, -0.5]
            param mu: real
            mu ~ normal(0, 1)
            target += normal_lpdf(y | mu, 1)

            """)
        let r = RunHarness.synm(["sbc", model, "--reps", "4", "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("m.synm:4:1: error: sbc cannot simulate"), "\(r.err)")
        #expect(r.out.isEmpty)
    }
}
