// Statements: `~` (with footing rules), `target +=`, assignments, loops and conditionals.
import SynmDiagnostics

extension Checker {
    func checkStatement(_ s: Stmt, topLevel: Bool) {
        switch s.kind {
        case .data(let name, let type, let value): checkDataDecl(s, name: name, type: type, value: value)
        case .param(let name, let type): checkParamDecl(s, name: name, type: type)
        case .let(let name, let type, let value):
            let savedRandomAllowed = randomAllowed
            randomAllowed = topLevel || savedRandomAllowed
            randomUsed = false
            checkLetDecl(s, name: name, type: type, value: value)
            if randomUsed, let i = lookup(name) { randomSymbols.insert(i) }
            randomAllowed = savedRandomAllowed
        case .var(let name, let type, let value): checkVarDecl(s, name: name, type: type, value: value)
        case .synthetic(let names, let spans, let type, let generator):
            checkSyntheticDecl(s, names: names, spans: spans, type: type, generator: generator)
        case .predict(let name, let type, let dist):
            randomAllowed = true
            checkPredictDecl(s, name: name, type: type, dist: dist)
            randomAllowed = false
        case .tilde(let lhs, let dist, let footing):
            statementCount += 1
            if refuseInFunction(s, "`~`") { return }
            if checkUserDensityTilde(lhs: lhs, call: dist, footing: footing, span: s.span) { return }
            checkTilde(lhs: lhs, call: dist, footing: footing, span: s.span)
        case .target(let value):
            statementCount += 1
            if refuseInFunction(s, "`target +=`") { return }
            if let info = checkExpr(value), info.mentionsSynthetic {
                error("synthetic-in-target", "synthetic data used in `target +=`", at: value.span,
                      hint: "write the term as `yb ~ dist(…) footing …` so its footing is explicit")
            }
        case .assign(let lhs, let value):
            statementCount += 1
            checkAssign(lhs: lhs, value: value)
        case .forLoop(let variable, let variableSpan, let lower, let upper, let body):
            statementCount += 1
            for bound in [lower, upper] {
                guard let info = checkExpr(bound) else { continue }
                if info.type != .int {
                    error("loop-bound", "a loop bound must be an int, but this is \(info.type.description)", at: bound.span)
                }
            }
            scopes.append([:])
            declare(SymbolInfo(name: variable, role: .loopVariable, type: .int, declaredType: nil, span: variableSpan,
                               dependsOnParameters: false, used: true))
            for b in body { checkStatement(b, topLevel: false) }
            scopes.removeLast()
        case .ifElse(let condition, let then, let otherwise):
            statementCount += 1
            if let info = checkExpr(condition), info.type.rank != 0 {
                error("condition-shape", "a condition must be a scalar, but this is \(info.type.description)",
                      at: condition.span)
            }
            scopes.append([:])
            for b in then { checkStatement(b, topLevel: false) }
            scopes.removeLast()
            if let otherwise {
                scopes.append([:])
                for b in otherwise { checkStatement(b, topLevel: false) }
                scopes.removeLast()
            }
        case .function(let decl):
            checkFunctionDecl(decl)
        case .return(let value):
            checkReturn(value, span: s.span)
        }
    }

    func checkAssign(lhs: Expr, value: Expr) {
        let simple: Bool = {
            switch lhs.kind {
            case .name: return true
            case .index(let base, _): if case .name = base.kind { return true } else { return false }
            default: return false
            }
        }()
        guard simple, let (name, nameSpan) = lhs.rootName else {
            error("assign-target", "only a `var` or one of its elements can be assigned", at: lhs.span)
            _ = checkExpr(value)
            return
        }
        guard let i = lookup(name) else {
            _ = checkName(name, span: nameSpan)
            _ = checkExpr(value)
            return
        }
        let sym = symbols[i]
        guard sym.role == .var else {
            error("assign-non-var", "cannot assign to \(article(sym.role)) '\(name)'", at: nameSpan,
                  hint: sym.role == .loopVariable ? "a loop variable is read-only"
                      : "only `var` locals can be assigned; declare one with `var \(name)_v: \(sym.type.description)`")
            _ = checkExpr(value)
            return
        }
        var target = sym.type
        var params = false
        if case .index(_, let indices) = lhs.kind {
            if indices.count > target.rank {
                error("too-many-indices", "\(indices.count) indices given, but '\(name)' has \(target.rank) dimension\(target.rank == 1 ? "" : "s")",
                      at: lhs.span)
                return
            }
            for ix in indices {
                guard let ii = checkExpr(ix) else { return }
                if ii.type != .int {
                    error("assign-index", "an assigned element needs int indices, but this is \(ii.type.description)",
                          at: ix.span)
                    return
                }
                params = params || ii.dependsOnParameters
            }
            target.rank -= indices.count
            target.kind = indexedKind(target.kind, scalarIndices: indices.map { _ in true })
        }
        guard let info = checkExpr(value) else { return }
        if info.mentionsSynthetic {
            error("synthetic-in-var", "synthetic node used in an assignment", at: value.span,
                  hint: "use synthetic nodes only on the left of `~ … footing …`")
        }
        verifyAssignable(info.type, to: target, name: name, span: value.span)
        if info.dependsOnParameters || params { paramDependentVars.insert(i) }
    }

