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
