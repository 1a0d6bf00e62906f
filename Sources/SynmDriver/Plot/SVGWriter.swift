// The lowest layer of the plotting module: XML text escaping, compact number formatting for
// coordinates, and an element writer that builds SVG markup. Nothing here knows about data.
import Foundation

/// Escapes text for XML and HTML content and attribute values (& < > " ').
func xmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters other than tab and newline are not allowed in XML 1.0.
            if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
        }
    }
    return out
}

/// A pixel coordinate with one decimal (no trailing ".0"), fast and locale-independent.
func px(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    // Far outside any drawing (a point mapped from a huge domain): clamped, never trapped.
    let tenths = Int((min(max(x, -1e12), 1e12) * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let a = abs(tenths)
    let whole = a / 10, frac = a % 10
    return frac == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
}

/// A number for a `data-…` attribute or a label: up to 6 significant digits.
func plainNumber(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    return String(format: "%.6g", x)
}

/// Builds SVG markup element by element.
struct SVGWriter {
    private(set) var text = ""

    /// An empty element: `<name a="v" …/>`. Attribute values are escaped.
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        text += "<\(name)"
        for (k, v) in attributes { text += " \(k)=\"\(xmlEscape(v))\"" }
        text += "/>"
    }

    /// An element with text content.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String) {
        open(name, attributes)
        text += xmlEscape(content)
        close(name)
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)"
        for (k, v) in attributes { text += " \(k)=\"\(xmlEscape(v))\"" }
        text += ">"
    }

    mutating func close(_ name: String) { text += "</\(name)>" }

    /// Already-built markup (a nested chart).
    mutating func raw(_ markup: String) { text += markup }

    mutating func newline() { text += "\n" }

    // MARK: - Shapes

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cls: String? = nil,
                       style: [(String, String)] = []) {
        var a = [("x1", px(x1)), ("y1", px(y1)), ("x2", px(x2)), ("y2", px(y2))]
        if let cls { a.append(("class", cls)) }
        element("line", a + style)
    }

    /// A polyline through points (non-finite points break the line into pieces).
    mutating func polyline(_ points: [(Double, Double)], cls: String? = nil, style: [(String, String)] = []) {
        var pieces: [[(Double, Double)]] = [[]]
        for p in points {
            if p.0.isFinite && p.1.isFinite { pieces[pieces.count - 1].append(p) } else if !pieces[pieces.count - 1].isEmpty { pieces.append([]) }
        }
        for piece in pieces where piece.count >= 2 {
            var a = [("points", piece.map { "\(px($0.0)),\(px($0.1))" }.joined(separator: " "))]
            if let cls { a.append(("class", cls)) }
            element("polyline", a + style)
        }
    }

    mutating func polygon(_ points: [(Double, Double)], cls: String? = nil, style: [(String, String)] = []) {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard finite.count >= 3 else { return }
        var a = [("points", finite.map { "\(px($0.0)),\(px($0.1))" }.joined(separator: " "))]
        if let cls { a.append(("class", cls)) }
        element("polygon", a + style)
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, cls: String? = nil, style: [(String, String)] = []) {
        var a = [("x", px(x)), ("y", px(y)), ("width", px(max(0, w))), ("height", px(max(0, h)))]
        if let cls { a.append(("class", cls)) }
        element("rect", a + style)
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, cls: String? = nil, style: [(String, String)] = []) {
        var a = [("cx", px(x)), ("cy", px(y)), ("r", px(r))]
        if let cls { a.append(("class", cls)) }
        element("circle", a + style)
    }

    /// Text at (x, y); anchor start, middle or end.
    mutating func label(_ s: String, x: Double, y: Double, anchor: String = "start", cls: String? = nil,
                        rotate: Double? = nil, style: [(String, String)] = []) {
        var a = [("x", px(x)), ("y", px(y))]
        if anchor != "start" { a.append(("text-anchor", anchor)) }
        if let rotate { a.append(("transform", "rotate(\(px(rotate)) \(px(x)) \(px(y)))")) }
        if let cls { a.append(("class", cls)) }
        element("text", a + style, content: s)
    }
}
