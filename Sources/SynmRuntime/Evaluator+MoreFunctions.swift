// Stan's scalar and array functions beyond the core set: element-wise maps (erf, floor, …),
// functions of two or three arguments with broadcasting (fma, log_mix, lchoose, …), and the
// array functions softmax, log_softmax, sort_asc and rank. Definitions, argument domains
// and int/real result types follow the Stan Functions Reference; every value and partial is
// computed in T arithmetic, so on Dual the partials carry exact second derivatives.
// Piecewise-constant functions (floor, ceil, round, step, int_step) have derivative 0, as
// in Stan.
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmMath

extension Evaluator {
    /// The functions of this file, or nil for the others.
    mutating func moreFunctions(_ f: Builtin, _ args: [IRExpr], _ span: SourceSpan) -> RV? {
        switch f {
        case .inv_cloglog: return map(evaluate(args[0]), .invCloglog)
        case .erf: return map(evaluate(args[0]), .erf)
        case .erfc: return map(evaluate(args[0]), .erfc)
        case .Phi_approx: return map(evaluate(args[0]), .phiApprox)
        case .floor: return map(evaluate(args[0]), .floor)
        case .ceil: return map(evaluate(args[0]), .ceil)
        case .round: return map(evaluate(args[0]), .round)
        case .step: return map(evaluate(args[0]), .step)
        case .int_step: return map(evaluate(args[0]), .intStep)
        case .fabs: return map(evaluate(args[0]), .abs)
        case .log1m_exp: return map(evaluate(args[0]), .log1mExp)
        case .log2: return map(evaluate(args[0]), .log2)
        case .log10: return map(evaluate(args[0]), .log10)
        case .exp2: return map(evaluate(args[0]), .exp2)
        case .cbrt: return map(evaluate(args[0]), .cbrt)
        case .inv_sqrt: return map(evaluate(args[0]), .invSqrt)
        case .inv_square: return map(evaluate(args[0]), .invSquare)
        case .sin: return map(evaluate(args[0]), .sin)
        case .cos: return map(evaluate(args[0]), .cos)
        case .tan: return map(evaluate(args[0]), .tan)
        case .asin: return map(evaluate(args[0]), .asin)
        case .acos: return map(evaluate(args[0]), .acos)
        case .atan: return map(evaluate(args[0]), .atan)
        case .sinh: return map(evaluate(args[0]), .sinh)
        case .cosh: return map(evaluate(args[0]), .cosh)
        case .asinh: return map(evaluate(args[0]), .asinh)
        case .acosh: return map(evaluate(args[0]), .acosh)
        case .atanh: return map(evaluate(args[0]), .atanh)
        case .trunc: return map(evaluate(args[0]), .trunc)
        case .inv_Phi:
            let v = evaluate(args[0])
            for k in 0..<v.count where !(elementValue(v, k) >= 0 && elementValue(v, k) <= 1) {
                fail("inv_Phi: p must be in [0, 1], got \(formatNumber(elementValue(v, k)))", span)
                return .scalar(.nan)
            }
            return map(v, .invPhi)
        case .tgamma:
            let v = evaluate(args[0])
            for k in 0..<v.count {
                let x = elementValue(v, k)
                if x <= 0 && x == x.rounded() {
                    fail("tgamma: x must not be 0 or a negative integer, got \(formatNumber(x))", span)
                    return .scalar(.nan)
                }
            }
            return map(v, .tgamma)
        case .choose: return choose(evaluate(args[0]), evaluate(args[1]), span)
        case .fma, .log_mix, .binary_log_loss, .lchoose, .lbeta, .fmin, .fmax, .log_diff_exp, .lmultiply, .atan2, .hypot,
             .fdim, .multiply_log, .binomial_coefficient_log, .log_inv_logit_diff:
            return elementwiseN(f, args, span)
        case .softmax, .log_softmax: return softmax(evaluate(args[0]), log: f == .log_softmax, span)
        case .sort_asc: return sortAscending(evaluate(args[0]), span)
        case .rank: return rank(evaluate(args[0]), evaluate(args[1]), span)
        default: return nil
        }
    }

