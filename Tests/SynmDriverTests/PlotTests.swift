// The SVG toolkit: Heckbert's nice ticks, escaping, kernel densities, and charts that are
// well-formed XML with axis ranges containing their data.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SynmDriver
@testable import SynmSynthetic

/// Every outermost <svg>…</svg> element of a page (nested ones stay inside their parent).
func topLevelSVGs(_ html: String) -> [String] {
    var result: [String] = []
    var depth = 0
    var start: String.Index?
    var i = html.startIndex
    while i < html.endIndex {
        if html[i...].hasPrefix("<svg") {
            if depth == 0 { start = i }
            depth += 1
            i = html.index(i, offsetBy: 4)
        } else if html[i...].hasPrefix("</svg>") {
            depth -= 1
            i = html.index(i, offsetBy: 6)
            if depth == 0, let s = start { result.append(String(html[s..<i])) }
        } else {
            i = html.index(after: i)
        }
    }
    return result
}

/// Parses XML and counts elements by name; nil when it is not well-formed.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var attributes: [[String: String]] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes a: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "svg" { attributes.append(a) }
    }

    static func parse(_ xml: String) -> ElementCounter? {
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }
}

/// The numbers of a "lo hi" attribute.
func domain(_ text: String?) -> ClosedRange<Double>? {
    guard let parts = text?.split(separator: " ").compactMap({ Double($0) }), parts.count == 2 else { return nil }
    return parts[0]...parts[1]
}

@Suite struct NiceTicksTests {
    @Test func niceNumbers() {
        #expect(NiceTicks.niceNumber(0.7, round: false) == 1)
        #expect(NiceTicks.niceNumber(1.2, round: false) == 2)
        #expect(NiceTicks.niceNumber(3, round: false) == 5)
        #expect(NiceTicks.niceNumber(7, round: false) == 10)
        #expect(NiceTicks.niceNumber(1.4, round: true) == 1)
        #expect(NiceTicks.niceNumber(2.9, round: true) == 2)
        #expect(NiceTicks.niceNumber(6.9, round: true) == 5)
        #expect(NiceTicks.niceNumber(8, round: true) == 10)
        #expect(abs(NiceTicks.niceNumber(0.034, round: true) - 0.05) < 1e-15)
    }

    @Test func heckbertsExample() {
        // Heckbert's loose labelling of [105, 543] with 5 ticks: 100 … 600 by 100.
        let t = NiceTicks(lo: 105, hi: 543, count: 5, loose: true)
        #expect(t.values == [100, 200, 300, 400, 500, 600])
        #expect(t.step == 100)
        #expect(t.fractionDigits == 0)
    }

    @Test func tightTicksStayInside() {
        for (lo, hi) in [(0.0, 1.0), (-3.2, 27.5), (0.0012, 0.0049), (-51.18, -43.71), (1e5, 3.3e5), (-1, 1)] {
            let t = NiceTicks(lo: lo, hi: hi)
            #expect(t.values.count >= 3, "\(lo)…\(hi): \(t.values)")
            #expect(t.values.allSatisfy { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 }, "\(lo)…\(hi): \(t.values)")
            let steps = zip(t.values.dropFirst(), t.values).map { $0 - $1 }
            #expect(steps.allSatisfy { abs($0 - t.step) < t.step * 1e-9 })
            // The step is 1, 2 or 5 times a power of ten.
            let mantissa = t.step / pow(10, floor(log10(t.step)))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 })
        }
    }

    @Test func labels() {
        let t = NiceTicks(lo: 0, hi: 1)
        #expect(t.values.map(t.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let u = NiceTicks(lo: -10, hi: 16)
        #expect(u.values.map(u.label) == ["-10", "0", "10"])
        #expect(!NiceTicks(lo: -1e-17, hi: 1).values.map { NiceTicks(lo: -1e-17, hi: 1).label($0) }.contains("-0.0"))
    }

    @Test func degenerateRanges() {
        #expect(NiceTicks(lo: 3, hi: 3).values.contains { abs($0 - 3) < 1e-12 })
        #expect(NiceTicks(lo: 0, hi: 0).values.contains(0))
        #expect(!NiceTicks(lo: .nan, hi: 1).values.isEmpty)
    }
}

@Suite struct PlotTests {
    @Test func escaping() {
        #expect(xmlEscape("a<b & \"c\" > 'd'") == "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;")
        #expect(px(1.25) == "1.3" || px(1.25) == "1.2")
        #expect(px(-0.04) == "0")
        #expect(px(12) == "12")
        #expect(px(-3.5) == "-3.5")
    }

