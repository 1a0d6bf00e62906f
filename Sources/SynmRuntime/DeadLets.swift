// Dead-let elimination for density evaluation. A top-level `let` that no term, `target +=`,
// loop, conditional, local, parameter bound or other needed let reads (transitively) adds
// nothing to the log density, its gradient or its Hessian; evaluating it only grows the tape
// (hier_poisson's `let rate = exp(mu + tau * eta)` was a fifth of each gradient's work,
// docs/PERFORMANCE.md). The density statements leave such lets out; draws, predict nodes and
// simulation still run every statement, so reported values do not change.
//
// A let is left out only when its evaluation provably cannot fail (a failure must still make
// the density −∞ with its located message): its expression is built from constants,
// parameters, loop counters, other lets, arithmetic with matching (or scalar) operand sizes,
// element-wise functions, sum/mean/log_sum_exp, and multi-indexing with in-range constant
// indices — anything else (locals, indexing, matrices, densities, int division, sd, min,
// max, dot_product, array literals) keeps the let. Lets cannot have bounds (the checker's
// `let-bounds` error), so no let rejects a draw by a constraint. Lets inside loops and
// conditionals are always kept (loop kernels are compiled from the loop bodies as written).
import SynmFrontend

enum DeadLets {
    /// The statements a density evaluation runs: `statements` without dead top-level lets.
    static func densityStatements(_ statements: [IRStmt], parameters: [ParameterLayout],
                                  letCount: Int) -> [IRStmt] {
        // The top-level lets, by slot.
        var topLevel: [Int: IRExpr] = [:]
        for s in statements {
            if case .setLet(let slot, let e) = s { topLevel[slot] = e }
        }
        guard !topLevel.isEmpty else { return statements }

        // Static shapes of let values (rank ≤ 1 only; nil: unknown, a matrix, or not provable).
        var letShapes: [Int: Shape] = [:]
        for s in statements {
            if case .setLet(let slot, let e) = s, let shape = safeShape(e, parameters: parameters, lets: letShapes) {
                letShapes[slot] = shape
            }
        }

        // Roots: every let read by a statement that is not a top-level let, by a parameter
        // bound, or by a let that must be kept because it might fail.
        var live = Set<Int>()
        for s in statements {
            switch s {
            case .setLet(let slot, let e):
                if letShapes[slot] == nil { collectLets(e, into: &live) }
            default:
                collectLets(s, into: &live)
            }
        }
        for p in parameters {
            if let l = p.lower { collectLets(l, into: &live) }
            if let u = p.upper { collectLets(u, into: &live) }
        }
        // Lets that might fail are live themselves (they are kept).
        for slot in topLevel.keys where letShapes[slot] == nil { live.insert(slot) }
        // Whatever a live let reads is live.
        var work = Array(live)
        while let slot = work.popLast() {
            guard let e = topLevel[slot] else { continue }
            var reads = Set<Int>()
            collectLets(e, into: &reads)
            for r in reads where live.insert(r).inserted { work.append(r) }
        }
        let dead = Set(topLevel.keys).subtracting(live)
        guard !dead.isEmpty else { return statements }
        return statements.filter { s in
            if case .setLet(let slot, _) = s { return !dead.contains(slot) }
            return true
        }
    }

    /// A value's static shape: a scalar (`RV.isScalar`) or an array of n elements.
    enum Shape: Equatable {
        case scalar
        case array(Int)
    }

    /// The shape of `e` when its evaluation cannot fail, else nil.
    static func safeShape(_ e: IRExpr, parameters: [ParameterLayout], lets: [Int: Shape]) -> Shape? {
        func shape(_ e: IRExpr) -> Shape? {
            switch e {
            case .constScalar, .poolScalar, .loopValue: return .scalar
            case .constArray(let c): return c.isMatrix ? nil : .array(Int(c.count))
            case .parameter(let p):
                let s = parameters[p].shape
                if s.isEmpty { return .scalar }
                return s.count == 1 ? .array(s[0]) : nil
            case .letValue(let slot): return lets[slot]
            case .unary(let op, let x):
                guard let s = shape(x) else { return nil }
                return op == .not && s != .scalar ? nil : s
            case .binary(let op, let l, let r, _):
                guard !op.isLogical else { return nil }
                return broadcast(shape(l), shape(r))
            case .call(let f, let args, _):
                switch f {
                case .exp, .log, .log1p, .expm1, .sqrt, .square, .inv_logit, .logit, .lgamma, .log1p_exp, .tanh,
                     .abs, .log_inv_logit, .log1m, .inv, .Phi:
                    return args.count == 1 ? shape(args[0]) : nil
                case .pow:
                    return args.count == 2 ? broadcast(shape(args[0]), shape(args[1])) : nil
                case .sum, .mean:
                    return args.count == 1 && shape(args[0]) != nil ? .scalar : nil
                case .log_sum_exp:
                    guard args.count == 1, shape(args[0]) != nil else { return nil }
                    return .scalar
                default:
                    return nil
                }
            case .gather(let base, let indices, _):
                guard case .array(let n)? = shape(base), indices.allSatisfy({ $0 >= 0 && Int($0) < n }) else {
                    return nil
                }
                return .array(indices.count)
            case .variable, .variableElement, .index, .array, .density, .vectorDensity, .cumulative, .truncation,
                 .rng, .vectorRng, .multiDensity, .multiRng, .tensorIndex, .inlined:
                return nil
            }
        }
        return shape(e)
    }