    /// f applied element-wise to 2 or 3 arguments, scalars broadcast against arrays of one
    /// shape; one tape value per element with an edge to each variable argument.
    mutating func elementwiseN(_ f: Builtin, _ args: [IRExpr], _ span: SourceSpan) -> RV {
        var vs: [RV] = []
        for a in args {
            vs.append(evaluate(a))
            if failure != nil { return .scalar(.nan) }
        }
        var n = 1
        var shaped: RV?
        for v in vs where !v.isScalar {
            if let s = shaped, v.count != s.count {
                fail("\(f.rawValue): the arguments have \(s.count) and \(v.count) elements", span)
                return .scalar(.nan)
            }
            shaped = v
            n = v.count
        }
        let constant = vs.allSatisfy(isConstant)
        var xs = [T](repeating: 0, count: vs.count)
        var partials = [T](repeating: 0, count: vs.count)
        if shaped == nil {
            for j in vs.indices { xs[j] = element(vs[j], 0) }
            guard let value = scalarFunction(f, xs, &partials, span) else { return .scalar(.nan) }
            if constant { return .scalar(value.value) }
            let out = tape.newVariable(value)
            for j in vs.indices { if case .variable(let i) = vs[j] { tape.addEdge(from: i, to: out, partial: partials[j]) } }
            return .variable(out)
        }
        let out = tape.newVariables(count: n)
        for k in 0..<n {
            for j in vs.indices { xs[j] = element(vs[j], vs[j].isScalar ? 0 : k) }
            guard let value = scalarFunction(f, xs, &partials, span) else { return .scalar(.nan) }
            tape.setValue(value, of: out[k])
            for j in vs.indices {
                switch vs[j] {
                case .variable(let i): tape.addEdge(from: i, to: out[k], partial: partials[j])
                case .variables(let r, _, _): tape.addEdge(from: r[k], to: out[k], partial: partials[j])
                default: break
                }
            }
        }
        let (rows, columns) = shape(shaped!)
        return .variables(out, rows: Int32(columns > 0 ? rows : n), columns: Int32(columns))
    }

    /// The value of a function of 2–3 scalars and its partials (nil after a domain error).
    mutating func scalarFunction(_ f: Builtin, _ x: [T], _ p: inout [T], _ span: SourceSpan) -> T? {
        switch f {
        case .fma:
            p[0] = x[1]; p[1] = x[0]; p[2] = 1
            return x[0] * x[1] + x[2]
        case .fmin, .fmax:
            // Stan: a NaN argument gives the other one.
            let a = x[0].value, b = x[1].value
            let first = b.isNaN || (!a.isNaN && (f == .fmax ? a >= b : a <= b))
            p[0] = first ? 1 : 0; p[1] = first ? 0 : 1
            return first ? x[0] : x[1]
        case .log_mix:
            return logMix(x[0], x[1], x[2], &p, span)
        case .binary_log_loss:
            let y = x[0].value, yHat = x[1]
            guard y == 0 || y == 1 else {
                fail("binary_log_loss: y must be 0 or 1, got \(formatNumber(y))", span)
                return nil
            }
            guard yHat.value >= 0, yHat.value <= 1 else {
                fail("binary_log_loss: y_hat must be in [0, 1], got \(formatNumber(yHat.value))", span)
                return nil
            }
            p[0] = 0
            if y == 1 {
                p[1] = -1 / yHat
                return -T.log(yHat)
            }
            p[1] = 1 / (1 - yHat)
            return -T.log1p(-yHat)
        case .lchoose, .binomial_coefficient_log:
            let n = x[0], k = x[1]
            guard n.value.isFinite, k.value >= 0, k.value <= n.value else {
                fail("\(f.rawValue): needs 0 <= y <= x, got x = \(formatNumber(n.value)), y = \(formatNumber(k.value))", span)
                return nil
            }
            // log C(x, y) = log Γ(x + 1) − log Γ(y + 1) − log Γ(x − y + 1); the value from
            // SynmMath.logChoose (no cancellation for large x), the partials by digamma.
            let psiRest = T.digamma(n - k + 1)
            p[0] = T.digamma(n + 1) - psiRest
            p[1] = psiRest - T.digamma(k + 1)
            return lift2(n, k, value: logChoose(n.value, k.value), p[0], p[1])
        case .lbeta:
            let a = x[0], b = x[1]
            guard a.value >= 0, b.value >= 0 else {
                fail("lbeta: the arguments must be >= 0, got \(formatNumber(a.value)) and \(formatNumber(b.value))", span)
                return nil
            }
            let psiAB = T.digamma(a + b)
            p[0] = T.digamma(a) - psiAB
            p[1] = T.digamma(b) - psiAB
            return lift2(a, b, value: logBeta(a.value, b.value), p[0], p[1])
        case .log_diff_exp:
            // log(eˣ − eʸ) = x + log(1 − e^{y−x}); ∂x = −1/expm1(d), ∂y = e^d/expm1(d), d = y − x.
            let a = x[0], b = x[1]
            guard !(b.value > a.value), !a.value.isNaN, !b.value.isNaN else {
                fail("log_diff_exp: y must be <= x, got x = \(formatNumber(a.value)), y = \(formatNumber(b.value))", span)
                return nil
            }
            if b.value == a.value || b.value == -.infinity {
                p[0] = b.value == -.infinity ? 1 : 0; p[1] = 0
                return b.value == -.infinity ? a : T(-Double.infinity)
            }
            let d = b - a
            let em1 = T.expm1(d)
            p[0] = -1 / em1
            p[1] = T.exp(d) / em1
            let l1m = d.value > -0.693_147_180_559_945_3 ? T.log(-em1) : T.log1p(-T.exp(d))
            return a + l1m
        case .lmultiply, .multiply_log:
            // x log y, with 0·log 0 = 0 (Stan's multiply_log).
            let a = x[0], b = x[1]
            if a.value == 0 && b.value == 0 {
                p[0] = 0; p[1] = 0
                return 0
            }
            p[0] = T.log(b)
            p[1] = a / b
            return a * p[0]
        case .atan2:
            let yy = x[0], xx = x[1]
            let r2 = xx * xx + yy * yy
            p[0] = xx / r2
            p[1] = -yy / r2
            return lift2(yy, xx, value: Foundation.atan2(yy.value, xx.value), p[0], p[1])
        case .hypot:
            let h0 = Foundation.hypot(x[0].value, x[1].value)
            let ht = lift2(x[0], x[1], value: h0, x[0] / T(h0), x[1] / T(h0))
            p[0] = x[0] / ht
            p[1] = x[1] / ht
            return ht
        case .log_inv_logit_diff:
            // log(σ(x) − σ(y)) = x − log1p(eˣ) + log(1 − e^{y−x}) − log1p(eʸ), x > y (Stan's form);
            // ∂x = σ(−x) + 1/expm1(x − y), ∂y = −σ(y) − 1/expm1(x − y).
            let a = x[0], b = x[1]
            guard a.value > b.value else {
                fail("log_inv_logit_diff: x must be > y, got x = \(formatNumber(a.value)), y = \(formatNumber(b.value))", span)
                return nil
            }
            func softplus(_ t: T) -> T { t.value > 0 ? t + T.log1p(T.exp(-t)) : T.log1p(T.exp(t)) }
            func sigmoid(_ t: T) -> T { t.value >= 0 ? 1 / (1 + T.exp(-t)) : T.exp(t) / (1 + T.exp(t)) }
            let r = 1 / T.expm1(a - b)
            p[0] = sigmoid(-a) + r
            p[1] = -sigmoid(b) - r
            let d = b - a
            let l1m = d.value > -0.693_147_180_559_945_3 ? T.log(-T.expm1(d)) : T.log1p(-T.exp(d))
            return a - softplus(a) + l1m - softplus(b)
        case .fdim:
            let positive = x[0].value > x[1].value
            p[0] = positive ? 1 : 0; p[1] = positive ? -1 : 0
            return positive ? x[0] - x[1] : 0
        default:
            return nil
        }
    }

