// The HTML pages of `synm fisher --report`, `synm audit --report` and `synm reflect
// --report`: the pictures behind the paper's points — information claimed versus warranted
// per source (Theorems 5 and 8), coverage of each footing with Monte Carlo error bars, and
// the reflection principle's current, averaged-updated and single-update densities — each
// with the command's text report below.
import SynmSynthetic
import Foundation
import SynmMath

enum AnalysisReports {
    // MARK: - Shared pieces

    /// Horizontal grouped bars: per category (top to bottom) one bar per series.
    static func groupedBars(kind: String, title: String, categories: [String], series: [(label: String, color: String, values: [Double])],
                            xLabel: String?, width: Double = 520) -> Chart {
        let rowHeight = 14.0 * Double(max(series.count, 1)) + 12
        var c = Chart(kind: kind, width: width, height: 80 + rowHeight * Double(categories.count), title: title)
        c.xLabel = xLabel
        let n = categories.count
        c.yCategories = categories.reversed()
        let band = 0.8 / Double(max(series.count, 1))
        for (s, entry) in series.enumerated() {
            var x0: [Double] = [], x1: [Double] = [], y0: [Double] = [], y1: [Double] = []
            for (k, v) in entry.values.enumerated() where v.isFinite {
                let centre = Double(n - 1 - k)
                let top = centre + 0.4 - band * Double(s)
                x0.append(0)
                x1.append(v)
                y0.append(top - band * 0.92)
                y1.append(top)
            }
            c.add(.rects(x0: x0, x1: x1, y0: y0, y1: y1, color: entry.color, opacity: 0.85))
        }
        let top = series.flatMap(\.values).filter(\.isFinite).max() ?? 1
        c.xDomain = 0...(top > 0 ? top * 1.08 : 1)
        c.legend = series.map { .init(label: $0.label, color: $0.color, kind: "box") }
        c.legendBelow = true
        return c
    }

    /// Dots with ±2 MCSE error bars per category (top to bottom), and a reference line.
    static func dotsWithErrors(kind: String, title: String, categories: [String], values: [Double], mcse: [Double],
                               reference: Double?, referenceLabel: String?, xLabel: String, xDomain: ClosedRange<Double>? = nil,
                               colors: [String]? = nil, width: Double = 520) -> Chart {
        var c = Chart(kind: kind, width: width, height: 84 + 26 * Double(categories.count), title: title)
        c.xLabel = xLabel
        let n = categories.count
        c.yCategories = categories.reversed()
        let ys = (0..<n).map { Double(n - 1 - $0) }
        if let reference {
            c.add(.vline(x: reference, color: Palette.divergent, dash: "5 4"))
        }
        let ok = values.indices.filter { values[$0].isFinite }
        c.add(.errorBars(xs: ok.map { values[$0] }, ys: ok.map { ys[$0] }, lo: ok.map { values[$0] - 2 * mcse[$0] },
                         hi: ok.map { values[$0] + 2 * mcse[$0] }, horizontal: true, color: "#333333"))
        for i in ok {
            c.add(.points(xs: [values[i]], ys: [ys[i]], color: colors?[i] ?? Palette.warranted, radius: 4.5, opacity: 1))
        }
        for i in values.indices where !values[i].isFinite {
            c.add(.text(x: xDomain?.lowerBound ?? 0, y: ys[i], text: "  no successful fits", anchor: "start"))
        }
        c.xDomain = xDomain
        c.legend = [.init(label: "estimate ± 2 MCSE", color: "#333333", kind: "dot")]
        if let referenceLabel { c.legend.append(.init(label: referenceLabel, color: Palette.divergent, kind: "dash")) }
        c.legendBelow = true
        return c
    }

    static func source(_ text: String?, path: String?) -> (String, String)? {
        guard let text else { return nil }
        return ("Model" + (path.map { ": " + $0 } ?? ""), HTMLPage.preformatted(text))
    }

    // MARK: - fisher

