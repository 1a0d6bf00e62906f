// `synm optimize` against closed forms: MLEs of normal, poisson and bernoulli samples and
// their standard errors, MAP of a conjugate normal–normal model and of a bounded sd without
// the Jacobian, and the diagnoses (boundary, unbounded objective, no finite optimum, a
// Hessian that is not negative definite). Tolerances: the Newton polish on the exact Hessian
// converges quadratically, so estimates agree with closed forms to rounding (~1e-13
// relative); 1e-9 leaves room for the conditioning of sums over the sample.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

/// Writes models and data to a fresh temporary folder and runs synm commands in process.
struct InfoHarness {
    let dir: URL
    init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-info-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    /// Writes `NAME.synm` (and `NAME.data.json` if given); returns the model path.
    func model(_ name: String, _ source: String, data: String? = nil) -> String {
        let path = dir.appendingPathComponent("\(name).synm").path
        try? source.write(toFile: path, atomically: true, encoding: .utf8)
        if let data { try? data.write(toFile: dir.appendingPathComponent("\(name).data.json").path, atomically: true, encoding: .utf8) }
        return path
    }
    func file(_ name: String, _ text: String) -> String {
        let path = dir.appendingPathComponent(name).path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
    /// Runs `synm ARGS`; returns the exit code, standard output and error.
    func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let out = StringSink(), err = StringSink()
        let code = Driver.run(args, console: Console(out: out, err: err))
        return (code, out.text, err.text)
    }
    /// Runs `synm ARGS --json` and parses standard output.
    func json(_ args: [String]) throws -> (code: Int32, doc: JSONValue, err: String) {
        let r = run(args + ["--json"])
        return (r.code, try JSONParser().parse(r.out), r.err)
    }
}

extension JSONValue {
    /// A number member, or NaN.
    func number(_ keys: String...) -> Double {
        var v: JSONValue? = self
        for k in keys { v = v?[k] }
        return v?.doubleValue ?? .nan
    }
    /// A matrix of numbers.
    var matrix: [[Double]] { (arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.doubleValue ?? .nan } } }
}

/// A Stan JSON data file; whole numbers are written as integer literals (`1`, not `1.0`),
/// which int data requires, as in CmdStan.
func data(_ values: [String: [Double]]) -> String {
    func literal(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
    return "{" + values.map { "\"\($0.key)\": [\($0.value.map(literal).joined(separator: ", "))]" }.joined(separator: ", ") + "}"
}

func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(1, abs(b)) }

let normalSample: [Double] = [2.31, -0.42, 1.87, 3.05, 0.66, 1.12, -1.3, 2.48, 0.95, 1.71, 0.2, 2.9]

@Suite struct OptimizeTests {
    let h = InfoHarness()

