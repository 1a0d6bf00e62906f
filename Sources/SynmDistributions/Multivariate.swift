// Multivariate distributions with Stan's names, parameterisations and normalising constants
// (Stan Functions Reference: "Distributions over Unbounded Vectors" — multi_normal,
// multi_normal_cholesky, multi_student_t; "Simplex Distributions" — dirichlet;
// "Multivariate Discrete Distributions" — multinomial, multinomial_logit; "Correlation Matrix
// Distributions" — lkj_corr, lkj_corr_cholesky). A variate is a vector (a rank-1 array of K
// values) or N of them (the rows of an N × K matrix); lkj_corr's variate is one K × K matrix.
// Matrices are flat row-major arrays here.
//
// Log densities are the normalised ones (constants kept, as synm does everywhere). Partials
// are computed in `T` arithmetic, so on a dual type they differentiate exactly (Hessians by
// forward-over-reverse). The covariance partial uses d log|Σ| = tr(Σ⁻¹ dΣ) and
// dΣ⁻¹ = −Σ⁻¹ dΣ Σ⁻¹ (Giles 2008, "Collected matrix derivative results for forward and
// reverse mode algorithmic differentiation", §2.2): ∂/∂Σ [−½ N log|Σ| − ½ Σₙ rₙᵀΣ⁻¹rₙ] =
// −½ N Σ⁻¹ + ½ Σ⁻¹ (Σₙ rₙrₙᵀ) Σ⁻¹, symmetric; every element of Σ gets its own partial, which
// for a symmetric Σ(θ) gives the exact total derivative. Σ⁻¹ and log|Σ| come from the
// Cholesky factor, computed in `T`.
//
// The LKJ normalising constant is Lewandowski, Kurowicka & Joe (2009), "Generating random
// correlation matrices based on vines and extended onion method", J. Multivariate Anal.
// 100:1989–2001, §3.2: ∫ det(Ω)^{η−1} dΩ = c_K(η) =
// 2^{Σₖ (2η − 2 + K − k)(K − k)} Πₖ B(η + (K − k − 1)/2, η + (K − k − 1)/2)^{K − k}, k = 1…K−1,
// over the K(K − 1)/2 free correlations (Stan's lkj_corr_lpdf normalises the same way).
import Foundation
import SynmMath

/// A distribution whose variate or arguments are vectors or matrices.
public enum MultivariateDistribution: String, CaseIterable, Sendable, Hashable {
    case multiNormal = "multi_normal"
    case multiNormalCholesky = "multi_normal_cholesky"
    case multiStudentT = "multi_student_t"
    case dirichlet
    case multinomial
    case multinomialLogit = "multinomial_logit"
    case lkjCorr = "lkj_corr"
    case lkjCorrCholesky = "lkj_corr_cholesky"

    /// The Stan name.
    public var name: String { rawValue }

    /// Argument names in Stan's order.
    public var arguments: [String] {
        switch self {
        case .multiNormal: ["mu", "Sigma"]
        case .multiNormalCholesky: ["mu", "L"]
        case .multiStudentT: ["nu", "mu", "Sigma"]
        case .dirichlet: ["alpha"]
        case .multinomial: ["theta"]
        case .multinomialLogit: ["gamma"]
        case .lkjCorr, .lkjCorrCholesky: ["eta"]
        }
    }

    /// The `_rng` function's arguments (Stan's: multinomial_rng(theta, N), lkj_corr_rng(K, eta)).
    public var rngArguments: [String] {
        switch self {
        case .multinomial: ["theta", "N"]
        case .multinomialLogit: ["gamma", "N"]
        case .lkjCorr, .lkjCorrCholesky: ["K", "eta"]
        default: arguments
        }
    }

