// One self-contained HTML page: inline CSS and inline SVG only — no scripts, fonts, images
// or links that would make the browser ask the network for anything. Sections are added in
// order; every piece of text goes through xmlEscape.
import Foundation

struct HTMLPage {
    var title: String
    var subtitle: String?
    private var sections: [(id: String, heading: String, body: String)] = []

    init(title: String, subtitle: String? = nil) {
        self.title = title
        self.subtitle = subtitle
    }

    mutating func section(_ id: String, _ heading: String, _ body: String) {
        sections.append((id, heading, body))
    }

    static let css = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto;
      max-width: 1160px; padding: 16px 24px 48px; color: #1d2430; background: #fff; line-height: 1.4; }
    h1 { font-size: 1.55em; margin: 0.2em 0 0.1em; }
    h2 { font-size: 1.2em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #d8dde6; padding-bottom: 0.2em; }
    h3 { font-size: 1em; margin: 1.1em 0 0.3em; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    p.sub { color: #5a6473; margin: 0 0 0.6em; }
    nav { font-size: 0.9em; margin: 0.4em 0 1em; }
    nav a { margin-right: 1em; color: #2a5db0; text-decoration: none; }
    .warnings { border-left: 4px solid #d9822b; background: #fff6ec; padding: 0.5em 1em; margin: 0.5em 0; }
    .warnings li { margin: 0.2em 0; }
    .ok { border-left: 4px solid #3c9a5f; background: #eef8f1; padding: 0.5em 1em; }
    table { border-collapse: collapse; font-size: 0.86em; font-variant-numeric: tabular-nums; }
    th, td { padding: 2px 9px; text-align: right; border-bottom: 1px solid #eceff4; white-space: nowrap; }
    th { background: #f3f5f8; font-weight: 600; }
    td.name, th.name { text-align: left; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    td.bad { color: #b3261e; font-weight: 600; background: #fdecea; }
    .scroll { overflow-x: auto; }
    pre { background: #f6f8fa; border: 1px solid #e1e5eb; padding: 10px 12px; font-size: 0.82em; overflow-x: auto;
      font-family: ui-monospace, "DejaVu Sans Mono", monospace; line-height: 1.35; }
    .row { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: flex-start; }
    .quantity { margin-bottom: 0.4em; }
    svg.chart, svg.chart-grid { background: #fff; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 11px;
      overflow: visible; }
    svg .frame { fill: none; stroke: #b8c0cc; }
    svg .grid { stroke: #eef1f5; }
    svg .tick { stroke: #8a94a3; }
    svg text { fill: #3d4654; }
    svg .chart-title { font-weight: 600; font-size: 12px; fill: #1d2430; }
    svg .axis-label { fill: #5a6473; }
    svg .series { fill: none; stroke-linejoin: round; }
    svg .errorbars line { stroke-width: 1.4; }
    svg .rug line { stroke-width: 1; }
    svg .reference { stroke-width: 1.2; }
    svg .legend-box { fill: #fff; fill-opacity: 0.85; stroke: #d3d9e2; }
    svg .note { fill: #8a94a3; font-style: italic; }
    dl.config { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; font-size: 0.9em; }
    dl.config dt { color: #5a6473; }
    dl.config dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    footer { margin-top: 3em; color: #8a94a3; font-size: 0.8em; }
    """

    func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(xmlEscape(title))</title>\n<style>\n\(Self.css)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(xmlEscape(title))</h1>\n"
        if let subtitle { out += "<p class=\"sub\">\(xmlEscape(subtitle))</p>\n" }
        if sections.count > 2 {
            out += "<nav>" + sections.map { "<a href=\"#\($0.id)\">\(xmlEscape($0.heading))</a>" }.joined() + "</nav>\n"
        }
        for s in sections {
            out += "<section id=\"\(s.id)\">\n<h2>\(xmlEscape(s.heading))</h2>\n\(s.body)\n</section>\n"
        }
        out += "<footer>synm \(xmlEscape(synmVersion)) — a self-contained report: inline SVG and CSS, no scripts, no network.</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    // MARK: - Pieces

    static func paragraph(_ text: String) -> String { "<p>\(xmlEscape(text))</p>\n" }

    static func preformatted(_ text: String) -> String { "<pre>\(xmlEscape(text))</pre>\n" }

    static func warnings(_ list: [String], none: String = "No warnings.") -> String {
        guard !list.isEmpty else { return "<div class=\"ok\">\(xmlEscape(none))</div>\n" }
        return "<div class=\"warnings\"><ul>" + list.map { "<li>\(xmlEscape($0))</li>" }.joined() + "</ul></div>\n"
    }

    /// A table; `bad(row, column)` marks a cell. The first column is a name column.
    static func table(headers: [String], rows: [[String]], bad: (Int, Int) -> Bool = { _, _ in false }) -> String {
        var out = "<div class=\"scroll\"><table>\n<tr>"
        for (k, h) in headers.enumerated() { out += k == 0 ? "<th class=\"name\">\(xmlEscape(h))</th>" : "<th>\(xmlEscape(h))</th>" }
        out += "</tr>\n"
        for (i, r) in rows.enumerated() {
            out += "<tr>"
            for (k, cell) in r.enumerated() {
                var cls = k == 0 ? "name" : ""
                if bad(i, k) { cls += cls.isEmpty ? "bad" : " bad" }
                out += cls.isEmpty ? "<td>\(xmlEscape(cell))</td>" : "<td class=\"\(cls)\">\(xmlEscape(cell))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</table></div>\n"
    }

    static func definitions(_ pairs: [(String, String)]) -> String {
        "<dl class=\"config\">" + pairs.map { "<dt>\(xmlEscape($0.0))</dt><dd>\(xmlEscape($0.1))</dd>" }.joined() + "</dl>\n"
    }

    /// Charts in a wrapping row.
    static func row(_ svgs: [String], cls: String = "row") -> String {
        "<div class=\"\(cls)\">" + svgs.joined() + "</div>\n"
    }
}
