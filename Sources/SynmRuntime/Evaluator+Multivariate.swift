// Terms, `_lpdf`/`_lpmf` calls, `_rng` calls, predict nodes and forward simulation of the
// multivariate distributions (SynmDistributions' Multivariate.swift: multi_normal,
// multi_normal_cholesky, multi_student_t, dirichlet, multinomial, multinomial_logit, lkj_corr,
// lkj_corr_cholesky). A vector is a rank-1 array of K values; N vectors are the rows of an
// N × K matrix; Sigma, L and lkj_corr's variate are K × K matrices. A term is one tape node
// with an edge per element of every argument that is a model variable (the variate too, for
// a prior), partials in T arithmetic (exact Hessians on Dual). A location or alpha given as
// one vector is shared by every row; one given per row must have as many rows as the
// variate (either side may be a single vector, as Stan's vectorised signatures).
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// Rows and columns of a multivariate value: a rank-1 array is one row; a matrix its rows.
    /// Nil for a scalar.
    func multiShape(_ v: RV) -> (rows: Int, columns: Int, isMatrix: Bool)? {
        switch v {
        case .scalar, .variable: return nil
        case .constants(let c): return c.isMatrix ? (Int(c.rows), Int(c.columns), true) : (1, Int(c.count), false)
        case .variables(let r, let rows, let columns):
            return columns > 0 ? (Int(rows), Int(columns), true) : (1, Int(r.length), false)
        }
    }

    /// "a real[3]", "a 2 × 3 matrix", "a scalar": for messages.
    func describeShape(_ v: RV) -> String {
        guard let s = multiShape(v) else { return "a scalar" }
        return s.isMatrix ? "a \(s.rows) × \(s.columns) matrix" : "a real[\(s.columns)]"
    }

    func doubles(_ v: RV) -> [Double] { (0..<v.count).map { elementValue(v, $0) } }

    /// The values of `v` (`rows` rows of k) repeated to n rows.
    func expandedRows(_ v: RV, rows: Int, k: Int, n: Int) -> [T] {
        if rows == n { return (0..<v.count).map { element(v, $0) } }
        var out: [T] = []
        out.reserveCapacity(n * k)
        for _ in 0..<n { for j in 0..<k { out.append(element(v, j)) } }
        return out
    }

    /// Partials over n rows summed back to `rows` rows (1 for a shared vector).
    func foldedRows(_ p: [T], rows: Int, k: Int, n: Int) -> [T] {
        if rows == n { return p }
        var out = [T](repeating: 0, count: k)
        for row in 0..<n { for j in 0..<k { out[j] += p[row * k + j] } }
        return out
    }

    /// Checks a scalar argument (nu, eta): finite and > 0.
    func positiveScalar(_ d: MultivariateDistribution, _ args: [RV], _ index: Int) -> String? {
        let name = d.arguments[index]
        guard args[index].isScalar else { return "\(d.name): \(name) must be a scalar, got \(describeShape(args[index]))" }
        let x = elementValue(args[index], 0)
        return x > 0 && x.isFinite ? nil : "\(d.name): \(name) must be finite and > 0, got \(formatNumber(x))"
    }

    /// Checks the arguments of multi_normal, multi_normal_cholesky and multi_student_t
    /// (in the distribution's order); returns K and the rows of mu.
    func checkLocationScale(_ d: MultivariateDistribution, _ args: [RV]) throws -> (k: Int, muRows: Int) {
        let mi = d.locationArgument!, si = d.matrixArgument!
        let matrixName = d.arguments[si]
        if let s = d.scalarArgument, let why = positiveScalar(d, args, s) { throw RuntimeError(why) }
        guard let ss = multiShape(args[si]), ss.isMatrix, ss.rows == ss.columns, ss.rows > 0 else {
            throw RuntimeError("\(d.name): \(matrixName) must be a square K × K matrix (K ≥ 1), got \(describeShape(args[si]))")
        }
        let k = ss.rows
        guard let ms = multiShape(args[mi]) else {
            throw RuntimeError("\(d.name): mu must be a vector (real[K]) or one per row (real[N, K]), got a scalar")
        }
        guard ms.columns == k else {
            throw RuntimeError("\(d.name): mu has \(ms.columns) element\(ms.columns == 1 ? "" : "s")\(ms.isMatrix ? " per row" : "") but \(matrixName) is \(k) × \(k)")
        }
        let mu = doubles(args[mi])
        if let i = mu.firstIndex(where: { !$0.isFinite }) {
            throw RuntimeError("\(d.name): mu must be finite, got \(formatNumber(mu[i])) (element \(i + 1))")
        }
        let m = doubles(args[si])
        let why = d == .multiNormalCholesky ? MultivariateChecks.choleskyFactor(m, k, matrixName)
                                             : MultivariateChecks.covariance(m, k, matrixName)
        if let why { throw RuntimeError("\(d.name): \(why)") }
        return (k, ms.rows)
    }

    /// Checks dirichlet's alpha; returns K and alpha's rows.
    func checkDirichlet(_ args: [RV]) throws -> (k: Int, rows: Int) {
        guard let s = multiShape(args[0]), s.columns > 0 else {
            throw RuntimeError("dirichlet: alpha must be a vector (real[K]) or one per row (real[N, K]), got \(describeShape(args[0]))")
        }
        let a = doubles(args[0])
        if let i = a.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw RuntimeError("dirichlet: alpha must be finite and > 0, got \(formatNumber(a[i])) (element \(i + 1))")
        }
        return (s.columns, s.rows)
    }

    /// Checks multinomial's theta (a simplex) or multinomial_logit's gamma (finite); returns K.
    func checkMultinomial(_ d: MultivariateDistribution, _ args: [RV]) throws -> Int {
        guard let s = multiShape(args[0]), !s.isMatrix, s.columns > 0 else {
            throw RuntimeError("\(d.name): \(d.arguments[0]) must be a vector (real[K]) of at least one element, got \(describeShape(args[0]))")
        }
        let v = doubles(args[0])
        if d == .multinomial, let why = MultivariateChecks.simplex(v, "theta") { throw RuntimeError("multinomial: \(why)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) {
            throw RuntimeError("\(d.name): \(d.arguments[0])[\(i + 1)] must be finite, got \(formatNumber(v[i]))")
        }
        return s.columns
    }

    /// The summed (and weighted) log density of a multivariate term or `_lpdf` call.
    mutating func multiDensity(_ call: MultiDensityCall, weight: IRWeight) -> RV {
        let d = call.distribution
        let y = evaluate(call.variate)
        guard failure == nil else { return .scalar(.nan) }
        var args: [RV] = []
        for a in call.args {
            args.append(evaluate(a))
            if failure != nil { return .scalar(.nan) }
        }
        let w: T, weightVariable: VarIndex?
        switch termWeight(weight, call.span) {
        case .zero: return .scalar(0)
        case .failed: return .scalar(.nan)
        case .value(let x, let v): (w, weightVariable) = (x, v)
        }
        let total: T
        var edges: [(RV, [T])] = []
        do {
            guard let ys = multiShape(y) else {
                throw RuntimeError("\(d.name): the left side must be \(d.hasMatrixVariate ? "a K × K matrix" : "a vector (real[K]) or rows of vectors (real[N, K])"), got a scalar")
            }
            switch d {
            case .multiNormal, .multiNormalCholesky, .multiStudentT:
                let (k, muRows) = try checkLocationScale(d, args)
                let mi = d.locationArgument!, si = d.matrixArgument!
                guard ys.columns == k else {
                    throw RuntimeError("\(d.name): the left side has \(ys.columns) value\(ys.columns == 1 ? "" : "s")\(ys.isMatrix ? " per row" : "") but \(d.arguments[si]) is \(k) × \(k)")
                }
                guard ys.rows == muRows || ys.rows == 1 || muRows == 1 else {
                    throw RuntimeError("\(d.name): the left side has \(ys.rows) rows but mu has \(muRows)")
                }
                let yd = doubles(y)
                if let i = yd.firstIndex(where: { !$0.isFinite }) {
                    throw RuntimeError("\(d.name): the left side must be finite, got \(formatNumber(yd[i])) (row \(i / k + 1), element \(i % k + 1))")
                }
                let n = ys.rows == 0 || muRows == 0 ? 0 : max(ys.rows, muRows)
                let nu = d.scalarArgument.map { element(args[$0], 0) } ?? 0
                let matrix = (0..<(k * k)).map { element(args[si], $0) }
                guard let r = MultivariateKernels.locationScale(
                    d, y: expandedRows(y, rows: ys.rows, k: k, n: n), rows: n, k: k, nu: nu,
                    mu: expandedRows(args[mi], rows: muRows, k: k, n: n), matrix: matrix) else {
                    throw RuntimeError("\(d.name): \(d.arguments[si]) is not positive definite")
                }
                total = r.value
                edges = [(y, foldedRows(r.partials.y, rows: ys.rows, k: k, n: n)),
                         (args[mi], foldedRows(r.partials.mu, rows: muRows, k: k, n: n)), (args[si], r.partials.matrix)]
                if let s = d.scalarArgument { edges.append((args[s], [r.partials.nu])) }
            case .dirichlet:
                let (k, alphaRows) = try checkDirichlet(args)
                guard ys.columns == k else {
                    throw RuntimeError("dirichlet: theta has \(ys.columns) element\(ys.columns == 1 ? "" : "s")\(ys.isMatrix ? " per row" : "") but alpha has \(k)")
                }
                guard ys.rows == alphaRows || ys.rows == 1 || alphaRows == 1 else {
                    throw RuntimeError("dirichlet: theta has \(ys.rows) rows but alpha has \(alphaRows)")
                }
                let theta = doubles(y)
                for row in 0..<ys.rows {
                    if let why = MultivariateChecks.simplex(Array(theta[row * k..<(row + 1) * k]), "theta") {
                        throw RuntimeError("dirichlet: \(why)\(ys.rows > 1 ? " (row \(row + 1))" : "")")
                    }
                }
                let n = ys.rows == 0 || alphaRows == 0 ? 0 : max(ys.rows, alphaRows)
                let r = MultivariateKernels.dirichlet(theta: expandedRows(y, rows: ys.rows, k: k, n: n), rows: n, k: k,
                                                      alpha: expandedRows(args[0], rows: alphaRows, k: k, n: n))
                total = r.value
                edges = [(y, foldedRows(r.theta, rows: ys.rows, k: k, n: n)),
                         (args[0], foldedRows(r.alpha, rows: alphaRows, k: k, n: n))]
            case .multinomial, .multinomialLogit:
                let k = try checkMultinomial(d, args)
                guard ys.columns == k else {
                    throw RuntimeError("\(d.name): the left side has \(ys.columns) count\(ys.columns == 1 ? "" : "s")\(ys.isMatrix ? " per row" : "") but \(d.arguments[0]) has \(k)")
                }
                let counts = doubles(y)
                if let i = counts.firstIndex(where: { !($0 >= 0 && $0 == $0.rounded() && $0 < 1e15) }) {
                    throw RuntimeError("\(d.name): a count must be a non-negative integer, got \(formatNumber(counts[i]))\(ys.isMatrix ? " (row \(i / k + 1), element \(i % k + 1))" : " (element \(i + 1))")")
                }
                let r = MultivariateKernels.multinomial(counts: counts, rows: ys.rows, k: k,
                                                        probabilities: (0..<k).map { element(args[0], $0) },
                                                        logit: d == .multinomialLogit)
                total = r.value
                edges = [(args[0], r.partials)]
            case .lkjCorr, .lkjCorrCholesky:
                if let why = positiveScalar(d, args, 0) { throw RuntimeError(why) }
                guard ys.isMatrix, ys.rows == ys.columns, ys.rows > 0 else {
                    throw RuntimeError("\(d.name): the left side must be a square K × K matrix (K ≥ 1), got \(describeShape(y))")
                }
                let k = ys.rows
                let m = doubles(y)
                let why = d == .lkjCorr ? MultivariateChecks.correlation(m, k, "y") : MultivariateChecks.correlationCholesky(m, k, "y")
                if let why { throw RuntimeError("\(d.name): \(why)") }
                let values = (0..<(k * k)).map { element(y, $0) }
                let eta = element(args[0], 0)
                if d == .lkjCorr {
                    guard let r = MultivariateKernels.lkjCorr(values, k: k, eta: eta) else {
                        throw RuntimeError("lkj_corr: y is not positive definite")
                    }
                    total = r.value
                    edges = [(y, r.omega), (args[0], [r.eta])]
                } else {
                    let r = MultivariateKernels.lkjCorrCholesky(values, k: k, eta: eta)
                    total = r.value
                    edges = [(y, r.l), (args[0], [r.eta])]
                }
            }
        } catch let e as RuntimeError {
            fail(e.message, call.span)
            return .scalar(.nan)
        } catch {
            return .scalar(.nan)
        }
        guard total.value.isFinite else {
            fail("\(d.name): the log density is not finite (\(formatNumber(total.value)))", call.span,
                 hint: d.isDiscrete ? "a count in a category with probability 0" : nil)
            return .scalar(.nan)
        }
        var isVariable = weightVariable != nil
        for (v, _) in edges {
            switch v {
            case .variable, .variables: isVariable = true
            default: break
            }
        }
        if !isVariable { return .scalar(total.value * w.value) }
        let out = tape.newVariable(total * w)
        for (v, p) in edges {
            switch v {
            case .variable(let i): tape.addEdge(from: i, to: out, partial: p[0] * w)
            case .variables(let r, _, _):
                for j in 0..<Int(r.length) { tape.addEdge(from: r[j], to: out, partial: p[j] * w) }
            default: break
            }
        }
        if let weightVariable { tape.addEdge(from: weightVariable, to: out, partial: total) }
        return .variable(out)
    }
}

