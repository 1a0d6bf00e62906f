// Arrays of rank 3 and more (`real[N, M, K]`): a model with a rank-3 data array and a rank-3
// parameter has exact gradients (finite differences) and the same log density as the model
// written with rank-2 slices; vars of rank 3 are assigned element by element and by slice;
// lets keep their shape when reported; errors are located.
import Foundation
import SynmIO
import SynmMath
import Testing
@testable import SynmRuntime

@Suite struct HigherRankTests {
    static let (n, m, k) = (3, 2, 4)

    /// y[i][j][k], seeded, as nested JSON and flattened to rows (i, j) for the rank-2 model.
    static let y: [[[Double]]] = {
        var rng = Xoshiro256StarStar(seed: 11)
        return (0..<n).map { _ in (0..<m).map { _ in (0..<k).map { _ in (standardNormal(&rng) * 1000).rounded() / 1000 } } }
    }()
    static func nested(_ a: [[[Double]]]) -> String {
        "[" + a.map { "[" + $0.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]"
    }
    static var rank3JSON: String { "{\"N\": \(n), \"M\": \(m), \"K\": \(k), \"y\": \(nested(y))}" }
    static var rank2JSON: String {
        let rows = y.flatMap { $0 }
        return "{\"N\": \(n), \"M\": \(m), \"K\": \(k), \"y\": [" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]}"
    }

    static let rank3 = """
    data N: int
    data M: int
    data K: int
    data y: real[N, M, K]
    param z: real[N, M, K]
    param mu: real[M, K]
    param sigma: real<lower=0>
    sigma ~ exponential(1)
    for j in 1..M { mu[j] ~ normal(0, 2) }
    for i in 1..N {
      for j in 1..M {
        z[i, j] ~ normal(0, 1)
        for k in 1..K {
          y[i, j, k] ~ normal(mu[j, k] + 0.5 * z[i, j, k], sigma)
        }
      }
    }
    let w = 2 * z
    let s = z[2]
    """

    /// The same model with the N × M rows of y and z as the rows of rank-2 arrays (the
    /// parameters' row-major layout is the same, so the unconstrained vectors coincide).
    static let rank2 = """
    data N: int
    data M: int
    data K: int
    data y: real[N * M, K]
    param z: real[N * M, K]
    param mu: real[M, K]
    param sigma: real<lower=0>
    sigma ~ exponential(1)
    for j in 1..M { mu[j] ~ normal(0, 2) }
    for i in 1..N {
      for j in 1..M {
        z[(i - 1) * M + j] ~ normal(0, 1)
        for k in 1..K {
          y[(i - 1) * M + j, k] ~ normal(mu[j, k] + 0.5 * z[(i - 1) * M + j, k], sigma)
        }
      }
    }
    """

    @Test func rank3ModelEqualsTheRank2SlicesAndHasExactGradients() throws {
        var a = try compile(Self.rank3, json: Self.rank3JSON)
        var b = try compile(Self.rank2, json: Self.rank2JSON)
        #expect(a.dimension == Self.n * Self.m * Self.k + Self.m * Self.k + 1)
        #expect(a.dimension == b.dimension)
        for x in randomPoints(dimension: a.dimension, count: 8, seed: 5) {
            let (va, ga) = try a.evaluate(x)
            let (vb, gb) = try b.evaluate(x)
            // The same operations in the same order: identical, not merely close.
            #expect(va == vb, "at \(x)")
            #expect(ga == gb)
            expectModelGradientMatchesFiniteDifferences(&a, at: x, "rank3")
        }
    }

    /// The loops index a rank-3 array, so they are walked as a tree (the loop kernel does not
    /// take them): kernels on and off give the same values.
    @Test func loopsOverRank3ArraysFallBackToTheTree() throws {
        var kernel = try compile(Self.rank3, json: Self.rank3JSON)
        var tree = try compile(Self.rank3, json: Self.rank3JSON)
        tree.useLoopKernels = false
        for x in randomPoints(dimension: kernel.dimension, count: 4, seed: 9) {
            let (v1, g1) = try kernel.evaluate(x)
            let (v2, g2) = try tree.evaluate(x)
            #expect(v1 == v2 && g1 == g2)
        }
        #expect(kernel.evaluator.kernelRuns == 0)
    }

    /// Exact Hessians (forward-over-reverse) through rank-3 indexing and slices.
    @Test func rank3InlineModelGradientAndHessian() throws {
        try checkInlineModel(InlineCase("rank-3 slices", """
        data y: real[2, 2, 3] = [[[0.5, -1, 2], [1.5, 0.25, -0.5]], [[-2, 1, 0], [0.75, -0.25, 1.25]]]
        param z: real[2, 2, 3]
        param tau: real<lower=0>
        tau ~ lognormal(0, 1)
        for i in 1..2 {
          z[i, 1] ~ normal(0, tau)
          z[i, 2] ~ normal(z[i, 1], 1)
          y[i, 2] ~ normal(exp(0.3 * z[i, 2]), 1 + tau)
          for k in 1..3 { y[i, 1, k] ~ normal(z[i, 1, k] * z[i, 2, k], 2) }
        }
        """))
    }

    /// A let of rank 3 is reported with its shape (`w[1, 2, 3]`); a slice `z[2]` as a matrix.
    @Test func letsOfRank3KeepTheirShape() throws {
        var model = try compile(Self.rank3, json: Self.rank3JSON)
        let x = randomPoints(dimension: model.dimension, count: 1, seed: 3)[0]
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try model.draw(x, rng: &rng)
        let z = try #require(out.first { $0.name == "z" }), w = try #require(out.first { $0.name == "w" })
        let s = try #require(out.first { $0.name == "s" })
        #expect(z.shape == [3, 2, 4] && w.shape == [3, 2, 4] && s.shape == [2, 4])
        #expect(w.values == z.values.map { 2 * $0 })
        #expect(s.values == Array(z.values[8..<16]))
        #expect(w.elementNames[1 * 8 + 1 * 4 + 2] == "w[2, 2, 3]")
    }

    /// vars of rank 3: elements, slices (`u[1] = v[2]`), reductions and size().
    @Test func rank3VarsAreAssignedByElementAndBySlice() throws {
        var model = try compile("""
        data y: int<lower=0>[2, 2, 3] = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
        param a: real
        var v: real[2, 2, 3]
        for i in 1..size(y) {
          for j in 1..2 {
            for k in 1..3 { v[i, j, k] = a * y[i, j, k] }
          }
        }
        var u: real[2, 2, 3]
        u[1] = v[2]
        u[2] = v[1]
        let t = sum(u)
        let first = u[1, 1, 1]
        let n = size(y)
        a ~ normal(0, 1)
        """)
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try model.draw([0.5], rng: &rng)
        #expect(out.first { $0.name == "t" }?.values == [0.5 * 78])
        #expect(out.first { $0.name == "first" }?.values == [0.5 * 7])
    }

    @Test func boundsApplyToEveryElement() throws {
        var model = try compile("""
        param z: real<lower=0, upper=1>[2, 2, 2]
        for i in 1..2 { for j in 1..2 { z[i, j] ~ beta(2, 2) } }
        """)
        let u = try model.unconstrain(["z": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.5]])
        let back = try model.constrain(u)
        #expect(zip(back, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.5]).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(throws: RuntimeError.self) {
            _ = try model.unconstrain(["z": [0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5]])
        }
        do {
            _ = try model.unconstrain(["z": [0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5]])
        } catch let e as RuntimeError {
            #expect(e.message == "z[2, 1, 2] is 1.5, above its upper bound 1")
        }
    }

    @Test func indexOutOfRangeIsLocatedWithItsDimension() throws {
        var model = try compile("""
        data y: real[2, 2, 3] = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
        param mu: real
        for i in 1..2 { y[i, 1, i + 2] ~ normal(mu, 1) }
        """)
        try expectLocatedRuntimeError("index 4 is out of range for 'y' (1..3) in dimension 3 of 3") {
            _ = try model.evaluate([0])
        }
    }

    @Test func elementwiseOperandsOfRank3MustAgreeInEverySize() throws {
        do {
            _ = try compile("""
            param z: real[2, 2, 3]
            param w: real[2, 3, 2]
            let a = z + w
            """)
            Issue.record("no error")
        } catch let e as RuntimeError {
            #expect(e.message == "the operands have different sizes: 2 × 2 × 3 and 2 × 3 × 2")
            #expect(e.span != nil)
        }
    }

    /// Rank-4 data from nested JSON of depth 4, indexed fully and partially.
    @Test func rank4DataIndexedFullyAndPartially() throws {
        var model = try compile("""
        data y: real[2, 2, 2, 2]
        param mu: real
        let a = y[2, 1, 2, 1] + mu
        let b = y[2, 1] + mu
        let c = y[1] + mu
        mu ~ normal(0, 1)
        """, json: "{\"y\": [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]]}")
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try model.draw([0], rng: &rng)
        #expect(out.first { $0.name == "a" }?.values == [11])
        #expect(out.first { $0.name == "b" }?.values == [9, 10, 11, 12])
        #expect(out.first { $0.name == "b" }?.shape == [2, 2])
        #expect(out.first { $0.name == "c" }?.values == Array(1...8).map(Double.init))
        #expect(out.first { $0.name == "c" }?.shape == [2, 2, 2])
    }

    @Test func checkerErrorsOnRank3() throws {
        try expectCheckerError("4 indices given, but the value has 3 dimensions") {
            _ = try compile("param z: real[2, 2, 2]\nz[1, 1, 1, 1] ~ normal(0, 1)")
        }
        try expectCheckerError("an index must be an int, but this is real") {
            _ = try compile("param z: real[2, 2, 2]\nz[1, 1.5, 1] ~ normal(0, 1)")
        }
        try expectCheckerError("multi-indexing an array of rank 3 is not supported") {
            _ = try compile("data g: int[2] = [1, 2]\nparam z: real[2, 2, 2]\nlet a = z[g]\nz[1, 1] ~ normal(0, 1)")
        }
        try expectCheckerError("the left side of `~` must be a scalar or an array, not an array of rank 3") {
            _ = try compile("param z: real[2, 2, 2]\nz ~ normal(0, 1)")
        }
        try expectCheckerError("4 indices given, but 'v' has 3 dimensions") {
            _ = try compile("param a: real\nvar v: real[2, 2, 2]\nv[1, 1, 1, 1] = a\na ~ normal(0, 1)")
        }
    }

    /// Ragged nested data are refused with the element's index path.
    @Test func raggedRank3DataIsRefusedAtTheElement() throws {
        let (model, _) = try checked("data y: real[2, 2, 3]\nparam mu: real\nmu ~ normal(0, 1)")
        #expect(throws: DataError.self) { _ = try bind(model, json: "{\"y\": [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11]]]}") }
        do {
            _ = try bind(model, json: "{\"y\": [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11]]]}")
        } catch let e as DataError {
            #expect(e.message == "ragged array: y[2, 2] has 2 elements, expected 3 like y[1, 1]")
        }
        let (_, issues) = try bind(model, json: "{\"y\": [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[1, 1, 1], [1, 1, 1]]]}")
        #expect(issues.map(\.message) == ["'y' has 3 elements in dimension 1, but the model declares 2"])
    }
}

