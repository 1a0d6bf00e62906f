// Draws of truncated distributions (`sampleTruncated`): Kolmogorov–Smirnov against the
// truncated CDF built from `logCDF` (itself tested against scipy), including bounds far in
// a tail where rejection would never accept, and counts (rejection, then inversion) by
// chi-square against the renormalised pmf. Levels 1e-4, as GoodnessOfFitTests.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

@Suite("Truncated sampling")
struct TruncatedSamplingTests {
    static let draws = 20_000

    static let continuousCases: [(Distribution, [Double], Double?, Double?)] = [
        (Distribution.normal, [0.0, 1.0], 10.0, Double?.none),  // P(Y > 10) = 7.6e-24
        (.normal, [1.0, 2.0], -1.0, 2.0),
        (.lognormal, [0.0, 1.0], 0.5, 3.0),
        (.exponential, [2.0], 1.0, 3.0),
        (.gumbel, [0.0, 1.0], nil, -1.5),
        (.cauchy, [0.0, 1.0], 50.0, nil),
        (.logistic, [0.0, 1.0], 20.0, 25.0),
        (.weibull, [1.5, 2.0], 0.5, 1.0),
        (.frechet, [2.0, 1.0], 0.5, 4.0),
        (.rayleigh, [1.0], 3.0, nil),
        (.pareto, [1.0, 3.0], 2.0, nil),
        (.doubleExponential, [0.0, 1.0], -0.5, 6.0),
        (.uniform, [0.0, 4.0], 1.0, 2.0),
        (.gamma, [2.5, 1.2], 6.0, nil),  // quantiles by bisection of the incomplete gamma
        (.chiSquare, [3.0], 0.5, 2.0),
        (.invGamma, [3.0, 2.0], nil, 0.5),
        (.beta, [2.0, 5.0], 0.5, 0.9),
        (.betaProportion, [0.3, 8.0], 0.6, nil),
        (.vonMises, [0.3, 4.0], -1.0, 2.5),
    ]