    /// Whether the variate is a vector of counts (an int array).
    public var isDiscrete: Bool { self == .multinomial || self == .multinomialLogit }
    /// Whether the variate is one K × K matrix (a correlation matrix or its Cholesky factor).
    public var hasMatrixVariate: Bool { self == .lkjCorr || self == .lkjCorrCholesky }
    /// The index of the location argument mu (nil when there is none).
    public var locationArgument: Int? {
        switch self {
        case .multiNormal, .multiNormalCholesky: 0
        case .multiStudentT: 1
        default: nil
        }
    }
    /// The index of the matrix argument (Sigma or L), or nil.
    public var matrixArgument: Int? {
        switch self {
        case .multiNormal, .multiNormalCholesky: 1
        case .multiStudentT: 2
        default: nil
        }
    }
    /// The index of the vector argument shared by (or given per) row: alpha, theta, gamma.
    public var vectorArgument: Int? {
        switch self {
        case .dirichlet, .multinomial, .multinomialLogit: 0
        default: nil
        }
    }
    /// The index of a scalar argument (nu, eta), or nil.
    public var scalarArgument: Int? {
        switch self {
        case .multiStudentT, .lkjCorr, .lkjCorrCholesky: 0
        default: nil
        }
    }
}

/// Checks of multivariate arguments (Stan's tolerance 1e-8 for symmetry, unit diagonals,
/// unit rows and simplexes, as its CONSTRAINT_TOLERANCE). Each returns why the value is
/// invalid, or nil.
public enum MultivariateChecks {
    public static let tolerance = 1e-8

    /// A symmetric positive-definite K × K matrix (row-major `m`).
    public static func covariance(_ m: [Double], _ k: Int, _ what: String) -> String? {
        if let i = m.firstIndex(where: { !$0.isFinite }) {
            return "\(what)[\(i / k + 1), \(i % k + 1)] must be finite, got \(formatValue(m[i]))"
        }
        for i in 0..<k {
            for j in 0..<i where Swift.abs(m[i * k + j] - m[j * k + i]) > tolerance {
                return "\(what) is not symmetric: \(what)[\(i + 1), \(j + 1)] = \(formatValue(m[i * k + j])) but \(what)[\(j + 1), \(i + 1)] = \(formatValue(m[j * k + i]))"
            }
        }
        if MultivariateKernels.cholesky(m, k) == nil {
            return "\(what) is not positive definite"
        }
        return nil
    }

    /// A lower-triangular K × K matrix with a positive diagonal (a Cholesky factor).
    public static func choleskyFactor(_ m: [Double], _ k: Int, _ what: String) -> String? {
        if let i = m.firstIndex(where: { !$0.isFinite }) {
            return "\(what)[\(i / k + 1), \(i % k + 1)] must be finite, got \(formatValue(m[i]))"
        }
        for i in 0..<k {
            for j in (i + 1)..<max(k, i + 1) where m[i * k + j] != 0 {
                return "\(what) is not lower triangular: \(what)[\(i + 1), \(j + 1)] = \(formatValue(m[i * k + j]))"
            }
            if !(m[i * k + i] > 0) {
                return "\(what) is not a Cholesky factor: \(what)[\(i + 1), \(i + 1)] = \(formatValue(m[i * k + i])) must be > 0"
            }
        }
        return nil
    }

    /// A correlation matrix: symmetric, unit diagonal, positive definite.
    public static func correlation(_ m: [Double], _ k: Int, _ what: String) -> String? {
        if let i = m.firstIndex(where: { !$0.isFinite }) {
            return "\(what)[\(i / k + 1), \(i % k + 1)] must be finite, got \(formatValue(m[i]))"
        }
        for i in 0..<k where Swift.abs(m[i * k + i] - 1) > tolerance {
            return "\(what) is not a correlation matrix: \(what)[\(i + 1), \(i + 1)] = \(formatValue(m[i * k + i])), not 1"
        }
        return covariance(m, k, what)
    }

    /// The Cholesky factor of a correlation matrix: lower triangular, positive diagonal, rows of
    /// unit length.
    public static func correlationCholesky(_ m: [Double], _ k: Int, _ what: String) -> String? {
        if let why = choleskyFactor(m, k, what) { return why }
        for i in 0..<k {
            var s = 0.0
            for j in 0...i { s += m[i * k + j] * m[i * k + j] }
            if Swift.abs(s - 1) > tolerance {
                return "\(what) is not the Cholesky factor of a correlation matrix: row \(i + 1) has squared length \(s), not 1"
            }
        }
        return nil
    }