@Suite struct HigherRankSyntheticTests {
    /// Generators resample rows that are scalars or arrays: a node of rank 3 is refused at its type.
    @Test func syntheticNodesOfRank3AreRefused() throws {
        try expectCheckerError("rows of rank 2 or more (a node of rank 3) are not supported yet") {
            _ = try compile("""
            data y: real[4, 2, 3]
            param mu: real
            synthetic yb: real[10, 2, 3] = bootstrap(y)
            mu ~ normal(0, 1)
            """)
        }
    }
}

@Suite struct HigherRankLiteralTests {
    /// Rank-3 literals (constant and over parameters) keep their shape; a predict node
    /// declared `real[2, 2, 2]` draws 8 values named by that shape.
    @Test func literalsAndPredictNodesOfRank3() throws {
        var model = try compile("""
        param mu: real
        let a = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
        let b = [[[mu, 1], [2, 3]], [[4, 5], [6, 7]]]
        let c = a[2, 1, 2] + b[1, 1, 1]
        let d = b[2]
        predict q: real[2, 2, 2] ~ normal(mu, 1)
        mu ~ normal(0, 1)
        """)
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try model.draw([0.25], rng: &rng)
        #expect(out.first { $0.name == "b" }?.shape == [2, 2, 2])
        #expect(out.first { $0.name == "b" }?.values == [0.25, 1, 2, 3, 4, 5, 6, 7])
        #expect(out.first { $0.name == "c" }?.values == [6.25])
        #expect(out.first { $0.name == "d" }?.values == [4, 5, 6, 7])
        let q = try #require(out.first { $0.name == "q" })
        #expect(q.shape == [2, 2, 2] && q.values.count == 8 && q.elementNames.last == "q[2, 2, 2]")
    }
}

