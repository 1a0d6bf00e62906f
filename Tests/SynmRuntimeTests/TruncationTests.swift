// Truncation `y ~ d(args) T[L, U]` (Stan's syntax and semantics): log densities against
// scipy 1.17.1 (truncnorm.logpdf; poisson/expon logpmf/logpdf minus logsf/logcdf; the far
// tail against 40-digit mpmath), exact gradients and Hessians through inline models, located
// errors, checker hints, and simulation/predict draws within the bounds with the truncated
// moments (scipy truncnorm.mean/var; the zero-truncated poisson from its pmf) within 4.5 MCSE.
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct TruncationTests {
    static let constrained = CompiledModel.Options(unconstrained: false, jacobian: false)

    @Test("log densities against scipy", arguments: [
        ("data y: real[3] = [0.5, 1.2, 3.3]\nparam mu: real\ny ~ normal(mu, 1.5) T[0, 5]", [1.0], -4.324765819665462),
        ("data y: real[3] = [0.5, 1.2, 3.3]\nparam mu: real\ny ~ normal(mu, 1.5) T[0, ]", [1.0], -4.340177952281585),
        ("data y: real[3] = [0.5, 1.2, 3.3]\nparam mu: real\ny ~ normal(mu, 1.5) T[, 4]", [1.0], -5.144172195951621),
        // Both bounds ten SDs out: F(12) − F(10) cancels in the lower tail; the survival form does not.
        ("data y: real = 10.5\nparam mu: real\ny ~ normal(mu, 1) T[10, 12]", [0.0], -2.8126533824590635),
        ("data k: int[4] = [1, 3, 2, 5]\nparam lambda: real<lower=0>\nk ~ poisson(lambda) T[1, ]", [2.2], -6.9296208333116365),
        ("data k: int[4] = [1, 3, 2, 5]\nparam lambda: real<lower=0>\nk ~ poisson(lambda) T[1, 6]", [2.2], -6.8959147927463755),
        ("data y: real[2] = [0.3, 1.5]\nparam b: real<lower=0>\ny ~ exponential(b) T[, 2]", [0.8], -1.435253076146024),
        // A half-normal and a half-cauchy prior, as Stan users write them: log 2 + log density.
        ("param sigma: real<lower=0>\nsigma ~ normal(0, 1) T[0, ]", [0.7], 0.6931471805599453 - 0.9189385332046727 - 0.245),
        ("param sigma: real<lower=0>\nsigma ~ cauchy(0, 2.5) T[0, ]", [0.7],
         0.6931471805599453 - Foundation.log(Double.pi * 2.5 * (1 + 0.0784))),
    ])
    func values(_ text: String, _ x: [Double], _ expected: Double) throws {
        var model = try compile(text)
        let v = try model.evaluate(x, options: Self.constrained).value
        #expect(abs(v - expected) <= 1e-13 * abs(expected), "\(v) vs \(expected)")
    }

    @Test("errors are located", arguments: [
        ("data y: real[2] = [1.0, 6.0]\nparam mu: real\ny ~ normal(mu, 1.5) T[0, 5]", "normal: y = 6 is outside the truncation [0, 5] (row 2)"),
        ("data y: real = 1\nparam mu: real\ny ~ normal(mu, 1) T[2, 1]", "normal: the truncation T[2, 1] is empty"),
        ("data k: int = 0\nparam l: real<lower=0>\nk ~ poisson(l) T[1, ]", "poisson: y = 0 is outside the truncation [1, inf]"),
    ])
    func errors(_ text: String, _ message: String) throws {
        var model = try compile(text)
        try expectLocatedRuntimeError(message) { _ = try model.evaluate([Double](repeating: 0.3, count: model.dimension)) }
    }

    @Test("misuse is a checker error", arguments: [
        ("data k: int = 1\nparam a: real\nk ~ poisson_log(a) T[0, 2]", "poisson_log cannot be truncated: truncation needs its CDF"),
        ("data k: int = 1\nparam a: real<lower=0>\nk ~ poisson(a) T[0.5, ]", "the bounds of a truncated poisson must be ints"),
        ("data y: real = 1\nparam a: real\ny ~ normal(a, 1) T[, ]", "T[, ] gives no bound"),
        ("data y: real = 1\ndata v: real[2] = [0, 1]\nparam a: real\ny ~ normal(a, 1) T[v, ]", "a truncation bound must be a scalar"),
        ("data y: real = 1\nparam a: real\ny ~ normal(a, 1) T[0, 2] footing equal", "a truncated term cannot have a footing yet"),
    ])
    func misuse(_ text: String, _ message: String) throws {
        try expectCheckerError(message) { _ = try compile(text) }
    }

    static let cases: [InlineCase] = [
        InlineCase("truncated normal: bounds from data and parameters", edge: 3, """
            data y: real[3] = [0.5, 1.2, 3.3]
            param mu: real
            param sigma: real<lower=0>
            param lo: real<upper=min(y)>
            param hi: real<lower=max(y)>
            y ~ normal(mu, sigma) T[lo, hi]
            y ~ normal(mu, sigma) T[0, ]
            y ~ normal(mu, sigma) T[, hi]
            y ~ normal(mu, sigma) T[-1, 4]
            """),
        InlineCase("truncated counts and positive families", edge: 3, """
            data k: int[4] = [1, 3, 2, 5]
            data n: int[4] = [4, 6, 3, 9]
            data y: real<lower=0>[2] = [0.3, 1.5]
            param lambda: real<lower=0>
            param theta: real<lower=0, upper=1>
            param b: real<lower=0>
            param u: real<lower=1.5>
            k ~ poisson(lambda) T[1, ]
            k ~ poisson(lambda) T[1, 9]
            k ~ binomial(n, theta) T[1, ]
            y ~ exponential(b) T[, u]
            y ~ weibull(b, 2) T[0.1, u]
            """),
    ]

    @Test(arguments: cases)
    func gradientsAndHessians(_ c: InlineCase) throws { try checkInlineModel(c) }

    /// Predict draws from normal(0, 1) T[−1, 2] and poisson(2.2) T[1, ]: all within the
    /// bounds, means and variances within 4.5 MCSE of the truncated moments.
    @Test("predict draws follow the truncated distribution")
    func predict() throws {
        let n = 20_000
        var model = try compile("""
            param a: real
            a ~ normal(0, 1)
            predict z: real[\(n)] ~ normal(0, 1) T[-1, 2]
            predict k: int[\(n)] ~ poisson(2.2) T[1, ]
            """)
        var rng = Xoshiro256StarStar(seed: 12)
        let out = try model.draw([0], rng: &rng)
        for (name, mean, variance, lo, hi) in [("z", 0.22963717909132902, 0.5197625392115339, -1.0, 2.0),
                                               ("k", 2.474142841025143, 1.7958742934844905, 1.0, Double.infinity)] {
            let v = try #require(out.first { $0.name == name }?.values)
            #expect(v.allSatisfy { $0 >= lo && $0 <= hi })
            let m = v.reduce(0, +) / Double(n)
            let s2 = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            let m4 = v.reduce(0) { $0 + pow($1 - m, 4) } / Double(n)
            #expect(abs(m - mean) <= 4.5 * (variance / Double(n)).squareRoot(), "\(name): mean \(m) vs \(mean)")
            #expect(abs(s2 - variance) <= 4.5 * ((m4 - variance * variance) / Double(n)).squareRoot(),
                    "\(name): variance \(s2) vs \(variance)")
        }
    }

    @Test("a truncated prior is drawn within its bounds")
    func truncatedPrior() throws {
        let model = try compile("param sigma: real<lower=0>\nparam mu: real\nsigma ~ normal(-3, 1) T[0, ]\nmu ~ normal(0, 1) T[, -30]\n")
        for seed in 1...20 {
            let s = try model.simulate(rng: Xoshiro256StarStar(seed: UInt64(seed)))
            #expect(try #require(s.parameters["sigma"]?.first) >= 0)
            #expect(try #require(s.parameters["mu"]?.first) <= -30)
        }
    }

    @Test("simulation draws truncated data within the bounds")
    func simulation() throws {
        let model = try compile("""
            data y: real[50] = [\(Array(repeating: "0.5", count: 50).joined(separator: ", "))]
            param mu: real
            mu ~ normal(0, 1)
            y ~ normal(mu, 2) T[0, 1.5]
            """)
        let s = try model.simulate(rng: Xoshiro256StarStar(seed: 3))
        let y = try #require(s.data["y"]?.values)
        #expect(y.allSatisfy { $0 >= 0 && $0 <= 1.5 } && Set(y).count == 50)
    }
}