    /// A value computed in Double carrying the first-order parts da·(a − a.value) +
    /// db·(b − b.value) (see SynmMath's `lift`).
    func lift2(_ a: T, _ b: T, value: Double, _ da: T, _ db: T) -> T {
        if T.self == Double.self { return T(value) }
        return T(value) + da * (a - T(a.value)) + db * (b - T(b.value))
    }

    /// log_mix(θ, λ₁, λ₂) = log(θ·e^{λ₁} + (1 − θ)·e^{λ₂}); with r the result,
    /// ∂θ = e^{λ₁ − r} − e^{λ₂ − r}, ∂λ₁ = θ·e^{λ₁ − r}, ∂λ₂ = (1 − θ)·e^{λ₂ − r}.
    mutating func logMix(_ theta: T, _ l1: T, _ l2: T, _ p: inout [T], _ span: SourceSpan) -> T? {
        guard theta.value >= 0, theta.value <= 1 else {
            fail("log_mix: theta must be in [0, 1], got \(formatNumber(theta.value))", span)
            return nil
        }
        guard !l1.value.isNaN, !l2.value.isNaN else {
            fail("log_mix: the log densities must not be NaN", span)
            return nil
        }
        let r: T
        if theta.value == 0 {
            r = l2
        } else if theta.value == 1 {
            r = l1
        } else {
            let a = T.log(theta) + l1, b = T.log1p(-theta) + l2
            let m = a.value > b.value ? a : b
            guard m.value.isFinite else {
                p[0] = 0; p[1] = 0; p[2] = 0
                return m
            }
            r = m + T.log(T.exp(a - m) + T.exp(b - m))
        }
        let e1 = l1.value == -.infinity ? T(0) : T.exp(l1 - r)
        let e2 = l2.value == -.infinity ? T(0) : T.exp(l2 - r)
        p[0] = e1 - e2
        p[1] = theta * e1
        p[2] = (1 - theta) * e2
        return r
    }

