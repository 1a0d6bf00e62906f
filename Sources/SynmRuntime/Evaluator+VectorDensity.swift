// Terms of the distributions with an array argument (categorical, categorical_logit,
// ordered_logistic): one node per term, its value the sum over the rows of y, with one edge
// per element of the shared array (its partials summed over rows) and, for
// ordered_logistic, one per row of an array eta. Values and partials in T arithmetic, so the
// Dual path gives exact Hessians. Simulation and predict draw from the same distributions.
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// The arguments of a call: the row argument (ordered_logistic's eta, else nil) and the
    /// shared array, validated; nil after a failure.
    mutating func vectorArguments(_ call: VectorDensityCall) -> (eta: RV?, vector: RV)? {
        let d = call.distribution
        var args: [RV] = []
        for a in call.args {
            args.append(evaluate(a))
            if failure != nil { return nil }
        }
        let vector = args[d.vectorArgument]
        let values = (0..<vector.count).map { elementValue(vector, $0) }
        if let why = d.validateVector(values) {
            fail(why, call.span)
            return nil
        }
        return (d.isOrdinal ? args[0] : nil, vector)
    }

    /// The summed (and weighted) log mass of a term.
    mutating func vectorDensity(_ call: VectorDensityCall, weight: IRWeight) -> RV {
        let d = call.distribution
        let y = evaluate(call.variate)
        guard failure == nil, let (eta, vector) = vectorArguments(call) else { return .scalar(.nan) }
        let w: T, weightVariable: VarIndex?
        switch termWeight(weight, call.span) {
        case .zero: return .scalar(0)
        case .failed: return .scalar(.nan)
        case .value(let x, let v): (w, weightVariable) = (x, v)
        }
        let n = y.count
        if let eta, !eta.isScalar, eta.count != n {
            fail("\(d.name): the left side has \(n) elements but eta has \(eta.count)", call.span)
            return .scalar(.nan)
        }
        let m = vector.count
        let k = d.outcomes(m)
        let v = (0..<m).map { element(vector, $0) }
        var dv = [T](repeating: 0, count: m)
        var total = T(0)
        var etaPartials: [T] = []
        // categorical_logit: log softmax once; categorical: log theta once.
        var logP: [T] = []
        var softmax: [T] = []
        switch d {
        case .categorical: logP = v.map { T.log($0) }
        case .categoricalLogit:
            var mx = v[0]
            for x in v where x.value > mx.value { mx = x }
            var s = T(0)
            for x in v { s += T.exp(x - mx) }
            let lse = mx + T.log(s)
            logP = v.map { $0 - lse }
            softmax = logP.map { T.exp($0) }
        case .orderedLogistic, .orderedProbit: break
        }
        for row in 0..<n {
            let yv = elementValue(y, row)
            guard yv >= 1, yv <= Double(k), yv == yv.rounded() else {
                fail("\(d.name): y must be an integer in 1...\(k), got \(formatNumber(yv))\(n > 1 ? " (row \(row + 1))" : "")",
                     call.span)
                return .scalar(.nan)
            }
            let c = Int(yv) - 1
            switch d {
            case .categorical:
                total += logP[c]
                dv[c] += 1 / v[c]
            case .categoricalLogit:
                total += logP[c]
                dv[c] += 1
                for j in 0..<m { dv[j] -= softmax[j] }
            case .orderedLogistic, .orderedProbit:
                let e = element(eta!, eta!.isScalar ? 0 : row)
                if let why = d.validateScalar(e.value) {
                    fail(n > 1 ? "\(why) (row \(row + 1))" : why, call.span)
                    return .scalar(.nan)
                }
                let r = d == .orderedLogistic
                    ? Kernels.orderedLogistic(c + 1, e, below: c > 0 ? v[c - 1] : nil, above: c < m ? v[c] : nil)
                    : Kernels.orderedProbit(c + 1, e, below: c > 0 ? v[c - 1] : nil, above: c < m ? v[c] : nil)
                total += r.value
                if c > 0 { dv[c - 1] += r.below }
                if c < m { dv[c] += r.above }
                etaPartials.append(r.eta)
            }
        }
        guard total.value.isFinite else {
            fail("\(d.name): the log probability is not finite (a category with probability 0)", call.span)
            return .scalar(.nan)
        }
        var edges = 0
        if case .variables = vector { edges += 1 }
        if let eta, !isConstant(eta) { edges += 1 }
        if edges == 0 && weightVariable == nil { return .scalar(total.value * w.value) }
        let out = tape.newVariable(total * w)
        if case .variables(let r, _, _) = vector {
            for j in 0..<m { tape.addEdge(from: r[j], to: out, partial: dv[j] * w) }
        }
        if let eta {
            switch eta {
            case .variable(let i):
                var s = T(0)
                for p in etaPartials { s += p }
                tape.addEdge(from: i, to: out, partial: s * w)
            case .variables(let r, _, _):
                for row in 0..<n { tape.addEdge(from: r[row], to: out, partial: etaPartials[row] * w) }
            default: break
            }
        }
        if let weightVariable { tape.addEdge(from: weightVariable, to: out, partial: total) }
        return .variable(out)
    }
}

