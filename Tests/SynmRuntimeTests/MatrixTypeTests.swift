// vector, row_vector and matrix: values of the products, transposition and functions
// against hand computations (closed forms written beside each case), gradients and
// Hessians with parameters everywhere against finite differences (InlineModelHarness), and
// the errors: shape misuse is a checker error with a hint, sizes and domains (not square,
// not positive definite, singular) located runtime errors naming both sizes.
import Foundation
import SynmDiagnostics
import SynmFrontend
import Testing
@testable import SynmRuntime

/// The value of a data-only `expression` under `declarations`, through a compiled model.
func algebraValue(_ expression: String) throws -> Double {
    var model = try compile(MatrixTypeTests.declarations + "param a: real\ntarget += (\(expression)) - square(a)\n")
    return try model.evaluate([0]).value
}

@Suite struct MatrixTypeTests {
    /// A = [[4, 2], [2, 3]] (symmetric positive definite), B = [[1, 2], [3, 4]],
    /// v = (1, 2)ᵀ, w = (3, −1), u = (1, …, 6)ᵀ, C a 3×3 positive-definite matrix.
    static let declarations = """
        data A: matrix[2, 2] = [[4, 2], [2, 3]]
        data B: matrix[2, 2] = [[1, 2], [3, 4]]
        data v: vector[2] = [1, 2]
        data w: row_vector[2] = [3, -1]
        data u: vector[6] = [1, 2, 3, 4, 5, 6]
        data C: matrix[3, 3] = [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 2]]
        data M: matrix[2, 2] = [[2, 9], [1, 3]]

        """

