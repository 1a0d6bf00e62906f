// The report of `synm reflect`: per parameter the current posterior against the average of
// the updated ones (the martingale identities, each with its Monte Carlo error and a
// verdict), the false precision of single updates, and a text picture of the densities.
import SynmSynthetic
import Foundation
import SynmInference
import SynmIO
import SynmMath

struct ReflectReport {
    let result: ReflectionResult

    /// The identities for one parameter element.
    struct Row {
        var currentMean, currentVariance, currentSD: Double
        var meanOfMeans, varianceOfMeans, meanOfVariances, meanOfSDs: Double
        /// Monte Carlo errors of meanOfMeans and of meanOfVariances + varianceOfMeans.
        var mcseMean, mcseVariance: Double
        var meanPass, variancePass: Bool
        var mixtureQuantiles: [Double]
        var currentQuantiles: [Double]
    }

    var anyMCMC: Bool { result.updates.contains { $0.usedMCMC } }
    /// The footing gives the block weight 0 (cap, calibrated, power(0)): every update is the
    /// current posterior, and the identities hold exactly.
    var isExact: Bool { result.blockWeight == 0 }
    /// With a discounted footing the update is not conditioning on the block, so the
    /// identities are not expected to hold; the verdicts say "differs" rather than "FAILS".
    var isBayesianUpdate: Bool { result.footing == "equal" && !result.iidTheta }
    var failWord: String { result.footing == "equal" ? "FAILS" : "differs" }

    func row(_ j: Int) -> Row {
        let updates = result.updates
        let r = Double(updates.count)
        let current = result.current[j]
        let n = Double(current.count)
        let m0 = current.reduce(0, +) / n
        let v0 = current.reduce(0) { $0 + ($1 - m0) * ($1 - m0) } / n
        let means = updates.map { $0.means[j] }, vars = updates.map { $0.variances[j] }
        let mBar = means.reduce(0, +) / r
        // Var over blocks of the updated means (divisor R: the identity's population form).
        let vm = means.reduce(0) { $0 + ($1 - mBar) * ($1 - mBar) } / r
        let ev = vars.reduce(0, +) / r
        let sds = vars.map { $0.squareRoot() }.reduce(0, +) / r
        // E[Var] + Var[E] is the mean of tᵣ = Vᵣ + (mᵣ − m̄)²; its error from the spread of tᵣ.
        let t = zip(vars, means).map { $0 + ($1 - mBar) * ($1 - mBar) }
        let tBar = t.reduce(0, +) / r
        let sdT = (t.reduce(0) { $0 + ($1 - tBar) * ($1 - tBar) } / max(r - 1, 1)).squareRoot()
        // With importance reweighting of the current draws the identities hold exactly for
        // those draws up to the blocks' Monte Carlo error. An update by MCMC targets the exact
        // updated posterior, so it is compared with a current posterior that is itself an
        // estimate: the share f of such updates carries the current posterior's MCSE of the
        // mean and of the variance (2·sd·MCSE(sd), the delta method) into the error bars.
        let f = Double(updates.filter(\.usedMCMC).count) / r
        let summary = result.currentSummaries[j]
        let extraMean = f * summary.mcseMean
        let extraVariance = f * 2 * summary.sd * summary.mcseSd
        let mcseMean = (vm / r + extraMean * extraMean).squareRoot()
        let mcseVariance = (sdT * sdT / r + extraVariance * extraVariance).squareRoot()
        var mixture = [Double](repeating: 0, count: current.count)
        let weighted = updates.filter { !$0.usedMCMC }
        for u in weighted { for (s, w) in u.weights.enumerated() { mixture[s] += w } }
        let mixtureQ: [Double]
        if weighted.isEmpty {
            mixtureQ = [.nan, .nan, .nan]
        } else {
            let total = mixture.reduce(0, +)
            mixtureQ = Reflection.weightedSummary(current, mixture.map { $0 / total }).q
        }
        let sorted = current.sorted()
        return Row(currentMean: m0, currentVariance: v0, currentSD: v0.squareRoot(), meanOfMeans: mBar,
                   varianceOfMeans: vm, meanOfVariances: ev, meanOfSDs: sds, mcseMean: mcseMean,
                   mcseVariance: mcseVariance, meanPass: isExact || abs(mBar - m0) <= 4 * mcseMean,
                   variancePass: isExact || abs(ev + vm - v0) <= 4 * mcseVariance, mixtureQuantiles: mixtureQ,
                   currentQuantiles: [0.05, 0.5, 0.95].map { quantile(sorted: sorted, $0) })
    }

    static func number(_ x: Double) -> String { RunSummary.number(x) }

    /// "12% narrower", or "no narrower" when the updates keep the width.
    func narrower(_ r: Row) -> String {
        let p = 100 * (1 - r.meanOfSDs / r.currentSD)
        return abs(p) < 0.5 ? "no narrower" : p > 0 ? String(format: "%.0f%% narrower", p) : String(format: "%.0f%% wider", -p)
    }

