// JSON string literals: escapes, \u surrogate pairs, UTF-8 validation, control characters.

extension JSONCore {
    /// Parses a string literal at the cursor (which is on the opening quote).
    mutating func parseString() throws(RawJSONError) -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes; validated UTF-8 is decoded straight from the input.
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw controlCharacter(c) }
            i += c < 0x80 ? 1 : try utf8SequenceLength()
        }
        // Slow path: escapes present; build the decoded bytes.
        var buffer = Array(p[start..<i])
        while true {
            guard i < p.count else { throw RawJSONError(offset: open, message: "unterminated string") }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: buffer, as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                try parseEscape(into: &buffer)
            } else if c < 0x20 {
                throw controlCharacter(c)
            } else if c < 0x80 {
                buffer.append(c)
                i += 1
            } else {
                let length = try utf8SequenceLength()
                buffer.append(contentsOf: p[i..<(i + length)])
                i += length
            }
        }
    }

    func controlCharacter(_ c: UInt8) -> RawJSONError {
        let code = String(c, radix: 16, uppercase: true).leftPadded(to: 4)
        return RawJSONError(offset: i, message: "unescaped control character U+\(code) in string")
    }

    /// Parses one escape sequence at the cursor (on the backslash) and appends its UTF-8.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(RawJSONError) {
        let escapeStart = i
        guard i + 1 < p.count else { throw RawJSONError(offset: escapeStart, message: "unterminated string") }
        let c = p[i + 1]
        i += 2
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(c)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var unit = try hex4(escapeStart: escapeStart)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw RawJSONError(offset: escapeStart, message: "unpaired low surrogate in \\u escape")
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard i + 1 < p.count && p[i] == UInt8(ascii: "\\") && p[i + 1] == UInt8(ascii: "u") else {
                    throw RawJSONError(offset: escapeStart, message: "unpaired high surrogate in \\u escape")
                }
                i += 2
                let low = try hex4(escapeStart: i - 2)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw RawJSONError(offset: escapeStart, message: "unpaired high surrogate in \\u escape")
                }
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            buffer.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(unit)!)!)
        default:
            let shown = c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : describeByte(c)
            throw RawJSONError(offset: escapeStart, message: "invalid escape sequence '\\\(shown)'")
        }
    }

    /// Reads four hex digits at the cursor.
    mutating func hex4(escapeStart: Int) throws(RawJSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < p.count else {
                throw RawJSONError(offset: escapeStart, message: "invalid \\u escape, expected 4 hex digits")
            }
            let c = p[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw RawJSONError(offset: escapeStart, message: "invalid \\u escape, expected 4 hex digits")
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// The length of the valid multi-byte UTF-8 sequence at the cursor, or an error.
    func utf8SequenceLength() throws(RawJSONError) -> Int {
        let b0 = p[i]
        func byte(_ k: Int) -> UInt8 { i + k < p.count ? p[i + k] : 0 }
        func cont(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        let ok: Bool
        let length: Int
        switch b0 {
        case 0xC2...0xDF: length = 2; ok = cont(byte(1))
        case 0xE0: length = 3; ok = (0xA0...0xBF).contains(byte(1)) && cont(byte(2))
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; ok = cont(byte(1)) && cont(byte(2))
        case 0xED: length = 3; ok = (0x80...0x9F).contains(byte(1)) && cont(byte(2))
        case 0xF0: length = 4; ok = (0x90...0xBF).contains(byte(1)) && cont(byte(2)) && cont(byte(3))
        case 0xF1...0xF3: length = 4; ok = cont(byte(1)) && cont(byte(2)) && cont(byte(3))
        case 0xF4: length = 4; ok = (0x80...0x8F).contains(byte(1)) && cont(byte(2)) && cont(byte(3))
        default: length = 1; ok = false
        }
        guard ok else { throw RawJSONError(offset: i, message: "invalid UTF-8 in string") }
        return length
    }
}
