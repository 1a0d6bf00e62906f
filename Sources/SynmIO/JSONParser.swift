// JSONParser: an iterative RFC 8259 parser over UTF-8 bytes with precise error locations.
// Iterative (an explicit stack), so deep nesting ends in a clean error, never a stack overflow.
import Foundation

/// Parses JSON text into a `JSONValue`.
///
/// Accepts exactly RFC 8259 JSON plus an optional leading UTF-8 byte-order mark. Rejects
/// trailing garbage, leading zeros, unescaped control characters in strings, unpaired
/// `\u` surrogates, invalid UTF-8, duplicate object keys, numbers that overflow a Double,
/// and nesting deeper than `maxDepth`. Errors carry line, column and byte offset.
public struct JSONParser: Sendable {
    /// The default nesting limit.
    public static let defaultMaxDepth = 512

    /// Maximum number of nested arrays/objects.
    public var maxDepth: Int

    /// Creates a parser with a nesting limit.
    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses UTF-8 bytes.
    public func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError> = bytes.withUnsafeBufferPointer { p in
            var core = JSONCore(p: p, maxDepth: maxDepth)
            do throws(RawJSONError) {
                return .success(try core.parseDocument())
            } catch {
                return .failure(JSONError(at: TextLocation(offset: error.offset, in: p), message: error.message))
            }
        }
        return try result.get()
    }

    /// Parses a string.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses UTF-8 data.
    public func parse(_ data: Data) throws(JSONError) -> JSONValue {
        try parse([UInt8](data))
    }

    /// The location where the value at `path` begins in `bytes`, or nil if there is no such
    /// value. Used to point data-conversion errors at the offending element; O(input size).
    public func location(of path: [JSONPathComponent], in bytes: [UInt8]) -> TextLocation? {
        bytes.withUnsafeBufferPointer { p in
            var core = JSONCore(p: p, maxDepth: maxDepth)
            core.target = path
            _ = try? core.parseDocument()
            return core.found.map { TextLocation(offset: $0, in: p) }
        }
    }
}

/// An error inside the core: a byte offset and a message; line/column are computed later.
struct RawJSONError: Error {
    var offset: Int
    var message: String
}

/// The parsing state over a byte buffer.
struct JSONCore {
    /// An object under construction.
    struct ObjectFrame {
        var members: [JSONMember] = []
        var keys: Set<String>?
        var pendingKey: String
    }

    let p: UnsafeBufferPointer<UInt8>
    var i = 0
    let maxDepth: Int
    /// In locate mode, the path whose value's start offset is wanted.
    var target: [JSONPathComponent]?
    var found: Int?
    /// Open containers, innermost last; `true` for an object. Their contents live in `arrays`
    /// and `objects`, mutated in place (never popped and re-pushed, which would copy).
    var isObject: [Bool] = []
    var arrays: [[JSONValue]] = []
    var objects: [ObjectFrame] = []

