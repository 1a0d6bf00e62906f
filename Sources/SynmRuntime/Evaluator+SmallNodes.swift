// Fixed costs of small models (docs/PERFORMANCE.md, "Small models: fixed costs per gradient"):
// the bound transforms of parameters with constant bounds written as two bulk nodes (one
// capacity and uniqueness check per buffer, not one per edge), and the scalar-argument check
// of a density reading its domains without an array. Same values, edges and edge order as
// the general paths, so values and gradients are bit for bit theirs.
import SynmAutodiff
import SynmDistributions
import SynmMath

extension Evaluator {
    /// `constrain(u, lower:, upper:)` for bounds that are constants (not model variables):
    /// the outputs as one node with an edge per element, and the log-Jacobian as one term node
    /// with an edge per element, each written in bulk. Same arithmetic as `constrain`.
    mutating func constrainConstantBounds(_ u: VarRange, lower: T?, upper: T?) -> VarRange {
        let n = Int(u.length)
        var logJacobian = T(0)
        let out = tape.withNode(outputs: n, edges: n) { node in
            for k in 0..<n {
                let input = u.start + Int32(truncatingIfNeeded: k)
                let uk = node.value(input)
                switch (lower, upper) {
                case let (l?, nil):
                    let e = T.exp(uk)
                    node.setOutput(k, l + e)
                    node.edge(k, from: input, toOutput: k, partial: e)
                    logJacobian += uk
                case let (nil, h?):
                    let e = T.exp(uk)
                    node.setOutput(k, h - e)
                    node.edge(k, from: input, toOutput: k, partial: -e)
                    logJacobian += uk
                case let (l?, h?):
                    let s = invLogitT(uk)
                    let width = h - l
                    node.setOutput(k, l + width * s)
                    node.edge(k, from: input, toOutput: k, partial: width * s * (1 - s))
                    logJacobian += T.log(width) + logInvLogitT(uk) + logInvLogitT(-uk)
                case (nil, nil):
                    // Not reached (`constrain` is only called with a bound): the identity.
                    node.setOutput(k, uk)
                    node.edge(k, from: input, toOutput: k, partial: 1)
                }
            }
        }
        guard mode.jacobian else { return out }
        let both = lower != nil && upper != nil
        let j = tape.withNode(outputs: 1, edges: n) { node in
            node.setOutput(0, logJacobian)
            for k in 0..<n {
                let input = u.start + Int32(truncatingIfNeeded: k)
                let d: T = both ? 1 - 2 * invLogitT(node.value(input)) : 1
                node.edge(k, from: input, toOutput: 0, partial: d)
            }
        }[0]
        terms.append(j)
        return out
    }
}

extension Evaluator {
    /// `scalarsValid(domains, …)` with the domains as a triple (`DensityCall.domainTriple`):
    /// the same tests, without reading an array.
    @inline(__always)
    static func scalarsValid(_ d: (ArgumentDomain, ArgumentDomain, ArgumentDomain), _ arity: Int, _ a: Lane<T>,
                             _ b: Lane<T>, _ c: Lane<T>) -> Bool {
        let av = a.isArray ? Double.nan : a.scalar.value
        let bv = b.isArray ? Double.nan : b.scalar.value
        let cv = c.isArray ? Double.nan : c.scalar.value
        if arity > 0, !a.isArray, !satisfies(d.0, av, previous: 0) { return false }
        if arity > 1, !b.isArray, !(d.1 == .greaterThanPrevious && a.isArray), !satisfies(d.1, bv, previous: av) { return false }
        if arity > 2, !c.isArray, !(d.2 == .greaterThanPrevious && b.isArray), !satisfies(d.2, cv, previous: bv) { return false }
        return true
    }
}
