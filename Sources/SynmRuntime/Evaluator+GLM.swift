// Fused GLM terms (docs/PERFORMANCE.md): `y ~ bernoulli_logit(a + X * b)`, `y ~ normal(a + X * b,
// sigma)`, `y ~ poisson_log(a + s * b[group])` and the other shapes of `GLMShape` become one tape
// node whose edges run straight to the parameters: the kernel computes the value and every
// partial (∂/∂b = s·Xᵀ∂ℓ/∂η, ∂/∂a = Σ∂ℓ/∂η, …) in one pass over the rows, so no N-row
// intermediate (the product, the gathered vector, one edge per row) is recorded or swept.
//
// The values always come from the Double kernel (SynmGLMKernels). On Dual (Hessian columns) the
// same kernel gives the value parts, so values and gradients agree bit for bit with the Double
// path, and a scalar pass adds the tangents: with η′ = a′ + s′u + s·u′ and the row's second
// derivatives h = ∂²ℓ/∂η², m = ∂²ℓ/∂η∂σ, q = ∂²ℓ/∂σ², the partials' tangents are
// (Σdᵢ)′ = Σ(hᵢη′ᵢ + mᵢσ′), (s·Gⱼ)′ = s′Gⱼ + s·Σ X[i, j](hᵢη′ᵢ + mᵢσ′), and so on.
//
// Anything the kernel cannot take (an operand that is not a scalar, a vector of the wrong length,
// an index out of range, σ ≤ 0, a non-finite value or row) returns nil before anything is
// recorded, and the generic row loop evaluates the term, with its located error messages.
import Foundation
import SynmAutodiff
import SynmGLMKernels
import SynmMath

/// The fused kernels' per-evaluator storage: packed data of its own when simulation has
/// rewritten its pool (the program's shared panels otherwise) and scratch, kept across
/// evaluations.
struct GLMScratch {
    /// False: every term takes the generic path (tests compare the two).
    var enabled = true
    /// Terms evaluated by the fused kernels so far (tests check that the path was taken).
    var evaluations = 0
    /// Incremented whenever the pool is written (simulation), so stale panels are repacked.
    var poolVersion = 0
    var panels: [GLMPanel] = []
    var values: [Double] = []
    var tangents: [Double] = []
    var gradient: [Double] = []
    var tangentGradient: [Double] = []
    var lanes: [GLMVector] = []

    mutating func reserve(_ count: Int) {
        if values.count < count {
            values = [Double](repeating: 0, count: count)
            tangents = values
            gradient = values
            tangentGradient = values
            lanes = [GLMVector](repeating: GLMVector(repeating: 0), count: count)
        }
    }
}

