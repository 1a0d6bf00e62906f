// Element-wise loops of `~` run as vectorised terms. A `for` loop with constant bounds whose
// body is only `~` statements, each reading loop-invariant scalars and elements of whole
// rank-1 arrays (parameters, data, `var`s) at the loop counter plus a constant, or element-wise
// expressions of them (`+ - * /`, negation, exp, log, …),
//
//     for t in 2..T { x[t] ~ normal(x[t - 1], sigma_level) }
//
// is the term `x[2..T] ~ normal(x[1..T-1], sigma_level)`: one density node over the rows
// (Evaluator+Density.swift) in place of T − 1 scalar terms. A parameter's slice is a view of
// its values (no node); `mu + x[t - 1]` is the slice with mu as its offset (no node); other
// expressions are evaluated once over the rows, as the loop would element by element. The
// loop itself is kept in the program (simulation, draws of lets and the fallback walk it); the
// vectorised form sits beside it (`CompiledProgram.vectorisedLoops`, by loop slot) and a
// density evaluation runs it in the loop's place (Evaluator+LoopVectorise.swift).
//
// Semantics are those of the loop: each term keeps its TermInfo (prior/likelihood and per-term
// selection) and its weight (1, 0 or a constant; any other footing keeps the loop), every
// index is checked against its array at compile time (an index out of range keeps the loop,
// which reports it), an empty loop (lo > hi) adds nothing, and whenever the vectorised
// evaluation fails (an invalid argument, a density that is not finite, a `var` element read
// before it is assigned) the evaluation is redone walking the tree, as after a loop kernel
// gives up, so the error and its location are the loop's own.
import SynmDiagnostics
import SynmDistributions

/// What the evaluator puts in a let slot before a vectorised loop's terms run.
enum LoopOperand: Sendable {
    /// Elements first ..< first + n (0-based) of a rank-1 parameter: a view, no node.
    case parameterSlice(parameter: Int, first: Int, slot: Int)
    /// Elements first ..< first + n of a rank-1 `var`, read as one node (as a read of the whole
    /// `var` is).
    case variableSlice(variable: Int, first: Int, slot: Int, span: SourceSpan)
    /// A loop-invariant expression, evaluated once; it must be a scalar (else the loop runs).
    case invariant(IRExpr, slot: Int)
    /// An element-wise expression of slices and invariants (`phi * x[t - 1]`), evaluated after
    /// the operands it reads.
    case rows(IRExpr, slot: Int)
}

/// One `~` of the loop as a term over the n rows.
struct VectorisedTerm: Sendable {
    var term: TermInfo
    /// The loop's call with its operands replaced: data slices as constants, the other slices
    /// and non-trivial invariants as reads of the let slots `operands` fill.
    var call: DensityCall
    var weight: IRWeight
    var operands: [LoopOperand]
}

/// A loop run as vectorised terms.
struct VectorisedLoop: Sendable {
    /// Iterations (rows of every term); 0 for an empty loop, which adds nothing.
    var iterations: Int
    var terms: [VectorisedTerm]
    /// `[iterations]`: the shape a `var` slice is read with (no array built per evaluation).
    var sliceShape: [Int]
}

/// Finds the loops that run vectorised.
struct LoopVectoriser {
    let parameters: [ParameterLayout]
    let variables: [VariableLayout]
    let pool: [Double]
    /// The next free let slot (past the program's lets).
    var nextLet: Int

    /// The vectorised loops of a program by loop slot, and how many let slots they use
    /// (numbered from `firstLet`, the program's let count).
    static func loops(statements: [IRStmt], parameters: [ParameterLayout], variables: [VariableLayout],
                      pool: [Double], loopCount: Int, firstLet: Int) -> (loops: [VectorisedLoop?], lets: Int) {
        var vectoriser = LoopVectoriser(parameters: parameters, variables: variables, pool: pool, nextLet: firstLet)
        let out = outermostLoops(statements, count: loopCount) { slot, loop -> VectorisedLoop? in
            guard case .forLoop(_, let lo, let hi, let body, _) = loop else { return nil }
            return vectoriser.vectorise(slot: slot, lo, hi, body)
        }
        return (out, vectoriser.nextLet - firstLet)
    }