    /// A simplex: elements ≥ 0 summing to 1 within 1e-8 (Stan's check_simplex).
    public static func simplex(_ v: [Double], _ what: String) -> String? {
        guard !v.isEmpty else { return "\(what) must have at least one element" }
        if let k = v.firstIndex(where: { !$0.isFinite }) {
            return "\(what)[\(k + 1)] must be finite, got \(formatValue(v[k]))"
        }
        if let k = v.firstIndex(where: { $0 < 0 }) {
            return "\(what) is not a simplex: \(what)[\(k + 1)] = \(formatValue(v[k])) is negative"
        }
        let sum = v.reduce(0, +)
        if Swift.abs(sum - 1) > tolerance {
            return "\(what) is not a simplex: its elements sum to \(sum), not 1"
        }
        return nil
    }
}

/// Log densities with partials, generic over `RealScalar`. Arguments must have been checked.
public enum MultivariateKernels {
    @inlinable static var log2Pi: Double { 1.837_877_066_409_345_483_56 }
    @inlinable static var logPi: Double { 1.144_729_885_849_400_174_14 }
    @inlinable static var log2: Double { 0.693_147_180_559_945_309_42 }

    /// The lower Cholesky factor of a symmetric K × K matrix (row-major; only its lower
    /// triangle is read), or nil when a pivot is not positive.
    @inlinable public static func cholesky<T: RealScalar>(_ a: [T], _ k: Int) -> [T]? {
        var l = [T](repeating: 0, count: k * k)
        for j in 0..<k {
            var d = a[j * k + j]
            for m in 0..<j { d -= l[j * k + m] * l[j * k + m] }
            guard d.value > 0, d.value.isFinite else { return nil }
            let ljj = T.sqrt(d)
            l[j * k + j] = ljj
            for i in (j + 1)..<max(k, j + 1) {
                var s = a[i * k + j]
                for m in 0..<j { s -= l[i * k + m] * l[j * k + m] }
                l[i * k + j] = s / ljj
            }
        }
        return l
    }

    /// Solves L z = r in place (L lower triangular, row-major).
    @inlinable static func forward<T: RealScalar>(_ l: [T], _ k: Int, _ z: inout [T]) {
        for i in 0..<k {
            var s = z[i]
            for m in 0..<i { s -= l[i * k + m] * z[m] }
            z[i] = s / l[i * k + i]
        }
    }

    /// Solves Lᵀ w = z in place.
    @inlinable static func backward<T: RealScalar>(_ l: [T], _ k: Int, _ w: inout [T]) {
        for i in stride(from: k - 1, through: 0, by: -1) {
            var s = w[i]
            for m in (i + 1)..<max(k, i + 1) { s -= l[m * k + i] * w[m] }
            w[i] = s / l[i * k + i]
        }
    }

    /// Σ⁻¹ = L⁻ᵀL⁻¹ from the Cholesky factor.
    @inlinable static func inverse<T: RealScalar>(fromCholesky l: [T], _ k: Int) -> [T] {
        var out = [T](repeating: 0, count: k * k)
        var col = [T](repeating: 0, count: k)
        for j in 0..<k {
            for i in 0..<k { col[i] = i == j ? 1 : 0 }
            forward(l, k, &col)
            backward(l, k, &col)
            for i in 0..<k { out[i * k + j] = col[i] }
        }
        return out
    }

    /// The partials of a multivariate location-scale term: ∂/∂y (per element of y), ∂/∂mu
    /// (mu's shape), ∂/∂(Sigma or L) and ∂/∂nu.
    public struct LocationScalePartials<T: RealScalar> {
        public var y: [T]
        public var mu: [T]
        public var matrix: [T]
        public var nu: T

        @inlinable public init(y: [T], mu: [T], matrix: [T]) {
            self.y = y
            self.mu = mu
            self.matrix = matrix
            self.nu = 0
        }
    }

