// Error and location types for JSON and data reading: 1-based line/column plus byte offset.

/// A position in a text file: 1-based line, 1-based column counted in characters, and the
/// 0-based byte offset into the UTF-8 input.
public struct TextLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number (lines end at `\n`).
    public var line: Int
    /// 1-based column, counted in characters (grapheme clusters) from the start of the line.
    public var column: Int
    /// 0-based byte offset into the UTF-8 input.
    public var offset: Int

    /// Creates a location.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// Computes the line and column of byte `offset` in `bytes` (offset may equal `bytes.count`).
    /// Runs in O(offset); meant for error paths only.
    public init(offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var i = 0
        while i < end {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        let prefix = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), as: UTF8.self)
        self.init(line: line, column: prefix.count + 1, offset: offset)
    }

    /// Computes the line and column of byte `offset` in `bytes`.
    public init(offset: Int, in bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { TextLocation(offset: offset, in: $0) }
    }

    /// `LINE:COLUMN`.
    public var description: String { "\(line):\(column)" }
}

/// A JSON syntax error: where it is and a short lowercase message, e.g.
/// `3:14: expected ',' or ']' after array element`.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending input.
    public var line: Int
    /// 1-based column of the offending input, counted in characters.
    public var column: Int
    /// 0-based byte offset of the offending input.
    public var offset: Int
    /// A short lowercase message without trailing punctuation.
    public var message: String

    /// Creates an error.
    public init(line: Int, column: Int, offset: Int, message: String) {
        self.line = line
        self.column = column
        self.offset = offset
        self.message = message
    }

    /// Creates an error at `location`.
    public init(at location: TextLocation, message: String) {
        self.init(line: location.line, column: location.column, offset: location.offset, message: message)
    }

    /// The error's location.
    public var location: TextLocation { TextLocation(line: line, column: column, offset: offset) }

    /// `LINE:COLUMN: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

/// An error reading a data file (Stan JSON, data CSV, draws CSV): a message that names the
/// variable and element where one applies (`y[3]`), and the location in the file when known.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short lowercase message, e.g. `ragged array: y[3] has 2 elements, expected 3 like y[1]`.
    public var message: String
    /// The variable (JSON key or CSV column) concerned, if any.
    public var variable: String?
    /// Where in the file, when the error came from text (nil for in-memory `JSONValue` input).
    public var location: TextLocation?

    /// Creates an error.
    public init(message: String, variable: String? = nil, location: TextLocation? = nil) {
        self.message = message
        self.variable = variable
        self.location = location
    }

    /// Wraps a JSON syntax error.
    public init(_ error: JSONError) {
        self.init(message: error.message, location: error.location)
    }

    /// `LINE:COLUMN: message`, or just the message without a location.
    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }
}
