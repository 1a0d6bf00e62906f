// Running a loop of `~` as vectorised terms (Compiler+LoopVectorise.swift): the operands are
// put in their let slots (a parameter slice is a view of its values, no node), then each
// included term is one density node over the rows, in T arithmetic (Dual Hessians as ever).
import SynmAutodiff
import SynmDiagnostics

extension Evaluator {
    /// Runs a loop's vectorised terms in place of the loop. False when they do not apply this
    /// time (a loop-invariant operand is not a scalar, the tape is near its limit): the loop
    /// then runs as written, having added nothing. On a failure it gives up as a loop kernel
    /// does (`kernelAbandoned`): `run` evaluates again walking the tree, which reports the
    /// loop's own error.
    mutating func runVectorisedLoop(_ loop: VectorisedLoop) -> Bool {
        let n = loop.iterations
        if n == 0 { return true }
        // Room for what the loop would add on the tree (one node per term and row, a few edges each).
        let rows = n * loop.terms.count
        guard tape.variableCount + rows <= Self.maxTapeVariables,
              tape.edgeTotal + 4 * rows <= 4 * Self.maxTapeVariables else { return false }
        // Operands first, so that nothing is added before every invariant is known to be a scalar.
        for t in loop.terms where includes(t.term) {
            if case .zero = t.weight { continue }
            for o in t.operands {
                switch o {
                case .parameterSlice(let p, let first, let slot):
                    switch parameters[p] {
                    case .variables(let r, _, _):
                        lets[slot] = .array(VarRange(start: r.start + Int32(first), length: Int32(n)))
                    case .constants(let c):
                        lets[slot] = .constants(.array(start: Int(c.start) + first, count: n))
                    default:
                        return false
                    }
                case .variableSlice(let v, let first, let slot, let span):
                    lets[slot] = load(v, offset: first, count: n, shape: loop.sliceShape[...], span: span)
                case .invariant(let e, let slot):
                    let value = evaluate(e)
                    if failure == nil, !value.isScalar { return false }
                    lets[slot] = value
                case .rows(let e, let slot):
                    lets[slot] = evaluate(e)
                }
                if failure != nil {
                    kernelAbandoned = true
                    return true
                }
            }
        }
        for t in loop.terms where includes(t.term) {
            if case .zero = t.weight { continue }
            let v = density(t.call, weight: t.weight)
            if failure != nil {
                kernelAbandoned = true
                return true
            }
            addTerm(v)
        }
        vectorisedLoopRuns += 1
        return true
    }
}
