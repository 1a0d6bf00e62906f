// Helpers for SynmIO tests: capture typed errors, a seeded generator.
import Testing
@testable import SynmIO

/// The error from parsing `text`, or nil if it parsed.
func jsonError(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONError? {
    jsonError(Array(text.utf8), maxDepth: maxDepth)
}

/// The error from parsing `bytes`, or nil if they parsed.
func jsonError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONError? {
    do {
        _ = try JSONParser(maxDepth: maxDepth).parse(bytes)
        return nil
    } catch {
        return error
    }
}

/// The `DataError` thrown by `body`, or nil if it returned (any other error is an issue).
func dataError<T>(_ body: () throws -> T) -> DataError? {
    do {
        _ = try body()
        return nil
    } catch let error as DataError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// SplitMix64, for reproducible random test inputs.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