    /// Element-wise arithmetic: equal sizes, or a scalar on either side.
    static func broadcast(_ a: Shape?, _ b: Shape?) -> Shape? {
        guard let a, let b else { return nil }
        switch (a, b) {
        case (.scalar, _): return b
        case (_, .scalar): return a
        case (.array(let m), .array(let n)): return m == n ? a : nil
        }
    }

    /// Every let slot a statement (at any depth) reads.
    static func collectLets(_ s: IRStmt, into out: inout Set<Int>) {
        switch s {
        case .tilde(_, let call, let weight):
            collectLets(call, into: &out)
            switch weight {
            case .expression(let e), .normalized(let e, _): collectLets(e, into: &out)
            case .one, .zero, .constant: break
            }
        case .vectorTilde(_, let call, let weight):
            collectLets(call, into: &out)
            switch weight {
            case .expression(let e), .normalized(let e, _): collectLets(e, into: &out)
            case .one, .zero, .constant: break
            }
        case .multiTilde(_, let call, let weight):
            collectLets(call, into: &out)
            switch weight {
            case .expression(let e), .normalized(let e, _): collectLets(e, into: &out)
            case .one, .zero, .constant: break
            }
        case .target(_, let e): collectLets(e, into: &out)
        case .setLet(_, let e): collectLets(e, into: &out)
        case .declareVariable(_, let e, _): if let e { collectLets(e, into: &out) }
        case .assign(_, let indices, let value, _):
            for i in indices { collectLets(i, into: &out) }
            collectLets(value, into: &out)
        case .forLoop(_, let lo, let hi, let body, _):
            collectLets(lo, into: &out)
            collectLets(hi, into: &out)
            for b in body { collectLets(b, into: &out) }
        case .ifElse(let c, let a, let b):
            collectLets(c, into: &out)
            for x in a { collectLets(x, into: &out) }
            for x in b { collectLets(x, into: &out) }
        case .callSite(_, let body):
            for x in body { collectLets(x, into: &out) }
        }
    }

    static func collectLets(_ call: DensityCall, into out: inout Set<Int>) {
        collectLets(call.variate, into: &out)
        for a in call.args { collectLets(a, into: &out) }
        if let sim = call.simulation {
            for i in sim.indices { collectLets(i, into: &out) }
        }
        if let t = call.truncation {
            if let l = t.lower { collectLets(l, into: &out) }
            if let u = t.upper { collectLets(u, into: &out) }
        }
    }

    static func collectLets(_ call: VectorDensityCall, into out: inout Set<Int>) {
        collectLets(call.variate, into: &out)
        for a in call.args { collectLets(a, into: &out) }
        if let sim = call.simulation {
            for i in sim.indices { collectLets(i, into: &out) }
        }
    }

    static func collectLets(_ call: MultiDensityCall, into out: inout Set<Int>) {
        collectLets(call.variate, into: &out)
        for a in call.args { collectLets(a, into: &out) }
        if let sim = call.simulation {
            for i in sim.indices { collectLets(i, into: &out) }
        }
    }

    static func collectLets(_ e: IRExpr, into out: inout Set<Int>) {
        switch e {
        case .constScalar, .poolScalar, .constArray, .parameter, .loopValue, .variable: break
        case .letValue(let slot): out.insert(slot)
        case .variableElement(_, let indices, _): for i in indices { collectLets(i, into: &out) }
        case .unary(_, let x): collectLets(x, into: &out)
        case .binary(_, let l, let r, _):
            collectLets(l, into: &out)
            collectLets(r, into: &out)
        case .call(_, let args, _): for a in args { collectLets(a, into: &out) }
        case .index(let b, let indices, _):
            collectLets(b, into: &out)
            for i in indices { collectLets(i, into: &out) }
        case .gather(let b, _, _): collectLets(b, into: &out)
        case .tensorIndex(let b, let indices, _, _):
            collectLets(b, into: &out)
            for i in indices { collectLets(i, into: &out) }
        case .array(let elements, _): for x in elements { collectLets(x, into: &out) }
        case .density(let call), .cumulative(let call, _), .truncation(let call), .rng(let call):
            collectLets(call, into: &out)
        case .vectorDensity(let call), .vectorRng(let call): collectLets(call, into: &out)
        case .multiDensity(let call), .multiRng(let call): collectLets(call, into: &out)
        case .inlined(let call): for s in call.body { collectLets(s, into: &out) }
        }
    }
}