    /// multi_normal(y | mu, Σ), multi_normal_cholesky(y | mu, L) and multi_student_t(y | ν, mu, Σ)
    /// summed over N rows of K values; mu is one row (shared) or N. `matrix` is Σ (or L for
    /// the Cholesky form). Returns nil when Σ is not positive definite.
    @inlinable public static func locationScale<T: RealScalar>(
        _ d: MultivariateDistribution, y: [T], rows n: Int, k: Int, nu: T, mu: [T], matrix: [T]
    ) -> (value: T, partials: LocationScalePartials<T>)? {
        let cholesky = d == .multiNormalCholesky
        guard let l = cholesky ? matrix : self.cholesky(matrix, k) else { return nil }
        let muPerRow = mu.count == n * k && n > 1
        var p = LocationScalePartials<T>(y: [T](repeating: 0, count: n * k), mu: [T](repeating: 0, count: mu.count),
                                         matrix: [T](repeating: 0, count: k * k))
        var logDiag = T(0)
        for i in 0..<k { logDiag += T.log(l[i * k + i]) }
        let kd = Double(k), nd = Double(n)
        let student = d == .multiStudentT
        var value: T
        if student {
            let half = T(0.5) * (nu + T(kd)), halfNu = T(0.5) * nu
            let scale: T = T(0.5 * kd) * (T.log(nu) + T(logPi))
            let perRow: T = T.lgamma(half) - T.lgamma(halfNu) - scale - logDiag
            value = T(nd) * perRow
            let dPerRow: T = T(0.5) * T.digamma(half) - T(0.5) * T.digamma(halfNu) - T(0.5 * kd) / nu
            p.nu = T(nd) * dPerRow
        } else {
            value = T(-0.5 * nd * kd * log2Pi) - T(nd) * logDiag
        }
        // Σₙ cₙ wₙwₙᵀ (Σ forms) or Σₙ wₙzₙᵀ (Cholesky form), c = 1 for the normal.
        var outer = [T](repeating: 0, count: k * k)
        var z = [T](repeating: 0, count: k), w = z
        for row in 0..<n {
            for j in 0..<k { z[j] = y[row * k + j] - mu[(muPerRow ? row * k : 0) + j] }
            forward(l, k, &z)
            for j in 0..<k { w[j] = z[j] }
            backward(l, k, &w)
            var q = T(0)
            for j in 0..<k { q += z[j] * z[j] }
            var c = T(1)
            if student {
                value -= 0.5 * (nu + T(kd)) * T.log1p(q / nu)
                c = (nu + T(kd)) / (nu + q)
                p.nu += -0.5 * T.log1p(q / nu) + 0.5 * (nu + T(kd)) * q / (nu * (nu + q))
            } else {
                value -= 0.5 * q
            }
            for j in 0..<k {
                p.y[row * k + j] = -c * w[j]
                p.mu[(muPerRow ? row * k : 0) + j] += c * w[j]
            }
            for i in 0..<k {
                for j in 0..<(cholesky ? i + 1 : k) {
                    outer[i * k + j] += cholesky ? w[i] * z[j] : c * w[i] * w[j]
                }
            }
        }
        if cholesky {
            for i in 0..<k {
                for j in 0...i { p.matrix[i * k + j] = outer[i * k + j] }
                p.matrix[i * k + i] -= T(nd) / l[i * k + i]
            }
        } else {
            let inv = inverse(fromCholesky: l, k)
            for i in 0..<k {
                for j in 0..<k { p.matrix[i * k + j] = T(0.5) * (outer[i * k + j] - T(nd) * inv[i * k + j]) }
            }
        }
        return (value, p)
    }

