// The straight-line programs of small models (FlatProgram.swift): which models get one, and
// that a log density and gradient computed by one equals the tree's (the evaluator every
// other test checks against finite differences and the Dual path) at seeded and edge points,
// to 1e-12. Anything the tree reports as an error must still be reported by the tree, with
// the same message.
import Foundation
import Testing
@testable import SynmRuntime

@Suite struct FlatProgramTests {
    static let cases: [InlineCase] = [
        .eightSchools,
        .constantBounds,
        // Element-wise arithmetic, scalar and array operands in both orders, unary minus,
        // squares, and constant sub-expressions (folded when compiled).
        InlineCase("arithmetic and broadcasting", """
            data d: real[3] = [0.5, 1.5, -2]
            data s: real[3] = [1, 2, 0.5]
            param u: real
            param v: real[3]
            let w = (u - v) * d / (2 * s) + v / (1 + u^2) - -u
            u ~ normal(0, 1)
            v ~ normal(0, 1)
            d ~ normal(w, 3 * s)
            """),
        // Every element-wise function the compiler covers.
        InlineCase("functions", scale: 0.8, """
            param u: real<lower=0.1, upper=0.9>
            param v: real[2]
            param p: real<lower=0>
            let f = exp(v) + log(p) + sqrt(p) + square(v) + inv_logit(v) + log1p(p) + expm1(v) + log1p_exp(v) + tanh(v) + logit(u) + lgamma(p + 1) + abs(v)
            u ~ beta(2, 2)
            v ~ normal(0, 1)
            p ~ gamma(2, 2)
            f ~ normal(0, 10)
            """),
        // Densities: student_t and lognormal with active arguments, the generic kernel
        // (gamma, gumbel), normal with an active array scale, an active scalar scale, a
        // constant scalar scale.
        InlineCase("densities", scale: 0.8, """
            data y: real[4] = [0.5, 1.25, 2, 0.75]
            param nu: real<lower=1>
            param m: real[4]
            param s: real<lower=0>[4]
            param t: real<lower=0>
            nu ~ gamma(2, 0.5)
            m ~ student_t(nu, 0, 2)
            s ~ lognormal(0, t)
            t ~ exponential(1)
            y ~ normal(m, s)
            y ~ normal(m, t)
            y ~ gumbel(m, 2)
            m ~ normal(0.5, 2)
            """),
        // cauchy with a constant scale (scalar and array: precomputed when compiled) and every
        // combination of active variate and location; and with an active scale (the kernel).
        InlineCase("cauchy", scale: 0.8, """
            data y: real[3] = [0.5, -1.25, 2]
            data w: real<lower=0>[3] = [1, 2.5, 0.5]
            param m: real
            param u: real[3]
            param r: real<lower=0>
            u ~ cauchy(0, 2)
            y ~ cauchy(m, w)
            u ~ cauchy(m, 1.5)
            y ~ cauchy(u, w)
            m ~ cauchy(0.5, r)
            r ~ cauchy(0, 5)
            """),
        // Closed forms: a data variate with scalar arguments.
        InlineCase("closed forms", """
            data y: real[5] = [0.5, -1.25, 2, 0.75, 1]
            data k: int[4] = [0, 1, 1, 0]
            data c: int[3] = [3, 0, 5]
            param mu: real
            param sigma: real<lower=0>
            param q: real<lower=0, upper=1>
            param lambda: real<lower=0>
            y ~ normal(mu, sigma)
            k ~ bernoulli(q)
            c ~ poisson(lambda)
            mu ~ normal(0, 1)
            sigma ~ exponential(1)
            lambda ~ gamma(2, 1)
            """),
        // `target +=` of an expression and of a density.
        InlineCase("target", """
            data y: real[3] = [0.5, -1.25, 2]
            param mu: real
            param v: real[3]
            target += -0.5 * square(mu)
            target += -0.5 * square(v)
            target += normal_lpdf(y | mu, 2)
            """),
    ]

