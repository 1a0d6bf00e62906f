// `NAME_rng` calls in top-level lets and predict arguments (Stan's generated quantities):
// drawn only when a draw is reported (the log density is unchanged), deterministic given
// the seed, with the distribution's moments (within 4.5 MCSE), vectorised over array
// arguments, and kept out of the model by the checker.
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct RandomDrawTests {
    static let model = """
        data x: real[2000] = [\(Array(repeating: "2.0", count: 2000).joined(separator: ", "))]
        param a: real
        a ~ normal(0, 1)
        let z = normal_rng(a, 2)
        let w = z + 1
        let e = exponential_rng(x)
        let k = poisson_rng(3.5)
        let g = categorical_rng([0.2, 0.5, 0.3])
        let o = ordered_logistic_rng(0.3, [-1.0, 1.0])
        predict y ~ normal(normal_rng(a, 1), 0.5)
        """

    @Test("draws are reported, deterministic, and leave the density alone")
    func draws() throws {
        var m = try compile(Self.model)
        var plain = try compile("param a: real\na ~ normal(0, 1)\n")
        #expect(try m.evaluate([0.7]).value == plain.evaluate([0.7]).value)
        var r1 = Xoshiro256StarStar(seed: 8), r2 = Xoshiro256StarStar(seed: 8)
        let d1 = try m.draw([0.7], rng: &r1), d2 = try m.draw([0.7], rng: &r2)
        #expect(d1.map(\.values) == d2.map(\.values))
        let byName = Dictionary(uniqueKeysWithValues: d1.map { ($0.name, $0) })
        let z = try #require(byName["z"]?.values.first), w = try #require(byName["w"]?.values.first)
        #expect(w == z + 1)
        #expect(byName["e"]?.values.count == 2000 && byName["e"]!.values.allSatisfy { $0 > 0 })
        #expect(byName["k"]?.isInteger == true && byName["g"]?.isInteger == true && byName["o"]?.isInteger == true)
        #expect([1.0, 2.0, 3.0].contains(byName["g"]!.values[0]) && [1.0, 2.0, 3.0].contains(byName["o"]!.values[0]))
        let again = try m.draw([0.7], rng: &r1)
        #expect(again.first { $0.name == "z" }?.values != [z], "a new draw each time")
    }

    /// z = normal_rng(a, 2) over 4000 reported draws at a = 0.7: mean within 4.5·2/√4000;
    /// e = exponential_rng(2) over 2000 elements of one draw: mean 1/2, variance 1/4.
    @Test("draws follow their distributions")
    func moments() throws {
        var small = try compile("param a: real\na ~ normal(0, 1)\nlet z = normal_rng(a, 2)\n")
        var rng = Xoshiro256StarStar(seed: 19)
        var zs: [Double] = []
        for _ in 0..<4000 { zs.append(try small.draw([0.7], rng: &rng).first { $0.name == "z" }!.values[0]) }
        var m = try compile(Self.model)
        let es = try m.draw([0.7], rng: &rng).first { $0.name == "e" }!.values
        let mz = zs.reduce(0, +) / 4000
        #expect(abs(mz - 0.7) <= 4.5 * 2 / 4000.0.squareRoot(), "mean of z: \(mz)")
        let me = es.reduce(0, +) / 2000
        #expect(abs(me - 0.5) <= 4.5 * 0.5 / 2000.0.squareRoot(), "mean of e: \(me)")
    }

    @Test("the model cannot use random draws", arguments: [
        ("param a: real\ntarget += normal_rng(0, 1) * a", "'normal_rng' draws at random, so the model cannot use it"),
        ("param a: real\nlet z = normal_rng(0, 1)\na ~ normal(z, 1)", "'z' is drawn at random (an _rng call), so the model cannot use it"),
        ("param a: real\nlet z = normal_rng(0, 1)\nlet u = z * 2\ntarget += u * a", "'u' is drawn at random (an _rng call), so the model cannot use it"),
        ("param a: real\nfor i in 1..2 {\n  let z = normal_rng(0, 1)\n}", "'normal_rng' draws at random, so the model cannot use it"),
        ("param a: real\nlet z = normal_rng(0, 1, 2)", "'normal' takes 2 arguments (mu, sigma), but 3 were given"),
    ])
    func misuse(_ text: String, _ message: String) throws {
        try expectCheckerError(message) { _ = try compile(text) }
    }

    @Test("invalid arguments fail the draw with a located error")
    func domainError() throws {
        var m = try compile("param a: real\na ~ normal(0, 1)\nlet z = normal_rng(a, -1)\n")
        var rng = Xoshiro256StarStar(seed: 1)
        try expectLocatedRuntimeError("normal_rng: sigma must be > 0, got -1") { _ = try m.draw([0], rng: &rng) }
    }
}
