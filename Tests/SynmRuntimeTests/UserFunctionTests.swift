// User-defined functions at run time: inlined calls give the same log density and gradient
// as the model written out by hand (1e-12), exact gradients against finite differences,
// Dual Hessians against finite differences of the gradient, early returns, errors located
// inside the function with the call site named, `_rng` functions in generated quantities,
// simulation, and determinism.
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

/// Expects two models to have the same log density and gradient (1e-12 relative, floored at
/// 1 absolute as `relativeError`) at seeded points.
func expectSameDensity(_ a: String, _ b: String, json: String? = nil, tolerance: Double = 1e-12, scale: Double = 1.0,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    var m1 = try compile(a, json: json), m2 = try compile(b, json: json)
    #expect(m1.dimension == m2.dimension, sourceLocation: sourceLocation)
    for x in randomPoints(dimension: m1.dimension, count: 10, seed: 0xF11, scale: scale) {
        let (v1, g1) = try m1.evaluate(x), (v2, g2) = try m2.evaluate(x)
        #expect(v1.isFinite, sourceLocation: sourceLocation)
        #expect(relativeError(v1, v2) <= tolerance, "value at \(x): \(v1) with functions, \(v2) written out",
                sourceLocation: sourceLocation)
        #expect(maxRelativeError(g1, g2) <= tolerance, "gradient at \(x): \(g1) with functions, \(g2) written out",
                sourceLocation: sourceLocation)
    }
}

@Suite struct UserFunctionTests {
    static let weighted = """
        fn weighted(x: real, ys: real[], k: int) -> real {
            var s: real = 0
            for i in 1..size(ys) { s = s + ys[i] * x }
            return s + k
        }

        """

    @Test func sameAsWrittenOut() throws {
        let data = "data y: real[4] = [0.5, -1.25, 2.0, 0.75]\nparam mu: real\nparam sigma: real<lower=0>\n"
        try expectSameDensity(Self.weighted + data + """
            mu ~ normal(weighted(sigma, y, 2), 3)
            y ~ normal(mu, sigma)
            """, data + """
            var s: real = 0
            for i in 1..size(y) { s = s + y[i] * sigma }
            mu ~ normal(s + 2, 3)
            y ~ normal(mu, sigma)
            """)
    }

    /// Functions returning arrays, calling other functions, a matrix argument, a loop over
    /// a parameter array argument, and a user density with `~` and `_lpdf(y | …)`.
    @Test func nestedCallsArraysAndDensities() throws {
        let functions = """
            fn affine(X: real[,], b: real[], a: real) -> real[] {
                return a + X * b
            }
            fn sq_norm(v: real[]) -> real {
                var s: real = 0
                for i in 1..size(v) { s = s + square(v[i]) }
                return s
            }
            fn gauss_lpdf(y: real[], mu: real[], sigma: real) -> real {
                return -0.5 * sq_norm((y - mu) / sigma) - size(y) * (log(sigma) + 0.5 * log(2 * pi_()))
            }

            """.replacingOccurrences(of: "pi_()", with: "3.141592653589793")
        let data = """
            data X: real[3, 2] = [[1, 0.5], [-0.3, 2], [0.7, -1.1]]
            data y: real[3] = [0.2, 1.9, -0.4]
            param a: real
            param b: real[2]
            param sigma: real<lower=0>
            a ~ normal(0, 2)
            b ~ normal(0, 1)
            sigma ~ exponential(1)

            """
        try expectSameDensity(functions + data + "y ~ gauss(affine(X, b, a), sigma)\n",
                              data + "y ~ normal(a + X * b, sigma)\n", tolerance: 1e-10)
        try expectSameDensity(functions + data + "target += gauss_lpdf(y | affine(X, b, a), sigma)\n",
                              functions + data + "y ~ gauss(affine(X, b, a), sigma)\n", tolerance: 0)
        try checkInlineModel(InlineCase("nested functions", functions + data + "y ~ gauss(affine(X, b, a), sigma)\n"))
    }

