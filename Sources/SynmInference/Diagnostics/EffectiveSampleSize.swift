// Effective sample size: Geyer's initial monotone sequence estimator over multiple chains,
// and the bulk, tail, mean and quantile ESS built on it.
//
// [1] Vehtari et al. 2021, arXiv:1903.08008, §3.2 (eqs. (10)–(13)) and §4.3.
// [2] Geyer 1992, "Practical Markov chain Monte Carlo", Statistical Science 7(4):473–483.
// [3] Stan, src/stan/analyze/mcmc/ess.hpp and split_rank_normalized_ess.hpp.
// [4] R posterior, R/convergence.R: ess_bulk(), ess_tail(), ess_mean(), ess_quantile().
import Foundation
import SynmMath

/// ESS of `chains` exactly as given (no split, no ranks), Stan's `ess.hpp` [3]:
/// ρ̂_t = 1 − (W − mean_c γ̂_{t,c})/var⁺; Geyer's initial positive sequence over pairs
/// ρ̂_{2k} + ρ̂_{2k+1}, made monotone by averaging any pair that exceeds its predecessor [2];
/// τ̂ = −1 + 2·Σ_{t<t_max} ρ̂_t + ρ̂_{t_max+1}, the last term only when the last even-lag ρ̂ is
/// positive (the improvement for antithetic chains, [1] §3.2); τ̂ ≥ 1/log₁₀ S; ESS = S/τ̂.
///
/// NaN when chains have fewer than 4 draws, a draw is non-finite, or var⁺ is not positive.
/// (Stan's loop guard would give S/2 for a zero var⁺; ArviZ gives NaN, as here.)
public func effectiveSampleSize(chains: [[Double]]) -> Double {
    let m = DrawMatrix(chains)
    guard m.values.allSatisfy(\.isFinite) else { return .nan }
    return m.geyerESS()
}

/// Bulk ESS = ESS(z(split x)), the rank-normalised split chains [1] §4.3, [3], [4].
/// NaN when a draw is non-finite, all draws are equal, or N < 8 (split chains need 4 draws).
public func essBulk(chains: [[Double]]) -> Double { DrawMatrix(chains).essBulk() }

/// Tail ESS = min(ESS(split I[x ≤ q₀.₀₅]), ESS(split I[x ≥ q₀.₉₅])), quantiles (type 7) of
/// the pooled split draws, as Stan's `split_rank_normalized_ess.hpp` [3]. `posterior` and
/// ArviZ use I[x ≤ q₀.₉₅] (same ESS unless draws tie at q₀.₉₅) and quantiles of all draws.
/// If one of the two is NaN the other is returned (Stan). NaN as for `essBulk`.
public func essTail(chains: [[Double]]) -> Double { DrawMatrix(chains).essTail() }

/// ESS for the mean: ESS of the split, not rank-normalised, draws (`posterior::ess_mean`).
/// NaN as for `essBulk`.
public func essMean(chains: [[Double]]) -> Double { DrawMatrix(chains).essMean() }

/// ESS for the p-quantile: ESS(split I[x ≤ q_p]) with q_p the type-7 quantile of all draws
/// (`posterior::ess_quantile`). NaN as for `essBulk`, or if p is outside [0, 1].
public func essQuantile(chains: [[Double]], probability p: Double) -> Double {
    let m = DrawMatrix(chains)
    guard m.isUsableForESS else { return .nan }
    return m.essQuantile(p, threshold: quantile(sorted: m.values.sorted(), p))
}

extension DrawMatrix {
    /// Finite, varying, and long enough that split chains have ≥ 4 draws (Stan's `ess`).
    var isUsableForESS: Bool { draws / 2 >= 4 && isFiniteAndVaries }

    func essBulk() -> Double {
        guard isUsableForESS else { return .nan }
        return split().rankNormalized().geyerESS()
    }

    func essTail() -> Double {
        guard isUsableForESS else { return .nan }
        let split = split()
        return split.tailESS(sorted: split.values.sorted())
    }

    /// Tail ESS of an already split matrix whose draws, sorted, are `sorted`.
    func tailESS(sorted: [Double]) -> Double {
        let split = self
        let q05 = quantile(sorted: sorted, 0.05), q95 = quantile(sorted: sorted, 0.95)
        let lower = split.map { $0 <= q05 ? 1 : 0 }.geyerESS()
        let upper = split.map { $0 >= q95 ? 1 : 0 }.geyerESS()
        if lower.isNaN { return upper }
        if upper.isNaN { return lower }
        return Swift.min(lower, upper)
    }

    func essMean() -> Double {
        guard isUsableForESS else { return .nan }
        return split().geyerESS()
    }

    /// ESS of split I[x ≤ threshold]; the caller passes the p-quantile of all draws.
    func essQuantile(_ p: Double, threshold: Double) -> Double {
        guard isUsableForESS, p >= 0, p <= 1 else { return .nan }
        return split().map { $0 <= threshold ? 1 : 0 }.geyerESS()
    }

    /// Stan's `ess.hpp` on this matrix as is [3]; see `effectiveSampleSize(chains:)`.
    func geyerESS() -> Double {
        let n = draws, c = chains
        guard n >= 4, c >= 1 else { return .nan }
        var acov = Autocovariances(self)
        let nd = Double(n)
        // W from the lag-0 autocovariances, var⁺ = (N−1)/N·W + B/N  ([1] eq. (3)).
        let w = acov.perChain(lag: 0).reduce(0, +) / Double(c) * nd / (nd - 1)
        var varPlus = w * (nd - 1) / nd
        if c > 1 { varPlus += variance(chainMeans) }
        guard varPlus > 0 else { return .nan }
        func rho(_ t: Int) -> Double { 1 - (w - acov.mean(lag: t)) / varPlus }  // eq. (10)

        var rhoHat = [Double](repeating: 0, count: n)
        var even = 1.0, odd = rho(1)
        rhoHat[0] = even
        rhoHat[1] = odd
        // Geyer's initial positive sequence over pairs (t+1, t+2), eq. (11), with the
        // initial monotone sequence enforced as each pair arrives (Stan's loop).
        var t = 1
        while t < n - 4 && even + odd > 0 && !(even + odd).isNaN {
            even = rho(t + 1)
            odd = rho(t + 2)
            if even + odd >= 0 {
                rhoHat[t + 1] = even
                rhoHat[t + 2] = odd
            }
            if rhoHat[t + 1] + rhoHat[t + 2] > rhoHat[t - 1] + rhoHat[t] {
                rhoHat[t + 1] = (rhoHat[t - 1] + rhoHat[t]) / 2
                rhoHat[t + 2] = rhoHat[t + 1]
            }
            t += 2
        }
        let maxT = t
        // "In extreme antithetic cases" ([1] p. 8): add the last even-lag ρ̂ if positive.
        if even > 0 { rhoHat[maxT + 1] = even }
        if rhoHat.contains(where: \.isNaN) { return .nan }
        let total = Double(count)
        var tau = -1 + 2 * rhoHat[0..<maxT].reduce(0, +) + rhoHat[maxT + 1]  // eq. (13)
        // Bounds ESS by S·log₁₀ S, so near-perfect antithetic chains stay finite (Stan).
        tau = Swift.max(tau, 1 / log10(total))
        return total / tau
    }
}
