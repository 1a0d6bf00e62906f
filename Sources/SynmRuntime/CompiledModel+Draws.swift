// Moving between scales (constrained ↔ unconstrained) and producing the values reported with
// each draw: parameters, lets that depend on parameters, and predict nodes.
import SynmAutodiff
import SynmDistributions
import SynmFrontend
import SynmMath

/// One named block of a draw: a parameter, a let or a predict node, with its shape.
public struct OutputValue: Sendable {
    public var name: String
    public var shape: [Int]
    public var values: [Double]
    public var isInteger: Bool
    /// `theta[1]`, `theta[2]`, … (just `mu` for a scalar).
    public var elementNames: [String] { (0..<values.count).map { elementName(name, shape: shape, flat: $0) } }
}

extension CompiledModel {
    /// The unconstrained vector for constrained values given per parameter (row-major).
    /// Throws naming the parameter (and element) when a value is outside its bounds.
    /// Flat constrained values (layout order) by parameter name.
    public func byName(_ flat: [Double]) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, Array(flat[$0.offset..<$0.offset + $0.count])) })
    }

    public mutating func unconstrain(_ values: [String: [Double]]) throws -> [Double] {
        try unconstrain(values, allowMissing: false).values
    }

    /// As `unconstrain(_:)`, but parameters missing from `values` are allowed (CmdStan's
    /// partial inits): their coordinates are 0 and `given` is false there. A bound that
    /// depends on a missing parameter is evaluated with that parameter at 0.
    public mutating func unconstrain(_ values: [String: [Double]], allowMissing: Bool,
                                     tolerance: Double = ConstrainedValues.tolerance) throws
        -> (values: [Double], given: [Bool])
    {
        // x: constrained values (value layout); u, given: unconstrained coordinates.
        var x = [Double](repeating: 0, count: program.constrainedDimension)
        var given = [Bool](repeating: false, count: dimension)
        var missing: Set<String> = []
        for p in program.parameters {
            guard let v = values[p.name] else {
                if allowMissing {
                    missing.insert(p.name)
                    if let kind = p.constrained {
                        // A missing constrained parameter is put at its unconstrained origin
                        // (only bounds of later parameters read this value).
                        let origin = try constrainedOrigin(p, kind)
                        for k in 0..<p.count { x[p.offset + k] = origin[k] }
                    }
                    continue
                }
                throw RuntimeError("no value for parameter '\(p.name)'", span: p.span)
            }
            for k in 0..<p.freeCount { given[p.freeOffset + k] = true }
            guard v.count == p.count else {
                throw RuntimeError("parameter '\(p.name)' needs \(p.count) value\(p.count == 1 ? "" : "s"), got \(v.count)",
                                   span: p.span)
            }
            for k in 0..<p.count { x[p.offset + k] = v[k] }
        }
        // Bounds may depend on earlier parameters: evaluate them at the constrained values.
        evaluator.mode = EvaluationMode(unconstrained: false, jacobian: false)
        evaluator.tape.reset()
        evaluator.failure = nil
        evaluator.transformParameters(evaluator.tape.inputs(x))
        defer { evaluator.mode = EvaluationMode() }
        if let f = evaluator.failure { throw f }
        var u = [Double](repeating: 0, count: dimension)
        for p in program.parameters where !missing.contains(p.name) {
            let value = Array(x[p.offset..<p.offset + p.count])
            if let kind = p.constrained {
                if let (message, _) = ConstrainedValues.violation(kind, value, shape: p.shape, name: p.name, strict: true,
                                                                     tolerance: tolerance) {
                    throw RuntimeError(message, span: p.span, hint: "give '\(p.name)' a value of its type, \(kind.name)")
                }
                let free = ConstrainedValues.unconstrain(kind, value, shape: p.shape)
                if let k = free.firstIndex(where: { !$0.isFinite }) {
                    throw RuntimeError("'\(p.name)' is on the boundary of \(kind.name) (its unconstrained coordinate \(k + 1) is \(formatNumber(free[k])))",
                                       span: p.span, hint: "give a value strictly inside, as a sampler needs")
                }
                for k in 0..<p.freeCount { u[p.freeOffset + k] = free[k] }
                continue
            }
            let lower = p.lower.map { evaluator.elementValue(evaluator.evaluate($0), 0) }
            let upper = p.upper.map { evaluator.elementValue(evaluator.evaluate($0), 0) }
            for k in 0..<p.count {
                let v = value[k]
                let name = elementName(p.name, shape: p.shape, flat: k)
                if !v.isFinite { throw RuntimeError("\(name) is \(formatNumber(v)); parameter values must be finite", span: p.span) }
                if let l = lower, v < l {
                    throw RuntimeError("\(name) is \(formatNumber(v)), below its lower bound \(formatNumber(l))", span: p.span)
                }
                if let h = upper, v > h {
                    throw RuntimeError("\(name) is \(formatNumber(v)), above its upper bound \(formatNumber(h))", span: p.span)
                }
                let i = p.freeOffset + k
                switch (lower, upper) {
                case let (l?, h?): u[i] = IntervalTransform.unconstrain(v, lower: l, upper: h)
                case let (l?, nil): u[i] = LowerBoundTransform.unconstrain(v, lower: l)
                case let (nil, h?): u[i] = UpperBoundTransform.unconstrain(v, upper: h)
                case (nil, nil): u[i] = v
                }
            }
        }
        return (u, given)
    }

    /// The constrained value at a constrained parameter's unconstrained origin (all 0; a unit
    /// vector's origin has no direction, so its first axis).
    func constrainedOrigin(_ p: ParameterLayout, _ kind: ConstrainedType) throws -> [Double] {
        if kind == .unitVector { return (0..<p.count).map { $0 == 0 ? 1 : 0 } }
        var e = Evaluator<Double>(program: program)
        e.mode = EvaluationMode(unconstrained: true, jacobian: false)
        e.tape.reset()
        let index = program.parameters.firstIndex { $0.name == p.name } ?? 0
        let r = e.constrainStructured(kind, e.tape.inputs([Double](repeating: 0, count: p.freeCount)),
                                      rows: p.shape.first ?? 0, columns: p.shape.count > 1 ? p.shape[1] : 0,
                                      parameter: index)
        return (0..<p.count).map { e.tape.value(of: r[$0]) }
    }

    /// Constrained parameter values (flat, in layout order) at an unconstrained point.
    public mutating func constrain(_ u: [Double]) throws -> [Double] {
        evaluator.mode = EvaluationMode(unconstrained: true, jacobian: false)
        defer { evaluator.mode = EvaluationMode() }
        evaluator.tape.reset()
        evaluator.failure = nil
        evaluator.transformParameters(evaluator.tape.inputs(u))
        if let f = evaluator.failure { throw f }
        var out: [Double] = []
        out.reserveCapacity(dimension)
        for p in evaluator.parameters { out += values(p) }
        return out
    }

    func values(_ v: RV) -> [Double] {
        (0..<v.count).map { evaluator.elementValue(v, $0) }
    }

    func shapeOf(_ v: RV) -> [Int] {
        let (rows, columns) = evaluator.shape(v)
        if v.isScalar { return [] }
        return columns > 0 ? [rows, columns] : [rows]
    }

    /// Every reported value at an unconstrained point: parameters (constrained), lets, and
    /// one draw of each predict node. Throws when the model cannot be evaluated there.
    public mutating func draw<R: RandomNumberGenerator>(_ u: [Double], rng: inout R) throws -> [OutputValue] {
        evaluator.mode = EvaluationMode()
        // `_rng` calls draw from a generator seeded by one word of `rng` (only when the
        // program has any, so other models' draws are unchanged).
        evaluator.randomDraws = program.usesRandomDraws ? Xoshiro256StarStar(seed: rng.next()) : nil
        defer { evaluator.randomDraws = nil }
        let saved = evaluator.evaluatesEveryLet
        evaluator.evaluatesEveryLet = true
        _ = evaluator.run(u)
        evaluator.evaluatesEveryLet = saved
        if let f = evaluator.failure { throw f }
        for g in program.generatedLets {
            evaluator.lets[g.slot] = evaluator.evaluate(g.value)
            if let f = evaluator.failure { throw f }
        }
        var result: [OutputValue] = []
        for block in outputBlocks {
            switch block.source {
            case .parameter(let p):
                let v = evaluator.parameters[p]
                result.append(OutputValue(name: block.name, shape: program.parameters[p].shape, values: values(v),
                                          isInteger: false))
            case .letSlot(let slot):
                let v = evaluator.lets[slot]
                result.append(OutputValue(name: block.name, shape: block.shape ?? shapeOf(v), values: values(v),
                                          isInteger: block.isInteger))
            case .constant(let ir):
                let v = evaluator.evaluate(ir)
                result.append(OutputValue(name: block.name, shape: shapeOf(v), values: values(v), isInteger: block.isInteger))
            case .predict(let call, let shape):
                result.append(try predict(block.name, call, shape: shape, &rng))
            case .predictVector(let call, let shape):
                result.append(try predictVector(block.name, call, shape: shape, &rng))
            case .predictMulti(let call, let shape):
                result.append(try predictMulti(block.name, call, shape: shape, &rng))
            }
        }
        return result
    }

    /// One draw of a predict node: its arguments at the current point, then one variate per
    /// row — as many rows as its declared shape (`predict y: real[N] ~ normal(mu, sigma)` with
    /// scalar arguments draws N values), else as its array arguments have.
    mutating func predict<R: RandomNumberGenerator>(_ name: String, _ call: DensityCall, shape declared: [Int]?,
                                                    _ rng: inout R) throws -> OutputValue {
        let args = call.args.map { evaluator.evaluate($0) }
        if let f = evaluator.failure { throw f }
        let array = args.first { !$0.isScalar }
        let n = declared.map { $0.reduce(1, *) } ?? array?.count ?? 1
        if let declared, let a = args.first(where: { !$0.isScalar && $0.count != n }) {
            throw RuntimeError("predict \(name) is declared with \(n) element\(n == 1 ? "" : "s") (\(declared.map(String.init).joined(separator: " × "))), but an argument has \(a.count)",
                               span: call.span, hint: "declare the size of the arguments, or give scalar arguments")
        }
        var out = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let a = args.map { evaluator.elementValue($0, $0.isScalar ? 0 : k) }
            if let e = Distribution.validate(call.distribution, args: a) {
                throw RuntimeError("predict \(name): \(e.description)\(n > 1 ? " (row \(k + 1))" : "")", span: call.span)
            }
            guard let t = call.truncation else {
                out[k] = Distribution.sample(call.distribution, args: a, rng: &rng)
                continue
            }
            // Truncated: inversion of the CDF (SynmDistributions' sampleTruncated).
            let (lo, hi) = evaluator.truncationBounds(call)
            if let f = evaluator.failure { throw f }
            guard let x = Distribution.sampleTruncated(call.distribution, a[0], a.count > 1 ? a[1] : 0, a.count > 2 ? a[2] : 0,
                                                       lower: lo, upper: hi, rng: &rng) else {
                throw RuntimeError("predict \(name): the truncation [\(formatNumber(lo ?? -.infinity)), \(formatNumber(hi ?? .infinity))] has probability 0 under \(call.distribution.name)\(n > 1 ? " (row \(k + 1))" : "")",
                                   span: t.span)
            }
            out[k] = x
        }
        return OutputValue(name: name, shape: declared ?? array.map { shapeOf($0) } ?? [], values: out, isInteger: call.distribution.isDiscrete)
    }
}