/// What one set of multivariate draws produced: values row by row.
struct MultiDraws {
    var values: [Double]
    var rows: Int
    var columns: Int
    /// Whether the result is a matrix (rows of vectors, or lkj's K × K) rather than one vector.
    var isMatrix: Bool
}

extension Evaluator {
    /// Draws from `d` with `args` in the distribution's own order: `rows` rows (nil: as many
    /// as the location or alpha argument has), `totals` the count of each multinomial row,
    /// `size` lkj's K. Throws a RuntimeError without a location.
    func multiDraws<R: RandomNumberGenerator>(_ d: MultivariateDistribution, _ args: [RV], rows: Int?, totals: [Double]?,
                                              size: Int?, _ rng: inout R) throws -> MultiDraws {
        switch d {
        case .multiNormal, .multiNormalCholesky, .multiStudentT:
            let (k, muRows) = try checkLocationScale(d, args)
            let n = rows ?? muRows
            guard muRows == 1 || muRows == n else {
                throw RuntimeError("\(d.name): mu has \(muRows) rows but \(n) are drawn")
            }
            let m = doubles(args[d.matrixArgument!])
            let l = d == .multiNormalCholesky ? m : MultivariateKernels.cholesky(m, k)!
            let nu = d.scalarArgument.map { elementValue(args[$0], 0) }
            let mu = doubles(args[d.locationArgument!])
            var out: [Double] = []
            for row in 0..<n {
                let start = muRows == 1 ? 0 : row * k
                out += Samplers.multiNormal(mu: mu[start..<start + k], cholesky: l, nu: nu, &rng)
            }
            return MultiDraws(values: out, rows: n, columns: k, isMatrix: rows.map { $0 > 1 } ?? (muRows > 1))
        case .dirichlet:
            let (k, alphaRows) = try checkDirichlet(args)
            let n = rows ?? alphaRows
            guard alphaRows == 1 || alphaRows == n else {
                throw RuntimeError("dirichlet: alpha has \(alphaRows) rows but \(n) are drawn")
            }
            let alpha = doubles(args[0])
            var out: [Double] = []
            for row in 0..<n {
                let start = alphaRows == 1 ? 0 : row * k
                out += Samplers.dirichlet(alpha[start..<start + k], &rng)
            }
            return MultiDraws(values: out, rows: n, columns: k, isMatrix: rows.map { $0 > 1 } ?? (alphaRows > 1))
        case .multinomial, .multinomialLogit:
            let k = try checkMultinomial(d, args)
            var theta = doubles(args[0])
            if d == .multinomialLogit {
                let m = theta.max()!
                theta = theta.map { Foundation.exp($0 - m) }
                let s = theta.reduce(0, +)
                theta = theta.map { $0 / s }
            }
            let counts = totals ?? []
            var out: [Double] = []
            for total in counts {
                guard total >= 0, total == total.rounded(), total < 1e9 else {
                    throw RuntimeError("\(d.name): N must be a non-negative integer below 10⁹, got \(formatNumber(total))")
                }
                out += Samplers.multinomial(theta, count: Int(total), &rng)
            }
            return MultiDraws(values: out, rows: counts.count, columns: k, isMatrix: counts.count > 1)
        case .lkjCorr, .lkjCorrCholesky:
            if let why = positiveScalar(d, args, 0) { throw RuntimeError(why) }
            guard let k = size, k >= 1, k <= 1000 else {
                throw RuntimeError("\(d.name): K must be an integer in 1...1000, got \(size.map(String.init) ?? "none")")
            }
            let l = Samplers.lkjCholesky(k: k, eta: elementValue(args[0], 0), &rng)
            guard d == .lkjCorr else { return MultiDraws(values: l, rows: k, columns: k, isMatrix: true) }
            var omega = [Double](repeating: 0, count: k * k)
            for i in 0..<k {
                for j in 0...i {
                    var s = 0.0
                    for m in 0...j { s += l[i * k + m] * l[j * k + m] }
                    omega[i * k + j] = s
                    omega[j * k + i] = s
                }
                omega[i * k + i] = 1
            }
            return MultiDraws(values: omega, rows: k, columns: k, isMatrix: true)
        }
    }