    static func fisher(_ r: FisherReport, modelSource: String?, modelPath: String?) -> String {
        var page = HTMLPage(title: "synm fisher: \(r.model)",
                            subtitle: "observed information at \(r.atMLE ? "the MLE" : "the given point"), \(r.scale) scale — claimed (as the footing weighs each source) versus warranted (Theorems 5 and 8)")
        var body = HTMLPage.warnings(r.warnings(), none: "The observed information is positive definite.")
        let f = r.accounting.inflation
        body += HTMLPage.paragraph(f.isFinite
            ? "Information inflation factor (det claimed / det warranted)^(1/d) = \(RunSummary.number(f))" + (f > 1 + 1e-9 ? ": the model as written claims \(RunSummary.number(f)) times the information its data warrant; its standard errors are too small by about \(RunSummary.number(f.squareRoot()))×." : ": no more than the data warrant.")
            : "The warranted information is singular: the synthetic rows claim information about directions the real data do not inform.")
        let sources = r.accounting.sources
        let labels = sources.map { "\($0.node) (\($0.kind), \($0.footing))" }
        var charts: [String] = []
        for (k, name) in r.names.enumerated() {
            charts.append(groupedBars(kind: "information", title: "information about \(name), by source", categories: labels,
                                      series: [("claimed", Palette.claimed, sources.map { $0.claimed[k, k] }),
                                               ("warranted", Palette.warranted, sources.map { $0.warranted[k, k] })],
                                      xLabel: "Fisher information (diagonal)").render())
        }
        body += HTMLPage.row(charts)
        let withRows = sources.filter { $0.rows != nil }
        if !withRows.isEmpty {
            body += HTMLPage.row([groupedBars(kind: "ess", title: "what each source is worth, in real rows",
                                              categories: withRows.map { "\($0.node) (\($0.rows!) rows)" },
                                              series: [("claimed", Palette.claimed, withRows.map { $0.essClaimed ?? .nan }),
                                                       ("warranted", Palette.warranted, withRows.map { $0.essWarranted ?? .nan })],
                                              xLabel: "effective sample size (real-row equivalents)").render()])
        }
        if let a = r.seClaimed, let b = r.seWarranted {
            body += HTMLPage.row([groupedBars(kind: "se", title: "standard errors: claimed vs warranted", categories: r.names,
                                              series: [("claimed", Palette.claimed, a), ("warranted", Palette.warranted, b)],
                                              xLabel: "standard error").render()])
        }
        page.section("information", "Information by source", body)
        page.section("text", "The report", HTMLPage.preformatted(r.text()))
        if let (h, b) = source(modelSource, path: modelPath) { page.section("model", h, b) }
        return page.render()
    }

    // MARK: - audit

    static func audit(_ r: AuditReport, modelSource: String?, modelPath: String?) -> String {
        var page = HTMLPage(title: "synm audit: \(r.model)",
                            subtitle: "\(r.reps) data sets simulated at \(r.atMLE ? "the MLE of the model as written" : "the given point") (seed \(r.seed)); maximum likelihood under each footing; nominal 95% Wald intervals")
        var body = HTMLPage.warnings(r.warnings(), none: "Every fit succeeded.")
        body += HTMLPage.paragraph("Coverage of the nominal 95% intervals under each footing, with ±2 Monte Carlo standard errors: a footing whose dot sits left of the dashed 0.95 line gives intervals that are too narrow — it claims information its rows do not carry.")
        let names = r.variants.map(\.name)
        var coverage: [String] = [], ratios: [String] = []
        for (k, name) in r.names.enumerated() {
            let stats = r.variants.map { $0.parameters[k] }
            let cov = stats.map { $0?.coverage ?? .nan }, covE = stats.map { $0?.coverageMCSE ?? .nan }
            var lowest = 1.0
            for (v, e) in zip(cov, covE) where v.isFinite && e.isFinite { lowest = min(lowest, v - 2 * e) }
            coverage.append(dotsWithErrors(kind: "coverage", title: "\(name): coverage of 95% intervals", categories: names,
                                           values: cov, mcse: covE, reference: 0.95, referenceLabel: "nominal 0.95",
                                           xLabel: "coverage", xDomain: min(0.5, max(0, floor(lowest * 10) / 10))...1,
                                           colors: cov.map { $0.isFinite && $0 < 0.9 ? Palette.claimed : Palette.warranted }).render())
            let ratio = stats.map { $0?.seRatio ?? .nan }, ratioE = stats.map { $0?.seRatioMCSE ?? .nan }
            var span: [Double] = [1]
            for (v, e) in zip(ratio, ratioE) where v.isFinite { span += [v - 2 * (e.isFinite ? e : 0), v + 2 * (e.isFinite ? e : 0)] }
            ratios.append(dotsWithErrors(kind: "se-ratio", title: "\(name): mean SE / empirical SD", categories: names,
                                         values: ratio, mcse: ratioE.map { $0.isFinite ? $0 : 0 }, reference: 1,
                                         referenceLabel: "honest SEs (1)", xLabel: "SE / SD (below 1: SEs too small)",
                                         xDomain: min(0, span.min()!)...(span.max()! * 1.08),
                                         colors: ratio.map { $0.isFinite && $0 < 0.85 ? Palette.claimed : Palette.warranted }).render())
        }
        body += HTMLPage.row(coverage)
        body += HTMLPage.row(ratios)
        page.section("coverage", "Coverage per footing", body)
        page.section("text", "The report", HTMLPage.preformatted(r.text()))
        if let (h, b) = source(modelSource, path: modelPath) { page.section("model", h, b) }
        return page.render()
    }

    // MARK: - reflect

