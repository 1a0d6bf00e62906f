// Loops of `~` run as vectorised terms (Sources/SynmRuntime/Compiler+LoopVectorise.swift)
// against the same loops run as written (loop kernel) and walked as a tree: the same values,
// gradients and Hessians (to 1e-12 relative: only the order of sums differs), per term, for
// the prior and the likelihood alone; the same errors with the same locations; and loops the
// rewrite must leave alone.
import Foundation
import SynmDiagnostics
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct LoopVectoriseTests {
    /// How many loops of a model have a vectorised form.
    func vectorisedCount(_ model: CompiledModel) -> Int { model.program.vectorisedLoops.filter { $0 != nil }.count }

    /// Value and gradient vectorised, as a loop kernel and as a tree, at seeded points, for the
    /// whole density, the prior, the likelihood and each term; the Hessian when `hessian`.
    func compare(_ name: String, _ model: CompiledModel, points: Int = 4, hessian: Bool = true,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var vectorised = model
        var kernel = model
        kernel.vectorisesLoops = false
        var tree = model
        tree.useLoopKernels = false
        var seed: UInt64 = 0x7EC
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        var options = [CompiledModel.Options(), CompiledModel.Options(prior: false),
                       CompiledModel.Options(likelihood: false)]
        options += model.terms.map { CompiledModel.Options(onlyTerm: $0.id) }
        for x in randomPoints(dimension: model.dimension, count: points, seed: seed, scale: 0.8) {
            for o in options {
                let runs = vectorised.evaluator.vectorisedLoopRuns
                let v = try vectorised.evaluate(x, options: o)
                let k = try kernel.evaluate(x, options: o), t = try tree.evaluate(x, options: o)
                if o.onlyTerm == nil {
                    #expect(vectorised.evaluator.vectorisedLoopRuns > runs, "\(name): no vectorised loop ran",
                            sourceLocation: sourceLocation)
                }
                for (other, label) in [(k, "kernel"), (t, "tree")] {
                    #expect(relativeError(v.value, other.value) <= 1e-12,
                            "\(name) \(o) value at \(x): vectorised \(v.value), \(label) \(other.value)",
                            sourceLocation: sourceLocation)
                    #expect(maxRelativeError(v.gradient, other.gradient) <= 1e-12,
                            "\(name) \(o) gradient at \(x): vectorised \(v.gradient), \(label) \(other.gradient)",
                            sourceLocation: sourceLocation)
                }
            }
            guard hessian else { continue }
            let vh = try vectorised.hessian(x), th = try tree.hessian(x)
            let v = try vectorised.evaluate(x)
            #expect(vh.value == v.value && vh.gradient == v.gradient, "\(name): Dual and Double paths differ",
                    sourceLocation: sourceLocation)
            let scale = Swift.max(th.hessian.joined().map { Swift.abs($0) }.max() ?? 0, 1)
            let worst = zip(vh.hessian.joined(), th.hessian.joined()).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-12 * scale, "\(name) Hessian at \(x): vectorised and tree differ by \(worst)",
                    sourceLocation: sourceLocation)
        }
    }

    /// local_level (1002 coordinates): its one loop is vectorised; values and gradients only.
    @Test func localLevel() throws {
        let model = try compileCatalogueModel("local_level")
        #expect(vectorisedCount(model) == 1)
        let loop = try #require(model.program.vectorisedLoops.compactMap { $0 }.first)
        #expect(loop.iterations == 999 && loop.terms.count == 1)
        try compare("local_level", model, points: 2, hessian: false)
    }

    static let data = #"{"N": 6, "y": [0.3, -1.2, 0.8, 2.1, -0.4, 0.9], "k": [1, 0, 3, 2, 5, 1]}"#
    static let header = "data N: int\ndata y: real[N]\ndata k: int[N]\nparam x: real[N]\nparam mu: real\nparam s: real<lower=0>\n"

    /// Loops the rewrite takes: offsets either way, several `~` in one body, scalar parameter,
    /// data and let arguments, a data variate, a constant weight, a var read, element-wise
    /// expressions of elements.
    @Test(arguments: [
        ("offset t+1", "for t in 1..N - 1 {\n  x[t] ~ normal(x[t + 1], s)\n}\nx[N] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("offset t-2", "for t in 3..N {\n  x[t] ~ normal(x[t - 2], s)\n}\nx[1] ~ normal(0, 1)\nx[2] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("three tildes", "for t in 2..N {\n  x[t] ~ normal(x[t - 1], s)\n  y[t] ~ normal(x[t], 1.5)\n  mu ~ normal(x[t - 1], 3)\n}\nx[1] ~ normal(0, 1)"),
        ("two tildes", "for t in 2..N {\n  x[t] ~ normal(x[t - 1], s)\n  y[t] ~ normal(x[t], 1.5)\n}\nx[1] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("data variate", "for i in 1..N {\n  y[i] ~ normal(mu, s)\n}\nmu ~ normal(0, 3)\ns ~ lognormal(0, 1)\nx ~ normal(0, 1)"),
        ("data variate and element", "for i in 1..N {\n  y[i] ~ student_t(4, x[i], s)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("counts", "for i in 1..N {\n  k[i] ~ poisson_log(x[i])\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("scalar variate", "for i in 1..N {\n  mu ~ normal(x[i], s)\n}\nx ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("let argument", "let tau = exp(mu)\nfor i in 2..N {\n  x[i] ~ cauchy(x[i - 1], tau)\n}\nx[1] ~ normal(0, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("weight", "for i in 1..N {\n  y[i] ~ normal(x[i], s) footing power(0.25)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("var read", "var m: real[N]\nfor i in 1..N {\n  m[i] = mu * i\n}\nfor i in 2..N {\n  x[i] ~ normal(m[i - 1], s)\n}\nx[1] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("offset argument", "for t in 2..N {\n  x[t] ~ normal(mu + x[t - 1], s)\n}\nx[1] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("ar1 expression", "for t in 2..N {\n  x[t] ~ normal(mu + tanh(mu) * (x[t - 1] - mu), s)\n}\nx[1] ~ normal(0, 1)\ns ~ lognormal(0, 1)"),
        ("functions of elements", "for i in 1..N {\n  y[i] ~ normal(-exp(x[i]) + 1, s / 2)\n  k[i] ~ poisson(exp(x[i]) / s)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)"),
        ("inner loop, outer counter", "for j in 1..2 {\n  x ~ normal(mu, j)\n  for i in 1..N {\n    y[i] ~ normal(x[i], s * j)\n  }\n}\nmu ~ normal(0, 1)"),
        ("double_exponential", "for i in 1..N {\n  y[i] ~ double_exponential(x[i], s)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)"),
    ])
    func vectorisedLoopsAgree(name: String, body: String) throws {
        let model = try compile(Self.header + body, json: Self.data)
        #expect(vectorisedCount(model) >= 1, "\(name): no loop vectorised")
        try compare(name, model)
    }

    /// Loops the rewrite must leave as written: the same density all the same.
    @Test(arguments: [
        ("index 2*t", "for t in 1..3 {\n  x[2 * t] ~ normal(mu, s)\n}\nx ~ normal(0, 1)"),
        ("assignment", "var e: real[N]\nfor t in 1..N {\n  e[t] = x[t] - mu\n  y[t] ~ normal(e[t], s)\n}\nx ~ normal(0, 1)"),
        ("var assigned in the loop", "var e: real[N]\ne[1] = mu\nfor t in 2..N {\n  e[t] = e[t - 1] + x[t]\n  y[t] ~ normal(e[t - 1], s)\n}\nx ~ normal(0, 1)"),
        ("if", "for t in 1..N {\n  if t > 2 {\n    y[t] ~ normal(x[t], s)\n  }\n}\nx ~ normal(mu, 1)"),
        ("target", "for t in 1..N {\n  y[t] ~ normal(x[t], s)\n  target += -x[t]^2\n}\nx ~ normal(mu, 1)"),
        ("counter argument", "for t in 1..N {\n  y[t] ~ normal(mu * t + x[t], s)\n}\nx ~ normal(0, 1)"),
        ("power", "for t in 1..N {\n  y[t] ~ normal(x[t]^2, s)\n}\nx ~ normal(mu, 1)"),
        ("no element", "for t in 1..N {\n  mu ~ normal(0, s)\n}\nx ~ normal(0, 1)"),
        ("bound from the counter", "for t in 1..N {\n  for u in 1..t {\n    y[u] ~ normal(x[u], s)\n  }\n}\nx ~ normal(mu, 1)"),
        ("weight expression", "for t in 1..N {\n  y[t] ~ normal(x[t], s) footing weight(inv_logit(mu))\n}\nx ~ normal(0, 1)"),
    ])
    func refusedLoopsStayLoops(name: String, body: String) throws {
        let model = try compile(Self.header + body, json: Self.data)
        #expect(vectorisedCount(model) == 0, "\(name): a loop was vectorised")
        var vectorised = model, tree = model
        tree.useLoopKernels = false
        for x in randomPoints(dimension: model.dimension, count: 2, seed: 0xF00D, scale: 0.8) {
            let v = try vectorised.evaluate(x), t = try tree.evaluate(x)
            #expect(relativeError(v.value, t.value) <= 1e-12 && maxRelativeError(v.gradient, t.gradient) <= 1e-12,
                    "\(name) at \(x)")
        }
        #expect(vectorised.evaluator.vectorisedLoopRuns == 0)
    }

    /// Elements of parameters of constrained types (ordered, simplex: rank-1 values).
    @Test func constrainedParameters() throws {
        let model = try compile("""
        data y: real[4] = [0.1, 0.5, 1.2, 2]
        param c: ordered[4]
        param theta: simplex[4]
        for i in 1..4 {
            y[i] ~ normal(c[i], theta[i] + 0.5)
        }
        """)
        #expect(vectorisedCount(model) == 1)
        try compare("constrained", model, points: 3)
    }

    /// A `var` slice reads only the elements the loop reads: one left unassigned outside it is
    /// no error.
    @Test func varSliceReadsOnlyItsElements() throws {
        let model = try compile(Self.header + "var m: real[N]\nfor i in 1..N - 1 {\n  m[i] = mu * i\n}\nfor i in 2..N {\n  x[i] ~ normal(m[i - 1], s)\n}\nx[1] ~ normal(0, 1)", json: Self.data)
        #expect(vectorisedCount(model) == 1)
        try compare("var slice", model, points: 2)
    }

    /// An index out of range for some rows keeps the loop, which reports it at run time.
    @Test func indexOutOfRangeKeepsTheLoop() throws {
        let text = Self.header + "for t in 1..N - 1 {\n  x[t] ~ normal(x[t + 2], s)\n}\nmu ~ normal(0, 1)"
        var model = try compile(text, json: Self.data)
        #expect(vectorisedCount(model) == 0)
        var tree = model
        tree.useLoopKernels = false
        let x = [Double](repeating: 0.1, count: model.dimension)
        let v = #expect(throws: RuntimeError.self) { _ = try model.evaluate(x) }
        let t = #expect(throws: RuntimeError.self) { _ = try tree.evaluate(x) }
        #expect(v?.message == t?.message && v?.span == t?.span && v?.message.contains("out of range") == true)
    }

    /// An empty loop (lo > hi) is vectorised as nothing, and adds nothing.
    @Test func emptyLoopAddsNothing() throws {
        let text = Self.header + "for t in 4..3 {\n  x[t] ~ normal(x[t - 10], -1)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"
        let model = try compile(text, json: Self.data)
        let loop = try #require(model.program.vectorisedLoops.compactMap { $0 }.first)
        #expect(loop.iterations == 0 && loop.terms.isEmpty)
        let without = try compile(Self.header + "x ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)", json: Self.data)
        var a = model, b = without
        for x in randomPoints(dimension: model.dimension, count: 2, seed: 0xE, scale: 0.8) {
            let va = try a.evaluate(x), vb = try b.evaluate(x)
            #expect(va.value == vb.value && va.gradient == vb.gradient)
        }
    }

    /// A loop that goes wrong at run time: the evaluation is redone as a tree, which reports
    /// the loop's own error at its own location; the model evaluates again afterwards.
    @Test(arguments: [
        ("bad scale", "for t in 2..N {\n  x[t] ~ normal(x[t - 1], mu)\n}\nx[1] ~ normal(0, 1)", "normal"),
        ("bad scale, second term", "for t in 2..N {\n  x[t] ~ normal(x[t - 1], 1)\n  y[t] ~ normal(x[t], mu)\n}\nx[1] ~ normal(0, 1)", "normal"),
        ("variate outside the support", "for t in 1..N {\n  y[t] ~ exponential(exp(mu))\n}\nx ~ normal(0, 1)", "exponential"),
        ("unassigned var element", "var m: real[N]\nm[1] = mu\nfor t in 2..N {\n  x[t] ~ normal(m[t - 1], 1)\n}\nx[1] ~ normal(0, 1)", "before it is assigned"),
    ])
    func errorsAreTheLoopsErrors(name: String, body: String, message: String) throws {
        let text = "data N: int\ndata y: real[N]\nparam x: real[N]\nparam mu: real\n" + body
        var vectorised = try compile(text, json: #"{"N": 4, "y": [1, -2, 3, 0.5]}"#)
        #expect(vectorisedCount(vectorised) == 1, "\(name): the loop is not vectorised")
        var tree = vectorised
        tree.useLoopKernels = false
        var kernel = vectorised
        kernel.vectorisesLoops = false
        let x = [0.1, 0.2, 0.3, 0.4, -0.5]
        let v = #expect(throws: RuntimeError.self) { _ = try vectorised.evaluate(x) }
        let k = #expect(throws: RuntimeError.self) { _ = try kernel.evaluate(x) }
        let t = #expect(throws: RuntimeError.self) { _ = try tree.evaluate(x) }
        #expect(v?.message == t?.message && v?.span == t?.span, "\(name): vectorised \(String(describing: v)), tree \(String(describing: t))")
        #expect(k?.message == t?.message && k?.span == t?.span)
        #expect(v?.message.contains(message) == true, "\(name): \(String(describing: v?.message))")
        let vh = #expect(throws: RuntimeError.self) { _ = try vectorised.hessian(x) }
        #expect(vh?.message == t?.message && vh?.span == t?.span, "\(name): Hessian \(String(describing: vh))")
        if name.hasPrefix("bad scale") {
            let good = [0.1, 0.2, 0.3, 0.4, 0.5]
            let runs = vectorised.evaluator.vectorisedLoopRuns
            let a = try vectorised.evaluate(good), b = try tree.evaluate(good)
            #expect(vectorised.evaluator.vectorisedLoopRuns > runs)
            #expect(relativeError(a.value, b.value) <= 1e-12 && maxRelativeError(a.gradient, b.gradient) <= 1e-12)
        }
    }

    /// A reweighted model (how footing variants are made) is vectorised with its new weights.
    @Test func reweightedLoop() throws {
        let text = Self.header + "for i in 1..N {\n  y[i] ~ normal(x[i], s)\n}\nx ~ normal(mu, 1)\nmu ~ normal(0, 1)\ns ~ lognormal(0, 1)"
        let model = try compile(text, json: Self.data)
        let id = try #require(model.terms.first { $0.label == "y[i]" }?.id)
        for w in [0.0, 0.3] {
            let reweighted = model.reweighted([id: w])
            #expect(vectorisedCount(reweighted) == 1)
            try compare("reweighted \(w)", reweighted, points: 2, hessian: false)
        }
    }
}
