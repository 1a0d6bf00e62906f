// The multivariate distributions through the language: log densities against scipy and the
// LKJ closed form (MultivariateReferenceValues.swift, with its generator's provenance),
// exact gradients against finite differences and Hessians against differences of the
// gradient (checkInlineModel: every argument a parameter — mu, Sigma or L through its
// elements, nu, alpha, theta through softmax, eta, the variate itself), located errors for
// invalid arguments and mismatched sizes, checker errors for misuse, `_rng` and predict
// moments within 4.5 Monte Carlo standard errors, and forward simulation.
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

/// A 2 × 2 covariance from scales s and a correlation r, as models build one.
private let sigma2 = """
    param s: real<lower=0>[2]
    param r: real<lower=-1, upper=1>
    var Sigma: real[2, 2]
    Sigma[1, 1] = s[1] * s[1]
    Sigma[2, 2] = s[2] * s[2]
    Sigma[1, 2] = r * s[1] * s[2]
    Sigma[2, 1] = r * s[1] * s[2]

    """

/// The Cholesky factor of a 3 × 3 correlation matrix from three correlations in (−1, 1)
/// (canonical partial correlations), and the matrix itself.
private let correlation3 = """
    param z: real<lower=-1, upper=1>[3]
    var L: real[3, 3]
    L[1, 1] = 1
    L[1, 2] = 0
    L[1, 3] = 0
    L[2, 1] = z[1]
    L[2, 2] = sqrt(1 - z[1] * z[1])
    L[2, 3] = 0
    L[3, 1] = z[2]
    L[3, 2] = z[3] * sqrt(1 - z[2] * z[2])
    L[3, 3] = sqrt((1 - z[2] * z[2]) * (1 - z[3] * z[3]))
    var O: real[3, 3]
    O[1, 1] = 1
    O[2, 2] = 1
    O[3, 3] = 1
    O[1, 2] = z[1]
    O[2, 1] = z[1]
    O[1, 3] = z[2]
    O[3, 1] = z[2]
    O[2, 3] = z[1] * z[2] + L[2, 2] * L[3, 2]
    O[3, 2] = O[2, 3]

    """

private let rows3 = "data y: real[3, 2] = [[0.1, 0.3], [1.2, -0.4], [-0.5, 0.2]]\n"

enum MultivariateCases {
    static let all: [InlineCase] = [
        InlineCase("multi_normal", edge: 3, rows3 + sigma2 + "param mu: real[2]\ny ~ multi_normal(mu, Sigma)"),
        InlineCase("multi_normal per-row mu", edge: 3, rows3 + sigma2 + """
            param m: real[3, 2]
            target += multi_normal_lpdf(y | m, Sigma)
            """),
        InlineCase("multi_normal prior on a vector", edge: 3, sigma2 + """
            param beta: real[3, 2]
            param m: real[2]
            beta ~ multi_normal(m, Sigma)
            """),
        InlineCase("multi_normal_cholesky", edge: 3, rows3 + """
            param mu: real[2]
            param d: real<lower=0>[2]
            param l21: real
            var L: real[2, 2]
            L[1, 1] = d[1]
            L[1, 2] = 0
            L[2, 1] = l21
            L[2, 2] = d[2]
            y ~ multi_normal_cholesky(mu, L)
            """),
        InlineCase("multi_student_t", edge: 3, rows3 + sigma2 + """
            param mu: real[2]
            param nu: real<lower=0.5>
            y ~ multi_student_t(nu, mu, Sigma)
            """),
        InlineCase("dirichlet", edge: 3, """
            data theta: real[2, 3] = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]
            param alpha: real<lower=0>[3]
            param v: real[3]
            theta ~ dirichlet(alpha)
            softmax(v) ~ dirichlet(alpha)
            """),
        InlineCase("multinomial", edge: 3, """
            data c: int[2, 3] = [[3, 0, 5], [1, 2, 1]]
            param v: real[3]
            c ~ multinomial(softmax(v))
            c[1] ~ multinomial_logit(v)
            """),
        InlineCase("lkj_corr", edge: 3, correlation3 + "param eta: real<lower=0>\nO ~ lkj_corr(eta)"),
        InlineCase("lkj_corr_cholesky", edge: 3, correlation3 + "param eta: real<lower=0>\nL ~ lkj_corr_cholesky(eta)"),
    ]
}