    @Test func silvermanAndKDE() {
        // A fixed standard normal sample: Box–Muller on a linear congruential generator.
        let n = 2000
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / 9007199254740992
        }
        let x = (0..<n).map { _ in sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform()) }
        let h = KernelDensity.silvermanBandwidth(x)
        // 0.9 · min(1, 1.349/1.34) · 2000^(−1/5) ≈ 0.1969
        #expect(abs(h - 0.9 * pow(2000, -0.2)) < 0.02)
        let kde = KernelDensity(x)
        // Trapezoid rule on the (nearly even) grid.
        var mass = 0.0
        for i in 1..<kde.grid.count { mass += 0.5 * (kde.density[i] + kde.density[i - 1]) * (kde.grid[i] - kde.grid[i - 1]) }
        #expect(abs(mass - 1) < 0.03, "mass \(mass)")
        let peak = kde.density.max()!
        #expect(abs(peak - 1 / sqrt(2 * Double.pi)) < 0.03)
        // Reflection at a hard boundary: an exponential sample's density is highest at 0.
        let e = (0..<n).map { -log(1 - (Double($0) + 0.5) / Double(n)) }
        let k = KernelDensity(e)
        #expect(k.grid.first! >= 0)
        #expect(k.density[0] > 0.8 && k.density[0] == k.density.max()!)
    }

    @Test func chartIsWellFormedAndContainsItsData() throws {
        var c = Chart(kind: "test", title: "a <title> & more")
        c.xLabel = "x"
        c.yLabel = "y"
        let xs = [-3.0, 0, 2.5, 7], ys = [10.0, -4, 3, 12]
        c.add(.line(xs: xs, ys: ys, color: "#000", width: 1, dash: nil, opacity: 1))
        c.add(.points(xs: xs, ys: ys, color: "#f00", radius: 2, opacity: 1))
        c.add(.errorBars(xs: [1], ys: [1], lo: [-9], hi: [20], horizontal: false, color: "#000"))
        c.legend = [.init(label: "series <1>", color: "#000")]
        let svg = c.render()
        let parsed = try #require(ElementCounter.parse(svg), "not well-formed: \(svg.prefix(300))")
        #expect(parsed.counts["polyline"] == 1)
        #expect(parsed.counts["circle"] == 4)
        #expect(parsed.counts["title"] == 1)
        #expect(svg.contains("a &lt;title&gt; &amp; more"))
        let x = try #require(domain(parsed.attributes[0]["data-x-domain"]))
        let y = try #require(domain(parsed.attributes[0]["data-y-domain"]))
        #expect(xs.allSatisfy(x.contains))
        #expect((ys + [-9, 20]).allSatisfy(y.contains))
        #expect(!svg.contains("http"))
    }

    @Test func posteriorPlots() throws {
        let chains: [[Double]] = (0..<3).map { (k: Int) -> [Double] in
            (0..<200).map { (i: Int) -> Double in sin(Double(i * (k + 2))) + Double(k) * 0.01 }
        }
        var divergent = chains.map { $0.map { _ in false } }
        divergent[1][17] = true
        let trace = try #require(ElementCounter.parse(PosteriorPlots.trace(name: "mu", chains: chains, divergent: divergent).render()))
        #expect(trace.counts["polyline"] == 3)  // one per chain
        #expect(trace.counts["g"]! >= 1)
        let traceY = try #require(domain(trace.attributes[0]["data-y-domain"]))
        #expect(chains.flatMap { $0 }.allSatisfy(traceY.contains))
        let rank = try #require(ElementCounter.parse(PosteriorPlots.rank(name: "mu", chains: chains).render()))
        let bins = max(4, min(20, 200 / 25))
        #expect(rank.counts["rect"] == 1 + 3 * bins)  // the frame and a histogram per chain
        let rankX = try #require(domain(rank.attributes[0]["data-x-domain"]))
        #expect(rankX.contains(1) && rankX.contains(600))
        let density = try #require(ElementCounter.parse(PosteriorPlots.density(name: "mu", chains: chains).render()))
        #expect(density.counts["polygon"] == 1 && density.counts["polyline"] == 4)
        let dx = try #require(domain(density.attributes[0]["data-x-domain"]))
        #expect(chains.flatMap { $0 }.allSatisfy(dx.contains))
        let pairs = PosteriorPlots.pairs(names: ["a", "b"], values: [chains, chains.map { $0.map { $0 * 2 } }], divergent: divergent).render()
        let p = try #require(ElementCounter.parse(pairs))
        #expect(p.counts["svg"] == 4)  // the grid and three panels
        #expect(pairs.contains(Palette.divergent))
        let energy = try #require(ElementCounter.parse(PosteriorPlots.energy(chains: chains).render()))
        #expect(energy.counts["polygon"] == 2)
    }
}

/// Draws at the edges of the doubles: the plots must neither trap nor lose the data.
@Suite struct ExtremeDrawsPlotTests {
    /// z: 400 evenly spread points in (−1.7, 1.7), unevenly weighted by position.
    static let z = (0..<400).map { i -> Double in
        let t = (Double(i) + 0.5) / 400
        return 1.7 * (2 * t - 1) * (0.6 + 0.4 * t * t)
    }