    /// dirichlet(theta | alpha) over N rows of K; alpha one row or N. Returns the value and
    /// ∂/∂theta, ∂/∂alpha (alpha's shape).
    @inlinable public static func dirichlet<T: RealScalar>(theta: [T], rows n: Int, k: Int, alpha: [T])
        -> (value: T, theta: [T], alpha: [T])
    {
        let perRow = alpha.count == n * k && n > 1
        var dTheta = [T](repeating: 0, count: n * k)
        var dAlpha = [T](repeating: 0, count: alpha.count)
        var value = T(0)
        for row in 0..<n {
            let a0 = perRow ? row * k : 0
            var sum = T(0)
            for j in 0..<k { sum += alpha[a0 + j] }
            value += T.lgamma(sum)
            let psiSum = T.digamma(sum)
            for j in 0..<k {
                let a = alpha[a0 + j], t = theta[row * k + j]
                let logT = T.log(t)
                value -= T.lgamma(a)
                // (α − 1)·log θ is 0 when α = 1, also at θ = 0.
                if a.value != 1 {
                    value += (a - 1) * logT
                    dTheta[row * k + j] = (a - 1) / t
                }
                dAlpha[a0 + j] += psiSum - T.digamma(a) + logT
            }
        }
        return (value, dTheta, dAlpha)
    }

    /// multinomial(y | theta) (or multinomial_logit(y | gamma) when `logit`) over N rows of K
    /// counts; the probability vector is shared. Returns the value and its partials.
    @inlinable public static func multinomial<T: RealScalar>(counts y: [Double], rows n: Int, k: Int, probabilities v: [T],
                                                  logit: Bool) -> (value: T, partials: [T]) {
        var d = [T](repeating: 0, count: k)
        var value = T(0)
        var logP = v
        var softmax: [T] = []
        if logit {
            var mx = v[0]
            for x in v where x.value > mx.value { mx = x }
            var s = T(0)
            for x in v { s += T.exp(x - mx) }
            let lse = mx + T.log(s)
            logP = v.map { $0 - lse }
            softmax = logP.map { T.exp($0) }
        }
        for row in 0..<n {
            var total = 0.0
            for j in 0..<k {
                let c = y[row * k + j]
                total += c
                value -= T(logGamma(c + 1))
                guard c > 0 else { continue }
                if logit {
                    value += T(c) * logP[j]
                    d[j] += T(c)
                } else {
                    value += T(c) * T.log(v[j])
                    d[j] += T(c) / v[j]
                }
            }
            value += T(logGamma(total + 1))
            if logit { for j in 0..<k { d[j] -= T(total) * softmax[j] } }
        }
        return (value, d)
    }

    /// log c_K(η), the LKJ normalising constant (file header), and its derivative in η.
    @inlinable public static func lkjLogConstant<T: RealScalar>(_ eta: T, _ k: Int) -> (value: T, eta: T) {
        var value = T(0), deta = T(0)
        guard k > 1 else { return (0, 0) }
        for kk in 1..<k {
            let m = Double(k - kk)
            let a = eta + T(0.5 * (m - 1))
            value += (2 * eta - 2 + T(m)) * T(m * log2) + T(m) * (2 * T.lgamma(a) - T.lgamma(2 * a))
            deta += T(2 * m * log2) + T(m) * (2 * T.digamma(a) - 2 * T.digamma(2 * a))
        }
        return (value, deta)
    }

    /// lkj_corr(Ω | η) = det(Ω)^{η−1} / c_K(η). Returns nil when Ω is not positive definite,
    /// else the value, ∂/∂Ω = (η − 1) Ω⁻¹ and ∂/∂η.
    @inlinable public static func lkjCorr<T: RealScalar>(_ omega: [T], k: Int, eta: T) -> (value: T, omega: [T], eta: T)? {
        guard let l = cholesky(omega, k) else { return nil }
        var logDet = T(0)
        for i in 0..<k { logDet += 2 * T.log(l[i * k + i]) }
        let c = lkjLogConstant(eta, k)
        let inv = inverse(fromCholesky: l, k)
        return ((eta - 1) * logDet - c.value, inv.map { (eta - 1) * $0 }, logDet - c.eta)
    }

