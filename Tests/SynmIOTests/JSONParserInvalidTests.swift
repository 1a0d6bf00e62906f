// Conformance: documents every JSON parser must reject, with exact messages and positions.
import Testing
@testable import SynmIO

@Suite struct JSONParserInvalidTests {
    static let rejected: [String] = [
        "", "   ", "[", "{", "]", "[1,]", "[,1]", "[1 2]", "[1,,2]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{:1}",
        "{\"a\"}", "{\"a\":}", "{\"a\":1 \"b\":2}", "[01]", "[-01]", "[1.]", "[.1]", "[-]", "[1e]", "[1e+]",
        "[+1]", "[NaN]", "[Infinity]", "[0x10]", "['a']", "[\"a\\qb\"]", "[\"\\u12\"]", "[\"\\uD800\"]",
        "[\"\\uDC00\"]", "[\"\\uD800\\u0041\"]", "\"abc", "[\"tab\there\"]", "[\"new\nline\"]", "[1] x", "[1]]",
        "tru", "nul", "falsey", "[true false]", "{\"a\":1,\"a\":2}", "1e400", "[-1e400]", "[\"\\x\"]", "[1,]]",
        "{\"a\":[}", "\"\\", "1 2", "[1]\n/* comment */",
    ]

    @Test(arguments: rejected) func rejects(_ text: String) {
        #expect(jsonError(text) != nil, "\(text)")
    }

    /// (input, line, column, byte offset, message)
    static let located: [(String, Int, Int, Int, String)] = [
        ("", 1, 1, 0, "unexpected end of input, expected a value"),
        ("[1, 2\n 3]", 2, 2, 7, "expected ',' or ']' after array element"),
        ("{\"a\": 1,\n  \"a\": 2}", 2, 3, 11, "duplicate key \"a\""),
        ("{\"é\": [01]}", 1, 8, 8, "invalid number: leading zeros are not allowed"),
        ("\"abc", 1, 1, 0, "unterminated string"),
        ("[1,]", 1, 4, 3, "trailing comma before ']'"),
        ("{\"a\": 1,}", 1, 9, 8, "trailing comma before '}'"),
        ("\n\n  tru", 3, 3, 4, "invalid literal, expected 'true'"),
        ("[1] x", 1, 5, 4, "unexpected character 'x', expected end of input after the JSON value"),
        ("{\"a\" 1}", 1, 6, 5, "unexpected character '1', expected ':' after object key"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, 8, "expected ',' or '}' after object member"),
        ("{1: 2}", 1, 2, 1, "unexpected character '1', expected a string key"),
        ("[1.]", 1, 2, 1, "invalid number: expected a digit after '.'"),
        ("[1e+]", 1, 2, 1, "invalid number: expected a digit in the exponent"),
        ("[-]", 1, 2, 1, "invalid number: expected a digit"),
        ("[1e400]", 1, 2, 1, "number out of range"),
        ("[\"a\\qb\"]", 1, 4, 3, "invalid escape sequence '\\q'"),
        ("[\"\\u12\"]", 1, 3, 2, "invalid \\u escape, expected 4 hex digits"),
        ("[\"x\\uD800\"]", 1, 4, 3, "unpaired high surrogate in \\u escape"),
        ("[\"\\uDC00\"]", 1, 3, 2, "unpaired low surrogate in \\u escape"),
        ("[\"ab\tc\"]", 1, 5, 4, "unescaped control character U+0009 in string"),
        ("[\n\"日本\", x]", 2, 7, 12, "unexpected character 'x', expected a value"),
        ("[1,\n[", 2, 2, 5, "unexpected end of input, expected a value"),
        ("{\"a\": [1, 2}", 1, 12, 11, "expected ',' or ']' after array element"),
        ("[1]\r\n]", 2, 1, 5, "unexpected character ']', expected end of input after the JSON value"),
    ]

    @Test func exactLocationsAndMessages() throws {
        for (text, line, column, offset, message) in Self.located {
            let error = try #require(jsonError(text), "\(text)")
            #expect(error == JSONError(line: line, column: column, offset: offset, message: message), "\(text)")
        }
    }

    @Test func errorDescriptionIsLineColonColumn() throws {
        let error = try #require(jsonError("[1, 2\n 3]"))
        #expect(error.description == "2:2: expected ',' or ']' after array element")
    }

    @Test func deepNestingIsACleanError() throws {
        let deep = try #require(jsonError(String(repeating: "[", count: 600)))
        #expect(deep.message == "nesting too deep (more than 512 levels)")
        #expect(deep.offset == 512 && deep.column == 513)
        // Far deeper than any call stack could take: still an error value, not a crash.
        let veryDeep = try #require(jsonError(String(repeating: "{\"a\":[", count: 200_000)))
        #expect(veryDeep.message == "nesting too deep (more than 512 levels)")
        let custom = try #require(jsonError("[[[[1]]]]", maxDepth: 3))
        #expect(custom.offset == 3)
    }

    @Test func invalidUTF8IsAnError() throws {
        let cases: [([UInt8], Int, String)] = [
            ([0x22, 0xFF, 0x22], 1, "invalid UTF-8 in string"),
            ([0x22, 0x61, 0xC0, 0xAF, 0x22], 2, "invalid UTF-8 in string"),  // overlong '/'
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1, "invalid UTF-8 in string"),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, "invalid UTF-8 in string"),  // above U+10FFFF
            ([0x22, 0xE2, 0x82], 1, "invalid UTF-8 in string"),  // truncated at end of input
            ([0x22, 0x5C, 0x6E, 0x80, 0x22], 3, "invalid UTF-8 in string"),  // after an escape (slow path)
            ([0x5B, 0xFF, 0x5D], 1, "unexpected byte 0xFF, expected a value"),
            ([0x5B, 0x31, 0x5D, 0xC3], 3, "unexpected byte 0xC3, expected end of input after the JSON value"),
        ]
        for (bytes, offset, message) in cases {
            let error = try #require(jsonError(bytes), "\(bytes)")
            #expect(error.offset == offset && error.message == message, "\(bytes)")
        }
        // A valid 4-byte sequence next to the same bytes is fine.
        #expect(try JSONParser().parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == .string("😀"))
    }
}
