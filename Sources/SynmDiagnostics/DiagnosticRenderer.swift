// Renders diagnostics as `FILE:LINE:COL: error: message`, the source line, a caret line
// under the spot (tabs copied so the caret lines up), then hint and notes.

/// Turns diagnostics into the text users see.
public struct DiagnosticRenderer: Sendable {
    public let file: SourceFile

    public init(file: SourceFile) { self.file = file }

    /// The full rendering of one diagnostic, ending in a newline.
    public func render(_ d: Diagnostic) -> String {
        var out = ""
        guard let span = d.span else {
            out += "\(file.name): \(d.severity.rawValue): \(d.message)\n"
            appendTrailer(d, to: &out)
            return out
        }
        let loc = file.location(of: span.start)
        out += "\(file.name):\(loc.line):\(loc.column): \(d.severity.rawValue): \(d.message)\n"
        let line = file.lineText(loc.line)
        if !line.isEmpty || file.bytes.isEmpty == false {
            out += line + "\n"
            out += caretLine(line: line, column: loc.column, span: span, location: loc) + "\n"
        }
        appendTrailer(d, to: &out)
        return out
    }

    /// Renders many diagnostics in order.
    public func render(_ ds: [Diagnostic]) -> String { ds.map(render).joined() }

    private func appendTrailer(_ d: Diagnostic, to out: inout String) {
        if let hint = d.hint { out += "hint: \(hint)\n" }
        for note in d.notes { out += "note: \(note)\n" }
    }

    /// Spaces (or the line's own tabs) up to the column, then `^` and `~` over the span's
    /// extent on this line.
    private func caretLine(line: String, column: Int, span: SourceSpan, location: SourceLocation)
        -> String
    {
        let scalars = Array(line.unicodeScalars)
        var caret = ""
        for i in 0..<min(column - 1, scalars.count) {
            caret += scalars[i] == "\t" ? "\t" : " "
        }
        if column - 1 > scalars.count {
            caret += String(repeating: " ", count: column - 1 - scalars.count)
        }
        caret += "^"
        // Underline the rest of the span if it stays on this line.
        let endLoc = file.location(of: span.end)
        if endLoc.line == location.line, endLoc.column - column > 1 {
            caret += String(repeating: "~", count: min(endLoc.column - column - 1, 200))
        }
        return caret
    }
}