    /// The vectorised form of a loop, or nil when the loop must run as written.
    mutating func vectorise(slot: Int, _ lo: IRExpr, _ hi: IRExpr, _ body: [IRStmt]) -> VectorisedLoop? {
        guard case .constScalar(let first) = lo, case .constScalar(let last) = hi,
              first == first.rounded(), last == last.rounded(),
              Swift.abs(first) <= 0x1p31, Swift.abs(last) <= 0x1p31, !body.isEmpty else { return nil }
        // Every statement a `~` with weight 1, 0 or a constant and no truncation.
        for s in body {
            guard case .tilde(_, let call, let weight) = s, call.truncation == nil else { return nil }
            switch weight {
            case .one, .zero, .constant: break
            case .expression, .normalized: return nil
            }
        }
        let n = Int(last) - Int(first) + 1
        if n <= 0 { return VectorisedLoop(iterations: 0, terms: [], sliceShape: [0]) }
        // A loop the tree would refuse as too long stays a loop (it reports that).
        guard n * body.count <= Evaluator<Double>.maxTapeVariables / 4 else { return nil }
        let saved = nextLet
        var terms: [VectorisedTerm] = []
        for s in body {
            guard case .tilde(let term, let call, let weight) = s,
                  let t = vectoriseTerm(term, call, weight, slot: slot, first: Int(first), n: n) else {
                nextLet = saved
                return nil
            }
            terms.append(t)
        }
        return VectorisedLoop(iterations: n, terms: terms, sliceShape: [n])
    }

    mutating func vectoriseTerm(_ term: TermInfo, _ call: DensityCall, _ weight: IRWeight, slot: Int, first: Int,
                                n: Int) -> VectorisedTerm? {
        var operands: [LoopOperand] = []
        var slices = 0
        // The variate and arguments as whole rows: a slice or an invariant as it is, `a + b` with
        // one side a slice and the other an invariant too (the density takes the invariant as an
        // offset of the slice's rows, no node), any other element-wise expression evaluated into
        // a let slot first.
        func top(_ e: IRExpr, isVariate: Bool) -> IRExpr? {
            guard let (x, rows) = rewrite(e, slot: slot, first: first, n: n, operands: &operands, slices: &slices)
            else { return nil }
            switch x {
            case .letValue, .constArray, .constScalar, .poolScalar, .parameter: return x
            case .binary(.add, let l, let r, _) where !isVariate && isDirect(l) && isDirect(r): return x
            default:
                guard rows else { return x }
                let s = newLet()
                operands.append(.rows(x, slot: s))
                return .letValue(s)
            }
        }
        guard let variate = top(call.variate, isVariate: true) else { return nil }
        var args: [IRExpr] = []
        for a in call.args {
            guard let x = top(a, isVariate: false) else { return nil }
            args.append(x)
        }
        // A term that reads no element would be n copies of one term: the loop stays.
        guard slices > 0 else { return nil }
        var statistics: VariateStatistics?
        if case .constArray(let c) = variate {
            statistics = VariateStatistics(pool[Int(c.start)..<Int(c.start + c.count)])
        }
        let vectorCall = DensityCall(distribution: call.distribution, variate: variate, args: args, domains: call.domains,
                                     span: call.span, variateStatistics: statistics)
        return VectorisedTerm(term: term, call: vectorCall, weight: weight, operands: operands)
    }

    /// Whether an operand reads a slot or a constant (evaluating it records nothing).
    func isDirect(_ e: IRExpr) -> Bool {
        switch e {
        case .letValue, .constArray, .constScalar, .poolScalar, .parameter: return true
        default: return false
        }
    }

    /// `e` over the n rows: elements at the counter plus a constant become slices, loop-invariant
    /// parts stay scalars, and `+ - * /`, negation and the element-wise functions combine them
    /// (on arrays each element is the same operation as on the loop's scalars). The flag says
    /// whether the result has a row per iteration (else it is an invariant scalar). Nil: the
    /// loop stays.
    mutating func rewrite(_ e: IRExpr, slot: Int, first: Int, n: Int, operands: inout [LoopOperand],
                          slices: inout Int) -> (IRExpr, Bool)? {
        if let (base, offset) = element(e, slot: slot) {
            // 0-based position of the first row's element; every row's must be in range.
            let start = first + offset - 1
            switch base {
            case .parameter(let p) where parameters[p].shape.count == 1:
                guard start >= 0, start + n <= parameters[p].shape[0] else { return nil }
                slices += 1
                let s = newLet()
                operands.append(.parameterSlice(parameter: p, first: start, slot: s))
                return (.letValue(s), true)
            case .constArray(let c) where !c.isMatrix:
                guard start >= 0, start + n <= Int(c.count) else { return nil }
                slices += 1
                return (.constArray(.array(start: Int(c.start) + start, count: n)), true)
            case .variable(let v, let span) where variables[v].shape.count == 1:
                guard start >= 0, start + n <= variables[v].shape[0] else { return nil }
                slices += 1
                let s = newLet()
                operands.append(.variableSlice(variable: v, first: start, slot: s, span: span))
                return (.letValue(s), true)
            default:
                return nil
            }
        }
        if isInvariant(e, slot: slot) {
            switch e {
            case .constScalar, .poolScalar: return (e, false)
            case .parameter(let p): return parameters[p].shape.isEmpty ? (e, false) : nil
            case .constArray: return nil
            default:
                let s = newLet()
                operands.append(.invariant(e, slot: s))
                return (.letValue(s), false)
            }
        }
        switch e {
        case .binary(let op, let l, let r, let span) where [.add, .subtract, .multiply, .divide].contains(op):
            guard let (a, ra) = rewrite(l, slot: slot, first: first, n: n, operands: &operands, slices: &slices),
                  let (b, rb) = rewrite(r, slot: slot, first: first, n: n, operands: &operands, slices: &slices)
            else { return nil }
            return (.binary(op, a, b, span), ra || rb)
        case .unary(.negate, let x):
            guard let (a, rows) = rewrite(x, slot: slot, first: first, n: n, operands: &operands, slices: &slices)
            else { return nil }
            return (.unary(.negate, a), rows)
        case .call(let f, let args, let span) where args.count == 1 && Self.elementwise.contains(f):
            guard let (a, rows) = rewrite(args[0], slot: slot, first: first, n: n, operands: &operands,
                                          slices: &slices) else { return nil }
            return (.call(f, [a], span), rows)
        default:
            return nil
        }
    }

