// Stan's constrained types: the transforms of Evaluator+ConstrainedTypes.swift against their
// definitions (Stan Reference Manual, "Constraint transforms"): constrain ∘ unconstrain is the
// identity, the log-Jacobian is log|det J| of the map from the unconstrained coordinates to
// the free constrained ones (by finite differences), a uniform simplex is a flat density of
// total mass 1/(K − 1)! on the first K − 1 coordinates, gradients and Dual Hessians are exact;
// inits and data of the wrong structure are located errors.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmMath
@testable import SynmRuntime
import Testing

/// A model whose only parameter has `type` and no term: its log density is the transform's
/// log-Jacobian (plus −½‖y‖² for a unit vector).
private func bare(_ type: String) throws -> CompiledModel {
    try compile("param x: \(type)\n")
}

/// The constrained elements the unconstrained coordinates determine (flat, row-major
/// indices), so that ∂(these)/∂y is square.
private func freeIndices(_ type: String, shape: [Int]) -> [Int] {
    let m = shape.first ?? 0, n = shape.count > 1 ? shape[1] : 0
    switch type {
    case "simplex": return Array(0..<(m - 1))
    case "ordered", "positive_ordered": return Array(0..<m)
    case "cov_matrix": return (0..<m).flatMap { i in (0...i).map { i * n + $0 } }
    case "cholesky_factor_cov": return (0..<m).flatMap { i in (0...min(i, n - 1)).map { i * n + $0 } }
    default: return (0..<m).flatMap { i in (0..<i).map { i * n + $0 } }  // strictly lower
    }
}

/// log|det A| of a square matrix via ½ log det(AᵀA).
private func logAbsDet(_ a: [[Double]]) -> Double? {
    let n = a.count
    var ata = Matrix(rows: n, cols: n)
    for i in 0..<n { for j in 0..<n { ata[i, j] = (0..<n).reduce(0) { $0 + a[$1][i] * a[$1][j] } } }
    return ata.logDeterminantSPD().map { $0 / 2 }
}

private let squareTypes: [(String, String)] = [
    ("simplex[4]", "simplex"), ("ordered[3]", "ordered"), ("positive_ordered[3]", "positive_ordered"),
    ("cov_matrix[3]", "cov_matrix"), ("corr_matrix[3]", "corr_matrix"), ("corr_matrix[4]", "corr_matrix"),
    ("cholesky_factor_corr[4]", "cholesky_factor_corr"), ("cholesky_factor_cov[3]", "cholesky_factor_cov"),
    ("cholesky_factor_cov[4, 2]", "cholesky_factor_cov"),
]

@Suite struct ConstrainedTypeTests {
    @Test func unconstrainedSizes() throws {
        let sizes = [("simplex[4]", 3, 4), ("ordered[3]", 3, 3), ("unit_vector[3]", 3, 3), ("cov_matrix[3]", 6, 9),
                     ("corr_matrix[3]", 3, 9), ("cholesky_factor_corr[4]", 6, 16), ("cholesky_factor_cov[4, 2]", 7, 8),
                     ("cholesky_factor_cov[3]", 6, 9)]
        for (type, free, values) in sizes {
            let m = try compile("param a: real\nparam x: \(type)\nparam b: real<lower=0>\n")
            #expect(m.dimension == free + 2, "\(type)")
            #expect(m.constrainedDimension == values + 2, "\(type)")
            #expect(m.parameters[2].freeOffset == free + 1 && m.parameters[2].offset == values + 1, "\(type)")
        }
    }

