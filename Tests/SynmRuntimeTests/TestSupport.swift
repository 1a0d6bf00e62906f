// Shared helpers of the runtime tests: compiling model text with data, seeded points, and
// the finite-difference gradient check (in the manner of Stan Math's `expect_ad`).
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmMath
import Testing
@testable import SynmRuntime
import SynmSynthetic

/// The repository root (three levels above this file).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Why a model could not be prepared.
struct PrepareError: Error, CustomStringConvertible {
    var description: String
}

/// Checks `text`, or throws with every diagnostic.
func checked(_ text: String, name: String = "test.synm") throws -> (CheckedModel, SourceFile) {
    let file = SourceFile(name: name, text: text)
    let result = checkModel(file)
    guard !result.diagnostics.hasErrors, let model = result.model else {
        throw PrepareError(description: "model does not check: "
                           + result.diagnostics.map { "\($0.severity): \($0.message)" }.joined(separator: "; "))
    }
    return (model, file)
}

/// Binds data given as Stan JSON text (or none); returns the table or the binder's issues.
func bind(_ model: CheckedModel, json: String? = nil) throws -> (DataTable?, [DataIssue]) {
    let values = try json.map { try StanJSONData.decode($0) } ?? []
    var binder = DataBinder(model: model, source: DataSource(values: values))
    let table = binder.bind()
    return (table, binder.issues)
}

/// Checks, binds and compiles a model; throws describing the first problem.
func compile(_ text: String, json: String? = nil, seed: UInt64 = 0) throws -> CompiledModel {
    let (model, file) = try checked(text)
    let (table, issues) = try bind(model, json: json)
    guard let table else {
        throw PrepareError(description: "data: " + issues.map(\.message).joined(separator: "; "))
    }
    return try SyntheticCompiler.compile(model, source: file, data: table, seed: seed)
}

/// A model of models/ with its data (sibling NAME.data.json, else embedded defaults).
func compileCatalogueModel(_ name: String, seed: UInt64 = 0) throws -> CompiledModel {
    let dir = repositoryRoot.appendingPathComponent("models")
    let text = try String(contentsOf: dir.appendingPathComponent("\(name).synm"), encoding: .utf8)
    let dataURL = dir.appendingPathComponent("\(name).data.json")
    let json = FileManager.default.fileExists(atPath: dataURL.path) ? try String(contentsOf: dataURL, encoding: .utf8) : nil
    return try compile(text, json: json, seed: seed)
}

/// A catalogue model's data file as plain arrays (for the hand-written densities).
func catalogueData(_ name: String) throws -> [String: DataValue] {
    let url = repositoryRoot.appendingPathComponent("models/\(name).data.json")
    let values = try StanJSONData.decode(try String(contentsOf: url, encoding: .utf8))
    return Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0) })
}

// MARK: - Numbers

/// |a − b| / max(|a|, |b|, 1): relative error for large values, absolute below 1, so a
/// value or gradient component that happens to be near zero is not held to an impossible
/// relative standard.
func relativeError(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    return Swift.abs(a - b) / Swift.max(Swift.abs(a), Swift.abs(b), 1)
}

/// The largest `relativeError` over paired components.
func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { relativeError($0, $1) }.max() ?? 0
}

/// `count` points in ℝⁿ: standard normal coordinates times `scale`, from a seeded stream.
func randomPoints(dimension n: Int, count: Int, seed: UInt64, scale: Double = 1.5) -> [[Double]] {
    var rng = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in (0..<n).map { _ in scale * standardNormal(&rng) } }
}

/// Box–Muller; enough for test points.
func standardNormal(_ rng: inout Xoshiro256StarStar) -> Double {
    let u = rng.uniform01(), v = rng.uniform01()
    return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
}

// MARK: - Finite differences

/// The derivative of `f` along coordinate `i` at `x` by the five-point central stencil
///
///     f′ ≈ [8(f(x + h) − f(x − h)) − (f(x + 2h) − f(x − 2h))] / 12h,
///
/// with the step scaled to the coordinate, h = ε^{1/5}·max(|xᵢ|, 1) ≈ 7.4e-4·max(|xᵢ|, 1),
/// rounded to a representable offset. The truncation error is h⁴f⁽⁵⁾/30 and the rounding
/// error about 3ε·max|f|/(2h); ε^{1/5} balances the two, so the estimate is good to about
/// ε^{4/5} ≈ 3e-13 relative to the scale of f (not of f′). `f` may be vector-valued (a
/// gradient, for Hessian columns): each component gets its own estimate and roundoff bound.
func centralDifference(_ f: ([Double]) -> [Double], at x: [Double], coordinate i: Int)
    -> (derivative: [Double], roundoff: [Double])
{
    let h0 = 7.4e-4 * Swift.max(Swift.abs(x[i]), 1)
    func at(_ k: Double) -> [Double] {
        var y = x
        y[i] = x[i] + k * h0
        return f(y)
    }
    // The actual offset after rounding x + h (exact representable step).
    let h = (x[i] + h0) - x[i]
    let fp1 = at(1), fm1 = at(-1), fp2 = at(2), fm2 = at(-2)
    var d = [Double](repeating: 0, count: fp1.count), r = d
    for c in 0..<fp1.count {
        d[c] = (8 * (fp1[c] - fm1[c]) - (fp2[c] - fm2[c])) / (12 * h)
        let scale = Swift.max(Swift.abs(fp1[c]), Swift.abs(fm1[c]), Swift.abs(fp2[c]), Swift.abs(fm2[c]))
        // 18 = (8 + 8 + 1 + 1) function values, each carrying ε relative rounding.
        r[c] = 18 * Double.ulpOfOne * scale / (12 * h)
    }
    return (d, r)
}