    func checkTilde(lhs: Expr, call: DistCall, footing: Footing?, span: SourceSpan) {
        let lhsInfo = checkExpr(lhs)
        let checked = checkDistribution(call)
        var root: Int?
        if let (name, _) = lhs.rootName, let i = lookup(name) {
            root = i
            symbols[i].hasLikelihood = true
            if let footing { symbols[i].footings.append(footing) }
        }
        guard let lhsInfo else {
            if let footing { checkFootingExpressions(footing) }
            return
        }
        if let (dist, _) = checked, let mv = multivariateSignatures[dist.name] {
            checkMultivariateVariate(dist, mv, lhsInfo, at: lhs.span)
        } else if let (dist, args) = checked {
            if dist.isDiscrete, lhsInfo.type.base != .int {
                error("discrete-variate", "\(dist.name) is a distribution over integers, but the left side is \(lhsInfo.type.description)",
                      at: lhs.span, hint: "declare the data as int, e.g. `data y: int<lower=0>[N]`")
            }
            if lhsInfo.type.rank > 1 {
                error("variate-shape", "the left side of `~` must be a scalar or an array, not \(lhsInfo.type.rank == 2 ? "a matrix" : "an array of rank \(lhsInfo.type.rank)")",
                      at: lhs.span, hint: lhsInfo.type.rank > 2 ? "index it down to an array (`z[i, j] ~ …`) in a loop" : nil)
            } else if args.type.rank > lhsInfo.type.rank {
                error("variate-shape", "the arguments of \(dist.name) are arrays, but the left side is a scalar", at: span,
                      hint: "index the arguments, or put an array on the left")
            }
        }
        let rootRole = root.map { symbols[$0].role }
        if let footing, call.truncation != nil {
            error("footing-truncation", "a truncated term cannot have a footing yet", at: footing.span,
                  hint: "drop the footing, or the truncation")
            return
        }
        guard let footing else {
            if lhsInfo.mentionsSynthetic {
                let name = lhs.rootName?.0 ?? "this"
                error("missing-footing", "synthetic data '\(name)' needs a footing", at: lhs.span,
                      hint: "add `footing cap` (honest: worth at most the real rows it came from), `footing power(a)` or `footing equal`",
                      notes: ["synthetic rows are not new observations: built from our own sample they add no information (Theorem 5)",
                              "`footing equal` would treat them as real data and make standard errors too small"])
            }
            return
        }
        checkFooting(footing, lhs: lhsInfo, rootRole: rootRole, root: root, dist: checked?.0)
    }

    func checkFootingExpressions(_ footing: Footing) {
        switch footing.kind {
        case .power(let e, _), .weight(let e): _ = checkExpr(e)
        default: break
        }
    }

