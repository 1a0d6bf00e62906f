// Stan's constrained types on the tape: from the unconstrained coordinates to the constrained
// values, with the log absolute Jacobian determinant, exactly as the Stan Reference Manual,
// chapter "Constraint transforms", defines them:
//
// - simplex[K]: the stick-breaking transform (the manual's "Unit simplex" section up to Stan
//   2.35; Stan 2.36 and later use the isometric log-ratio transform instead). K − 1
//   coordinates; z_k = logit⁻¹(y_k − log(K − k)), x_k = (1 − Σ_{k'<k} x_k') z_k, x_K the rest;
//   log J = Σ_k [log z_k + log(1 − z_k) + log(1 − Σ_{k'<k} x_k')], a density on the first
//   K − 1 coordinates of the simplex.
// - ordered[K]: x_1 = y_1, x_k = x_{k−1} + exp(y_k); log J = Σ_{k≥2} y_k.
// - positive_ordered[K]: as ordered with x_1 = exp(y_1); log J = Σ_k y_k.
// - unit_vector[K]: x = y / ‖y‖, and −½‖y‖² added to the target (the manual's "Unit vector"
//   section: y then has a standard normal density and x is uniform on the sphere).
// - cholesky_factor_corr[K]: K(K−1)/2 canonical partial correlations z = tanh(y), row by row
//   (z_21, z_31, z_32, …); L_i1 = z_i1, L_ij = z_ij √(1 − Σ_{j'<j} L_ij'²), L_ii = √(1 − Σ_{j<i} L_ij²);
//   log J = Σ log(1 − z²) + ½ Σ_{i>j>1} log(1 − Σ_{j'<j} L_ij'²).
// - corr_matrix[K]: the same CPCs, taken column by column (z_21, z_31, …, z_K1, z_32, …) as
//   Stan's read_corr_L does, Ω = L Lᵀ; log J = Σ log(1 − z²) + ½ Σ_{j<K−1} (K − j − 1) Σ_{i>j} log(1 − z_ij²)
//   (j 1-based: the manual's correlation-matrix section, after Lewandowski, Kurowicka and Joe 2009).
// - cov_matrix[K]: L lower triangular, row by row (the row's off-diagonals, then log L_mm),
//   Σ = L Lᵀ; log J = K log 2 + Σ_{k=1}^{K} (K − k + 2) log L_kk.
// - cholesky_factor_cov[M, N]: the rows of an M × N lower-trapezoidal L, the first N rows as
//   cov_matrix's L (diagonal exp), the rest free; log J = Σ_n log L_nn.
// Matrices are written row-major into `real[K, K]` values.
import SynmAutodiff
import SynmDiagnostics
import SynmFrontend
import SynmMath

/// One scalar of a transform: a tape variable, or a constant (`v == nil`).
struct TransformScalar<T: RealScalar> {
    var v: VarIndex?
    var c: T
    static func constant(_ c: T) -> Self { Self(v: nil, c: c) }
    static func variable(_ v: VarIndex) -> Self { Self(v: v, c: 0) }
}

extension Evaluator {
    typealias TS = TransformScalar<T>

    @inline(__always) func tv(_ a: TS) -> T { a.v.map { tape.value(of: $0) } ?? a.c }

    /// f(a) with f′(a) = `d`.
    mutating func tUnary(_ a: TS, _ value: T, _ d: T) -> TS {
        guard let va = a.v else { return .constant(value) }
        return .variable(tape.push(value, va, d))
    }

    /// value(a, b) with partials `da`, `db`.
    mutating func tBinary(_ a: TS, _ b: TS, _ value: T, _ da: T, _ db: T) -> TS {
        switch (a.v, b.v) {
        case let (x?, y?): return .variable(tape.push(value, x, da, y, db))
        case let (x?, nil): return .variable(tape.push(value, x, da))
        case let (nil, y?): return .variable(tape.push(value, y, db))
        case (nil, nil): return .constant(value)
        }
    }

