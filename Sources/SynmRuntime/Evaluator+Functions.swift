// Built-in functions: element-wise maps, reductions, dot products.
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmMath

extension Evaluator {
    mutating func call(_ f: Builtin, _ args: [IRExpr], _ span: SourceSpan) -> RV {
        if let more = moreFunctions(f, args, span) { return more }
        if let algebra = linearAlgebraFunction(f, args, span) { return algebra }
        let a = evaluate(args[0])
        let b: RV? = args.count > 1 ? evaluate(args[1]) : nil
        guard failure == nil else { return .scalar(.nan) }
        switch f {
        case .exp: return map(a, .exp)
        case .log: return map(a, .log)
        case .log1p: return map(a, .log1p)
        case .expm1: return map(a, .expm1)
        case .sqrt: return map(a, .sqrt)
        case .square: return map(a, .square)
        case .inv_logit: return map(a, .invLogit)
        case .logit: return map(a, .logit)
        case .lgamma: return map(a, .lgamma)
        case .log1p_exp: return map(a, .log1pExp)
        case .tanh: return map(a, .tanh)
        case .abs: return map(a, .abs)
        case .log_inv_logit: return unary(.negate, map(unary(.negate, a), .log1pExp))
        case .log1m: return map(unary(.negate, a), .log1p)
        case .inv: return binary(.divide, .scalar(1), a, span)
        case .Phi: return mapPhi(a)
        case .pow: return binary(.power, a, b!, span)
        case .sum: return reduce(a, mean: false)
        case .mean: return reduce(a, mean: true)
        case .sd: return standardDeviation(a, span)
        case .log_sum_exp:
            if let b { return logSumExpPair(a, b) }
            return logSumExpArray(a)
        case .min, .max:
            if let b { return pickExtreme2(a, b, max: f == .max) }
            return pickExtreme(a, max: f == .max, span)
        case .dot_product:
            return dotProduct(a, b!, span)
        case .size:
            return .scalar(Double(shape(a).rows))
        case .intDivide:
            return integerDivide(a, b!, span)
        default:
            return .scalar(.nan)  // handled by moreFunctions
        }
    }

    /// Integer division of int operands, truncated toward zero as in Stan (7 / 2 is 3,
    /// −7 / 2 is −3). Ints carry no derivative, so the result's tape values have no edges.
    mutating func integerDivide(_ a: RV, _ b: RV, _ span: SourceSpan) -> RV {
        if !a.isScalar, !b.isScalar, a.count != b.count {
            fail("cannot divide arrays of \(a.count) and \(b.count) elements", span)
            return .scalar(.nan)
        }
        let n = max(a.count, b.count)
        func quotient(_ k: Int) -> Double? {
            let y = elementValue(b, b.isScalar ? 0 : k)
            return y == 0 ? nil : (elementValue(a, a.isScalar ? 0 : k) / y).rounded(.towardZero)
        }
        if a.isScalar, b.isScalar {
            guard let q = quotient(0) else { fail("integer division by zero", span); return .scalar(.nan) }
            return .scalar(q)
        }
        let out = tape.newVariables(count: n)
        for k in 0..<n {
            guard let q = quotient(k) else { fail("integer division by zero", span); return .scalar(.nan) }
            tape.setValue(T(q), of: out[k])
        }
        let (rows, columns) = shape(a.isScalar ? b : a)
        return .variables(out, rows: Int32(columns > 0 ? rows : n), columns: Int32(columns))
    }

    /// An element-wise function on a scalar or array.
    mutating func map(_ v: RV, _ f: UnaryFunction) -> RV {
        switch v {
        case .scalar(let x): return .scalar(f.valueAndDerivative(x).0)
        case .variable(let i): return .variable(tape.apply(f, to: i))
        case .variables(let r, let rows, let columns): return .variables(tape.apply(f, to: r), rows: rows, columns: columns)
        case .constants(let c):
            let out = tape.newVariables(count: Int(c.count))
            for k in 0..<Int(c.count) { tape.setValue(T(f.valueAndDerivative(pool[Int(c.start) + k]).0), of: out[k]) }
            return .variables(out, rows: c.isMatrix ? c.rows : c.count, columns: c.isMatrix ? c.columns : 0)
        }
    }

