// The fused GLM kernels on Double: linear predictor, link, log likelihood and the gradient's
// transposed product in one pass over the rows, eight rows at a time in SIMD8<Double> lanes
// (four SSE2 registers on the baseline x86-64 target, two AVX registers in the Haswell build of
// this same file, SynmGLMKernelsHaswell). See docs/PERFORMANCE.md and this module's README.
//
// The module has no dependencies, and its entry points (GLMKernelEntries.swift) are public,
// non-generic and not inlinable, so that each build of the file runs its own machine code:
// SynmRuntime chooses one per process (GLMKernelDispatch.swift). The arithmetic is written
// without fused multiply-adds (Swift does not contract a·b + c), so both builds give the same
// bits.
//
// Data layout (SynmRuntime's GLMPanel): the rows are cut into blocks of eight; block b holds,
// for each column k, the eight values X[8b ..< 8b+8, k] next to each other (column-major within
// a block, blocks in row order), so the product X·b is K vector multiply–adds per block and the
// transposed product Xᵀd reuses the same eight-row panel from L1. The last block is padded with
// zero rows, which a lane mask keeps out of every sum. All sums run in a fixed order (lanes
// accumulated block by block, then added pairwise by `laneSum`), so results are deterministic.
//
// exp and log1p are evaluated here by polynomials on SIMD lanes rather than by libm's scalar
// calls (about 50 instructions each per row): Cody–Waite reduction and a degree-13 Taylor
// polynomial for exp, and log1p(e) = k·log 2 + 2·atanh(f / (2 + f)) with an odd series of 12
// terms (Muller, "Elementary Functions", ch. 6). Both are within 2 ulp of the libm value on
// their ranges; GLMKernelTests compares them over many arguments.
import Foundation

public typealias GLMVector = SIMD8<Double>
/// The same lanes as bit patterns and as signed integers.
typealias GLMBits = SIMD8<UInt64>
typealias GLMLaneIndex = SIMD8<Int64>

/// Lanes per block (a constant the optimiser folds).
public var glmWidth: Int { @inline(__always) get { GLMVector.scalarCount } }
/// 0, 1, 2, …: lane numbers, for the last block's mask.
let glmLaneNumbers: GLMLaneIndex = {
    var v = GLMLaneIndex()
    for l in 0..<glmWidth { v[l] = Int64(l) }
    return v
}()

// MARK: - Vector elementary functions

/// eˣ on eight lanes, within 2 ulp for x in [−708, 709]; other lanes (and NaN) go through
/// Foundation's exp, so the result is exactly libm's outside the polynomial's range.
@inline(__always) public func vectorExp(_ x: GLMVector) -> GLMVector {
    let log2e = 1.442_695_040_888_963_387
    let ln2Hi = 6.931_471_803_691_238_164_90e-01   // 21 trailing zero bits: n·ln2Hi is exact
    let ln2Lo = 1.908_214_929_270_587_700_02e-10
    let shifter = 6_755_399_441_055_744.0            // 1.5·2⁵²: adding it rounds to an integer
    let t = x * log2e + GLMVector(repeating: shifter)
    let n = t - GLMVector(repeating: shifter)
    let r = (x - n * ln2Hi) - n * ln2Lo
    // Taylor series of eʳ to r¹³ (|r| ≤ ½ log 2: truncation below 5e-18).
    var p = GLMVector(repeating: 1.0 / 6_227_020_800.0)
    p = p * r + 1.0 / 479_001_600.0
    p = p * r + 1.0 / 39_916_800.0
    p = p * r + 1.0 / 3_628_800.0
    p = p * r + 1.0 / 362_880.0
    p = p * r + 1.0 / 40_320.0
    p = p * r + 1.0 / 5_040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // 2ⁿ: the low bits of t hold n (two's complement); shifted into the exponent field and
    // biased, valid for n in [−1022, 1023].
    let bits = unsafeBitCast(t, to: GLMBits.self)
    let scale = unsafeBitCast((bits &<< 52) &+ (1023 &<< 52), to: GLMVector.self)
    var result = p * scale
    // Lanes outside the polynomial's range (rare): counted with a select and a lane sum, not
    // `any`, which is a call to the mask's `min()` per block.
    let outside = (x .< -708) .| (x .> 709) .| (x .!= x)
    if laneSum(GLMVector(repeating: 0).replacing(with: 1, where: outside)) != 0 {
        for lane in 0..<glmWidth where outside[lane] { result[lane] = Foundation.exp(x[lane]) }
    }
    return result
}