    mutating func tAdd(_ a: TS, _ b: TS) -> TS { tBinary(a, b, tv(a) + tv(b), 1, 1) }
    mutating func tSub(_ a: TS, _ b: TS) -> TS { tBinary(a, b, tv(a) - tv(b), 1, -1) }
    mutating func tMul(_ a: TS, _ b: TS) -> TS { let x = tv(a), y = tv(b); return tBinary(a, b, x * y, y, x) }
    mutating func tExp(_ a: TS) -> TS { let e = T.exp(tv(a)); return tUnary(a, e, e) }
    mutating func tLog(_ a: TS) -> TS { let x = tv(a); return tUnary(a, T.log(x), 1 / x) }
    mutating func tSqrt(_ a: TS) -> TS { let s = T.sqrt(tv(a)); return tUnary(a, s, 1 / (2 * s)) }
    mutating func tSquare(_ a: TS) -> TS { let x = tv(a); return tUnary(a, x * x, 2 * x) }
    mutating func tTanh(_ a: TS) -> TS {
        // tanh(u) = 2 logit⁻¹(2u) − 1, without overflow.
        let t = 2 * invLogitT(2 * tv(a)) - 1
        return tUnary(a, t, 1 - t * t)
    }
    mutating func tAddConstant(_ a: TS, _ c: T) -> TS { tUnary(a, tv(a) + c, 1) }
    mutating func tScale(_ a: TS, _ c: T) -> TS { tUnary(a, c * tv(a), c) }

    /// Σ_k w_k a_k as one node.
    mutating func tWeightedSum(_ a: [TS], _ w: [T]) -> TS {
        var total = T(0)
        var constant = true
        for (k, x) in a.enumerated() {
            total += w[k] * tv(x)
            if x.v != nil { constant = false }
        }
        if constant { return .constant(total) }
        let out = tape.newVariable(total)
        for (k, x) in a.enumerated() { if let v = x.v { tape.addEdge(from: v, to: out, partial: w[k]) } }
        return .variable(out)
    }

    /// Σ_k a_k b_k as one node.
    mutating func tDot(_ a: [TS], _ b: [TS]) -> TS {
        var total = T(0)
        var constant = true
        for k in a.indices {
            total += tv(a[k]) * tv(b[k])
            if a[k].v != nil || b[k].v != nil { constant = false }
        }
        if constant { return .constant(total) }
        let out = tape.newVariable(total)
        for k in a.indices {
            if let v = a[k].v { tape.addEdge(from: v, to: out, partial: tv(b[k])) }
            if let v = b[k].v { tape.addEdge(from: v, to: out, partial: tv(a[k])) }
        }
        return .variable(out)
    }

