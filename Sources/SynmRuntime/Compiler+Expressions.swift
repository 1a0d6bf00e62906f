// Compiling expressions: names to slots, functions to builtins, data-only parts folded.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmFrontend

extension Compiler {
    /// Compiles an expression and folds it when it depends on nothing that varies.
    mutating func expression(_ e: Expr) throws -> IRExpr {
        let savedDynamic = isDynamic
        isDynamic = false
        let ir = try compileExpr(e)
        let dynamic = isDynamic
        isDynamic = savedDynamic || dynamic
        if dynamic { return ir }
        switch ir {
        case .constScalar, .constArray: return ir
        default: return try fold(ir, span: e.span)
        }
    }

    /// Evaluates a data-only expression now, with the evaluator itself.
    mutating func fold(_ ir: IRExpr, span: SourceSpan) throws -> IRExpr {
        let program = CompiledProgram(pool: pool, parameters: [], statements: [], letCount: 0, variables: [],
                                      loopCount: 0, indexedNames: indexedNames)
        var evaluator = Evaluator<Double>(program: program)
        evaluator.tape.reset()
        let v = evaluator.evaluate(ir)
        if let f = evaluator.failure { throw RuntimeError(f.message, span: f.span ?? span, hint: f.hint) }
        switch v {
        case .scalar(let x): return .constScalar(x)
        case .constants(let c): return .constArray(c)
        case .variable(let i): return .constScalar(evaluator.tape.value(of: i))
        case .variables(let r, let rows, let columns):
            let values = r.map { evaluator.tape.value(of: $0) }
            // A matrix view of an array of rank 3 or more stays one (its shape is static).
            return try addToPool(values, shape: columns > 0 ? [Int(rows), Int(columns)] : [values.count])
        }
    }

    mutating func compileExpr(_ e: Expr) throws -> IRExpr {
        switch e.kind {
        case .intLiteral(let v): return .constScalar(Double(v))
        case .realLiteral(let v): return .constScalar(v)
        case .error: throw RuntimeError("unparsed expression", span: e.span)
        case .string: throw RuntimeError("a string is only the file of a generator model", span: e.span)
        case .lambda: throw RuntimeError("a function `v -> …` is only the operator of periodic", span: e.span)
        case .name(let n): return try name(n, e.span)
        // Children go through `expression`, so every data-only subtree is folded.
        case .unary(let op, let x): return .unary(op, try expression(x))
        case .binary(.divide, let l, let r) where model.integerDivisions.contains(e.span):
            return .call(.intDivide, [try expression(l), try expression(r)], e.span)
        case .binary(.multiply, let l, let r) where model.linearAlgebra[e.span] != nil:
            // A product the checker read as linear algebra (matrix × matrix, row_vector × vector, …).
            guard let f = Builtin(rawValue: model.linearAlgebra[e.span]!) else {
                throw RuntimeError("unknown product '\(model.linearAlgebra[e.span]!)'", span: e.span)
            }
            return .call(f, [try expression(l), try expression(r)], e.span)
        case .binary(let op, let l, let r):
            _ = try fullShape(e)  // sizes of operands of rank 3 or more must agree (Compiler+Shapes.swift)
            return .binary(op, try expression(l), try expression(r), e.span)
        case .array(let es): return .array(try es.map { try expression($0) }, e.span)
        case .index(let base, let indices):
            if case .name(let n) = base.kind, case .variable(let slot)? = lookup(n) {
                isDynamic = true
                referencedParameters.formUnion(variableDependencies[slot] ?? [])
                return .variableElement(slot, try indices.map { try expression($0) }, e.span)
            }
            if case .name(let n) = base.kind { indexedNames[e.span] = n }
            if let ir = try higherRankIndex(base, indices, span: e.span) { return ir }
            let b = try expression(base)
            let ix = try indices.map { try expression($0) }
            // Multi-indexing by constant ints becomes a gather with precomputed offsets.
            if ix.count == 1, case .constArray(let c) = ix[0], !c.isMatrix {
                let ints = (0..<Int(c.count)).map { Int32(clamping: Int(pool[Int(c.start) + $0].rounded()) - 1) }
                return .gather(b, ints, e.span)
            }
            return .index(b, ix, e.span)
        case .call(let name, _, let args, _) where functions[name] != nil:
            return try inlineCall(functions[name]!, args: args.map(\.value), span: e.span)
        case .call(let name, _, let args, _):
            if let d = ["_lpmf", "_lupmf"].lazy.compactMap({ name.hasSuffix($0) ? VectorDistribution(rawValue: String(name.dropLast($0.count))) : nil }).first {
                return .vectorDensity(VectorDensityCall(distribution: d, variate: try expression(args[0].value),
                                                        args: try args.dropFirst().map { try expression($0.value) },
                                                        span: e.span))
            }
            if let d = ["_lpdf", "_lpmf", "_lupdf", "_lupmf"].lazy.compactMap({ name.hasSuffix($0) ? MultivariateDistribution(rawValue: String(name.dropLast($0.count))) : nil }).first {
                return .multiDensity(MultiDensityCall(distribution: d, variate: try expression(args[0].value),
                                                      args: try args.dropFirst().map { try expression($0.value) },
                                                      span: e.span))
            }
            if name.hasSuffix("_rng") {
                let base = String(name.dropLast(4))
                let compiled = try args.map { try expression($0.value) }
                // Never folded: a draw is made each time a draw is reported.
                isDynamic = true
                usesRandom = true
                anyRandom = true
                if let d = Distribution(stanName: base) {
                    return .rng(DensityCall(distribution: d, variate: .constScalar(0), args: compiled,
                                            domains: d.info.arguments.map(\.domain), span: e.span))
                }
                if let d = VectorDistribution(rawValue: base) {
                    return .vectorRng(VectorDensityCall(distribution: d, variate: .constScalar(0), args: compiled, span: e.span))
                }
                if let d = MultivariateDistribution(rawValue: base) {
                    return .multiRng(MultiDensityCall(distribution: d, variate: .constScalar(0), args: compiled, span: e.span))
                }
            }
            for (suffix, kind) in [("_lcdf", CumulativeKind.lcdf), ("_lccdf", .lccdf), ("_cdf", .cdf)] where name.hasSuffix(suffix) {
                if let d = Distribution(stanName: String(name.dropLast(suffix.count))) {
                    return .cumulative(try densityCall(d, variate: args[0].value, args: args.dropFirst().map(\.value),
                                                       span: e.span), kind)
                }
            }
            if let (dist, _) = densityName(name) {
                return .density(try densityCall(dist, variate: args[0].value, args: args.dropFirst().map(\.value),
                                                span: e.span))
            }
            if name == "elt_multiply" || name == "elt_divide", args.count == 2 {
                // `a .* b`, `a ./ b`: element-wise, whatever the kinds.
                return .binary(name == "elt_multiply" ? .multiply : .divide, try expression(args[0].value),
                               try expression(args[1].value), e.span)
            }
            guard let f = Builtin(rawValue: model.linearAlgebra[e.span] ?? name) else {
                throw RuntimeError("unknown function '\(name)'", span: e.span)
            }
            return .call(f, try args.map { try expression($0.value) }, e.span)
        }
    }

