// Kernel density estimates for the marginal plots: a Gaussian kernel with Silverman's
// rule-of-thumb bandwidth, h = 0.9 · min(sd, IQR/1.34) · n^(−1/5) (Silverman 1986, eq. 3.31),
// evaluated on a grid over the range of the draws, with the mass that would fall outside the
// range reflected back at both ends (the boundary correction ArviZ's plots use), so a
// positive parameter's density does not spill below its smallest draw. Draws are binned on a
// fine grid first (linear binning), which keeps the cost independent of the number of draws.
//
// Any finite draws are handled: the draws are first divided by a power of two near their
// largest magnitude (exact in binary floating point), so a column spanning more than the
// largest double (−1e308 … 1e308) or one whose standard deviation would overflow is
// estimated in units where nothing overflows, and the estimate is scaled back
// (KDE(c·x)(c·t) = KDE(x)(t)/c). A bandwidth far wider or narrower than the draws' range (a
// narrow chain drawn with the pooled bandwidth of chains 10¹⁸ times wider) is clamped in
// floating point before any conversion to an integer.
import Foundation
import SynmMath

struct KernelDensity {
    var grid: [Double]
    var density: [Double]
    var bandwidth: Double

    /// Silverman's bandwidth; falls back to sd (or 1) when the IQR is 0.
    static func silvermanBandwidth(_ x: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count >= 2 else { return 1 }
        let s = standardDeviation(x)
        let sorted = x.sorted()
        let iqr = quantile(sorted: sorted, 0.75) - quantile(sorted: sorted, 0.25)
        var spread = iqr > 0 ? min(s, iqr / 1.34) : s
        if !(spread > 0) { spread = abs(sorted[sorted.count / 2]) * 0.01 + 1e-3 }
        return 0.9 * spread * pow(n, -0.2)
    }

    /// The density of `x` (optionally weighted; weights need not sum to 1) at `points` grid
    /// points over [min, max] of the finite draws. Empty when there are no finite draws.
    init(_ x: [Double], weights: [Double]? = nil, points: Int = 160, bandwidth: Double? = nil) {
        var values: [Double] = []
        var w: [Double] = []
        for (i, v) in x.enumerated() where v.isFinite {
            let wi = weights.map { i < $0.count ? $0[i] : 0 } ?? 1
            guard wi.isFinite, wi >= 0 else { continue }
            values.append(v)
            w.append(wi)
        }
        let total = w.reduce(0, +)
        guard !values.isEmpty, total > 0, total.isFinite else {
            grid = []
            density = []
            self.bandwidth = .nan
            return
        }
        // Work in units of a power of two near the largest magnitude (exact scaling).
        let largest = values.map(abs).max()!
        let scale = largest > 0 ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let u = values.map { $0 / scale }
        var h = bandwidth.map { $0 / scale } ?? Self.silvermanBandwidth(u)
        if !(h > 0) || !h.isFinite { h = Self.silvermanBandwidth(u) }
        let estimate = Self.estimate(u, weights: w, total: total, points: max(points, 2), bandwidth: h)
        grid = estimate.grid.map { $0 * scale }
        density = estimate.density.map { $0 / scale }
        self.bandwidth = h * scale
    }

    /// The estimate for draws of magnitude at most 2 (so their range is finite).
    private static func estimate(_ values: [Double], weights w: [Double], total: Double, points: Int, bandwidth h: Double)
        -> (grid: [Double], density: [Double])
    {
        let lo = values.min()!, hi = values.max()!
        let root2pi = (2 * Double.pi).squareRoot()
        guard hi > lo else {
            // All draws equal: a spike of one kernel, shown over ±3h.
            let grid = (0..<points).map { lo - 3 * h + 6 * h * Double($0) / Double(points - 1) }
            return (grid, grid.map { exp(-0.5 * pow(($0 - lo) / h, 2)) / h / root2pi })
        }
        // Linear binning onto a fine grid over [lo, hi].
        let bins = 512
        let width = (hi - lo) / Double(bins - 1)
        var mass = [Double](repeating: 0, count: bins)
        for (v, wi) in zip(values, w) {
            let t = min(Double(bins - 1), max(0, (v - lo) / width))
            let k = min(bins - 2, Int(t))
            let f = t - Double(k)
            mass[k] += wi * (1 - f)
            mass[k + 1] += wi * f
        }
        // The Gaussian kernel on the bin spacing, convolved with the binned mass; the mass
        // beyond either end is reflected back (bin k ↔ bin −k at lo, likewise at hi). The
        // reach is clamped before it becomes an integer: h/width may exceed Int.max.
        let reach = (5 * h / width).rounded(.up)
        let reachBins = reach.isFinite ? Int(min(Double(bins - 1), max(0, reach))) : bins - 1
        let kernel = (0...reachBins).map { j -> Double in
            let z = Double(j) * width / h
            return exp(-0.5 * z * z)
        }
        func extended(_ i: Int) -> Double {
            if i < 0 { return mass[-i] }
            if i >= bins { return mass[2 * (bins - 1) - i] }
            return mass[i]
        }
        let norm = 1 / (total * root2pi) / h
        let picks = (0..<points).map { Int((Double($0) * Double(bins - 1) / Double(points - 1)).rounded()) }
        let grid = picks.map { lo + Double($0) * width }
        let density = picks.map { i in
            var s = mass[i] * kernel[0]
            for j in 1...max(1, reachBins) where j <= reachBins {
                s += (extended(i - j) + extended(i + j)) * kernel[j]
            }
            return s * norm
        }
        return (grid, density)
    }
}

/// A histogram: counts of finite values in equal bins over [lo, hi], as densities.
struct Histogram {
    var edges: [Double]
    var density: [Double]

    init(_ x: [Double], bins: Int, lo: Double, hi: Double) {
        let b = max(1, bins)
        let width = (hi - lo) / Double(b)
        edges = (0...b).map { lo + width * Double($0) }
        var counts = [Double](repeating: 0, count: b)
        var n = 0.0
        for v in x where v.isFinite && v >= lo && v <= hi && width > 0 && width.isFinite {
            let t = min(Double(b - 1), max(0, (v - lo) / width))
            counts[Int(t)] += 1
            n += 1
        }
        density = counts.map { n > 0 && width > 0 ? $0 / (n * width) : 0 }
    }
}
