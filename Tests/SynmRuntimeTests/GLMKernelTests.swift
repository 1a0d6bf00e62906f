// The fused GLM kernels (Evaluator+GLM.swift, SynmGLMKernels): their exp and log1p against
// libm; and every fused shape against the generic row loop (value and gradient to 1e-12
// relative, exact Hessian to 1e-12), against finite differences, and Dual against Double bit
// for bit (checkInlineModel), at sizes that exercise the padded last block (N = 1, 7, 9, 13,
// 21, 37 rows: not multiples of the eight lanes), whole blocks only (N = 16, 40), the kernels'
// two-block steps (N ≥ 16), one predictor column, weights and every operand order. Each case
// also checks that the fused path really ran.
import Foundation
import Testing
import SynmGLMKernels
@testable import SynmRuntime

/// Deterministic data for the cases: a 64-bit LCG's top bits in [−1, 1).
struct CaseData {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 52) - 1
    }
    mutating func matrix(_ n: Int, _ k: Int) -> String {
        "[" + (0..<n).map { _ in "[" + (0..<k).map { _ in format(next()) }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]"
    }
    mutating func binary(_ n: Int) -> String {
        "[" + (0..<n).map { _ in next() > 0 ? "1" : "0" }.joined(separator: ", ") + "]"
    }
    mutating func counts(_ n: Int) -> String {
        "[" + (0..<n).map { _ in String(Int((next() + 1) * 4)) }.joined(separator: ", ") + "]"
    }
    mutating func reals(_ n: Int) -> String {
        "[" + (0..<n).map { _ in format(3 * next()) }.joined(separator: ", ") + "]"
    }
    mutating func groups(_ n: Int, _ j: Int) -> String {
        "[" + (0..<n).map { i in String(i < j ? i + 1 : Int((next() + 1) / 2 * Double(j)) % j + 1) }
            .joined(separator: ", ") + "]"
    }
    func format(_ x: Double) -> String { String(format: "%.6f", x) }
}

enum GLMCases {
    static func logistic(_ n: Int, _ k: Int, predictor: String = "alpha + X * beta", footing: String = "",
                         extra: String = "") -> InlineCase {
        var d = CaseData(UInt64(100 * n + k))
        return InlineCase("bernoulli_logit(\(predictor)) N=\(n) K=\(k)\(footing)", edge: 3, """
            data X: real[\(n), \(k)] = \(d.matrix(n, k))
            data y: int<lower=0, upper=1>[\(n)] = \(d.binary(n))
            param alpha: real
            param beta: real[\(k)]
            \(extra)
            alpha ~ normal(0, 2)
            beta ~ normal(0, 2)
            y ~ bernoulli_logit(\(predictor))\(footing)
            """)
    }

    static func linear(_ n: Int, _ k: Int, predictor: String = "alpha + X * beta", sigma: String = "sigma")
        -> InlineCase
    {
        var d = CaseData(UInt64(1000 * n + k))
        return InlineCase("normal(\(predictor), \(sigma)) N=\(n) K=\(k)", edge: 3, """
            data X: real[\(n), \(k)] = \(d.matrix(n, k))
            data y: real[\(n)] = \(d.reals(n))
            param alpha: real
            param beta: real[\(k)]
            param sigma: real<lower=0>
            alpha ~ normal(0, 5)
            beta ~ normal(0, 5)
            sigma ~ exponential(1)
            y ~ normal(\(predictor), \(sigma))
            """)
    }

    static func poisson(_ n: Int, _ j: Int, predictor: String = "mu + tau * eta[group]") -> InlineCase {
        var d = CaseData(UInt64(10_000 * n + j))
        // Points of scale 0.7 (τ = e^x up to about e²): wider ones make e^η overflow the
        // finite differences' precision (gradients of 1e100), whichever path computes them.
        return InlineCase("poisson_log(\(predictor)) N=\(n) J=\(j)", scale: 0.7, edge: 2, """
            data group: int<lower=1, upper=\(j)>[\(n)] = \(d.groups(n, j))
            data y: int<lower=0>[\(n)] = \(d.counts(n))
            data X: real[\(n), 2] = \(d.matrix(n, 2))
            param mu: real
            param tau: real<lower=0>
            param eta: real[\(j)]
            param beta: real[2]
            mu ~ normal(0, 2)
            tau ~ normal(0, 1)
            eta ~ normal(0, 1)
            beta ~ normal(0, 1)
            y ~ poisson_log(\(predictor))
            """)
    }