    @Test func roundTripAndValidValues() throws {
        for (type, kind) in squareTypes + [("unit_vector[3]", "unit_vector")] {
            var m = try bare(type)
            let shape = m.parameters[0].shape
            for y in randomPoints(dimension: m.dimension, count: 5, seed: 7) {
                let x = try m.constrain(y)
                #expect(ConstrainedValues.violation(ConstrainedType(rawValue: kind)!, x, shape: shape, name: "x") == nil,
                        "\(type) at \(y): \(x)")
                let back = try m.unconstrain(["x": x])
                if kind == "unit_vector" {
                    // Only the direction is kept: the unconstrained point is x itself.
                    #expect(maxRelativeError(try m.constrain(back), x) < 1e-12)
                } else {
                    #expect(zip(back, y).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) }, "\(type): \(y) → \(x) → \(back)")
                }
            }
        }
    }

    @Test func logJacobianIsLogAbsDetOfTheFreeCoordinates() throws {
        for (type, kind) in squareTypes {
            var m = try bare(type)
            let shape = m.parameters[0].shape
            let free = freeIndices(kind, shape: shape)
            #expect(free.count == m.dimension, "\(type)")
            for y in randomPoints(dimension: m.dimension, count: 3, seed: 11, scale: 1) {
                var copy = m
                let columns = (0..<y.count).map { i in
                    centralDifference({ v in
                        let x = (try? copy.constrain(v)) ?? []
                        return free.map { x.indices.contains($0) ? x[$0] : .nan }
                    }, at: y, coordinate: i).derivative
                }
                let jacobian = free.indices.map { r in columns.map { $0[r] } }
                let expected = try #require(logAbsDet(jacobian))
                let logJ = try m.evaluate(y).value
                #expect(abs(logJ - expected) < 1e-7 * max(1, abs(expected)), "\(type) at \(y): \(logJ) vs \(expected)")
            }
        }
    }

    /// A flat density on the simplex is Dirichlet(1, …, 1), whose density on the first K − 1
    /// coordinates is (K − 1)!: so ∫ exp(log J(y)) dy = 1 / (K − 1)! (trapezoid rule on a
    /// grid; the integrand is smooth with exponential tails).
    @Test func uniformSimplexHasTheDirichletNormalisingConstant() throws {
        var two = try bare("simplex[2]")
        var sum = 0.0
        let h = 0.05
        for i in -800...800 { sum += exp(try two.evaluate([Double(i) * h]).value) * h }
        #expect(abs(sum - 1) < 1e-9, "K = 2: \(sum)")
        var three = try bare("simplex[3]")
        let h3 = 0.4
        sum = 0
        for i in -75...75 {
            for j in -75...75 { sum += exp(try three.evaluate([Double(i) * h3, Double(j) * h3]).value) * h3 * h3 }
        }
        #expect(abs(sum - 0.5) < 1e-6, "K = 3: \(sum)")
    }

    @Test func gradientsAndHessiansAreExact() throws {
        let model = """
        param theta: simplex[3]
        param c: ordered[3]
        param p: positive_ordered[2]
        param u: unit_vector[3]
        param S: cov_matrix[2]
        param R: corr_matrix[3]
        param L: cholesky_factor_corr[3]
        param F: cholesky_factor_cov[3, 2]
        target += 2 * log(theta[1]) + theta[2] * c[3] - square(c[1]) - p[2] + u[1] * u[3]
        target += -0.5 * (S[1, 1] + S[2, 2]) + 0.3 * S[1, 2] + R[1, 3] * R[2, 3] + L[3, 2] + L[3, 3] * F[3, 2] - square(F[2, 1])
        """
        var m = try compile(model)
        for x in randomPoints(dimension: m.dimension, count: 2, seed: 5, scale: 0.8) {
            expectModelGradientMatchesFiniteDifferences(&m, at: x, "constrained types")
            let (_, gradient, hessian) = try m.hessian(x)
            #expect(maxRelativeError(gradient, try m.evaluate(x).gradient) < 1e-12)
            var copy = m
            for j in 0..<x.count {
                let (column, roundoff) = centralDifference({ (try? copy.evaluate($0).gradient) ?? [] }, at: x, coordinate: j)
                for i in 0..<x.count {
                    let (ok, allowed) = derivativeMatches(hessian[i][j], column[i], roundoff: roundoff[i], relTol: 1e-6, absTol: 1e-9)
                    #expect(ok, "H[\(i)][\(j)] = \(hessian[i][j]), finite difference \(column[i]) (allowed \(allowed))")
                }
            }
        }
    }

    /// A loop kernel reads the elements of constrained-type parameters as the tree does.
    @Test func loopKernelsReadConstrainedParameters() throws {
        var kernel = try compile("""
        data y: real[4] = [0.1, 0.5, 1.2, 2]
        param c: ordered[4]
        param theta: simplex[4]
        for i in 1..4 {
            y[i] ~ normal(c[i], theta[i] + 0.5)
        }
        """)
        kernel.vectorisesLoops = false  // a kernel, not the vectorised loop (LoopVectoriseTests)
        var tree = kernel
        tree.useLoopKernels = false
        for x in randomPoints(dimension: kernel.dimension, count: 3, seed: 21) {
            let runs = kernel.evaluator.kernelRuns
            let a = try kernel.evaluate(x), b = try tree.evaluate(x)
            #expect(kernel.evaluator.kernelRuns > runs, "no kernel completed")
            #expect(relativeError(a.value, b.value) < 1e-12 && maxRelativeError(a.gradient, b.gradient) < 1e-12)
        }
    }

    @Test func initsOfTheWrongStructureAreLocated() throws {
        var m = try compile("param mu: real\nparam theta: simplex[3]\nparam S: cov_matrix[2]\n")
        try expectLocatedRuntimeError("the elements of simplex 'theta' sum to 1.25, not 1 (within 1e-8)") {
            _ = try m.unconstrain(["mu": [0], "theta": [0.5, 0.5, 0.25], "S": [1, 0, 0, 1]])
        }
        try expectLocatedRuntimeError("theta[2] is 0; the elements of simplex 'theta' must be positive") {
            _ = try m.unconstrain(["mu": [0], "theta": [0.5, 0, 0.5], "S": [1, 0, 0, 1]])
        }
        try expectLocatedRuntimeError("S[2, 1] is 0.2 but S[1, 2] is 0.3; 'S' must be symmetric") {
            _ = try m.unconstrain(["mu": [0], "theta": [0.2, 0.3, 0.5], "S": [1, 0.3, 0.2, 1]])
        }
        try expectLocatedRuntimeError("cov_matrix 'S' is not positive definite") {
            _ = try m.unconstrain(["mu": [0], "theta": [0.2, 0.3, 0.5], "S": [1, 2, 2, 1]])
        }
        // A partial init: the missing constrained parameter is drawn, the given one checked.
        let (u, given) = try m.unconstrain(["theta": [0.2, 0.3, 0.5]], allowMissing: true)
        #expect(given == [false, true, true, false, false, false])
        #expect(maxRelativeError(Array(try m.constrain(u)[1..<4]), [0.2, 0.3, 0.5]) < 1e-12)
    }

    @Test func dataOfConstrainedTypesAreChecked() throws {
        let (model, _) = try checked("data p: simplex[3]\ndata R: corr_matrix[2]\nparam mu: real\nmu ~ normal(p[1] + R[1, 2], 1)\n")
        let (good, none) = try bind(model, json: #"{"p": [0.2, 0.3, 0.5], "R": [[1, 0.5], [0.5, 1]]}"#)
        #expect(good != nil && none.isEmpty)
        let (_, sum) = try bind(model, json: #"{"p": [0.2, 0.3, 0.4], "R": [[1, 0.5], [0.5, 1]]}"#)
        #expect(sum.map(\.message) == ["the elements of simplex 'p' sum to 0.9, not 1 (within 1e-8)"])
        let (_, diagonal) = try bind(model, json: #"{"p": [0.2, 0.3, 0.5], "R": [[1, 0.5], [0.5, 2]]}"#)
        #expect(diagonal.map(\.message) == ["R[2, 2] is 2; the diagonal of corr_matrix 'R' must be 1"])
        let (_, square) = try bind(model, json: #"{"p": [0.2, 0.3, 0.5], "R": [[1, 0.5, 0], [0.5, 1, 0]]}"#)
        #expect(square.map(\.message) == ["'R' is corr_matrix, a square matrix, but the data is 2 × 3"])
        let (cholesky, _) = try checked("data L: cholesky_factor_corr[2]\nparam mu: real\nmu ~ normal(L[2, 1], 1)\n")
        let (_, row) = try bind(cholesky, json: #"{"L": [[1, 0], [0.5, 0.5]]}"#)
        #expect(row.map(\.message) == ["row 2 of cholesky_factor_corr 'L' has squared length 0.5, not 1 (within 1e-8)"])
        let (_, upper) = try bind(cholesky, json: #"{"L": [[1, 0.1], [0.6, 0.8]]}"#)
        #expect(upper.map(\.message) == ["L[1, 2] is 0.1; 'L' must be lower triangular (0 above the diagonal)"])
    }

    @Test func checkerRefusesMisuse() throws {
        try expectCheckerError("simplex[1] is too small") { _ = try compile("param x: simplex[1]\n") }
        try expectCheckerError("simplex takes no bounds") { _ = try compile("param x: simplex<lower=0>[3]\n") }
        try expectCheckerError("cov_matrix takes one size") { _ = try compile("param x: cov_matrix[3, 3]\n") }
        try expectCheckerError("fewer rows than columns") { _ = try compile("param x: cholesky_factor_cov[2, 3]\n") }
        try expectCheckerError("ordered is only for parameters and data, not for a var") {
            _ = try compile("param x: real\nvar v: ordered[2]\n")
        }
        try expectCheckerError("a size must be an int") { _ = try compile("param x: simplex[2.5]\n") }
        // A size from data below the minimum is located at run time.
        try expectLocatedRuntimeError("'x' is simplex[1]: simplex needs a size of at least 2") {
            _ = try compile("data K: int\nparam x: simplex[K]\n", json: #"{"K": 1}"#)
        }
    }
}