    /// The zero-inflated Poisson of Stan's User's Guide as a `_lpmf` function with an if/else
    /// on the count, against the same written in the model.
    @Test func zeroInflatedPoissonMassFunction() throws {
        let data = """
            data y: int[6] = [0, 3, 0, 1, 0, 5]
            param theta: real<lower=0, upper=1>
            param lambda: real<lower=0>
            lambda ~ gamma(2, 1)

            """
        let zip = """
            fn zip_lpmf(n: int, theta: real, lambda: real) -> real {
                if n == 0 {
                    return log_sum_exp(log(theta), log1m(theta) + poisson_lpmf(n | lambda))
                }
                return log1m(theta) + poisson_lpmf(n | lambda)
            }

            """
        let withFunction = zip + data + "for i in 1..size(y) { y[i] ~ zip(theta, lambda) }\n"
        try expectSameDensity(withFunction, data + """
            for i in 1..size(y) {
                if y[i] == 0 {
                    target += log_sum_exp(log(theta), log1m(theta) + poisson_lpmf(y[i] | lambda))
                } else {
                    target += log1m(theta) + poisson_lpmf(y[i] | lambda)
                }
            }
            """)
        try checkInlineModel(InlineCase("zero-inflated Poisson", withFunction))
        // y is data on the left of a user density: a likelihood term.
        var m = try compile(withFunction)
        #expect(m.terms.map(\.isLikelihood) == [false, true])
        let x = [0.2, 0.4]
        let prior = try m.evaluate(x, options: .init(jacobian: false, likelihood: false)).value
        let total = try m.evaluate(x, options: .init(jacobian: false)).value
        #expect(prior != total && prior.isFinite)
    }

    @Test func gradientsAndHessians() throws {
        try checkInlineModel(InlineCase("weighted", Self.weighted + """
            data y: real[3] = [0.5, -1.25, 2.0]
            param mu: real
            param sigma: real<lower=0>
            mu ~ normal(weighted(sigma, y, 2), 3)
            y ~ normal(mu, sigma)
            """))
        // An early return on a parameter: a kink at mu = 0 (unconstrained 0).
        try checkInlineModel(InlineCase("early return", kinks: [0], """
            fn soft(x: real) -> real {
                if x > 0 {
                    return log1p(x)
                }
                var y: real = x
                return y - square(x)
            }
            param mu: real
            target += -square(soft(mu) - 0.3)
            """))
    }

    /// The values of early returns: from an `if`, from inside a loop (the remaining
    /// iterations and statements skipped), and at the end. `target += mu * f(…)` has
    /// gradient f(…) exactly.
    @Test(arguments: [
        ("first_above(y, 1.0)", 2.0), ("first_above(y, 2.5)", 3.0), ("first_above(y, 9.0)", -1.0),
        ("clip(5.0, 2.0)", 2.0), ("clip(1.5, 2.0)", 1.5), ("count_to(y, 2.5)", 3.0),
    ])
    func earlyReturns(call: String, expected: Double) throws {
        var m = try compile("""
            fn first_above(ys: real[], c: real) -> real {
                for i in 1..size(ys) {
                    if ys[i] > c {
                        return ys[i]
                    }
                }
                return -1
            }
            fn clip(x: real, hi: real) -> real {
                if x > hi { return hi }
                return x
            }
            fn count_to(ys: real[], c: real) -> int {
                var n: int = 0
                for i in 1..size(ys) {
                    n = n + 1
                    if ys[i] > c { return n }
                }
                return 0
            }
            data y: real[4] = [0.5, 2.0, 3.0, 4.0]
            param mu: real
            target += mu * \(call)
            """)
        #expect(try m.evaluate([0.3]).gradient == [expected])
    }

    /// A parameter-dependent early return inside a loop, as the model written out with a
    /// flag; and the same function called from a loop of the model.
    @Test func earlyReturnInALoopMatchesAFlag() throws {
        try expectSameDensity("""
            fn first_over(v: real[], c: real) -> real {
                for i in 1..size(v) {
                    if v[i] > c { return v[i] * c }
                }
                return c
            }
            param theta: real[4]
            theta ~ normal(0, 1)
            for j in 1..3 {
                target += -square(first_over(theta, 0.1 * j))
            }
            """, """
            param theta: real[4]
            theta ~ normal(0, 1)
            for j in 1..3 {
                var found: int = 0
                var r: real = 0.1 * j
                for i in 1..4 {
                    if found == 0 {
                        if theta[i] > 0.1 * j {
                            r = theta[i] * (0.1 * j)
                            found = 1
                        }
                    }
                }
                target += -square(r)
            }
            """)
    }