    @Test func normalMLE() throws {
        let m = h.model("normal", """
            data y: real[n]
            param mu: real
            param sigma: real<lower=0>
            mu ~ normal(0, 10)
            sigma ~ exponential(1)
            y ~ normal(mu, sigma)
            """, data: data(["y": normalSample]))
        let r = try h.json(["optimize", m, "--mle"])
        #expect(r.code == 0)
        let n = Double(normalSample.count)
        let mean = normalSample.reduce(0, +) / n
        let sd = (normalSample.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        #expect(r.doc["kind"]?.stringValue == "mle")
        #expect(r.doc["converged"] == .bool(true))
        #expect(close(r.doc.number("estimate", "mu"), mean))
        #expect(close(r.doc.number("estimate", "sigma"), sd))
        // Observed information at the MLE is diag(n/σ̂², 2n/σ̂²).
        #expect(close(r.doc.number("se", "mu"), sd / n.squareRoot()))
        #expect(close(r.doc.number("se", "sigma"), sd / (2 * n).squareRoot()))
        let lp = normalSample.map { -0.5 * log(2 * Double.pi) - log(sd) - ($0 - mean) * ($0 - mean) / (2 * sd * sd) }.reduce(0, +)
        #expect(close(r.doc.number("lp"), lp))
        #expect((r.doc["iterations"]?.doubleValue ?? 0) >= 1)
    }

    @Test func poissonAndBernoulliMLE() throws {
        let counts: [Double] = [3, 0, 2, 5, 1, 4, 2, 2, 6, 1]
        let pm = h.model("pois", "data y: int[n]\nparam lambda: real<lower=0>\ny ~ poisson(lambda)\n", data: data(["y": counts]))
        let p = try h.json(["optimize", pm, "--mle"])
        let n = Double(counts.count), mean = counts.reduce(0, +) / n
        #expect(p.code == 0)
        #expect(close(p.doc.number("estimate", "lambda"), mean))
        #expect(close(p.doc.number("se", "lambda"), (mean / n).squareRoot()))  // I = n/λ

        let flips: [Double] = [1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1]
        let bm = h.model("coin", "data y: int[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n", data: data(["y": flips]))
        let b = try h.json(["optimize", bm, "--mle"])
        let k = Double(flips.count), phat = flips.reduce(0, +) / k
        #expect(b.code == 0)
        #expect(close(b.doc.number("estimate", "p"), phat))
        #expect(close(b.doc.number("se", "p"), (phat * (1 - phat) / k).squareRoot()))  // I = n/(p(1−p))
    }

    /// Conjugate normal–normal (σ = 1 known): the mode is the posterior mean
    /// (m₀/t₀² + Σy)/(1/t₀² + n) and the SE the posterior sd (1/t₀² + n)^(-1/2).
    @Test func conjugateMAP() throws {
        let m = h.model("conj", "data y: real[n]\nparam mu: real\nmu ~ normal(3, 0.5)\ny ~ normal(mu, 1)\n",
                        data: data(["y": normalSample]))
        let r = try h.json(["optimize", m])
        let n = Double(normalSample.count), precision = 1 / 0.25 + n
        #expect(r.code == 0)
        #expect(r.doc["kind"]?.stringValue == "map")
        #expect(close(r.doc.number("estimate", "mu"), (3 / 0.25 + normalSample.reduce(0, +)) / precision))
        #expect(close(r.doc.number("se", "mu"), 1 / precision.squareRoot()))
    }

    /// MAP of a bounded sd leaves the Jacobian out: with y ~ normal(0, σ), σ ~ exponential(1),
    /// the mode solves d/dσ [−n log σ − S/(2σ²) − σ] = 0, i.e. σ³ + nσ² − S = 0.
    @Test func mapHasNoJacobian() throws {
        let m = h.model("sd", "data y: real[n]\nparam sigma: real<lower=0>\nsigma ~ exponential(1)\ny ~ normal(0, sigma)\n",
                        data: data(["y": normalSample]))
        let r = try h.json(["optimize", m])
        let n = Double(normalSample.count), s = normalSample.map { $0 * $0 }.reduce(0, +)
        var sigma = 1.0
        for _ in 0..<100 { sigma -= (sigma * sigma * sigma + n * sigma * sigma - s) / (3 * sigma * sigma + 2 * n * sigma) }
        #expect(close(r.doc.number("estimate", "sigma"), sigma))
        // −d²/dσ² of the objective at the mode: −n/σ² + 3S/σ⁴.
        #expect(close(r.doc.number("se", "sigma"), 1 / (-n / (sigma * sigma) + 3 * s / pow(sigma, 4)).squareRoot()))
    }

    @Test func boundaryOptimum() throws {
        let m = h.model("allheads", "data y: int[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n",
                        data: data(["y": [1, 1, 1, 1, 1]]))
        let r = try h.json(["optimize", m, "--mle"])
        #expect(r.code == 0)  // p̂ = 1 exists, on the boundary
        #expect(r.doc.number("estimate", "p") > 1 - 1e-6)
        #expect(r.doc["se"] == .null)
        #expect(r.doc["boundary"]?.arrayValue?.first?["edge"]?.stringValue == "upper bound")
        #expect(r.err.contains("on the boundary: p is at its upper bound"))
    }

    @Test func unboundedObjective() throws {
        let m = h.model("one", "data y: real[n]\nparam mu: real\nparam sigma: real<lower=0>\ny ~ normal(mu, sigma)\n",
                        data: data(["y": [1.5]]))
        let r = h.run(["optimize", m, "--mle"])
        #expect(r.code == ExitCode.runtime.rawValue)
        #expect(r.err.contains("the objective is unbounded"))
        #expect(r.err.contains("sigma → lower bound"))
    }

    @Test func noFiniteOptimum() throws {
        let m = h.model("sep", "data x: real[n]\ndata y: int[n]\nparam b: real\ny ~ bernoulli_logit(b * x)\n",
                        data: data(["x": [-2, -1, 1, 2], "y": [0, 0, 1, 1]]))
        let r = h.run(["optimize", m, "--mle"])
        #expect(r.code == ExitCode.runtime.rawValue)
        #expect(r.err.contains("b runs off to +infinity"))
    }

    /// y ~ normal(a + b, 1): the log-likelihood is flat along a − b, so the Hessian has
    /// eigenvalues −2n and 0 with eigenvector (1, −1)/√2.
    @Test func ridgeIsReported() throws {
        let m = h.model("ridge", "data y: real[n]\nparam a: real\nparam b: real\ny ~ normal(a + b, 1)\n",
                        data: data(["y": [1.0, 2.0, 0.5]]))
        let r = try h.json(["optimize", m, "--mle"])
        #expect(r.doc["se"] == .null)
        let eigen = (r.doc["hessian_eigenvalues"]?.arrayValue ?? []).compactMap(\.doubleValue)
        #expect(eigen.count == 2 && close(eigen[0], -6) && abs(eigen[1]) < 1e-9)
        #expect(r.err.contains("not negative definite"))
        #expect(r.err.contains("0.71·a -0.71·b") || r.err.contains("-0.71·a +0.71·b"))
        #expect(abs(r.doc.number("estimate", "a") + r.doc.number("estimate", "b") - 3.5 / 3) < 1e-9)
    }

    @Test func usageAndHelp() {
        #expect(h.run(["optimize"]).code == ExitCode.usage.rawValue)
        #expect(h.run(["optimize", "x.synm", "--seed", "-1"]).code == ExitCode.usage.rawValue)
        let help = h.run(["help", "optimize"])
        #expect(help.code == 0 && help.out.contains("uniform(-2, 2)"))
        #expect(h.run(["--help"]).out.contains("optimize MODEL"))
    }
}