    @Test("values against hand computations", arguments: [
        ("(A * A)[1, 2]", 14.0),  // 4·2 + 2·3
        ("(A * B)[2, 1]", 11.0),  // 2·1 + 3·3
        ("(A * v)[2]", 8.0),  // 2·1 + 3·2
        ("(w * A)[1]", 10.0),  // 3·4 − 1·2
        ("w * v", 1.0),  // 3·1 − 1·2
        ("(v * w)[2, 1]", 6.0),  // 2·3
        ("v' * v", 5.0),  // 1 + 4
        ("(B')[1, 2]", 3.0),
        ("transpose(B)[2, 1]", 2.0),
        ("(w' * w)[1, 2]", -3.0),  // outer product: 3·(−1)
        ("(B * w')[2]", 5.0),  // 3·3 + 4·(−1)
        ("(v * [[1.0, 2.0]])[2, 2]", 4.0),  // vector × 1-row matrix
        ("(v' * B)[2]", 10.0),  // 1·2 + 2·4
        ("quad_form(A, v)", 24.0),  // vᵀAv = 4 + 2·2·2 + 3·4
        ("quad_form(A, B)[1, 2]", 64.0),  // AB = [[10, 16], [11, 16]]; (BᵀAB)₁₂ = (1, 3)·(16, 16)
        ("cholesky_decompose(A)[1, 1]", 2.0),  // √4
        ("cholesky_decompose(A)[2, 1]", 1.0),  // 2/2
        ("cholesky_decompose(A)[2, 2]", 1.4142135623730951),  // √(3 − 1)
        ("cholesky_decompose(A)[1, 2]", 0.0),
        ("log_determinant(A)", 2.0794415416798357),  // log 8
        ("log_determinant(B)", 0.6931471805599453),  // log |−2|
        ("mdivide_left(A, v)[1]", -0.125),  // A⁻¹ = [[3, −2], [−2, 4]]/8
        ("mdivide_left(A, v)[2]", 0.75),
        ("mdivide_left(A, B)[2, 2]", 1.5),  // row 2 of A⁻¹ times column 2 of B: (−2·2 + 4·4)/8
        ("mdivide_left_tri_low(M, v)[1]", 0.5),  // upper triangle ignored: 2x₁ = 1
        ("mdivide_left_tri_low(M, v)[2]", 0.5),  // (2 − 1·0.5)/3
        ("inverse(A)[1, 2]", -0.25),
        ("inverse(A)[2, 2]", 0.5),
        ("diag_matrix(v)[2, 2]", 2.0),
        ("diag_matrix(v)[1, 2]", 0.0),
        ("diagonal(A)[2]", 3.0),
        ("trace(A)", 7.0),
        ("to_vector(B)[2]", 3.0),  // column-major: 1, 3, 2, 4
        ("to_row_vector(B)[3]", 2.0),
        ("to_matrix(u, 2, 3)[1, 2]", 3.0),  // filled column by column: (1, 2), (3, 4), (5, 6)
        ("to_matrix(u, 2, 3)[2, 3]", 6.0),
        ("to_matrix(u, 3, 2)[1, 2]", 4.0),
        ("to_matrix(B, 1, 4)[1, 2]", 3.0),  // column-major elements of B
        ("rows(to_matrix(v))", 2.0), ("cols(to_matrix(v))", 1.0),
        ("rows(to_matrix(w))", 1.0), ("cols(to_matrix(w))", 2.0),
        ("cumulative_sum(u)[4]", 10.0),
        ("rows(w)", 1.0), ("cols(w)", 2.0), ("rows(v)", 2.0), ("cols(v)", 1.0),
        ("rows(u' * u + rep_matrix(0, 3, 5))", 3.0),
        ("num_elements(C)", 9.0), ("dims(C)[2]", 3.0), ("dims(u)[1]", 6.0),
        ("append_row(v, u)[3]", 1.0), ("num_elements(append_row(v, u))", 8.0),
        ("append_row(2.5, v)[1]", 2.5),
        ("append_row(B, w)[3, 1]", 3.0), ("rows(append_row(w, w))", 2.0),
        ("append_col(B, v)[2, 3]", 2.0), ("append_col(w, w)[4]", -1.0), ("cols(append_col(v, B))", 3.0),
        ("crossprod(B)[1, 2]", 14.0),  // BᵀB: column 1 · column 2 = 1·2 + 3·4
        ("tcrossprod(B)[1, 2]", 11.0),  // BBᵀ: row 1 · row 2 = 1·3 + 2·4
        ("rep_vector(1.5, 3)[3]", 1.5), ("rep_row_vector(2, 4)[4]", 2.0),
        ("rep_matrix(2.5, 2, 3)[2, 3]", 2.5), ("rep_matrix(v, 3)[2, 3]", 2.0), ("rep_matrix(w, 2)[2, 1]", 3.0),
        ("segment(u, 2, 3)[3]", 4.0), ("num_elements(segment(u, 2, 3))", 3.0),
        ("sum(A)", 11.0), ("mean(B)", 2.5),
        ("(v .* v)[2]", 4.0), ("(v ./ v)[1]", 1.0), ("(B .* B)[2, 1]", 9.0), ("(B ./ A)[1, 2]", 1.0),
        ("(2 * A)[1, 1]", 8.0), ("(A + B)[2, 2]", 7.0), ("(A - B)[1, 2]", 0.0), ("(A / 2)[2, 2]", 1.5),
        ("diag_pre_multiply(v, B)[2, 1]", 6.0), ("diag_post_multiply(B, v)[1, 2]", 4.0),  // 2·3; 2·2
        ("dot_self(u)", 91.0), ("add_diag(B, 1.5)[2, 2]", 5.5), ("add_diag(B, v)[2, 2]", 6.0), ("add_diag(B, v)[1, 2]", 2.0),
        ("A[2][1]", 2.0), ("(A[2] * v)", 8.0),  // a matrix's row is a row_vector
        // C = L Lᵀ: the factor reproduces C (every entry, summed as squared residuals).
        ("sum(square(cholesky_decompose(C) * cholesky_decompose(C)' - C))", 0.0),
        ("sum(square(C * inverse(C) - diag_matrix(rep_vector(1, 3))))", 0.0),
        ("sum(square(C * mdivide_left(C, [1.0, -2.0, 0.5]) - [1.0, -2.0, 0.5]))", 0.0),
        // log det C = 2 Σ log Lᵢᵢ.
        ("log_determinant(C) - 2 * sum(log(diagonal(cholesky_decompose(C))))", 0.0),
    ])
    func values(_ expression: String, _ expected: Double) throws {
        let value = try algebraValue(expression)
        #expect(abs(value - expected) <= 1e-13 * max(1, abs(expected)), "\(expression) = \(value), expected \(expected)")
    }

