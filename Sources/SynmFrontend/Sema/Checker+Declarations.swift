// Declarations: data (with sizes inferred from the data), parameters, lets, vars and
// predict nodes. Synthetic nodes are in Checker+Synthetic.swift.
import SynmDiagnostics

extension Checker {
    /// Checks a written type: sizes are int expressions over data; bounds are over data
    /// (and, for parameters, earlier parameters). `inferSizes` declares unknown size names.
    func checkType(_ t: TypeSyntax, role: Role, inferSizes: Bool) -> ValueType {
        if let c = t.constrained { checkConstrainedType(t, c, role: role) }
        for d in t.writtenDims {
            if inferSizes, case .name(let n) = d.kind, lookup(n) == nil {
                declare(SymbolInfo(name: n, role: .size, type: .int, declaredType: nil, span: d.span,
                                   dependsOnParameters: false, used: true))
                continue
            }
            guard let info = checkExpr(d) else { continue }
            if info.type != .int {
                error("size-type", "a size must be an int, but this is \(info.type.description)", at: d.span)
            } else if let (name, span) = letInSize(d) {
                // Sizes are fixed from the data before the model is compiled; a let is computed
                // later, with the model (so `synm run` could not size the array).
                error("size-from-let", "a size must come from data, but '\(name)' is a let", at: span,
                      hint: "declare it as data (`data \(name): int`) and give its value in the data file, or write the size from data directly")
            } else if info.dependsOnParameters {
                error("size-depends-on-parameter", "a size cannot depend on parameters", at: d.span,
                      hint: "sizes are fixed by the data before sampling")
            } else if case .intLiteral(let v) = d.kind, v > Int(Int32.max) {
                // The compiled program indexes arrays with 32-bit integers (sizes read from
                // data are checked when the data are bound).
                error("size-too-large", "the size \(v) is above the largest array size \(Int32.max)", at: d.span,
                      hint: "arrays hold at most 2³¹ − 1 elements")
            }
        }
        for b in t.bounds {
            guard let info = checkExpr(b.value) else { continue }
            if info.type.rank != 0 {
                error("bound-shape", "a bound must be a scalar, but this is \(info.type.description)", at: b.value.span)
            }
            if info.dependsOnParameters, role != .param {
                error("bound-depends-on-parameter", "only a parameter's bounds may depend on parameters", at: b.value.span)
            }
        }
        if t.bounds.contains(where: { _ in true }), role == .let {
            error("let-bounds", "a let cannot have bounds", at: t.span)
        }
        return ValueType(t.base, rank: t.dims.count, kind: t.kind)
    }

    /// The first name in a size expression that is a top-level let (with its span).
    func letInSize(_ e: Expr) -> (String, SourceSpan)? {
        switch e.kind {
        case .name(let n):
            if let i = lookup(n), symbols[i].role == .let { return (n, e.span) }
            return nil
        case .unary(_, let x): return letInSize(x)
        case .binary(_, let l, let r): return letInSize(l) ?? letInSize(r)
        case .call(_, _, let args, _):
            for a in args { if let found = letInSize(a.value) { return found } }
            return nil
        case .index(let b, let ix):
            if let found = letInSize(b) { return found }
            for x in ix { if let found = letInSize(x) { return found } }
            return nil
        case .array(let xs):
            for x in xs { if let found = letInSize(x) { return found } }
            return nil
        case .intLiteral, .realLiteral, .string, .lambda, .error: return nil
        }
    }

    func checkDataDecl(_ s: Stmt, name: String, type t: TypeSyntax, value: Expr?) {
        let type = checkType(t, role: .data, inferSizes: true)
        if let value {
            if let info = checkExpr(value) {
                if !isConstant(value) {
                    error("data-default-not-literal", "a data default must be a literal number or array", at: value.span,
                          hint: "compute derived values with `let`")
                } else if info.type.rank != type.rank {
                    error("data-default-shape", "the default of '\(name)' is \(info.type.description), but it is declared \(type.description)",
                          at: value.span)
                } else if type.base == .int, info.type.base == .real {
                    error("data-default-type", "'\(name)' is declared int, but its default has real values", at: value.span)
                }
            }
        }
        var info = SymbolInfo(name: name, role: .data, type: type, declaredType: t, span: s.nameSpan ?? s.span,
                              dependsOnParameters: false)
        info.defaultValue = value
        declare(info)
    }

