// Shared tolerance helpers for SynmMath tests.
import Testing

/// |actual − expected| / |expected| (or |actual − expected| when expected is 0); 0 when both
/// are equal, including equal infinities.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    if actual == expected { return 0 }
    let difference = abs(actual - expected)
    return expected == 0 ? difference : difference / abs(expected)
}

/// Expects `actual` to match `expected` to within a relative tolerance `rel`, or an absolute
/// tolerance `abs` (whichever is looser; `abs` defaults to 0). NaN matches only NaN, and an
/// infinity only the same infinity.
func expectClose(
    _ actual: Double, _ expected: Double, rel: Double, abs absTolerance: Double = 0,
    _ what: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    if expected.isNaN {
        #expect(actual.isNaN, "\(what()): expected NaN, got \(actual)", sourceLocation: sourceLocation)
        return
    }
    let ok = actual == expected
        || abs(actual - expected) <= Swift.max(rel * abs(expected), absTolerance)
    #expect(ok, "\(what()): got \(actual), expected \(expected), relative error \(relativeError(actual, expected))",
            sourceLocation: sourceLocation)
}