extension Evaluator {
    /// Forward simulation of a data node with a categorical/ordered_logistic likelihood.
    mutating func simulateVector(_ call: VectorDensityCall) {
        guard let target = call.simulation, case .data(let name, let ref) = target.node,
              simulation!.phase == .data else { return }
        let shape = ref.isMatrix ? [Int(ref.rows), Int(ref.columns)] : [Int(ref.count)]
        guard let offsets = targetOffsets(target, shape: shape, span: call.span),
              let (eta, vector) = vectorArguments(call) else { return }
        if let eta, !eta.isScalar, eta.count != offsets.count {
            fail("cannot simulate \(name): eta has \(eta.count) elements but \(offsets.count) values are drawn", call.span)
            return
        }
        let v = (0..<vector.count).map { elementValue(vector, $0) }
        for (k, o) in offsets.enumerated() {
            let e = eta.map { elementValue($0, $0.isScalar ? 0 : k) } ?? 0
            if let why = call.distribution.validateScalar(e) {
                fail("cannot simulate \(name): \(why)", call.span)
                return
            }
            writePool(Int(ref.start) + o, call.distribution.sample(eta: e, vector: v, rng: &simulation!.rng))
        }
        simulation!.drawnData.insert(name)
    }
}

extension CompiledModel {
    /// One draw of a predict node of a distribution with an array argument: as many values
    /// as its declared shape, else as eta has (ordered_logistic), else one.
    mutating func predictVector<R: RandomNumberGenerator>(_ name: String, _ call: VectorDensityCall, shape declared: [Int]?,
                                                          _ rng: inout R) throws -> OutputValue {
        guard let (eta, vector) = evaluator.vectorArguments(call) else {
            throw evaluator.failure ?? RuntimeError("predict \(name): invalid arguments", span: call.span)
        }
        let n = declared.map { $0.reduce(1, *) } ?? ((eta?.isScalar ?? true) ? 1 : eta!.count)
        if let eta, !eta.isScalar, eta.count != n {
            throw RuntimeError("predict \(name) is declared with \(n) elements, but eta has \(eta.count)", span: call.span)
        }
        let v = (0..<vector.count).map { evaluator.elementValue(vector, $0) }
        var out = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let e = eta.map { evaluator.elementValue($0, $0.isScalar ? 0 : k) } ?? 0
            if let why = call.distribution.validateScalar(e) { throw RuntimeError("predict \(name): \(why)", span: call.span) }
            out[k] = call.distribution.sample(eta: e, vector: v, rng: &rng)
        }
        let shape = declared ?? ((eta?.isScalar ?? true) ? [] : [n])
        return OutputValue(name: name, shape: shape, values: out, isInteger: true)
    }
}
