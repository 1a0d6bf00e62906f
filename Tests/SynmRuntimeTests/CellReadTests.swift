// `var` arrays read in place by `~` terms, and the normal row loops with a scalar location
// (Sources/SynmRuntime/Evaluator+CellReads.swift), against the path they replace (the cells
// copied into a node, the generic row loop: `Evaluator.readsCellsInPlace = false`): the same
// values, gradients and Hessians bit for bit (the copy's edges had partial 1, and the normal
// row loops do `Kernels.normal`'s arithmetic in the generic loop's order), and the same errors
// at the same places.
import Foundation
import SynmAutodiff
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct CellReadTests {
    /// The model with the in-place reads off (the copy node and the generic row loop).
    func copying(_ model: CompiledModel) -> CompiledModel {
        var m = model
        m.evaluator.readsCellsInPlace = false
        m.dualEvaluator = nil
        return m
    }

    /// Value, gradient (prior and likelihood apart too) and Hessian with the in-place reads and
    /// without, at seeded points, bit for bit; `reads` checks that the path ran.
    func compare(_ name: String, _ model: CompiledModel, points: Int = 4, scale: Double = 1.0, hessian: Bool = true,
                 reads: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var inPlace = model
        var copy = copying(model)
        var seed: UInt64 = 0xCE11
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        for x in randomPoints(dimension: model.dimension, count: points, seed: seed, scale: scale) {
            let before = inPlace.evaluator.cellReads
            let a = try inPlace.evaluate(x), b = try copy.evaluate(x)
            if reads {
                #expect(inPlace.evaluator.cellReads > before, "\(name): no var array was read in place",
                        sourceLocation: sourceLocation)
            }
            #expect(copy.evaluator.cellReads == 0, sourceLocation: sourceLocation)
            #expect(a.value == b.value, "\(name) value at \(x): \(a.value) against \(b.value)",
                    sourceLocation: sourceLocation)
            #expect(a.gradient == b.gradient, "\(name) gradient at \(x): \(a.gradient) against \(b.gradient)",
                    sourceLocation: sourceLocation)
            for options in [CompiledModel.Options(prior: false), CompiledModel.Options(likelihood: false)] {
                let ap = try inPlace.evaluate(x, options: options), bp = try copy.evaluate(x, options: options)
                #expect(ap.value == bp.value && ap.gradient == bp.gradient, "\(name) \(options) at \(x)",
                        sourceLocation: sourceLocation)
            }
            guard hessian else { continue }
            let ah = try inPlace.hessian(x), bh = try copy.hessian(x)
            #expect(ah.value == a.value && ah.gradient == a.gradient, "\(name): the Dual and Double paths differ",
                    sourceLocation: sourceLocation)
            #expect(copy.dualEvaluator?.readsCellsInPlace == false, sourceLocation: sourceLocation)
            let worst = zip(ah.hessian.joined(), bh.hessian.joined()).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(ah.hessian == bh.hessian, "\(name) Hessian at \(x): differs by up to \(worst)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The loop benchmarks that read a var array in a vectorised `~`, kernels on and off.
    @Test(arguments: ["arma11", "garch11"])
    func loopBenchmarks(name: String) throws {
        var model = try compileCatalogueModel(name)
        try compare(name, model, scale: ModelCatalogueTests.differenceScale(name))
        model.useLoopKernels = false
        try compare(name + " (tree)", model, points: 2, scale: ModelCatalogueTests.differenceScale(name), hessian: false)
    }

    /// Small models whose var arrays hold constants and model variables (a cell may even be a
    /// parameter itself), read as the variate, the location or the scale of a term, with
    /// scalar and array arguments, other distributions, two arrays in one term and a weight.
    @Test(arguments: [
        ("variate", "v ~ normal(mu, s)"),
        ("variate, constant scale", "v ~ normal(mu, 1.5)"),
        ("variate, data location", "v ~ normal(y, s)"),
        ("variate, array scale", "v ~ normal(mu, y2)"),
        ("scale", "y ~ normal(mu, w)"),
        ("scale, variable variate", "v ~ normal(mu, w)"),
        ("scale and variate", "v ~ normal(0.5, w)"),
        ("location", "y ~ normal(v, s)"),
        ("location and scale", "y ~ normal(v, w)"),
        ("student_t", "v ~ student_t(4, mu, s)"),
        ("cauchy scale", "y ~ cauchy(mu, w)"),
        ("lognormal", "w ~ lognormal(mu, s)"),
        ("weighted", "y ~ normal(mu, w) footing weight(0.25)"),
        ("weighted by a parameter", "y ~ normal(v, s) footing weight(inv_logit(mu))"),
        ("target", "target += normal_lpdf(v | mu, s) + normal_lpdf(y | mu, w)"),
        ("twice", "v ~ normal(v, w)"),
    ])
    func mixedCells(name: String, term: String) throws {
        let text = """
            data N: int
            data y: real[N]
            data y2: real[N]
            param mu: real
            param s: real<lower=0>
            param b: real[N]
            var v: real[N]
            var w: real[N]
            v[1] = 0.25
            w[1] = 1.5
            v[2] = mu
            w[2] = s
            for t in 3..N {
              v[t] = mu + 0.5 * b[t] - 0.1 * v[t - 1]
              w[t] = s + 0.2 * b[t - 1]^2
            }
            w[4] = 0.75
            mu ~ normal(0, 1)
            b ~ normal(0, 1)
            \(term)
            """
        let model = try compile(text, json: #"{"N": 6, "y": [0.3, -1.2, 0.8, 2.1, -0.4, 0.05], "y2": [1, 2, 0.5, 1.5, 3, 0.25]}"#)
        try compare(name, model, points: 3, scale: 0.5)
    }

    /// An int `var` array (its cells constants) as a count variate, and an empty `var` array
    /// (read as before: nothing to gather).
    @Test(arguments: [
        ("int cells", "var k: int[N]\nfor t in 1..N {\n  k[t] = t\n}\nk ~ poisson(lam)", 4, true),
        ("empty", "var e: real[N]\ne ~ normal(lam, 1)\nlam ~ exponential(1)", 0, false),
    ])
    func otherCells(name: String, body: String, n: Int, reads: Bool) throws {
        let model = try compile("data N: int<lower=0>\nparam lam: real<lower=0>\n" + body, json: "{\"N\": \(n)}")
        try compare(name, model, points: 2, reads: reads)
    }

    /// A `var` array with an unassigned element: the same located error as reading it.
    @Test(arguments: [
        ("variate", "v ~ normal(mu, 1)"),
        ("scale", "y ~ normal(mu, v)"),
        ("location", "y ~ normal(v, 1)"),
        ("later argument", "v2 ~ normal(mu, v)"),
    ])
    func unassignedCell(name: String, term: String) throws {
        let text = """
            data N: int
            data y: real[N]
            param mu: real
            var v: real[N]
            var v2: real[N]
            for t in 1..N {
              v2[t] = mu
            }
            v[1] = 1
            v[2] = exp(mu)
            v[4] = 2
            \(term)
            """
        var inPlace = try compile(text, json: #"{"N": 4, "y": [1, 2, 3, 4]}"#)
        var copy = copying(inPlace)
        let a = #expect(throws: RuntimeError.self) { _ = try inPlace.evaluate([0.3]) }
        let b = #expect(throws: RuntimeError.self) { _ = try copy.evaluate([0.3]) }
        #expect(a?.message == b?.message && a?.span == b?.span && a?.hint == b?.hint,
                "\(name): \(String(describing: a)) against \(String(describing: b))")
        #expect(a?.message == "'v[3]' is read before it is assigned", "\(name): \(String(describing: a?.message))")
        // Located at the read of v in the term (the last line).
        let bytes = Array(text.utf8), termStart = bytes.count - term.utf8.count
        if let span = a?.span {
            #expect(span.start >= termStart && String(decoding: bytes[span.start..<span.end], as: UTF8.self) == "v",
                    "\(name): \(span)")
        }
    }

    /// Arguments out of their domain, or a density that is not finite, in a cell read in
    /// place: the same message (with its row) and place as before.
    @Test(arguments: [
        ("negative scale", "y ~ normal(mu, v)", "sigma"),
        ("infinite scale", "y ~ normal(mu, u)", "sigma"),
        ("cauchy scale", "y ~ cauchy(mu, v)", "sigma"),
        ("lognormal variate", "v ~ lognormal(mu, 1)", "row 2"),
    ])
    func invalidCells(name: String, term: String, message: String) throws {
        let text = """
            data N: int
            data y: real[N]
            param mu: real
            var v: real[N]
            var u: real[N]
            for t in 1..N {
              v[t] = exp(mu) * (2 - t)
              u[t] = exp(mu)
            }
            u[3] = 1e308 * 10
            \(term)
            """
        var inPlace = try compile(text, json: #"{"N": 3, "y": [1, 2, 3]}"#)
        var copy = copying(inPlace)
        let a = #expect(throws: RuntimeError.self) { _ = try inPlace.evaluate([0.3]) }
        let b = #expect(throws: RuntimeError.self) { _ = try copy.evaluate([0.3]) }
        #expect(a?.message == b?.message && a?.span == b?.span, "\(name): \(String(describing: a)) against \(String(describing: b))")
        #expect(a?.message.contains(message) == true, "\(name): \(String(describing: a?.message))")
    }

    /// The normal row loops without var arrays (data or parameter arrays, a scalar location):
    /// the same numbers as the generic loop.
    @Test func normalRowsWithoutVars() throws {
        let text = """
            data N: int
            data y: real[N]
            data sds: real[N]
            param mu: real
            param s: real<lower=0>
            param b: real[N]
            param c: real<lower=0>[N]
            b ~ normal(mu, s)
            y ~ normal(mu, sds)
            y ~ normal(mu, c)
            b ~ normal(0.5, c)
            c ~ lognormal(0, 1)
            """
        let model = try compile(text, json: #"{"N": 5, "y": [0.3, -1.2, 0.8, 2.1, -0.4], "sds": [1, 2, 0.5, 1.5, 3]}"#)
        try compare("no vars", model, points: 3, scale: 0.5, reads: false)
    }
}
