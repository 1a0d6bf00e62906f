// User-defined functions, inlined at each call site: the arguments are evaluated once into
// let slots (or bound in place when they are data, a parameter, a let or a loop counter),
// the body is compiled with only the arguments in scope, and `return e` stores e in the
// call's result slot. The checker refuses
// recursion, so inlining ends. A `return` that is not the last statement of the body sets a
// flag that skips the statements after it (and the rest of a loop), so the IR needs no new
// control flow; gradients and Dual Hessians come from the same tape as any other expression.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmFrontend

/// A call of a user-defined function, inlined: running `body` leaves the value in let slot
/// `result`. A class, so the evaluator passes a reference rather than copying the body.
final class InlinedCall: Sendable {
    let body: [IRStmt]
    let result: Int
    /// `'f' called at line 12, column 9`: added to any error raised inside the body.
    let callSite: String
    let span: SourceSpan

    init(body: [IRStmt], result: Int, callSite: String, span: SourceSpan) {
        self.body = body
        self.result = result
        self.callSite = callSite
        self.span = span
    }
}

/// A message from inside a function with the call site added: `…; in 'g' called at line 3,
/// column 5, from 'f' called at line 10, column 2` (the innermost call first; after three
/// sites, `…`).
func withCallSite(_ message: String, _ callSite: String) -> String {
    guard message.contains("; in '") else { return message + "; in " + callSite }
    if message.hasSuffix(", …") { return message }
    if message.components(separatedBy: ", from '").count > 3 { return message + ", …" }
    return message + ", from " + callSite
}

/// What compiling one inlined body needs: where `return` stores, and the flag it sets when
/// a return may be followed by other statements.
struct InlineContext {
    var name: String
    var result: Int
    var done: Int?
}

extension Compiler {
    /// The deepest nesting of calls inside function bodies.
    static let maxCallDepth = 64
    /// The most calls one model may inline.
    static let maxInlinedCalls = 20_000

    /// `f(args)`: the body inlined here.
    mutating func inlineCall(_ decl: FunctionDecl, args: [Expr], span: SourceSpan) throws -> IRExpr {
        let location = source.location(of: span.start)
        let callSite = "'\(decl.name)' called at line \(location.line), column \(location.column)"
        // Each call is a copy of the body: bound how deep calls nest (the evaluator recurses
        // once per level) and how many copies calls of calls make.
        if inlining.count >= Self.maxCallDepth {
            throw RuntimeError("function calls nest more than \(Self.maxCallDepth) deep here (\(callSite))", span: span,
                               hint: "call fewer functions from within functions")
        }
        inlinedCalls += 1
        if inlinedCalls > Self.maxInlinedCalls {
            throw RuntimeError("the model's function calls expand to more than \(Self.maxInlinedCalls) inlined calls (at \(callSite))",
                               span: span, hint: "each call is a copy of its function's body, and calls of calls multiply: call functions from loops rather than from many places")
        }
        var body: [IRStmt] = []
        var bindings: [String: Binding] = [:]
        var argumentsFromData: Set<String> = []
        for (a, formal) in zip(args, decl.arguments) {
            let savedMentions = mentionsData, savedReferences = referencedParameters
            mentionsData = false
            referencedParameters = []
            let ir = try expression(a)
            let references = referencedParameters
            if mentionsData { argumentsFromData.insert(formal.name) }
            mentionsData = savedMentions || mentionsData
            referencedParameters = savedReferences.union(references)
            switch ir {
            case .constScalar, .constArray, .poolScalar:
                bindings[formal.name] = .constant(ir)
            // A parameter, let or loop counter is read in place (nothing can change it while
            // the body runs): no slot, no statement.
            case .parameter(let p):
                bindings[formal.name] = .parameter(p)
            case .letValue(let slot):
                bindings[formal.name] = .letSlot(slot)
            case .loopValue(let slot):
                bindings[formal.name] = .loop(slot)
            default:
                let slot = newLetSlot(dependencies: references)
                body.append(.setLet(slot, ir))
                bindings[formal.name] = .letSlot(slot)
            }
        }
        let result = letCount
        letCount += 1
        var context = InlineContext(name: decl.name, result: result, done: nil)
        // A flag is needed only when some statement other than a final `return` may return.
        if decl.body.dropLast().contains(where: containsReturn) || decl.body.last.map({ s in
            if case .return = s.kind { return false }
            return containsReturn(s)
        }) == true {
            context.done = letCount
            letCount += 1
            body.append(.setLet(context.done!, .constScalar(0)))
        }
        let savedScopes = scopes, savedDataDerived = dataDerived
        scopes = [bindings]
        dataDerived = argumentsFromData
        inlining.append(callSite)
        defer {
            scopes = savedScopes
            dataDerived = savedDataDerived
            inlining.removeLast()
        }
        // The call reads only its arguments: what they mention is what the call mentions
        // (the body's statements reset these flags as the model's statements do).
        let mentionsAfterArguments = mentionsData, referencesAfterArguments = referencedParameters
        defer {
            mentionsData = mentionsAfterArguments
            referencedParameters = referencesAfterArguments
        }
        do {
            body += try functionBlock(decl.body, context)
        } catch var e as RuntimeError {
            // Say which call met the error (the innermost call adds its site first).
            e.message = withCallSite(e.message, callSite)
            throw e
        }
        isDynamic = true
        return .inlined(InlinedCall(body: body, result: result, callSite: callSite, span: span))
    }