@Suite struct MultivariateDistributionTests {
    @Test("log densities against scipy and the LKJ closed form", arguments: multivariateReferenceValues.indices)
    func values(_ i: Int) throws {
        let (expression, expected) = multivariateReferenceValues[i]
        let v = try functionValue(expression)
        #expect(abs(v - expected) <= 1e-12 * max(abs(expected), 1), "\(expression) = \(v), expected \(expected)")
    }

    @Test("gradients and Hessians", arguments: MultivariateCases.all)
    func derivatives(_ c: InlineCase) throws { try checkInlineModel(c) }

    @Test("invalid arguments and mismatched sizes are located errors", arguments: [
        ("multi_normal_lpdf([0.3, -1.1] | [0.2, -0.1], [[1.5, 0.4], [0.3, 0.8]])",
         "multi_normal: Sigma is not symmetric: Sigma[2, 1] = 0.3 but Sigma[1, 2] = 0.4"),
        ("multi_normal_lpdf([0.3, -1.1] | [0.2, -0.1], [[1.0, 2.0], [2.0, 1.0]])", "multi_normal: Sigma is not positive definite"),
        ("multi_normal_lpdf([0.3, -1.1, 0.0] | [0.2, -0.1], [[1.0, 0.0], [0.0, 1.0]])",
         "multi_normal: the left side has 3 values but Sigma is 2 × 2"),
        ("multi_normal_lpdf([0.3, -1.1, 0.0] | [0.2, -0.1, 0.0], [[1.0, 0.0], [0.0, 1.0]])",
         "multi_normal: mu has 3 elements but Sigma is 2 × 2"),
        ("multi_normal_lpdf([[0.3, -1.1], [0.0, 0.0], [1.0, 1.0]] | [[0.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])",
         "multi_normal: the left side has 3 rows but mu has 2"),
        ("multi_normal_lpdf([0.3, -1.1] | [0.0, 0.0], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])",
         "multi_normal: Sigma must be a square K × K matrix (K ≥ 1), got a 2 × 3 matrix"),
        ("multi_normal_cholesky_lpdf([0.3, -1.1] | [0.0, 0.0], [[1.0, 0.5], [0.5, 1.0]])",
         "multi_normal_cholesky: L is not lower triangular: L[1, 2] = 0.5"),
        ("multi_normal_cholesky_lpdf([0.3, -1.1] | [0.0, 0.0], [[1.0, 0.0], [0.5, -1.0]])",
         "multi_normal_cholesky: L is not a Cholesky factor: L[2, 2] = -1 must be > 0"),
        ("multi_student_t_lpdf([0.3, -1.1] | -1.0, [0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])",
         "multi_student_t: nu must be finite and > 0, got -1"),
        ("dirichlet_lpdf([0.2, 0.5, 0.4] | [1.0, 1.0, 1.0])", "dirichlet: theta is not a simplex: its elements sum to 1.1, not 1"),
        ("dirichlet_lpdf([[0.2, 0.5, 0.3], [0.2, -0.1, 0.9]] | [1.0, 1.0, 1.0])",
         "dirichlet: theta is not a simplex: theta[2] = -0.1 is negative (row 2)"),
        ("dirichlet_lpdf([0.2, 0.5, 0.3] | [1.0, 0.0, 1.0])", "dirichlet: alpha must be finite and > 0, got 0 (element 2)"),
        ("dirichlet_lpdf([0.5, 0.5] | [1.0, 2.0, 1.0])", "dirichlet: theta has 2 elements but alpha has 3"),
        ("multinomial_lpmf([3, -1, 2] | [0.2, 0.5, 0.3])", "multinomial: a count must be a non-negative integer, got -1 (element 2)"),
        ("multinomial_lpmf([3, 1, 2] | [0.2, 0.5, 0.4])", "multinomial: theta is not a simplex: its elements sum to 1.1, not 1"),
        ("multinomial_lpmf([3, 1] | [0.2, 0.5, 0.3])", "multinomial: the left side has 2 counts but theta has 3"),
        ("multinomial_lpmf([3, 1, 2] | [0.0, 0.5, 0.5])", "multinomial: the log density is not finite (-inf)"),
        ("multinomial_logit_lpmf([3, 1] | [0.2, 0.5, 0.3])",
         "multinomial_logit: the left side has 2 counts but gamma has 3"),
        ("lkj_corr_lpdf([[1.0, 0.2], [0.2, 1.0]] | 0.0)", "lkj_corr: eta must be finite and > 0, got 0"),
        ("lkj_corr_lpdf([[1.0, 0.2], [0.2, 1.1]] | 2.0)", "lkj_corr: y is not a correlation matrix: y[2, 2] = 1.1, not 1"),
        ("lkj_corr_lpdf([[1.0, 1.2], [1.2, 1.0]] | 2.0)", "lkj_corr: y is not positive definite"),
        ("lkj_corr_cholesky_lpdf([[1.0, 0.0], [0.5, 0.5]] | 2.0)",
         "lkj_corr_cholesky: y is not the Cholesky factor of a correlation matrix: row 2 has squared length 0.5, not 1"),
    ])
    func errors(_ expression: String, _ message: String) throws {
        try expectLocatedRuntimeError(message) { _ = try functionValue(expression) }
    }