    /// `multi_normal_rng(mu, Sigma)`, `dirichlet_rng(alpha)`, `multinomial_rng(theta, N)`,
    /// `lkj_corr_rng(K, eta)`, …: a vector (rows of vectors for per-row mu or alpha) or a matrix.
    mutating func randomDraw(_ call: MultiDensityCall) -> RV {
        let d = call.distribution
        guard let args = rngArguments(call.args, name: d.name, span: call.span) else { return .scalar(.nan) }
        var rng = randomDraws!
        defer { randomDraws = rng }
        let draws: MultiDraws
        do {
            switch d {
            case .multinomial, .multinomialLogit:
                draws = try multiDraws(d, [args[0]], rows: nil, totals: [elementValue(args[1], 0)], size: nil, &rng)
            case .lkjCorr, .lkjCorrCholesky:
                let k = elementValue(args[0], 0)
                guard k >= 1, k <= 1000, k == k.rounded() else {
                    throw RuntimeError("\(d.name)_rng: K must be an integer in 1...1000, got \(formatNumber(k))")
                }
                draws = try multiDraws(d, [args[1]], rows: nil, totals: nil, size: Int(k), &rng)
            default:
                draws = try multiDraws(d, args, rows: nil, totals: nil, size: nil, &rng)
            }
        } catch let e as RuntimeError {
            fail(e.message.hasPrefix(d.name + "_rng") ? e.message : e.message.replacingOccurrences(of: d.name + ":", with: d.name + "_rng:"), call.span)
            return .scalar(.nan)
        } catch {
            return .scalar(.nan)
        }
        let out = tape.newVariables(count: draws.values.count)
        for (k, x) in draws.values.enumerated() { tape.setValue(T(x), of: out[k]) }
        return draws.isMatrix ? .variables(out, rows: Int32(draws.rows), columns: Int32(draws.columns)) : .array(out)
    }

