// JSONWriter: deterministic JSON output (compact or 2-space pretty), key order preserved,
// shortest round-trip numbers, Stan's "inf"/"-inf"/"NaN" strings for non-finite values.

/// Writes `JSONValue`s as JSON text.
///
/// - Numbers use Swift's shortest round-trip representation (`0.1`, `1e-300`, `5e-324`,
///   `1.7976931348623157e+308`). An integer-flagged number with an integral value prints
///   without a fraction (`3`, `-0`, `100000000000000000000`); a real keeps one (`3.0`), so
///   parse → write → parse preserves both value and flag.
/// - Non-finite numbers, which JSON cannot express, are written as the strings `"inf"`,
///   `"-inf"` and `"NaN"`, the convention of Stan's JSON data format; they read back as strings
///   (which `StanJSONData` turns into non-finite reals again).
/// - Strings escape `"`, `\` and control characters; other characters are written as UTF-8.
public struct JSONWriter: Sendable {
    /// Layout of the output.
    public enum Style: Sendable {
        /// No whitespace at all: `{"a":[1,2]}`.
        case compact
        /// One member or element per line, 2-space indent, `"key": value`; no trailing newline.
        case pretty
    }

    /// The layout used.
    public var style: Style

    /// Creates a writer.
    public init(style: Style = .compact) {
        self.style = style
    }

    /// The JSON text of `value`.
    public func string(from value: JSONValue) -> String {
        String(decoding: bytes(from: value), as: UTF8.self)
    }

    /// The JSON text of `value` as UTF-8 bytes.
    public func bytes(from value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, indent: 0, into: &out)
        return out
    }

    private func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let x, let isInteger): out.append(contentsOf: JSONWriter.formatNumber(x, isInteger: isInteger).utf8)
        case .string(let s): JSONWriter.writeString(s, into: &out)
        case .array(let elements):
            writeContainer(open: "[", close: "]", count: elements.count, indent: indent, into: &out) { k, out in
                write(elements[k], indent: indent + 1, into: &out)
            }
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, indent: indent, into: &out) { k, out in
                JSONWriter.writeString(members[k].key, into: &out)
                out.append(UInt8(ascii: ":"))
                if style == .pretty { out.append(UInt8(ascii: " ")) }
                write(members[k].value, indent: indent + 1, into: &out)
            }
        }
    }

    private func writeContainer(
        open: Unicode.Scalar, close: Unicode.Scalar, count: Int, indent: Int, into out: inout [UInt8],
        element: (Int, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: open))
        for k in 0..<count {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            newline(indent: indent + 1, into: &out)
            element(k, &out)
        }
        if count > 0 { newline(indent: indent, into: &out) }
        out.append(UInt8(ascii: close))
    }

    private func newline(indent: Int, into out: inout [UInt8]) {
        guard style == .pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// The JSON text of a number (see the type's documentation); non-finite values become
    /// the quoted strings `"inf"`, `"-inf"`, `"NaN"`.
    public static func formatNumber(_ x: Double, isInteger: Bool) -> String {
        if x.isNaN { return "\"NaN\"" }
        if x.isInfinite { return x > 0 ? "\"inf\"" : "\"-inf\"" }
        let text = "\(x)"
        guard isInteger && x.rounded(.towardZero) == x else { return text }
        return integerDigits(text)
    }

    /// Rewrites Swift's shortest description of an integral double (`3.0`, `-0.0`, `1e+16`,
    /// `1.2345e+20`) as a plain integer literal (`3`, `-0`, `10000000000000000`, `123450000000000000000`).
    static func integerDigits(_ text: String) -> String {
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        guard parts.count == 2, let exponent = Int(parts[1]) else {
            return mantissa.hasSuffix(".0") ? String(mantissa.dropLast(2)) : String(mantissa)
        }
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa
        let pieces = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = pieces.count == 2 ? pieces[1] : ""
        let zeros = max(0, exponent - fraction.count)
        return (negative ? "-" : "") + pieces[0] + fraction + String(repeating: "0", count: zeros)
    }

    /// Appends `s` as a quoted JSON string.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(contentsOf: String(b, radix: 16, uppercase: true).leftPadded(to: 2).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// This value as JSON text in the given style (see `JSONWriter`).
    public func serialized(_ style: JSONWriter.Style = .compact) -> String {
        JSONWriter(style: style).string(from: self)
    }
}
