// NumberLexer: decimal number literals from UTF-8 bytes, strict (JSON) or lenient (CSV),
// with an exact fast path and a correctly rounded fallback; plus "inf"/"NaN" spellings.

/// Lexes decimal numbers without creating Strings in the common case.
enum NumberLexer {
    /// A lexed number: where it ends, its value, and whether it was an integer literal.
    struct Lexed {
        var end: Int
        var value: Double
        var isInteger: Bool
    }

    /// Why a literal is malformed.
    struct Failure: Error {
        var reason: String
    }

    /// Exact powers of ten representable as Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Lexes a number starting at `start`. Strict mode is the JSON grammar
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; lenient mode also allows a leading
    /// `+`, leading zeros, `.5` and `5.`. The value may be infinite if the literal overflows.
    static func lex(
        _ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, strict: Bool
    ) -> Result<Lexed, Failure> {
        var i = start
        var negative = false
        if i < end && p[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if !strict && i < end && p[i] == UInt8(ascii: "+") {
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        let intStart = i
        while i < end, p[i] &- 0x30 < 10 {
            let d = UInt64(p[i] &- 0x30)
            if mantissa == 0 && d == 0 {
                // leading zero: not significant
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ d
                significant += 1
            } else {
                exponent += 1
                truncated = true
            }
            i += 1
        }
        let intDigits = i - intStart
        if strict {
            if intDigits == 0 { return .failure(Failure(reason: "expected a digit")) }
            if intDigits > 1 && p[intStart] == UInt8(ascii: "0") {
                return .failure(Failure(reason: "leading zeros are not allowed"))
            }
        }
        var isInteger = true
        if i < end && p[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            let fracStart = i
            while i < end, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                    exponent -= 1
                } else {
                    truncated = true
                }
                i += 1
            }
            let fracDigits = i - fracStart
            if fracDigits == 0 && (strict || intDigits == 0) {
                return .failure(Failure(reason: "expected a digit after '.'"))
            }
        } else if intDigits == 0 {
            return .failure(Failure(reason: "expected a digit"))
        }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            var expNegative = false
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            var e = 0
            while i < end, p[i] &- 0x30 < 10 {
                if e < 1_000_000 { e = e * 10 + Int(p[i] &- 0x30) }
                i += 1
            }
            if i == expStart { return .failure(Failure(reason: "expected a digit in the exponent")) }
            exponent += expNegative ? -e : e
        }
        var value: Double
        if mantissa == 0 {
            value = negative ? -0.0 : 0.0
        } else if !truncated && significant <= 15 && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path: both operands exact, so one correctly rounded operation.
            value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            if negative { value = -value }
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            value = Double(text) ?? (negative ? -.infinity : .infinity)
        }
        return .success(Lexed(end: i, value: value, isInteger: isInteger))
    }

    /// The value of a non-finite spelling (case-insensitive `inf`, `infinity`, `nan`, with an
    /// optional sign), as Stan's JSON and CmdStan's CSV write them; nil for anything else.
    static func nonFinite<C: Collection<UInt8>>(_ bytes: C) -> Double? {
        guard bytes.count <= 9 else { return nil }
        var word = String(decoding: bytes, as: UTF8.self).lowercased()
        var sign = 1.0
        if word.hasPrefix("-") {
            sign = -1
            word.removeFirst()
        } else if word.hasPrefix("+") {
            word.removeFirst()
        }
        switch word {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: return nil
        }
    }

    /// The result of reading one CSV field as a number.
    enum FieldValue: Equatable {
        case number(Double, isInteger: Bool)
        case outOfRange
        case invalid
    }

    /// Reads a whole (already trimmed) CSV field as a lenient number or non-finite spelling.
    static func field(_ bytes: ArraySlice<UInt8>) -> FieldValue {
        let lexed = bytes.withUnsafeBufferPointer { p in lex(p, from: 0, to: p.count, strict: false) }
        if case .success(let n) = lexed, n.end == bytes.count {
            return n.value.isFinite ? .number(n.value, isInteger: n.isInteger) : .outOfRange
        }
        if let x = nonFinite(bytes) { return .number(x, isInteger: false) }
        return .invalid
    }
}
