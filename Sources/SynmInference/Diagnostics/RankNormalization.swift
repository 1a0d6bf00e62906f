// Rank normalisation and folding of pooled draws, the transforms behind bulk and tail
// R-hat and bulk ESS ([1] §4.1, eq. (14); Stan's rank_normalization.hpp).
//
// [1] Vehtari et al. 2021, Bayesian Analysis 16(2):667–718, arXiv:1903.08008.
import SynmMath

/// Rank-normalises pooled draws: every draw is replaced by
/// z = Φ⁻¹((r − 3/8) / (S + 1/4)), where r is its rank among all S draws of all chains
/// (tied values share their average rank) — Blom's offset, as in [1] eq. (14), Stan's
/// `rank_normalization.hpp` (`(avg_rank − 0.375)/(size + 0.25)`) and ArviZ's `_z_scale`.
/// Older `posterior` versions used (r − 1/2)/S. Chains keep their shape; unequal chains are
/// truncated to the shortest. The input is not split: call `splitChains` first for R-hat.
public func rankNormalized(_ chains: [[Double]]) -> [[Double]] {
    DrawMatrix(chains).rankNormalized().chainArrays
}

extension DrawMatrix {
    /// Φ⁻¹((r − 3/8)/(S + 1/4)) of each draw's average rank r among all S pooled draws.
    /// Draws must be finite (callers check `isFiniteAndVaries`); SynmMath's `ranks` would
    /// also order NaN, but a direct index sort is several times faster here.
    func rankNormalized() -> DrawMatrix {
        var order = Array(values.indices)
        values.withUnsafeBufferPointer { v in order.sort { v[$0] < v[$1] } }
        let denominator = Double(count) + 0.25
        var z = [Double](repeating: 0, count: count)
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold ranks start+1 … end; ties share their average.
            let rank = Double(start + 1 + end) / 2
            let score = normalQuantile((rank - 0.375) / denominator)
            for k in start..<end { z[order[k]] = score }
            start = end
        }
        return DrawMatrix(values: z, chains: chains, draws: draws)
    }

    /// |x − median| with `median` the type-7 median of all pooled draws: the "folded" draws
    /// whose rank-normalised R-hat diagnoses the tails ([1] §4.2, Stan
    /// `split_rank_normalized_rhat`). Pass the median if it is already known.
    func folded(median: Double? = nil) -> DrawMatrix {
        let center = median ?? quantile(sorted: values.sorted(), 0.5)
        return map { Swift.abs($0 - center) }
    }
}
