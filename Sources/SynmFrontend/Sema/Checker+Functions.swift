// User-defined functions: `fn name(args) -> type { … }`, checked once where declared and at
// every call (argument count and types). A body sees only its arguments and the functions
// declared above it; recursion, direct or mutual, is refused (the runtime inlines each call,
// Sources/SynmRuntime/Compiler+Functions.swift). Every path through a body must return.
import SynmDiagnostics

/// A declared function and what the checker learned about it.
struct CheckedFunction {
    var decl: FunctionDecl
    var used = false
    /// Its name ends in `_rng`: it may draw, and is called only where draws are allowed.
    var draws: Bool { decl.name.hasSuffix("_rng") }
    /// Its name ends in `_lpdf` or `_lpmf`: `y ~ base(args)` calls it.
    var isDensity: Bool { decl.name.hasSuffix("_lpdf") || decl.name.hasSuffix("_lpmf") }
}

/// A call of a user-defined function: its type and dependencies (nil after an error).
struct UserCallResult {
    var info: ExprInfo?
}

/// The checker's state for functions.
struct FunctionState {
    /// Functions whose declaration has been checked, in order.
    var declared: [CheckedFunction] = []
    var index: [String: Int] = [:]
    /// Every function the program declares, with the names its body calls (for the messages
    /// on calls to a function declared further down, and on mutual recursion).
    var callGraph: [String: Set<String>] = [:]
    /// The function whose body is being checked.
    var current: FunctionDecl?
    /// The model's scopes, hidden while a body is checked.
    var hiddenScopes: [[String: Int]] = []
}

extension Checker {
    /// Records every function the program declares, and the calls in each body.
    func prescanFunctions(_ program: Program) {
        for s in program.statements {
            guard case .function(let decl) = s.kind else { continue }
            var calls = Set<String>()
            for b in decl.body { collectCalls(b, into: &calls) }
            functionState.callGraph[decl.name, default: []].formUnion(calls)
        }
    }

    func collectCalls(_ s: Stmt, into out: inout Set<String>) {
        func expr(_ e: Expr) {
            switch e.kind {
            case .intLiteral, .realLiteral, .string, .name, .error: break
            case .unary(_, let x): expr(x)
            case .binary(_, let l, let r):
                expr(l)
                expr(r)
            case .call(let name, _, let args, _):
                out.insert(name)
                for a in args { expr(a.value) }
            case .index(let b, let ix):
                expr(b)
                ix.forEach(expr)
            case .array(let es): es.forEach(expr)
            case .lambda(_, _, let body): expr(body)
            }
        }
        switch s.kind {
        case .let(_, _, let v), .target(let v), .return(let v): expr(v)
        case .var(_, _, let v): if let v { expr(v) }
        case .assign(let l, let v):
            expr(l)
            expr(v)
        case .tilde(let l, let d, _):
            expr(l)
            out.insert(d.name + "_lpdf")
            out.insert(d.name + "_lpmf")
            for a in d.args { expr(a.value) }
        case .forLoop(_, _, let lo, let hi, let body):
            expr(lo)
            expr(hi)
            for b in body { collectCalls(b, into: &out) }
        case .ifElse(let c, let a, let b):
            expr(c)
            for x in a + (b ?? []) { collectCalls(x, into: &out) }
        case .data, .param, .synthetic, .predict, .function: break
        }
    }