/// log(1 + e) on eight lanes for e in [0, 1], within 2 ulp.
@inline(__always) public func vectorLog1pUnit(_ e: GLMVector) -> GLMVector {
    // Above √2 − 1, log(1 + e) = log 2 + log((1 + e)/2) with (1 + e)/2 − 1 = (e − 1)/2, so the
    // argument f of log(1 + f) stays in [1/√2 − 1, √2 − 1] and s = f/(2 + f) in ±0.1716.
    let big = e .> 0.414_213_562_373_095_1
    let f = e.replacing(with: (e - 1) * 0.5, where: big)
    let k = GLMVector(repeating: 0).replacing(with: 0.693_147_180_559_945_309_42, where: big)
    let s = f / (f + 2)
    let s2 = s * s
    // 2·atanh(s) = 2s·Σ s²ʲ/(2j + 1), j = 0…11 (s² ≤ 0.0295: truncation below 1e-18).
    var p = GLMVector(repeating: 1.0 / 23.0)
    p = p * s2 + 1.0 / 21.0
    p = p * s2 + 1.0 / 19.0
    p = p * s2 + 1.0 / 17.0
    p = p * s2 + 1.0 / 15.0
    p = p * s2 + 1.0 / 13.0
    p = p * s2 + 1.0 / 11.0
    p = p * s2 + 1.0 / 9.0
    p = p * s2 + 1.0 / 7.0
    p = p * s2 + 1.0 / 5.0
    p = p * s2 + 1.0 / 3.0
    p = p * s2
    let twoS = s + s
    return k + (twoS + twoS * p)
}

// MARK: - Families

/// Per-term constants of a family's row formula.
public struct GLMConstants: Sendable {
    /// normal: 1/σ.
    public var invSigma = 1.0

    public init(invSigma: Double = 1.0) { self.invSigma = invSigma }
}

/// One likelihood family on eight rows: the quantity summed for the value, ∂ℓ/∂η, and a
/// second summed quantity (normal: z² − 1, from which ∂/∂σ follows).
protocol GLMFamilyKernel {
    static func lanes(_ eta: GLMVector, _ y: GLMVector, _ c: GLMConstants) -> (lp: GLMVector, d: GLMVector, e: GLMVector)
}

/// bernoulli_logit. `y` holds the sign 2y − 1. With t = −sign·η: ℓ = −(max(t, 0) + log1p(e^{−|t|}))
/// and ∂ℓ/∂η = sign·logit⁻¹(t) (the formulas of `Kernels.bernoulliLogit`).
enum BernoulliLogitLanes: GLMFamilyKernel {
    @inline(__always) static func lanes(_ eta: GLMVector, _ sign: GLMVector, _ c: GLMConstants)
        -> (lp: GLMVector, d: GLMVector, e: GLMVector)
    {
        let t = -(sign * eta)
        let e = vectorExp(t.replacing(with: -t, where: t .> 0))
        let l = vectorLog1pUnit(e)
        let q = 1 / (1 + e)
        let positive = t .> 0
        let lp = -(l + GLMVector(repeating: 0).replacing(with: t, where: positive))
        let d = sign * (e * q).replacing(with: q, where: positive)
        return (lp, d, GLMVector(repeating: 0))
    }
}

/// poisson_log without −log y! (added once per term): ℓ = yη − e^η, ∂ℓ/∂η = y − e^η.
enum PoissonLogLanes: GLMFamilyKernel {
    @inline(__always) static func lanes(_ eta: GLMVector, _ y: GLMVector, _ c: GLMConstants)
        -> (lp: GLMVector, d: GLMVector, e: GLMVector)
    {
        let lambda = vectorExp(eta)
        return (y * eta - lambda, y - lambda, GLMVector(repeating: 0))
    }
}

