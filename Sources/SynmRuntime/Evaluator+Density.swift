// Distribution terms: one node for `y ~ d(args)` over all rows. The row loop sums the log
// densities; a scalar variable argument gets one edge (its partials summed), an array
// argument one edge per row, constants none. Arguments are validated per row with a cheap
// domain check; the message is built only on failure.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// Whether x satisfies an argument domain (`previous` is the argument before it).
    @inline(__always) func satisfies(_ domain: ArgumentDomain, _ x: Double, previous: Double) -> Bool {
        switch domain {
        case .finite: return x.isFinite
        case .positive: return x > 0 && x < .infinity
        case .nonNegative: return x >= 0 && x < .infinity
        case .probability: return x >= 0 && x <= 1
        case .nonNegativeInteger: return x >= 0 && x == x.rounded() && x < .infinity
        case .greaterThanPrevious: return x > previous && x.isFinite
        }
    }

    /// The summed (and weighted) log density of a distribution call, as a runtime value.
    mutating func density(_ call: DensityCall, weight: IRWeight) -> RV {
        let y = evaluate(call.variate)
        let a = call.args.count > 0 ? evaluate(call.args[0]) : RV.scalar(0)
        let b = call.args.count > 1 ? evaluate(call.args[1]) : RV.scalar(0)
        let c = call.args.count > 2 ? evaluate(call.args[2]) : RV.scalar(0)
        var w = T(1)
        var weightVariable: VarIndex?
        switch weight {
        case .one: break
        case .constant(let x): w = T(x)
        case .expression(let e):
            let wv = evaluate(e)
            guard failure == nil else { return .scalar(.nan) }
            w = element(wv, 0)
            if case .variable(let i) = wv { weightVariable = i }
            if !(w.value >= 0 && w.value <= 1) {
                fail("the footing weight is \(formatNumber(w.value)); it must be in [0, 1]", call.span)
                return .scalar(.nan)
            }
        }
        guard failure == nil else { return .scalar(.nan) }
        // Rows: the common length of the array operands.
        var n = -1
        guard rows(a, &n, call), rows(b, &n, call), rows(c, &n, call) else { return .scalar(.nan) }
        if n < 0 { n = y.isScalar ? 1 : y.count }
        if !y.isScalar, y.count != n {
            fail("\(call.distribution.name): the left side has \(y.count) elements but the arguments have \(n)", call.span)
            return .scalar(.nan)
        }
        if n == 0 { return .scalar(0) }
        let allConstant = isConstant(y) && isConstant(a) && isConstant(b) && isConstant(c) && weightVariable == nil
        let out = allConstant ? VarIndex(raw: 0) : tape.newVariable(0)
        var total = T(0)
        var partials = DensityPartials<T>()
        // Summed partials of scalar variable operands: variate, a, b, c.
        var sy = T(0), sa = T(0), sb = T(0), sc = T(0)
        let arity = call.domains.count
        for k in 0..<n {
            let yk = element(y, y.isScalar ? 0 : k)
            let ak = element(a, a.isScalar ? 0 : k)
            let bk = element(b, b.isScalar ? 0 : k)
            let ck = element(c, c.isScalar ? 0 : k)
            if !argumentsValid(call.domains, arity, ak.value, bk.value, ck.value) {
                let message = Distribution.validate(call.distribution, ak.value, bk.value, ck.value)?.description
                    ?? "\(call.distribution.name): invalid arguments"
                fail(n > 1 ? "\(message) (row \(k + 1))" : message, call.span)
                return .scalar(.nan)
            }
            let lp = Distribution.logDensity(call.distribution, variate: yk, ak, bk, ck, partials: &partials)
            if !lp.value.isFinite {
                let why = Distribution.validateVariate(call.distribution, yk.value, ak.value, bk.value, ck.value)?.description
                    ?? "\(call.distribution.name): the log density is \(formatNumber(lp.value)) at y = \(formatNumber(yk.value))"
                fail(n > 1 ? "\(why) (row \(k + 1))" : why, call.span)
                return .scalar(.nan)
            }
            total += lp
            if allConstant { continue }
            edge(y, k, partials.variate * w, to: out, sum: &sy)
            edge(a, k, partials.a * w, to: out, sum: &sa)
            edge(b, k, partials.b * w, to: out, sum: &sb)
            edge(c, k, partials.c * w, to: out, sum: &sc)
        }
        if allConstant { return .scalar(total.value * w.value) }
        if case .variable(let i) = y { tape.addEdge(from: i, to: out, partial: sy) }
        if case .variable(let i) = a { tape.addEdge(from: i, to: out, partial: sa) }
        if case .variable(let i) = b { tape.addEdge(from: i, to: out, partial: sb) }
        if case .variable(let i) = c { tape.addEdge(from: i, to: out, partial: sc) }
        if let weightVariable { tape.addEdge(from: weightVariable, to: out, partial: total) }
        tape.setValue(total * w, of: out)
        return .variable(out)
    }

    /// Row k's partial: an edge for an array variable, a running sum for a scalar variable.
    @inline(__always) mutating func edge(_ v: RV, _ k: Int, _ partial: T, to out: VarIndex, sum: inout T) {
        switch v {
        case .variable: sum += partial
        case .variables(let r, _, _): tape.addEdge(from: r[k], to: out, partial: partial)
        default: break
        }
    }

    /// Folds an operand's length into the common row count; false (after failing) on a mismatch.
    mutating func rows(_ v: RV, _ n: inout Int, _ call: DensityCall) -> Bool {
        guard !v.isScalar else { return true }
        if n < 0 { n = v.count; return true }
        if v.count == n { return true }
        fail("\(call.distribution.name): argument sizes disagree (\(n) and \(v.count) elements)", call.span)
        return false
    }

    @inline(__always) func argumentsValid(_ domains: [ArgumentDomain], _ arity: Int, _ a: Double, _ b: Double,
                                          _ c: Double) -> Bool {
        if arity > 0, !satisfies(domains[0], a, previous: 0) { return false }
        if arity > 1, !satisfies(domains[1], b, previous: a) { return false }
        if arity > 2, !satisfies(domains[2], c, previous: b) { return false }
        return true
    }
}