    @Test("misuse is a checker error", arguments: [
        ("data y: real[2] = [1.0, 2.0]\nparam s: real<lower=0>\ny ~ multi_normal([0.0, 0.0], s)",
         "argument 'Sigma' of multi_normal must be a K × K matrix (real[K, K]), but this is real"),
        ("data y: real = 1.0\nparam m: real[2]\ny ~ multi_normal(m, [[1.0, 0.0], [0.0, 1.0]])",
         "the variate of multi_normal must be a vector (real[K]) or rows of vectors (real[N, K]), but this is real"),
        ("data y: real[3] = [1.0, 2.0, 0.0]\nparam v: real[3]\ny ~ multinomial(softmax(v))",
         "multinomial is a distribution over counts, but the variate is real array"),
        ("param v: real[3]\nv ~ normal(0, 1)\npredict y ~ multinomial(softmax(v))",
         "predict 'y' cannot draw from multinomial: it needs a total count N"),
        ("param eta: real<lower=0>\neta ~ gamma(2, 1)\npredict O ~ lkj_corr(eta)", "predict 'O' from lkj_corr must declare its size"),
        ("param eta: real<lower=0>\neta ~ gamma(2, 1)\nlet O = lkj_corr_rng(2.5, eta)",
         "argument 'K' of lkj_corr_rng must be an int, but this is real"),
        ("param m: real[2]\nm ~ normal(0, 1)\nlet y = multinomial_rng(softmax(m), 10, 2)", "'multinomial_rng' takes 2 arguments"),
    ])
    func misuse(_ text: String, _ message: String) throws {
        try expectCheckerError(message) { _ = try compile(text) }
    }

