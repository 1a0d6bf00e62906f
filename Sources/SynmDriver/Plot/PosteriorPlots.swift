// The posterior plots of a run, built from the chart toolkit: trace (one line per chain,
// divergent draws marked), rank (rank-normalised histograms per chain: uniform when the
// chains mix), marginal density (pooled KDE, with each chain's own), pair plot (scatter
// below the diagonal, densities on it, divergent draws in red) and energy (marginal energy
// against energy transitions, Betancourt 2016; E-BFMI per chain).
import Foundation
import SynmInference
import SynmMath

enum PosteriorPlots {
    /// At most this many points per chain in a trace (evenly thinned beyond).
    static let maxTracePoints = 1000
    /// At most this many non-divergent points per scatter panel.
    static let maxScatterPoints = 1200

    /// Indices 0..<n thinned to at most `limit`, evenly.
    static func thinned(_ n: Int, limit: Int) -> [Int] {
        guard n > limit else { return Array(0..<n) }
        return (0..<limit).map { Int((Double($0) * Double(n - 1) / Double(limit - 1)).rounded()) }
    }

    /// Trace: value against draw, a line per chain; divergent draws as red marks at the bottom.
    static func trace(name: String, chains: [[Double]], divergent: [[Bool]]) -> Chart {
        var c = Chart(kind: "trace", width: 420, height: 200, title: "\(name) — trace")
        c.xLabel = "draw"
        for (k, values) in chains.enumerated() {
            let idx = thinned(values.count, limit: maxTracePoints)
            c.add(.line(xs: idx.map { Double($0 + 1) }, ys: idx.map { values[$0] }, color: Palette.chain(k), width: 0.8,
                        dash: nil, opacity: 0.75))
        }
        let marks = divergent.flatMap { d in d.indices.filter { d[$0] }.map { Double($0 + 1) } }
        if !marks.isEmpty { c.add(.rug(xs: marks, color: Palette.divergent)) }
        let n = chains.map(\.count).max() ?? 1
        c.xDomain = 1...Double(max(n, 2))
        return c
    }

    /// A legend of the chains' colours (and the divergence mark), drawn once per page.
    static func chainLegend(chains: Int, divergences: Bool) -> String {
        var w = SVGWriter()
        let entries = (0..<chains).map { ("chain \($0 + 1)", Palette.chain($0)) } + (divergences ? [("divergent draw", Palette.divergent)] : [])
        let width = entries.reduce(0.0) { $0 + 34 + Double($1.0.count) * Chart.charWidth }
        w.open("svg", [("class", "chart legend-strip"), ("width", px(width)), ("height", "20"), ("viewBox", "0 0 \(px(width)) 20"),
                       ("role", "img")])
        var x = 2.0
        for (label, color) in entries {
            w.line(x, 10, x + 18, 10, style: [("stroke", color), ("stroke-width", "2.5")])
            w.label(label, x: x + 23, y: 14)
            x += 34 + Double(label.count) * Chart.charWidth
        }
        w.close("svg")
        return w.text
    }

    /// Rank plot (Vehtari et al. 2021, §4.3): every draw's rank among all chains' draws, a
    /// histogram per chain in its own band; the dashed line is the count expected if the
    /// chains sample the same distribution.
    static func rank(name: String, chains: [[Double]]) -> Chart {
        var c = Chart(kind: "rank", width: 300, height: 200, title: "\(name) — rank")
        c.xLabel = "rank of draw (all chains)"
        let n = chains.map(\.count).min() ?? 0
        let pooled = chains.flatMap { $0.prefix(n) }
        c.yCategories = chains.indices.map { "chain \($0 + 1)" }
        guard n > 0, pooled.allSatisfy(\.isFinite) else {
            c.add(.text(x: 0.5, y: 0, text: "no finite draws", anchor: "middle"))
            c.xDomain = 0...1
            return c
        }
        let r = ranks(pooled)
        let total = Double(pooled.count)
        let bins = max(4, min(20, n / 25))
        let width = total / Double(bins)
        var counts = Array(repeating: [Double](repeating: 0, count: bins), count: chains.count)
        for (i, v) in r.enumerated() {
            counts[i / n][min(bins - 1, Int((v - 0.5) / width))] += 1
        }
        let expected = Double(n) / Double(bins)
        let top = max(counts.flatMap { $0 }.max() ?? 1, expected * 1.25)
        let bandHeight = 0.82
        // Category k sits at y = k, listed top to bottom: chain 1 on top.
        let count = chains.count
        for k in 0..<count {
            let base = Double(count - 1 - k) - 0.42
            c.add(.rects(x0: (0..<bins).map { Double($0) * width }, x1: (0..<bins).map { Double($0 + 1) * width - width * 0.06 },
                         y0: Array(repeating: base, count: bins), y1: counts[k].map { base + $0 / top * bandHeight },
                         color: Palette.chain(k), opacity: 0.8))
            c.add(.line(xs: [0, total], ys: [base + expected / top * bandHeight, base + expected / top * bandHeight],
                        color: Palette.reference, width: 1, dash: "4 3", opacity: 1))
        }
        c.yCategories = (0..<count).reversed().map { "chain \($0 + 1)" }
        c.xDomain = 0...total
        return c
    }

