// A chart: one plotting area with a linear x and y axis (nice ticks, grid lines, labels),
// layers drawn in data coordinates (lines, filled areas, points, rectangles, error bars,
// reference lines, rugs), an optional legend, rendered as one <svg> element. The axis
// ranges are the data's (padded) unless fixed; a categorical y axis (labels at 0, 1, …) is
// available for bar and dot charts. The rendered element carries data-x-domain and
// data-y-domain attributes, so tests can check that the axes contain the data.
import Foundation

/// Colours: chains (no red, which marks divergences), and named roles.
enum Palette {
    static let chains = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static func chain(_ k: Int) -> String { chains[k % chains.count] }
    static let divergent = "#d62728"
    static let pooled = "#34495e"
    static let reference = "#555555"
    static let claimed = "#e07b39"
    static let warranted = "#3b7dd8"
}

struct Chart {
    /// What a chart draws, in data coordinates.
    enum Layer {
        case line(xs: [Double], ys: [Double], color: String, width: Double, dash: String?, opacity: Double)
        /// Filled between the curve and y = base.
        case area(xs: [Double], ys: [Double], base: Double, color: String, opacity: Double)
        case points(xs: [Double], ys: [Double], color: String, radius: Double, opacity: Double)
        /// Rectangles [x0, x1] × [y0, y1].
        case rects(x0: [Double], x1: [Double], y0: [Double], y1: [Double], color: String, opacity: Double)
        /// Error bars: at (x, y) from lo to hi, along x (horizontal) or y.
        case errorBars(xs: [Double], ys: [Double], lo: [Double], hi: [Double], horizontal: Bool, color: String)
        case hline(y: Double, color: String, dash: String?)
        case vline(x: Double, color: String, dash: String?)
        /// Short marks at the bottom of the plotting area at these x values.
        case rug(xs: [Double], color: String)
        case text(x: Double, y: Double, text: String, anchor: String)
    }

    struct LegendEntry {
        var label: String
        var color: String
        /// "line", "dash", "box" or "dot".
        var kind: String = "line"
    }

    var width = 360.0
    var height = 210.0
    var title: String?
    var xLabel: String?
    var yLabel: String?
    /// Fixed axis ranges (else from the data).
    var xDomain: ClosedRange<Double>?
    var yDomain: ClosedRange<Double>?
    /// Make the y range start at 0 (histograms, densities).
    var yFromZero = false
    /// Show y tick labels (densities hide them: only the shape matters).
    var yTickLabels = true
    /// Labels of a categorical y axis: label k sits at y = k (the first at the bottom).
    var yCategories: [String]?
    var xTickCount = 5
    var yTickCount = 4
    var layers: [Layer] = []
    var legend: [LegendEntry] = []
    /// Draw the legend as a row under the chart instead of inside the plotting area (for
    /// category charts, whose every row holds data).
    var legendBelow = false
    /// A CSS class for the <svg> (the kind of plot: trace, rank, density, …).
    var kind = "chart"

    init(kind: String, width: Double = 360, height: Double = 210, title: String? = nil) {
        self.kind = kind
        self.width = width
        self.height = height
        self.title = title
    }

    mutating func add(_ layer: Layer) { layers.append(layer) }

    // MARK: - Ranges

    /// The data's extent along x and y over every layer.
    var dataExtent: (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        var xs: [Double] = [], ys: [Double] = []
        for l in layers {
            switch l {
            case .line(let x, let y, _, _, _, _), .points(let x, let y, _, _, _):
                for (a, b) in zip(x, y) where a.isFinite && b.isFinite {
                    xs.append(a)
                    ys.append(b)
                }
            case .area(let x, let y, let base, _, _):
                for (a, b) in zip(x, y) where a.isFinite && b.isFinite {
                    xs.append(a)
                    ys.append(b)
                }
                ys.append(base)
            case .rects(let x0, let x1, let y0, let y1, _, _):
                xs += (x0 + x1).filter(\.isFinite)
                ys += (y0 + y1).filter(\.isFinite)
            case .errorBars(let x, let y, let lo, let hi, let horizontal, _):
                if horizontal {
                    xs += (x + lo + hi).filter(\.isFinite)
                    ys += y.filter(\.isFinite)
                } else {
                    xs += x.filter(\.isFinite)
                    ys += (y + lo + hi).filter(\.isFinite)
                }
            case .hline(let y, _, _): if y.isFinite { ys.append(y) }
            case .vline(let x, _, _): if x.isFinite { xs.append(x) }
            case .rug(let x, _): xs += x.filter(\.isFinite)
            case .text: break
            }
        }
        func range(_ v: [Double]) -> ClosedRange<Double>? {
            guard let lo = v.min(), let hi = v.max() else { return nil }
            return lo...hi
        }
        return (range(xs), range(ys))
    }

