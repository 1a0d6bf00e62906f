// Monte Carlo standard errors of the posterior mean, standard deviation and quantiles.
//
// [1] Vehtari et al. 2021, arXiv:1903.08008, §4.4 (MCSE of quantiles via the Beta
//     distribution of the indicator's sum).
// [2] Stan, src/stan/analyze/mcmc/mcse.hpp: mcse_mean, mcse_sd.
// [3] R posterior, R/convergence.R: mcse_mean(), mcse_sd(), .mcse_quantile().
import SynmMath

/// MCSE of the mean: sd(x)/√ESS_mean, sd over all draws (divisor S − 1) and ESS_mean of the
/// split draws (`posterior::mcse_mean` [3], ArviZ). Stan's `mcse.hpp` [2] divides by the
/// ESS of the unsplit chains instead. NaN as for `essMean`.
public func mcseMean(chains: [[Double]]) -> Double { DrawMatrix(chains).mcseMean() }

/// MCSE of the standard deviation by the delta method, Stan's `mcse_sd` [2]: with
/// d = |x − x̄| over all draws, E = ESS(split d), v = mean(d²) and m₄ = mean(d⁴),
/// MCSE = √((m₄ − v²)/E / v / 4). (ArviZ takes E from (x − x̄)² instead.) NaN as for `essMean`.
public func mcseSD(chains: [[Double]]) -> Double { DrawMatrix(chains).mcseSD() }

/// MCSE of the p-quantile, `posterior`'s `.mcse_quantile` [3], [1] §4.4: with
/// E = `essQuantile(chains:probability:)`, (a₁, a₂) = Beta⁻¹((0.1586553, 0.8413447);
/// E·p + 1, E·(1 − p) + 1) (the ±1σ normal probabilities) and x₍₁₎ ≤ … ≤ x₍S₎ all draws
/// sorted, MCSE = (x₍min(round(a₂S), S)₎ − x₍max(round(a₁S), 1)₎)/2, rounding half to even
/// as R does. (ArviZ 0.23.4 floors the lower and ceils the upper index.) NaN as for `essMean`.
public func mcseQuantile(chains: [[Double]], probability p: Double) -> Double {
    let m = DrawMatrix(chains)
    let sorted = m.values.sorted()
    return m.mcseQuantile(p, sorted: sorted)
}

extension DrawMatrix {
    func mcseMean() -> Double {
        let ess = essMean()
        guard !ess.isNaN else { return .nan }
        return standardDeviation(values) / ess.squareRoot()
    }

    func mcseSD() -> Double {
        guard isUsableForESS else { return .nan }
        let center = mean(values)
        let deviations = map { Swift.abs($0 - center) }
        let ess = deviations.split().geyerESS()
        var second = 0.0, fourth = 0.0
        for d in deviations.values {
            let d2 = d * d
            second += d2
            fourth += d2 * d2
        }
        second /= Double(count)
        fourth /= Double(count)
        let varianceOfVariance = (fourth - second * second) / ess
        return (varianceOfVariance / second / 4).squareRoot()
    }

    /// MCSE of the p-quantile given all draws ascending-sorted.
    func mcseQuantile(_ p: Double, sorted: [Double]) -> Double {
        let ess = essQuantile(p, threshold: quantile(sorted: sorted, p))
        guard !ess.isNaN else { return .nan }
        let a = ess * p + 1, b = ess * (1 - p) + 1
        // Φ(−1) and Φ(1), to posterior's 7 digits.
        let lower = inverseRegularizedIncompleteBeta(a: a, b: b, p: 0.1586553)
        let upper = inverseRegularizedIncompleteBeta(a: a, b: b, p: 0.8413447)
        guard !lower.isNaN, !upper.isNaN else { return .nan }
        let s = Double(sorted.count)
        let i1 = Swift.max(Int((lower * s).rounded(.toNearestOrEven)), 1)
        let i2 = Swift.min(Int((upper * s).rounded(.toNearestOrEven)), sorted.count)
        return (sorted[i2 - 1] - sorted[i1 - 1]) / 2
    }
}
