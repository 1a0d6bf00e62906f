// After a run: chains that ended far from the others. A chain whose adapted step size is
// orders of magnitude below the other chains' sits where the curvature is far larger than
// where they are (it is stuck, however long it runs); a chain whose mean log density is far
// from the others' is exploring another region (stuck, or one mode of a multimodal
// posterior). R-hat sees both only as "the chains have not mixed"; this names the chain.

import Foundation

/// A chain whose step size or mean log density is far from the other chains'.
public struct StuckChain: Sendable, Equatable, CustomStringConvertible {
    /// The chain index k (0-based; messages number chains from 1).
    public var chain: Int
    /// The chain's adapted step size (Metropolis: proposal scale).
    public var stepSize: Double
    /// The median of the other chains' step sizes.
    public var othersStepSize: Double
    /// The chain's mean lp__ over its kept draws.
    public var meanLogDensity: Double
    /// The median of the other chains' mean lp__.
    public var othersMeanLogDensity: Double
    /// The median of the other chains' within-chain standard deviations of lp__.
    public var othersLogDensitySD: Double
    /// The step size is at least the threshold ratio below the others'.
    public var smallStepSize: Bool
    /// The mean log density is more than the threshold number of sds from the others'.
    public var farLogDensity: Bool

    /// How many times smaller the step size is than the others'.
    public var stepSizeRatio: Double { othersStepSize / stepSize }

    /// One sentence for the user, numbering chains from 1.
    public var description: String {
        let lp = String(format: "its mean log density %@ is %@ the other chains' %@ (within-chain sd %@)",
                        Self.number(meanLogDensity),
                        meanLogDensity < othersMeanLogDensity ? "far below" : "far above",
                        Self.number(othersMeanLogDensity), Self.number(othersLogDensitySD))
        if smallStepSize {
            var text = String(format: "chain %d appears stuck: its step size %@ is %@ times smaller than the other chains' (median %@)",
                              chain + 1, Self.number(stepSize), Self.number(stepSizeRatio), Self.number(othersStepSize))
            if farLogDensity { text += "; " + lp }
            return text + ". It sits where the posterior's curvature is far larger than where the others are, so its draws "
                + "do not represent the posterior: rerun with another seed, and look for a region the model should exclude "
                + "(an explosive recursion, a scale near 0)."
        }
        return "chain \(chain + 1) is far from the others: " + lp
            + ". It is stuck, or the posterior has several modes and the chains found different ones; "
            + "the pooled draws do not represent the posterior."
    }

    /// Three significant digits, exponent notation outside [1e-3, 1e5).
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let a = abs(x)
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String(format: "%.2g", x) : String(format: "%.3g", x)
    }
}

/// The chains of `result` that ended far from the others: a step size more than
/// `stepSizeRatio` times below the median of the other chains' (10, one order of magnitude;
/// healthy chains on one posterior adapt step sizes within a factor of about 2 of each
/// other), or a mean lp__ more than `logDensitySDs` of the others' within-chain sds from
/// the median of their means (3; the chain means of healthy chains differ by about
/// sd/√ESS). Needs at least two chains with draws.
public func stuckChains(
    _ result: SamplingResult, stepSizeRatio: Double = 10, logDensitySDs: Double = 3
) -> [StuckChain] {
    let chains = result.chains.filter { !$0.stats.isEmpty }
    guard chains.count >= 2 else { return [] }
    let means = chains.map { c in c.stats.reduce(0) { $0 + $1.lp } / Double(c.stats.count) }
    let sds = chains.enumerated().map { k, c in
        (c.stats.reduce(0) { $0 + ($1.lp - means[k]) * ($1.lp - means[k]) } / Double(Swift.max(c.stats.count - 1, 1)))
            .squareRoot()
    }
    var out: [StuckChain] = []
    for (k, c) in chains.enumerated() {
        let others = chains.indices.filter { $0 != k }
        let otherStep = median(others.map { chains[$0].stepSize })
        let otherMean = median(others.map { means[$0] })
        let otherSD = median(others.map { sds[$0] })
        let small = otherStep > 0 && !(c.stepSize * stepSizeRatio > otherStep)
        let distance = abs(means[k] - otherMean)
        let far = means[k].isNaN || (otherSD > 0 ? distance > logDensitySDs * otherSD : distance > 0)
        if small || far {
            out.append(StuckChain(chain: c.chain, stepSize: c.stepSize, othersStepSize: otherStep,
                                  meanLogDensity: means[k], othersMeanLogDensity: otherMean,
                                  othersLogDensitySD: otherSD, smallStepSize: small, farLogDensity: far))
        }
    }
    return out
}