    /// Literal numbers, unary minus and array literals of them.
    func isConstant(_ e: Expr) -> Bool {
        switch e.kind {
        case .intLiteral, .realLiteral: return true
        case .unary(.negate, let x), .unary(.plus, let x): return isConstant(x)
        case .array(let es): return es.allSatisfy(isConstant)
        default: return false
        }
    }

    func checkParamDecl(_ s: Stmt, name: String, type t: TypeSyntax) {
        if t.base == .int {
            error("int-parameter", "parameters must be real; '\(name)' is declared int", at: t.span,
                  hint: "discrete parameters cannot be sampled by HMC: marginalise them out with `target +=`")
        }
        let type = checkType(t, role: .param, inferSizes: false)
        declare(SymbolInfo(name: name, role: .param, type: ValueType(.real, rank: type.rank, kind: type.kind), declaredType: t,
                           span: s.nameSpan ?? s.span, dependsOnParameters: true))
    }

    func checkLetDecl(_ s: Stmt, name: String, type t: TypeSyntax?, value: Expr) {
        guard let info = checkExpr(value) else {
            // Declare anyway so later uses do not cascade into "undefined" errors.
            declare(SymbolInfo(name: name, role: .let, type: .real, declaredType: t, span: s.nameSpan ?? s.span,
                               dependsOnParameters: true, used: true))
            return
        }
        if info.mentionsSynthetic {
            error("synthetic-in-let", "synthetic node used in a let", at: value.span,
                  hint: "use synthetic nodes only on the left of `~ … footing …`, where their footing is explicit")
        }
        var type = info.type
        if let t {
            let declared = checkType(t, role: .let, inferSizes: false)
            if declared.rank != type.rank || (declared.base == .int && type.base == .real)
                || !kindsAgree(type.kind, declared.kind) {
                error("let-type", "'\(name)' is declared \(declared.description), but its value is \(type.description)",
                      at: value.span)
            }
            type = declared
        }
        var sym = SymbolInfo(name: name, role: .let, type: type, declaredType: t, span: s.nameSpan ?? s.span,
                             dependsOnParameters: info.dependsOnParameters)
        sym.value = value
        declare(sym)
    }

    func checkVarDecl(_ s: Stmt, name: String, type t: TypeSyntax, value: Expr?) {
        if !t.bounds.isEmpty {
            error("var-bounds", "a var cannot have bounds", at: t.span)
        }
        let type = checkType(t, role: .var, inferSizes: false)
        var params = false
        if let value, let info = checkExpr(value) {
            params = info.dependsOnParameters
            verifyAssignable(info.type, to: type, name: name, span: value.span)
        }
        if let i = declare(SymbolInfo(name: name, role: .var, type: type, declaredType: t, span: s.nameSpan ?? s.span,
                                      dependsOnParameters: false, used: false)), params {
            paramDependentVars.insert(i)
        }
    }

    /// A value of type `v` can be stored where `target` is declared.
    func verifyAssignable(_ v: ValueType, to target: ValueType, name: String, span: SourceSpan) {
        if v.rank != target.rank || !kindsAgree(v.kind, target.kind) {
            error("assign-shape", "cannot assign \(v.description) to '\(name)' of type \(target.description)", at: span)
        } else if target.base == .int, v.base == .real {
            error("assign-real-to-int", "cannot assign a real value to int '\(name)'", at: span)
        }
    }

    func checkPredictDecl(_ s: Stmt, name: String, type t: TypeSyntax?, dist call: DistCall) {
        var type = ValueType.real
        let checked = checkDistribution(call)
        if let (dist, info) = checked, let mv = multivariateSignatures[dist.name] {
            type = checkMultivariatePredict(dist, mv, info: info,
                                            declared: t.map { checkType($0, role: .predict, inferSizes: false) },
                                            name: name, call: call, typeSpan: t?.span)
        } else if let (dist, info) = checked {
            type = ValueType(dist.isDiscrete ? .int : .real, rank: info.type.rank)
            if let t {
                let declared = checkType(t, role: .predict, inferSizes: false)
                if declared.base != type.base || (declared.rank != type.rank && info.type.rank != 0) {
                    error("predict-type", "'\(name)' is declared \(declared.description), but \(dist.name) gives \(type.description)",
                          at: t.span)
                }
                type = declared
            }
        }
        var sym = SymbolInfo(name: name, role: .predict, type: type, declaredType: t, span: s.nameSpan ?? s.span,
                             dependsOnParameters: true, used: true)
        sym.distribution = call
        declare(sym)
    }
}
