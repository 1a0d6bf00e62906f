// Loop kernels (Sources/SynmRuntime/LoopKernel.swift) against the tree-walking evaluator they
// replace: the same values, gradients and Hessians (to 1e-12 relative: the kernel sums a
// statement's partials and a loop's terms in another order, nothing else differs), the same
// errors with the same locations, and finite differences on the kernel path.
import Foundation
import SynmAutodiff
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct LoopKernelTests {
    /// Value and gradient with kernels and without, at seeded points; the Hessian too when
    /// `hessian` (its value and gradient bit for bit the Double path's on both).
    func compareWithTree(_ name: String, _ model: CompiledModel, points: Int = 6, scale: Double = 1.0,
                         hessian: Bool = true, kernelsRun: Bool = false,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var kernel = model
        kernel.vectorisesLoops = false  // loops of `~` as kernels, not vectorised (LoopVectoriseTests)
        var tree = model
        tree.useLoopKernels = false
        var seed: UInt64 = 0x100B
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        for x in randomPoints(dimension: model.dimension, count: points, seed: seed, scale: scale) {
            let runs = kernel.evaluator.kernelRuns
            let k = try kernel.evaluate(x), t = try tree.evaluate(x)
            if kernelsRun {
                #expect(kernel.evaluator.kernelRuns > runs, "\(name) at \(x): no kernel completed (the tree ran instead)",
                        sourceLocation: sourceLocation)
            }
            #expect(relativeError(k.value, t.value) <= 1e-12, "\(name) value at \(x): kernel \(k.value), tree \(t.value)",
                    sourceLocation: sourceLocation)
            #expect(maxRelativeError(k.gradient, t.gradient) <= 1e-12,
                    "\(name) gradient at \(x): kernel \(k.gradient), tree \(t.gradient)", sourceLocation: sourceLocation)
            for options in [CompiledModel.Options(prior: false), CompiledModel.Options(likelihood: false)] {
                let kp = try kernel.evaluate(x, options: options), tp = try tree.evaluate(x, options: options)
                #expect(relativeError(kp.value, tp.value) <= 1e-12, "\(name) \(options) at \(x)", sourceLocation: sourceLocation)
                #expect(maxRelativeError(kp.gradient, tp.gradient) <= 1e-12, "\(name) \(options) at \(x)",
                        sourceLocation: sourceLocation)
            }
            guard hessian else { continue }
            let kh = try kernel.hessian(x), th = try tree.hessian(x)
            #expect(kh.value == k.value && kh.gradient == k.gradient, "\(name): kernel Dual and Double paths differ",
                    sourceLocation: sourceLocation)
            let scaleH = Swift.max(th.hessian.joined().map { Swift.abs($0) }.max() ?? 0, 1)
            let worst = zip(kh.hessian.joined(), th.hessian.joined()).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-12 * scaleH, "\(name) Hessian at \(x): kernel and tree differ by \(worst) (scale \(scaleH))",
                    sourceLocation: sourceLocation)
        }
    }

    /// Which loops of a model run as kernels.
    func kernelCount(_ model: CompiledModel) -> Int { model.program.loopKernels.filter { $0 != nil }.count }

    @Test(arguments: ["arma11", "ar5", "garch11"])
    func loopBenchmarksAgreeWithTree(name: String) throws {
        let model = try compileCatalogueModel(name)
        #expect(kernelCount(model) >= 1, "\(name): no loop runs as a kernel")
        try compareWithTree(name, model, scale: name == "arma11" ? 0.4 : 1.0, kernelsRun: true)
    }

    /// A kernel opens the cells of the vars it reads and writes once per run (arma11: nu and err).
    @Test func kernelOpensItsVarSlots() throws {
        let model = try compileCatalogueModel("arma11")
        let kernels = model.program.loopKernels.compactMap { $0 }
        #expect(kernels.count == 1)
        #expect(kernels.first?.cellSlots.count == 2)
    }

    /// local_level (1002 coordinates): values and gradients only (a Hessian is 1002 passes).
    @Test func localLevelAgreesWithTree() throws {
        let model = try compileCatalogueModel("local_level")
        #expect(kernelCount(model) == 1)
        try compareWithTree("local_level", model, points: 3, hessian: false, kernelsRun: true)
    }

    /// Every catalogue model: kernels change nothing beyond rounding.
    @Test(arguments: ModelCatalogueTests.perCoordinateNames)
    func catalogueAgreesWithTree(name: String) throws {
        try compareWithTree(name, try compileCatalogueModel(name), points: 2,
                            scale: ModelCatalogueTests.differenceScale(name))
    }

    /// Scalar code of every kind a kernel runs: nested loops with bounds from data and outer
    /// counters, `if`/`else` on ints, lets and vars declared in the loop, int vars, a 2-D var,
    /// matrix data, parameter arrays, functions, `^`, comparisons, `target +=` with a density
    /// call, a weighted (footing) term, an empty loop, and a loop counter used as a value.
    static let everything = """
        data N: int
        data K: int
        data X: real[N, K]
        data y: real[N]
        param a: real
        param b: real[K]
        param s: real<lower=0>
        param r: real<lower=0, upper=1>
        a ~ normal(0, 2)
        b ~ normal(0, 1)
        s ~ lognormal(0, 1)
        var m: real[N, 2]
        var count: int = 0
        for i in 1..N {
          var eta: real = a
          for k in 1..K {
            eta = eta + X[i, k] * b[k]
          }
          let shifted = eta - 0.5 * i / N
          m[i, 1] = shifted
          if i % 2 == 0 {
            m[i, 2] = exp(-s) + r^2 + log1p(s * s) + inv_logit(eta) * sqrt(s + 1)
          } else {
            m[i, 2] = pow(s, 1.5) + 1 / (1 + s) + square(r) + tanh(eta / 4) + log1m(r / 2)
          }
          count = count + (eta > 0)
          y[i] ~ normal(m[i, 1], s + 0.1 * m[i, 2])
          target += student_t_lpdf(y[i] | 3, shifted, s) * 0.5
        }
        for j in 3..2 {
          target += a
        }
        for i in 2..N {
          target += -0.5 * (m[i, 2] - m[i - 1, 2])^2 / (1 + count)
        }
        """

    static let everythingData = """
        {"N": 7, "K": 3, "X": [[0.5, -1, 2], [1, 0.3, -0.2], [-0.7, 0.1, 0.4], [0.2, 0.2, 0.2], [1.5, -0.5, 0],
         [-1, 1, -1], [0.3, 0.8, -0.6]], "y": [1.2, -0.4, 0.9, 2.1, -1.3, 0.05, 0.7]}
        """

    @Test func everyScalarConstructAgreesWithTree() throws {
        let text = Self.everything.replacingOccurrences(of: "i % 2 == 0", with: "i - 2 * (i / 2) == 0")
        let model = try compile(text, json: Self.everythingData)
        #expect(kernelCount(model) == 3)
        try compareWithTree("everything", model, kernelsRun: true)
    }

    /// Loop-local combinations that outgrow their 16 pairs become nodes: an AR(20) reduction and
    /// the same sum written so that it is not a reduction (a generic statement per step).
    @Test func longCombinationsAgreeWithTree() throws {
        let text = """
            data T: int
            data y: real[T]
            param b: real[20]
            param s: real<lower=0>
            b ~ normal(0, 0.2)
            s ~ lognormal(0, 1)
            for t in 21..T {
              var m: real = 0
              for k in 1..20 {
                m = m + b[k] * y[t - k]
              }
              var g: real = 0
              for k in 1..20 {
                g = (g + b[k] * y[t - k]) * 1
              }
              y[t] ~ normal(0.5 * (m + g), s)
            }
            """
        let y = (0..<26).map { k in String(format: "%.3f", sin(0.7 * Double(k)) + 0.1 * Double(k % 5)) }
        let model = try compile(text, json: "{\"T\": 26, \"y\": [\(y.joined(separator: ", "))]}")
        #expect(kernelCount(model) == 1)
        try compareWithTree("AR(20)", model, points: 1, scale: 0.5)
    }

    /// Assignments that are sums of products run as one instruction (LoopKernel+LinearForm.swift):
    /// every kind of atom, an atom read twice, subtraction, a term of constants only, a let,
    /// squares and sums of two atoms as factors, a function over the sum; and assignments that
    /// are not linear forms (a sum of three in parentheses, a bare element, a product of three)
    /// beside them, on the general path.
    @Test func linearFormsAgreeWithTree() throws {
        let text = """
            data T: int
            data y: real[T]
            param a: real
            param b: real[T]
            param s: real<lower=0>
            a ~ normal(0, 1)
            b ~ normal(0, 1)
            s ~ lognormal(0, 1)
            let c = 0.5 * T
            var u: real[T]
            var v: real[T]
            var w: real[T]
            var z: real[T]
            var q: real[T]
            u[1] = a
            v[1] = 0
            w[1] = 1
            z[1] = 1
            q[1] = 0.5
            for t in 2..T {
              z[t] = sqrt(0.5 + s * (y[t - 1] - a)^2 + 0.3 * z[t - 1]^2 + square(b[t] + y[t]) * pow(a - s, 2))
              q[t] = exp(a * (b[t] - y[t]) - square(q[t - 1]) * 0.1 + (s - c))
              u[t] = a + b[t] * y[t - 1] - a * u[t - 1] + 2 * 3 - c * a + a * a
              v[t] = y[t] - u[t] - (a + v[t - 1]) + b[t - 1] * a * 0.5
              w[t] = u[t]
              w[t] = w[t] * a + b[t] * b[t] - 0.25 * w[t - 1]
            }
            y ~ normal(u + v + w + z + q, s)
            """
        let y = (0..<9).map { k in String(format: "%.3f", cos(0.9 * Double(k)) + 0.05 * Double(k)) }
        let model = try compile(text, json: "{\"T\": 9, \"y\": [\(y.joined(separator: ", "))]}")
        let kernel = try #require(model.program.loopKernels.compactMap { $0 }.first)
        #expect(kernel.linearForms.count == 4, "z[t], q[t], u[t] and the second w[t] are linear forms")
        #expect(kernel.code.contains { $0.op == .assign }, "v[t] and the first w[t] take the general path")
        try compareWithTree("linear forms", model, points: 4, scale: 0.5, kernelsRun: true)
    }

    /// The loop benchmarks' recursions are linear forms: arma11's two assignments, garch11's
    /// square root of a sum of squares; their loops run as linear loops
    /// (LoopKernel+LinearLoop.swift).
    @Test(arguments: [("arma11", 2), ("garch11", 1)])
    func loopBenchmarksUseLinearForms(name: String, forms: Int) throws {
        let model = try compileCatalogueModel(name)
        let kernel = try #require(model.program.loopKernels.compactMap { $0 }.first)
        #expect(kernel.linearForms.count == forms, "\(name): \(model.program.statements)")
        #expect(kernel.code.contains { $0.op == .linearLoop }, "\(name): not a linear loop")
    }

    /// Finite differences and Hessians on the kernel path (InlineModelHarness).
    @Test func kernelPathMatchesFiniteDifferences() throws {
        try checkInlineModel(InlineCase("local level, 12 steps", scale: 0.8, """
            data y: real[12] = [0.3, 0.1, -0.2, 0.4, 0.9, 1.1, 0.8, 1.4, 1.2, 0.7, 0.9, 1.3]
            param x: real[12]
            param sl: real<lower=0>
            param so: real<lower=0>
            sl ~ normal(0, 1)
            so ~ normal(0, 2)
            x[1] ~ normal(0, 10)
            for t in 2..12 {
              x[t] ~ normal(x[t - 1], sl)
            }
            y ~ normal(x, so)
            """))
        try checkInlineModel(InlineCase("garch-like recursion", scale: 0.8, """
            data y: real[6] = [0.2, -0.5, 1.1, 0.3, -0.9, 0.4]
            param mu: real
            param a0: real<lower=0>
            param a1: real<lower=0, upper=1>
            var h: real[6]
            h[1] = 1
            for t in 2..6 {
              h[t] = sqrt(a0 + a1 * (y[t - 1] - mu)^2 + 0.5 * h[t - 1]^2)
            }
            mu ~ normal(0, 1)
            a0 ~ lognormal(0, 1)
            y ~ normal(mu, h)
            """))
    }

    /// A loop that goes wrong: the kernel gives up and the tree-walking evaluator reports the
    /// error, located, as it always has.
    @Test(arguments: [
        ("index", "for t in 1..N {\n  target += normal_lpdf(y[t + 1] | mu, 1)\n}", "out of range"),
        ("unassigned", "var e: real[N]\nfor t in 1..N {\n  e[t] = e[t] + mu\n}\ntarget += e[1]", "before it is assigned"),
        // Linear loops (LoopKernel+LinearLoop.swift): an index out of range at the loop's last step
        // (the loop then runs instruction by instruction), an element read before it is assigned
        // half-way through.
        ("linear loop index", "var e: real[N]\nfor t in 1..N {\n  e[t] = y[t + 1] * mu\n}\ntarget += e[1]", "out of range"),
        ("linear loop unassigned", "var e: real[N]\ne[1] = mu\nfor t in 2..N {\n  e[t] = e[t] * mu + y[t]\n}\ntarget += e[2]",
         "before it is assigned"),
        ("scale", "for t in 1..N {\n  y[t] ~ normal(mu, mu)\n}", "normal"),
        ("assign index", "var e: real[N]\nfor t in 1..N {\n  e[t + 1] = mu\n}", "out of range"),
        // Below 1 (integer counters: the range check is one unsigned comparison), and an offset
        // too large for the integer path (computed and checked as a register instead).
        ("low index", "for t in 1..N {\n  target += normal_lpdf(y[t - 3] | mu, 1)\n}", "out of range"),
        ("large offset", "for t in 1..N {\n  target += normal_lpdf(y[t + 3000000000] | mu, 1)\n}", "out of range"),
        ("unassigned after", "var e: real[N]\nfor t in 1..N {\n  e[t] = mu\n}\nvar f: real[N]\nfor t in 1..N {\n  f[t] = e[t]\n}\ntarget += f[1] + e[N] + e[N + 1]", "out of range"),
    ])
    func errorsAreTheTreeWalkersErrors(name: String, body: String, message: String) throws {
        let text = "data N: int\ndata y: real[N]\nparam mu: real\n" + body
        var kernel = try compile(text, json: #"{"N": 3, "y": [1, 2, 3]}"#)
        var tree = kernel
        tree.useLoopKernels = false
        #expect(kernelCount(kernel) >= 1, "\(name): the loop is not a kernel")
        let x = [-0.5]
        let k = #expect(throws: RuntimeError.self) { _ = try kernel.evaluate(x) }
        let t = #expect(throws: RuntimeError.self) { _ = try tree.evaluate(x) }
        #expect(k?.message == t?.message && k?.span == t?.span, "\(name): kernel \(String(describing: k)), tree \(String(describing: t))")
        #expect(k?.message.contains(message) == true, "\(name): \(String(describing: k?.message))")
        // The evaluator is usable afterwards, and kernels run again at a good point.
        if name == "scale" {
            #expect(try kernel.evaluate([0.5]).value.isFinite)
        }
    }

    /// A kernel that runs out of tape stops before the instruction, the tape grows and the run
    /// resumes there: on a fresh model (empty tape) the first evaluation grows it inside the
    /// kernel, the second does not, and both give the same bits (the Dual path too).
    @Test func kernelResumesAfterGrowingTheTape() throws {
        var model = try compileCatalogueModel("arma11")
        var tree = model
        tree.useLoopKernels = false
        let x = [0.2, 0.3, -0.4, 0.1]
        let grown = model.evaluator.kernelTapeGrowths
        let first = try model.evaluate(x)
        #expect(model.evaluator.kernelTapeGrowths > grown, "the first evaluation did not grow the tape inside the kernel")
        #expect(model.evaluator.kernelRuns > 0)
        let settled = model.evaluator.kernelTapeGrowths
        let again = try model.evaluate(x)
        #expect(model.evaluator.kernelTapeGrowths == settled, "a warm tape grew again")
        #expect(first.value.bitPattern == again.value.bitPattern)
        #expect(first.gradient.map(\.bitPattern) == again.gradient.map(\.bitPattern))
        let t = try tree.evaluate(x)
        #expect(relativeError(first.value, t.value) <= 1e-12)
        #expect(maxRelativeError(first.gradient, t.gradient) <= 1e-12)
        let h1 = try model.hessian(x), h2 = try model.hessian(x)
        #expect(h1.hessian.joined().map(\.bitPattern) == h2.hessian.joined().map(\.bitPattern))
        #expect(h1.value == first.value && h1.gradient == first.gradient)
    }

    /// An error at a loop's last step, after the kernel has grown the tape: the tree walker's
    /// message and location, as for any other kernel that gives up.
    @Test func errorAfterTheTapeGrewIsTheTreeWalkersError() throws {
        let text = """
            data N: int
            data y: real[N]
            param mu: real
            var e: real[N]
            for t in 1..N {
              e[t] = mu * t
              target += normal_lpdf(y[t + (t == N)] | e[t], 1)
            }
            """
        let y = (1...300).map { String(Double($0) / 100) }.joined(separator: ", ")
        var kernel = try compile(text, json: "{\"N\": 300, \"y\": [\(y)]}")
        var tree = kernel
        tree.useLoopKernels = false
        #expect(kernelCount(kernel) == 1)
        let k = #expect(throws: RuntimeError.self) { _ = try kernel.evaluate([0.5]) }
        #expect(kernel.evaluator.kernelTapeGrowths > 0, "the kernel gave up before growing the tape")
        let t = #expect(throws: RuntimeError.self) { _ = try tree.evaluate([0.5]) }
        #expect(k?.message == t?.message && k?.span == t?.span, "kernel \(String(describing: k)), tree \(String(describing: t))")
        #expect(k?.message.contains("out of range") == true, "\(String(describing: k?.message))")
    }

    /// The kernel runs exp, log and sqrt inline by their UnaryFunction codes.
    @Test func inlineFunctionCodes() {
        #expect(UnaryFunction.allCases[Int(Evaluator<Double>.expCode)] == .exp)
        #expect(UnaryFunction.allCases[Int(Evaluator<Double>.logCode)] == .log)
        #expect(UnaryFunction.allCases[Int(Evaluator<Double>.sqrtCode)] == .sqrt)
    }

    /// A kernel's output is the same bits whatever ran before it on the same evaluator.
    @Test func deterministic() throws {
        var model = try compileCatalogueModel("garch11")
        let x = [0.1, -1.0, -0.5, 1.2]
        let first = try model.evaluate(x)
        _ = try? model.evaluate([0.1, 400, -0.5, 1.2])
        let again = try model.evaluate(x)
        #expect(first.value.bitPattern == again.value.bitPattern)
        #expect(first.gradient.map(\.bitPattern) == again.gradient.map(\.bitPattern))
    }
}
