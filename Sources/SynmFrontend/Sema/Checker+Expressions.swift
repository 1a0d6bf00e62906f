// Expression typing: names, operators with broadcasting, indexing, calls, array literals.
import SynmDiagnostics

extension Checker {
    /// Types an expression; `nil` after reporting an error (callers do not report again).
    func checkExpr(_ e: Expr) -> ExprInfo? {
        let info = checkExprKind(e)
        if let kind = info?.type.kind, kind != .array { kindBySpan[e.span] = kind }
        return info
    }

    func checkExprKind(_ e: Expr) -> ExprInfo? {
        switch e.kind {
        case .intLiteral:
            return ExprInfo(type: .int, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        case .realLiteral:
            return ExprInfo(type: .real, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        case .error:
            return nil
        case .name(let name):
            return checkName(name, span: e.span)
        case .unary(let op, let operand):
            guard var info = checkExpr(operand) else { return nil }
            if op == .not { info.type.base = .int }
            return info
        case .binary(let op, let l, let r):
            return checkBinary(op, l, r, span: e.span)
        case .index(let base, let indices):
            return checkIndex(base, indices, span: e.span)
        case .call(let name, let nameSpan, let args, let conditioned):
            if !conditioned, linearAlgebraFunctions.contains(name) {
                return checkLinearAlgebraCall(name, nameSpan: nameSpan, args: args, span: e.span)
            }
            guard var info = checkCall(name, nameSpan: nameSpan, args: args, conditioned: conditioned, span: e.span) else {
                return nil
            }
            info.type.kind = kindOfResult(info.type, args: args)
            return info
        case .array(let elements):
            return checkArrayLiteral(elements, span: e.span)
        case .string:
            error("string-context", "a string is only the file of a generator model: `model(\"gen.synm\", fit = y)`", at: e.span)
            return nil
        case .lambda:
            error("lambda-context", "a function `v -> …` is only the operator of periodic", at: e.span,
                  hint: "write `periodic(y, op = v -> -v, period = 2)`")
            return nil
        }
    }

    func checkName(_ name: String, span: SourceSpan) -> ExprInfo? {
        guard let i = lookup(name) else {
            if reportNameInFunction(name, span: span) { return nil }
            if builtinFunctions[name] != nil {
                error("function-as-value", "'\(name)' is a function; call it with arguments", at: span,
                      hint: "write \(name)(x)")
            } else if builtinDistributions[name] != nil {
                error("distribution-as-value", "'\(name)' is a distribution, not a value", at: span,
                      hint: "use it on the right of `~`")
            } else {
                let hint = closestMatch(to: name, among: visibleNames).map { "did you mean '\($0)'?" }
                error("undefined-name", "'\(name)' is not declared", at: span,
                      hint: hint ?? "declare it with `data`, `param`, `let` or `var` before this line")
            }
            return nil
        }
        symbols[i].used = true
        if randomSymbols.contains(i) {
            guard randomAllowed else {
                error("random-in-model", "'\(name)' is drawn at random (an _rng call), so the model cannot use it", at: span,
                      hint: "use it only in other top-level lets and in predict nodes (generated quantities)")
                return nil
            }
            randomUsed = true
        }
        let s = symbols[i]
        if s.role == .predict {
            error("predict-in-model", "predict node '\(name)' cannot be used in the model", at: span,
                  notes: ["predict nodes are drawn after each posterior draw; the log density cannot depend on them"])
            return nil
        }
        let params = s.dependsOnParameters || paramDependentVars.contains(i)
        return ExprInfo(type: s.type, dependsOnParameters: params, mentionsSynthetic: s.role == .synthetic,
                        mentionsParameter: s.role == .param || (s.role == .let && s.dependsOnParameters))
    }

    /// Joins the dependency flags of operands.
    func merge(_ a: ExprInfo, _ b: ExprInfo, type: ValueType) -> ExprInfo {
        ExprInfo(type: type, dependsOnParameters: a.dependsOnParameters || b.dependsOnParameters,
                 mentionsSynthetic: a.mentionsSynthetic || b.mentionsSynthetic,
                 mentionsParameter: a.mentionsParameter || b.mentionsParameter)
    }

    func checkBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, span: SourceSpan) -> ExprInfo? {
        let li = checkExpr(l), ri = checkExpr(r)
        guard let li, let ri else { return nil }
        let a = li.type, b = ri.type
        if !op.isLogical, a.kind != .array || b.kind != .array || (op == .multiply && a.rank == 2 && b.rank == 2) {
            return checkLinearAlgebraBinary(op, li, ri, span: span, operands: (l, r))
        }
        var rank: Int
        if op == .multiply, a.rank == 2, b.rank == 1 {
            rank = 1  // matrix × vector
        } else if a.rank == 0 || b.rank == 0 || a.rank == b.rank {
            rank = max(a.rank, b.rank)
        } else {
            error("shape-mismatch", "cannot apply '\(op.rawValue)' to \(a.description) and \(b.description)", at: span,
                  hint: op == .multiply && a.rank == 1 && b.rank == 2
                      ? "write the matrix first: `X * beta`" : "operands must have the same shape, or one must be a scalar")
            return nil
        }
        if op == .power, a.rank == 2 || b.rank == 2 { rank = max(a.rank, b.rank) }
        let base: BaseType
        switch op {
        case _ where op.isLogical: base = .int
        case .divide where a.base == .int && b.base == .int:
            // Integer division, truncated toward zero, as in Stan; stanc warns, and so do we.
            base = .int
            if integerDivisions.insert(span).inserted {
                warning("integer-division", "integer division: both operands are int, so the result is rounded toward zero",
                        at: span, hint: "as in Stan, 7 / 2 is 3; write 7.0 / 2 (or 1.0 * a / b) for real division")
            }
        case .divide, .power: base = .real
        default: base = a.base == .int && b.base == .int ? .int : .real
        }
        return merge(li, ri, type: ValueType(base, rank: rank))
    }

    func checkIndex(_ base: Expr, _ indices: [Expr], span: SourceSpan) -> ExprInfo? {
        guard var info = checkExpr(base) else {
            for i in indices { _ = checkExpr(i) }
            return nil
        }
        if info.type.rank == 0 {
            error("index-scalar", "cannot index a scalar (\(info.type.description))", at: span)
            return nil
        }
        if indices.count > info.type.rank {
            error("too-many-indices", "\(indices.count) indices given, but the value has \(info.type.rank) dimension\(info.type.rank == 1 ? "" : "s")",
                  at: span)
            return nil
        }
        var rank = info.type.rank
        var scalarIndices: [Bool] = []
        if rank >= 3 { higherRankIndexes[span] = rank }
        for ix in indices {
            guard let ii = checkExpr(ix) else { return nil }
            if ii.type.base != .int {
                error("real-index", "an index must be an int, but this is \(ii.type.description)", at: ix.span,
                      hint: "indices are 1-based ints; an int array picks several elements")
                return nil
            }
            if ii.type.rank > 1 {
                error("index-shape", "an index must be an int or an int array", at: ix.span)
                return nil
            }
            if ii.type.rank == 1, info.type.rank > 2 {
                error("index-shape", "multi-indexing an array of rank \(info.type.rank) is not supported", at: ix.span,
                      hint: "index it with one int per dimension (`y[i, j, k]`), in a loop")
                return nil
            }
            // A scalar index removes a dimension; an int array keeps it (multi-indexing).
            if ii.type.rank == 0 { rank -= 1 }
            scalarIndices.append(ii.type.rank == 0)
            info = merge(info, ii, type: info.type)
        }
        info.type.kind = indexedKind(info.type.kind, scalarIndices: scalarIndices)
        info.type.rank = rank
        return info
    }

    func checkArrayLiteral(_ elements: [Expr], span: SourceSpan) -> ExprInfo? {
        var result = ExprInfo(type: ValueType(.int, rank: 1), dependsOnParameters: false, mentionsSynthetic: false,
                              mentionsParameter: false)
        var elementRank: Int?
        for e in elements {
            guard let info = checkExpr(e) else { return nil }
            if let r = elementRank, r != info.type.rank {
                error("ragged-array", "array elements must all have the same shape", at: e.span)
                return nil
            }
            elementRank = info.type.rank
            if info.type.base == .real { result.type.base = .real }
            result = merge(result, info, type: result.type)
        }
        result.type.rank = (elementRank ?? 0) + 1
        return result
    }
}