/// normal with a scalar σ: z = (y − η)/σ; sums z² (the value is −½Σz² − N(log σ + ½ log 2π)),
/// ∂ℓ/∂η = z/σ, and z² − 1 (∂ℓ/∂σ = Σ(z² − 1)/σ).
enum NormalLanes: GLMFamilyKernel {
    @inline(__always) static func lanes(_ eta: GLMVector, _ y: GLMVector, _ c: GLMConstants)
        -> (lp: GLMVector, d: GLMVector, e: GLMVector)
    {
        let z = (y - eta) * c.invSigma
        let z2 = z * z
        return (z2, z * c.invSigma, z2 - 1)
    }
}

/// What a kernel returns besides the vector's gradient.
public struct GLMSums: Sendable {
    /// Σ of the family's value quantity (normal: Σz²; others: Σℓ without constants).
    public var lp = 0.0
    /// Σ ∂ℓ/∂η (the offset's partial).
    public var d = 0.0
    /// Σ u·∂ℓ/∂η, u the vector part of η (the scale's partial).
    public var du = 0.0
    /// Σ of the family's second quantity (normal: Σ(z² − 1)).
    public var e = 0.0
    /// Σ(η − η): NaN when some η is not finite.
    public var check = 0.0

    public init(lp: Double = 0, d: Double = 0, du: Double = 0, e: Double = 0, check: Double = 0) {
        (self.lp, self.d, self.du, self.e, self.check) = (lp, d, du, e, check)
    }
}

/// The lanes' sum in a fixed order: pairs, then pairs of pairs.
@inline(__always) public func laneSum(_ v: GLMVector) -> Double {
    var w = glmWidth
    var x = v
    while w > 1 {
        w /= 2
        for l in 0..<w { x[l] = x[2 * l] + x[2 * l + 1] }
    }
    return x[0]
}

enum GLMKernels {
    /// The padded last block of `live` rows: its lanes past the last row count for nothing.
    @inline(__always)
    static func maskPadding(rows live: Int, _ l: inout GLMVector, _ d: inout GLMVector, _ e: inout GLMVector,
                            _ finite: inout GLMVector) {
        let mask = glmLaneNumbers .< Int64(live)
        let zero = GLMVector(repeating: 0)
        l = zero.replacing(with: l, where: mask)
        d = zero.replacing(with: d, where: mask)
        e = zero.replacing(with: e, where: mask)
        finite = zero.replacing(with: finite, where: mask)
    }

    /// η = offset + X·b over the panel (the matrix form has no scale: `GLMShape` matches none);
    /// `gradient[k]` receives Σᵢ X[i, k]·∂ℓ/∂ηᵢ, `lanes` is scratch of `columns` vectors.
    @inline(__always)
    static func matrix<F: GLMFamilyKernel>(
        _ family: F.Type, y: UnsafePointer<GLMVector>, x: UnsafePointer<GLMVector>, rows n: Int, columns k: Int,
        beta: UnsafePointer<Double>, offset: Double, constants c: GLMConstants,
        lanes: UnsafeMutablePointer<GLMVector>, gradient: UnsafeMutablePointer<Double>
    ) -> GLMSums {
        lanes.update(repeating: GLMVector(repeating: 0), count: k)
        var lp = GLMVector(repeating: 0), sd = lp, se = lp, check = lp
        let blocks = (n + glmWidth - 1) / glmWidth
        let full = n / glmWidth
        let vOffset = GLMVector(repeating: offset)
        // Two full blocks per step: two independent dependency chains through the family's
        // elementary functions, and the gradient's lane accumulators loaded and stored once per
        // sixteen rows (lanes[j] += X₀[j]·d₀ + X₁[j]·d₁, a fixed order).
        var b = 0
        while b + 1 < full {
            let panel0 = x + b * k, panel1 = panel0 + k
            var u0 = GLMVector(repeating: 0), u1 = u0
            for j in 0..<k { u0 += panel0[j] * beta[j] }
            for j in 0..<k { u1 += panel1[j] * beta[j] }
            let eta0 = vOffset + u0, eta1 = vOffset + u1
            let (l0, d0, e0) = F.lanes(eta0, y[b], c)
            let (l1, d1, e1) = F.lanes(eta1, y[b + 1], c)
            lp += l0
            lp += l1
            sd += d0
            sd += d1
            se += e0
            se += e1
            check += (eta0 - eta0) + (eta1 - eta1)
            for j in 0..<k { lanes[j] += panel0[j] * d0 + panel1[j] * d1 }
            b += 2
        }
        while b < blocks {
            defer { b += 1 }
            let panel = x + b * k
            var u = GLMVector(repeating: 0)
            for j in 0..<k { u += panel[j] * beta[j] }
            let eta = vOffset + u
            var (l, d, e) = F.lanes(eta, y[b], c)
            var finite = eta - eta
            if b == full { maskPadding(rows: n - b * glmWidth, &l, &d, &e, &finite) }
            lp += l
            sd += d
            se += e
            check += finite
            for j in 0..<k { lanes[j] += panel[j] * d }
        }
        for j in 0..<k { gradient[j] = laneSum(lanes[j]) }
        return GLMSums(lp: laneSum(lp), d: laneSum(sd), du: 0, e: laneSum(se), check: laneSum(check))
    }

