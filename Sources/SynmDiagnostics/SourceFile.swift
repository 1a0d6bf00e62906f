import Foundation
// Source files and positions: byte offsets into UTF-8 text, mapped to 1-based lines and
// columns (columns count Unicode scalars, so a tab is one column, as editors report it).

/// A source text with its display name and a table of line starts.
public struct SourceFile: Sendable {
    /// The name shown in diagnostics (the path as the user typed it).
    public let name: String
    /// The text, as UTF-8 bytes (invalid sequences already rejected or replaced).
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    /// Makes a source file from text.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// Makes a source file from UTF-8 bytes (the caller has validated the encoding).
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// The 1-based line and column of a byte offset (clamped to the text).
    public func location(of offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, bytes.count))
        // Binary search for the last line start ≤ offset.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        var column = 1
        var i = start
        while i < offset {
            // Count scalars: skip UTF-8 continuation bytes.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // An offset inside a multi-byte scalar counts as that scalar.
        if offset < bytes.count, bytes[offset] & 0xC0 == 0x80, column > 1 { column -= 1 }
        return SourceLocation(line: lo + 1, column: column, offset: offset)
    }

    /// The text of a 1-based line, without its newline (or carriage return).
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text covered by a span.
    public func text(of span: SourceSpan) -> String {
        let lo = max(0, min(span.start, bytes.count)), hi = max(lo, min(span.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// A resolved position: 1-based line and column, and the byte offset it came from.
public struct SourceLocation: Sendable, Equatable {
    public let line: Int
    public let column: Int
    public let offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
}

/// A half-open range of byte offsets `[start, end)` in one source file.
public struct SourceSpan: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
    /// An empty span at the start of the file, for diagnostics with no better place.
    public static let none = SourceSpan(start: 0, end: 0)
}

/// The byte offset of the first invalid UTF-8 sequence, or `nil` when the bytes are valid
/// UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid).
public func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
        let b = bytes[i]
        if b < 0x80 {
            i += 1
            continue
        }
        let length: Int
        var minScalar: UInt32
        var scalar: UInt32
        switch b {
        case 0xC2...0xDF: length = 2; minScalar = 0x80; scalar = UInt32(b & 0x1F)
        case 0xE0...0xEF: length = 3; minScalar = 0x800; scalar = UInt32(b & 0x0F)
        case 0xF0...0xF4: length = 4; minScalar = 0x10000; scalar = UInt32(b & 0x07)
        default: return i
        }
        if i + length > n { return i }
        for k in 1..<length {
            let c = bytes[i + k]
            if c & 0xC0 != 0x80 { return i }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
        i += length
    }
    return nil
}

/// Four significant digits, no exponent for ordinary magnitudes: the numbers of tables and
/// reports (`12.35`, `0.001235`, `1.235e+07`).
public func fourDigits(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e6 || a < 1e-4 { return String(format: "%.3e", x) }
    let digits = max(0, 3 - Int(floor(log10(a))))
    return String(format: "%.\(digits)f", x)
}