    /// Forward simulation of a `~` with a multivariate distribution: a data node (every row,
    /// or the rows its indices pick) or, in the parameters phase, a parameter whose arguments
    /// have been drawn. A multinomial row keeps its observed total.
    mutating func simulateMulti(_ call: MultiDensityCall) {
        guard let target = call.simulation else { return }
        let d = call.distribution
        let name: String, shape: [Int], base: Int
        var parameter: Int?
        switch (target.node, simulation!.phase) {
        case (.data(let n, let ref), .data):
            (name, base) = (n, Int(ref.start))
            shape = ref.isMatrix ? [Int(ref.rows), Int(ref.columns)] : [Int(ref.count)]
        case (.parameter(let p), .parameters):
            guard target.dependencies.allSatisfy({ parameterDrawn($0) }) else { return }
            let layout = program.parameters[p]
            (name, base, shape, parameter) = (layout.name, Int(layout.simulationRegion.start), layout.shape, p)
        default:
            return
        }
        guard let offsets = targetOffsets(target, shape: shape, span: call.span) else { return }
        if let p = parameter, offsets.allSatisfy({ simulation!.drawn[p][$0] }) { return }
        var args: [RV] = []
        for a in call.args {
            args.append(evaluate(a))
            if failure != nil { return }
        }
        let columns = d.hasMatrixVariate ? (shape.last ?? 1) : (shape.count == 2 && offsets.count % max(shape[1], 1) == 0 ? shape[1] : offsets.count)
        let rows = columns > 0 ? offsets.count / columns : 0
        var rng = simulation!.rng
        do {
            let draws: MultiDraws
            switch d {
            case .multinomial, .multinomialLogit:
                let totals = (0..<rows).map { r in (0..<columns).reduce(0.0) { $0 + pool[base + offsets[r * columns + $1]] } }
                draws = try multiDraws(d, args, rows: rows, totals: totals, size: nil, &rng)
            case .lkjCorr, .lkjCorrCholesky:
                guard shape.count == 2, shape[0] == shape[1], offsets.count == shape[0] * shape[1] else {
                    throw RuntimeError("\(d.name): \(name) must be a whole K × K matrix")
                }
                draws = try multiDraws(d, args, rows: nil, totals: nil, size: shape[0], &rng)
            default:
                draws = try multiDraws(d, args, rows: rows, totals: nil, size: nil, &rng)
            }
            guard draws.values.count == offsets.count else {
                throw RuntimeError("\(d.name) draws \(draws.columns) value\(draws.columns == 1 ? "" : "s") per row, but \(name) has \(columns)")
            }
            if let p = parameter, let why = boundsViolation(p, draws.values) { throw RuntimeError(why) }
            simulation!.rng = rng
            for (o, v) in zip(offsets, draws.values) { writePool(base + o, v) }
        } catch let e as RuntimeError {
            simulation!.rng = rng
            fail("cannot simulate \(name): \(e.message)", call.span)
            return
        } catch {
            return
        }
        if let p = parameter {
            for o in offsets { simulation!.drawn[p][o] = true }
            simulation!.progress = true
            transformParameters(VarRange(start: 0, length: 0))
        } else {
            simulation!.drawnData.insert(name)
        }
    }