extension Evaluator {
    /// The term through the fused kernel, or nil for the generic path (nothing recorded then).
    mutating func fusedDensity(_ call: DensityCall, _ shape: GLMShape, weight: IRWeight) -> RV? {
        guard glm.enabled, T.self == Double.self || T.self == Dual.self else { return nil }
        var w = T(1)
        var weightVariable: VarIndex?
        switch weight {
        case .one: break
        case .zero: return nil
        case .constant(let x): w = T(x)
        case .expression(let e), .normalized(let e, _):
            guard GLMShape.isName(e) else { return nil }
            let wv = evaluate(e)
            guard failure == nil, wv.isScalar else { return nil }
            w = element(wv, 0)
            if case .variable(let i) = wv { weightVariable = i }
            guard w.value >= 0 && w.value <= 1 else { return nil }
        }
        let offset = shape.offset.map { evaluate($0) } ?? .scalar(0)
        let scale = shape.scale.map { evaluate($0) } ?? .scalar(1)
        let sigma = shape.sigma.map { evaluate($0) } ?? .scalar(1)
        guard failure == nil, offset.isScalar, scale.isScalar, sigma.isScalar else { return nil }
        let sigmaValue = element(sigma, 0)
        guard sigmaValue.value > 0, sigmaValue.value < .infinity else { return nil }
        let vectorExpr: IRExpr
        switch shape.predictor {
        case .matrix(_, let b): vectorExpr = b
        case .gather(let b, _, _): vectorExpr = b
        }
        let vector = evaluate(vectorExpr)
        guard failure == nil, case .variables(let range, _, 0) = vector else { return nil }
        let count = Int(range.length)
        switch shape.predictor {
        case .matrix(let x, _): guard count == Int(x.columns) else { return nil }
        case .gather(_, _, let maxIndex): guard Int(maxIndex) < count else { return nil }
        }
        let n = Int(shape.variate.count)
        let a = element(offset, 0), s = element(scale, 0)

        // Storage out of self while the kernel runs (no exclusive access to self held).
        var g = GLMScratch()
        swap(&g, &glm)
        defer { swap(&g, &glm) }
        g.reserve(count)
        let key = ObjectIdentifier(call)
        let panel: GLMPanel
        if g.poolVersion == 0, let shared = program.glmPanels.first(where: { $0.key == key }) {
            panel = shared
        } else if let found = g.panels.firstIndex(where: { $0.key == key }) {
            // This evaluator's own pool (rewritten by simulation) or a term not found when the
            // program was built: packed here, repacked whenever the pool changes.
            if g.panels[found].version != g.poolVersion {
                g.panels[found] = GLMPanel(key: key, version: g.poolVersion, shape: shape, pool: pool)
            }
            panel = g.panels[found]
        } else {
            panel = GLMPanel(key: key, version: g.poolVersion, shape: shape, pool: pool)
            g.panels.append(panel)
        }
        for j in 0..<count { g.values[j] = tape.value(of: range[j]).value }

        let invSigma = 1 / sigmaValue.value
        let constants = GLMConstants(invSigma: invSigma)
        let sums = Self.runKernel(shape, panel, &g, count: count, offset: a.value, scale: s.value,
                                  constants: constants)
        var total: Double
        switch shape.family {
        case .bernoulliLogit: total = sums.lp
        case .poissonLog: total = sums.lp - (call.variateStatistics?.sumLogFactorial ?? 0)
        case .normal: total = -0.5 * sums.lp - Double(n) * (Foundation.log(sigmaValue.value) + halfLog2Pi)
        }
        guard total.isFinite, sums.check == 0, sums.d.isFinite, sums.du.isFinite, sums.e.isFinite else { return nil }
        for j in 0..<count where !g.gradient[j].isFinite { return nil }

        // The partials as T: values from the kernel; on Dual, tangents from the second pass.
        var totalT = T(total)
        var dOffset = T(sums.d), dScale = T(sums.du), dSigma = T(sums.e * invSigma)
        let isDual = T.self == Dual.self
        if isDual {
            let t = Self.tangents(shape, panel, &g, count: count, a: a, s: s, sigma: sigmaValue,
                                  vector: range, tape: tape)
            totalT = Self.dual(total, t.total)
            dOffset = Self.dual(sums.d, t.d)
            dScale = Self.dual(sums.du, t.du)
            dSigma = Self.dual(sums.e * invSigma, t.sigma)
        }

        let offsetVariable: VarIndex? = if case .variable(let i) = offset { i } else { nil }
        let scaleVariable: VarIndex? = if case .variable(let i) = scale { i } else { nil }
        let sigmaVariable: VarIndex? = if case .variable(let i) = sigma { i } else { nil }
        let edges = count + (offsetVariable == nil ? 0 : 1) + (scaleVariable == nil ? 0 : 1)
            + (sigmaVariable == nil ? 0 : 1) + (weightVariable == nil ? 0 : 1)
        let sDual = s
        let out = g.gradient.withUnsafeBufferPointer { grad in
            g.tangentGradient.withUnsafeBufferPointer { tgrad in
                tape.withNode(outputs: 1, edges: edges) { writer in
                    for j in 0..<count {
                        // ∂/∂b[j] = s·G[j]; on Dual its tangent is s′G[j] + s·G′[j].
                        let partial: T = isDual
                            ? Self.dual(sDual.value * grad[j], Self.tangent(sDual) * grad[j] + sDual.value * tgrad[j])
                            : T(sDual.value * grad[j])
                        writer.edge(j, from: range.start + Int32(j), toOutput: 0, partial: partial * w)
                    }
                    var slot = count
                    if let v = offsetVariable { writer.edge(slot, from: v.raw, toOutput: 0, partial: dOffset * w); slot += 1 }
                    if let v = scaleVariable { writer.edge(slot, from: v.raw, toOutput: 0, partial: dScale * w); slot += 1 }
                    if let v = sigmaVariable { writer.edge(slot, from: v.raw, toOutput: 0, partial: dSigma * w); slot += 1 }
                    if let v = weightVariable { writer.edge(slot, from: v.raw, toOutput: 0, partial: totalT) }
                    writer.setOutput(0, totalT * w)
                }[0]
            }
        }
        g.evaluations &+= 1
        return .variable(out)
    }

