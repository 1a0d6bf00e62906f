// Scripted REPL sessions: the coin model's posterior Beta(15, 7) against closed forms within
// 4 reported MCSEs, mistakes answered with a message while the session goes on, random input
// that never crashes it, and an interrupted :sample.
import Foundation
import SynmIO
import SynmMath
import Testing
@testable import SynmDriver

enum ReplHarness {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func model(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("models").appendingPathComponent(name).path
    }

    /// A session on string sinks.
    static func session() -> (ReplSession, StringSink, StringSink) {
        let out = StringSink(), err = StringSink()
        return (ReplSession(console: Console(out: out, err: err)), out, err)
    }

    /// Feeds one line; returns what it printed on standard output and error.
    static func line(_ s: ReplSession, _ out: StringSink, _ err: StringSink, _ text: String) -> (out: String, err: String) {
        let o = out.text.count, e = err.text.count
        s.handle(text)
        return (String(out.text.dropFirst(o)), String(err.text.dropFirst(e)))
    }

    /// `0.6812 ± 0.0021` → (0.6812, 0.0021).
    static func estimate(_ text: String) -> (Double, Double)? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: " ± ")
        guard parts.count == 2, let v = Double(parts[0]), let e = Double(parts[1]) else { return nil }
        return (v, e)
    }
}

@Suite struct ReplSessionTests {
    @Test func coinPosteriorMatchesBetaWithinMCSE() throws {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("coin.synm"))
        #expect(out.text.contains("parameters: p"))
        let sampled = ReplHarness.line(s, out, err, ":sample --seed 7 --chains 4 --warmup 300 --draws 600")
        #expect(sampled.out.hasPrefix("sampled 4 chains × 600 draws"), "\(sampled)")
        let a = 15.0, b = 7.0
        let exact: [(String, Double)] = [
            ("mean(p)", a / (a + b)),
            ("P(p > 0.5)", 1 - regularizedIncompleteBeta(a: a, b: b, x: 0.5)),
            ("quantile(p, 0.95)", inverseRegularizedIncompleteBeta(a: a, b: b, p: 0.95)),
            ("E(p^2)", a * (a + 1) / ((a + b) * (a + b + 1))),
            ("sd(p)", (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()),
            ("median(p)", inverseRegularizedIncompleteBeta(a: a, b: b, p: 0.5)),
            ("E(log(p / (1 - p)))", digamma(a) - digamma(b)),
        ]
        for (expr, value) in exact {
            let r = ReplHarness.line(s, out, err, expr)
            let (v, e) = try #require(ReplHarness.estimate(r.out), "\(expr) printed \(r)")
            #expect(e > 0 && e < 0.05, "\(expr): MCSE \(e)")
            #expect(Swift.abs(v - value) <= 4 * e, "\(expr) = \(v) ± \(e), exact \(value)")
        }
        // corr(p, heads_rep): heads_rep | p ~ binomial(20, p); corr = sd(20p) / sd(heads_rep).
        let varP = a * b / ((a + b) * (a + b) * (a + b + 1)), meanP = a / (a + b)
        let varHeads = 20 * (meanP - (varP + meanP * meanP)) + 400 * varP
        let rho = (400 * varP).squareRoot() / varHeads.squareRoot()
        let c = ReplHarness.line(s, out, err, "corr(p, heads_rep)")
        let (r, se) = try #require(ReplHarness.estimate(c.out), "\(c)")
        #expect(Swift.abs(r - rho) <= 4 * se, "corr = \(r) ± \(se), exact \(rho)")
        #expect(err.text.isEmpty || err.text.hasPrefix("warning"), "\(err.text)")
    }

