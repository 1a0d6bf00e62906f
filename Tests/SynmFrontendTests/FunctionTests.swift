// User-defined functions: parsing, and every checker error with its place and hint.
import SynmDiagnostics
import Testing
@testable import SynmFrontend

/// The diagnostics of checking `text` (parse errors stop before the checker, as in checkModel).
func diagnose(_ text: String) -> [Diagnostic] {
    checkModel(SourceFile(name: "t.synm", text: text)).diagnostics
}

/// Expects exactly one error with `code`, located at the first occurrence of `at` in `text`.
func expectError(_ text: String, _ code: String, at: String, message: String? = nil, hint: String? = nil,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let errors = diagnose(text).filter { $0.severity == .error }
    #expect(errors.map(\.code) == [code], "\(errors.map { "\($0.code): \($0.message)" })", sourceLocation: sourceLocation)
    guard let e = errors.first, errors.count == 1 else { return }
    let start = text.utf8.count - (text.range(of: at).map { text[$0.lowerBound...].utf8.count } ?? 0)
    #expect(e.span?.start == start, "\(e.code) at \(String(describing: e.span)), expected offset \(start) ('\(at)')",
            sourceLocation: sourceLocation)
    if let message { #expect(e.message.contains(message), "\(e.message)", sourceLocation: sourceLocation) }
    if let hint { #expect(e.hint?.contains(hint) == true, "\(String(describing: e.hint))", sourceLocation: sourceLocation) }
}

let square2 = """
fn sq(x: real) -> real {
    return x * x
}

"""

@Suite struct FunctionParseTests {
    @Test func parsesADeclaration() throws {
        let (p, d) = parse("""
        fn f(x: real, ys: real[], k: int, m: real[,]) -> int[] {
            var s: real = 0
            return [k]
        }
        """)
        #expect(d.isEmpty, "\(d.map(\.message))")
        guard case .function(let f) = p.statements.first?.kind else {
            Issue.record("not a function: \(p.statements)")
            return
        }
        #expect(f.name == "f")
        #expect(f.arguments.map(\.name) == ["x", "ys", "k", "m"])
        #expect(f.arguments.map(\.type.written) == ["real", "real[]", "int", "real[,]"])
        #expect(f.result.written == "int[]")
        #expect(f.body.count == 2)
        if case .return(let v) = f.body[1].kind { #expect(show(v) == "[k]") } else { Issue.record("no return") }
        #expect(f.signature == "f(x: real, ys: real[], k: int, m: real[,]) -> int[]")
    }

    @Test func argumentsMaySpanLines() {
        let (_, d) = parse("fn f(x: real,\n     y: real) -> real {\n    return x + y\n}\n")
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    @Test(arguments: [
        ("fn f(ys: real[N]) -> real { return 0 }", "parse.argument-size", "N]"),
        ("fn f(x: real<lower=0>) -> real { return 0 }", "parse.argument-bounds", "<lower"),
        ("fn f(x: vector) -> real { return 0 }", "parse.unknown-type", "vector"),
        ("fn f(x: real) { return 0 }", "parse.syntax", "{"),
        ("fn f(x: real) -> real[3] { return 0 }", "parse.argument-size", "3]"),
        ("for i in 1..2 {\n  fn g(x: real) -> real { return x }\n}", "parse.declaration-in-block", "fn g"),
        ("fn return(x: real) -> real { return x }", "parse.reserved-word", "return("),
    ])
    func parseErrors(text: String, code: String, at: String) {
        let (_, d) = parse(text)
        #expect(d.first?.code == code, "\(d.map { "\($0.code): \($0.message)" })")
        let start = text.utf8.count - (text.range(of: at).map { text[$0.lowerBound...].utf8.count } ?? 0)
        #expect(d.first?.span?.start == start, "\(String(describing: d.first?.span)) vs \(start)")
    }

    @Test func fnAndReturnAreReserved() {
        #expect(kinds("fn return") == [.keyword(.fn), .keyword(.return), .eof])
    }
}

@Suite struct FunctionCheckTests {
    @Test func aCleanProgram() {
        let d = diagnose(square2 + """
        fn twice_sum(ys: real[], k: int) -> real {
            var s: real = 0
            for i in 1..size(ys) {
                if ys[i] > 0 { s = s + sq(ys[i]) } else { s = s - ys[i] }
            }
            return 2 * s + k
        }
        param mu: real
        mu ~ normal(twice_sum([1, 2.5], 3), 1)
        """)
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    @Test func arity() {
        expectError(square2 + "param mu: real\nmu ~ normal(sq(mu, 1), 1)\n", "sema.arity", at: "sq(mu, 1)",
                    message: "'sq' takes 1 argument, but 2 were given", hint: "sq(x: real) -> real")
    }

    @Test func argumentRank() {
        expectError(square2 + "param mu: real[2]\nmu ~ normal(sq(mu), 1)\n", "sema.argument-type", at: "mu), 1)",
                    message: "argument 'x' of 'sq' is real, but this is real array")
    }

    @Test func realToIntArgument() {
        expectError("fn f(k: int) -> int {\n  return k\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n", "sema.argument-type",
                    at: "mu), 1)", hint: "pass an int")
    }

    @Test func intPassesAsReal() {
        let d = diagnose(square2 + "param mu: real\nmu ~ normal(sq(2), 1)\n")
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    @Test func namedArgument() {
        expectError(square2 + "param mu: real\nmu ~ normal(sq(x = mu), 1)\n", "sema.named-argument", at: "x = mu")
    }

    @Test func missingReturn() {
        expectError("fn f(x: real) -> real {\n  if x > 0 { return x }\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n",
                    "sema.missing-return", at: "}\nparam", message: "not every path through 'f' returns a value")
    }

    @Test func returnAfterLoopOnlyIsMissing() {
        expectError("fn f(n: int) -> real {\n  for i in 1..n { return i }\n}\nparam mu: real\nmu ~ normal(f(2), 1)\n",
                    "sema.missing-return", at: "}\nparam")
    }

    @Test func bothBranchesReturn() {
        let d = diagnose("fn f(x: real) -> real {\n  if x > 0 { return x } else { return -x }\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n")
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    @Test func returnType() {
        expectError("fn f(x: real) -> int {\n  return x\n}\nparam mu: real\nmu ~ normal(f(1), 1)\n", "sema.return-type",
                    at: "x\n}", message: "'f' is declared to return int, but this value is real")
        expectError("fn f(x: real) -> real[] {\n  return x\n}\nparam mu: real\nmu ~ normal(sum(f(1)), 1)\n", "sema.return-type",
                    at: "x\n}", message: "real[] (an array)")
    }

    @Test func returnOutsideAFunction() {
        expectError("param mu: real\nmu ~ normal(0, 1)\nreturn mu\n", "sema.return-outside-function", at: "return mu")
    }

    @Test func directRecursion() {
        expectError("fn f(x: real) -> real {\n  return f(x - 1)\n}\n", "sema.recursion", at: "f(x - 1)",
                    message: "'f' calls itself", hint: "loop")
    }

    @Test func mutualRecursion() {
        let text = "fn f(x: real) -> real {\n  return g(x)\n}\nfn g(x: real) -> real {\n  return f(x)\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n"
        expectError(text, "sema.recursion", at: "g(x)", message: "'f' and 'g' call each other (f → g → f)")
    }

    @Test func declaredBelowItsUse() {
        expectError("param mu: real\nmu ~ normal(f(mu), 1)\nfn f(x: real) -> real {\n  return x\n}\n", "sema.function-order",
                    at: "f(mu)", hint: "move `fn f` above this line")
    }

    @Test func bodySeesOnlyItsArguments() {
        expectError("data a: real = 1\nfn f(x: real) -> real {\n  return x + a\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n",
                    "sema.outer-name-in-function", at: "a\n}", hint: "pass it as an argument")
    }

    @Test(arguments: [
        ("fn exp(x: real) -> real {\n  return x\n}\n", "exp(x"),
        ("fn normal(x: real) -> real {\n  return x\n}\n", "normal(x"),
        ("fn normal_lpdf(x: real) -> real {\n  return x\n}\n", "normal_lpdf"),
        ("fn poisson_rng(x: real) -> real {\n  return x\n}\n", "poisson_rng"),
        ("fn bootstrap(x: real) -> real {\n  return x\n}\n", "bootstrap"),
        ("data f: real = 1\nfn f(x: real) -> real {\n  return x\n}\n", "f(x"),
        (square2 + "fn sq(x: real) -> real {\n  return x\n}\n", "sq(x: real) -> real {\n  return x\n}\n"),
        ("fn lp__(x: real) -> real {\n  return x\n}\n", "lp__"),
    ])
    func functionNames(text: String, at: String) {
        // The second `sq` is the one refused: look for its last occurrence.
        let marker = text.hasPrefix(square2) && text.count > square2.count ? String(text.dropFirst(square2.count + 3)) : at
        expectError(text, "sema.function-name", at: marker)
    }

    @Test func aValueCannotTakeAFunctionsName() {
        expectError(square2 + "data sq: real = 1\n", "sema.redeclared", at: "sq: real = 1",
                    message: "already declared as a function")
    }

    @Test func functionAsValue() {
        expectError(square2 + "param mu: real\nmu ~ normal(sq, 1)\n", "sema.function-as-value", at: "sq, 1",
                    hint: "sq(x: real) -> real")
    }

    @Test func tildeAndTargetInABody() {
        expectError("fn f(x: real) -> real {\n  x ~ normal(0, 1)\n  return x\n}\n", "sema.statement-in-function",
                    at: "x ~ normal")
        expectError("fn f(x: real) -> real {\n  target += x\n  return x\n}\n", "sema.statement-in-function", at: "target")
    }

    @Test func argumentsAreReadOnly() {
        expectError("fn f(x: real) -> real {\n  x = 2\n  return x\n}\nparam mu: real\nmu ~ normal(f(mu), 1)\n",
                    "sema.assign-non-var", at: "x = 2", message: "a function argument")
    }

    @Test func rngOnlyInRngFunctions() {
        expectError("fn f(x: real) -> real {\n  return normal_rng(x, 1)\n}\n", "sema.rng-in-function", at: "normal_rng",
                    hint: "rename it 'f_rng'")
    }

    @Test func rngFunctionsOnlyInGeneratedQuantities() {
        let fn = "fn f_rng(x: real) -> real {\n  let u = uniform_rng(0, 1)\n  return x + u\n}\n"
        expectError(fn + "param mu: real\nmu ~ normal(f_rng(1), 1)\n", "sema.rng-in-model", at: "f_rng(1)")
        expectError(fn + "fn g(x: real) -> real {\n  return f_rng(x)\n}\n", "sema.rng-in-function", at: "f_rng(x)")
        let ok = diagnose(fn + "param mu: real\nmu ~ normal(0, 1)\nlet d = f_rng(mu)\npredict y ~ normal(f_rng(mu), 1)\n")
        #expect(ok.isEmpty, "\(ok.map(\.message))")
    }

    @Test func userDensities() {
        let fn = "fn my_lpdf(y: real[], mu: real) -> real {\n  return sum(-square(y - mu))\n}\n"
        let ok = diagnose(fn + "data y: real[2] = [1, 2]\nparam mu: real\nmu ~ normal(0, 1)\ny ~ my(mu)\ntarget += my_lpdf(y | mu)\n")
        #expect(ok.isEmpty, "\(ok.map(\.message))")
        expectError(fn + "data y: real[2] = [1, 2]\nparam mu: real\ny ~ my(mu) footing equal\n", "sema.footing-user-density",
                    at: "footing")
        expectError(fn + "data y: real[2] = [1, 2]\nparam mu: real\ny ~ my(mu) T[0, ]\n", "sema.truncation-unavailable",
                    at: "T[0")
        expectError(fn + "data y: real[2] = [1, 2]\nparam mu: real\ntarget += my_lpdf(y, mu)\n", "sema.density-bar",
                    at: "my_lpdf(y, mu)")
        expectError(fn + "data y: real[2] = [1, 2]\nparam mu: real\ny ~ my(y, mu)\n", "sema.arity", at: "y ~ my")
        expectError(square2 + "param mu: real\ntarget += sq(mu | 1)\n", "sema.conditioned-call", at: "sq(mu | 1)")
        expectError("fn c_lpmf(y: real, p: real) -> real {\n  return p\n}\n", "sema.density-function", at: "real, p")
        expectError("fn c_lpdf(y: real, p: real) -> int {\n  return 1\n}\n", "sema.density-function", at: "int {")
    }

    @Test func unusedFunctionWarning() {
        let d = diagnose(square2 + "param mu: real\nmu ~ normal(0, 1)\n")
        #expect(d.map(\.code) == ["sema.unused-function"])
        #expect(d.first?.severity == .warning)
    }

    @Test func functionsAreTopLevelOnlyInTheModel() {
        let result = checkModel(SourceFile(name: "t.synm", text: square2 + "param mu: real\nmu ~ normal(sq(mu), 1)\n"))
        #expect(result.model?.functions.map(\.name) == ["sq"])
        // Arguments and locals are not model names.
        #expect(result.model?.symbol(named: "x") == nil)
    }
}
