// Parameters: from the unconstrained inputs to constrained values, with the log-Jacobian of
// each bound transform (lower: x = lb + eᵘ; upper: x = ub − eᵘ; both: x = lb + (ub − lb)·logit⁻¹(u)),
// as in Stan's reference manual, "Constraint transforms".
import SynmAutodiff
import SynmMath

/// logit⁻¹(u) without overflow, in T arithmetic.
@inline(__always) func invLogitT<T: RealScalar>(_ u: T) -> T {
    if u.value >= 0 { return 1 / (1 + T.exp(-u)) }
    let e = T.exp(u)
    return e / (1 + e)
}

/// log logit⁻¹(u) = −log(1 + e⁻ᵘ), stable for large |u|.
@inline(__always) func logInvLogitT<T: RealScalar>(_ u: T) -> T {
    if u.value >= 0 { return -T.log1p(T.exp(-u)) }
    return u - T.log1p(T.exp(u))
}

extension Evaluator {
    mutating func transformParameters(_ inputs: VarRange) {
        if simulation != nil {
            // Simulation reads parameters from their pool slots, where draws are written.
            for (p, layout) in program.parameters.enumerated() {
                let r = layout.simulationRegion
                parameters[p] = layout.shape.isEmpty ? .scalar(pool[Int(r.start)])
                    : .constants(ConstRef(start: r.start, count: r.count, rows: Int32(layout.shape[0]),
                                          columns: Int32(layout.shape.count > 1 ? layout.shape[1] : 0),
                                          isMatrix: layout.shape.count > 1))
            }
            return
        }
        for p in program.parameterPlans.indices {
            let plan = program.parameterPlans[p]
            // Unconstrained inputs are the free coordinates; constrained-scale inputs the values.
            let range = mode.unconstrained ? VarRange(start: inputs.start + plan.offset, length: plan.count)
                : VarRange(start: inputs.start + plan.valueOffset, length: plan.valueCount)
            if let kind = plan.constrained {
                // Stan's constrained types (Evaluator+ConstrainedTypes.swift); no bounds.
                let constrained = mode.unconstrained
                    ? constrainStructured(kind, range, rows: Int(plan.rows), columns: Int(plan.columns), parameter: p)
                    : range
                if failure != nil { return }
                parameters[p] = .variables(constrained, rows: plan.rows, columns: plan.columns)
                continue
            }
            if !plan.evaluatesBounds {
                // No bounds, or constant ones: nothing to evaluate or check (no layout copied).
                let constrained: VarRange
                if !mode.unconstrained || (plan.lower == nil && plan.upper == nil) {
                    constrained = range
                } else {
                    constrained = constrain(range, lower: plan.lower.map { .scalar($0) }, upper: plan.upper.map { .scalar($0) })
                }
                parameters[p] = plan.isScalar ? .variable(constrained[0])
                    : .variables(constrained, rows: plan.rows, columns: plan.columns)
                continue
            }
            let layout = program.parameters[p]
            let lower = layout.lower.map { evaluate($0) }
            let upper = layout.upper.map { evaluate($0) }
            if failure != nil { return }
            if let lower, !lower.isScalar { fail("the lower bound of '\(layout.name)' must be a scalar", layout.span) }
            if let upper, !upper.isScalar { fail("the upper bound of '\(layout.name)' must be a scalar", layout.span) }
            if let lower, let upper, !(elementValue(lower, 0) < elementValue(upper, 0)) {
                fail("the bounds of '\(layout.name)' are empty: lower \(formatNumber(elementValue(lower, 0))) is not below upper \(formatNumber(elementValue(upper, 0)))",
                     layout.span)
            }
            if failure != nil { return }
            let constrained: VarRange
            if !mode.unconstrained || (lower == nil && upper == nil) {
                constrained = range
            } else {
                constrained = constrain(range, lower: lower, upper: upper)
            }
            parameters[p] = layout.shape.isEmpty ? .variable(constrained[0])
                : .variables(constrained, rows: Int32(layout.shape[0]),
                             columns: Int32(layout.shape.count > 1 ? layout.shape.dropFirst().reduce(1, *) : 0))
        }
    }

    /// Scalar bound as (value, tape variable if it depends on inputs).
    func boundOperand(_ b: RV?) -> (T, VarIndex?)? {
        guard let b else { return nil }
        if case .variable(let i) = b { return (tape.value(of: i), i) }
        return (element(b, 0), nil)
    }

    mutating func constrain(_ u: VarRange, lower: RV?, upper: RV?) -> VarRange {
        let lb = boundOperand(lower), ub = boundOperand(upper)
        if lb?.1 == nil, ub?.1 == nil, lb != nil || ub != nil {
            // Constant bounds (Evaluator+SmallNodes.swift): the same nodes, written in bulk.
            return constrainConstantBounds(u, lower: lb?.0, upper: ub?.0)
        }
        let n = Int(u.length)
        let out = tape.newVariables(count: n)
        var logJacobian = T(0)
        // Partials of the summed log-Jacobian with respect to each u, and to the bounds.
        var dJdLower = T(0), dJdUpper = T(0)
        for k in 0..<n {
            let uk = tape.value(of: u[k])
            let o = out[k]
            switch (lb, ub) {
            case let ((l, li)?, nil):
                let e = T.exp(uk)
                tape.setValue(l + e, of: o)
                tape.addEdge(from: u[k], to: o, partial: e)
                if let li { tape.addEdge(from: li, to: o, partial: 1) }
                logJacobian += uk
            case let (nil, (h, hi)?):
                let e = T.exp(uk)
                tape.setValue(h - e, of: o)
                tape.addEdge(from: u[k], to: o, partial: -e)
                if let hi { tape.addEdge(from: hi, to: o, partial: 1) }
                logJacobian += uk
            case let ((l, li)?, (h, hi)?):
                let s = invLogitT(uk)
                let width = h - l
                tape.setValue(l + width * s, of: o)
                tape.addEdge(from: u[k], to: o, partial: width * s * (1 - s))
                if let li { tape.addEdge(from: li, to: o, partial: 1 - s) }
                if let hi { tape.addEdge(from: hi, to: o, partial: s) }
                logJacobian += T.log(width) + logInvLogitT(uk) + logInvLogitT(-uk)
                dJdLower -= 1 / width
                dJdUpper += 1 / width
            case (nil, nil):
                break
            }
        }
        guard mode.jacobian else { return out }
        // The log-Jacobian as one accumulator node over u (and the bounds, if variables).
        let j = tape.newVariable(logJacobian)
        for k in 0..<n {
            let uk = tape.value(of: u[k])
            let d: T = (lb != nil && ub != nil) ? 1 - 2 * invLogitT(uk) : 1
            tape.addEdge(from: u[k], to: j, partial: d)
        }
        if let li = lb?.1, ub != nil { tape.addEdge(from: li, to: j, partial: dJdLower) }
        if let hi = ub?.1, lb != nil { tape.addEdge(from: hi, to: j, partial: dJdUpper) }
        terms.append(j)
        return out
    }
}