    static let cases: [InlineCase] = [
        InlineCase("products with parameters on both sides", scale: 1, edge: 2, """
            param P: matrix[2, 3]
            param Q: matrix[3, 2]
            param x: vector[3]
            param r: row_vector[2]
            target += -0.5 * sum(square(P * Q)) + r * P * x - 0.1 * sum(square(x * r)) + 0.2 * (x' * x) * (r * r')
            target += sum(P .* P ./ (1 + square(Q'))) + sum(2.5 * P - P / 3)
            target += 0.3 * sum(to_matrix(x) * r) - 0.1 * sum(square(x * to_matrix(r)))
            """),
        InlineCase("data matrices and parameter vectors", scale: 1, edge: 2, """
            data X: matrix[3, 2] = [[1, 0.5], [1, -0.3], [1, 2.0]]
            data y: vector[3] = [1.0, 0.2, 3.1]
            param b: vector[2]
            param c: row_vector[3]
            y ~ normal(X * b, 1)
            target += -square(c * X * b) + sum(exp(0.3 * (X' * c')))
            """),
        InlineCase("reshaping, stacking and repeating with parameters", scale: 1, edge: 2, """
            param P: matrix[2, 3]
            param x: vector[3]
            param s: real
            let T = append_row(P, x') + rep_matrix(s, 3, 3)
            target += -0.5 * sum(square(T)) + sum(segment(cumulative_sum(to_vector(P)), 2, 3) .* to_vector(to_matrix(x, 3, 1)))
            target += sum(exp(0.2 * append_col(P, segment(x, 1, 2)))) + sum(diag_matrix(x) * x) - trace(crossprod(P))
            target += sum(rep_matrix(x, 3) .* rep_matrix(x', 3)) * 0.1 + sum(tcrossprod(P)) * 0.05 + sum(diagonal(T))
            target += quad_form(crossprod(P) + diag_matrix(rep_vector(1, 3)), x) * 0.1 + rep_row_vector(s, 3) * x
            target += sum(diag_pre_multiply(exp(segment(x, 1, 2)), P)) - sum(square(diag_post_multiply(P, x))) * 0.1
            target += -0.2 * dot_self(x) + sum(add_diag(crossprod(P), x)) * 0.1 + trace(add_diag(tcrossprod(P), s))
            """),
        InlineCase("cholesky_decompose and log_determinant of a parameter matrix", scale: 0.8, edge: 1.5, """
            param G: matrix[3, 3]
            let S = tcrossprod(G) + diag_matrix(rep_vector(1, 3))
            let L = cholesky_decompose(S)
            target += sum(L) + 2 * sum(log(diagonal(L))) - log_determinant(S) + log_determinant(S) * 0.5 - 0.5 * sum(square(G))
            """),
        InlineCase("mdivide_left, mdivide_left_tri_low and inverse with parameters", scale: 0.8, edge: 1.5, """
            param G: matrix[3, 3]
            param x: vector[3]
            param H: matrix[3, 2]
            let S = crossprod(G) + diag_matrix(rep_vector(2, 3))
            let L = cholesky_decompose(S)
            target += -0.5 * (x' * mdivide_left(S, x)) + sum(mdivide_left(S, H)) * 0.3
            target += sum(mdivide_left_tri_low(L, x)) + sum(square(inverse(S))) - 0.5 * sum(square(G)) - sum(square(H))
            """),
        InlineCase("vars of vector and matrix type, filled in loops and by rows", scale: 1, edge: 2, """
            param b: vector[3]
            var m: matrix[3, 3]
            for i in 1..3 {
              for j in 1..3 {
                m[i, j] = b[i] * b[j] + (i == j)
              }
            }
            m[2] = b' + m[2]
            var c: vector[3] = m * b
            target += -0.5 * sum(square(c)) - 0.5 * (b' * b)
            """),
    ]

    @Test(arguments: cases)
    func gradientsAndHessians(_ c: InlineCase) throws { try checkInlineModel(c) }

