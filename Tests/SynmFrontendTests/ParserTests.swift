// Parser: precedence, continuation lines, spans, recovery.
import SynmDiagnostics
import Testing
@testable import SynmFrontend

func parse(_ text: String) -> (Program, [Diagnostic]) {
    var lexer = Lexer(file: SourceFile(name: "t", text: text))
    var parser = Parser(tokens: lexer.tokenize())
    let p = parser.parseProgram()
    return (p, lexer.diagnostics + parser.diagnostics)
}

/// A compact, fully parenthesised rendering of an expression.
func show(_ e: Expr) -> String {
    switch e.kind {
    case .intLiteral(let v): return "\(v)"
    case .realLiteral(let v): return "\(v)"
    case .name(let n): return n
    case .unary(let op, let x): return "(\(op.rawValue)\(show(x)))"
    case .binary(let op, let l, let r): return "(\(show(l)) \(op.rawValue) \(show(r)))"
    case .call(let n, _, let args, let bar):
        let shown = args.map { ($0.label.map { "\($0)=" } ?? "") + show($0.value) }
        if bar { return "\(n)(\(shown[0])|\(shown.dropFirst().joined(separator: ",")))" }
        return "\(n)(\(shown.joined(separator: ",")))"
    case .index(let b, let ix): return "\(show(b))[\(ix.map(show).joined(separator: ","))]"
    case .array(let es): return "[\(es.map(show).joined(separator: ","))]"
    case .string(let s): return "\"\(s)\""
    case .lambda(let p, _, let body): return "(\(p) -> \(show(body)))"
    case .error: return "<error>"
    }
}

func letValue(_ text: String) -> String? {
    let (p, d) = parse("let x = " + text)
    guard !d.hasErrors, case .let(_, _, let v) = p.statements.first?.kind else { return nil }
    return show(v)
}

@Suite struct ParserTests {
    @Test(arguments: [
        ("a + b * c", "(a + (b * c))"),
        ("a - b - c", "((a - b) - c)"),
        ("-x^2", "(-(x ^ 2))"),
        ("a ^ b ^ c", "(a ^ (b ^ c))"),
        ("a < b + 1 && c == d || e", "(((a < (b + 1)) && (c == d)) || e)"),
        ("!a + b", "((!a) + b)"),
        ("x[g[i]] * X[1, 2]", "(x[g[i]] * X[1,2])"),
        ("normal_lpdf(y | mu, s)", "normal_lpdf(y|mu,s)"),
        ("f(by = g)", "f(by=g)"),
        ("[1, 2, 3,]", "[1,2,3]"),
        ("(a + b) * c", "((a + b) * c)"),
    ])
    func precedence(source: String, expected: String) {
        #expect(letValue(source) == expected)
    }

    @Test func aLineEndingInAnOperatorContinues() {
        #expect(letValue("a +\n  b") == "(a + b)")
        #expect(letValue("f(a,\n  b\n)") == "f(a,b)")
    }

    @Test func aNewLineStartingWithBracketIsNotIndexing() {
        let (p, d) = parse("let x = a\n[1, 2] ~ normal(0, 1)")
        #expect(!d.hasErrors)
        #expect(p.statements.count == 2)
    }

    @Test func semicolonsSeparateStatements() {
        let (p, d) = parse("param a: real; param b: real")
        #expect(!d.hasErrors)
        #expect(p.statements.count == 2)
    }

    @Test func elseOnTheNextLine() {
        let (p, d) = parse("if a {\n  x = 1\n}\nelse {\n  x = 2\n}")
        #expect(!d.hasErrors)
        guard case .ifElse(_, _, let otherwise) = p.statements.first?.kind else {
            Issue.record("not an if")
            return
        }
        #expect(otherwise?.count == 1)
    }

    @Test func recoveryReportsEachBadLine() {
        let (p, d) = parse("param a real\nparam b: real\nparam c real\nparam d: real")
        #expect(d.count == 2)
        #expect(p.statements.count == 2)
    }

    @Test func footingForms() {
        let (p, d) = parse("y ~ normal(0, 1) footing power(a) normalized\ny ~ normal(0, 1) footing weight(w)")
        #expect(!d.hasErrors)
        guard case .tilde(_, _, let f) = p.statements[0].kind, case .power(_, let normalized)? = f?.kind else {
            Issue.record("no power footing")
            return
        }
        #expect(normalized)
    }

    @Test func spansCoverTheirSource() {
        let text = "param sigma: real<lower=0>[N]"
        let (p, _) = parse(text)
        guard case .param(_, let type) = p.statements[0].kind else {
            Issue.record("not a param")
            return
        }
        let file = SourceFile(name: "t", text: text)
        #expect(file.text(of: type.span) == "real<lower=0>[N]")
        #expect(file.text(of: p.statements[0].nameSpan!) == "sigma")
    }
}

@Suite struct TruncationParserTests {
    @Test("T[L, U] after a distribution, either bound optional", arguments: [
        ("y ~ normal(mu, sigma) T[0, 5]", true, true),
        ("y ~ normal(mu, sigma) T[0, ]", true, false),
        ("y ~ normal(mu, sigma) T[, lo + 1]", false, true),
        ("predict z ~ normal(mu, sigma) T[0, ]", true, false),
    ])
    func truncation(_ text: String, _ lower: Bool, _ upper: Bool) throws {
        let (program, diagnostics) = parse(text + "\n")
        #expect(!diagnostics.contains { $0.severity == .error })
        let dist: DistCall?
        switch program.statements.first?.kind {
        case .tilde(_, let d, _)?: dist = d
        case .predict(_, _, let d)?: dist = d
        default: dist = nil
        }
        #expect((dist?.truncation?.lower != nil) == lower)
        #expect((dist?.truncation?.upper != nil) == upper)
    }

    @Test("a missing comma is a located parse error")
    func missingComma() {
        let (_, diagnostics) = parse("y ~ normal(0, 1) T[0 5]\n")
        #expect(diagnostics.contains { $0.message.contains("',' between the truncation bounds") && $0.span != nil })
    }

    @Test("a name T elsewhere is still a name")
    func nameT() {
        let (program, diagnostics) = parse("data T: int = 3\ny[T] ~ normal(0, 1)\n")
        #expect(!diagnostics.contains { $0.severity == .error })
        #expect(program.statements.count == 2)
    }
}

/// Types of any rank: `real[N, M, K]`, `int<lower=0>[2, 3, 4, 5]` (grammar rule `dims`).
@Suite struct HigherRankParserTests {
    @Test func typesTakeAnyNumberOfSizes() throws {
        let file = SourceFile(name: "t.synm", text: "data N: int\ndata M: int\ndata K: int\ndata y: int<lower=0>[2, 3, 4, 5]\nparam z: real[N, M,\n  K]\n")
        let result = checkModel(file)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.map(\.message))")
        let model = try #require(result.model)
        #expect(model.symbol(named: "y")?.type == ValueType(.int, rank: 4))
        #expect(model.symbol(named: "z")?.type == ValueType(.real, rank: 3))
        #expect(model.symbol(named: "z")?.type.description == "real array of rank 3")
        #expect(model.symbol(named: "z")?.declaredType?.dims.count == 3)
    }
}
