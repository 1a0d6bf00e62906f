// `NAME_lcdf(y | …)`, `NAME_lccdf(y | …)` and `NAME_cdf(y | …)`: the sum over rows of
// log F (log(1 − F)), or for `_cdf` the product of F, as Stan; one node with an edge per
// variable element (a scalar variable's partials summed). Arguments are validated per row
// with Stan's domain messages; the kernels are SynmDistributions' `Distribution.logCDF`.
// Also the normaliser of a truncated `~` (`T[L, U]`).
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// The operands of a call, evaluated, and their common row count (nil after a failure).
    mutating func cumulativeOperands(_ call: DensityCall, _ variate: RV) -> ([RV], Int)? {
        var ops = [variate]
        for a in call.args {
            ops.append(evaluate(a))
            if failure != nil { return nil }
        }
        var n = -1
        for v in ops where !v.isScalar {
            if n >= 0, v.count != n {
                fail("\(call.distribution.name): argument sizes disagree (\(n) and \(v.count) elements)", call.span)
                return nil
            }
            n = v.count
        }
        return (ops, max(n, 1))
    }

    mutating func cumulative(_ call: DensityCall, _ kind: CumulativeKind) -> RV {
        let y = evaluate(call.variate)
        guard failure == nil, let (ops, n) = cumulativeOperands(call, y) else { return .scalar(.nan) }
        guard let (total, partials) = sumLogCDF(call, ops, n, upper: kind == .lccdf) else { return .scalar(.nan) }
        let scale = kind == .cdf ? T.exp(total) : T(1)
        return node(kind == .cdf ? scale : total, ops, partials, scale)
    }

    /// Σ_rows log F (or log(1 − F)) and the partials of each operand per row.
    mutating func sumLogCDF(_ call: DensityCall, _ ops: [RV], _ n: Int, upper: Bool) -> (T, [[T]])? {
        let d = call.distribution
        var partials = ops.map { [T](repeating: 0, count: $0.isScalar ? 1 : n) }
        var total = T(0)
        var p = DensityPartials<T>()
        for k in 0..<n {
            let x = ops.map { element($0, $0.isScalar ? 0 : k) }
            let a = x.count > 1 ? x[1] : 0, b = x.count > 2 ? x[2] : 0, c = x.count > 3 ? x[3] : 0
            if let e = Distribution.validate(d, a.value, b.value, c.value) {
                fail(n > 1 ? "\(e.description) (row \(k + 1))" : e.description, call.span)
                return nil
            }
            if x[0].value.isNaN {
                fail("\(d.name): y is NaN\(n > 1 ? " (row \(k + 1))" : "")", call.span)
                return nil
            }
            let v = Distribution.logCDF(d, variate: x[0], a, b, c, upper: upper, partials: &p)
            total += v
            for j in ops.indices { partials[j][ops[j].isScalar ? 0 : k] += p.argument(j - 1) }
        }
        return (total, partials)
    }

    /// A node with value `value` and edges ∂value/∂op = scale·partial to every variable operand.
    mutating func node(_ value: T, _ ops: [RV], _ partials: [[T]], _ scale: T) -> RV {
        guard ops.contains(where: { !isConstant($0) }) else { return .scalar(value.value) }
        let out = tape.newVariable(value)
        for (j, op) in ops.enumerated() {
            switch op {
            case .variable(let i): tape.addEdge(from: i, to: out, partial: scale * partials[j][0])
            case .variables(let r, _, _):
                for k in 0..<Int(r.length) { tape.addEdge(from: r[k], to: out, partial: scale * partials[j][k]) }
            default: break
            }
        }
        return .variable(out)
    }
}

extension Evaluator {
    /// The truncation bounds of a call as runtime values (nil where absent).
    mutating func truncationValues(_ t: IRTruncation) -> (RV?, RV?)? {
        let lo = t.lower.map { evaluate($0) }
        let hi = t.upper.map { evaluate($0) }
        return failure == nil ? (lo, hi) : nil
    }