    @Test("shape misuse is a checker error with a hint", arguments: [
        ("target += v * v", "cannot multiply vector by vector"),
        ("target += w * w", "cannot multiply row_vector by row_vector"),
        ("target += sum(v + w)", "cannot apply '+' to vector and row_vector"),
        ("target += sum(A / B)", "cannot divide matrix by matrix with '/'"),
        ("target += sum(v .* w)", "cannot apply '.*' to vector and row_vector"),
        ("target += log_determinant(v)", "argument 1 of 'log_determinant' must be a square matrix, but this is vector"),
        ("target += sum(mdivide_left(A, w))", "argument 2 of 'mdivide_left' must be a vector or a matrix, but this is row_vector"),
        ("target += sum(append_row(v, w))", "cannot append_row vector and row_vector"),
        ("target += rows(a)", "'rows' takes a vector, row_vector, matrix or array, but this is a scalar"),
        ("let z: vector[2] = w'\nlet q: row_vector[2] = z\ntarget += sum(q)", "'q' is declared row_vector, but its value is vector"),
        // Sizes written as literals on both sides are compared when the model is checked.
        ("target += sum(C * v)", "matrix[3, 3] * vector[2]: columns 3 ≠ rows 2"),
        ("target += sum(w * C)", "row_vector[2] * matrix[3, 3]: columns 2 ≠ rows 3"),
        ("target += u' * v", "row_vector[6] * vector[2]: columns 6 ≠ rows 2"),
        ("target += sum(C * B')", "matrix[3, 3] * matrix[2, 2]: columns 3 ≠ rows 2"),
    ])
    func checkerErrors(_ statement: String, _ message: String) throws {
        try expectCheckerError(message) { _ = try compile(Self.declarations + "param a: real\n" + statement + "\n") }
    }

