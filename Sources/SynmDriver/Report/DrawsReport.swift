// The report of a sampling run (`synm run --report`, `synm report P.csv`): the summary table
// and warnings, per quantity a trace, rank and density plot, a pair plot of up to four
// quantities with divergent draws marked, the energy plot with E-BFMI per chain, the model
// source and the run's configuration. Built from a run in memory or from CmdStan CSV files.
import SynmDiagnostics
import SynmSynthetic
import Foundation
import SynmInference
import SynmMath

/// Everything the report shows, whatever it was read from.
struct DrawsReport {
    var modelName: String
    /// lp__ first, then the reported quantities (`theta[1]` style).
    var names: [String]
    /// values[chain][column][draw]
    var values: [[[Double]]]
    /// divergent[chain][draw] (empty chains when the sampler has none).
    var divergent: [[Bool]]
    /// energy[chain][draw], or nil when there is no energy__ column (Metropolis, fixed_param).
    var energy: [[Double]]?
    var summaries: [ParameterSummary]
    var warnings: [String]
    var headline: String
    var configuration: [(String, String)]
    /// Per chain: step size, warmup and sampling seconds (nil when unknown).
    var chainRows: [[String]]
    /// Configuration comments of the first CSV file, verbatim.
    var configurationText: String?
    var modelSource: String?
    var modelPath: String?
    /// Extra lines (the synthetic-data accounting of a run).
    var notes: [String] = []
    /// The quantities for the pair plot (all when nil: the first four).
    var pairs: [String]?

    /// At most this many quantities get their own plots.
    static let maxPlotted = 48

    var chains: Int { values.count }

    // MARK: - From a run

    init(run result: RunResult, modelSource: String?, modelPath: String?, dataPath: String?, pairs: [String]? = nil) {
        let summary = RunSummary(result)
        let c = result.sampling.configuration
        modelName = result.modelName
        names = result.names
        values = result.values
        divergent = result.sampling.chains.map { $0.stats.map(\.divergent) }
        energy = c.sampler == .metropolis || c.sampler == .fixedParam ? nil : result.sampling.chains.map { $0.stats.map(\.energy) }
        summaries = summary.summaries
        warnings = summary.warnings()
        headline = "\(c.chains) chain\(c.chains == 1 ? "" : "s"): each with warmup=\(c.warmup), draws=\(c.draws); sampler=\(c.sampler.rawValue); seed=\(result.seed)"
        configuration = [("model", result.modelName), ("sampler", c.sampler.rawValue), ("chains", "\(c.chains)"),
                         ("warmup", "\(c.warmup)"), ("draws", "\(c.draws)"), ("seed", "\(result.seed)")]
        if c.sampler != .metropolis { configuration.append(("adapt delta", plainNumber(c.adaptDelta))) }
        if c.sampler == .nuts { configuration.append(("max tree depth", "\(c.maxDepth)")) }
        if c.sampler == .hmc { configuration.append(("integration time", plainNumber(c.integrationTime))) }
        configuration.append(("data", dataPath ?? "the model's embedded values"))
        configuration.append(("synm version", synmVersion))
        chainRows = result.sampling.chains.map { ch in
            ["\(ch.chain + 1)", plainNumber(ch.stepSize), String(format: "%.3f s", ch.warmupSeconds), String(format: "%.3f s", ch.samplingSeconds),
             "\(ch.stats.filter(\.divergent).count)"]
        }
        configurationText = nil
        self.modelSource = modelSource
        self.modelPath = modelPath
        notes = result.syntheticLines.entries.map { "\($0.node): \($0.generator) — \($0.text)" }
        self.pairs = pairs
    }

    // MARK: - HTML

    /// Quantities plotted: every column after lp__, up to `maxPlotted`.
    var plotted: [Int] { Array(names.indices.dropFirst().prefix(Self.maxPlotted)) }

    func column(_ k: Int) -> [[Double]] { values.map { $0[k] } }

    /// The pair plot's quantities: the chosen names (either spelling), else the first four.
    func pairIndices() throws -> [Int] {
        guard let pairs else { return Array(names.indices.dropFirst().prefix(4)) }
        return try pairs.map { p in
            let wanted = Self.displayName(p)
            guard let k = names.firstIndex(of: wanted) else {
                throw UsageError("--pairs: no quantity '\(p)' in the draws",
                                 hint: "the quantities are " + RunSummary.list(Array(names.dropFirst())))
            }
            return k
        }
    }