    func containsReturn(_ s: Stmt) -> Bool {
        switch s.kind {
        case .return: return true
        case .forLoop(_, _, _, _, let body): return body.contains(where: containsReturn)
        case .ifElse(_, let a, let b): return a.contains(where: containsReturn) || (b ?? []).contains(where: containsReturn)
        default: return false
        }
    }

    /// The statements of a body or block; after a statement that may return, the rest runs
    /// only while the done flag is 0.
    mutating func functionBlock(_ statements: [Stmt], _ context: InlineContext) throws -> [IRStmt] {
        var out: [IRStmt] = []
        for (k, s) in statements.enumerated() {
            out += try functionStatement(s, context)
            if case .return = s.kind { return out }  // what follows cannot run
            if containsReturn(s), k + 1 < statements.count, let done = context.done {
                let rest = try functionBlock(Array(statements[(k + 1)...]), context)
                out.append(.ifElse(.unary(.not, .letValue(done)), rest, []))
                return out
            }
        }
        return out
    }

    mutating func functionStatement(_ s: Stmt, _ context: InlineContext) throws -> [IRStmt] {
        switch s.kind {
        case .return(let value):
            let ir = try expression(value)
            var out: [IRStmt] = [.setLet(context.result, ir)]
            if let done = context.done { out.append(.setLet(done, .constScalar(1))) }
            return out
        case .var(let name, let type, let value):
            let shape = try localShape(type, name: name, function: context.name)
            return try declareVariable(name, shape: shape, isInteger: type.base == .int, value: value, span: s.span)
        case .let(let name, _, let value):
            mentionsData = false
            let savedReferences = referencedParameters
            referencedParameters = []
            let ir = try expression(value)
            let references = referencedParameters
            referencedParameters = savedReferences.union(references)
            if mentionsData { dataDerived.insert(name) }
            switch ir {
            case .constScalar, .constArray:
                bind(name, .constant(ir))
                return []
            default:
                let slot = newLetSlot(dependencies: references)
                bind(name, .letSlot(slot))
                return [.setLet(slot, ir)]
            }
        case .assign:
            return try compileStatement(s, topLevel: false)
        case .forLoop(let variable, _, let lower, let upper, let body):
            let lo = try expression(lower), hi = try expression(upper)
            let slot = loopCount
            loopCount += 1
            scopes.append([variable: .loop(slot)])
            defer { scopes.removeLast() }
            var ir = try functionBlock(body, context)
            // After a return inside the loop, its remaining iterations do nothing.
            if let done = context.done, body.contains(where: containsReturn) {
                ir = [.ifElse(.unary(.not, .letValue(done)), ir, [])]
            }
            return [.forLoop(slot, lo, hi, ir, s.span)]
        case .ifElse(let condition, let then, let otherwise):
            let c = try expression(condition)
            scopes.append([:])
            let a = try functionBlock(then, context)
            scopes.removeLast()
            scopes.append([:])
            let b = try functionBlock(otherwise ?? [], context)
            scopes.removeLast()
            return [.ifElse(c, a, b)]
        case .data, .param, .synthetic, .predict, .tilde, .target, .function:
            throw RuntimeError("this statement is not allowed in a function body", span: s.span)
        }
    }