    /// −Σ_rows log P(L ≤ Y ≤ U) for `y ~ d(args) T[L, U]` (Stan's truncation), after
    /// checking that every y lies within [L, U] (a located error otherwise, as Stan rejects).
    /// Continuous: P = F(U) − F(L), from whichever tail keeps precision (log F or log(1 − F));
    /// discrete: P(L ≤ Y ≤ U) = F(U) − F(L − 1). One bound: F(U), or 1 − F(L) (1 − F(L − 1)).
    mutating func truncationNormalizer(_ call: DensityCall) -> RV {
        guard let t = call.truncation else { return .scalar(0) }
        let d = call.distribution
        let y = evaluate(call.variate)
        guard failure == nil, let (lo, hi) = truncationValues(t),
              let (args, n0) = cumulativeOperands(call, y) else { return .scalar(.nan) }
        var n = n0
        for b in [lo, hi].compactMap({ $0 }) where !b.isScalar { n = max(n, b.count) }
        // Operands: lower, upper (as CDF variates), then the distribution's arguments.
        let ops = [lo ?? .scalar(0), hi ?? .scalar(0)] + args.dropFirst()
        var partials = ops.map { [T](repeating: 0, count: $0.isScalar ? 1 : n) }
        var total = T(0)
        var p = DensityPartials<T>()
        for k in 0..<n {
            let suffix = n > 1 ? " (row \(k + 1))" : ""
            let x = ops.map { element($0, $0.isScalar ? 0 : k) }
            let a = x.count > 2 ? x[2] : 0, b = x.count > 3 ? x[3] : 0, c = x.count > 4 ? x[4] : 0
            if let e = Distribution.validate(d, a.value, b.value, c.value) {
                fail(e.description + suffix, call.span)
                return .scalar(.nan)
            }
            let yv = elementValue(y, y.isScalar ? 0 : k)
            let l = lo == nil ? -Double.infinity : x[0].value, u = hi == nil ? Double.infinity : x[1].value
            if lo != nil, hi != nil, !(l <= u) {
                fail("\(d.name): the truncation T[\(formatNumber(l)), \(formatNumber(u))] is empty\(suffix)", t.span)
                return .scalar(.nan)
            }
            if !(yv >= l && yv <= u) {
                fail("\(d.name): y = \(formatNumber(yv)) is outside the truncation [\(formatNumber(l)), \(formatNumber(u))]\(suffix)",
                     call.span)
                return .scalar(.nan)
            }
            // log F at the upper bound, log(1 − F) at the lower one (one below it for counts).
            let lowerVariate = d.isDiscrete ? x[0] - 1 : x[0]
            var value: T
            var dLower = T(0), dUpper = T(0)
            var dArgs = [T](repeating: 0, count: max(x.count - 2, 0))
            func addArgs(_ q: DensityPartials<T>, _ weight: T) {
                for j in dArgs.indices { dArgs[j] += weight * q.argument(j) }
            }
            switch (lo, hi) {
            case (nil, _?):
                value = Distribution.logCDF(d, variate: x[1], a, b, c, upper: false, partials: &p)
                dUpper = p.variate
                addArgs(p, 1)
            case (_?, nil):
                value = Distribution.logCDF(d, variate: lowerVariate, a, b, c, upper: true, partials: &p)
                dLower = p.variate
                addArgs(p, 1)
            default:
                // Both bounds: log(F(U) − F(L)) = x₁ + log(1 − e^{x₂ − x₁}) with (x₁, x₂) the
                // log CDFs at (U, L), or the log survival functions at (L, U) when F(L) > ½.
                var pl = DensityPartials<T>(), pu = DensityPartials<T>()
                let useSurvival = Distribution.logCDF(d, variate: lowerVariate, a, b, c, upper: false, partials: &pl).value
                    > -0.693_147_180_559_945_3
                let x1: T, x2: T, p1: DensityPartials<T>, p2: DensityPartials<T>
                if useSurvival {
                    x1 = Distribution.logCDF(d, variate: lowerVariate, a, b, c, upper: true, partials: &pl)
                    x2 = Distribution.logCDF(d, variate: x[1], a, b, c, upper: true, partials: &pu)
                    (p1, p2) = (pl, pu)
                } else {
                    x1 = Distribution.logCDF(d, variate: x[1], a, b, c, upper: false, partials: &pu)
                    x2 = Distribution.logCDF(d, variate: lowerVariate, a, b, c, upper: false, partials: &pl)
                    (p1, p2) = (pu, pl)
                }
                guard x2.value < x1.value else {
                    fail("\(d.name): the truncation [\(formatNumber(l)), \(formatNumber(u))] has probability 0\(suffix)", t.span)
                    return .scalar(.nan)
                }
                // ∂/∂x₁ = 1/(1 − e^{x₂−x₁}), ∂/∂x₂ = −e^{x₂−x₁}/(1 − e^{x₂−x₁}).
                let r = T.exp(x2 - x1)
                let w1 = 1 / (1 - r), w2 = -r / (1 - r)
                value = x1 + Kernels.log1mExpPublic(x2 - x1)
                addArgs(p1, w1)
                addArgs(p2, w2)
                if useSurvival {
                    dLower = w1 * pl.variate
                    dUpper = w2 * pu.variate
                } else {
                    dUpper = w1 * pu.variate
                    dLower = w2 * pl.variate
                }
            }
            guard value.value.isFinite else {
                fail("\(d.name): the truncation [\(formatNumber(l)), \(formatNumber(u))] has probability 0\(suffix)", t.span)
                return .scalar(.nan)
            }
            total -= value
            partials[0][ops[0].isScalar ? 0 : k] -= d.isDiscrete ? 0 : dLower
            partials[1][ops[1].isScalar ? 0 : k] -= d.isDiscrete ? 0 : dUpper
            for j in dArgs.indices { partials[j + 2][ops[j + 2].isScalar ? 0 : k] -= dArgs[j] }
        }
        return node(total, ops, partials, 1)
    }
}