    @Test("continuous: KS against the truncated CDF", arguments: continuousCases)
    func kolmogorovSmirnov(_ d: Distribution, _ args: [Double], _ lower: Double?, _ upper: Double?) throws {
        var rng = Xoshiro256StarStar(seed: 44, stream: UInt64(Distribution.allCases.firstIndex(of: d)!))
        let (a, b) = (args[0], args.count > 1 ? args[1] : 0)
        var p = DensityPartials<Double>()
        func side(_ y: Double, _ upperSide: Bool) -> Double {
            exp(Distribution.logCDF(d, variate: y, a, b, upper: upperSide, partials: &p))
        }
        let useSurvival = lower.map { side($0, false) > 0.5 } ?? false
        let cdf: (Double) -> Double
        if useSurvival {
            let sl = side(lower!, true), su = upper.map { side($0, true) } ?? 0
            cdf = { (sl - side($0, true)) / (sl - su) }
        } else {
            let fl = lower.map { side($0, false) } ?? 0, fu = upper.map { side($0, false) } ?? 1
            cdf = { (side($0, false) - fl) / (fu - fl) }
        }
        var xs: [Double] = []
        // The gamma types invert the CDF by bisection (~60 incomplete-gamma evaluations per
        // draw): 2000 draws keep the debug suite fast; the KS bound scales with the count.
        let count = [.gamma, .chiSquare, .invGamma, .beta, .betaProportion, .vonMises].contains(d) ? 2000 : Self.draws
        for _ in 0..<count {
            xs.append(try #require(Distribution.sampleTruncated(d, a, b, lower: lower, upper: upper, rng: &rng)))
        }
        #expect(xs.allSatisfy { $0 >= (lower ?? -.infinity) && $0 <= (upper ?? .infinity) })
        xs.sort()
        var dMax = 0.0
        for (j, x) in xs.enumerated() {
            let f = cdf(x)
            dMax = max(dMax, abs(f - Double(j) / Double(xs.count)), abs(Double(j + 1) / Double(xs.count) - f))
        }
        #expect(dMax <= 2.226 / Double(xs.count).squareRoot(), "\(d.name)\(args) T[\(String(describing: lower)), \(String(describing: upper))]: D = \(dMax)")
    }

    /// skew_normal (three arguments): y = ξ + ω·z with z from the truncated standard skew
    /// normal, by bisection of its CDF (Owen's T); 2000 draws.
    @Test("skew_normal: KS against the truncated CDF")
    func skewNormal() throws {
        var rng = Xoshiro256StarStar(seed: 47)
        var p = DensityPartials<Double>()
        let (xi, omega, alpha, lower, upper) = (0.5, 1.5, -3.0, -2.0, 1.0)
        func F(_ y: Double) -> Double {
            exp(Distribution.logCDF(.skewNormal, variate: y, xi, omega, alpha, upper: false, partials: &p))
        }
        let (fl, fu) = (F(lower), F(upper))
        var xs: [Double] = []
        for _ in 0..<2000 {
            xs.append(try #require(Distribution.sampleTruncated(.skewNormal, xi, omega, alpha, lower: lower, upper: upper,
                                                                rng: &rng)))
        }
        #expect(xs.allSatisfy { $0 >= lower && $0 <= upper })
        xs.sort()
        var dMax = 0.0
        for (j, x) in xs.enumerated() {
            let f = (F(x) - fl) / (fu - fl)
            dMax = max(dMax, abs(f - Double(j) / Double(xs.count)), abs(Double(j + 1) / Double(xs.count) - f))
        }
        #expect(dMax <= 2.226 / Double(xs.count).squareRoot(), "skew_normal T[-2, 1]: D = \(dMax)")
    }

    /// student_t (three arguments): y = μ + σ·t with t from the truncated standard t, by
    /// bisection of the CDF; 2000 draws (the bisection is slow in a debug build).
    @Test("student_t: KS against the truncated CDF")
    func studentT() throws {
        var rng = Xoshiro256StarStar(seed: 46)
        var p = DensityPartials<Double>()
        let (nu, mu, sigma, lower) = (3.0, 0.5, 1.5, 4.0)
        let sl = exp(Distribution.logCDF(.studentT, variate: lower, nu, mu, sigma, upper: true, partials: &p))
        var xs: [Double] = []
        for _ in 0..<2000 {
            xs.append(try #require(Distribution.sampleTruncated(.studentT, nu, mu, sigma, lower: lower, upper: nil, rng: &rng)))
        }
        #expect(xs.allSatisfy { $0 >= lower })
        xs.sort()
        var dMax = 0.0
        for (j, x) in xs.enumerated() {
            let f = (sl - exp(Distribution.logCDF(.studentT, variate: x, nu, mu, sigma, upper: true, partials: &p))) / sl
            dMax = max(dMax, abs(f - Double(j) / Double(xs.count)), abs(Double(j + 1) / Double(xs.count) - f))
        }
        #expect(dMax <= 2.226 / Double(xs.count).squareRoot(), "student_t T[4, ]: D = \(dMax)")
    }

    @Test("counts: chi-square against the renormalised pmf", arguments: [
        (Distribution.poisson, [2.2, 0.0], 1.0, Double?.none),
        (.poisson, [0.01, 0.0], 2.0, 6.0),  // P(2 ≤ Y ≤ 6) = 5e-5: inversion after rejection
        (.binomial, [20.0, 0.3], 3.0, 9.0),
        (.negBinomial2, [4.0, 1.5], 2.0, 12.0),
        (.negBinomial, [2.5, 0.8], 1.0, 9.0),
        (.betaBinomial, [12.0, 2.0, 3.0], 2.0, nil),
        (.bernoulli, [0.3, 0.0], 1.0, nil),
    ] as [(Distribution, [Double], Double, Double?)])
    func chiSquare(_ d: Distribution, _ args: [Double], _ lower: Double, _ upper: Double?) throws {
        var rng = Xoshiro256StarStar(seed: 45, stream: UInt64(args[0] * 100))
        var counts: [Double: Int] = [:]
        for _ in 0..<Self.draws {
            let y = try #require(Distribution.sampleTruncated(d, args[0], args[1], args.count > 2 ? args[2] : 0,
                                                              lower: lower, upper: upper, rng: &rng))
            counts[y, default: 0] += 1
        }
        let hi = upper ?? (d == .betaBinomial ? args[0] : d == .bernoulli ? 1 : 40)
        let pmf = stride(from: lower, through: hi, by: 1).map { exp(Distribution.logDensity(d, $0, args: Array(args.prefix(d.arity)))) }
        let mass = pmf.reduce(0, +)
        var x2 = 0.0, bins = 0, expectedRest = 0.0, observedRest = 0.0
        for (i, k) in stride(from: lower, through: hi, by: 1).enumerated() {
            let e = Double(Self.draws) * pmf[i] / mass
            let o = Double(counts[k] ?? 0)
            if e >= 20 {
                x2 += (o - e) * (o - e) / e
                bins += 1
            } else {
                expectedRest += e
                observedRest += o
            }
        }
        if expectedRest >= 5 {
            x2 += (observedRest - expectedRest) * (observedRest - expectedRest) / expectedRest
            bins += 1
        }
        #expect(counts.keys.allSatisfy { $0 >= lower && $0 <= hi })
        #expect(x2 <= chiSquareCritical(df: max(bins - 1, 3)), "\(d.name)\(args): X² = \(x2) over \(bins) bins")
    }

    @Test("an interval of probability 0 gives nil")
    func empty() {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(Distribution.sampleTruncated(.normal, 0, 1, lower: 40, upper: 41, rng: &rng) == nil)
        #expect(Distribution.sampleTruncated(.binomial, 5, 0.5, lower: 6, upper: nil, rng: &rng) == nil)
    }
}