@Suite struct HigherRankKernelTests {
    static let model = """
    data y: real[3, 2, 4]
    param a: real
    param b: real
    param sigma: real<lower=0>
    a ~ normal(0, 5)
    b ~ normal(0, 5)
    sigma ~ exponential(1)
    for i in 1..3 {
      for j in 1..2 {
        for k in 1..4 { y[i, j, k] ~ normal(a + b * k, sigma) }
      }
    }
    """
    static let json = "{\"y\": [[[1.5, 2, 2.25, 3], [0.5, 1, 2.5, 3.5]], [[1, 1.75, 2, 2.5], [2, 2.25, 3, 4]], [[0.25, 1.5, 1, 3], [1, 2, 2.75, 3.25]]]}"

    /// A loop reading elements of rank-3 data with scalar parameters runs as a kernel, and
    /// agrees with the tree (to the order partials are summed in: 1e-12 relative).
    @Test func rank3DataElementsRunInTheKernel() throws {
        var kernel = try compile(Self.model, json: Self.json)
        var tree = try compile(Self.model, json: Self.json)
        tree.useLoopKernels = false
        for x in randomPoints(dimension: 3, count: 6, seed: 4) {
            let runs = kernel.evaluator.kernelRuns
            let (v1, g1) = try kernel.evaluate(x)
            #expect(kernel.evaluator.kernelRuns > runs, "no kernel completed at \(x)")
            let (v2, g2) = try tree.evaluate(x)
            #expect(relativeError(v1, v2) <= 1e-12)
            #expect(maxRelativeError(g1, g2) <= 1e-12)
        }
    }

