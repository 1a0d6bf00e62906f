// categorical, categorical_logit and ordered_logistic through the language: values against
// 40-digit mpmath closed forms (log θ_y; β_y − log Σ e^β; log(σ(η − c_{y−1}) − σ(η − c_y))),
// located errors for a non-simplex theta, unordered cutpoints and out-of-range outcomes,
// checker hints, and predict/simulation draws with frequencies against the probabilities
// (chi-square at level 1e-4). Gradients and Hessians: InlineModelTests.
import Foundation
import SynmDistributions
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct VectorDistributionTests {
    @Test("lpmf values against closed forms", arguments: [
        ("categorical_lpmf(2 | [0.2, 0.5, 0.3])", Foundation.log(0.5)),
        ("categorical_lupmf(2 | [0.2, 0.5, 0.3])", Foundation.log(0.5)),
        ("categorical_lpmf([2, 2, 3] | [0.2, 0.5, 0.3])", 2 * Foundation.log(0.5) + Foundation.log(0.3)),
        ("categorical_logit_lpmf(3 | [0.3, -1.2, 2.0])", -0.20167124495279057),  // mpmath
        ("ordered_logistic_lpmf(1 | 0.5, [-1.0, 1.0])", -1.7014132779827524),  // mpmath log(1 − σ(1.5))
        ("ordered_logistic_lpmf(2 | 0.5, [-1.0, 1.0])", -0.82090372003171815),  // mpmath log(σ(1.5) − σ(−0.5))
        ("ordered_logistic_lpmf(3 | 0.5, [-1.0, 1.0])", -0.97407698418010668),  // mpmath log σ(−0.5)
        // σ(43) − σ(38) in double precision cancels to 3e-17 relative; the log form does not.
        ("ordered_logistic_lpmf(2 | 40.0, [-3.0, 2.0])", -38.006760749449489),  // mpmath
        ("ordered_probit_lpmf(2 | 0.5, [-1.0, 1.0])", -0.4705553654158995),  // mpmath log(Φ(0.5) − Φ(−1.5))
        ("ordered_probit_lpmf(1 | 0.5, [-1.0, 1.0])", -2.7059444008238898),  // mpmath log Φ(−1.5)
        ("ordered_probit_lpmf(3 | 0.5, [-1.0, 1.0])", -1.1759117615936186),  // mpmath log Φ(−0.5)
        // Both cutpoints far in the upper tail: Φ(−19) − Φ(−21) from the survival side.
        ("ordered_probit_lpmf(2 | -20.0, [-1.0, 1.0])", -184.36612866916097),  // mpmath
    ])
    func values(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        #expect(abs(v - expected) <= 1e-13 * abs(expected), "\(expression) = \(v), expected \(expected)")
    }

    @Test("probabilities sum to one over the outcomes", arguments: ["ordered_logistic", "ordered_probit"])
    func normalised(_ name: String) throws {
        let c = "[-1.5, 0.2, 0.9, 3.0]"
        let total = try (1...5).map { try Foundation.exp(functionValue("\(name)_lpmf(\($0) | 0.7, \(c))")) }.reduce(0, +)
        #expect(abs(total - 1) <= 1e-15)
    }

    @Test("bad arguments and outcomes are located errors", arguments: [
        ("categorical_lpmf(2 | [0.2, 0.5, 0.4])", "categorical: theta is not a simplex: its elements sum to 1.1, not 1"),
        ("categorical_lpmf(2 | [-0.2, 0.7, 0.5])", "categorical: theta is not a simplex: theta[1] = -0.2 is negative"),
        ("categorical_lpmf(4 | [0.2, 0.5, 0.3])", "categorical: y must be an integer in 1...3, got 4"),
        ("categorical_logit_lpmf([1, 0] | [0.2, 0.5])", "categorical_logit: y must be an integer in 1...2, got 0 (row 2)"),
        ("ordered_logistic_lpmf(2 | 0.5, [1.0, -1.0])", "ordered_logistic: c is not ordered: c[2] = -1 is not greater than c[1] = 1"),
        ("ordered_logistic_lpmf(2 | 0.5, [1.0, 1.0])", "ordered_logistic: c is not ordered: c[2] = 1 is not greater than c[1] = 1"),
    ])
    func errors(_ expression: String, _ message: String) throws {
        try expectLocatedRuntimeError(message) { _ = try functionValue(expression) }
    }

    @Test("misuse is a checker error", arguments: [
        ("data y: int = 2\nparam a: real\ny ~ categorical(a)", "argument 'theta' of categorical must be an array, but this is real"),
        ("data y: int = 2\nparam a: real\ny ~ ordered_logistic(a, 0.5)", "argument 'c' of ordered_logistic must be an array, but this is real"),
        ("data y: real = 2\nparam a: real[3]\ny ~ categorical_logit(a)", "categorical_logit is a distribution over integers"),
        ("data y: int = 2\nparam a: real[3]\ny ~ categorical(a) footing equal", "a footing is not supported with categorical yet"),
    ])
    func misuse(_ text: String, _ message: String) throws {
        do {
            _ = try compile(text)
            Issue.record("compiled: \(text)")
        } catch let e as PrepareError {
            #expect(e.description.contains(message), "\(e.description)")
        } catch let e as RuntimeError {
            #expect(e.message == message)
        }
    }

    /// Predict draws: frequencies of 20000 draws against the probabilities, by X² against
    /// χ²(K − 1) at level 1e-4 (the Wilson–Hilferty critical value, as GoodnessOfFitTests).
    @Test("predict frequencies match the probabilities", arguments: [
        ("categorical([0.1, 0.6, 0.3])", [0.1, 0.6, 0.3]),
        ("categorical_logit([0.0, 1.0, -1.0, 0.5])", [0.0, 1.0, -1.0, 0.5].map { Foundation.exp($0) }),
        ("ordered_logistic(0.3, [-1.0, 0.5, 2.0])", [-1.0, 0.5, 2.0, .infinity].enumerated().map { k, c in
            let upper = c == .infinity ? 1 : invLogit(c - 0.3)
            let lower = k == 0 ? 0 : invLogit([-1.0, 0.5, 2.0][k - 1] - 0.3)
            return upper - lower }),
        ("ordered_probit(0.3, [-1.0, 0.5, 2.0])", [-1.0, 0.5, 2.0, .infinity].enumerated().map { k, c in
            let upper = c == .infinity ? 1 : normalCDF(c - 0.3)
            let lower = k == 0 ? 0 : normalCDF([-1.0, 0.5, 2.0][k - 1] - 0.3)
            return upper - lower }),
    ])
    func predictFrequencies(_ dist: String, _ weights: [Double]) throws {
        let n = 20_000
        var model = try compile("param a: real\na ~ normal(0, 1)\npredict y: int[\(n)] ~ \(dist)")
        var rng = Xoshiro256StarStar(seed: 21)
        let y = try #require(try model.draw([0], rng: &rng).first { $0.name == "y" })
        #expect(y.isInteger)
        let total = weights.reduce(0, +)
        var x2 = 0.0
        for (k, w) in weights.enumerated() {
            let expected = Double(n) * w / total
            let observed = Double(y.values.filter { $0 == Double(k + 1) }.count)
            x2 += (observed - expected) * (observed - expected) / expected
        }
        #expect(y.values.allSatisfy { $0 >= 1 && $0 <= Double(weights.count) && $0 == $0.rounded() })
        #expect(x2 <= chiSquareCritical(max(weights.count - 1, 3)), "\(dist): X² = \(x2)")
    }

    @Test("simulation redraws categorical and ordinal data")
    func simulation() throws {
        let model = try compile("""
            data g: int[30] = [\(Array(repeating: "1", count: 30).joined(separator: ", "))]
            data h: int[30] = [\(Array(repeating: "2", count: 30).joined(separator: ", "))]
            param v: real[3]
            param beta: real
            v ~ normal(0, 1)
            beta ~ normal(0, 1)
            g ~ categorical_logit(v)
            h ~ ordered_logistic(beta, [-0.5, 0.5])
            """)
        let s = try model.simulate(rng: Xoshiro256StarStar(seed: 4))
        let g = try #require(s.data["g"]?.values), h = try #require(s.data["h"]?.values)
        #expect(g.allSatisfy { [1, 2, 3].contains($0) } && Set(g).count > 1)
        #expect(h.allSatisfy { [1, 2, 3].contains($0) } && Set(h).count > 1)
    }
}

/// Upper 1e-4 quantile of χ²(df) by Wilson–Hilferty (z = 3.719), as in GoodnessOfFitTests.
func chiSquareCritical(_ df: Int) -> Double {
    let k = Double(df)
    let t = 1 - 2 / (9 * k) + 3.719 * (2 / (9 * k)).squareRoot()
    return k * t * t * t
}
