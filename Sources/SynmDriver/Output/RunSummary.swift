// The summary of a run: the stansummary-style table (CmdStan ≥ 2.36 columns), the JSON
// document, and the warnings a careful user needs (stuck chains, divergences, tree depth,
// E-BFMI, R-hat, ESS).
import SynmDiagnostics
import SynmSynthetic
import Foundation
import SynmInference
import SynmIO

struct RunSummary {
    let result: RunResult
    let summaries: [ParameterSummary]

    init(_ result: RunResult) {
        self.result = result
        // Columns are independent: summarised on the run's threads (the same values for any count).
        let values = result.values
        summaries = summarize(count: result.names.count,
                              threads: result.sampling.configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                              draws: { k in values.map { $0[k] } })
    }

    var configuration: SamplerConfiguration { result.sampling.configuration }
    var divergences: Int { result.sampling.chains.reduce(0) { $0 + $1.stats.filter(\.divergent).count } }
    var totalDraws: Int { result.sampling.chains.reduce(0) { $0 + $1.stats.count } }
    /// Wall-clock seconds of warmup and of drawing, all chains: the sampling phase's wall
    /// time split in the proportion of the chains' summed warmup and drawing times (chains
    /// share the cores, so per-chain times would overstate the speed when chains outnumber
    /// cores).
    var warmupSeconds: Double { result.wallSeconds * warmupShare }
    var samplingSeconds: Double { result.wallSeconds * (1 - warmupShare) }
    var warmupShare: Double {
        let w = result.sampling.chains.reduce(0) { $0 + $1.warmupSeconds }
        let s = result.sampling.chains.reduce(0) { $0 + $1.samplingSeconds }
        return w + s > 0 ? w / (w + s) : 0
    }

    /// Four significant digits, no exponent for ordinary magnitudes.
    static func number(_ x: Double) -> String { fourDigits(x) }

