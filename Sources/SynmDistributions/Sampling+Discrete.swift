// Binomial and poisson generation: inversion for small means, transformed rejection with
// squeeze for large ones.
//
// References
// [4] Kachitvichyanukul & Schmeiser 1988, "Binomial random variate generation",
//     CACM 31(2):216–222 (BINV, the sequential-search inversion).
// [5] Hörmann 1993, "The generation of binomial random variates", J. Statist. Comput.
//     Simul. 46:101–110 (BTRS: transformed rejection with squeeze).
// [6] Hörmann 1993, "The transformed rejection method for generating Poisson random
//     variables", Insurance: Mathematics and Economics 12:39–45 (PTRS).
import Foundation
import SynmMath

extension Samplers {
    /// A binomial(n, p) draw: BINV [4] when n·min(p, 1−p) < 10, else BTRS [5]; p > ½ is
    /// drawn as n − binomial(n, 1 − p).
    public static func binomial(n: Double, p: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        if n == 0 || p == 0 { return 0 }
        if p == 1 { return n }
        if p > 0.5 { return n - binomial(n: n, p: 1 - p, &rng) }
        return n * p < 10 ? binomialInversion(n: n, p: p, &rng) : binomialBTRS(n: n, p: p, &rng)
    }

    /// BINV [4]: walk the pmf from 0 using f(k+1)/f(k) = (n − k)/(k + 1)·p/q. Requires
    /// p ≤ ½ and n·p < 10, so qⁿ ≥ e⁻²⁰ does not underflow. A walk past n (roundoff in the
    /// running sum) restarts.
    static func binomialInversion(n: Double, p: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        let q = 1 - p
        let s = p / q
        let a = (n + 1) * s
        let r0 = Foundation.exp(n * Foundation.log1p(-p))
        while true {
            var u = rng.uniform01()
            var r = r0
            var k = 0.0
            while u > r {
                u -= r
                k += 1
                if k > n { break }
                r *= a / k - s
            }
            if k <= n { return k }
        }
    }

    /// BTRS [5], algorithm as given in the paper (constants from its Table/step 0), for
    /// p ≤ ½ and n·p ≥ 10. The acceptance bound is log f(k)/f(m) written with Stirling
    /// corrections `stirlingTail` so it stays accurate for n up to 2⁵³.
    static func binomialBTRS(n: Double, p: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        let q = 1 - p
        let spq = (n * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = n * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = Foundation.log(p / q)
        let m = ((n + 1) * p).rounded(.down)
        let h = stirlingTail(m) + stirlingTail(n - m)
        while true {
            let u = rng.uniform01() - 0.5
            var v = rng.uniform01()
            let us = 0.5 - Swift.abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            if k < 0 || k > n { continue }
            if us >= 0.07 && v <= vr { return k }  // squeeze: accept without the pmf
            v = Foundation.log(v * alpha / (a / (us * us) + b))
            // log f(k)/f(m) = log m!(n−m)!/(k!(n−k)!) + (k − m) log(p/q), by Stirling.
            let bound = h - stirlingTail(k) - stirlingTail(n - k)
                + (m + 0.5) * Foundation.log((m + 1) / (n - m + 1))
                + (n + 1) * Foundation.log((n - m + 1) / (n - k + 1))
                + (k + 0.5) * Foundation.log((n - k + 1) / (k + 1))
                + (k - m) * lpq
            if v <= bound { return k }
        }
    }

    /// fc(k) = log k! − [(k + ½) log(k + 1) − (k + 1) + ½ log 2π], the Stirling remainder
    /// used by BTRS [5]: exact (via logGamma) for k < 10, its asymptotic series beyond.
    static func stirlingTail(_ k: Double) -> Double {
        if k < 10 {
            return SynmMath.logGamma(k + 1) - ((k + 0.5) * Foundation.log(k + 1) - (k + 1)
                + 0.918_938_533_204_672_741_78)
        }
        let kp1 = k + 1
        let inv2 = 1 / (kp1 * kp1)
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260) * inv2) * inv2) / kp1
    }

    /// A poisson(λ) draw: inversion by sequential search when λ < 10, PTRS [6] otherwise.
    public static func poisson(_ lambda: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        if lambda == 0 { return 0 }
        return lambda < 10 ? poissonInversion(lambda, &rng) : poissonPTRS(lambda, &rng)
    }

    /// Inversion [3, X.3.3]: the smallest k with F(k) ≥ u, F built by f(k) = f(k−1)·λ/k.
    /// A walk beyond 1000 (possible only through roundoff of F near 1) restarts.
    static func poissonInversion(_ lambda: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        let p0 = Foundation.exp(-lambda)
        while true {
            var u = rng.uniform01()
            var p = p0
            var k = 0.0
            while u > p && k < 1000 {
                u -= p
                k += 1
                p *= lambda / k
            }
            if k < 1000 { return k }
        }
    }

    /// PTRS [6] (constants from the paper's algorithm box), for λ ≥ 10.
    static func poissonPTRS(_ lambda: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        let sLambda = lambda.squareRoot()
        let logLambda = Foundation.log(lambda)
        let b = 0.931 + 2.53 * sLambda
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = rng.uniform01() - 0.5
            let v = rng.uniform01()
            let us = 0.5 - Swift.abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return k }  // squeeze
            if k < 0 || (us < 0.013 && v > us) { continue }
            let lhs = Foundation.log(v * invAlpha / (a / (us * us) + b))
            if lhs <= -lambda + k * logLambda - SynmMath.logGamma(k + 1) { return k }
        }
    }
}
