// Static shapes, for arrays of rank 3 or more (`real[N, M, K]`). Sizes are fixed once the data
// are bound, so the compiler knows the full shape of every declared name; a value of rank 3
// or more is carried at run time as a matrix view (ConstRef.tensor), and indexing it compiles
// to `IRExpr.tensorIndex` with the shape (Evaluator+HigherRank.swift). Element-wise operations
// on two such values must agree in every size: checked here, at the operator.
import SynmDiagnostics
import SynmFrontend

extension Compiler {
    /// The full shape of an expression ([] for a scalar), or nil when it is not known
    /// statically (a value the runtime shapes itself). Throws on element-wise operands whose
    /// sizes differ when either has rank 3 or more.
    func fullShape(_ e: Expr) throws -> [Int]? {
        switch e.kind {
        case .intLiteral, .realLiteral: return []
        case .name(let n):
            if let s = declaredShapes[n] { return s }
            switch lookup(n) {
            case .loop?: return []
            case .constant(let ir)?:
                switch ir {
                case .constScalar, .poolScalar: return []
                case .constArray(let c): return c.isMatrix ? [Int(c.rows), Int(c.columns)] : [Int(c.count)]
                default: return nil
                }
            default: return nil
            }
        case .unary(_, let x): return try fullShape(x)
        case .binary(let op, let l, let r):
            guard let a = try fullShape(l), let b = try fullShape(r) else { return nil }
            if op == .multiply, a.count == 2, b.count == 1 { return [a[0]] }
            return try broadcast(a, b, at: e.span)
        case .call(let name, _, let args, _):
            if name.hasSuffix("_rng") {
                var s: [Int] = []
                for a in args {
                    guard let x = try fullShape(a.value) else { return nil }
                    s = try broadcast(s, x, at: e.span)
                }
                return s
            }
            guard let rule = builtinFunctions[name] else {
                // Densities and cumulative functions are scalars; anything else is not known here.
                let scalarSuffixes = ["_lpdf", "_lpmf", "_lupdf", "_lupmf", "_lcdf", "_lccdf", "_cdf"]
                return scalarSuffixes.contains(where: name.hasSuffix) ? [] : nil
            }
            switch rule {
            case .reduce, .reduceOrPair, .dotProduct, .size, .rank: return []
            case .arrayMap: return args.first.flatMap { try? fullShape($0.value) } ?? nil
            default:
                var s: [Int] = []
                for a in args {
                    guard let x = try fullShape(a.value) else { return nil }
                    s = try broadcast(s, x, at: e.span)
                }
                return s
            }
        case .index(let base, let indices):
            guard var shape = try fullShape(base) else { return nil }
            var out: [Int] = []
            for ix in indices {
                guard !shape.isEmpty, let s = try fullShape(ix) else { return nil }
                let n = shape.removeFirst()
                _ = n
                if s.count == 1 { out.append(s[0]) }  // multi-indexing keeps the dimension
            }
            return out + shape
        case .array(let elements):
            var inner: [Int]?
            for x in elements {
                guard let s = try fullShape(x) else { return nil }
                if let i = inner, i != s {
                    throw RuntimeError("array elements must all have the same shape: \(describe(i)) and \(describe(s))",
                                       span: x.span)
                }
                inner = s
            }
            return [elements.count] + (inner ?? [])
        default:
            return nil
        }
    }

    /// The shape of an element-wise operation on shapes a and b (a scalar broadcasts).
    func broadcast(_ a: [Int], _ b: [Int], at span: SourceSpan) throws -> [Int] {
        if a.isEmpty { return b }
        if b.isEmpty || a == b { return a }
        if a.count >= 3 || b.count >= 3 {
            throw RuntimeError("the operands have different sizes: \(describe(a)) and \(describe(b))", span: span,
                               hint: "element-wise operations need the same sizes in every dimension")
        }
        return a  // ranks 1 and 2: the runtime checks and reports sizes as before
    }

    /// `[2, 3, 4]` as "2 × 3 × 4".
    func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "a scalar" : shape.map(String.init).joined(separator: " × ")
    }

    /// `base[i, j, …]` for a base of rank 3 or more: the indexing with the base's full shape.
    mutating func higherRankIndex(_ base: Expr, _ indices: [Expr], span: SourceSpan) throws -> IRExpr? {
        guard let shape = try fullShape(base), shape.count >= 3 else {
            // The checker saw a base of rank 3 or more: without its sizes it cannot be indexed.
            if let rank = model.higherRankIndexes[span] {
                throw RuntimeError("cannot tell the sizes of this array of rank \(rank), so it cannot be indexed here",
                                   span: base.span, hint: "give it a name first: `let a: real[N, M, K] = …`")
            }
            return nil
        }
        let b = try expression(base)
        let ix = try indices.map { try expression($0) }
        return .tensorIndex(b, ix, shape.map { Int32(clamping: $0) }, span)
    }
}