    static func reflect(_ r: ReflectReport, modelSource: String?, modelPath: String?) -> String {
        let res = r.result
        var page = HTMLPage(title: "synm reflect: node \(res.node)",
                            subtitle: "\(res.updates.count) blocks of \(res.syntheticN) synthetic rows from the posterior predictive, footing \(res.footing)\(res.iidTheta ? ", each row from its own θ" : ", one θ* per block"); seed \(res.seed)")
        var body = HTMLPage.paragraph("Grey: the current posterior. Blue: the average of the updated posteriors — it lies on the current one (the posterior is a martingale: data drawn from our own posterior predictive teach nothing on average). Orange, dashed: one single update — narrower, the false precision a single synthetic block claims.")
        var charts: [String] = []
        let weighted = res.updates.filter { !$0.usedMCMC }
        for (j, name) in res.names.enumerated() {
            let x = res.current[j]
            var c = Chart(kind: "reflect-density", width: 360, height: 220, title: name)
            c.yFromZero = true
            c.yTickLabels = false
            let current = KernelDensity(x)
            c.add(.area(xs: current.grid, ys: current.density, base: 0, color: "#7f8c8d", opacity: 0.3))
            c.add(.line(xs: current.grid, ys: current.density, color: "#5d6d7e", width: 1.5, dash: nil, opacity: 1))
            if !weighted.isEmpty {
                var mixture = [Double](repeating: 0, count: x.count)
                for u in weighted { for (s, w) in u.weights.enumerated() { mixture[s] += w } }
                let averaged = KernelDensity(x, weights: mixture, bandwidth: current.bandwidth)
                c.add(.line(xs: averaged.grid, ys: averaged.density, color: Palette.warranted, width: 2, dash: nil, opacity: 1))
            } else {
                let (centres, dens) = averagedHistogram(res, j)
                c.add(.line(xs: centres, ys: dens, color: Palette.warranted, width: 2, dash: nil, opacity: 1))
            }
            if let u = res.updates.first {
                if !u.usedMCMC {
                    let s = Reflection.weightedSummary(x, u.weights)
                    let h = 0.9 * s.variance.squareRoot() * pow(max(u.effectiveSampleSize, 2), -0.2)
                    let single = KernelDensity(x, weights: u.weights, bandwidth: h > 0 ? h : current.bandwidth)
                    c.add(.line(xs: single.grid, ys: single.density, color: Palette.claimed, width: 1.8, dash: "5 3", opacity: 1))
                } else {
                    let g = res.grids[j]
                    let width = (g.hi - g.lo) / Double(Reflection.bins)
                    c.add(.line(xs: (0..<Reflection.bins).map { g.lo + width * (Double($0) + 0.5) }, ys: u.histograms[j].map { $0 / width },
                                color: Palette.claimed, width: 1.8, dash: "5 3", opacity: 1))
                }
            }
            c.legend = [.init(label: "current", color: "#7f8c8d", kind: "box"), .init(label: "averaged updates", color: Palette.warranted),
                        .init(label: "one update", color: Palette.claimed, kind: "dash")]
            charts.append(c.render())
        }
        body += HTMLPage.row(charts)
        // The identities, standardised, with ±2 MCSE.
        var labels: [String] = [], values: [Double] = [], errors: [Double] = []
        var sdCurrent: [Double] = [], sdSingle: [Double] = []
        for (j, name) in res.names.enumerated() {
            let row = r.row(j)
            labels += ["\(name): mean", "\(name): variance"]
            values += [(row.meanOfMeans - row.currentMean) / row.currentSD,
                       (row.meanOfVariances + row.varianceOfMeans - row.currentVariance) / row.currentVariance]
            errors += [row.mcseMean / row.currentSD, row.mcseVariance / row.currentVariance]
            sdCurrent.append(row.currentSD)
            sdSingle.append(row.meanOfSDs)
        }
        var span: [Double] = [0]
        for (v, e) in zip(values, errors) where v.isFinite && e.isFinite { span += [v - 2 * e, v + 2 * e] }
        let reach = max(abs(span.min()!), abs(span.max()!), 0.05) * 1.1
        body += HTMLPage.paragraph("The identities: mean of the updated means − current mean (in current sd), and E[updated variance] + Var[updated means] − current variance (relative). Both hold when the dots' error bars cross 0; the single-update sd shows the false precision.")
        body += HTMLPage.row([
            dotsWithErrors(kind: "identities", title: "martingale identities (0 = holds)", categories: labels, values: values, mcse: errors,
                           reference: 0, referenceLabel: "identity holds", xLabel: "standardised difference", xDomain: -reach...reach).render(),
            groupedBars(kind: "false-precision", title: "sd: current vs a single update (on average)", categories: res.names,
                        series: [("current", "#7f8c8d", sdCurrent), ("one update", Palette.claimed, sdSingle)], xLabel: "posterior sd",
                        width: 440).render(),
        ])
        page.section("densities", "Current vs updated posteriors", body)
        page.section("text", "The report", HTMLPage.preformatted(r.text()))
        if let (h, b) = source(modelSource, path: modelPath) { page.section("model", h, b) }
        return page.render()
    }

    /// The average of the updates' histograms as a density on the grid's bin centres.
    static func averagedHistogram(_ res: ReflectionResult, _ j: Int) -> ([Double], [Double]) {
        let g = res.grids[j]
        let width = (g.hi - g.lo) / Double(Reflection.bins)
        var avg = [Double](repeating: 0, count: Reflection.bins)
        for u in res.updates { for k in avg.indices { avg[k] += u.histograms[j][k] / Double(res.updates.count) } }
        return ((0..<Reflection.bins).map { g.lo + width * (Double($0) + 0.5) }, avg.map { $0 / width })
    }
}