    /// `fn name(args) -> type { body }`.
    func checkFunctionDecl(_ decl: FunctionDecl) {
        let name = decl.name
        var nameOK = true
        func refuse(_ message: String, hint: String) {
            error("function-name", message, at: decl.nameSpan, hint: hint)
            nameOK = false
        }
        if builtinFunctions[name] != nil {
            refuse("'\(name)' is the name of a built-in function", hint: "choose another name, e.g. 'my_\(name)'")
        } else if builtinDistributions[name] != nil {
            refuse("'\(name)' is the name of a distribution", hint: "choose another name; a density of your own is `fn my_\(name)_lpdf(y: real, …) -> real`")
        } else if densityFunction(name) != nil
                    || (name.hasSuffix("_rng") && builtinDistributions[String(name.dropLast(4))] != nil) {
            refuse("'\(name)' is the name of a built-in function", hint: "choose another name")
        } else if Generator(rawValue: name) != nil {
            refuse("'\(name)' is the name of a synthetic-data generator", hint: "choose another name")
        } else if let i = lookup(name) {
            refuse("'\(name)' is already declared as \(article(symbols[i].role))",
                   hint: "functions and values share one set of names; rename one of them")
        } else if functionState.index[name] != nil {
            refuse("function '\(name)' is already declared", hint: "each function has one definition; rename one of them")
        } else if name.hasSuffix("__") {
            refuse("'\(name)' ends in '__'; such names are reserved for the sampler's own columns", hint: "choose another name")
        }
        for suffix in ["_lpdf", "_lpmf"] where name.hasSuffix(suffix) {
            if decl.arguments.isEmpty {
                error("density-function", "'\(name)' is a density, so its first argument is the variate", at: decl.nameSpan,
                      hint: "write `fn \(name)(y: \(suffix == "_lpmf" ? "int" : "real"), …) -> real`")
            } else if suffix == "_lpmf", decl.arguments[0].type.base != .int {
                error("density-function", "'\(name)' is a mass function, so its variate must be int", at: decl.arguments[0].type.span,
                      hint: "write `\(decl.arguments[0].name): int` (or `int[]`), or name it \(name.dropLast(5))_lpdf for a real variate")
            }
            if decl.result.rank != 0 || decl.result.base != .real {
                error("density-function", "'\(name)' is a density, so it returns a real log density", at: decl.result.span,
                      hint: "write `-> real`")
            }
        }
        // The body sees only its arguments.
        let savedScopes = scopes
        let savedRandomAllowed = randomAllowed
        let savedCount = statementCount
        functionState.hiddenScopes = scopes
        functionState.current = decl
        scopes = [[:]]
        randomAllowed = name.hasSuffix("_rng")
        for a in decl.arguments {
            declare(SymbolInfo(name: a.name, role: .argument, type: ValueType(a.type.base, rank: a.type.rank),
                               declaredType: nil, span: a.nameSpan, dependsOnParameters: false, used: true))
        }
        for s in decl.body { checkStatement(s, topLevel: false) }
        if !alwaysReturns(decl.body) {
            error("missing-return", "not every path through '\(name)' returns a value", at: decl.closeSpan,
                  hint: "end the body with `return …` (a loop may run zero times, and an `if` without `else` may be skipped)")
        }
        scopes = savedScopes
        randomAllowed = savedRandomAllowed
        statementCount = savedCount
        functionState.current = nil
        functionState.hiddenScopes = []
        if nameOK {
            functionState.index[name] = functionState.declared.count
            functionState.declared.append(CheckedFunction(decl: decl))
        }
    }

    /// Whether every path through the statements ends in a `return`.
    func alwaysReturns(_ body: [Stmt]) -> Bool {
        body.contains { s in
            switch s.kind {
            case .return: return true
            case .ifElse(_, let then, let otherwise?): return alwaysReturns(then) && alwaysReturns(otherwise)
            default: return false
            }
        }
    }

    /// `return expr`: only in a function body, of the declared result type.
    func checkReturn(_ value: Expr, span: SourceSpan) {
        guard let f = functionState.current else {
            error("return-outside-function", "`return` is only used in a function body", at: span,
                  hint: "a model adds to the log density with `~` or `target +=`")
            _ = checkExpr(value)
            return
        }
        guard let info = checkExpr(value) else { return }
        if info.type.rank != f.result.rank || (f.result.base == .int && info.type.base == .real) {
            error("return-type", "'\(f.name)' is declared to return \(describe(f.result)), but this value is \(info.type.description)",
                  at: value.span, hint: "return a value of the declared type, or change `-> \(f.result.written)`")
        }
    }

    func describe(_ t: ArgumentType) -> String {
        switch t.rank {
        case 0: return t.base.rawValue
        case 1: return "\(t.written) (an array)"
        default: return "\(t.written) (a matrix)"
        }
    }

    /// Refuses a statement that only the model may hold (`~`, `target +=`) inside a function.
    func refuseInFunction(_ s: Stmt, _ what: String) -> Bool {
        guard functionState.current != nil else { return false }
        error("statement-in-function", "\(what) is not allowed in a function body", at: s.span,
              hint: "a function returns a value: return a log density (`fn foo_lpdf(y: real, mu: real) -> real`) and write `y ~ foo(mu)` or `target += foo_lpdf(y | mu)` in the model")
        return true
    }