    /// η = offset + scale·b[indices]; `gradient[j]` receives Σ_{i: indices[i] = j} ∂ℓ/∂ηᵢ
    /// (without the scale), rows in order. Every index must be in 0 ..< `count` (the caller
    /// checked the largest), so the loads and stores are unchecked.
    @inline(__always)
    static func gather<F: GLMFamilyKernel>(
        _ family: F.Type, y: UnsafePointer<GLMVector>, indices: UnsafePointer<Int32>, rows n: Int,
        vector v: UnsafePointer<Double>, count: Int, offset: Double, scale: Double, constants c: GLMConstants,
        gradient: UnsafeMutablePointer<Double>
    ) -> GLMSums {
        gradient.update(repeating: 0, count: count)
        var lp = GLMVector(repeating: 0), sd = lp, sdu = lp, se = lp, check = lp
        let blocks = (n + glmWidth - 1) / glmWidth
        let full = n / glmWidth
        let vOffset = GLMVector(repeating: offset), vScale = GLMVector(repeating: scale)
        // Two full blocks per step (independent chains through exp, as in `matrix`); the
        // scatters stay in row order.
        var b = 0
        while b + 1 < full {
            let i0 = indices + b * glmWidth, i1 = i0 + glmWidth
            var u0 = GLMVector(), u1 = GLMVector()
            for l in 0..<glmWidth { u0[l] = v[Int(i0[l])] }
            for l in 0..<glmWidth { u1[l] = v[Int(i1[l])] }
            let eta0 = vOffset + vScale * u0, eta1 = vOffset + vScale * u1
            let (l0, d0, e0) = F.lanes(eta0, y[b], c)
            let (l1, d1, e1) = F.lanes(eta1, y[b + 1], c)
            lp += l0
            lp += l1
            sd += d0
            sd += d1
            sdu += d0 * u0
            sdu += d1 * u1
            se += e0
            se += e1
            check += (eta0 - eta0) + (eta1 - eta1)
            for l in 0..<glmWidth { gradient[Int(i0[l])] += d0[l] }
            for l in 0..<glmWidth { gradient[Int(i1[l])] += d1[l] }
            b += 2
        }
        while b < blocks {
            defer { b += 1 }
            let i = indices + b * glmWidth
            var u = GLMVector()
            for l in 0..<glmWidth { u[l] = v[Int(i[l])] }
            let eta = vOffset + vScale * u
            var (l, d, e) = F.lanes(eta, y[b], c)
            var finite = eta - eta
            if b == full { maskPadding(rows: n - b * glmWidth, &l, &d, &e, &finite) }
            lp += l
            sd += d
            sdu += d * u
            se += e
            check += finite
            for l in 0..<glmWidth { gradient[Int(i[l])] += d[l] }
        }
        return GLMSums(lp: laneSum(lp), d: laneSum(sd), du: laneSum(sdu), e: laneSum(se), check: laneSum(check))
    }
}