    /// Built-ins applied element by element with the same function as on a scalar (`map`).
    static let elementwise: Set<Builtin> = [.exp, .log, .log1p, .expm1, .sqrt, .square, .inv_logit, .logit, .log1p_exp,
                                            .tanh]

    mutating func newLet() -> Int {
        defer { nextLet += 1 }
        return nextLet
    }

    /// `a[t + k]` for the loop counter t of `slot`: the array (a parameter, data, or a `var`
    /// as `.variable(slot, span)`) and k.
    func element(_ e: IRExpr, slot: Int) -> (IRExpr, Int)? {
        switch e {
        case .index(let base, let indices, _) where indices.count == 1:
            switch base {
            case .parameter, .constArray: break
            default: return nil
            }
            guard let k = counterOffset(indices[0], slot: slot) else { return nil }
            return (base, k)
        case .variableElement(let v, let indices, let span) where indices.count == 1:
            guard let k = counterOffset(indices[0], slot: slot) else { return nil }
            return (.variable(v, span), k)
        default:
            return nil
        }
    }

    /// k when `e` is the counter plus the whole constant k (`t`, `t + 1`, `t - 2`, `1 + t`, …).
    func counterOffset(_ e: IRExpr, slot: Int) -> Int? {
        guard let (coefficient, constant) = affine(e, slot: slot), coefficient == 1 else { return nil }
        return constant
    }

    /// e as c · t + k with small whole c and k, or nil.
    func affine(_ e: IRExpr, slot: Int) -> (Int, Int)? {
        switch e {
        case .loopValue(let s) where s == slot: return (1, 0)
        case .constScalar(let x) where x == x.rounded() && Swift.abs(x) <= 0x1p30: return (0, Int(x))
        case .unary(.negate, let x):
            guard let (c, k) = affine(x, slot: slot) else { return nil }
            return (-c, -k)
        case .binary(.add, let l, let r, _):
            guard let (c1, k1) = affine(l, slot: slot), let (c2, k2) = affine(r, slot: slot),
                  Swift.abs(k1 + k2) <= 1 << 30 else { return nil }
            return (c1 + c2, k1 + k2)
        case .binary(.subtract, let l, let r, _):
            guard let (c1, k1) = affine(l, slot: slot), let (c2, k2) = affine(r, slot: slot),
                  Swift.abs(k1 - k2) <= 1 << 30 else { return nil }
            return (c1 - c2, k1 - k2)
        default:
            return nil
        }
    }

    /// Whether `e` has the same value in every iteration of the loop of `slot` and evaluating
    /// it once in place of once per iteration changes nothing (no draws, no statements).
    func isInvariant(_ e: IRExpr, slot: Int) -> Bool {
        switch e {
        case .constScalar, .poolScalar, .constArray, .parameter, .letValue, .variable: return true
        case .loopValue(let s): return s != slot
        case .variableElement(_, let ix, _): return ix.allSatisfy { isInvariant($0, slot: slot) }
        case .unary(_, let x): return isInvariant(x, slot: slot)
        case .binary(_, let l, let r, _): return isInvariant(l, slot: slot) && isInvariant(r, slot: slot)
        case .call(_, let args, _): return args.allSatisfy { isInvariant($0, slot: slot) }
        case .index(let b, let ix, _): return isInvariant(b, slot: slot) && ix.allSatisfy { isInvariant($0, slot: slot) }
        case .gather(let b, _, _): return isInvariant(b, slot: slot)
        case .tensorIndex(let b, let ix, _, _):
            return isInvariant(b, slot: slot) && ix.allSatisfy { isInvariant($0, slot: slot) }
        case .array, .density, .vectorDensity, .cumulative, .truncation, .rng, .vectorRng, .inlined, .multiDensity,
             .multiRng:
            return false
        }
    }
}
