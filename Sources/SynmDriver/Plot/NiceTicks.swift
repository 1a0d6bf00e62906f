// Axis ticks at "nice" numbers — 1, 2 or 5 times a power of ten — after Heckbert, "Nice
// numbers for graph labels", Graphics Gems (1990), pp. 61–63 and 657–659: the range is
// rounded to a nice number, the step to a nice number near range/(n − 1), and the labels
// show exactly as many fraction digits as the step needs.
import Foundation

/// Ticks for one axis.
struct NiceTicks: Equatable {
    /// Tick values, ascending, all inside [lo, hi] (tight) or spanning it (loose).
    var values: [Double]
    var step: Double
    /// Fraction digits the labels need: max(−⌊log₁₀ step⌋, 0).
    var fractionDigits: Int

    /// Heckbert's nice number near x: rounded (to the nearest of 1, 2, 5, 10 × 10ᵏ) or the
    /// smallest nice number ≥ x (ceiling).
    static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = floor(log10(x))
        let f = x / pow(10, exponent)
        let nice: Double
        if round {
            nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        } else {
            nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return nice * pow(10, exponent)
    }

    /// About `count` ticks for [lo, hi]. `loose`: Heckbert's loose labelling, the first and
    /// last ticks at or beyond the range ends (use them as the axis limits); otherwise only
    /// the ticks inside [lo, hi]. A degenerate range is widened around its value.
    init(lo: Double, hi: Double, count: Int = 5, loose: Bool = false) {
        self.init(heckbert: lo, hi, count: count, loose: loose)
        // Tight labelling can leave a single tick inside the range (the nice step overshoots):
        // ask for more until at least three ticks show.
        var n = count
        while !loose, values.count < 3, n < count + 6 {
            n += 1
            self.init(heckbert: lo, hi, count: n, loose: false)
        }
    }

    private init(heckbert lo: Double, _ hi: Double, count: Int, loose: Bool) {
        var a = min(lo, hi), b = max(lo, hi)
        if !a.isFinite || !b.isFinite { (a, b) = (0, 1) }
        if a == b {
            let d = a == 0 ? 1 : abs(a) * 0.1
            a -= d
            b += d
        }
        // A range wider than the largest double (−1e308 … 1e308) overflows b − a: its step is
        // found from half the range, which is always finite.
        let step: Double
        if (b - a).isFinite {
            let range = Self.niceNumber(b - a, round: false)
            step = Self.niceNumber(range / Double(max(count - 1, 1)), round: true)
        } else {
            step = Self.niceNumber((b / 2 - a / 2) / Double(max(count - 1, 1)) * 2, round: true)
        }
        let first = loose ? floor(a / step) * step : ceil(a / step - 1e-9) * step
        let last = loose ? ceil(b / step) * step : floor(b / step + 1e-9) * step
        var values: [Double] = []
        var k = 0.0
        while first + k * step <= last + step * 1e-9, values.count < 1000 {
            var v = first + k * step
            if abs(v) < step * 1e-9 { v = 0 }  // no "-0" or 1e-17 at the origin
            values.append(v)
            k += 1
        }
        self.values = values
        self.step = step
        fractionDigits = max(Int(-floor(log10(step))), 0)
    }

    /// The label of a tick value with the step's fraction digits; large or tiny magnitudes in
    /// exponent form.
    func label(_ v: Double) -> String {
        let magnitude = values.map(abs).max() ?? abs(v)
        if magnitude >= 1e6 || (fractionDigits > 5 && magnitude > 0) {
            return String(format: "%.2g", v).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-")
        }
        return String(format: "%.\(fractionDigits)f", v)
    }
}