    /// softmax(v)ᵢ = e^{vᵢ − lse(v)}, ∂sᵢ/∂vⱼ = sᵢ(δᵢⱼ − sⱼ); log_softmax(v)ᵢ = vᵢ − lse(v),
    /// ∂/∂vⱼ = δᵢⱼ − sⱼ.
    mutating func softmax(_ v: RV, log: Bool, _ span: SourceSpan) -> RV {
        let n = v.count
        guard failure == nil else { return .scalar(.nan) }
        guard n > 0, !v.isScalar else {
            fail("\(log ? "log_softmax" : "softmax") needs a non-empty array", span)
            return .scalar(.nan)
        }
        var m = element(v, 0)
        for k in 1..<n where element(v, k).value > m.value { m = element(v, k) }
        var total = T(0)
        for k in 0..<n { total += T.exp(element(v, k) - m) }
        let logTotal = m + T.log(total)
        let s = (0..<n).map { T.exp(element(v, $0) - logTotal) }
        let out = tape.newVariables(count: n)
        for i in 0..<n { tape.setValue(log ? element(v, i) - logTotal : s[i], of: out[i]) }
        if case .variables(let r, _, _) = v {
            for i in 0..<n {
                for j in 0..<n {
                    let delta: T = i == j ? 1 : 0
                    tape.addEdge(from: r[j], to: out[i], partial: log ? delta - s[j] : s[i] * (delta - s[j]))
                }
            }
        }
        return .array(out)
    }

    /// The elements in ascending order (a NaN is an error, as in Stan).
    mutating func sortAscending(_ v: RV, _ span: SourceSpan) -> RV {
        guard failure == nil else { return .scalar(.nan) }
        guard !v.isScalar else {
            fail("sort_asc takes an array", span)
            return .scalar(.nan)
        }
        let values = (0..<v.count).map { elementValue(v, $0) }
        if let k = values.firstIndex(where: \.isNaN) {
            fail("sort_asc: element \(k + 1) is NaN", span)
            return .scalar(.nan)
        }
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        if v.count == 0 { return v }
        return gather(v, order.map { Int32($0) }, span)
    }

    /// choose(n, k) = n!/(k!(n − k)!) for ints (0 when k > n), exact; Stan's int range
    /// (|result| < 2³¹) or a located error.
    mutating func choose(_ n: RV, _ k: RV, _ span: SourceSpan) -> RV {
        guard failure == nil else { return .scalar(.nan) }
        let count = max(n.count, k.count)
        if !n.isScalar, !k.isScalar, n.count != k.count {
            fail("choose: the arguments have \(n.count) and \(k.count) elements", span)
            return .scalar(.nan)
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let nv = elementValue(n, n.isScalar ? 0 : i), kv = elementValue(k, k.isScalar ? 0 : i)
            guard nv >= 0, kv >= 0 else {
                fail("choose: the arguments must be >= 0, got \(formatNumber(nv)) and \(formatNumber(kv))", span)
                return .scalar(.nan)
            }
            if kv > nv { continue }
            // Exact in Int64: c = C(m + j − 1, j − 1) ≤ 2³¹ times m + j ≤ 2³¹ fits, and each
            // step's product is divisible by j.
            let nn = Int64(nv), kk = min(Int64(kv), nn - Int64(kv))
            var c: Int64 = 1
            var j: Int64 = 1
            while j <= kk {
                c = c * (nn - kk + j) / j
                if c > 2_147_483_647 {
                    fail("choose(\(formatNumber(nv)), \(formatNumber(kv))) is larger than the largest int (2147483647)", span)
                    return .scalar(.nan)
                }
                j += 1
            }
            values[i] = Double(c)
        }
        return constantValues(values, isArray: !(n.isScalar && k.isScalar))
    }

    /// rank(v, s): the number of elements of v less than v[s] (s 1-based), an int.
    mutating func rank(_ v: RV, _ s: RV, _ span: SourceSpan) -> RV {
        guard failure == nil else { return .scalar(.nan) }
        let i = elementValue(s, 0)
        guard i >= 1, i <= Double(v.count) else {
            fail("rank: index \(formatNumber(i)) is out of range (1..\(v.count))", span)
            return .scalar(.nan)
        }
        let pivot = elementValue(v, Int(i) - 1)
        var count = 0
        for k in 0..<v.count where elementValue(v, k) < pivot { count += 1 }
        return .scalar(Double(count))
    }
}