    /// Why drawn values fall outside a parameter's bounds (nil when they do not).
    mutating func boundsViolation(_ p: Int, _ values: [Double]) -> String? {
        let layout = program.parameters[p]
        let lower = layout.lower.map { elementValue(evaluate($0), 0) }
        let upper = layout.upper.map { elementValue(evaluate($0), 0) }
        if let x = values.first(where: { v in (lower.map { v < $0 } ?? false) || (upper.map { v > $0 } ?? false) }) {
            return "a draw (\(formatNumber(x))) falls outside the bounds of \(layout.name)"
        }
        return nil
    }
}

extension CompiledModel {
    /// One draw of a predict node of a multivariate distribution: the declared shape (rows of
    /// K, or one vector), else one row per row of mu or alpha; lkj needs a declared K × K.
    mutating func predictMulti<R: RandomNumberGenerator>(_ name: String, _ call: MultiDensityCall, shape declared: [Int]?,
                                                         _ rng: inout R) throws -> OutputValue {
        let d = call.distribution
        let args = call.args.map { evaluator.evaluate($0) }
        if let f = evaluator.failure { throw f }
        let draws: MultiDraws
        do {
            switch d {
            case .multinomial, .multinomialLogit:
                throw RuntimeError("\(d.name) needs a total count N to draw", hint: "write `let \(name) = \(d.name)_rng(\(d.arguments[0]), N)`")
            case .lkjCorr, .lkjCorrCholesky:
                guard let declared, declared.count == 2, declared[0] == declared[1] else {
                    throw RuntimeError("\(d.name) draws a K × K matrix: declare it", hint: "write `predict \(name): real[K, K] ~ \(d.name)(eta)`")
                }
                draws = try evaluator.multiDraws(d, args, rows: nil, totals: nil, size: declared[0], &rng)
            default:
                draws = try evaluator.multiDraws(d, args, rows: declared.map { $0.count == 2 ? $0[0] : 1 }, totals: nil,
                                                 size: nil, &rng)
            }
        } catch let e as RuntimeError {
            throw RuntimeError("predict \(name): \(e.message)", span: call.span, hint: e.hint)
        }
        let shape = declared ?? (draws.isMatrix ? [draws.rows, draws.columns] : [draws.columns])
        guard shape.reduce(1, *) == draws.values.count else {
            throw RuntimeError("predict \(name) is declared \(shape.map(String.init).joined(separator: " × ")), but \(d.name) draws \(draws.rows) × \(draws.columns) values",
                               span: call.span)
        }
        return OutputValue(name: name, shape: shape, values: draws.values, isInteger: d.isDiscrete)
    }
}