    /// The shape of a local of a function: its sizes must be known when the model is
    /// compiled (from the data and the call's data arguments).
    mutating func localShape(_ t: TypeSyntax, name: String, function: String) throws -> [Int] {
        var shape: [Int] = []
        for d in t.dims {
            let ir = try expression(d)
            guard case .constScalar(let v) = ir else {
                throw RuntimeError("the size of '\(name)' in '\(function)' is not known before sampling at this call",
                                   span: d.span,
                                   hint: "a local's size must come from data (e.g. size(ys) of a data array, or an int argument given data)")
            }
            guard v >= 0, v == v.rounded() else {
                throw RuntimeError("a size must be a non-negative whole number, but this is \(formatNumber(v))", span: d.span)
            }
            shape.append(v > Double(Int.max / 2) ? Int.max / 2 : Int(v))
        }
        _ = try ModelSizes.elementCount(shape, dims: t.dims, what: "'\(name)'", span: t.span)
        return shape
    }

    /// Statements with the calls of straight-line functions (bodies of lets only: argument
    /// slots and a final return) moved out of assignments, locals and lets into a
    /// `.callSite` before them, so a loop that calls such a function can still be a loop
    /// kernel (LoopKernel.swift). Terms (`~`, `target +=`) keep their calls in place: a term
    /// left out of an evaluation evaluates nothing.
    func hoistingCalls(_ statements: [IRStmt]) -> [IRStmt] {
        var out: [IRStmt] = []
        for s in statements {
            switch s {
            case .assign(let slot, let indices, let value, let span):
                var before: [IRStmt] = []
                let ix = indices.map { hoist($0, into: &before) }
                let v = hoist(value, into: &before)
                out += before + [.assign(slot, ix, v, span)]
            case .declareVariable(let slot, let initial?, let span):
                var before: [IRStmt] = []
                let v = hoist(initial, into: &before)
                out += before + [.declareVariable(slot, v, span)]
            case .setLet(let slot, let value):
                var before: [IRStmt] = []
                let v = hoist(value, into: &before)
                out += before + [.setLet(slot, v)]
            case .forLoop(let slot, let lo, let hi, let body, let span):
                out.append(.forLoop(slot, lo, hi, hoistingCalls(body), span))
            case .ifElse(let c, let a, let b):
                out.append(.ifElse(c, hoistingCalls(a), hoistingCalls(b)))
            default:
                out.append(s)
            }
        }
        return out
    }

    /// `e` with its outermost straight-line calls replaced by their result slots, their
    /// statements appended to `before` (in evaluation order: operands left to right).
    func hoist(_ e: IRExpr, into before: inout [IRStmt]) -> IRExpr {
        switch e {
        case .inlined(let call):
            guard call.body.allSatisfy({ if case .setLet = $0 { return true } else { return false } }) else { return e }
            // Calls in the arguments and the returned expression are hoisted too.
            let body = hoistingCalls(call.body)
            before.append(.callSite(call.callSite, body))
            return .letValue(call.result)
        case .unary(let op, let x): return .unary(op, hoist(x, into: &before))
        case .binary(let op, let l, let r, let span):
            let a = hoist(l, into: &before)
            return .binary(op, a, hoist(r, into: &before), span)
        case .call(let f, let args, let span): return .call(f, args.map { hoist($0, into: &before) }, span)
        case .index(let b, let ix, let span):
            let base = hoist(b, into: &before)
            return .index(base, ix.map { hoist($0, into: &before) }, span)
        case .variableElement(let slot, let ix, let span):
            return .variableElement(slot, ix.map { hoist($0, into: &before) }, span)
        case .array(let es, let span): return .array(es.map { hoist($0, into: &before) }, span)
        default:
            return e
        }
    }

    /// The user-defined density `name_lpdf` or `name_lpmf` that `y ~ name(args)` calls.
    func userDensity(_ name: String) -> FunctionDecl? {
        guard Distribution(stanName: name) == nil, VectorDistribution(rawValue: name) == nil else { return nil }
        return functions[name + "_lpdf"] ?? functions[name + "_lpmf"]
    }

    /// `y ~ foo(args)`: the term `target += foo_lpdf(y | args)`, a likelihood when y is data.
    mutating func userDensityTerm(lhs: Expr, dist: DistCall, span: SourceSpan, topLevel: Bool) throws -> [IRStmt] {
        guard let decl = userDensity(dist.name) else { return [] }
        mentionsData = false
        referencedParameters = []
        let ir = try inlineCall(decl, args: [lhs] + dist.args.map(\.value), span: span)
        let isLikelihood = mentionsDataName(lhs)
        let term = TermInfo(id: termCount, isLikelihood: isLikelihood, span: span)
        terms.append(TermSummary(id: termCount, label: source.text(of: lhs.span), isLikelihood: isLikelihood,
                                 syntheticNode: nil, weight: 1, span: span, footing: nil, topLevel: topLevel))
        termCount += 1
        return [.target(term, ir)]
    }
}
