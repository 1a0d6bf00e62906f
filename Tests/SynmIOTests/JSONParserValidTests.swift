// Conformance: documents every JSON parser must accept, and the values they denote.
import Testing
@testable import SynmIO

@Suite struct JSONParserValidTests {
    static let accepted: [String] = [
        "[]", "{}", "[[]]", "[{}]", " [1] ", "\t\r\n[\n1\n]\r\n", "123", "-1", "\"x\"", "true", "false", "null",
        "[-0]", "[0]", "[0.0]", "[1e1]", "[1E1]", "[1e+1]", "[1e-1]", "[0.5E+2]", "[-123.456e-789]",
        "[12345678901234567890123]", "[1e22]", "[1.7976931348623157e308]", "[5e-324]",
        "\"\\u0000\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\uD834\\uDD1E\"", "\"日本語\"", "\"😀\"",
        "{\"a\":{\"b\":[true,false,null]}}", "{\"\":0}", "[\"\\u00e9\", \"é\"]", "\u{FEFF}{}",
        "[1,[2,[3,[4,[5]]]]]", "{\"a\":1,\"b\":2,\"A\":3}",
    ]

    @Test(arguments: accepted) func accepts(_ text: String) {
        #expect(jsonError(text) == nil, "\(text)")
    }

    @Test func scalarsAndIntegerFlag() throws {
        let parser = JSONParser()
        #expect(try parser.parse("42") == .number(42, isInteger: true))
        #expect(try parser.parse("42.0") == .number(42, isInteger: false))
        #expect(try parser.parse("4.2e1") == .number(42, isInteger: false))
        #expect(try parser.parse("-7") == .number(-7, isInteger: true))
        #expect(try parser.parse(" true ") == .bool(true))
        #expect(try parser.parse("null") == .null)
        let negativeZero = try #require(try parser.parse("-0").doubleValue)
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
    }

    @Test func numberValuesAreCorrectlyRounded() throws {
        let cases: [(String, Double)] = [
            ("0.1", 0.1), ("1e-300", 1e-300), ("5e-324", 5e-324), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("123456789012345678", 123456789012345678), ("0.30000000000000004", 0.30000000000000004),
            ("2.2250738585072014e-308", 2.2250738585072014e-308), ("9007199254740993", 9007199254740992),
            ("1e-400", 0), ("0.000001234", 0.000001234), ("-123.456e-789", -0.0), ("1E22", 1e22), ("1e23", 1e23),
        ]
        for (text, expected) in cases {
            let value = try #require(try JSONParser().parse(text).doubleValue)
            #expect(value.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test func stringsAndEscapes() throws {
        let parser = JSONParser()
        #expect(try parser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parser.parse(#""\u00e9\u00E9""#) == .string("éé"))
        #expect(try parser.parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        #expect(try parser.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parser.parse("\"日本 😀\"") == .string("日本 😀"))
        #expect(try parser.parse(#""x\u0041y""#) == .string("xAy"))
    }

    @Test func objectsKeepKeyOrder() throws {
        let value = try JSONParser().parse(#"{"z": 1, "a": [1, 2.5, "s"], "m": {"k": null}}"#)
        #expect(value.objectMembers?.map(\.key) == ["z", "a", "m"])
        #expect(value["a"] == .array([.integer(1), .real(2.5), .string("s")]))
        #expect(value["m"]?["k"] == .null)
        #expect(value["missing"] == nil)
    }

    @Test func manyKeysUseTheSetPathForDuplicates() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let value = try JSONParser().parse("{\(members)}")
        #expect(value.objectMembers?.count == 40)
        let error = try #require(jsonError("{\(members), \"k3\": 0}"))
        #expect(error.message == "duplicate key \"k3\"")
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(jsonError(text) == nil)
        #expect(jsonError("[[[1]]]", maxDepth: 3) == nil)
    }
}
