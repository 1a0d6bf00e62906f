// Linear forms: an assignment to a `var` element whose value is a sum of products of at most two
// factors, `nu[t] = mu + phi * y[t - 1] + theta * err[t - 1]` or `err[t] = y[t] - nu[t]`, run
// as one kernel instruction. The factors are read straight from where they live (a hoisted
// register, a parameter element, a data element, a `var` element: `KernelFactor`), the value is
// summed left to right as the expression tree sums it (so the same bits), and the node's edges
// are written as they are found: ∂value/∂f = ±g and ∂value/∂g = ±f. No registers, no reverse
// sweep over the expression, no gathering of leaves: the general path costs several times more
// per operation for the same node. A factor read twice gives two edges (their partials summed
// by the backward pass, where the general path sums them first: the same derivative, rounded
// once more).
import SynmAutodiff
import SynmDistributions
import SynmMath

/// One term of a linear form: ± f (× g).
struct KernelLinearTerm: Sendable {
    var negative: Bool
    var f: KernelFactor
    var hasG: Bool
    var g: KernelFactor
}

/// A linear form: terms [start, start + count) of `KernelProgram.linearTerms`; the first is
/// positive (the tree's leftmost operand).
struct KernelLinearForm: Sendable {
    var start: Int32
    var count: Int32
}

/// The most terms a linear form takes (its edges must fit the node scratch).
let maxLinearTerms = 16

extension KernelCompiler {
    /// `e` as a left-to-right chain `p₁ ± p₂ ± …` of products `f` or `f * g` of factors, else nil.
    /// A single bare factor is left to the general path (an assignment of a tape variable
    /// itself shares it, no node).
    mutating func linearForm(_ e: IRExpr) throws -> KernelLinearForm? {
        var parts: [(negative: Bool, expression: IRExpr)] = []
        var rest = e
        chain: while true {
            switch rest {
            case .binary(.add, let l, let r, _):
                parts.append((false, r))
                rest = l
            case .binary(.subtract, let l, let r, _):
                parts.append((true, r))
                rest = l
            default:
                parts.append((false, rest))
                break chain
            }
            if parts.count > maxLinearTerms { return nil }
        }
        parts.reverse()
        if parts.count == 1, case .binary(.multiply, _, _, _) = parts[0].expression {} else if parts.count == 1 { return nil }
        // Factors are checked before any is compiled: a refused form leaves no trace.
        func split(_ p: IRExpr) -> (IRExpr, IRExpr?) {
            if case .binary(.multiply, let a, let b, _) = p { return (a, b) }
            return (p, nil)
        }
        for p in parts {
            let (a, b) = split(p.expression)
            guard isLinearFactor(a), b.map(isLinearFactor) ?? true else { return nil }
        }
        let start = Int32(linearTerms.count)
        for p in parts {
            let (a, b) = split(p.expression)
            guard let f = try linearFactor(a) else { return nil }
            var term = KernelLinearTerm(negative: p.negative, f: f, hasG: false, g: f)
            if let b {
                guard let g = try linearFactor(b) else { return nil }
                term.hasG = true
                term.g = g
            }
            linearTerms.append(term)
        }
        return KernelLinearForm(start: start, count: Int32(parts.count))
    }

    /// Whether `linearFactor` takes `e` (decided without compiling anything).
    func isLinearFactor(_ e: IRExpr) -> Bool {
        switch e {
        case .constScalar, .poolScalar: return true
        case .parameter(let p): return program.parameters[p].shape.isEmpty
        case .letValue(let slot): return !assignedLets.contains(slot)
        case .index(.parameter(let p), let ix, _):
            return ix.count == 1 && program.parameters[p].shape.count == 1 && affine(ix[0]) != nil
        case .index(.constArray(let c), let ix, _):
            return ix.count == 1 && !c.isMatrix && affine(ix[0]) != nil
        case .variableElement(let slot, let ix, _):
            return ix.count == 1 && program.variables[slot].shape.count == 1 && locals[slot] == nil
                && !program.variables[slot].isInteger && affine(ix[0]) != nil
        default: return false
        }
    }

    /// A factor of a linear form: `factor`'s kinds, and a let set before the loop (hoisted).
    mutating func linearFactor(_ e: IRExpr) throws -> KernelFactor? {
        if case .letValue = e { return KernelFactor(kind: .register, a: try scalar(e)) }
        return try factor(e)
    }
}

extension Evaluator {
    /// Runs a `linearAssign` instruction: the form's value and edges, one node (or a constant),
    /// written to the statement's element. `.gaveUp` on a bad index or an unassigned element.
    @inline(never)
    static func linearAssign(_ form: KernelLinearForm, _ terms: UnsafePointer<KernelLinearTerm>,
                             _ s: UnsafePointer<KernelStatement>, _ value: UnsafeMutablePointer<T>,
                             _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                             _ cursor: inout TapeCursor<T>, _ tapeValues: UnsafePointer<T>,
                             _ parameters: [RV], _ pool: [Double]) -> KernelExit {
        let count = Int(form.count)
        guard cursor.hasRoom(variables: 1, edges: 2 * count) else { return .needsRoom(1, 2 * count) }
        var total = T(0)
        var n = 0
        let from = locals.edgeFrom, partial = locals.edgePartial
        for q in 0..<count {
            let term = terms + (Int(form.start) + q)
            guard let (fv, fs) = Self.kernelFactor(term.pointee.f, value, source, locals, tapeValues, parameters, pool)
            else { return .gaveUp }
            var gv = T(1), gs: Int32 = -1, product = fv
            if term.pointee.hasG {
                guard let (v, vs) = Self.kernelFactor(term.pointee.g, value, source, locals, tapeValues, parameters, pool)
                else { return .gaveUp }
                gv = v
                gs = vs
                product = fv * gv
            }
            let negative = term.pointee.negative
            if q == 0 { total = product } else if negative { total -= product } else { total += product }
            if fs >= 0 {
                from[n] = fs
                partial[n] = negative ? -gv : gv
                n += 1
            }
            if gs >= 0 {
                from[n] = gs
                partial[n] = negative ? -fv : fv
                n += 1
            }
        }
        let x = s.pointee.index
        guard let e = Self.kernelOffset(x.signs, x.a, x.b, x.x, x.k, s.pointee.size0, s.pointee.size1, value, source,
                                        locals.ints) else { return .gaveUp }
        let cell: Cell = n == 0
            ? .constant(total.value)
            : .variable(cursor.pushNode(total, count: n, inputs: from, partials: partial))
        locals.cells[Int(s.pointee.slot)]![e] = cell
        return .done
    }
}
