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