    /// The Double kernel for the term's family and predictor (the build GLMKernelDispatch
    /// chose); fills `g.gradient[0..<count]`.
    static func runKernel(_ shape: GLMShape, _ panel: GLMPanel, _ g: inout GLMScratch, count: Int,
                          offset: Double, scale: Double, constants: GLMConstants) -> GLMSums {
        let family = shape.family.kernelCode, invSigma = constants.invSigma
        return panel.y.withUnsafeBufferPointer { y in
            g.values.withUnsafeBufferPointer { v in
                g.gradient.withUnsafeMutableBufferPointer { grad in
                    switch shape.predictor {
                    case .matrix:
                        return panel.x.withUnsafeBufferPointer { x in
                            g.lanes.withUnsafeMutableBufferPointer { lanes in
                                GLMKernelDispatch.matrix(family: family, y: y.baseAddress!, x: x.baseAddress!,
                                                         rows: panel.rows, columns: count, beta: v.baseAddress!,
                                                         offset: offset, invSigma: invSigma, lanes: lanes.baseAddress!,
                                                         gradient: grad.baseAddress!)
                            }
                        }
                    case .gather:
                        if shape.family == .poissonLog, !panel.groupCount.isEmpty, panel.groupCount.count <= count {
                            return panel.groupCount.withUnsafeBufferPointer { n in
                                panel.groupSum.withUnsafeBufferPointer { s in
                                    GLMKernelDispatch.groupedPoissonLog(groupCount: n.baseAddress!, groupSum: s.baseAddress!,
                                                                        groups: n.count, vector: v.baseAddress!, count: count,
                                                                        offset: offset, scale: scale,
                                                                        gradient: grad.baseAddress!)
                                }
                            }
                        }
                        return panel.indices.withUnsafeBufferPointer { idx in
                            GLMKernelDispatch.gather(family: family, y: y.baseAddress!, indices: idx.baseAddress!,
                                                     rows: panel.rows, vector: v.baseAddress!, count: count,
                                                     offset: offset, scale: scale, invSigma: invSigma,
                                                     gradient: grad.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// The tangent parts of a fused term on Dual (scalar loop; the Hessian path only).
    /// Fills `g.tangentGradient[j]` = Σᵢ (∂u_i/∂b_j)·d′ᵢ, the tangent of G[j] at fixed s.
    static func tangents(_ shape: GLMShape, _ panel: GLMPanel, _ g: inout GLMScratch, count: Int, a: T, s: T,
                         sigma: T, vector: VarRange, tape: Tape<T>) -> (total: Double, d: Double, du: Double, sigma: Double) {
        for j in 0..<count {
            g.tangents[j] = tangent(tape.value(of: vector[j]))
            g.tangentGradient[j] = 0
        }
        let (av, at) = (a.value, tangent(a))
        let (sv, st) = (s.value, tangent(s))
        let (sigmaV, sigmaT) = (sigma.value, tangent(sigma))
        var total = 0.0, sumD = 0.0, sumDU = 0.0, sumSigma = 0.0
        for i in 0..<panel.rows {
            var u = 0.0, ut = 0.0
            switch shape.predictor {
            case .matrix:
                for j in 0..<count {
                    let xij = panel.x(i, j)
                    u += xij * g.values[j]
                    ut += xij * g.tangents[j]
                }
            case .gather:
                let j = Int(panel.indices[i])
                u = g.values[j]
                ut = g.tangents[j]
            }
            let eta = av + sv * u
            let etaT = at + st * u + sv * ut
            let y = panel.y(i)
            // ∂ℓ/∂η, ∂ℓ/∂σ and the second derivatives h, m, q of the row.
            var d = 0.0, dSigma = 0.0, h = 0.0, m = 0.0, q = 0.0
            switch shape.family {
            case .bernoulliLogit:
                // y holds the sign 2y − 1; p = logit⁻¹(η).
                let p = eta >= 0 ? 1 / (1 + Foundation.exp(-eta)) : Foundation.exp(eta) / (1 + Foundation.exp(eta))
                d = (y + 1) / 2 - p
                h = -p * (1 - p)
            case .poissonLog:
                let lambda = Foundation.exp(eta)
                d = y - lambda
                h = -lambda
            case .normal:
                let z = (y - eta) / sigmaV
                d = z / sigmaV
                dSigma = (z * z - 1) / sigmaV
                h = -1 / (sigmaV * sigmaV)
                m = -2 * z / (sigmaV * sigmaV)
                q = (1 - 3 * z * z) / (sigmaV * sigmaV)
            }
            let dT = h * etaT + m * sigmaT
            total += d * etaT + dSigma * sigmaT
            sumD += dT
            sumDU += dT * u + d * ut
            sumSigma += m * etaT + q * sigmaT
            switch shape.predictor {
            case .matrix:
                for j in 0..<count { g.tangentGradient[j] += panel.x(i, j) * dT }
            case .gather:
                g.tangentGradient[Int(panel.indices[i])] += dT
            }
        }
        return (total, sumD, sumDU, sumSigma)
    }

    @inline(__always) static func tangent(_ x: T) -> Double { (x as? Dual)?.tangent ?? 0 }
    @inline(__always) static func dual(_ value: Double, _ tangent: Double) -> T {
        T.self == Dual.self ? Dual(value, tangent: tangent) as! T : T(value)
    }
}
