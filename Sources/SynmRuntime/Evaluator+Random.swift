// `NAME_rng(args)` calls (generated quantities): draws from SynmDistributions' samplers with
// the evaluator's `randomDraws` generator, set only while a draw is reported, so the log
// density never depends on them (the checker allows them only in top-level lets and predict
// arguments). Array arguments give one draw per element, as Stan's vectorised _rng.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// The evaluated arguments of `NAME_rng(args)`, or nil (with the failure set) when draws
    /// are not being reported or an argument fails.
    mutating func rngArguments(_ arguments: [IRExpr], name: String, span: SourceSpan) -> [RV]? {
        guard randomDraws != nil else {
            fail("\(name)_rng draws only when a draw is reported", span)
            return nil
        }
        var args: [RV] = []
        for a in arguments {
            args.append(evaluate(a))
            if failure != nil { return nil }
        }
        return args
    }

    /// Draws of a distribution with scalar arguments.
    mutating func randomDraw(_ call: DensityCall) -> RV {
        let d = call.distribution
        guard let args = rngArguments(call.args, name: d.name, span: call.span) else { return .scalar(.nan) }
        var n = 1
        var isArray = false
        for a in args where !a.isScalar {
            if isArray, a.count != n {
                fail("\(d.name)_rng: argument sizes disagree (\(n) and \(a.count) elements)", call.span)
                return .scalar(.nan)
            }
            n = a.count
            isArray = true
        }
        var values = [Double](repeating: 0, count: n)
        var a = [Double](repeating: 0, count: args.count)
        for k in 0..<n {
            for j in args.indices { a[j] = elementValue(args[j], args[j].isScalar ? 0 : k) }
            if let e = Distribution.validate(d, args: a) {
                fail("\(d.name)_rng: " + e.description.dropFirst(d.name.count + 2) + (isArray ? " (element \(k + 1))" : ""),
                     call.span)
                return .scalar(.nan)
            }
            values[k] = Distribution.sample(d, args: a, rng: &randomDraws!)
        }
        return constantValues(values, isArray: isArray)
    }

    /// Draws of categorical, categorical_logit or ordered_logistic (one per element of an
    /// array eta).
    mutating func randomDraw(_ call: VectorDensityCall) -> RV {
        let d = call.distribution
        guard randomDraws != nil else {
            fail("\(d.name)_rng draws only when a draw is reported", call.span)
            return .scalar(.nan)
        }
        guard let (eta, vector) = vectorArguments(call) else { return .scalar(.nan) }
        let v = (0..<vector.count).map { elementValue(vector, $0) }
        let isArray = !(eta?.isScalar ?? true)
        let n = isArray ? eta!.count : 1
        var values = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let e = eta.map { elementValue($0, $0.isScalar ? 0 : k) } ?? 0
            if let why = d.validateScalar(e) {
                fail(why, call.span)
                return .scalar(.nan)
            }
            values[k] = d.sample(eta: e, vector: v, rng: &randomDraws!)
        }
        return constantValues(values, isArray: isArray)
    }

    /// Values without derivatives: a scalar, or an array of tape values with no edges.
    mutating func constantValues(_ values: [Double], isArray: Bool) -> RV {
        guard isArray else { return .scalar(values[0]) }
        let out = tape.newVariables(count: values.count)
        for (k, x) in values.enumerated() { tape.setValue(T(x), of: out[k]) }
        return .array(out)
    }
}