    func text() -> String {
        let res = result
        var out = "The reflection principle on node '\(res.node)': \(res.updates.count) blocks of \(res.syntheticN) synthetic rows, footing \(res.footing)\(res.iidTheta ? ", each row from its own θ (--iid-theta)" : ", one θ* per block"); seed=\(res.seed)\n"
        let mcmc = res.updates.filter(\.usedMCMC).count
        let ess = res.updates.filter { !$0.usedMCMC }.map(\.effectiveSampleSize)
        out += "Updates reweight the current \(res.current.first?.count ?? 0) draws by the block's likelihood"
        if !ess.isEmpty { out += " (median effective sample size \(Int(quantile(ess, 0.5))))" }
        out += mcmc > 0 ? "; \(mcmc) fell back to MCMC.\n\n" : ".\n\n"
        out += "Martingale: the mean of the updated means equals the current mean, and E[updated variance] +\n"
        out += "Var[updated means] equals the current variance. Each update alone is narrower: false precision.\n\n"
        if isExact {
            out += "The footing gives the block weight 0 (Theorem 5: rows drawn from our own posterior predictive carry no\n"
            out += "information beyond the data), so every update is the current posterior: both identities hold exactly.\n"
            return out
        }
        for j in res.names.indices {
            let r = row(j)
            out += "\(res.names[j])\n"
            out += "  mean      current \(Self.number(r.currentMean))   mean of updated means \(Self.number(r.meanOfMeans)) ± \(Self.number(r.mcseMean))   \(r.meanPass ? "holds" : failWord)\n"
            out += "  variance  current \(Self.number(r.currentVariance))   E[Var] + Var[E] = \(Self.number(r.meanOfVariances)) + \(Self.number(r.varianceOfMeans)) = \(Self.number(r.meanOfVariances + r.varianceOfMeans)) ± \(Self.number(r.mcseVariance))   \(r.variancePass ? "holds" : failWord)\n"
            out += "  sd        current \(Self.number(r.currentSD))   a single update claims \(Self.number(r.meanOfSDs)) on average (\(narrower(r)))\n"
            if r.mixtureQuantiles.allSatisfy(\.isFinite) {
                out += "  5/50/95%  current " + r.currentQuantiles.map(Self.number).joined(separator: " ")
                    + "   averaged updates " + r.mixtureQuantiles.map(Self.number).joined(separator: " ") + "\n"
            }
            out += picture(j)
        }
        let failing = res.names.indices.filter { !row($0).meanPass || !row($0).variancePass }
        if res.footing != "equal" {
            out += "\nWith footing \(res.footing) the update discounts the block (it is not conditioning on it), so the identities are not expected to hold exactly; what the footing buys is visible in the sd: single updates claim \(failing.isEmpty ? "" : "far ")less false precision than at equal footing.\n"
            return out
        }
        out += failing.isEmpty
            ? "\nBoth identities hold within Monte Carlo error for every parameter: conditioning on data drawn from our own posterior gains nothing on average.\n"
            : "\nThe identities fail for \(failing.map { res.names[$0] }.joined(separator: ", "))\(res.iidTheta ? ": rows drawn from different θ are not a block from the posterior predictive, so the update is not a martingale step." : " (outside 4 Monte Carlo errors).")\n"
        return out
    }

    /// Current, averaged-updated and single-update densities as sparklines on one grid.
    func picture(_ j: Int) -> String {
        let grid = result.grids[j]
        let current = Reflection.histogram(result.current[j], Array(repeating: 1 / Double(result.current[j].count),
                                                                    count: result.current[j].count),
                                           lo: grid.lo, hi: grid.hi)
        let r = Double(result.updates.count)
        var averaged = [Double](repeating: 0, count: Reflection.bins)
        for u in result.updates { for k in averaged.indices { averaged[k] += u.histograms[j][k] / r } }
        let single = result.updates[0].histograms[j]
        let top = max(current.max() ?? 1, averaged.max() ?? 1, single.max() ?? 1, 1e-300)
        func spark(_ h: [Double]) -> String {
            let bars = Array(" ▁▂▃▄▅▆▇█")
            return String(h.map { bars[min(8, Int(($0 / top * 8).rounded()))] })
        }
        return "    current          |\(spark(current))|\n    averaged updates |\(spark(averaged))|\n    one update       |\(spark(single))|\n"
            + "                      \(Self.number(grid.lo))" + String(repeating: " ", count: max(1, Reflection.bins - 14))
            + "\(Self.number(grid.hi))\n"
    }

    func json() -> String {
        var params: [JSONMember] = []
        for j in result.names.indices {
            let r = row(j)
            params.append(JSONMember(result.names[j], .object([
                JSONMember("current_mean", .real(r.currentMean)), JSONMember("current_var", .real(r.currentVariance)),
                JSONMember("mean_of_updated_means", .real(r.meanOfMeans)),
                JSONMember("mean_of_updated_vars", .real(r.meanOfVariances)),
                JSONMember("var_of_updated_means", .real(r.varianceOfMeans)),
                JSONMember("mean_of_updated_sds", .real(r.meanOfSDs)),
                JSONMember("mcse", .object([JSONMember("mean_of_updated_means", .real(r.mcseMean)),
                                            JSONMember("variance_decomposition", .real(r.mcseVariance))])),
                JSONMember("current_quantiles", .array(r.currentQuantiles.map { .real($0) })),
                JSONMember("averaged_quantiles", .array(r.mixtureQuantiles.map { .real($0) })),
                JSONMember("pass", .bool(r.meanPass && r.variancePass)),
                JSONMember("exact", .bool(isExact)),
            ])))
        }
        return JSONWriter(style: .pretty).string(from: .object([
            JSONMember("node", .string(result.node)), JSONMember("synthetic_n", .integer(result.syntheticN)),
            JSONMember("reps", .integer(result.updates.count)), JSONMember("footing", .string(result.footing)),
            JSONMember("iid_theta", .bool(result.iidTheta)), JSONMember("seed", .integer(Int(result.seed))),
            JSONMember("block_weight", .real(result.blockWeight)),
            JSONMember("mcmc_fallbacks", .integer(result.updates.filter(\.usedMCMC).count)),
            JSONMember("parameters", .object(params)),
        ]))
    }
}