    init(p: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.p = p
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(RawJSONError) -> JSONValue {
        let n = p.count
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        var afterComma = false
        parsing: while true {
            skipWhitespace()
            if target != nil && found == nil { checkTarget() }
            var value: JSONValue
            guard i < n else {
                throw RawJSONError(offset: i, message: "unexpected end of input, expected a value")
            }
            switch p[i] {
            case UInt8(ascii: "{"):
                guard isObject.count < maxDepth else { throw tooDeep() }
                i += 1
                skipWhitespace()
                if i < n && p[i] == UInt8(ascii: "}") {
                    i += 1
                    value = .object([])
                } else {
                    let key = try parseKey(members: [], keys: nil, afterComma: false)
                    isObject.append(true)
                    objects.append(ObjectFrame(pendingKey: key))
                    afterComma = false
                    continue parsing
                }
            case UInt8(ascii: "["):
                guard isObject.count < maxDepth else { throw tooDeep() }
                i += 1
                skipWhitespace()
                if i < n && p[i] == UInt8(ascii: "]") {
                    i += 1
                    value = .array([])
                } else {
                    isObject.append(false)
                    arrays.append([])
                    afterComma = false
                    continue parsing
                }
            case UInt8(ascii: "\""): value = .string(try parseString())
            case UInt8(ascii: "t"): try parseLiteral("true"); value = .bool(true)
            case UInt8(ascii: "f"): try parseLiteral("false"); value = .bool(false)
            case UInt8(ascii: "n"): try parseLiteral("null"); value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try parseNumber()
            case UInt8(ascii: "]") where afterComma: throw RawJSONError(offset: i, message: "trailing comma before ']'")
            default: throw unexpected("expected a value")
            }
            // A value is complete: add it to its container, closing containers as they end.
            while true {
                skipWhitespace()
                guard let inObject = isObject.last else {
                    if i < n { throw unexpected("expected end of input after the JSON value") }
                    return value
                }
                if !inObject {
                    arrays[arrays.count - 1].append(value)
                    if i < n && p[i] == UInt8(ascii: ",") {
                        i += 1
                        afterComma = true
                        continue parsing
                    }
                    guard i < n && p[i] == UInt8(ascii: "]") else {
                        throw RawJSONError(offset: i, message: "expected ',' or ']' after array element")
                    }
                    i += 1
                    isObject.removeLast()
                    value = .array(arrays.removeLast())
                } else {
                    let top = objects.count - 1
                    objects[top].members.append(JSONMember(objects[top].pendingKey, value))
                    if i < n && p[i] == UInt8(ascii: ",") {
                        i += 1
                        skipWhitespace()
                        if objects[top].members.count >= 16 && objects[top].keys == nil {
                            objects[top].keys = Set(objects[top].members.map(\.key))
                        }
                        let next = try parseKey(members: objects[top].members, keys: objects[top].keys, afterComma: true)
                        objects[top].keys?.insert(next)
                        objects[top].pendingKey = next
                        afterComma = false
                        continue parsing
                    }
                    guard i < n && p[i] == UInt8(ascii: "}") else {
                        throw RawJSONError(offset: i, message: "expected ',' or '}' after object member")
                    }
                    i += 1
                    isObject.removeLast()
                    value = .object(objects.removeLast().members)
                }
            }
        }
    }

    /// Parses `"key"` and the following `:`, rejecting a key already present.
    mutating func parseKey(members: [JSONMember], keys: Set<String>?, afterComma: Bool) throws(RawJSONError) -> String {
        guard i < p.count && p[i] == UInt8(ascii: "\"") else {
            if afterComma && i < p.count && p[i] == UInt8(ascii: "}") {
                throw RawJSONError(offset: i, message: "trailing comma before '}'")
            }
            throw unexpected("expected a string key")
        }
        let keyOffset = i
        let key = try parseString()
        let duplicate = keys.map { $0.contains(key) } ?? members.contains { $0.key == key }
        if duplicate { throw RawJSONError(offset: keyOffset, message: "duplicate key \(quoted(key))") }
        skipWhitespace()
        guard i < p.count && p[i] == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
        i += 1
        return key
    }

    mutating func parseNumber() throws(RawJSONError) -> JSONValue {
        let start = i
        switch NumberLexer.lex(p, from: i, to: p.count, strict: true) {
        case .success(let lexed):
            guard lexed.value.isFinite else { throw RawJSONError(offset: start, message: "number out of range") }
            i = lexed.end
            return .number(lexed.value, isInteger: lexed.isInteger)
        case .failure(let failure):
            throw RawJSONError(offset: start, message: "invalid number: \(failure.reason)")
        }
    }

    mutating func parseLiteral(_ word: StaticString) throws(RawJSONError) {
        let start = i
        let count = word.utf8CodeUnitCount
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count where i + k >= p.count || p[i + k] != bytes[k] {
            throw RawJSONError(offset: start, message: "invalid literal, expected '\(word)'")
        }
        i += count
    }

    mutating func skipWhitespace() {
        while i < p.count {
            switch p[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// In locate mode, records the current offset if the value about to start is the target.
    mutating func checkTarget() {
        guard let target, isObject.count == target.count else { return }
        var nextArray = 0
        var nextObject = 0
        for (frameIsObject, component) in zip(isObject, target) {
            switch component {
            case .index(let k) where !frameIsObject && arrays[nextArray].count == k: nextArray += 1
            case .key(let key) where frameIsObject && objects[nextObject].pendingKey == key: nextObject += 1
            default: return
            }
        }
        found = i
    }

    func tooDeep() -> RawJSONError {
        RawJSONError(offset: i, message: "nesting too deep (more than \(maxDepth) levels)")
    }

    /// "unexpected X, <expectation>" where X names the byte at the cursor or end of input.
    func unexpected(_ expectation: String) -> RawJSONError {
        guard i < p.count else { return RawJSONError(offset: i, message: "unexpected end of input, \(expectation)") }
        return RawJSONError(offset: i, message: "unexpected \(describeByte(p[i])), \(expectation)")
    }
}

/// A byte for messages: `character 'x'` for printable ASCII, else `byte 0xFF`.
func describeByte(_ b: UInt8) -> String {
    if b >= 0x21 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
}

/// A string in double quotes with `"` and `\` escaped, for messages.
func quoted(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension String {
    /// Left-pads with zeros to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