    /// lkj_corr_cholesky(L | η) = Π_{i=2}^{K} L_ii^{K − i + 2η − 2} / c_K(η) (Stan Functions
    /// Reference, "Cholesky LKJ correlation distribution"): the LKJ density of LLᵀ times the
    /// Jacobian of Ω ↦ L. Returns the value, ∂/∂L (diagonal only) and ∂/∂η.
    @inlinable public static func lkjCorrCholesky<T: RealScalar>(_ l: [T], k: Int, eta: T) -> (value: T, l: [T], eta: T) {
        let c = lkjLogConstant(eta, k)
        var value = -c.value, deta = -c.eta
        var dl = [T](repeating: 0, count: k * k)
        for i in 1..<max(k, 1) {
            let power = T(Double(k - i - 1)) + 2 * eta - 2
            let logL = T.log(l[i * k + i])
            value += power * logL
            dl[i * k + i] = power / l[i * k + i]
            deta += 2 * logL
        }
        return (value, dl, deta)
    }
}

/// Samplers (arguments must have been checked).
extension Samplers {
    /// mu + L z with z standard normal (L the lower Cholesky factor), scaled by √(ν/χ²_ν) for
    /// the Student-t (a normal scale mixture).
    public static func multiNormal(mu: ArraySlice<Double>, cholesky l: [Double], nu: Double?,
                                   _ rng: inout some RandomNumberGenerator) -> [Double] {
        let k = mu.count
        let z = (0..<k).map { _ in standardNormal(&rng) }
        let scale = nu.map { ($0 / (2 * gamma(shape: 0.5 * $0, &rng))).squareRoot() } ?? 1
        var out = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var s = 0.0
            for j in 0...i { s += l[i * k + j] * z[j] }
            out[i] = mu[mu.startIndex + i] + scale * s
        }
        return out
    }

    /// A dirichlet(alpha) draw: independent gamma(α_k) normalised, formed from their logs so
    /// small shapes do not underflow.
    public static func dirichlet(_ alpha: ArraySlice<Double>, _ rng: inout some RandomNumberGenerator) -> [Double] {
        let logs = alpha.map { logGamma(shape: $0, &rng) }
        let m = logs.max() ?? 0
        let w = logs.map { Foundation.exp($0 - m) }
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }

    /// A multinomial(theta, N) draw by successive binomials of the remaining count.
    public static func multinomial(_ theta: [Double], count: Int, _ rng: inout some RandomNumberGenerator) -> [Double] {
        var out = [Double](repeating: 0, count: theta.count)
        var left = Double(count)
        var mass = 1.0
        for j in 0..<theta.count {
            if left == 0 { break }
            if j == theta.count - 1 || mass <= theta[j] {
                out[j] = left
                break
            }
            let p = Swift.min(Swift.max(theta[j] / mass, 0), 1)
            let x = binomial(n: left, p: p, &rng)
            out[j] = x
            left -= x
            mass -= theta[j]
        }
        return out
    }

    /// The Cholesky factor of an LKJ(η) correlation matrix by the C-vine method (Lewandowski,
    /// Kurowicka & Joe 2009, §2.4; as Stan's lkj_corr_cholesky_rng): the partial correlations
    /// of tree level i (1-based) are 2·Beta(β, β) − 1 with β = η + (K − 1 − i)/2, and row j of
    /// L holds cpc(i, j)·√Π_{m<i}(1 − cpc(m, j)²).
    public static func lkjCholesky(k: Int, eta: Double, _ rng: inout some RandomNumberGenerator) -> [Double] {
        var l = [Double](repeating: 0, count: k * k)
        guard k > 0 else { return l }
        var remaining = [Double](repeating: 1, count: k)   // 1 − Σ of squares so far, per row
        l[0] = 1
        for i in 0..<(k - 1) {
            let b = eta + 0.5 * Double(k - 2 - i)
            for j in (i + 1)..<k {
                let cpc = 2 * beta(b, b, &rng) - 1
                l[j * k + i] = cpc * remaining[j].squareRoot()
                remaining[j] *= 1 - cpc * cpc
            }
            l[(i + 1) * k + i + 1] = remaining[i + 1].squareRoot()
        }
        return l
    }
}