    static let all: [InlineCase] = [
        logistic(1, 1), logistic(7, 3), logistic(9, 1), logistic(21, 4), logistic(40, 2),
        logistic(9, 2, predictor: "X * beta"), logistic(9, 2, predictor: "X * beta + alpha"),
        logistic(9, 2, footing: " footing weight(0.4)"),
        logistic(9, 2, footing: " footing weight(w)", extra: "param w: real<lower=0, upper=1>"),
        logistic(13, 3, predictor: "alpha + beta[group]",
                 extra: "data group: int<lower=1, upper=3>[13] = [1, 2, 3, 3, 2, 1, 1, 1, 2, 2, 3, 1, 2]"),
        linear(1, 1), linear(7, 2), linear(9, 1), linear(16, 2), linear(21, 5),
        linear(9, 2, predictor: "X * beta"), linear(9, 2, sigma: "2.5"),
        poisson(1, 1), poisson(13, 4), poisson(37, 5), poisson(9, 3, predictor: "eta[group]"),
        poisson(9, 3, predictor: "eta[group] * tau"), poisson(9, 3, predictor: "tau * eta[group] + mu"),
        poisson(9, 3, predictor: "mu + X * beta"),
        // By group (GLMKernels+Grouped.swift) when there are at most half as many groups as rows,
        // some groups possibly read by no row; row by row above that.
        poisson(24, 12), poisson(30, 15, predictor: "eta[group] * tau"), poisson(21, 11),
    ]
}

@Suite struct GLMKernelTests {
    /// exp on eight lanes against Foundation's (libm's) exp: within 2 ulp over [−745, 710]
    /// (lanes outside [−708, 709] take libm itself), and exactly at 0 and the special values.
    @Test func vectorExpMatchesLibm() {
        var worst = 0.0
        var d = CaseData(7)
        var xs: [Double] = [0, -0.0, 1, -1, 0.5 * log(2.0), -0.5 * log(2.0), 708, -708, 709, -709, 709.7, -745, 710,
                            -.infinity, .infinity, 1e-300, -1e-300]
        for _ in 0..<20_000 { xs.append(d.next() * 709) }
        for _ in 0..<5_000 { xs.append(d.next() * 2) }
        for start in stride(from: 0, to: xs.count - glmWidth + 1, by: glmWidth) {
            var v = GLMVector()
            for l in 0..<glmWidth { v[l] = xs[start + l] }
            let r = vectorExp(v)
            for l in 0..<glmWidth {
                let x = xs[start + l], want = Foundation.exp(x)
                if want == 0 || want.isInfinite || x == 0 {
                    #expect(r[l] == want, "exp(\(x)) = \(r[l]), libm \(want)")
                } else {
                    worst = max(worst, abs(r[l] - want) / want.ulp)
                }
            }
        }
        #expect(worst <= 2, "exp: worst error \(worst) ulp")
        #expect(vectorExp(GLMVector(repeating: .nan))[0].isNaN)
    }