    @Test func errorsNameTheFunctionAndTheCall() throws {
        let text = """
            fn pick(ys: real[], i: int) -> real {
                return ys[i]
            }
            fn outer(ys: real[], j: int) -> real {
                return pick(ys, j + 1) * 2
            }
            data y: real[3] = [1, 2, 3]
            param mu: real
            for j in 1..3 {
                mu ~ normal(outer(y, j), 1)
            }
            """
        var m = try compile(text)
        let message = "index 4 is out of range for 'ys' (1..3); in 'pick' called at line 5, column 12, from 'outer' called at line 10, column 17"
        try expectLocatedRuntimeError(message) { _ = try m.evaluate([0.1]) }
        do {
            _ = try m.evaluate([0.1])
        } catch let e as RuntimeError {
            // Located inside the function, at `ys[i]`.
            #expect(e.span?.start == text.utf8.count - text[text.range(of: "ys[i]")!.lowerBound...].utf8.count)
        }
        // A domain error that depends on the parameter: lchoose needs 0 <= y <= x.
        var d = try compile("""
            fn lc(x: real) -> real {
                return lchoose(x, 3.0)
            }
            param mu: real
            mu ~ normal(lc(mu), 1)
            """)
        try expectLocatedRuntimeError("lchoose: needs 0 <= y <= x, got x = 1, y = 3; in 'lc' called at line 5, column 13") {
            _ = try d.evaluate([1.0])
        }
        #expect(try d.evaluate([4.0]).value.isFinite)
    }

    @Test func errorsFoundWhenCompiling() throws {
        // Data arguments fold: the bad index is found before sampling, with the call site.
        try expectLocatedRuntimeError("index 4 is out of range for 'ys' (1..3); in 'pick' called at line 5, column 13") {
            _ = try compile("""
                fn pick(ys: real[], i: int) -> real {
                    return ys[i]
                }
                param mu: real
                mu ~ normal(pick([1.0, 2, 3], 4), 1)
                """)
        }
        // A local's size must be known before sampling at each call.
        try expectLocatedRuntimeError("the size of 'v' in 'zeros' is not known before sampling at this call; in 'zeros' called at line 7, column 17") {
            _ = try compile("""
                fn zeros(n: int) -> real {
                    var v: real[n] = rep(n)
                    return sum(v)
                }
                param mu: real
                for j in 1..3 {
                    mu ~ normal(zeros(j), 1)
                }
                """.replacingOccurrences(of: "rep(n)", with: "[0.0]"))
        }
        // With a data size it compiles, and each call site gets its own local.
        var m = try compile("""
            fn ramp(n: int, x: real) -> real {
                var v: real[n]
                for i in 1..n { v[i] = i * x }
                return sum(v)
            }
            param mu: real
            target += ramp(3, mu) + ramp(2, mu)
            """)
        #expect(try m.evaluate([0.5]).gradient == [9])
    }

