// Large-input test: a ~10 MB document parses quickly and completely.
import Testing
@testable import SynmIO

@Suite struct JSONPerformanceTests {
    /// ~10 MB: an object of numeric arrays (reals, integers) and an array of small records.
    static func bigDocument() -> (text: String, numbers: Int, records: Int) {
        var parts: [String] = []
        var random = TestRandom(state: 7)
        var numbers = 0
        var chunk: [String] = []
        chunk.reserveCapacity(1000)
        for _ in 0..<1_030 {
            chunk.removeAll(keepingCapacity: true)
            for k in 0..<600 {
                let bits = random.next()
                if k % 3 == 0 {
                    chunk.append(String(Int64(bitPattern: bits) % 1_000_000))
                } else {
                    chunk.append("\(Double(bits >> 11) * 0x1p-53 * 200 - 100)")
                }
            }
            numbers += chunk.count
            parts.append("[" + chunk.joined(separator: ",") + "]")
        }
        let records = 20_000
        let recordText = (0..<records).map { #"{"id":\#($0),"name":"row \#($0) é","ok":true}"# }
        let text = #"{"y":[\#(parts.joined(separator: ",\n"))],"records":[\#(recordText.joined(separator: ","))]}"#
        return (text, numbers, records)
    }

    @Test func tenMegabyteDocumentParses() throws {
        let (text, numbers, records) = Self.bigDocument()
        let bytes = Array(text.utf8)
        #expect(bytes.count > 10_000_000)
        let clock = ContinuousClock()
        var parsed: JSONValue = nil
        let elapsed = try clock.measure { parsed = try JSONParser().parse(bytes) }
        let rows = try #require(parsed["y"]?.arrayValue)
        #expect(rows.reduce(0) { $0 + ($1.arrayValue?.count ?? 0) } == numbers)
        #expect(parsed["records"]?.arrayValue?.count == records)
        #expect(parsed["records"]?.arrayValue?.last?["name"] == .string("row \(records - 1) é"))
        // Speed is measured by benchmarks, not asserted here. What this guards against is
        // super-linear behaviour (which once made this take 10 s): a tenth of the document
        // must take about a tenth of the time. Linear parsing gives a ratio near 10,
        // quadratic near 100; the bound 40 leaves room for a loaded machine (both parses
        // see the same load) and for the small document's fixed costs.
        let smallBytes = Array(text.prefix(text.count / 10).utf8)
        let small = clock.measure { _ = try? JSONParser().parse(smallBytes) }  // truncated: an error late in the input
        let ratio = elapsed / max(small, .microseconds(1))
        #expect(ratio < 40, "10 MB took \(elapsed), 1 MB took \(small): ratio \(ratio)")
    }
}
