// The syntax of Stan's linear algebra: `vector[N]`, `row_vector[N]`, `matrix[N, M]` types
// with bounds, postfix `'` (transpose) and the element-wise `.*`, `./`; and the kinds the
// checker gives expressions.
import SynmDiagnostics
import Testing
@testable import SynmFrontend

@Suite struct LinearAlgebraSyntaxTests {
    @Test(arguments: [
        ("x'", "transpose(x)"),
        ("x' * y", "(transpose(x) * y)"),
        ("a .* b + c", "(elt_multiply(a,b) + c)"),
        ("a ./ b .* c", "elt_multiply(elt_divide(a,b),c)"),
        ("a * b .* c", "elt_multiply((a * b),c)"),
        ("-x'^2", "(-(transpose(x) ^ 2))"),
        ("X[1]'", "transpose(X[1])"),
        ("(A * B)'[2, 1]", "transpose((A * B))[2,1]"),
        ("x''", "transpose(transpose(x))"),
        ("2.*x", "elt_multiply(2,x)"),
        ("a .*\n  b", "elt_multiply(a,b)"),
    ])
    func operators(source: String, expected: String) {
        #expect(letValue(source) == expected)
    }

    @Test func typesWithBoundsAndSizes() throws {
        let (p, d) = parse("data y: vector<lower=0>[N]\nparam r: row_vector[3]\nparam m: matrix<lower=-1, upper=1>[2, K]\n")
        #expect(!d.hasErrors)
        var kinds: [ContainerKind] = []
        for s in p.statements {
            switch s.kind {
            case .data(_, let t, _), .param(_, let t):
                kinds.append(t.kind)
                #expect(t.base == .real)
            default: Issue.record("unexpected statement")
            }
        }
        #expect(kinds == [.vector, .rowVector, .matrix])
        if case .param(_, let t) = p.statements[2].kind {
            #expect(t.dims.count == 2)
            #expect(t.lower != nil && t.upper != nil)
        }
    }

    @Test("wrong sizes are parse errors with the usage", arguments: [
        ("param v: vector[2, 3]", "vector takes one size, but 2 were given"),
        ("param m: matrix[3]", "matrix takes two sizes, but 1 was given"),
        ("param v: vector", "vector needs its size"),
        ("param m: matrix<lower=0>", "matrix needs its sizes"),
    ])
    func sizeErrors(source: String, message: String) {
        let (_, d) = parse(source)
        #expect(d.contains { $0.message == message }, "\(d.map(\.message))")
    }

    /// A chain `a .* b .* …` is as long as a chain of `*` may be, not a nesting of calls.
    @Test func elementWiseChainsAreChains() {
        let chain = (0..<200).map { _ in "x" }.joined(separator: " .* ")
        let (_, d) = parse("let y = " + chain + "\n")
        #expect(!d.hasErrors, "\(d.map(\.message))")
    }

    @Test func vectorAndMatrixRemainNames() {
        let (_, d) = parse("data matrix: real[2]\nlet vector = matrix[1]\n")
        #expect(!d.hasErrors)
    }

    /// The checker's types of let values.
    func letTypes(_ text: String) -> [String: String] {
        let result = checkModel(SourceFile(name: "t.synm", text: text))
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.map(\.message))")
        var out: [String: String] = [:]
        for s in result.model?.symbols ?? [] where s.role == .let { out[s.name] = s.type.description }
        return out
    }

    @Test func kindsOfResults() {
        let types = letTypes("""
            data A: matrix[2, 2]
            data v: vector[2]
            data w: row_vector[2]
            data X: real[3, 2]
            data b: real[2]
            let p1 = A * v
            let p2 = w * A
            let p3 = w * v
            let p4 = v * w
            let p5 = A * A
            let p6 = v'
            let p7 = A[1]
            let p8 = exp(v)
            let p9 = X * b
            let q1 = X * A
            let q2 = b .* b
            let q3 = 2 * w
            let q4 = to_vector(A)
            let q5 = cholesky_decompose(A)
            let q6 = rows(w)
            let q7 = dims(A)
            let q8 = append_row(w, A)
            let q9 = append_col(w, w)
            """)
        #expect(types == ["p1": "vector", "p2": "row_vector", "p3": "real", "p4": "matrix", "p5": "matrix",
                          "p6": "row_vector", "p7": "row_vector", "p8": "vector", "p9": "real array",
                          "q1": "matrix", "q2": "real array", "q3": "row_vector", "q4": "vector", "q5": "matrix",
                          "q6": "int", "q7": "int array", "q8": "matrix", "q9": "row_vector"])
    }
}