    /// A declaration whose name is a function's.
    func refuseFunctionName(_ info: SymbolInfo) -> Bool {
        guard functionState.index[info.name] != nil else { return false }
        error("redeclared", "'\(info.name)' is already declared as a function", at: info.span,
              hint: "functions and values share one set of names; rename one of them")
        return true
    }

    /// The messages for a name that is not a visible value: a model name inside a function
    /// body, or a function used as a value. Returns whether it reported.
    func reportNameInFunction(_ name: String, span: SourceSpan) -> Bool {
        if functionState.index[name] != nil || functionState.callGraph[name] != nil {
            error("function-as-value", "'\(name)' is a function; call it with arguments", at: span,
                  hint: functionState.index[name].map { "write \(functionState.declared[$0].decl.signature)" })
            return true
        }
        if let f = functionState.current, let i = functionState.hiddenScopes.lazy.compactMap({ $0[name] }).first {
            let t = symbols[i].type
            let written = ArgumentType(base: t.base, rank: t.rank, span: span).written
            error("outer-name-in-function", "'\(name)' is not visible inside function '\(f.name)': a function sees only its arguments",
                  at: span, hint: "pass it as an argument: add `\(name): \(written)` to the arguments of '\(f.name)'")
            return true
        }
        return false
    }

    /// Whether `from` reaches `to` through the calls in the bodies.
    func calls(_ from: String, reach to: String) -> [String]? {
        var seen: Set<String> = [from]
        var work: [[String]] = [[from]]
        while !work.isEmpty {
            let path = work.removeFirst()
            for next in (functionState.callGraph[path.last!] ?? []).sorted() {
                if next == to { return path + [next] }
                if functionState.callGraph[next] != nil, seen.insert(next).inserted { work.append(path + [next]) }
            }
        }
        return nil
    }

    /// A call of a user-defined function; nil when `name` is not one (the caller goes on
    /// with the built-ins). The inner value is nil after reporting an error.
    func checkUserCall(_ name: String, nameSpan: SourceSpan, args: [Argument], conditioned: Bool,
                       span: SourceSpan) -> UserCallResult? {
        if let f = functionState.current, f.name == name {
            error("recursion", "'\(name)' calls itself; recursive functions are not supported", at: nameSpan,
                  hint: "write the recursion as a loop (synm inlines each call into the model's autodiff tape)")
            return UserCallResult(info: nil)
        }
        guard let k = functionState.index[name] else {
            guard functionState.callGraph[name] != nil else { return nil }
            if let f = functionState.current, let path = calls(name, reach: f.name) {
                error("recursion", "'\(f.name)' and '\(name)' call each other (\(([f.name] + path).joined(separator: " → "))); recursive functions are not supported",
                      at: nameSpan, hint: "write the recursion as a loop (synm inlines each call into the model's autodiff tape)")
            } else {
                error("function-order", "'\(name)' is declared below this call; a function must be declared before its first use",
                      at: nameSpan, hint: "move `fn \(name)` above this line")
            }
            for a in args { _ = checkExpr(a.value) }
            return UserCallResult(info: nil)
        }
        functionState.declared[k].used = true
        let f = functionState.declared[k]
        let decl = f.decl
        let usage = "\(decl.signature)"
        if let label = args.first(where: { $0.label != nil }) {
            error("named-argument", "'\(name)' takes no named arguments", at: label.labelSpan, hint: "write \(usage)")
            return UserCallResult(info: nil)
        }
        if conditioned, !f.isDensity {
            error("conditioned-call", "'|' is only used in density calls such as \(name)_lpdf(y | mu); '\(name)' takes its arguments separated by ','",
                  at: span)
            return UserCallResult(info: nil)
        }
        if f.isDensity, !conditioned, args.count > 1, !decl.arguments.isEmpty {
            error("density-bar", "separate the variate with '|': \(name)(\(decl.arguments[0].name) | \(decl.arguments.dropFirst().map(\.name).joined(separator: ", ")))",
                  at: span)
            return UserCallResult(info: nil)
        }
        if args.count != decl.arguments.count {
            let n = decl.arguments.count
            error("arity", "'\(name)' takes \(n) argument\(n == 1 ? "" : "s"), but \(args.count) \(args.count == 1 ? "was" : "were") given",
                  at: span, hint: "its signature is \(usage)")
            for a in args { _ = checkExpr(a.value) }
            return UserCallResult(info: nil)
        }
        var result = ExprInfo(type: ValueType(decl.result.base, rank: decl.result.rank), dependsOnParameters: false,
                              mentionsSynthetic: false, mentionsParameter: false)
        var ok = true
        for (a, formal) in zip(args, decl.arguments) {
            guard let info = checkExpr(a.value) else {
                ok = false
                continue
            }
            if info.type.rank != formal.type.rank {
                error("argument-type", "argument '\(formal.name)' of '\(name)' is \(describe(formal.type)), but this is \(info.type.description)",
                      at: a.value.span, hint: "its signature is \(usage)")
                ok = false
            } else if formal.type.base == .int, info.type.base == .real {
                error("argument-type", "argument '\(formal.name)' of '\(name)' is \(describe(formal.type)), but this is \(info.type.description)",
                      at: a.value.span, hint: "pass an int (a real cannot become an int); its signature is \(usage)")
                ok = false
            }
            result = merge(result, info, type: result.type)
        }
        guard ok else { return UserCallResult(info: nil) }
        if f.draws {
            guard randomAllowed else {
                if let current = functionState.current {
                    error("rng-in-function", "'\(name)' draws at random, so '\(current.name)' cannot use it", at: nameSpan,
                          hint: "only a function whose name ends in `_rng` may draw: rename it '\(current.name)_rng'")
                } else {
                    error("rng-in-model", "'\(name)' draws at random, so the model cannot use it", at: nameSpan,
                          hint: "use it in a top-level `let` (reported with each draw) or in a predict node's arguments")
                }
                return UserCallResult(info: nil)
            }
            randomUsed = true
        }
        return UserCallResult(info: result)
    }