    @Test("a product of two vectors or two row_vectors hints at transposition", arguments: ["v * v", "w * w", "v' * w"])
    func transposeHint(_ product: String) throws {
        let text = Self.declarations + "param a: real\ntarget += a * sum(\(product))\n"
        let result = checkModel(SourceFile(name: "m.synm", text: text))
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.hint?.hasPrefix("did you mean transpose?") == true, "\(errors.map(\.message))")
        // Located at the product.
        #expect(errors.first.flatMap { $0.span.map { String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: $0.start)..<text.utf8.index(text.utf8.startIndex, offsetBy: $0.end)]) } } == product)
    }

    @Test("sizes and domains are located runtime errors", arguments: [
        // Sizes from data (not literals) are known at the call.
        ("data N: int = 3\ndata X: matrix[N, 2] = [[1, 2], [3, 4], [5, 6]]\nparam x: vector[N]\ntarget += sum(X * x)",
         "matrix[3, 2] * vector[3]: columns 2 ≠ rows 3"),
        ("data N: int = 3\ndata X: matrix[N, 2] = [[1, 2], [3, 4], [5, 6]]\nparam P: matrix[N, 2]\ntarget += sum(X * P)",
         "matrix[3, 2] * matrix[3, 2]: columns 2 ≠ rows 3"),
        ("param r: row_vector[3]\ntarget += r * rep_vector(1, 2)", "row_vector[3] * vector[2]: columns 3 ≠ rows 2"),
        ("param P: matrix[2, 3]\ntarget += log_determinant(P)", "log_determinant: the matrix is 2×3, not square"),
        ("param P: matrix[2, 3]\ntarget += sum(cholesky_decompose(P))", "cholesky_decompose: the matrix is 2×3, not square"),
        ("param x: real\ntarget += sum(cholesky_decompose([[1, 2], [2, 1]] * exp(x)))",
         "cholesky_decompose: the matrix is not positive definite (pivot 2 is -3)"),
        ("param x: real\ntarget += sum(cholesky_decompose([[1, 2], [0, 1]] * exp(x)))",
         "cholesky_decompose: the matrix is not symmetric: [2, 1] is 0 but [1, 2] is 2"),
        ("param x: real\ntarget += log_determinant([[1, 2], [2, 4]] * exp(x))", "log_determinant: the matrix is singular"),
        ("param x: vector[3]\ntarget += sum(mdivide_left(diag_matrix(exp(x)), rep_vector(1, 2)))",
         "mdivide_left: the matrix is 3×3 but the right side has 2 rows"),
        ("param x: vector[3]\ntarget += sum(segment(x, 2, 3))", "segment: elements 2..4 are outside 1..3"),
        ("param x: vector[3]\ntarget += sum(to_matrix(x, 2, 2))", "to_matrix: 2 × 2 = 4 elements, but the argument has 3"),
        ("param P: matrix[2, 3]\ntarget += sum(P + P')", "element-wise '+' needs equal shapes, but they are 2×3 and 3×2"),
        ("param P: matrix[2, 3]\ntarget += sum(diag_pre_multiply(rep_vector(1, 3), P))",
         "diag_pre_multiply: the vector has 3 elements but the matrix 2 rows"),
        ("param P: matrix[2, 3]\ntarget += sum(add_diag(P, rep_vector(1, 3)))", "add_diag: the diagonal has 2 elements but the vector 3"),
        ("param P: matrix[2, 3]\ntarget += sum(append_row(P, rep_row_vector(1, 2)))",
         "append_row: the top has 3 columns but the bottom 2"),
    ])
    func runtimeErrors(_ text: String, _ message: String) throws {
        try expectLocatedRuntimeError(message) {
            var model = try compile(text + "\n")
            _ = try model.evaluate([Double](repeating: 0, count: model.dimension))
        }
    }

    @Test("a result too large for one evaluation is a located error, not a crash", arguments: [
        "target += sum(rep_vector(x, 100000000))",
        "target += sum(rep_matrix(x, 50000, 50000))",
        "target += sum(diag_matrix(rep_vector(x, 20000)))",
        "target += sum(rep_vector(x, 5000) * rep_row_vector(x, 5000))",
        "target += sum(inverse(diag_matrix(rep_vector(exp(x), 200))))",
    ])
    func tapeLimits(_ statement: String) throws {
        do {
            var model = try compile("param x: real\n" + statement + "\n")
            _ = try model.evaluate([0.1])
            Issue.record("no error for \(statement)")
        } catch let e as RuntimeError {
            #expect(e.message.contains("more than one evaluation of the model can hold"), "\(e.message)")
            #expect(e.span != nil)
        }
    }

    /// linear_regression written with matrix[N, D] and vector[D] compiles to the array
    /// model's program: the same values and gradients, bit for bit, through the fused GLM term.
    @Test func matrixTypedRegressionIsTheArrayModel() throws {
        let url = repositoryRoot.appendingPathComponent("models/linear_regression.synm")
        let text = try String(contentsOf: url, encoding: .utf8)
        let typed = text.replacingOccurrences(of: "data X: real[N, D]", with: "data X: matrix[N, D]")
            .replacingOccurrences(of: "data y: real[N]", with: "data y: vector[N]")
            .replacingOccurrences(of: "param beta: real[D]", with: "param beta: vector[D]")
        #expect(typed.contains("matrix[N, D]") && typed.contains("vector[D]"))
        let json = try String(contentsOf: repositoryRoot.appendingPathComponent("models/linear_regression.data.json"),
                              encoding: .utf8)
        var arrays = try compile(text, json: json), matrices = try compile(typed, json: json)
        let before = matrices.fusedTermEvaluations
        for x in randomPoints(dimension: arrays.dimension, count: 3, seed: 0x11A, scale: 1) {
            let a = try arrays.evaluate(x), m = try matrices.evaluate(x)
            #expect(a.value == m.value && a.gradient == m.gradient)
        }
        #expect(matrices.fusedTermEvaluations > before, "the fused GLM path did not run")
    }

    @Test func vectorsAndMatricesReadStanJSONAsArrays() throws {
        let text = """
            data N: int
            data X: matrix[N, 2]
            data y: vector<lower=0>[N]
            param b: vector[2]
            y ~ normal(X * b, 1)
            """
        var model = try compile(text, json: #"{"N": 2, "X": [[1, 2], [3, 4]], "y": [0.5, 1.5]}"#)
        // log N(0.5 | 1·b₁ + 2·b₂, 1) + log N(1.5 | 3b₁ + 4b₂, 1) at b = (0.1, −0.2): means −0.3, −0.5.
        let expected = -log(2 * Double.pi) - 0.5 * (0.8 * 0.8 + 2.0 * 2.0)
        let value = try model.evaluate([0.1, -0.2]).value
        #expect(abs(value - expected) <= 1e-13 * abs(expected))
        // A bound on a vector is checked element by element, as on an array.
        try #require(throws: Error.self) {
            _ = try compile(text, json: #"{"N": 2, "X": [[1, 2], [3, 4]], "y": [0.5, -1.5]}"#)
        }
    }
}