    /// `theta.1` (CmdStan) → `theta[1]`; `x.1.2` → `x[1,2]`; other names unchanged.
    static func displayName(_ name: String) -> String {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return name }
        let rest = name[name.index(after: dot)...]
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return name }
        return "\(name[..<dot])[\(parts.joined(separator: ","))]"
    }

    func html() throws -> String {
        let pairIdx = try pairIndices()
        var page = HTMLPage(title: "synm report: \(modelName)", subtitle: headline)
        // Summary.
        var body = HTMLPage.warnings(warnings, none: "No warnings: no divergences, R_hat ≤ 1.01 and ESS ≥ 100 per chain everywhere.")
        let threshold = 100.0 * Double(chains)
        let rows = zip(names, summaries).map { name, s -> [String] in
            [name, RunSummary.number(s.mean), RunSummary.number(s.mcseMean), RunSummary.number(s.sd), RunSummary.number(s.q5),
             RunSummary.number(s.q50), RunSummary.number(s.q95), s.essBulk.isFinite ? String(Int(s.essBulk)) : "nan",
             s.essTail.isFinite ? String(Int(s.essTail)) : "nan", s.rhat.isFinite ? String(format: "%.3f", s.rhat) : "nan"]
        }
        body += HTMLPage.table(headers: ["", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"],
                               rows: rows) { i, k in
            guard i > 0 else { return false }
            let s = summaries[i]
            switch k {
            case 7: return s.essBulk.isFinite && s.essBulk < threshold
            case 8: return s.essTail.isFinite && s.essTail < threshold
            case 9: return s.rhat.isFinite && s.rhat > 1.01
            default: return false
            }
        }
        if !notes.isEmpty { body += "<p>synthetic data (each node's worth in real rows):</p>" + HTMLPage.preformatted(notes.joined(separator: "\n")) }
        page.section("summary", "Summary", body)
        // Per quantity.
        var plots = HTMLPage.paragraph("Trace: each chain's draws in order (divergent draws marked red at the bottom). "
            + "Rank: each draw's rank among all chains' draws, a histogram per chain; well-mixed chains give flat "
            + "histograms near the dashed line. Density: all chains pooled (filled), each chain's own as a thin line.")
        plots += HTMLPage.row([PosteriorPlots.chainLegend(chains: chains, divergences: divergent.contains { $0.contains(true) })])
        for k in plotted {
            let c = column(k)
            plots += "<div class=\"quantity\" id=\"q-\(k)\"><h3>\(xmlEscape(names[k]))</h3>"
            plots += HTMLPage.row([PosteriorPlots.trace(name: names[k], chains: c, divergent: divergent).render(),
                                   PosteriorPlots.rank(name: names[k], chains: c).render(),
                                   PosteriorPlots.density(name: names[k], chains: c).render()])
            plots += "</div>\n"
        }
        if names.count - 1 > plotted.count {
            plots += HTMLPage.paragraph("\(names.count - 1 - plotted.count) more quantities are in the summary table but not plotted.")
        }
        page.section("plots", "Traces, ranks and densities", plots)
        // Pairs.
        if !pairIdx.isEmpty {
            let nDiv = divergent.reduce(0) { $0 + $1.filter { $0 }.count }
            var pairsBody = HTMLPage.paragraph(nDiv == 0 ? "No divergent draws." : "\(nDiv) divergent draw\(nDiv == 1 ? "" : "s") in red: where they cluster, the sampler cannot follow the posterior's geometry (e.g. the neck of a funnel).")
            pairsBody += PosteriorPlots.pairs(names: pairIdx.map { names[$0] }, values: pairIdx.map { column($0) },
                                              divergent: divergent).render()
            page.section("pairs", "Pair plot", pairsBody)
        }
        // Energy.
        var energyBody = ""
        if let energy {
            energyBody += HTMLPage.paragraph("The marginal energy distribution against the distribution of energy changes between "
                + "successive draws. If the transitions are much narrower than the marginal, the sampler cannot explore the energy "
                + "levels (heavy tails): E-BFMI, Σ(ΔE)² / Σ(E − Ē)², below 0.3 is a warning.")
            energyBody += PosteriorPlots.energy(chains: energy).render()
            let bfmi = energyBFMI(chains: energy)
            energyBody += HTMLPage.table(headers: ["chain", "E-BFMI"], rows: bfmi.enumerated().map {
                ["chain \($0.offset + 1)", $0.element.isFinite ? String(format: "%.3f", $0.element) : "nan"]
            }) { i, k in k == 1 && bfmi[i].isFinite && bfmi[i] < energyBFMIThreshold }
        } else {
            energyBody += HTMLPage.paragraph("This sampler has no Hamiltonian energy (no energy__ column): no energy plot.")
        }
        page.section("energy", "Energy", energyBody)
        // Model and configuration.
        if let modelSource {
            page.section("model", "Model\(modelPath.map { ": " + $0 } ?? "")", HTMLPage.preformatted(modelSource))
        } else {
            page.section("model", "Model", HTMLPage.paragraph("The model source is not in the draws files; give it with --model MODEL.synm to include it."))
        }
        var config = HTMLPage.definitions(configuration)
        config += HTMLPage.table(headers: ["chain", "step size", "warmup", "sampling", "divergent"], rows: chainRows)
        if let configurationText { config += "<p>the CSV configuration comments (chain 1):</p>" + HTMLPage.preformatted(configurationText) }
        page.section("configuration", "Configuration", config)
        return page.render()
    }
}
