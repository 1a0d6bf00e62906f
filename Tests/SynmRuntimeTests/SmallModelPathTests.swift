// The fixed-cost paths of small models (docs/PERFORMANCE.md, "Small models: fixed costs per
// gradient"): the density row loops specialised per operand kind (Evaluator+RowShapes.swift,
// Double only), the bulk nodes of constant-bound transforms (Evaluator+SmallNodes.swift) and
// the element-wise loops per operand kind (Tape.zipLoop). Each case runs through
// `checkInlineModel`: gradients against finite differences, and the Double path against the
// Dual path bit for bit (the Dual path takes the generic row loop, so the specialised loops
// must compute exactly what it does). Errors found inside a specialised loop must read as the
// generic loop's (the Dual path's).
import Testing
@testable import SynmRuntime

@Suite struct SmallModelPathTests {
    static let cases: [InlineCase] = [
        // A variable variate with scalar arguments (hoisted normal, and a generic kernel).
        InlineCase("eta ~ normal(0, 1.5)", """
            param eta: real[5]
            eta ~ normal(0, 1.5)
            """),
        InlineCase("eta ~ logistic(0.5, 2)", """
            param eta: real[4]
            eta ~ logistic(0.5, 2)
            """),
        // A data variate, a variable location, a data scale (and a non-centred let).
        .eightSchools,
        InlineCase("y ~ gumbel(theta, data scale)", """
            data y: real[3] = [0.5, -1.25, 2]
            data s: real[3] = [1, 2, 0.5]
            param theta: real[3]
            theta ~ normal(0, 1)
            y ~ gumbel(theta, s)
            """),
        // A data variate, a variable location, a scalar variable scale (hoisted), and a
        // constant scale.
        InlineCase("y ~ normal(theta, sigma) with sigma a parameter", """
            data y: real[4] = [0.5, -1.25, 2, 0.75]
            param theta: real[4]
            param sigma: real<lower=0>
            theta ~ normal(0, 2)
            sigma ~ exponential(1)
            y ~ normal(theta, sigma)
            """),
        InlineCase("y ~ cauchy(theta, sigma) with sigma a parameter", """
            data y: real[4] = [0.5, -1.25, 2, 0.75]
            param theta: real[4]
            param sigma: real<lower=0>
            theta ~ normal(0, 2)
            sigma ~ exponential(1)
            y ~ cauchy(theta, sigma)
            """),
        InlineCase("y ~ normal(theta, 0.5)", """
            data y: real[3] = [0.5, -1.25, 2]
            param theta: real[3]
            y ~ normal(theta, 0.5)
            """),
        .constantBounds,
        // Element-wise operand kinds: scalar variable with a variable array (both orders),
        // a constant scalar, a data array, two variable arrays.
        InlineCase("element-wise operand kinds", """
            data d: real[3] = [0.5, 1.5, -2]
            param s: real
            param v: real[3]
            param u: real[3]
            let p = s * v + 2
            let q = v / exp(s) - d
            let r = d * v + u * v
            let t = 3 - u
            s ~ normal(1, 1)
            v ~ normal(0, 1)
            u ~ normal(0, 1)
            d ~ normal(p, 2)
            d ~ normal(q, 2)
            d ~ normal(r, 2)
            d ~ normal(t, 2)
            """),
    ]

    @Test(arguments: cases)
    func specialisedPathsMatchTheGenericPath(_ c: InlineCase) throws {
        try checkInlineModel(c)
    }

    /// An invalid data argument found inside a specialised loop names the same row, with the
    /// same message, as the generic loop (the Dual path).
    @Test func invalidRowReadsAsTheGenericLoops() throws {
        var model = try compile("""
            data y: real[3] = [0.5, -1.25, 2]
            data s: real[3] = [1, 0, 0.5]
            param theta: real[3]
            y ~ normal(theta, s)
            """)
        let x = [0.1, 0.2, 0.3]
        let double = #expect(throws: RuntimeError.self) { _ = try model.evaluate(x) }
        let dual = #expect(throws: RuntimeError.self) { _ = try model.hessian(x) }
        #expect(double?.message.contains("(row 2)") == true, "\(double?.message ?? "no error")")
        #expect(double?.message == dual?.message)
    }

    /// A row whose density is not finite (a negative variate under exponential) is found and
    /// named as by the generic loop.
    @Test func notFiniteRowReadsAsTheGenericLoops() throws {
        var model = try compile("""
            param v: real[3]
            v ~ exponential(1)
            """)
        let x = [0.5, -0.25, 1]
        let double = #expect(throws: RuntimeError.self) { _ = try model.evaluate(x) }
        let dual = #expect(throws: RuntimeError.self) { _ = try model.hessian(x) }
        #expect(double?.message.contains("(row 2)") == true, "\(double?.message ?? "no error")")
        #expect(double?.message == dual?.message)
    }
}
