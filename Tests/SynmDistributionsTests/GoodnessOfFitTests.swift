// Distributional checks of the samplers: chi-square against the pmf for discrete ones,
// Kolmogorov–Smirnov against the closed-form or special-function CDF for continuous ones.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

/// Upper 1e-4 quantile of χ²(df) by the Wilson–Hilferty approximation (z₀.₉₉₉₉ = 3.719);
/// accurate to a few percent for df ≥ 3, ample for a pass/fail threshold.
func chiSquareCritical(df: Int) -> Double {
    let k = Double(df)
    let t = 1 - 2 / (9 * k) + 3.719 * (2 / (9 * k)).squareRoot()
    return k * t * t * t
}

@Suite("Goodness of fit")
struct GoodnessOfFitTests {
    static let draws = 20_000

    /// Bins k = lo…hi, merging tails so every expected count is ≥ 20; X² against χ²(bins − 1)
    /// at level 1e-4.
    @Test("discrete samplers: chi-square against the pmf", arguments: [
        (Distribution.poisson, [0.5]), (.poisson, [5]), (.poisson, [50]), (.poisson, [5000]),
        (.binomial, [12, 0.35]), (.binomial, [40, 0.8]), (.binomial, [300, 0.5]),
        (.binomial, [100_000, 0.01]), (.binomialLogit, [25, -0.3]), (.negBinomial2, [6, 1.5]),
        (.bernoulli, [0.2]), (.betaBinomial, [12, 2, 3]), (.betaBinomial, [30, 0.4, 0.7]), (.negBinomial, [3, 0.5]),
    ])
    func chiSquare(_ d: Distribution, _ args: [Double]) {
        var rng = Xoshiro256StarStar(seed: 42, stream: UInt64(args[0] * 1000 + (args.count > 1 ? args[1] * 10 : 0)))
        let n = Self.draws
        var counts: [Int: Int] = [:]
        for _ in 0..<n { counts[Int(Distribution.sample(d, args: args, rng: &rng)), default: 0] += 1 }
        // bins around the mode outwards while the expected count stays ≥ 20
        let pmf = { (k: Int) in exp(Distribution.logDensity(d, Double(k), args: args)) }
        let mode = (0...Int(max(counts.keys.max()!, 1))).max { pmf($0) < pmf($1) }!
        var lo = mode, hi = mode
        while lo > 0 && Double(n) * pmf(lo - 1) >= 20 { lo -= 1 }
        while Double(n) * pmf(hi + 1) >= 20 { hi += 1 }
        var expected: [Double] = [], observed: [Double] = []
        let below = (0..<lo).reduce(0.0) { $0 + pmf($1) }
        let inside = (lo...hi).map(pmf)
        let above = max(0, 1 - below - inside.reduce(0, +))
        func count(_ r: (Int) -> Bool) -> Double { Double(counts.filter { r($0.key) }.map(\.value).reduce(0, +)) }
        if Double(n) * below >= 5 { expected.append(Double(n) * below); observed.append(count { $0 < lo }) }
        for (i, k) in (lo...hi).enumerated() { expected.append(Double(n) * inside[i]); observed.append(count { $0 == k }) }
        if Double(n) * above >= 5 { expected.append(Double(n) * above); observed.append(count { $0 > hi }) }
        let x2 = zip(observed, expected).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) / $1.1 }
        let df = max(expected.count - 1, 1)
        #expect(x2 <= chiSquareCritical(df: max(df, 3)), "\(d.name)\(args): X² = \(x2), df = \(df)")
    }

    /// KS statistic D = sup|F̂ − F| against K/√N with K = √(−ln(α/2)/2) = 2.226 at α = 1e-4.
    @Test("continuous samplers: Kolmogorov–Smirnov against the CDF", arguments: continuousCDFs.indices)
    func kolmogorovSmirnov(_ i: Int) {
        let (d, args, cdf) = continuousCDFs[i]
        var rng = Xoshiro256StarStar(seed: 43, stream: UInt64(i))
        let n = Self.draws
        let xs = (0..<n).map { _ in Distribution.sample(d, args: args, rng: &rng) }.sorted()
        var dMax = 0.0
        for (j, x) in xs.enumerated() {
            let f = cdf(x)
            dMax = max(dMax, abs(f - Double(j) / Double(n)), abs(Double(j + 1) / Double(n) - f))
        }
        #expect(dMax <= 2.226 / Double(n).squareRoot(), "\(d.name)\(args): D = \(dMax)")
    }
}

/// Continuous distributions with their CDFs (closed forms, or SynmMath's incomplete gamma
/// and beta functions).
let continuousCDFs: [(Distribution, [Double], @Sendable (Double) -> Double)] = [
    (.normal, [1, 2], { normalCDF(($0 - 1) / 2) }),
    (.studentT, [3.5, 1, 2], { x in
        let t = (x - 1) / 2, nu = 3.5
        let tail = 0.5 * regularizedIncompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t * t))
        return t > 0 ? 1 - tail : tail }),
    (.cauchy, [0, 1], { 0.5 + atan($0) / Double.pi }),
    (.doubleExponential, [1, 2], { x in x < 1 ? 0.5 * exp((x - 1) / 2) : 1 - 0.5 * exp(-(x - 1) / 2) }),
    (.logistic, [1, 0.5], { invLogit(($0 - 1) / 0.5) }),
    (.lognormal, [0.5, 0.8], { normalCDF((log($0) - 0.5) / 0.8) }),
    (.exponential, [3], { -expm1(-3 * $0) }),
    (.gamma, [0.4, 2], { regularizedGammaP(a: 0.4, x: 2 * $0) }),
    (.gamma, [7, 0.5], { regularizedGammaP(a: 7, x: 0.5 * $0) }),
    (.invGamma, [3, 2], { regularizedGammaQ(a: 3, x: 2 / $0) }),
    (.weibull, [0.8, 3], { -expm1(-pow($0 / 3, 0.8)) }),
    (.beta, [0.5, 2.5], { regularizedIncompleteBeta(a: 0.5, b: 2.5, x: $0) }),
    (.beta, [4, 4], { regularizedIncompleteBeta(a: 4, b: 4, x: $0) }),
    (.uniform, [-1, 3], { ($0 + 1) / 4 }),
    (.gumbel, [1, 2], { exp(-exp(-($0 - 1) / 2)) }),
    (.pareto, [1.5, 2.5], { 1 - pow(1.5 / $0, 2.5) }),
    (.chiSquare, [3], { regularizedGammaP(a: 1.5, x: $0 / 2) }),
    (.invChiSquare, [4], { regularizedGammaQ(a: 2, x: 1 / (2 * $0)) }),
    (.scaledInvChiSquare, [5, 0.7], { regularizedGammaQ(a: 2.5, x: 5 * 0.49 / (2 * $0)) }),
    (.frechet, [2.5, 1.5], { exp(-pow($0 / 1.5, -2.5)) }),
    (.rayleigh, [0.8], { -expm1(-$0 * $0 / (2 * 0.64)) }),
    (.stdNormal, [], { normalCDF($0) }),
    (.betaProportion, [0.3, 4], { regularizedIncompleteBeta(a: 1.2, b: 2.8, x: $0) }),
]