    /// KDE(c·x)(c·t) = KDE(x)(t)/c: a column spanning −1.7e308 … 1.7e308 (more than the
    /// largest double) gives the scaled estimate of the same column at ordinary magnitude.
    @Test func kernelDensityIsScaleEquivariantBeyondTheLargestDouble() throws {
        let c = 1e308
        let wide = Self.z.map { $0 * c }
        #expect(!(wide.max()! - wide.min()!).isFinite)
        let big = KernelDensity(wide), small = KernelDensity(Self.z)
        try #require(big.grid.count == small.grid.count && !big.grid.isEmpty)
        #expect(big.bandwidth.isFinite && big.bandwidth > 0)
        for (g, g0) in zip(big.grid, small.grid) { #expect(abs(g / c - g0) <= 1e-12 * 1.7) }
        for (d, d0) in zip(big.density, small.density) { #expect(abs(d * c - d0) <= 1e-9 * d0 + 1e-300) }
    }

    /// A narrow chain estimated with the pooled bandwidth of a chain 10²⁰ times wider: the
    /// kernel's reach in bins exceeds Int.max before it is clamped.
    @Test func narrowChainWithAHugeBandwidth() {
        let narrow = Self.z.map { 1 + 1e-12 * $0 }
        let huge = Self.z.map { 1e8 * $0 }
        let pooled = KernelDensity(narrow + huge)
        let d = KernelDensity(narrow, points: 100, bandwidth: pooled.bandwidth)
        #expect(d.grid.count == 100 && d.density.allSatisfy { $0.isFinite && $0 > 0 })
        // Over the narrow chain's range, a kernel 10²⁰ times wider is flat at its peak,
        // 1/(h√(2π)), for each draw and each of its reflections at the two ends: the
        // estimate lies between half the peak and three times it.
        let peak = 1 / (pooled.bandwidth * (2 * Double.pi).squareRoot())
        let ratios = d.density.map { $0 / peak }
        #expect(ratios.allSatisfy { $0 > 0.5 && $0 < 3 }, "\(ratios.min()!) … \(ratios.max()!)")
        // And the reverse: a wide chain with a bandwidth 10²⁰ times narrower than its range.
        let w = KernelDensity(huge, points: 50, bandwidth: 1e-12)
        #expect(w.density.allSatisfy { $0.isFinite })
    }

    @Test func histogramAndTicksOverTheWholeDoubleRange() {
        let h = Histogram([-1.7e308, 0, 1.7e308], bins: 4, lo: -1.7e308, hi: 1.7e308)
        #expect(h.density.allSatisfy { $0.isFinite })
        let t = NiceTicks(lo: -1.7e308, hi: 1.7e308)
        #expect(t.values.count >= 3 && t.values.allSatisfy { $0.isFinite })
        #expect(t.values.first! >= -1.7e308 && t.values.last! <= 1.7e308)
        #expect(px(1e300) == px(1e12))
    }

    /// `synm report` end to end on such columns: a page whose axes contain the draws.
    @Test func reportOnExtremeColumns() throws {
        let dir = try TemporaryDirectory()
        let header = """
        # model = extreme
        # method = sample (Default)
        #   sample
        #     num_samples = 400
        #     num_warmup = 0
        # random
        #   seed = 9
        lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,wide,ratio

        """
        var files: [String] = []
        for chain in 1...2 {
            var text = header.replacingOccurrences(of: "# random", with: "# id = \(chain)\n# random")
            for (i, z) in Self.z.enumerated() {
                let ratio = chain == 1 ? 1 + 1e-12 * z : 1e9 * z
                let wide = 1e308 * Self.z[(i * 7 + chain) % 400]
                text += "\(-z * z),0.9,0.5,2,3,0,\(z * z + 1),\(wide),\(ratio)\n"
            }
            files.append(try dir.write("x_\(chain).csv", text))
        }
        let out = dir.path("x.html")
        let r = RunHarness.synm(["report"] + files + ["--output", out])
        try #require(r.code == 0, "\(r.err)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        for svg in topLevelSVGs(page) where svg.contains("<title>wide — trace</title>") || svg.contains("<title>ratio — density</title>") {
            let parsed = try #require(ElementCounter.parse(svg))
            let y = try #require(domain(parsed.attributes[0]["data-y-domain"]))
            let x = try #require(domain(parsed.attributes[0]["data-x-domain"]))
            #expect(x.lowerBound.isFinite && x.upperBound.isFinite && y.lowerBound.isFinite && y.upperBound.isFinite)
            let wide = Self.z.map { $0 * 1e308 }
            if svg.contains("wide — trace") { #expect(y.contains(wide.max()!) && y.contains(wide.min()!)) }
            // Points are drawn inside the plot, not all at 0.
            #expect(svg.contains("points=\"") && !svg.contains("points=\"0,0 0,0"))
        }
    }
}