    /// `y ~ foo(args)` with a user-defined `foo_lpdf` or `foo_lpmf`: checked as the call
    /// `foo_lpdf(y | args)`. Returns false when `foo` is not such a function.
    func checkUserDensityTilde(lhs: Expr, call: DistCall, footing: Footing?, span: SourceSpan) -> Bool {
        guard builtinDistributions[call.name] == nil else { return false }
        guard let name = [call.name + "_lpdf", call.name + "_lpmf"].first(where: {
            functionState.index[$0] != nil || functionState.callGraph[$0] != nil
        }) else { return false }
        if let (root, _) = lhs.rootName, let i = lookup(root) { symbols[i].hasLikelihood = true }
        if let footing {
            error("footing-user-density", "a footing is not available on a user-defined density yet", at: footing.span,
                  hint: "drop the footing, or write the term with a built-in distribution")
            return true
        }
        if let t = call.truncation {
            error("truncation-unavailable", "\(call.name) cannot be truncated: it is a user-defined density", at: t.span,
                  hint: "subtract the log of the probability of the bounds with `target +=` yourself")
            return true
        }
        if call.conditioned {
            error("conditioned-call", "'|' is not used after `~`", at: call.span,
                  hint: "write `~ \(call.name)(\(call.args.isEmpty ? "" : "…"))`")
            return true
        }
        let args = [Argument(value: lhs)] + call.args
        guard let checked = checkUserCall(name, nameSpan: call.nameSpan, args: args, conditioned: true, span: span),
              let info = checked.info else { return true }
        if info.mentionsSynthetic {
            error("synthetic-user-density", "synthetic data cannot be modelled by a user-defined density yet", at: lhs.span,
                  hint: "use a built-in distribution with a footing: `yb ~ normal(mu, sigma) footing cap`")
        }
        return true
    }

    /// Warns about functions nothing calls.
    func verifyFunctionUsage() {
        guard !diagnostics.hasErrors else { return }
        for f in functionState.declared where !f.used {
            warning("unused-function", "function '\(f.decl.name)' is never called", at: f.decl.nameSpan,
                    hint: "remove it, or call it")
        }
    }
}