    /// Marginal density: the pooled KDE (filled) and each chain's (thin lines).
    static func density(name: String, chains: [[Double]]) -> Chart {
        var c = Chart(kind: "density", width: 300, height: 200, title: "\(name) — density")
        c.yFromZero = true
        c.yTickLabels = false
        let pooled = chains.flatMap { $0 }
        let kde = KernelDensity(pooled)
        if kde.grid.isEmpty {
            c.add(.text(x: 0.5, y: 0.5, text: "no finite draws", anchor: "middle"))
            c.xDomain = 0...1
            c.yDomain = 0...1
            return c
        }
        c.add(.area(xs: kde.grid, ys: kde.density, base: 0, color: Palette.pooled, opacity: 0.18))
        if chains.count > 1 {
            for (k, values) in chains.enumerated() {
                let d = KernelDensity(values, points: 100, bandwidth: kde.bandwidth)
                c.add(.line(xs: d.grid, ys: d.density, color: Palette.chain(k), width: 1, dash: nil, opacity: 0.8))
            }
        }
        c.add(.line(xs: kde.grid, ys: kde.density, color: Palette.pooled, width: 1.8, dash: nil, opacity: 1))
        c.legend = [.init(label: "all chains", color: Palette.pooled)]
        return c
    }

    /// The pair plot of up to four quantities: scatter below the diagonal (divergent draws
    /// in red, on top), pooled densities on it, axis ranges shared along rows and columns.
    static func pairs(names: [String], values: [[[Double]]], divergent: [[Bool]]) -> ChartGrid {
        // values[q][chain][draw]
        let q = names.count
        let cell = q <= 2 ? 240.0 : q == 3 ? 210.0 : 185.0
        var grid = ChartGrid(cellWidth: cell, cellHeight: cell, kind: "pairs",
                             title: "pair plot: \(names.joined(separator: ", ")) — divergent draws in red")
        let pooled = values.map { $0.flatMap { $0 } }
        let isDivergent = divergent.flatMap { $0 }
        let ranges: [ClosedRange<Double>] = pooled.map { v in
            let f = v.filter(\.isFinite)
            guard let lo = f.min(), let hi = f.max(), hi > lo else { return (f.first ?? 0) - 1...(f.first ?? 0) + 1 }
            let pad = (hi - lo) * 0.04
            return (lo - pad)...(hi + pad)
        }
        let n = pooled.first?.count ?? 0
        let normal = (0..<n).filter { $0 >= isDivergent.count || !isDivergent[$0] }
        let shown = thinned(normal.count, limit: maxScatterPoints).map { normal[$0] }
        let bad = (0..<min(n, isDivergent.count)).filter { isDivergent[$0] }
        for row in 0..<q {
            for col in 0...row {
                var c = Chart(kind: row == col ? "pair-density" : "pair-scatter", width: cell, height: cell)
                c.xTickCount = 4
                c.xDomain = ranges[col]
                c.xLabel = row == q - 1 ? names[col] : nil
                if row == col {
                    c.yFromZero = true
                    c.yTickLabels = false
                    let kde = KernelDensity(pooled[col])
                    c.add(.area(xs: kde.grid, ys: kde.density, base: 0, color: Palette.pooled, opacity: 0.18))
                    c.add(.line(xs: kde.grid, ys: kde.density, color: Palette.pooled, width: 1.5, dash: nil, opacity: 1))
                    if col < q - 1 || q == 1 { c.xLabel = names[col] }
                } else {
                    c.yDomain = ranges[row]
                    c.yLabel = col == 0 ? names[row] : nil
                    c.yTickCount = 4
                    c.add(.points(xs: shown.map { pooled[col][$0] }, ys: shown.map { pooled[row][$0] }, color: Palette.chain(0),
                                  radius: 1.3, opacity: 0.35))
                    if !bad.isEmpty {
                        c.add(.points(xs: bad.map { pooled[col][$0] }, ys: bad.map { pooled[row][$0] }, color: Palette.divergent,
                                      radius: 2, opacity: 0.9))
                    }
                }
                grid.cells.append((c, row, col))
            }
        }
        return grid
    }

    /// The energy plot: the marginal energy distribution (each chain's energy minus its
    /// mean) against the energy-transition distribution (E_n − E_{n−1}). When the
    /// transitions are much narrower, momentum resampling cannot move the sampler across the
    /// energy levels: E-BFMI, the ratio of their variances, is low.
    static func energy(chains energies: [[Double]]) -> Chart {
        var c = Chart(kind: "energy", width: 460, height: 230, title: "energy: marginal vs transition")
        c.yFromZero = true
        c.yTickLabels = false
        c.xLabel = "energy (centred per chain)"
        var marginal: [Double] = [], transition: [Double] = []
        for e in energies where e.allSatisfy(\.isFinite) && !e.isEmpty {
            let m = e.reduce(0, +) / Double(e.count)
            marginal += e.map { $0 - m }
            transition += zip(e.dropFirst(), e).map { $0 - $1 }
        }
        guard marginal.count > 1, transition.count > 1 else {
            c.add(.text(x: 0.5, y: 0.5, text: "no energy (the sampler is not Hamiltonian)", anchor: "middle"))
            c.xDomain = 0...1
            c.yDomain = 0...1
            return c
        }
        let a = KernelDensity(marginal), b = KernelDensity(transition)
        c.add(.area(xs: a.grid, ys: a.density, base: 0, color: Palette.warranted, opacity: 0.25))
        c.add(.line(xs: a.grid, ys: a.density, color: Palette.warranted, width: 1.6, dash: nil, opacity: 1))
        c.add(.area(xs: b.grid, ys: b.density, base: 0, color: Palette.claimed, opacity: 0.25))
        c.add(.line(xs: b.grid, ys: b.density, color: Palette.claimed, width: 1.6, dash: nil, opacity: 1))
        c.legend = [.init(label: "marginal energy", color: Palette.warranted, kind: "box"),
                    .init(label: "energy transition", color: Palette.claimed, kind: "box")]
        return c
    }
}
