// Descriptive statistics for MCMC diagnostics: mean, sample variance, type-7 quantiles
// (numpy's default, R's default) and average ranks with ties (as scipy.stats.rankdata).
//
// [1] Hyndman & Fan 1996, "Sample quantiles in statistical packages", Am. Stat. 50(4), type 7.
// [2] Chan, Golub & LeVeque 1983, "Algorithms for computing the sample variance" (corrected
//     two-pass algorithm).

/// The arithmetic mean, with one refinement pass (adds the mean residual) so that the result is
/// accurate even when the values share a large offset. NaN for an empty array.
public func mean(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return .nan }
    if let s = overflowScale(xs) { return mean(xs.map { $0 / s }) * s }
    let n = Double(xs.count)
    let first = xs.reduce(0, +) / n
    var residual = 0.0
    for x in xs { residual += x - first }
    return first + residual / n
}

/// The sample variance Σ(xᵢ − x̄)²/(n − 1) by the corrected two-pass algorithm [2].
/// NaN when there are fewer than two values.
public func variance(_ xs: [Double]) -> Double {
    guard xs.count >= 2 else { return .nan }
    if let s = overflowScale(xs) { return variance(xs.map { $0 / s }) * s * s }
    let m = mean(xs)
    var squares = 0.0, sum = 0.0
    for x in xs {
        let d = x - m
        squares += d * d
        sum += d
    }
    let n = Double(xs.count)
    return (squares - sum * sum / n) / (n - 1)
}

/// The sample standard deviation √variance (n − 1 denominator); NaN for fewer than two values.
public func standardDeviation(_ xs: [Double]) -> Double {
    // Scaled first, so a spread near the largest double is not lost to an overflowing square.
    if let s = overflowScale(xs) { return standardDeviation(xs.map { $0 / s }) * s }
    return variance(xs).squareRoot()
}

/// A power of two to divide `xs` by before summing, when their magnitude is so large that
/// sums or squares could overflow (above 2⁵⁰⁰); nil otherwise. Dividing by a power of two is
/// exact, so the scaled statistics times the scale equal the unscaled ones wherever those
/// do not overflow.
public func overflowScale(_ xs: [Double]) -> Double? {
    var largest = 0.0
    for x in xs where x.isFinite { largest = Swift.max(largest, Swift.abs(x)) }
    guard largest > 0x1p500 else { return nil }
    return Double(sign: .plus, exponent: largest.exponent, significand: 1)
}

/// The p-quantile of `xs` with linear interpolation between order statistics, Hyndman & Fan
/// type 7 [1] (numpy's `quantile` default): h = (n − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
/// Sorts a copy of `xs`. NaN if `xs` is empty, contains NaN, or p is outside [0, 1].
public func quantile(_ xs: [Double], _ p: Double) -> Double {
    if xs.contains(where: \.isNaN) { return .nan }
    return quantile(sorted: xs.sorted(), p)
}

/// Type-7 quantiles of `xs` at each probability in `ps`, sorting once.
public func quantiles(_ xs: [Double], _ ps: [Double]) -> [Double] {
    if xs.contains(where: \.isNaN) { return ps.map { _ in .nan } }
    let sorted = xs.sorted()
    return ps.map { quantile(sorted: sorted, $0) }
}

/// The type-7 p-quantile of already ascending-sorted values (not checked).
/// NaN if `sorted` is empty or p is outside [0, 1].
public func quantile(sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty, p >= 0, p <= 1 else { return .nan }
    let h = Double(sorted.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = Swift.min(lo + 1, sorted.count - 1)
    let t = h - Double(lo)
    let a = sorted[lo], b = sorted[hi]
    // Interpolate from the nearer end, as numpy's `_lerp` does, so Q is monotone in p and
    // exact at the order statistics.
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t)
}

/// Ranks 1…n of `xs`, tied values sharing the average of their ranks (scipy's
/// `rankdata(method="average")`). NaN values sort last (IEEE total order) and are ranked
/// like any other value.
public func ranks(_ xs: [Double]) -> [Double] {
    let order = xs.indices.sorted { i, j in
        rankLess(xs[i], xs[j]) || (!rankLess(xs[j], xs[i]) && i < j)
    }
    var result = Array(repeating: 0.0, count: xs.count)
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && sameRankKey(xs[order[end]], xs[order[start]]) { end += 1 }
        // Positions start..<end (0-based) hold ranks start+1 … end; their average:
        let average = Double(start + 1 + end) / 2
        for k in start..<end { result[order[k]] = average }
        start = end
    }
    return result
}

/// Strict order for ranking: numbers ascending, NaN after every number.
private func rankLess(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN { return false }
    if b.isNaN { return true }
    return a < b
}

/// Ties for ranking: equal values (so 0 and −0 tie), or both NaN.
private func sameRankKey(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