    /// A loop whose assignments call straight-line functions (lets and a return) is still a
    /// loop kernel: arma11 with its prediction as a function agrees with the tree and with
    /// arma11 as written (1e-12), and an error inside the function still names the call.
    @Test func callsInLoopKernels() throws {
        let text = """
            fn arma_prediction(mu: real, phi: real, theta: real, y_prev: real, err_prev: real) -> real {
                let ar = phi * y_prev
                return mu + ar + theta * err_prev
            }
            data T: int<lower=1>
            data y: real[T]
            param mu: real
            param phi: real
            param theta: real
            param sigma: real<lower=0>
            mu ~ normal(0, 10)
            phi ~ normal(0, 2)
            theta ~ normal(0, 2)
            sigma ~ cauchy(0, 2.5)
            var nu: real[T]
            var err: real[T]
            nu[1] = mu + phi * mu
            err[1] = y[1] - nu[1]
            for t in 2..T {
                nu[t] = arma_prediction(mu, phi, theta, y[t - 1], err[t - 1])
                err[t] = y[t] - nu[t]
            }
            err ~ normal(0, sigma)
            """
        let json = try String(contentsOf: repositoryRoot.appendingPathComponent("models/arma11.data.json"), encoding: .utf8)
        let model = try compile(text, json: json)
        #expect(model.program.loopKernels.contains { $0 != nil }, "the loop does not run as a kernel")
        try LoopKernelTests().compareWithTree("arma11 with a function", model, scale: 0.4, kernelsRun: true)
        var written = try compileCatalogueModel("arma11"), withFunction = model
        for x in randomPoints(dimension: 4, count: 5, seed: 0xA11, scale: 0.4) {
            let (v1, g1) = try withFunction.evaluate(x), (v2, g2) = try written.evaluate(x)
            #expect(relativeError(v1, v2) <= 1e-12 && maxRelativeError(g1, g2) <= 1e-12, "at \(x): \(v1) vs \(v2)")
        }
        var failing = try compile("""
            fn lp(x: real, s: real) -> real {
                return normal_lpdf(x | 0, s)
            }
            data y: real[3] = [0.5, 1.0, -0.25]
            param s: real
            var acc: real[3]
            for t in 1..3 {
                acc[t] = lp(y[t], s)
            }
            target += sum(acc)
            """)
        #expect(failing.program.loopKernels.contains { $0 != nil })
        let runs = failing.evaluator.kernelRuns
        _ = try failing.evaluate([0.5])
        #expect(failing.evaluator.kernelRuns > runs, "the kernel did not complete")
        try expectLocatedRuntimeError("normal: sigma must be > 0, got -1; in 'lp' called at line 8, column 14") {
            _ = try failing.evaluate([-1])
        }
    }