    func checkFooting(_ footing: Footing, lhs: ExprInfo, rootRole: Role?, root: Int?, dist: DistributionSignature?) {
        if lhs.mentionsParameter || lhs.dependsOnParameters {
            error("footing-on-parameter", "footing applies to data, not to parameters", at: footing.span,
                  hint: "a prior on a parameter has no footing; remove the clause")
            checkFootingExpressions(footing)
            return
        }
        switch footing.kind {
        case .equal:
            if lhs.mentionsSynthetic, let root {
                let s = symbols[root]
                warning("equal-footing", "synthetic data '\(s.name)' on equal footing is treated as real observations",
                        at: footing.span,
                        hint: "use `footing cap` or `footing power(a)` unless the rows really are new data",
                        notes: ["this is the degenerate prior of section 5.1: the posterior claims information the data do not hold",
                                "`synm fisher` reports the information inflation factor this footing implies"])
            }
        case .cap, .calibrated:
            if !lhs.mentionsSynthetic {
                let word = { if case .cap = footing.kind { return "cap" } else { return "calibrated" } }()
                error("cap-without-provenance", "`footing \(word)` needs a synthetic node with provenance", at: footing.span,
                      hint: "\(word) limits synthetic rows to the real information they were built from; real data need no footing")
            }
        case .power(let a, let normalized):
            guard let info = checkExpr(a) else { return }
            if info.type.rank != 0 {
                error("power-shape", "the power must be a scalar", at: a.span)
                return
            }
            if normalized {
                let isParam: Bool = {
                    if case .name(let n) = a.kind, let i = lookup(n) { return symbols[i].role == .param }
                    return false
                }()
                if !isParam {
                    error("normalized-power-fixed", "`power(a) normalized` needs a parameter as a", at: a.span,
                          hint: "with a fixed a the power prior needs no normalisation: drop `normalized`")
                } else if let root, symbols[root].role == .synthetic, let g = symbols[root].generator, g.isFromOwnSample {
                    warning("normalized-own-sample", "a normalised power prior on rows generated from our own sample '\(symbols[root].name)'",
                            at: footing.span,
                            hint: "its weight is learned from how well the rows agree with the real data, and rows built from the real data always agree: use `footing cap` (weight 0) or a fixed `power(a)`",
                            notes: ["Theorem 5: rows generated from our own sample carry no information beyond it"])
                    if let dist, !dist.conjugateNormalizable {
                        error("normalized-power-family", "the normalised power prior is only available for normal, bernoulli, binomial and poisson terms",
                              at: footing.span,
                              notes: ["its normalising constant c(a) = ∫ L(θ | D₀)^a π₀(θ) dθ has a closed form only for conjugate families",
                                      "use a fixed `power(a)`, or `weight(expr)` knowing it is the unnormalised power prior"])
                    }
                } else if let dist, !dist.conjugateNormalizable {
                    error("normalized-power-family", "the normalised power prior is only available for normal, bernoulli, binomial and poisson terms",
                          at: footing.span,
                          notes: ["its normalising constant c(a) = ∫ L(θ | D₀)^a π₀(θ) dθ has a closed form only for conjugate families",
                                  "use a fixed `power(a)`, or `weight(expr)` knowing it is the unnormalised power prior"])
                }
            } else {
                if info.dependsOnParameters {
                    error("power-depends-on-parameter", "power(a) takes a fixed weight, but this depends on parameters",
                          at: a.span, hint: "use `power(a) normalized` (conjugate terms) or `weight(expr)`")
                } else if let v = literalValue(a), !(0...1).contains(v) {
                    error("power-range", "the power must be in [0, 1], but it is \(formatNumber(v))", at: a.span,
                          hint: "0 ignores the rows, 1 pools them as real data")
                }
            }
        case .weight(let w):
            guard let info = checkExpr(w) else { return }
            if info.type.rank != 0 {
                error("weight-shape", "the weight must be a scalar", at: w.span)
            } else if let v = literalValue(w), !(0...1).contains(v) {
                error("weight-range", "the weight must be in [0, 1], but it is \(formatNumber(v))", at: w.span)
            } else if info.dependsOnParameters {
                warning("unnormalized-power-prior", "a weight that depends on parameters gives the unnormalised power prior",
                        at: footing.span,
                        notes: ["L(θ | D₀)^a is not a density in θ for each a, so the result depends on arbitrary constants and pushes a towards 0",
                                "for normal, bernoulli, binomial and poisson terms, `power(a) normalized` is the normalised version"])
            }
        }
    }

    /// The value of a literal number (with unary minus), if the expression is one.
    func literalValue(_ e: Expr) -> Double? {
        switch e.kind {
        case .intLiteral(let v): return Double(v)
        case .realLiteral(let v): return v
        case .unary(.negate, let x): return literalValue(x).map { -$0 }
        case .unary(.plus, let x): return literalValue(x)
        default: return nil
        }
    }

    func formatNumber(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
