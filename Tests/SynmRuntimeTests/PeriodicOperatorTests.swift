// periodic with the model's own operator `v -> …` (the paper's Example 4, any map of finite
// order): the same rows as the named maps it can spell, a uniform orbit for a map they
// cannot (rotation by 120°, to binomial tolerances as in SyntheticGenerationTests), the
// period checked on every row, and the interpreter agreeing with the checker's function list.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import Testing
@testable import SynmRuntime
@testable import SynmSynthetic

@Suite struct PeriodicOperatorTests {
    static let x: [[Double]] = [[1, 0.25], [2, -3], [0.5, 4]]
    static var json: String {
        "{\"x\": [\(x.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", "))], \(jsonArray("y", [0.5, 1.25, -2]))}"
    }

    func model(_ declaration: String, seed: UInt64 = 3) throws -> CompiledModel {
        try compile("""
            data x: real[n, 2]
            data y: real[k]
            \(declaration)
            param mu: real
            mu ~ normal(0, 1)
            """, json: Self.json, seed: seed)
    }

    /// `v -> [-v[2], v[1]]` is rotate90 and `v -> -v` is reflect: the same rows bit for bit
    /// (same stream, same draws of iterate and row), which pins the orbit and the sampling.
    @Test(arguments: [UInt64(1), 2])
    func spelledOperatorsMatchTheNamedOnes(seed: UInt64) throws {
        let named = try model("synthetic r: real[500, 2] = periodic(x, rotate90, 4)", seed: seed)
        let written = try model("synthetic r: real[500, 2] = periodic(x, op = v -> [-v[2], v[1]], period = 4)", seed: seed)
        #expect(named.data["r"] == written.data["r"])
        let reflect = try model("synthetic r: real[500] = periodic(y, reflect, 2)", seed: seed)
        let negate = try model("synthetic r: real[500] = periodic(y, op = v -> -v, period = 2)", seed: seed)
        #expect(reflect.data["r"] == negate.data["r"])
    }

    /// Rotation by 120° (period 3, irrational entries, so the orbit closes only to rounding):
    /// each of the 3·n images has frequency Binomial(m, 1/(3n)).
    @Test func rotation120OrbitIsUniform() throws {
        let c = -0.5, s = 3.0.squareRoot() / 2, m = 30_000
        let r = try model("synthetic r: real[\(m), 2] = periodic(x, op = v -> [\(c) * v[1] - \(s) * v[2], \(s) * v[1] + \(c) * v[2]], period = 3)")
        let rows = try #require(r.data["r"])
        var images: [[Double]] = []
        for row in Self.x {
            var v = row
            for _ in 0..<3 {
                images.append(v)
                v = [c * v[0] - s * v[1], s * v[0] + c * v[1]]
            }
            #expect(abs(v[0] - row[0]) < 1e-12 && abs(v[1] - row[1]) < 1e-12, "three turns are the identity")
        }
        var counts = [Int](repeating: 0, count: images.count)
        for k in 0..<m {
            let v = [rows.values[2 * k], rows.values[2 * k + 1]]
            guard let i = images.firstIndex(where: { abs($0[0] - v[0]) < 1e-12 && abs($0[1] - v[1]) < 1e-12 }) else {
                Issue.record("row \(k + 1), \(v), is not an image of a row of x")
                continue
            }
            counts[i] += 1
        }
        for (i, n) in counts.enumerated() { expectBinomial(n, m: m, p: 1 / Double(images.count), "image \(images[i])") }
    }

    func runError(_ declaration: String) -> RuntimeError? {
        do {
            _ = try model(declaration)
            return nil
        } catch {
            return error as? RuntimeError
        }
    }

    /// A period that is not a multiple of the operator's order names the row and the step
    /// count, and when the row does come back; a map that never returns is refused too; an
    /// orbit that closes to 1e-13 passes, one that misses by 1e-4 does not.
    @Test func periodIsChecked() throws {
        let e = try #require(runError("synthetic r: real[10, 2] = periodic(x, op = v -> [-v[2], v[1]], period = 6)"))
        #expect(e.message.contains("does not bring row 1 of 'x' back to itself after 6 steps"), "\(e.message)")
        #expect(e.hint?.contains("comes back after 4 steps") == true, "\(e.hint ?? "")")
        // Row 3 of y is -2: `v -> 4 / v` returns every nonzero row after 2 steps, but doubling does not.
        let never = try #require(runError("synthetic r: real[10] = periodic(y, op = v -> 2 * v, period = 2)"))
        #expect(never.message.contains("row 1 of 'y'") && never.hint?.contains("identity on every row") == true, "\(never.message)")
        #expect(runError("synthetic r: real[10] = periodic(y, op = v -> 4 / v, period = 2)") == nil)
        #expect(runError("synthetic r: real[10] = periodic(y, op = v -> v * 1.0000000000001, period = 1)") == nil)
        let drift = try #require(runError("synthetic r: real[10] = periodic(y, op = v -> v * 1.0001, period = 1)"))
        #expect(drift.message.contains("after 1 step:"), "\(drift.message)")
        let width = try #require(runError("synthetic r: real[10, 2] = periodic(x, op = v -> [v[1], v[2], v[1]], period = 1)"))
        #expect(width.message.contains("with 2 values to 3"), "\(width.message)")
        let index = try #require(runError("synthetic r: real[10, 2] = periodic(x, op = v -> [v[3], v[1]], period = 2)"))
        #expect(index.message.contains("index 3 is out of range"), "\(index.message)")
        // 3 rows × 999999 steps × 2 values: more orbit than RowOperator.maxIterates.
        let long = try #require(runError("synthetic r: real[10, 2] = periodic(x, op = v -> -v, period = 999999)"))
        #expect(long.message.contains("is more than 5000000 values"), "\(long.message)")
        let infinite = try #require(runError("synthetic r: real[10] = periodic(y, op = v -> log(v - 0.5), period = 2)"))
        #expect(infinite.message.contains("not finite on row 1"), "\(infinite.message)")
    }

    /// Every function the checker admits in an operator is one the interpreter evaluates,
    /// with the value of its closed form at 0.25.
    @Test func interpreterCoversTheCheckersFunctions() throws {
        let x = 0.25
        let expected: [String: Double] = [
            "abs": 0.25, "exp": exp(x), "log": log(x), "sqrt": 0.5, "square": 0.0625, "tanh": tanh(x),
            "log1p": log1p(x), "expm1": expm1(x), "inv": 4, "inv_logit": 1 / (1 + exp(-x)), "logit": log(x / (1 - x)),
            "sum": 0.25, "mean": 0.25, "size": 1,
        ]
        #expect(Set(expected.keys) == Set(rowOperatorFunctions))
        for name in rowOperatorFunctions {
            let body = Expr(.call(name: name, nameSpan: .none, args: [Argument(value: Expr(.name("v"), span: .none))],
                                  conditioned: false), span: .none)
            let value = try RowOperator(parameter: "v", body: body).apply([x], scalarRow: true)
            #expect(value == [expected[name]!], "\(name)")
        }
    }
}