    @Test("_lupdf and _lupmf give the normalised value, as every density in synm")
    func unnormalisedForms() throws {
        let s = "[[1.5, 0.4], [0.4, 0.8]]"
        #expect(try functionValue("multi_normal_lupdf([0.3, -1.1] | [0.2, -0.1], \(s))")
                == functionValue("multi_normal_lpdf([0.3, -1.1] | [0.2, -0.1], \(s))"))
        #expect(try functionValue("multinomial_lupmf([3, 0, 5] | [0.2, 0.3, 0.5])")
                == functionValue("multinomial_lpmf([3, 0, 5] | [0.2, 0.3, 0.5])"))
    }

    @Test("predict and _rng shapes follow the location and the declaration")
    func shapes() throws {
        var model = try compile("""
            param a: real
            a ~ normal(0, 1)
            data m: real[3, 2] = [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
            let S = [[1.0, 0.2], [0.2, 1.0]]
            predict rows ~ multi_normal(m, S)
            predict one ~ multi_normal([0.0, 1.0], S)
            predict many: real[4, 2] ~ multi_student_t(5.0, [0.0, 1.0], S)
            predict th ~ dirichlet([1.0, 2.0, 3.0])
            let r = multi_normal_rng(m, S)
            let v = multi_normal_cholesky_rng([0.0, 1.0], [[1.0, 0.0], [0.5, 2.0]])
            let one_by_one = lkj_corr_rng(1, 2.0)
            let counts = multinomial_logit_rng([0.0, 0.0], 0)
            """)
        var rng = Xoshiro256StarStar(seed: 93)
        let d = try model.draw([0], rng: &rng)
        let shape = { (n: String) in d.first { $0.name == n }?.shape }
        #expect(shape("rows") == [3, 2] && shape("one") == [2] && shape("many") == [4, 2] && shape("th") == [3])
        #expect(shape("r") == [3, 2] && shape("v") == [2] && shape("one_by_one") == [1, 1] && shape("counts") == [2])
        #expect(d.first { $0.name == "one_by_one" }?.values == [1])
        #expect(d.first { $0.name == "counts" }?.values == [0, 0])
    }

    @Test("a footing is refused")
    func footing() throws {
        try expectLocatedRuntimeError("a footing is not supported with multi_normal yet") {
            _ = try compile("data y: real[2] = [1.0, 2.0]\nparam m: real[2]\ny ~ multi_normal(m, [[1.0, 0.0], [0.0, 1.0]]) footing equal")
        }
    }

    /// The mean of `values` against `expected` within 4.5 standard errors (the sample's own).
    func expectMean(_ values: [Double], _ expected: Double, _ label: String,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        #expect(abs(mean - expected) <= 4.5 * sd / n.squareRoot(), "\(label): mean \(mean), expected \(expected) ± \(4.5 * sd / n.squareRoot())",
                sourceLocation: sourceLocation)
    }

    @Test("multi_normal and multi_student_t draws: means and covariances")
    func locationScaleMoments() throws {
        let n = 4000
        var model = try compile("""
            param a: real
            a ~ normal(0, 1)
            predict z: real[\(n), 2] ~ multi_normal([1.0, -2.0], [[2.0, 0.6], [0.6, 1.0]])
            predict c: real[\(n), 2] ~ multi_normal_cholesky([1.0, -2.0], [[1.5, 0.0], [0.4, 0.5]])
            predict t: real[\(n), 2] ~ multi_student_t(10.0, [1.0, -2.0], [[2.0, 0.6], [0.6, 1.0]])
            """)
        var rng = Xoshiro256StarStar(seed: 91)
        let draws = try model.draw([0], rng: &rng)
        // Covariances: Σ for the normal, LLᵀ for the Cholesky form, ν/(ν − 2)·Σ for the t.
        let cases: [(String, [Double])] = [("z", [2.0, 0.6, 1.0]), ("c", [2.25, 0.6, 0.41]),
                                           ("t", [2.0, 0.6, 1.0].map { $0 * 10 / 8 })]
        for (name, cov) in cases {
            let v = try #require(draws.first { $0.name == name })
            #expect(v.shape == [n, 2])
            let x = stride(from: 0, to: 2 * n, by: 2).map { v.values[$0] }
            let y = stride(from: 1, to: 2 * n, by: 2).map { v.values[$0] }
            expectMean(x, 1, "\(name) mean 1")
            expectMean(y, -2, "\(name) mean 2")
            expectMean(x.map { ($0 - 1) * ($0 - 1) }, cov[0], "\(name) var 1")
            expectMean(zip(x, y).map { ($0 - 1) * ($1 + 2) }, cov[1], "\(name) cov")
            expectMean(y.map { ($0 + 2) * ($0 + 2) }, cov[2], "\(name) var 2")
        }
    }

    @Test("dirichlet, multinomial and LKJ draws: moments")
    func otherMoments() throws {
        var model = try compile("""
            param a: real
            a ~ normal(0, 1)
            predict O: real[3, 3] ~ lkj_corr(2.0)
            predict L: real[4, 4] ~ lkj_corr_cholesky(0.8)
            let c = multinomial_rng([0.2, 0.3, 0.5], 20)
            let g = multinomial_logit_rng([0.0, 1.0, -1.0], 7)
            """)
        var rng = Xoshiro256StarStar(seed: 92)
        var o12: [Double] = [], o23: [Double] = [], l21: [Double] = [], c1: [Double] = [], c3: [Double] = [], g2: [Double] = []
        for _ in 0..<2000 {
            let d = try model.draw([0], rng: &rng)
            let o = try #require(d.first { $0.name == "O" }).values
            #expect(o[0] == 1 && o[4] == 1 && o[8] == 1 && o[1] == o[3] && o[5] == o[7])
            o12.append(o[1])
            o23.append(o[5])
            let l = try #require(d.first { $0.name == "L" }).values
            for i in 0..<4 {
                let norm = (0...i).reduce(0.0) { $0 + l[i * 4 + $1] * l[i * 4 + $1] }
                #expect(abs(norm - 1) < 1e-12 && l[i * 4 + i] > 0 && (i + 1..<4).allSatisfy { l[i * 4 + $0] == 0 })
            }
            l21.append(l[4])
            let c = try #require(d.first { $0.name == "c" })
            #expect(c.isInteger && c.values.reduce(0, +) == 20)
            c1.append(c.values[0])
            c3.append(c.values[2])
            g2.append(try #require(d.first { $0.name == "g" }).values[1])
        }
        // Dirichlet: E θ_k = α_k / Σα.
        var dirichlet = try compile("param a: real\na ~ normal(0, 1)\npredict th: real[3000, 3] ~ dirichlet([2.0, 3.0, 5.0])")
        let th = try #require(try dirichlet.draw([0], rng: &rng).first { $0.name == "th" }).values
        for (k, alpha) in [2.0, 3.0, 5.0].enumerated() {
            expectMean(stride(from: k, to: th.count, by: 3).map { th[$0] }, alpha / 10, "dirichlet θ\(k + 1)")
        }
        let sums: [Double] = stride(from: 0, to: th.count, by: 3).map { (j: Int) -> Double in th[j] + th[j + 1] + th[j + 2] }
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-14 })
        // Multinomial: E y_k = N θ_k.
        expectMean(c1, 4, "multinomial y1")
        expectMean(c3, 10, "multinomial y3")
        let e = [0.0, 1.0, -1.0].map { Foundation.exp($0) }
        expectMean(g2, 7 * e[1] / e.reduce(0, +), "multinomial_logit y2")
        // LKJ: an off-diagonal correlation is 2·Beta(b, b) − 1 with b = η − 1 + K/2 (LKJ 2009),
        // mean 0 and variance 1/(2η + K − 1).
        expectMean(o12, 0, "lkj Ω12")
        expectMean(o12.map { $0 * $0 }, 1 / (4.0 + 2), "lkj Ω12²")
        expectMean(o23.map { $0 * $0 }, 1 / (4.0 + 2), "lkj Ω23²")
        expectMean(l21.map { $0 * $0 }, 1 / (1.6 + 3), "lkj_corr_cholesky L21² = Ω12²")
    }

    @Test("simulation redraws multivariate data and parameters")
    func simulation() throws {
        let model = try compile("""
            data y: real[5, 2] = [[0.1, 0.3], [1.2, -0.4], [-0.5, 0.2], [0.7, 1.1], [0.0, 0.0]]
            data c: int[2, 3] = [[3, 0, 5], [1, 2, 1]]
            data th: real[3] = [0.2, 0.3, 0.5]
            data z: real[2, 2] = [[0.0, 0.0], [0.0, 0.0]]
            param mu: real[2]
            param v: real[3]
            mu ~ multi_normal([0.0, 0.0], [[1.0, 0.5], [0.5, 1.0]])
            v ~ normal(0, 1)
            y ~ multi_normal(mu, [[1.0, 0.0], [0.0, 2.0]])
            c ~ multinomial(softmax(v))
            th ~ dirichlet([1.0, 1.0, 1.0])
            for i in 1..2 {
                z[i] ~ multi_normal(mu, [[1.0, 0.0], [0.0, 1.0]])
            }
            """)
        let s = try model.simulate(rng: Xoshiro256StarStar(seed: 5))
        #expect(s.parameters["mu"]?.count == 2 && s.parameters["mu"]!.allSatisfy { $0.isFinite && $0 != 0 })
        let y = try #require(s.data["y"]?.values)
        #expect(y.count == 10 && Set(y).count == 10)
        let c = try #require(s.data["c"]?.values)
        #expect(c[0] + c[1] + c[2] == 8 && c[3] + c[4] + c[5] == 4, "multinomial rows keep their totals: \(c)")
        let th = try #require(s.data["th"]?.values)
        #expect(abs(th.reduce(0, +) - 1) < 1e-14 && th != [0.2, 0.3, 0.5])
        let z = try #require(s.data["z"]?.values)
        #expect(z.count == 4 && Set(z).count == 4, "each indexed row drawn: \(z)")
    }
}
