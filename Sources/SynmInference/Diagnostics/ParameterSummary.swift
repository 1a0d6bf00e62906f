// ParameterSummary: the stansummary row of one scalar quantity (mean, sd, MAD, quantiles,
// their MCSEs, bulk/tail ESS, R-hat), computed in one pass that shares sorts and splits.
//
// [1] Vehtari et al. 2021, arXiv:1903.08008.
// [2] CmdStan stansummary (stansummary_helper.hpp, ≥ 2.36): Mean, MCSE, StdDev, MAD, 5%, 50%,
//     95%, ESS_bulk, ESS_tail, R_hat.
// [3] R posterior: summarise_draws() default measures; quantile2() (type 7); mad() (R's
//     stats::mad, constant 1.4826).
import SynmMath

/// Posterior summary and convergence diagnostics of one scalar quantity over its chains.
///
/// Location and spread (`mean`, `sd`, `mad`, `q5`, `q50`, `q95`) use all draws of all chains
/// (after truncating chains to a common length). The diagnostics (`rhat`, ESS, MCSE) use the
/// conventions documented on `rhat(chains:)`, `essBulk(chains:)`, `essTail(chains:)`,
/// `mcseMean(chains:)`, `mcseSD(chains:)` and `mcseQuantile(chains:probability:)`, and are NaN
/// when a draw is non-finite or all draws are equal.
public struct ParameterSummary: Sendable, Equatable {
    /// Mean of all draws (NaN and ±∞ propagate).
    public var mean: Double
    /// Monte Carlo standard error of the mean (`mcseMean`).
    public var mcseMean: Double
    /// Sample standard deviation of all draws (divisor S − 1).
    public var sd: Double
    /// Monte Carlo standard error of the standard deviation (`mcseSD`).
    public var mcseSd: Double
    /// Median absolute deviation from the median, times 1.4826 (R's `mad`, posterior, stansummary).
    public var mad: Double
    /// 5% quantile (type 7, numpy's and `posterior::quantile2`'s default); NaN if a draw is NaN.
    public var q5: Double
    /// Median (type 7); NaN if a draw is NaN.
    public var q50: Double
    /// 95% quantile (type 7); NaN if a draw is NaN.
    public var q95: Double
    /// Monte Carlo standard error of `q5` (`mcseQuantile`).
    public var mcseQ5: Double
    /// Monte Carlo standard error of `q50`.
    public var mcseQ50: Double
    /// Monte Carlo standard error of `q95`.
    public var mcseQ95: Double
    /// Bulk effective sample size (`essBulk`).
    public var essBulk: Double
    /// Tail effective sample size (`essTail`).
    public var essTail: Double
    /// Rank-normalised split R-hat, max of bulk and tail (`rhat`).
    public var rhat: Double

    /// Creates a summary from its fields.
    public init(
        mean: Double, mcseMean: Double, sd: Double, mcseSd: Double, mad: Double,
        q5: Double, q50: Double, q95: Double, mcseQ5: Double, mcseQ50: Double, mcseQ95: Double,
        essBulk: Double, essTail: Double, rhat: Double
    ) {
        self.mean = mean
        self.mcseMean = mcseMean
        self.sd = sd
        self.mcseSd = mcseSd
        self.mad = mad
        self.q5 = q5
        self.q50 = q50
        self.q95 = q95
        self.mcseQ5 = mcseQ5
        self.mcseQ50 = mcseQ50
        self.mcseQ95 = mcseQ95
        self.essBulk = essBulk
        self.essTail = essTail
        self.rhat = rhat
    }
}

/// Summarises one scalar quantity given its draws chain by chain (`chains[c][i]` is draw i of
/// chain c). Chains of unequal length are truncated to the shortest. An odd length loses the
/// last draw of each chain in split-chain diagnostics (Stan) but not in mean, sd, MAD or
/// quantiles. About 0.3 ms for 4 × 1000 draws in a release build.
public func summarize(chains: [[Double]]) -> ParameterSummary {
    // Draws near the largest double (1e307) would overflow sums and squares to ∞ and NaN:
    // summarise them divided by a power of two (exact) and scale the location and spread
    // back; ESS and R-hat do not depend on the scale.
    if let s = overflowScale(chains.flatMap { $0 }) {
        var r = summarizeUnscaled(chains: chains.map { $0.map { $0 / s } })
        r.mean *= s
        r.mcseMean *= s
        r.sd *= s
        r.mcseSd *= s
        r.mad *= s
        r.q5 *= s
        r.q50 *= s
        r.q95 *= s
        r.mcseQ5 *= s
        r.mcseQ50 *= s
        r.mcseQ95 *= s
        return r
    }
    return summarizeUnscaled(chains: chains)
}

private func summarizeUnscaled(chains: [[Double]]) -> ParameterSummary {
    let m = DrawMatrix(chains)
    let hasNaN = m.values.contains(where: \.isNaN)
    let sorted = hasNaN ? [] : m.values.sorted()
    func q(_ p: Double) -> Double { hasNaN ? .nan : quantile(sorted: sorted, p) }
    let usable = m.isUsableForESS
    // Split, sort and rank once; R-hat and bulk/tail ESS share them.
    var rhats = (bulk: Double.nan, tail: Double.nan)
    var bulk = Double.nan, tail = Double.nan
    if m.isFiniteAndVaries && m.draws / 2 >= 2 {
        let split = m.split()
        let splitSorted = m.draws % 2 == 0 ? sorted : split.values.sorted()
        let z = split.rankNormalized()
        rhats = split.splitRHat(normalized: z, sorted: splitSorted)
        if usable {
            bulk = z.geyerESS()
            tail = split.tailESS(sorted: splitSorted)
        }
    }
    func mcseQ(_ p: Double) -> Double { usable ? m.mcseQuantile(p, sorted: sorted) : .nan }
    return ParameterSummary(
        mean: plainMean(m.values),
        mcseMean: m.mcseMean(),
        sd: standardDeviation(m.values),
        mcseSd: m.mcseSD(),
        mad: hasNaN ? .nan : medianAbsoluteDeviation(sorted: sorted),
        q5: q(0.05), q50: q(0.5), q95: q(0.95),
        mcseQ5: mcseQ(0.05), mcseQ50: mcseQ(0.5), mcseQ95: mcseQ(0.95),
        essBulk: bulk,
        essTail: tail,
        rhat: Swift.max(rhats.bulk, rhats.tail))
}

/// SynmMath's `mean` (with its refinement pass) for finite draws; a plain sum otherwise, so
/// that +∞ draws give +∞ rather than the NaN of ∞ − ∞ in the refinement.
private func plainMean(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return .nan }
    return xs.allSatisfy(\.isFinite) ? mean(xs) : xs.reduce(0, +) / Double(xs.count)
}

/// 1.4826 · median(|x − median(x)|) over `draws` — R's `stats::mad` default, used by
/// `posterior` and CmdStan's stansummary. 1.4826 ≈ 1/Φ⁻¹(3/4) makes it estimate σ for
/// normal draws. Medians are type-7 (the average of the middle two for even counts).
/// NaN if empty or a draw is NaN.
public func medianAbsoluteDeviation(_ draws: [Double]) -> Double {
    if draws.contains(where: \.isNaN) { return .nan }
    return medianAbsoluteDeviation(sorted: draws.sorted())
}

/// MAD of ascending-sorted draws.
private func medianAbsoluteDeviation(sorted: [Double]) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let median = quantile(sorted: sorted, 0.5)
    let deviations = sorted.map { Swift.abs($0 - median) }.sorted()
    return 1.4826 * quantile(sorted: deviations, 0.5)
}
