// The Euclidean metric of Hamiltonian Monte Carlo: kinetic energy, sharp momentum and
// momentum draws for a diagonal or dense inverse metric M⁻¹ (Stan's diag_e / dense_e).
//
// [1] Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte Carlo", arXiv:1701.02434, §4.
// [2] Stan, src/stan/mcmc/hmc/hamiltonians/diag_e_metric.hpp and dense_e_metric.hpp.
// [3] Marsaglia & Bray 1964, "A convenient method for generating normal variables", SIAM Rev. 6(3).

import Foundation
import SynmMath

/// A Euclidean–Gaussian kinetic energy K(p) = ½ pᵀM⁻¹p, stored through the inverse metric M⁻¹
/// (the quantity warmup estimates: the posterior covariance) [1, 2].
public struct Metric: Sendable, Equatable {
    /// How M⁻¹ is stored.
    public enum Storage: Sendable, Equatable {
        /// M⁻¹ = diag(values); every value must be > 0 and finite.
        case diagonal([Double])
        /// M⁻¹ a dense symmetric positive-definite matrix, with its Cholesky factor L (M⁻¹ = LLᵀ).
        case dense(inverse: Matrix, cholesky: Matrix)
    }

    /// The inverse metric.
    public let storage: Storage

    /// The unit metric M = I in `dimension` coordinates.
    public static func unit(_ dimension: Int) -> Metric {
        Metric(diagonal: [Double](repeating: 1, count: dimension))
    }

    /// A diagonal inverse metric; the entries are variances (one per coordinate).
    public init(diagonal inverse: [Double]) {
        storage = .diagonal(inverse)
    }

    /// A dense inverse metric, or nil when `inverse` is not symmetric positive definite.
    public init?(dense inverse: Matrix) {
        guard let l = inverse.cholesky() else { return nil }
        storage = .dense(inverse: inverse, cholesky: l)
    }

    /// The number of coordinates.
    public var dimension: Int {
        switch storage {
        case .diagonal(let d): return d.count
        case .dense(let m, _): return m.rows
        }
    }

    /// The diagonal of M⁻¹ (the marginal variances it encodes), reported in chain results.
    public var inverseDiagonal: [Double] {
        switch storage {
        case .diagonal(let d): return d
        case .dense(let m, _): return (0..<m.rows).map { m[$0, $0] }
        }
    }

    /// The sharp momentum p♯ = M⁻¹p (Stan's `dtau_dp`), written into `sharp`.
    @inlinable public func sharp(_ p: [Double], into sharp: inout [Double]) {
        switch storage {
        case .diagonal(let d):
            for i in 0..<p.count { sharp[i] = d[i] * p[i] }
        case .dense(let m, _):
            let n = p.count
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += m[i, j] * p[j] }
                sharp[i] = s
            }
        }
    }

    /// The sharp momentum M⁻¹p as a new array.
    public func sharp(_ p: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: p.count)
        sharp(p, into: &out)
        return out
    }

    /// K(p) = ½ pᵀM⁻¹p (Stan's `tau`).
    public func kineticEnergy(_ p: [Double]) -> Double {
        switch storage {
        case .diagonal(let d):
            var s = 0.0
            for i in 0..<p.count { s += d[i] * p[i] * p[i] }
            return 0.5 * s
        case .dense:
            let ps = sharp(p)
            var s = 0.0
            for i in 0..<p.count { s += p[i] * ps[i] }
            return 0.5 * s
        }
    }

    /// A momentum p ~ N(0, M): pᵢ = zᵢ/√(M⁻¹)ᵢᵢ for a diagonal metric, p = L⁻ᵀz for a dense one
    /// (so that Cov(p) = L⁻ᵀL⁻¹ = (LLᵀ)⁻¹ = M) [2].
    public func sampleMomentum<R: RandomNumberGenerator>(using rng: inout R) -> [Double] {
        let z = (0..<dimension).map { _ in rng.standardNormal() }
        switch storage {
        case .diagonal(let d):
            return (0..<z.count).map { z[$0] / d[$0].squareRoot() }
        case .dense(_, let l):
            return l.backSubstituteTransposed(z)
        }
    }
}

// MARK: - Standard normal draws (for momenta and proposals)

extension RandomNumberGenerator {
    /// One N(0, 1) draw by the polar method [3]: draw (u, v) uniform on the square [−1, 1]²
    /// until 0 < s = u² + v² < 1, return u·√(−2 log s / s). The companion v·√(…) is discarded
    /// rather than cached, so the generator is the only state. Uses on average 2.55 uniforms.
    @inlinable public mutating func standardNormal() -> Double {
        while true {
            let u = 2 * uniform01() - 1
            let v = 2 * uniform01() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * log(s) / s).squareRoot()
            }
        }
    }
}