    mutating func name(_ n: String, _ span: SourceSpan) throws -> IRExpr {
        guard let b = lookup(n) else {
            throw RuntimeError("'\(n)' has no value", span: span,
                               hint: "generated synthetic nodes of this kind are not available yet")
        }
        if dataDerived.contains(n) { mentionsData = true }
        switch b {
        case .constant(let ir): return ir
        case .parameter(let p):
            isDynamic = true
            referencedParameters.insert(p)
            return .parameter(p)
        case .letSlot(let slot):
            isDynamic = true
            if randomLetSlots.contains(slot) { usesRandom = true }
            referencedParameters.formUnion(letDependencies[slot] ?? [])
            return .letValue(slot)
        case .variable(let slot):
            isDynamic = true
            referencedParameters.formUnion(variableDependencies[slot] ?? [])
            return .variable(slot, span)
        case .loop(let slot):
            isDynamic = true
            return .loopValue(slot)
        }
    }

    func densityName(_ name: String) -> (Distribution, String)? {
        for suffix in ["_lpdf", "_lpmf", "_lupdf", "_lupmf"] where name.hasSuffix(suffix) {
            if let d = Distribution(stanName: String(name.dropLast(suffix.count))) { return (d, suffix) }
        }
        return nil
    }

    mutating func densityCall(_ d: Distribution, variate: Expr, args: [Expr], span: SourceSpan) throws -> DensityCall {
        let v = try expression(variate)
        let a = try args.map { try expression($0) }
        var statistics: VariateStatistics?
        if case .constArray(let c) = v {
            statistics = VariateStatistics(pool[Int(c.start)..<Int(c.start + c.count)])
        }
        return DensityCall(distribution: d, variate: v, args: a, domains: d.info.arguments.map(\.domain), span: span,
                           variateStatistics: statistics)
    }
}
