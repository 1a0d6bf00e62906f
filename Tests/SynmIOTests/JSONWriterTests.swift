// Writer tests: number formatting, escaping, layout, and parse → write → parse round trips.
import Testing
@testable import SynmIO

@Suite struct JSONWriterTests {
    @Test func numberFormatting() {
        #expect(JSONWriter.formatNumber(0.1, isInteger: false) == "0.1")
        #expect(JSONWriter.formatNumber(1e-300, isInteger: false) == "1e-300")
        #expect(JSONWriter.formatNumber(5e-324, isInteger: false) == "5e-324")
        #expect(JSONWriter.formatNumber(1.7976931348623157e308, isInteger: false) == "1.7976931348623157e+308")
        #expect(JSONWriter.formatNumber(-0.0, isInteger: false) == "-0.0")
        #expect(JSONWriter.formatNumber(-0.0, isInteger: true) == "-0")
        #expect(JSONWriter.formatNumber(3, isInteger: true) == "3")
        #expect(JSONWriter.formatNumber(3, isInteger: false) == "3.0")
        #expect(JSONWriter.formatNumber(-42, isInteger: true) == "-42")
        #expect(JSONWriter.formatNumber(1e16, isInteger: true) == "10000000000000000")
        #expect(JSONWriter.formatNumber(1.2345e20, isInteger: true) == "123450000000000000000")
        #expect(JSONWriter.formatNumber(1e16, isInteger: false) == "1e+16")
        // A non-integral value flagged integer still prints faithfully.
        #expect(JSONWriter.formatNumber(2.5, isInteger: true) == "2.5")
        #expect(JSONWriter.formatNumber(.infinity, isInteger: false) == "\"inf\"")
        #expect(JSONWriter.formatNumber(-.infinity, isInteger: false) == "\"-inf\"")
        #expect(JSONWriter.formatNumber(.nan, isInteger: false) == "\"NaN\"")
    }
}

@Suite struct JSONWriterLayoutTests {
    static let document: JSONValue = [
        "name": "synm", "n": 3, "x": 0.5, "flags": [true, false, nil], "empty": [], "none": [:],
        "nested": ["a": [1, [2.0, "three"]]],
    ]

    @Test func compactLayout() {
        #expect(Self.document.serialized() ==
            #"{"name":"synm","n":3,"x":0.5,"flags":[true,false,null],"empty":[],"none":{},"nested":{"a":[1,[2.0,"three"]]}}"#)
    }

    @Test func prettyLayout() {
        let expected = """
            {
              "name": "synm",
              "n": 3,
              "x": 0.5,
              "flags": [
                true,
                false,
                null
              ],
              "empty": [],
              "none": {},
              "nested": {
                "a": [
                  1,
                  [
                    2.0,
                    "three"
                  ]
                ]
              }
            }
            """
        #expect(Self.document.serialized(.pretty) == expected)
    }

    @Test func stringEscaping() throws {
        let s = "q\"b\\s/\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F} é 😀"
        let written = JSONValue.string(s).serialized()
        #expect(written == #""q\"b\\s/\n\r\t\b\f\u0001\u001F\u007F é 😀""#)
        #expect(try JSONParser().parse(written) == .string(s))
    }

    @Test func nonFiniteNumbersBecomeStanStrings() {
        let value: JSONValue = [.real(.infinity), .real(-.infinity), .real(.nan)]
        #expect(value.serialized() == #"["inf","-inf","NaN"]"#)
    }

    @Test func roundTripPreservesValuesFlagsAndOrder() throws {
        let text = """
            {"z": [1, -0, -0.0, 2.50, 1e2, 1E-7, 12345678901234567890, 0.1],
             "s": "tab\\tand \\u00e9 \\ud83d\\ude00", "o": {"b": null, "a": [true, {}]}, "e": []}
            """
        let parsed = try JSONParser().parse(text)
        for style in [JSONWriter.Style.compact, .pretty] {
            let written = parsed.serialized(style)
            let reparsed = try JSONParser().parse(written)
            #expect(reparsed == parsed)
            #expect(reparsed.serialized(style) == written)  // writing is a fixed point
        }
        #expect(parsed["z"]?.serialized() == "[1,-0,-0.0,2.5,100.0,1e-07,12345678901234567000,0.1]")
    }

    @Test func randomDoublesRoundTripBitForBit() throws {
        var random = TestRandom(state: 20_240_601)
        var checked = 0
        while checked < 2000 {
            let x = Double(bitPattern: random.next())
            guard x.isFinite else { continue }
            let text = JSONWriter.formatNumber(x, isInteger: false)
            let back = try #require(try JSONParser().parse(text).doubleValue)
            #expect(back.bitPattern == x.bitPattern, "\(text)")
            checked += 1
        }
    }

    @Test func integerValuedDoublesRoundTripAsIntegers() throws {
        for x in [0.0, 1, -1, 1e15, 1e16, 4.5e17, -9.007199254740993e15, 1e300, 123456789e200] {
            let value = JSONValue.number(x, isInteger: true)
            let back = try JSONParser().parse(value.serialized())
            #expect(back == value, "\(x)")
        }
    }
}