    /// The axis ranges used: fixed, or the data's padded by 4% (y from 0 when asked).
    var domains: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let e = dataExtent
        func padded(_ r: ClosedRange<Double>?, fromZero: Bool) -> ClosedRange<Double> {
            guard var r else { return 0...1 }
            if fromZero { r = min(0, r.lowerBound)...max(0, r.upperBound) }
            var lo = r.lowerBound, hi = r.upperBound
            if hi == lo {
                let d = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= d
                hi += d
            }
            // Halves first: the range of draws near ±1e308 exceeds the largest double.
            let pad = (hi / 2 - lo / 2) * 0.08
            let big = Double.greatestFiniteMagnitude
            return (fromZero && lo == 0 ? 0 : max(-big, lo - pad))...min(big, hi + pad)
        }
        let x = xDomain ?? padded(e.x, fromZero: false)
        let y: ClosedRange<Double>
        if let yDomain { y = yDomain } else if let c = yCategories {
            y = -0.6...(Double(c.count) - 0.4)
        } else { y = padded(e.y, fromZero: yFromZero) }
        return (x, y)
    }

    // MARK: - Layout

    static let charWidth = 6.3  // approximate advance of an 11px sans-serif character

    var margins: (left: Double, right: Double, top: Double, bottom: Double) {
        let left: Double
        if let c = yCategories {
            left = 12 + Self.charWidth * Double(c.map(\.count).max() ?? 0)
        } else if yTickLabels {
            let t = NiceTicks(lo: domains.y.lowerBound, hi: domains.y.upperBound, count: yTickCount)
            left = 14 + Self.charWidth * Double(t.values.map { t.label($0).count }.max() ?? 1) + (yLabel == nil ? 0 : 14)
        } else {
            left = yLabel == nil ? 12 : 24
        }
        let top = title == nil ? 10.0 : 24.0
        let bottom = 22.0 + (xLabel == nil ? 0 : 14) + (legendBelow && !legend.isEmpty ? 20 : 0)
        return (left, 12, top, bottom)
    }

    // MARK: - Rendering

    /// The chart as an <svg> element; `at` places it inside a parent SVG (a pair plot).
    func render(at origin: (Double, Double)? = nil) -> String {
        let (xd, yd) = domains
        let m = margins
        let plotW = max(10, width - m.left - m.right), plotH = max(10, height - m.top - m.bottom)
        // Fractions of the axis from halves, finite for any finite domain (even −1e308 … 1e308).
        func fraction(_ v: Double, _ d: ClosedRange<Double>) -> Double {
            (v / 2 - d.lowerBound / 2) / (d.upperBound / 2 - d.lowerBound / 2)
        }
        func sx(_ x: Double) -> Double { m.left + fraction(x, xd) * plotW }
        func sy(_ y: Double) -> Double { m.top + plotH - fraction(y, yd) * plotH }
        var w = SVGWriter()
        var attributes: [(String, String)] = []
        if let origin { attributes += [("x", px(origin.0)), ("y", px(origin.1))] }
        attributes += [("class", "chart \(kind)"), ("width", px(width)), ("height", px(height)),
                       ("viewBox", "0 0 \(px(width)) \(px(height))"), ("role", "img"),
                       ("data-x-domain", "\(plainNumber(xd.lowerBound)) \(plainNumber(xd.upperBound))"),
                       ("data-y-domain", "\(plainNumber(yd.lowerBound)) \(plainNumber(yd.upperBound))")]
        w.open("svg", attributes)
        if let title { w.element("title", [], content: title) }
        // Frame and grid.
        w.rect(m.left, m.top, plotW, plotH, cls: "frame")
        let xt = NiceTicks(lo: xd.lowerBound, hi: xd.upperBound, count: xTickCount)
        w.open("g", [("class", "axis x")])
        for v in xt.values {
            let x = sx(v)
            w.line(x, m.top, x, m.top + plotH, cls: "grid")
            w.line(x, m.top + plotH, x, m.top + plotH + 4, cls: "tick")
            w.label(xt.label(v), x: x, y: m.top + plotH + 15, anchor: "middle")
        }
        if let xLabel {
            w.label(xLabel, x: m.left + plotW / 2, y: m.top + plotH + 32, anchor: "middle", cls: "axis-label")
        }
        w.close("g")
        w.open("g", [("class", "axis y")])
        if let c = yCategories {
            for (k, label) in c.enumerated() {
                let y = sy(Double(k))
                w.line(m.left, y, m.left + plotW, y, cls: "grid")
                w.label(label, x: m.left - 6, y: y + 4, anchor: "end")
            }
        } else {
            let yt = NiceTicks(lo: yd.lowerBound, hi: yd.upperBound, count: yTickCount)
            for v in yt.values {
                let y = sy(v)
                w.line(m.left, y, m.left + plotW, y, cls: "grid")
                if yTickLabels {
                    w.line(m.left - 4, y, m.left, y, cls: "tick")
                    w.label(yt.label(v), x: m.left - 6, y: y + 4, anchor: "end")
                }
            }
        }
        if let yLabel {
            w.label(yLabel, x: 11, y: m.top + plotH / 2, anchor: "middle", cls: "axis-label", rotate: -90)
        }
        w.close("g")
        if let title { w.label(title, x: m.left, y: 15, cls: "chart-title") }
        // Layers.
        w.open("g", [("class", "layers")])
        for layer in layers {
            switch layer {
            case .line(let xs, let ys, let color, let width, let dash, let opacity):
                var style: [(String, String)] = [("stroke", color), ("stroke-width", px(width))]
                if let dash { style.append(("stroke-dasharray", dash)) }
                if opacity < 1 { style.append(("stroke-opacity", plainNumber(opacity))) }
                w.polyline(zip(xs, ys).map { (sx($0), sy($1)) }, cls: "series", style: style)
            case .area(let xs, let ys, let base, let color, let opacity):
                let pts = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
                guard let first = pts.first, let last = pts.last else { break }
                let poly = [(sx(first.0), sy(base))] + pts.map { (sx($0.0), sy($0.1)) } + [(sx(last.0), sy(base))]
                w.polygon(poly, cls: "area", style: [("fill", color), ("fill-opacity", plainNumber(opacity))])
            case .points(let xs, let ys, let color, let radius, let opacity):
                w.open("g", [("class", "points"), ("fill", color), ("fill-opacity", plainNumber(opacity))])
                for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite { w.circle(sx(x), sy(y), r: radius) }
                w.close("g")
            case .rects(let x0, let x1, let y0, let y1, let color, let opacity):
                w.open("g", [("class", "bars"), ("fill", color), ("fill-opacity", plainNumber(opacity))])
                for i in x0.indices {
                    let a = sx(min(x0[i], x1[i])), b = sx(max(x0[i], x1[i]))
                    let top = sy(max(y0[i], y1[i])), bottom = sy(min(y0[i], y1[i]))
                    w.rect(a, top, b - a, bottom - top)
                }
                w.close("g")
            case .errorBars(let xs, let ys, let lo, let hi, let horizontal, let color):
                w.open("g", [("class", "errorbars"), ("stroke", color)])
                for i in xs.indices where lo[i].isFinite && hi[i].isFinite {
                    if horizontal {
                        let y = sy(ys[i])
                        w.line(sx(lo[i]), y, sx(hi[i]), y)
                        w.line(sx(lo[i]), y - 4, sx(lo[i]), y + 4)
                        w.line(sx(hi[i]), y - 4, sx(hi[i]), y + 4)
                    } else {
                        let x = sx(xs[i])
                        w.line(x, sy(lo[i]), x, sy(hi[i]))
                        w.line(x - 4, sy(lo[i]), x + 4, sy(lo[i]))
                        w.line(x - 4, sy(hi[i]), x + 4, sy(hi[i]))
                    }
                }
                w.close("g")
            case .hline(let y, let color, let dash):
                var style = [("stroke", color)]
                if let dash { style.append(("stroke-dasharray", dash)) }
                w.line(m.left, sy(y), m.left + plotW, sy(y), cls: "reference", style: style)
            case .vline(let x, let color, let dash):
                var style = [("stroke", color)]
                if let dash { style.append(("stroke-dasharray", dash)) }
                w.line(sx(x), m.top, sx(x), m.top + plotH, cls: "reference", style: style)
            case .rug(let xs, let color):
                w.open("g", [("class", "rug"), ("stroke", color)])
                for x in xs where x.isFinite { w.line(sx(x), m.top + plotH, sx(x), m.top + plotH - 7) }
                w.close("g")
            case .text(let x, let y, let text, let anchor):
                w.label(text, x: sx(x), y: sy(y), anchor: anchor, cls: "note")
            }
        }
        w.close("g")
        if !legend.isEmpty {
            if legendBelow { renderLegendRow(&w, left: m.left, y: height - 8) } else { renderLegend(&w, right: m.left + plotW - 4, top: m.top + 4) }
        }
        w.close("svg")
        return w.text
    }

    /// The legend as one row of entries starting at (left, y).
    func renderLegendRow(_ w: inout SVGWriter, left: Double, y: Double) {
        w.open("g", [("class", "legend")])
        var x = left
        for e in legend {
            switch e.kind {
            case "box": w.rect(x, y - 9, 14, 10, style: [("fill", e.color), ("fill-opacity", "0.6")])
            case "dot": w.circle(x + 7, y - 4, r: 3.5, style: [("fill", e.color)])
            case "dash": w.line(x, y - 4, x + 16, y - 4, style: [("stroke", e.color), ("stroke-width", "2"), ("stroke-dasharray", "4 3")])
            default: w.line(x, y - 4, x + 16, y - 4, style: [("stroke", e.color), ("stroke-width", "2")])
            }
            w.label(e.label, x: x + 21, y: y)
            x += 34 + Double(e.label.count) * Self.charWidth
        }
        w.close("g")
    }

    /// The legend in the top right corner of the plotting area, on a translucent box.
    func renderLegend(_ w: inout SVGWriter, right: Double, top: Double) {
        let rowH = 14.0
        let textW = Double(legend.map(\.label.count).max() ?? 0) * Self.charWidth
        let boxW = textW + 30, boxH = rowH * Double(legend.count) + 6
        let left = right - boxW
        w.open("g", [("class", "legend")])
        w.rect(left, top, boxW, boxH, cls: "legend-box")
        for (k, e) in legend.enumerated() {
            let y = top + 3 + rowH * Double(k) + rowH / 2
            switch e.kind {
            case "box": w.rect(left + 5, y - 5, 14, 10, style: [("fill", e.color), ("fill-opacity", "0.6")])
            case "dot": w.circle(left + 12, y, r: 3.5, style: [("fill", e.color)])
            case "dash": w.line(left + 4, y, left + 20, y, style: [("stroke", e.color), ("stroke-width", "2"), ("stroke-dasharray", "4 3")])
            default: w.line(left + 4, y, left + 20, y, style: [("stroke", e.color), ("stroke-width", "2")])
            }
            w.label(e.label, x: left + 25, y: y + 4)
        }
        w.close("g")
    }
}

/// Several charts side by side in one <svg> (a pair plot's matrix).
struct ChartGrid {
    var cells: [(chart: Chart, row: Int, column: Int)] = []
    var cellWidth: Double
    var cellHeight: Double
    var kind: String
    var title: String?

    func render() -> String {
        let rows = (cells.map(\.row).max() ?? 0) + 1, cols = (cells.map(\.column).max() ?? 0) + 1
        let top = title == nil ? 0.0 : 20.0
        let w = cellWidth * Double(cols), h = cellHeight * Double(rows) + top
        var s = SVGWriter()
        s.open("svg", [("class", "chart-grid \(kind)"), ("width", px(w)), ("height", px(h)), ("viewBox", "0 0 \(px(w)) \(px(h))"),
                       ("role", "img")])
        if let title {
            s.element("title", [], content: title)
            s.label(title, x: 4, y: 14, cls: "chart-title")
        }
        for c in cells {
            s.raw(c.chart.render(at: (cellWidth * Double(c.column), top + cellHeight * Double(c.row))))
        }
        s.close("svg")
        return s.text
    }
}