    /// Value and gradient by the straight-line program and by the tree.
    static func bothPaths(_ model: CompiledModel, at x: [Double]) -> (flat: (Double, [Double]), tree: (Double, [Double])) {
        var flat = model, tree = model
        tree.usesFlatProgram = false
        var gf = [Double](repeating: .nan, count: x.count), gt = gf
        let vf = flat.logDensityAndGradient(x, gradient: &gf)
        let vt = tree.logDensityAndGradient(x, gradient: &gt)
        return ((vf, gf), (vt, gt))
    }

    @Test(arguments: cases)
    func straightLineProgramMatchesTheTree(_ c: InlineCase) throws {
        let model = try compile(c.text)
        #expect(model.runsFlatProgram, "\(c.name): no straight-line program")
        for x in c.points(dimension: model.dimension) {
            let (flat, tree) = Self.bothPaths(model, at: x)
            #expect(flat.0.isFinite == tree.0.isFinite, "\(c.name): flat \(flat.0), tree \(tree.0) at \(x)")
            guard tree.0.isFinite else { continue }
            #expect(relativeError(flat.0, tree.0) <= 1e-12, "\(c.name): value \(flat.0) vs \(tree.0) at \(x)")
            #expect(maxRelativeError(flat.1, tree.1) <= 1e-12,
                    "\(c.name): gradient \(flat.1) vs \(tree.1) at \(x)")
        }
    }

    /// A footing weight (a reweighted term) scales the term's value and partials.
    @Test func constantWeightsMatchTheTree() throws {
        let base = try compile(Self.cases[0].text)
        let likelihood = try #require(base.terms.last?.id)
        let model = base.reweighted([likelihood: 0.25])
        #expect(model.runsFlatProgram)
        for x in randomPoints(dimension: model.dimension, count: 10, seed: 11) {
            let (flat, tree) = Self.bothPaths(model, at: x)
            #expect(relativeError(flat.0, tree.0) <= 1e-12)
            #expect(maxRelativeError(flat.1, tree.1) <= 1e-12)
        }
        // Weight 0 leaves the term out.
        let without = base.reweighted([likelihood: 0])
        let x = randomPoints(dimension: model.dimension, count: 1, seed: 12)[0]
        let (flat, tree) = Self.bothPaths(without, at: x)
        #expect(without.runsFlatProgram && relativeError(flat.0, tree.0) <= 1e-12)
    }

    /// Two likelihood terms before two priors: dropping the first moves every later constant.
    static let twoLikelihoods = """
        data y: real[3] = [0.5, -1.25, 2]
        data z: real[2] = [3, 4]
        param m: real
        param s: real<lower=0>
        y ~ normal(m + 7, 2.5)
        z ~ normal(m * 11, s)
        m ~ normal(0, 1)
        s ~ exponential(1)
        """

    /// A model that has already run its program, then reweighted (as footing variants are made
    /// from a fitted model): the copy runs its own program with its own registers, not the
    /// scratch of the one it was copied from (dropping a term moves every later constant).
    @Test func reweightingAnEvaluatedModel() throws {
        var base = try compile(Self.twoLikelihoods)
        var g = [Double](repeating: 0, count: base.dimension)
        _ = base.logDensityAndGradient([0.3, -0.2], gradient: &g)
        let first = try #require(base.terms.first?.id)
        for weight in [0.0, 0.5] {
            let model = base.reweighted([first: weight])
            #expect(model.runsFlatProgram)
            for x in randomPoints(dimension: model.dimension, count: 5, seed: 13) {
                let (flat, tree) = Self.bothPaths(model, at: x)
                #expect(relativeError(flat.0, tree.0) <= 1e-12, "weight \(weight): \(flat.0) vs \(tree.0)")
                #expect(maxRelativeError(flat.1, tree.1) <= 1e-12, "weight \(weight)")
            }
        }
    }

    /// A chain of copies whose first is dropped: the second's scratch keeps the first's program,
    /// so the third's program cannot take its place at the same address and run on registers
    /// laid out for another program (which it did, reading the wrong constants, when the
    /// scratch named its program only by address).
    @Test func reweightingACopyOfADroppedModel() throws {
        let text = Self.twoLikelihoods
        for trial in 0..<20 {
            var m1: CompiledModel
            do {
                var m0 = try compile(text)
                var g = [Double](repeating: 0, count: m0.dimension)
                _ = m0.logDensityAndGradient([0.3, -0.2], gradient: &g)
                m1 = m0.reweighted([m0.terms[1].id: 0.5])
            }
            let model = m1.reweighted([m1.terms[0].id: 0])
            let (flat, tree) = Self.bothPaths(model, at: [0.3, -0.2])
            #expect(relativeError(flat.0, tree.0) <= 1e-12, "trial \(trial): \(flat.0) vs \(tree.0)")
        }
    }

    /// Programs with anything the compiler does not cover walk the tree.
    @Test(arguments: [
        "param b: real[2]\nfor i in 1..2 {\n  b[i] ~ normal(0, 1)\n}",                         // a loop
        "param s: simplex[3]\ns ~ dirichlet([1, 1, 1])",                                      // a constrained type
        "param m: real[2, 2]\nm[1] ~ normal(0, 1)\nm[2] ~ normal(0, 1)",                         // rows of a matrix
        "param a: real\nparam b: real<lower=a>\nb ~ normal(0, 1)\na ~ normal(0, 1)",           // a bound that varies
        "param a: real\nif a > 0 {\n  a ~ normal(0, 1)\n} else {\n  a ~ normal(0, 2)\n}",     // control flow
        "param t: real<lower=0>\nt ~ normal(0, 1) T[0, ]",                                     // truncation
    ])
    func uncoveredProgramsWalkTheTree(_ text: String) throws {
        let model = try compile(text)
        #expect(!model.runsFlatProgram, "\(text)")
    }

    /// The catalogue's small models take the program; the others keep their own paths.
    @Test func catalogueModels() throws {
        for name in ["eight_schools", "normal", "coin"] {
            let model = try compileCatalogueModel(name)
            #expect(model.runsFlatProgram, "\(name) has no straight-line program")
            for x in randomPoints(dimension: model.dimension, count: 5, seed: 3) {
                let (flat, tree) = Self.bothPaths(model, at: x)
                #expect(relativeError(flat.0, tree.0) <= 1e-12, "\(name): \(flat.0) vs \(tree.0)")
                #expect(maxRelativeError(flat.1, tree.1) <= 1e-12, "\(name): \(flat.1) vs \(tree.1)")
            }
        }
        for name in ["arma11", "logistic_regression", "hier_poisson", "loaded_die"] {
            #expect(!(try compileCatalogueModel(name)).runsFlatProgram, "\(name) should keep its own path")
        }
    }

    /// An argument outside its domain or a term that is not finite: the tree evaluates and
    /// reports it, as without the program; and explainNonFinite names each point's own problem,
    /// not one left by an earlier point's fallback (at m = 0 the gradient of √|m| is NaN).
    @Test func failuresAreReportedByTheTree() throws {
        var model = try compile("""
            data y: real[2] = [1, 2]
            param s: real
            param m: real
            y ~ normal(m, s)
            target += sqrt(abs(m))
            """)
        #expect(model.runsFlatProgram)
        var g = [0.0, 0.0]
        #expect(model.logDensityAndGradient([-1, 0], gradient: &g) == -.infinity)
        let message = model.explainNonFinite([-1, 0])
        var tree = model
        tree.usesFlatProgram = false
        #expect(message != nil && message == tree.explainNonFinite([-1, 0]))
        #expect(message?.contains("sigma") == true, "\(message ?? "nil")")
        // Valid again afterwards: the program is used and agrees with the tree.
        let (flat, treeValue) = Self.bothPaths(model, at: [0.5, 0.25])
        #expect(flat.0.isFinite && relativeError(flat.0, treeValue.0) <= 1e-12)
        #expect(model.explainNonFinite([-1, 0.5])?.contains("sigma must be > 0") == true)
        #expect(model.explainNonFinite([0.5, 0]) == "the gradient of m is NaN")
    }
}