    /// The constrained values of a parameter of a constrained type, as one range of tape
    /// variables (row-major), with its log-Jacobian added to the target when `mode.jacobian`.
    /// `parameter` (its index) names it in a failure only.
    mutating func constrainStructured(_ kind: ConstrainedType, _ u: VarRange, rows: Int, columns: Int,
                                      parameter: Int) -> VarRange {
        let y = (0..<Int(u.length)).map { TS.variable(u[$0]) }
        var x: [TS]
        var logJ: [TS] = []
        switch kind {
        case .simplex:
            let k = rows
            x = []
            var stick = TS.constant(1)
            for i in 0..<(k - 1) {
                let a = tAddConstant(y[i], -T.log(T(Double(k - 1 - i))))
                let av = tv(a)
                let z = invLogitT(av)
                // log z + log(1 − z), derivative 1 − 2z.
                logJ.append(tUnary(a, logInvLogitT(av) + logInvLogitT(-av), 1 - 2 * z))
                logJ.append(tLog(stick))
                let xi = tMul(stick, tUnary(a, z, z * (1 - z)))
                x.append(xi)
                stick = tSub(stick, xi)
            }
            x.append(stick)
        case .ordered, .positiveOrdered:
            x = []
            for i in 0..<rows {
                if i == 0 {
                    x.append(kind == .ordered ? y[0] : tExp(y[0]))
                } else {
                    x.append(tAdd(x[i - 1], tExp(y[i])))
                }
            }
            logJ = kind == .ordered ? Array(y.dropFirst()) : y
        case .unitVector:
            let r2 = tDot(y, y)
            guard tv(r2) > 0 else {
                let layout = program.parameters[parameter]
                fail("the unit vector '\(layout.name)' has all its unconstrained coordinates 0, where it has no direction", layout.span)
                return u
            }
            let inverseNorm = tUnary(r2, 1 / T.sqrt(tv(r2)), -1 / (2 * tv(r2) * T.sqrt(tv(r2))))
            x = y.map { tMul($0, inverseNorm) }
            logJ = [tScale(r2, -0.5)]
        case .choleskyFactorCorr, .corrMatrix:
            let k = rows
            // CPC positions: row by row for the Cholesky factor, column by column (Stan's
            // read_corr_L) for the correlation matrix.
            var position = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
            var p = 0
            if kind == .choleskyFactorCorr {
                for i in 0..<k { for j in 0..<i { position[i][j] = p; p += 1 } }
            } else {
                for j in 0..<k { for i in (j + 1)..<max(k, j + 1) { position[i][j] = p; p += 1 } }
            }
            let z = y.map { tTanh($0) }
            for zi in z { let t = tv(zi); logJ.append(tUnary(zi, T.log1p(-t * t), -2 * t / (1 - t * t))) }
            var L = [[TS]](repeating: [TS](repeating: .constant(0), count: k), count: k)
            if k > 0 { L[0][0] = .constant(1) }
            for i in 1..<max(k, 1) {
                var sumSquares = TS.constant(0)
                for j in 0..<i {
                    let zij = z[position[i][j]]
                    if j == 0 {
                        L[i][j] = zij
                    } else {
                        let rest = tAddConstant(tScale(sumSquares, -1), 1)
                        if kind == .choleskyFactorCorr { logJ.append(tScale(tLog(rest), 0.5)) }
                        L[i][j] = tMul(zij, tSqrt(rest))
                    }
                    sumSquares = tAdd(sumSquares, tSquare(L[i][j]))
                }
                L[i][i] = tSqrt(tAddConstant(tScale(sumSquares, -1), 1))
            }
            if kind == .corrMatrix {
                for j in 0..<max(k - 2, 0) {
                    for i in (j + 1)..<k {
                        let t = tv(z[position[i][j]])
                        let weight = T(0.5 * Double(k - j - 2))
                        logJ.append(tUnary(z[position[i][j]], weight * T.log1p(-t * t), weight * -2 * t / (1 - t * t)))
                    }
                }
                var omega = [TS](repeating: .constant(0), count: k * k)
                for i in 0..<k {
                    omega[i * k + i] = .constant(1)
                    for j in 0..<i {
                        let v = tDot(Array(L[i][0...j]), Array(L[j][0...j]))
                        omega[i * k + j] = v
                        omega[j * k + i] = v
                    }
                }
                x = omega
            } else {
                x = L.flatMap { $0 }
            }
        case .covMatrix, .choleskyFactorCov:
            let m = rows, n = kind == .covMatrix ? rows : columns
            var L = [[TS]](repeating: [TS](repeating: .constant(0), count: n), count: m)
            var p = 0
            for i in 0..<m {
                for j in 0..<min(i, n) { L[i][j] = y[p]; p += 1 }
                if i < n {
                    L[i][i] = tExp(y[p])
                    logJ.append(kind == .covMatrix ? tScale(y[p], T(Double(n - i + 1))) : y[p])
                    p += 1
                }
            }
            if kind == .covMatrix {
                logJ.append(.constant(T(Double(n) * 0.6931471805599453)))  // K log 2
                var sigma = [TS](repeating: .constant(0), count: n * n)
                for i in 0..<n {
                    for j in 0...i {
                        let v = tDot(Array(L[i][0...j]), Array(L[j][0...j]))
                        sigma[i * n + j] = v
                        sigma[j * n + i] = v
                    }
                }
                x = sigma
            } else {
                x = L.flatMap { $0 }
            }
        }
        if mode.jacobian, !logJ.isEmpty {
            let j = tWeightedSum(logJ, [T](repeating: 1, count: logJ.count))
            if let v = j.v { terms.append(v) } else { constantTotal += j.c.value }
        }
        // The values as one node of consecutive outputs (one edge each).
        let out = tape.newVariables(count: x.count)
        for (k, e) in x.enumerated() {
            tape.setValue(tv(e), of: out[k])
            if let v = e.v { tape.addEdge(from: v, to: out[k], partial: 1) }
        }
        return out
    }
}