    /// An index past its own size is an error even where the flat offset would still be
    /// inside the array (y[1, 3, 1] is y[2, 1, 1]'s place): the kernel gives up and the tree
    /// names the dimension.
    @Test func aMiddleIndexPastItsSizeIsAnErrorInTheKernelToo() throws {
        // i ≤ 2 and j + 1 ≤ 3: every flat offset (i − 1)·2 + j + 1 ≤ 5 rows is inside y's 6.
        let text = Self.model.replacingOccurrences(of: "y[i, j, k] ~", with: "y[i, j + 1, k] ~")
            .replacingOccurrences(of: "for i in 1..3", with: "for i in 1..2")
        var model = try compile(text, json: Self.json)
        try expectLocatedRuntimeError("index 3 is out of range for 'y' (1..2) in dimension 2 of 3") {
            _ = try model.evaluate([0.1, 0.2, 0.3])
        }
    }
}

@Suite struct HigherRankEmptyDataTests {
    /// As for a matrix, `[]` is an array of rank 3 with zero rows; its other sizes come from
    /// the declaration.
    @Test func emptyRank3DataBindsAsZeroRows() throws {
        let (model, _) = try checked("data N: int\ndata y: real[N, 2, 3]\nparam mu: real\nmu ~ normal(0, 1)")
        let (table, issues) = try bind(model, json: "{\"N\": 0, \"y\": []}")
        #expect(issues.isEmpty, "\(issues.map(\.message))")
        #expect(table?["y"]?.shape == [0, 2, 3])
    }
}