    /// Inlining is bounded: calls nested 100 deep, and calls of calls that double 24 times.
    @Test func inliningLimits() throws {
        var deep = "fn f0(x: real) -> real {\n    return x + 1\n}\n"
        for i in 1..<100 { deep += "fn f\(i)(x: real) -> real {\n    return f\(i - 1)(x)\n}\n" }
        do {
            _ = try compile(deep + "param mu: real\nmu ~ normal(f99(mu), 1)\n")
            Issue.record("no error for calls nested 100 deep")
        } catch let e as RuntimeError {
            #expect(e.message.hasPrefix("function calls nest more than 64 deep here ('f35' called at line 110, column 12); in 'f36' called at line 113, column 12, from 'f37'"),
                    "\(e.message)")
            #expect(e.message.hasSuffix(", …") && e.span != nil)
        }
        var wide = "fn f0(x: real) -> real {\n    return x + 1\n}\n"
        for i in 1..<25 { wide += "fn f\(i)(x: real) -> real {\n    return f\(i - 1)(x) + f\(i - 1)(2 * x)\n}\n" }
        do {
            _ = try compile(wide + "param mu: real\nmu ~ normal(f24(mu), 1)\n")
            Issue.record("no error for 2^24 inlined calls")
        } catch let e as RuntimeError {
            #expect(e.message.hasPrefix("the model's function calls expand to more than 20000 inlined calls"), "\(e.message)")
        }
    }

    /// An `_rng` function in a generated quantity draws exactly what the built-in call it
    /// wraps draws from the same seed; the density is unchanged.
    @Test func rngFunctionsInGeneratedQuantities() throws {
        var wrapped = try compile("""
            fn my_normal_rng(m: real, s: real) -> real {
                return normal_rng(m, s)
            }
            param a: real
            a ~ normal(0, 1)
            let z = my_normal_rng(a, 2)
            predict y ~ normal(my_normal_rng(a, 1), 0.5)
            """)
        var plain = try compile("""
            param a: real
            a ~ normal(0, 1)
            let z = normal_rng(a, 2)
            predict y ~ normal(normal_rng(a, 1), 0.5)
            """)
        #expect(try wrapped.evaluate([0.7]).value == plain.evaluate([0.7]).value)
        for seed: UInt64 in [1, 2, 3] {
            var r1 = Xoshiro256StarStar(seed: seed), r2 = Xoshiro256StarStar(seed: seed)
            let d1 = try wrapped.draw([0.7], rng: &r1), d2 = try plain.draw([0.7], rng: &r2)
            #expect(d1.map(\.name) == d2.map(\.name))
            #expect(d1.map(\.values) == d2.map(\.values))
        }
    }

    /// Simulation evaluates functions in the arguments of `~`: the same data as the model
    /// written out, from the same seed.
    @Test func simulation() throws {
        let data = "data N: int = 5\ndata t: real[N] = [1, 2, 3, 4, 5]\ndata y: real[N] = [0, 0, 0, 0, 0]\nparam b: real\nb ~ normal(0, 1)\n"
        let withFunction = try compile("""
            fn curve(t: real[], b: real) -> real[] {
                return b * log1p(t)
            }
            \(data)y ~ normal(curve(t, b), 0.5)
            """)
        let writtenOut = try compile(data + "y ~ normal(b * log1p(t), 0.5)\n")
        for seed: UInt64 in [4, 5] {
            let s1 = try withFunction.simulate(rng: Xoshiro256StarStar(seed: seed))
            let s2 = try writtenOut.simulate(rng: Xoshiro256StarStar(seed: seed))
            #expect(s1.parameters == s2.parameters)
            #expect(s1.data["y"]?.values == s2.data["y"]?.values)
            #expect(s1.data["y"]?.values != [0, 0, 0, 0, 0])
        }
    }

    /// Prior simulation draws a parameter whose prior reads later parameters, one of them
    /// through a function, after them (the call keeps the dependencies read before it), as
    /// written out.
    @Test func priorSimulationOrder() throws {
        let header = "param mu: real\nparam nu: real\nparam tau: real<lower=0>\n"
        let withFunction = try compile("""
            fn spread(t: real) -> real {
                var s: real = 0
                s = s + 2 * t
                return s
            }
            \(header)tau ~ exponential(1)
            mu ~ normal(nu, spread(tau))
            nu ~ normal(3, 1)
            """)
        let writtenOut = try compile(header + "tau ~ exponential(1)\nmu ~ normal(nu, 2 * tau)\nnu ~ normal(3, 1)\n")
        for seed: UInt64 in [6, 7] {
            let s1 = try withFunction.simulate(rng: Xoshiro256StarStar(seed: seed))
            let s2 = try writtenOut.simulate(rng: Xoshiro256StarStar(seed: seed))
            #expect(s1.parameters == s2.parameters)
        }
    }

    /// Two compilations of the same model evaluate and draw bit for bit alike.
    @Test func deterministic() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models/growth_curve.synm"), encoding: .utf8)
        let json = try String(contentsOf: repositoryRoot.appendingPathComponent("models/growth_curve.data.json"), encoding: .utf8)
        var a = try compile(text, json: json), b = try compile(text, json: json)
        for x in randomPoints(dimension: a.dimension, count: 3, seed: 0xDE7, scale: 0.5) {
            let (va, ga) = try a.evaluate(x), (vb, gb) = try b.evaluate(x)
            #expect(va == vb && ga == gb)
            var r1 = Xoshiro256StarStar(seed: 11), r2 = Xoshiro256StarStar(seed: 11)
            #expect(try a.draw(x, rng: &r1).map(\.values) == b.draw(x, rng: &r2).map(\.values))
        }
    }

    /// models/growth_curve.synm against the same model written out without functions, and
    /// its user density against Stan's logistic_lpdf (the built-in: 1e-10, summed in
    /// another order).
    @Test func growthCurveWrittenOut() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models/growth_curve.synm"), encoding: .utf8)
        let json = try String(contentsOf: repositoryRoot.appendingPathComponent("models/growth_curve.data.json"), encoding: .utf8)
        let header = """
            data N: int
            data t: real[N]
            data y: real[N]
            param K: real<lower=0>
            param r: real<lower=0>
            param t0: real
            param s: real<lower=0>
            let mu = K * inv_logit(r * (t - t0))
            K ~ normal(10, 5)
            r ~ normal(1, 1)
            t0 ~ normal(5, 5)
            s ~ exponential(1)

            """
        try expectSameDensity(text, header + """
            var lp: real = 0
            for i in 1..N {
                let z = (y[i] - mu[i]) / s
                lp = lp - z - 2 * log1p_exp(-z)
            }
            target += lp - N * log(s)
            """, json: json, scale: 0.5)
        try expectSameDensity(text, header + "y ~ logistic(mu, s)\n", json: json, tolerance: 1e-10, scale: 0.5)
    }
}
