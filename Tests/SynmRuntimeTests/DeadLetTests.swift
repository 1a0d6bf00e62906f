// Dead-let elimination (Sources/SynmRuntime/DeadLets.swift): density evaluations leave out the
// lets nothing needed reads. Values, gradients and Hessians must be bit for bit those of
// evaluating every let; draws must report every let as before; a let that can fail is kept.
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct DeadLetTests {
    /// Bit-for-bit equality of two doubles (NaNs with the same payload included).
    func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }

    func compareWithEveryLet(_ name: String, _ model: CompiledModel, points: Int = 3, hessian: Bool = true,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var pruned = model
        var every = model
        every.eliminatesDeadLets = false
        var seed: UInt64 = 0xDEAD
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        for x in randomPoints(dimension: model.dimension, count: points, seed: seed, scale: 1.0) {
            for options in [CompiledModel.Options(), CompiledModel.Options(prior: false),
                            CompiledModel.Options(likelihood: false), CompiledModel.Options(unconstrained: false)] {
                // Constrained values where the options ask for them (a simplex has one more
                // value than coordinates).
                let point = !options.unconstrained && model.hasConstrainedTypes ? try pruned.constrain(x) : x
                let p = try? pruned.evaluate(point, options: options), e = try? every.evaluate(point, options: options)
                #expect((p == nil) == (e == nil), "\(name) at \(x): one path failed", sourceLocation: sourceLocation)
                guard let p, let e else { continue }
                #expect(same(p.value, e.value), "\(name) \(options) value at \(x): \(p.value) vs \(e.value)",
                        sourceLocation: sourceLocation)
                #expect(zip(p.gradient, e.gradient).allSatisfy { same($0, $1) },
                        "\(name) \(options) gradient at \(x): \(p.gradient) vs \(e.gradient)", sourceLocation: sourceLocation)
            }
            guard hessian else { continue }
            let ph = try pruned.hessian(x), eh = try every.hessian(x)
            #expect(same(ph.value, eh.value) && zip(ph.gradient, eh.gradient).allSatisfy { same($0, $1) },
                    "\(name) Hessian pass value/gradient at \(x)", sourceLocation: sourceLocation)
            #expect(zip(ph.hessian.joined(), eh.hessian.joined()).allSatisfy { same($0, $1) },
                    "\(name) Hessian at \(x)", sourceLocation: sourceLocation)
            // Draws report every let, identically either way.
            var r1 = Xoshiro256StarStar(seed: 7), r2 = Xoshiro256StarStar(seed: 7)
            let d1 = try pruned.draw(x, rng: &r1), d2 = try every.draw(x, rng: &r2)
            #expect(d1.map(\.name) == d2.map(\.name), sourceLocation: sourceLocation)
            for (a, b) in zip(d1, d2) {
                #expect(a.shape == b.shape && zip(a.values, b.values).allSatisfy { same($0, $1) },
                        "\(name): draw of \(a.name) differs", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: ModelCatalogueTests.names)
    func catalogueIsUnchanged(name: String) throws {
        let model = try compileCatalogueModel(name)
        try compareWithEveryLet(name, model, points: name == "local_level" ? 1 : 3,
                                hessian: model.dimension <= 40)
    }

    /// A point of the wrong length is an error, not a trap: coordinates and values differ in
    /// number for a simplex (loaded_die: simplex[6], five coordinates).
    @Test func inputCountIsChecked() throws {
        var model = try compileCatalogueModel("loaded_die")
        let x = [Double](repeating: 0.1, count: model.dimension)
        #expect(model.constrainedDimension == model.dimension + 1)
        #expect(throws: RuntimeError.self) { try model.evaluate(x, options: .init(unconstrained: false)) }
        #expect(throws: RuntimeError.self) { try model.hessian(x + [0.2]) }
        let v = try model.constrain(x)
        #expect(try model.evaluate(v, options: .init(unconstrained: false)).value.isFinite)
    }

    @Test(arguments: PosteriordbCatalogueTests.names)
    func posteriordbIsUnchanged(name: String) throws {
        let model = try compileCatalogueModel("posteriordb/\(name)")
        try compareWithEveryLet(name, model, points: 2, hessian: model.dimension <= 20)
    }

    /// hier_poisson's `rate` is read by nothing: the density leaves it out, draws report it
    /// (as exp(mu + tau * eta), from the draw's own parameters).
    @Test func hierPoissonRateIsLeftOutOfTheDensityButDrawn() throws {
        var model = try compileCatalogueModel("hier_poisson")
        let program = model.program
        #expect(program.densityStatements.count == program.statements.count - 1)
        let x = randomPoints(dimension: model.dimension, count: 1, seed: 0x5EED, scale: 1.0)[0]
        var rng = Xoshiro256StarStar(seed: 1)
        let draw = try model.draw(x, rng: &rng)
        let value = { (n: String) in draw.first { $0.name == n }!.values }
        let mu = value("mu")[0], tau = value("tau")[0], eta = value("eta"), rate = value("rate")
        #expect(rate.count == eta.count && !rate.isEmpty)
        for j in eta.indices {
            #expect(Swift.abs(rate[j] - Foundation.exp(mu + tau * eta[j])) <= 1e-12 * rate[j], "rate[\(j + 1)]")
        }
    }

    /// A let that can fail (an index out of range) is kept even when nothing reads it: the
    /// density still fails with its location. Lets read by a term are kept; lets that only
    /// unused lets read are left out with them.
    @Test func failingAndNeededLetsAreKept() throws {
        let text = """
            data K: int
            param b: real[3]
            let bad = b[K]
            let used = 2 * b
            let chain1 = exp(b)
            let chain2 = sum(chain1)
            b ~ normal(0, 1)
            target += sum(used)
            """
        var model = try compile(text, json: #"{"K": 5}"#)
        #expect(model.program.densityStatements.count == model.program.statements.count - 2)
        #expect(throws: (any Error).self) { try model.evaluate([0.1, 0.2, 0.3]) }
        var ok = try compile(text, json: #"{"K": 2}"#)
        var every = ok
        every.eliminatesDeadLets = false
        let a = try ok.evaluate([0.1, 0.2, 0.3]), e = try every.evaluate([0.1, 0.2, 0.3])
        #expect(same(a.value, e.value) && zip(a.gradient, e.gradient).allSatisfy { same($0, $1) })
    }

    /// Lets cannot carry bounds, so no let rejects a draw by a constraint: the checker says so.
    @Test func letBoundsAreRejectedByTheChecker() {
        #expect(throws: (any Error).self) { _ = try checked("param mu: real\nlet r: real<lower=0> = mu\nmu ~ normal(0, 1)") }
    }
}