    @Test func expressionsOverDrawsAndData() throws {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("eight_schools.synm"))
        _ = ReplHarness.line(s, out, err, ":set seed = 3")
        _ = ReplHarness.line(s, out, err, ":sample --chains 2 --warmup 200 --draws 200")
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "mean(theta[1] - theta[2])").out) != nil)
        let vector = ReplHarness.line(s, out, err, "mean(theta)").out
        #expect(vector.hasPrefix("[") && vector.components(separatedBy: " ± ").count == 9, "\(vector)")
        #expect(ReplHarness.line(s, out, err, "J").out == "8\n")
        #expect(ReplHarness.line(s, out, err, "y[1] + 1").out == "29\n")
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "P(abs(theta[1] - y[1]) < sigma[1])").out) != nil)
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "E(sum(eta) / J)").out) != nil)
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "P(mu > mean(mu))").out) != nil)
        #expect(ReplHarness.line(s, out, err, "hist(tau)").out.contains("│"))
        #expect(ReplHarness.line(s, out, err, "exp(mu / 10)").out.hasPrefix("mean "))
        #expect(ReplHarness.line(s, out, err, ":summary").out.contains("ESS_bulk"))
    }

    @Test func mistakesGetAMessageAndTheSessionGoesOn() throws {
        let (s, out, err) = ReplHarness.session()
        let cases: [(String, String)] = [
            ("mean(p)", "unknown name 'p'"),
            (":sample", "no model loaded"),
            (":load /no/such/model.synm", "no such file"),
            (":frobnicate", "unknown command"),
        ]
        for (input, message) in cases {
            let r = ReplHarness.line(s, out, err, input)
            #expect(r.err.contains(message), "\(input) → \(r.err)")
            #expect(r.out.isEmpty, "\(input) → \(r.out)")
        }
        s.load(ReplHarness.model("coin.synm"))
        let more: [(String, String)] = [
            ("mean(p)", "no draws yet"),
            (":summary", "no draws yet"),
            (":smaple", "did you mean ':sample'?"),
            (":set chains = 0", "chains must be a whole number"),
            (":set sampler = gibbs", "unknown sampler"),
            (":set colour = 3", "neither a data name"),
            (":set y = [1, 0", "cannot read the value"),
            (":sample --draws", "needs a value"),
            (":sample --drawz 10", "did you mean '--draws'?"),
            (":data /no/such/data.json", "no such file"),
        ]
        for (input, message) in more {
            let r = ReplHarness.line(s, out, err, input)
            #expect(r.err.contains(message), "\(input) → \(r.err)")
        }
        _ = ReplHarness.line(s, out, err, ":sample --seed 1 --chains 2 --warmup 200 --draws 200")
        let after: [(String, String)] = [
            ("mean(pp)", "did you mean 'p'?"),
            ("mean(p", "expected"),
            ("mean(p) * 2", "arithmetic on a reduction"),
            ("P(p + 1)", "needs a condition"),
            ("quantile(p, 2)", "in [0, 1]"),
            ("quantile(p)", "takes 2 arguments"),
            ("p[1]", "cannot index a scalar"),
            ("mean(1 + 2)", "varies over the draws"),
            ("meen(p)", "did you mean 'mean'?"),
            ("y + [1, 2]", "shapes do not match"),
            ("y[30]", "out of range"),
            ("normal_lpdf(p | 0, 1)", "densities"),
            ("mean", "is a function"),
        ]
        for (input, message) in after {
            let r = ReplHarness.line(s, out, err, input)
            #expect(r.err.contains(message), "\(input) → \(r.err)")
        }
        // Still working.
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "mean(p)").out) != nil)
        #expect(s.handle(":quit") == false)
    }

    @Test func dataValuesAndOptionsCanBeSet() throws {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("coin.synm"))
        // 3 heads in 4 flips: Beta(4, 2), mean 2/3.
        let r = ReplHarness.line(s, out, err, ":set y = [1, 1, 0, 1]")
        #expect(r.out == "y = [1, 1, 0, 1]\n", "\(r)")
        _ = ReplHarness.line(s, out, err, ":set draws = 500")
        _ = ReplHarness.line(s, out, err, ":set warmup = 300")
        _ = ReplHarness.line(s, out, err, ":set seed = 5")
        #expect(ReplHarness.line(s, out, err, ":sample").out.contains("× 500 draws (warmup 300, nuts, seed 5)"))
        let (v, e) = try #require(ReplHarness.estimate(ReplHarness.line(s, out, err, "mean(p)").out))
        #expect(Swift.abs(v - 4.0 / 6) <= 4 * e)
        #expect(ReplHarness.line(s, out, err, ":set").out.contains("data: y = [1, 1, 0, 1]"))
        #expect(ReplHarness.line(s, out, err, ":model").out.contains("param p"))
        // :optimize runs in process on the session's data, :set values included: the MLE of
        // 3 heads in 4 flips is 3/4, with SE √(p(1 − p)/n) = √(3/64).
        let opt = ReplHarness.line(s, out, err, ":optimize --mle --json")
        let doc = try JSONParser().parse(opt.out)
        #expect(Swift.abs((doc["estimate"]?["p"]?.doubleValue ?? 0) - 0.75) < 1e-9, "\(opt)")
        #expect(Swift.abs((doc["se"]?["p"]?.doubleValue ?? 0) - (3.0 / 64).squareRoot()) < 1e-9)
        // The session's data cannot be swapped under it by an option.
        #expect(ReplHarness.line(s, out, err, ":fisher --data other.json").err.contains("works on the session's data"))
    }

    @Test func randomInputNeverEndsTheSession() throws {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("coin.synm"))
        _ = ReplHarness.line(s, out, err, ":sample --seed 2 --chains 1 --warmup 100 --draws 100")
        var rng = Xoshiro256StarStar(seed: 2024, stream: 0)
        // Random bytes (decoded as the terminal reader would), then random token soup.
        for _ in 0..<300 {
            let n = Int(rng.next() % 24)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if bytes.first == UInt8(ascii: ":") { bytes[0] = UInt8(ascii: ";") }  // not a command
            let line = String(decoding: bytes, as: UTF8.self)
            #expect(s.handle(line))
        }
        let vocabulary = ["p", "heads_rep", "N", "y", "(", ")", "[", "]", ",", "+", "-", "*", "/", "^", ">", "<=",
                          "==", "&&", "||", "!", "0", "1", "0.5", "1e308", "-1", "mean", "P", "E", "sd", "quantile",
                          "corr", "hist", "exp", "log", "pow", "sum", "inv_logit", "logit", "|", "~", "=", "..", "{"]
        for _ in 0..<2000 {
            let n = 1 + Int(rng.next() % 12)
            let line = (0..<n).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }.joined(separator: " ")
            #expect(s.handle(line))
        }
        #expect(ReplHarness.estimate(ReplHarness.line(s, out, err, "mean(p)").out) != nil)
    }

    @Test func anInterruptedSampleKeepsThePreviousDraws() throws {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("coin.synm"))
        let first = ReplHarness.line(s, out, err, ":sample --seed 1 --chains 2 --warmup 100 --draws 100")
        #expect(first.out.hasPrefix("sampled"))
        let flag = s.interrupt
        s.progressHook = { _, iteration, _ in if iteration == 50 { flag.set() } }
        let started = Date()
        let r = ReplHarness.line(s, out, err, ":sample --seed 2 --chains 2 --warmup 20000 --draws 20000")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(r.err.contains("interrupted: sampling stopped; the previous draws are kept"), "\(r)")
        #expect(s.result?.sampling.configuration.draws == 100)
        s.progressHook = nil
        #expect(ReplHarness.line(s, out, err, ":sample --seed 3 --chains 1 --warmup 100 --draws 100").out.hasPrefix("sampled"))
    }

    @Test func estimatesAreFormattedToTheirMCSE() {
        #expect(ReplSession.plusMinus(0.681234, 0.00213) == "0.6812 ± 0.0021")
        #expect(ReplSession.plusMinus(12.3456, 0.5) == "12.35 ± 0.50")
        #expect(ReplSession.plusMinus(0.5, 0) == "0.5000 ± 0")
        #expect(ReplSession.plusMinus(.nan, 0.1) == "nan")
        #expect(ReplSession.split(#":x --footing "power(0.5)" 'a b'"#) == [":x", "--footing", "power(0.5)", "a b"])
    }
}