    /// Φ element-wise (value and derivative through `RealScalar.normalCDF`).
    mutating func mapPhi(_ v: RV) -> RV {
        if case .scalar(let x) = v { return .scalar(normalCDF(x)) }
        let n = v.count
        let out = tape.newVariables(count: n)
        for k in 0..<n {
            let x = element(v, k)
            tape.setValue(T.normalCDF(x), of: out[k])
            let density = T.exp(-0.5 * x * x) * T(0.398_942_280_401_432_7)  // φ(x); 1/√(2π)
            switch v {
            case .variable(let i): tape.addEdge(from: i, to: out[k], partial: density)
            case .variables(let r, _, _): tape.addEdge(from: r[k], to: out[k], partial: density)
            default: break
            }
        }
        return v.isScalar ? .variable(out[0]) : .array(out)
    }

    mutating func reduce(_ v: RV, mean: Bool) -> RV {
        switch v {
        case .scalar, .variable: return v
        case .constants(let c):
            var s = 0.0
            for k in 0..<Int(c.count) { s += pool[Int(c.start) + k] }
            return .scalar(mean ? s / Double(c.count) : s)
        case .variables(let r, _, _):
            return .variable(mean ? tape.mean(r) : tape.sum(r))
        }
    }

    /// Sample standard deviation (divisor n − 1, as Stan); ∂sd/∂xᵢ = (xᵢ − x̄)/((n − 1)·sd).
    mutating func standardDeviation(_ v: RV, _ span: SourceSpan) -> RV {
        let n = v.count
        guard n >= 2 else {
            fail("sd needs at least two elements", span)
            return .scalar(.nan)
        }
        var m = T(0)
        for k in 0..<n { m += element(v, k) }
        m = m / T(Double(n))
        var ss = T(0)
        for k in 0..<n {
            let d = element(v, k) - m
            ss += d * d
        }
        let sd = T.sqrt(ss / T(Double(n - 1)))
        if isConstant(v) { return .scalar(sd.value) }
        guard case .variables(let r, _, _) = v else { return .scalar(.nan) }
        let out = tape.newVariable(sd)
        for k in 0..<n { tape.addEdge(from: r[k], to: out, partial: (element(v, k) - m) / (T(Double(n - 1)) * sd)) }
        return .variable(out)
    }

    mutating func logSumExpArray(_ v: RV) -> RV {
        switch v {
        case .variables(let r, _, _): return .variable(tape.logSumExp(r))
        case .constants(let c):
            return .scalar(logSumExp((0..<Int(c.count)).map { pool[Int(c.start) + $0] }))
        default: return v
        }
    }

    mutating func logSumExpPair(_ a: RV, _ b: RV) -> RV {
        if isConstant(a) && isConstant(b) { return .scalar(logSumExp(elementValue(a, 0), elementValue(b, 0))) }
        let x = element(a, 0), y = element(b, 0)
        let m = x.value > y.value ? x : y
        let ex = T.exp(x - m), ey = T.exp(y - m)
        let s = ex + ey
        let out = tape.newVariable(m + T.log(s))
        if case .variable(let i) = a { tape.addEdge(from: i, to: out, partial: ex / s) }
        if case .variable(let i) = b { tape.addEdge(from: i, to: out, partial: ey / s) }
        return .variable(out)
    }

    mutating func pickExtreme2(_ a: RV, _ b: RV, max: Bool) -> RV {
        let x = elementValue(a, 0), y = elementValue(b, 0)
        return (max ? x >= y : x <= y) ? a : b
    }

    mutating func pickExtreme(_ v: RV, max: Bool, _ span: SourceSpan) -> RV {
        guard v.count > 0 else {
            fail("\(max ? "max" : "min") of an empty array", span)
            return .scalar(.nan)
        }
        var best = 0
        for k in 1..<v.count {
            let x = elementValue(v, k), y = elementValue(v, best)
            if max ? x > y : x < y { best = k }
        }
        switch v {
        case .constants(let c): return .scalar(pool[Int(c.start) + best])
        case .variables(let r, _, _): return .variable(r[best])
        default: return v
        }
    }

    mutating func dotProduct(_ a: RV, _ b: RV, _ span: SourceSpan) -> RV {
        guard a.count == b.count else {
            fail("dot_product needs arrays of equal size, but they are \(a.count) and \(b.count)", span)
            return .scalar(.nan)
        }
        switch (a, b) {
        case (.variables(let x, _, _), .variables(let y, _, _)): return .variable(tape.dot(x, y))
        case (.constants(let c), .variables(let y, _, _)), (.variables(let y, _, _), .constants(let c)):
            return .variable(tape.dot(ConstantRange(start: c.start, count: c.count), y))
        default:
            var s = 0.0
            for k in 0..<a.count { s += elementValue(a, k) * elementValue(b, k) }
            return .scalar(s)
        }
    }
}