    /// log(1 + e) for e in [0, 1] against libm's log1p, within 2 ulp, including 0, subnormal
    /// and tiny arguments and both sides of the range split at √2 − 1.
    @Test func vectorLog1pMatchesLibm() {
        var worst = 0.0
        var d = CaseData(11)
        var xs: [Double] = [0, 1, 1e-310, 1e-300, 1e-17, 1e-9, 0.414_213_562_373_095_1, 0.414_213_562_373_095_2,
                            0.5, 0.25, 0.999_999_999]
        for _ in 0..<20_000 { xs.append((d.next() + 1) / 2) }
        for _ in 0..<5_000 { xs.append(Foundation.exp(-40 * (d.next() + 1))) }
        while xs.count % glmWidth != 0 { xs.append(0.3) }
        for start in stride(from: 0, to: xs.count, by: glmWidth) {
            var v = GLMVector()
            for l in 0..<glmWidth { v[l] = xs[start + l] }
            let r = vectorLog1pUnit(v)
            for l in 0..<glmWidth {
                let want = Foundation.log1p(xs[start + l])
                if want == 0 { #expect(r[l] == 0) } else { worst = max(worst, abs(r[l] - want) / want.ulp) }
            }
        }
        #expect(worst <= 2, "log1p: worst error \(worst) ulp")
    }

    /// Every fused shape: gradient and Hessian against finite differences, Dual against Double
    /// bit for bit (the inline-model harness), and against the generic row loop.
    @Test(arguments: GLMCases.all) func fusedMatchesGenericPath(_ c: InlineCase) throws {
        try checkInlineModel(c)
        var model = try compile(c.text)
        let before = model.fusedTermEvaluations
        _ = try model.evaluate(c.points(dimension: model.dimension)[0])
        #expect(model.fusedTermEvaluations == before + 1, "\(c.name): the fused path did not run")
        for x in c.points(dimension: model.dimension) {
            model.usesFusedKernels = true
            let fused = try model.evaluate(x)
            let fusedHessian = try model.hessian(x).hessian
            model.usesFusedKernels = false
            let count = model.fusedTermEvaluations
            let generic = try model.evaluate(x)
            let genericHessian = try model.hessian(x).hessian
            #expect(model.fusedTermEvaluations == count, "\(c.name): the generic path ran the fused kernel")
            #expect(relativeError(fused.value, generic.value) <= 1e-12,
                    "\(c.name): value \(fused.value) fused, \(generic.value) generic at \(x)")
            for i in 0..<x.count {
                #expect(relativeError(fused.gradient[i], generic.gradient[i]) <= 1e-12,
                        "\(c.name): ∂/∂x[\(i)] = \(fused.gradient[i]) fused, \(generic.gradient[i]) generic at \(x)")
                for j in 0..<x.count {
                    #expect(relativeError(fusedHessian[i][j], genericHessian[i][j]) <= 1e-12,
                            "\(c.name): H[\(i)][\(j)] = \(fusedHessian[i][j]) fused, \(genericHessian[i][j]) generic")
                }
            }
        }
    }

    /// A row the fused kernel cannot take (η overflowing e^η) falls back to the generic loop,
    /// which reports it with the row, as before.
    @Test func nonFiniteRowKeepsTheGenericMessage() throws {
        var model = try compile("""
            data X: real[3, 1] = [[1], [2], [400]]
            data y: int<lower=0>[3] = [1, 2, 3]
            param b: real[1]
            y ~ poisson_log(X * b)
            """)
        #expect(throws: RuntimeError.self) { _ = try model.evaluate([2]) }
        do { _ = try model.evaluate([2]) } catch let error as RuntimeError {
            #expect(error.message.contains("row 3"), "message: \(error.message)")
        }
        // Finite everywhere: fused.
        let count = model.fusedTermEvaluations
        _ = try model.evaluate([0.5])
        #expect(model.fusedTermEvaluations == count + 1)
    }

    /// The grouped poisson_log kernel: a group whose η overflows falls back to the generic loop,
    /// which reports the first row of that group; a group no row reads gets a zero gradient.
    @Test func groupedPoissonKeepsTheGenericMessage() throws {
        var model = try compile("""
            data group: int<lower=1, upper=3>[5] = [1, 1, 2, 2, 1]
            data y: int<lower=0>[5] = [1, 2, 3, 0, 1]
            param b: real[3]
            y ~ poisson_log(b[group])
            """)
        #expect(throws: RuntimeError.self) { _ = try model.evaluate([0.5, 800, 0]) }
        do { _ = try model.evaluate([0.5, 800, 0]) } catch let error as RuntimeError {
            #expect(error.message.contains("row 3"), "message: \(error.message)")
        }
        let count = model.fusedTermEvaluations
        let r = try model.evaluate([0.5, -0.2, 0.3])
        #expect(model.fusedTermEvaluations == count + 1)
        // ∂/∂b_j = S_j − n_j e^{b_j}: group 1 rows 1, 2, 5 (S = 4), group 2 rows 3, 4 (S = 3), group 3 none.
        #expect(abs(r.gradient[0] - (4 - 3 * exp(0.5))) <= 1e-12)
        #expect(abs(r.gradient[1] - (3 - 2 * exp(-0.2))) <= 1e-12)
        #expect(r.gradient[2] == 0)
    }

    /// Data rewritten in an evaluator's pool (as simulation does) is what the fused kernel
    /// reads next: its packed copy is rebuilt, so the value and gradient are those of a model
    /// compiled with the new data.
    @Test func rewrittenPoolIsRepacked() throws {
        func text(_ y0: Int, _ x00: Double) -> String {
            """
            data X: real[9, 2] = [[\(x00), 0.5], [1, -1], [0.3, 0.2], [-0.7, 1.1], [2, 0.1], [0.4, -0.4], [1.5, 0.5], [-1, -1], [0.2, 0.9]]
            data y: int<lower=0, upper=1>[9] = [\(y0), 1, 0, 0, 1, 1, 0, 1, 0]
            param a: real
            param b: real[2]
            y ~ bernoulli_logit(a + X * b)
            """
        }
        var model = try compile(text(0, -0.25))
        let x = [0.3, -0.8, 1.2]
        _ = try model.evaluate(x)                       // packed from the compiled data
        let yAt = try #require(model.dataLocations["y"]), xAt = try #require(model.dataLocations["X"])
        model.evaluator.writePool(yAt, 1)
        model.evaluator.writePool(xAt, 3.5)
        let rewritten = try model.evaluate(x)
        var fresh = try compile(text(1, 3.5))
        let expected = try fresh.evaluate(x)
        #expect(rewritten.value == expected.value)
        #expect(rewritten.gradient == expected.gradient)
    }

    /// No rows: the term is 0 (the generic path; the fused one needs a row).
    @Test func noRows() throws {
        var model = try compile("""
            data N: int<lower=0>
            data X: real[N, 2]
            data y: int<lower=0, upper=1>[N]
            param b: real[2]
            b ~ normal(0, 1)
            y ~ bernoulli_logit(X * b)
            """, json: #"{"N": 0, "X": [], "y": []}"#)
        let x = [0.3, -0.7]
        let r = try model.evaluate(x)
        let prior = x.map { -0.5 * $0 * $0 - 0.5 * log(2 * Double.pi) }.reduce(0, +)
        #expect(abs(r.value - prior) <= 1e-15)
        #expect(model.fusedTermEvaluations == 0)
    }
}