/// Whether an exact derivative matches its finite-difference estimate (see
/// `expectGradientMatchesFiniteDifferences` for the rule).
func derivativeMatches(_ exact: Double, _ estimate: Double, roundoff: Double, relTol: Double, absTol: Double)
    -> (ok: Bool, allowed: Double)
{
    let allowed = relTol * Swift.max(Swift.abs(exact), Swift.abs(estimate)) + absTol + 100 * roundoff
    return (exact.isFinite && estimate.isFinite && Swift.abs(exact - estimate) <= allowed, allowed)
}

/// Expects `gradient` (the exact one, from AD) to match central differences of `f` at `x`.
///
/// Component i passes when
///
///     |gᵢ − dᵢ| ≤ relTol·max(|gᵢ|, |dᵢ|) + absTol + 100·rᵢ,
///
/// where dᵢ is the five-point estimate of `centralDifference` and rᵢ its rounding bound
/// (≈ ε·max|f|/h), widened 100× because f itself (a sum of up to thousands of terms) carries
/// more than one rounding: a gradient component that is tiny next to ε|f|/h cannot be
/// resolved by differencing f at all, and the test does not pretend otherwise. `relTol` is
/// the relative error allowed between the exact and the estimated derivative; the
/// truncation error of the stencil is far below the 1e-6 used across these tests, so a
/// failure means a wrong partial, not a coarse step. Also expects every f value used to be
/// finite, so a check can never pass vacuously on NaNs.
func expectGradientMatchesFiniteDifferences(
    _ f: ([Double]) -> Double, gradient: [Double], at x: [Double], relTol: Double = 1e-6, absTol: Double = 0,
    _ label: @autoclosure () -> String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    #expect(gradient.count == x.count, "gradient has \(gradient.count) components, x has \(x.count)",
            sourceLocation: sourceLocation)
    for i in 0..<x.count {
        let (ds, roundoff) = centralDifference({ [f($0)] }, at: x, coordinate: i)
        let (ok, allowed) = derivativeMatches(gradient[i], ds[0], roundoff: roundoff[0], relTol: relTol, absTol: absTol)
        if !ok {
            Issue.record("\(label()) ∂/∂x[\(i)] at \(x): exact \(gradient[i]), finite difference \(ds[0]), allowed \(allowed)",
                         sourceLocation: sourceLocation)
        }
    }
}

extension CompiledModel {
    /// The log density (unconstrained, with the Jacobian) or NaN if evaluation fails.
    mutating func value(_ x: [Double], options: Options = Options()) -> Double {
        (try? evaluate(x, options: options).value) ?? .nan
    }
}

/// Runs the FD check on a compiled model at `x` (its own evaluation as f).
func expectModelGradientMatchesFiniteDifferences(
    _ model: inout CompiledModel, at x: [Double], options: CompiledModel.Options = .init(), relTol: Double = 1e-6,
    _ label: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let exact: [Double]
    do { exact = try model.evaluate(x, options: options).gradient } catch {
        Issue.record("\(label) evaluation failed at \(x): \(error)", sourceLocation: sourceLocation)
        return
    }
    var copy = model
    expectGradientMatchesFiniteDifferences({ copy.value($0, options: options) }, gradient: exact, at: x,
                                           relTol: relTol, label, sourceLocation: sourceLocation)
}

/// Expects `body` (a compile or an evaluation) to fail with a checker error (PrepareError)
/// whose description contains `message`; other errors propagate and fail the test.
func expectCheckerError(_ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                        _ body: () throws -> Void) throws {
    do {
        try body()
        Issue.record("no checker error; expected: \(message)", sourceLocation: sourceLocation)
    } catch let e as PrepareError {
        #expect(e.description.contains(message), "\(e.description)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to fail at run time with exactly `message`, at a place in the source (a
/// located RuntimeError); other errors propagate and fail the test.
func expectLocatedRuntimeError(_ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                               _ body: () throws -> Void) throws {
    do {
        try body()
        Issue.record("no error; expected: \(message)", sourceLocation: sourceLocation)
    } catch let e as RuntimeError {
        #expect(e.message == message, sourceLocation: sourceLocation)
        #expect(e.span != nil, "not located: \(e.message)", sourceLocation: sourceLocation)
    }
}