    func table() -> String {
        let c = configuration
        var out = "Inference for synm model: \(result.modelName)\n"
        let metricName = DrawsOutput.metricName(c)
        let metric = c.sampler == .nuts || c.sampler == .hmc ? (metricName == "diag_e" ? "" : " (metric=\(metricName))") : ""
        let thin = result.output.thin > 1 ? " (thin=\(result.output.thin): \(result.values.first?.first?.count ?? 0) kept)" : ""
        out += "\(c.chains) chain\(c.chains == 1 ? "" : "s"): each with warmup=\(c.warmup), draws=\(c.draws)\(thin); sampler=\(c.sampler.rawValue)\(metric); seed=\(result.seed)\n\n"
        let headers = ["", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"]
        var rows: [[String]] = []
        for (name, s) in zip(result.names, summaries) {
            rows.append([name, Self.number(s.mean), Self.number(s.mcseMean), Self.number(s.sd), Self.number(s.q5),
                         Self.number(s.q50), Self.number(s.q95), s.essBulk.isFinite ? String(Int(s.essBulk)) : "nan",
                         s.essTail.isFinite ? String(Int(s.essTail)) : "nan",
                         s.rhat.isFinite ? String(format: "%.3f", s.rhat) : "nan"])
        }
        let widths = headers.indices.map { k in max(headers[k].count, rows.map { $0[k].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { k, cell in
                k == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[k] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        out += line(headers)
        for r in rows { out += line(r) }
        out += "\n"
        let synthetic = result.syntheticLines.entries
        if !synthetic.isEmpty {
            out += "synthetic data (generated rows drawn once from seed \(result.seed); each node's worth in real rows)\n"
            let w = synthetic.map(\.node.count).max() ?? 0
            let gw = synthetic.map(\.generator.count).max() ?? 0
            for e in synthetic {
                let generator = e.generator
                out += "  \(e.node.padding(toLength: w, withPad: " ", startingAt: 0))  \(generator.padding(toLength: gw, withPad: " ", startingAt: 0))  \(e.text)\n"
            }
            out += "\n"
        }
        for chain in result.sampling.chains {
            if c.sampler == .fixedParam {
                // No parameters: no warmup and no step size, only the predict nodes drawn.
                out += String(format: "Chain %d: sampling %.3f s (fixed_param: nothing to sample)\n", chain.chain + 1,
                              chain.samplingSeconds)
                continue
            }
            out += String(format: "Chain %d: warmup %.3f s, sampling %.3f s, step size %.3g", chain.chain + 1,
                          chain.warmupSeconds, chain.samplingSeconds, chain.stepSize)
            out += Self.restartNote(chain.restarts) + "\n"
        }
        if let shards = result.shards {
            // Merged shards: each ran on its own, so only the slowest one's time says how long it took.
            out += String(format: "Wall time: %.3f s for warmup and draws (%d chain%@ in %d shard%@; the slowest shard's)\n",
                          result.wallSeconds, c.chains, c.chains == 1 ? "" : "s", shards, shards == 1 ? "" : "s")
        } else {
            out += String(format: "Wall time: %.3f s for warmup and draws (%d chain%@ on %d thread%@)\n", result.wallSeconds,
                          c.chains, c.chains == 1 ? "" : "s", c.effectiveThreads, c.effectiveThreads == 1 ? "" : "s")
        }
        out += """

        For each parameter, ESS_bulk and ESS_tail measure the effective sample size for the entire
        sample (bulk) and for the .05 and .95 tails (tail), and R_hat measures the potential scale
        reduction on split chains. At convergence R_hat will be very close to 1.00.

        """
        return out
    }

    /// ", restarted …" for a chain restarted after its first warmup stage (README of
    /// SynmInference, "Stranded chains"), else "".
    static func restartNote(_ restarts: [ChainRestart]) -> String {
        guard let first = restarts.first else { return "" }
        let times = restarts.count == 1 ? "once" : "\(restarts.count) times"
        var note = String(format: "; restarted %@ (its step size after the first warmup stage was %.2g, the others' %.2g)",
                          times, first.stepSize, first.othersStepSize)
        if case .copiedFrom(let donor) = restarts.last?.origin { note += ", finally from chain \(donor + 1)'s position" }
        return note
    }

    func warnings() -> [String] {
        var w: [String] = []
        let c = configuration
        // fixed_param keeps every chain at its initial point by design: nothing is stuck.
        if c.sampler != .fixedParam { w += stuckChains(result.sampling).map(\.description) }
        if divergences > 0 {
            let pct = 100 * Double(divergences) / Double(max(totalDraws, 1))
            w.append(String(format: "%d of %d draws (%.1f%%) ended with a divergence; the results may be biased. Try --adapt-delta 0.95 or reparameterise (e.g. non-centred).",
                            divergences, totalDraws, pct))
        }
        if c.sampler == .nuts {
            let saturated = result.sampling.chains.reduce(0) { $0 + $1.stats.filter { $0.treeDepth >= c.maxDepth }.count }
            if saturated > 0 {
                w.append("\(saturated) of \(totalDraws) draws hit the maximum tree depth \(c.maxDepth); sampling is inefficient. Try --max-depth \(c.maxDepth + 2).")
            }
            for chain in result.sampling.chains {
                let e = energyBFMI(energy: chain.stats.map(\.energy))
                if e.isFinite, e < energyBFMIThreshold {
                    w.append(String(format: "chain %d: E-BFMI = %.2f is below 0.3; the posterior may have heavy tails the sampler explores poorly.",
                                    chain.chain + 1, e))
                }
            }
        }
        if c.sampler == .hmc {
            let capped = result.sampling.chains.reduce(0) { $0 + $1.stats.filter { $0.nLeapfrog >= c.maxStaticSteps }.count }
            if capped > 0 {
                w.append("\(capped) of \(totalDraws) draws took the most leapfrog steps per iteration, \(c.maxStaticSteps) (2^max-depth): the integration time \(Self.number(c.integrationTime)) was cut short. Lower --int-time, or raise --max-depth.")
            }
        }
        let badRhat = zip(result.names, summaries).dropFirst().filter { $0.1.rhat.isFinite && $0.1.rhat > 1.01 }.map(\.0)
        if !badRhat.isEmpty {
            w.append("R_hat > 1.01 for \(Self.list(badRhat)); the chains have not mixed. Run longer chains or check the model.")
        }
        let threshold = 100.0 * Double(c.chains)
        let lowESS = zip(result.names, summaries).dropFirst()
            .filter { ($0.1.essBulk.isFinite && $0.1.essBulk < threshold) || ($0.1.essTail.isFinite && $0.1.essTail < threshold) }
            .map(\.0)
        if !lowESS.isEmpty {
            w.append("bulk or tail ESS below \(Int(threshold)) (100 per chain) for \(Self.list(lowESS)); estimates of the mean or quantiles may be unreliable. Run more draws.")
        }
        return w
    }

    static func list(_ names: [String]) -> String {
        names.count <= 5 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }

    func json() -> String {
        var params: [JSONMember] = []
        for (name, s) in zip(result.names, summaries).dropFirst() {
            params.append(JSONMember(name, .object([
                JSONMember("mean", .real(s.mean)), JSONMember("sd", .real(s.sd)),
                JSONMember("mcse_mean", .real(s.mcseMean)), JSONMember("mcse_sd", .real(s.mcseSd)),
                JSONMember("q5", .real(s.q5)), JSONMember("q50", .real(s.q50)), JSONMember("q95", .real(s.q95)),
                JSONMember("ess_bulk", .real(s.essBulk)), JSONMember("ess_tail", .real(s.essTail)),
                JSONMember("rhat", .real(s.rhat)),
            ])))
        }
        let c = configuration
        let doc: JSONValue = .object([
            JSONMember("model", .string(result.modelName)),
            JSONMember("parameters", .object(params)),
            JSONMember("divergences", .integer(divergences)),
            JSONMember("seed", .integer(Int(result.seed))),
            JSONMember("chains", .integer(c.chains)),
            JSONMember("warmup", .integer(c.warmup)),
            JSONMember("draws", .integer(c.draws)),
            JSONMember("thin", .integer(result.output.thin)),
            JSONMember("sampler", .string(c.sampler.rawValue)),
            JSONMember("metric", .string(c.sampler == .nuts || c.sampler == .hmc ? DrawsOutput.metricName(c) : c.denseMetric ? "dense" : "diag")),
            JSONMember("time_s", .object([JSONMember("warmup", .real(warmupSeconds)),
                                          JSONMember("sampling", .real(samplingSeconds))])),
            JSONMember("warnings", .array(warnings().map { .string($0) })),
            JSONMember("step_sizes", .array(result.sampling.chains.map { .real($0.stepSize) })),
            JSONMember("restarts", .array(result.sampling.chains.map { .integer($0.restarts.count) })),
        ] + (result.syntheticLines.json.map { [JSONMember("synthetic", $0)] } ?? []))
        return JSONWriter(style: .pretty).string(from: doc)
    }
}
