// Before anything is timed: the hand-written density must be synm's density. Values and
// gradients are compared at the timing point and at a few deterministic points around it;
// the exact Hessian is compared with central differences of the hand-written gradient.
import SynmMath
import SynmRuntime

/// How far apart two implementations were, over every compared number.
struct Agreement {
    /// max |a − b| / max(|a|, |b|, 1) over values and gradient components.
    var worstGradient = 0.0
    /// The same for the Hessian against central differences (nil when not checked).
    var worstHessian: Double?
}

/// The tolerance of the value and gradient check: relative 1e-9 (absolute below magnitude 1).
let agreementTolerance = 1e-9
/// The Hessian against central differences of the gradient (step 1e-5): a loose sanity check.
let hessianTolerance = 1e-5

/// |a − b| relative to the larger magnitude, or absolute when both are below 1.
@inline(__always) func discrepancy(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    guard a.isFinite, b.isFinite else { return .infinity }
    return Swift.abs(a - b) / max(Swift.abs(a), Swift.abs(b), 1)
}

/// A small deterministic generator (SplitMix64) for the check points.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [−1, 1).
    mutating func symmetric() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }
}

extension PreparedModel {
    /// The timing point, then points moved from it by up to ±0.5, ±1 and ±2 per coordinate.
    var checkPoints: [[Double]] {
        var rng = SplitMix64(state: 20_261_130)
        var points = [point]
        for scale in [0.5, 1, 2] { points.append(point.map { $0 + scale * rng.symmetric() }) }
        return points
    }

    /// Compares synm with the hand-written density; throws, naming the first disagreement,
    /// when any number differs by more than `agreementTolerance`.
    mutating func verifyAgreement(checkHessian: Bool) throws -> Agreement {
        var result = Agreement()
        let n = compiled.dimension
        let names = compiled.parameterNames
        for (p, x) in checkPoints.enumerated() {
            var gSynm = [Double](repeating: .nan, count: n), gHand = [Double](repeating: .nan, count: n)
            let vSynm = compiled.logDensityAndGradient(x, gradient: &gSynm)
            let vHand = handWritten.logDensityAndGradient(x, gradient: &gHand)
            let where_ = "\(spec.name), check point \(p + 1) x = \(x)"
            guard vSynm.isFinite else {
                throw BenchError("\(where_): synm's log density is \(vSynm): \(compiled.explainNonFinite(x) ?? "?")")
            }
            let dv = discrepancy(vSynm, vHand)
            guard dv <= agreementTolerance else {
                throw BenchError("\(where_): log density synm \(vSynm) vs hand-written \(vHand) (discrepancy \(dv))")
            }
            result.worstGradient = max(result.worstGradient, dv)
            for k in 0..<n {
                let dg = discrepancy(gSynm[k], gHand[k])
                guard dg <= agreementTolerance else {
                    throw BenchError("\(where_): ∂/∂\(names[k]) synm \(gSynm[k]) vs hand-written \(gHand[k]) (discrepancy \(dg))")
                }
                result.worstGradient = max(result.worstGradient, dg)
            }
        }
        if checkHessian { result.worstHessian = try verifyHessian() }
        return result
    }

    /// synm's exact Hessian at the timing point against central differences of the
    /// hand-written gradient; its value and gradient against the hand-written ones.
    mutating func verifyHessian() throws -> Double {
        let n = compiled.dimension
        let x = point
        let exact: (value: Double, gradient: [Double], hessian: [[Double]])
        do { exact = try compiled.hessian(x) } catch { throw BenchError("\(spec.name): the Hessian failed: \(error)") }
        var g = [Double](repeating: 0, count: n)
        let v = handWritten.logDensityAndGradient(x, gradient: &g)
        var worst = discrepancy(exact.value, v)
        for k in 0..<n { worst = max(worst, discrepancy(exact.gradient[k], g[k])) }
        guard worst <= agreementTolerance else {
            throw BenchError("\(spec.name): the Hessian pass's value or gradient differs from the hand-written (\(worst))")
        }
        let h = 1e-5
        var plus = [Double](repeating: 0, count: n), minus = plus
        for j in 0..<n {
            var xp = x, xm = x
            xp[j] += h
            xm[j] -= h
            _ = handWritten.logDensityAndGradient(xp, gradient: &plus)
            _ = handWritten.logDensityAndGradient(xm, gradient: &minus)
            for i in 0..<n {
                let difference = (plus[i] - minus[i]) / (2 * h)
                let d = discrepancy(exact.hessian[i][j], difference)
                guard d <= hessianTolerance else {
                    throw BenchError("\(spec.name): Hessian[\(i + 1)][\(j + 1)] = \(exact.hessian[i][j]), central difference \(difference)")
                }
                worst = max(worst, d)
            }
        }
        return worst
    }
}
