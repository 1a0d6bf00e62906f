// Potential scale reduction R-hat: the basic between/within-chain formula and the
// rank-normalised split version Stan and posterior report (max of bulk and folded tail).
//
// [1] Vehtari et al. 2021, Bayesian Analysis 16(2):667–718, arXiv:1903.08008, §4.1–4.2,
//     eqs. (3)–(4).
// [2] Stan, src/stan/analyze/mcmc/rhat.hpp and split_rank_normalized_rhat.hpp.
// [3] R posterior, R/convergence.R: rhat(), rhat_basic().
import SynmMath

/// The basic R̂ of `chains` as given (no split, no ranks) [1, eqs. (3)–(4)], [2]:
/// W = mean within-chain variance (divisor N − 1), B = N·var(chain means) (divisor C − 1),
/// var⁺ = ((N − 1)/N)·W + B/N, R̂ = √(var⁺/W).
/// NaN for fewer than 2 chains or 2 draws per chain, or when W is 0 or a draw is non-finite.
public func basicRHat(chains: [[Double]]) -> Double {
    DrawMatrix(chains).basicRHat()
}

/// The rank-normalised split R̂ reported by Stan, CmdStan's stansummary and `posterior`:
/// max(R̂_bulk, R̂_tail), see `rhatComponents(chains:)`. At convergence it is close to 1;
/// the paper's threshold is R̂ < 1.01 [1].
public func rhat(chains: [[Double]]) -> Double {
    let parts = rhatComponents(chains: chains)
    return Swift.max(parts.bulk, parts.tail)
}

/// R̂_bulk = R̂(z(split x)) and R̂_tail = R̂(z(|split x − median(split x)|)), z the rank
/// normalisation (`rankNormalized`) of the pooled split draws [1] §4.2, [2].
///
/// Split as Stan does (an odd N drops the last draw of each chain, see `splitChains`).
/// Both are NaN when a draw is non-finite, all draws are equal, or the split chains have
/// fewer than 2 draws (N < 4); `posterior` instead returns 1 for constant draws.
public func rhatComponents(chains: [[Double]]) -> (bulk: Double, tail: Double) {
    DrawMatrix(chains).splitRHat()
}

extension DrawMatrix {
    /// Basic R̂ of this matrix as is [2].
    func basicRHat() -> Double {
        guard chains >= 2, draws >= 2 else { return .nan }
        let n = Double(draws)
        let means = chainMeans
        let grand = means.reduce(0, +) / Double(chains)
        var between = 0.0
        for m in means { between += (m - grand) * (m - grand) }
        between *= n / Double(chains - 1)
        var within = 0.0
        for c in 0..<chains {
            var squares = 0.0
            for v in chain(c) { squares += (v - means[c]) * (v - means[c]) }
            within += squares / (n - 1)
        }
        within /= Double(chains)
        guard within > 0 else { return .nan }
        // √(((N − 1)/N)·W + B/N) / W), written as Stan's rhat.hpp does.
        return ((between / within + n - 1) / n).squareRoot()
    }

    /// (R̂_bulk, R̂_tail) of this (unsplit) matrix; NaN per `rhatComponents(chains:)`.
    func splitRHat() -> (bulk: Double, tail: Double) {
        guard isFiniteAndVaries, draws / 2 >= 2 else { return (.nan, .nan) }
        let split = split()
        return split.splitRHat(normalized: split.rankNormalized(), sorted: split.values.sorted())
    }

    /// (R̂_bulk, R̂_tail) of an already split matrix, given its rank normalisation and its
    /// draws sorted (shared with the ESS computations by `summarize`).
    func splitRHat(normalized: DrawMatrix, sorted: [Double]) -> (bulk: Double, tail: Double) {
        let median = quantile(sorted: sorted, 0.5)
        return (normalized.basicRHat(), folded(median: median).rankNormalized().basicRHat())
    }
}
