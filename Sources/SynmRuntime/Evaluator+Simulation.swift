// Forward simulation: the program run generatively. Priors are drawn first, each `~` on a
// parameter once the parameters its arguments read have been drawn (passes repeat until
// every parameter is drawn); then every `~` on a data node draws that node, in program
// order, so recursions (AR models) see the values drawn before them.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

/// The state of one simulation.
struct SimulationState {
    enum Phase { case parameters, data }
    var phase: Phase
    var rng: Xoshiro256StarStar
    /// Which elements of each parameter have been drawn.
    var drawn: [[Bool]]
    var progress = false
    /// Data nodes that were drawn.
    var drawnData: Set<String> = []
}

extension Evaluator {
    /// Writes one pool value (and the tape's copy, which tape nodes read).
    mutating func writePool(_ index: Int, _ value: Double) {
        pool[index] = value
        tape.updateConstant(at: index, to: value)
        glm.poolVersion &+= 1
    }

    func parameterDrawn(_ p: Int) -> Bool { simulation!.drawn[p].allSatisfy { $0 } }

    /// Element offsets picked by the indices of a simulation target (all when none).
    mutating func targetOffsets(_ target: SimulationTarget, shape: [Int], span: SourceSpan) -> [Int]? {
        if target.indices.isEmpty { return Array(0..<shape.reduce(1, *)) }
        var offset = 0
        var rest = shape[...]
        for ix in target.indices {
            let v = evaluate(ix)
            guard failure == nil, let n = rest.first, v.isScalar else {
                if failure == nil { fail("simulation supports scalar indices on the left of `~`", span) }
                return nil
            }
            let i = elementValue(v, 0)
            guard i >= 1, i <= Double(n) else {
                fail("index \(formatNumber(i)) is out of range (1..\(n))", span)
                return nil
            }
            rest = rest.dropFirst()
            offset = offset * n + Int(i) - 1
        }
        let size = rest.reduce(1, *)
        return Array(offset * size..<(offset + 1) * size)
    }

    mutating func simulate(_ call: DensityCall) {
        guard let target = call.simulation else { return }
        switch (target.node, simulation!.phase) {
        case (.parameter(let p), .parameters):
            let layout = program.parameters[p]
            guard target.dependencies.allSatisfy({ parameterDrawn($0) }) else { return }
            guard let offsets = targetOffsets(target, shape: layout.shape, span: call.span) else { return }
            guard !offsets.allSatisfy({ simulation!.drawn[p][$0] }) else { return }
            let (tl, tu) = truncationBounds(call)
            let lower = [layout.lower.map { elementValue(evaluate($0), 0) }, tl].compactMap { $0 }.max()
            let upper = [layout.upper.map { elementValue(evaluate($0), 0) }, tu].compactMap { $0 }.min()
            guard let values = draws(call, count: offsets.count, lower: lower, upper: upper, name: layout.name) else { return }
            for (o, v) in zip(offsets, values) {
                writePool(Int(layout.simulationRegion.start) + o, v)
                simulation!.drawn[p][o] = true
            }
            simulation!.progress = true
            // Later statements read the new values.
            transformParameters(VarRange(start: 0, length: 0))
        case (.data(let name, let ref), .data):
            let shape = target.shape ?? (ref.isMatrix ? [Int(ref.rows), Int(ref.columns)] : [Int(ref.count)])
            guard let offsets = targetOffsets(target, shape: shape, span: call.span) else { return }
            let (tl, tu) = truncationBounds(call)
            guard let values = draws(call, count: offsets.count, lower: tl, upper: tu, name: name) else { return }
            for (o, v) in zip(offsets, values) { writePool(Int(ref.start) + o, v) }
            simulation!.drawnData.insert(name)
        default:
            return
        }
    }

    /// The scalar bounds of a truncated call (nil where absent or not truncated).
    mutating func truncationBounds(_ call: DensityCall) -> (Double?, Double?) {
        guard let t = call.truncation else { return (nil, nil) }
        return (t.lower.map { elementValue(evaluate($0), 0) }, t.upper.map { elementValue(evaluate($0), 0) })
    }

    /// `count` draws from the call's distribution (arguments broadcast), each within the
    /// bounds by rejection: a bounded parameter's prior is the distribution truncated to them.
    mutating func draws(_ call: DensityCall, count: Int, lower: Double?, upper: Double?, name: String) -> [Double]? {
        var args: [RV] = []
        for a in call.args {
            args.append(evaluate(a))
            if failure != nil { return nil }
        }
        for a in args where !a.isScalar && a.count != count {
            fail("cannot simulate \(name): the arguments have \(a.count) elements but \(count) values are drawn", call.span)
            return nil
        }
        var out = [Double](repeating: 0, count: count)
        var a = [Double](repeating: 0, count: args.count)
        for k in 0..<count {
            for j in args.indices { a[j] = elementValue(args[j], args[j].isScalar ? 0 : k) }
            if let e = Distribution.validate(call.distribution, args: a) {
                fail("cannot simulate \(name): \(e.description)", call.span)
                return nil
            }
            if call.truncation != nil {
                // A truncated `~`: inversion of the CDF within the combined bounds.
                guard let x = Distribution.sampleTruncated(call.distribution, a[0], a.count > 1 ? a[1] : 0,
                                                           a.count > 2 ? a[2] : 0, lower: lower, upper: upper,
                                                           rng: &simulation!.rng) else {
                    fail("cannot simulate \(name): the truncation has probability 0 under \(call.distribution.name)", call.span)
                    return nil
                }
                out[k] = x
                continue
            }
            var tries = 0
            while true {
                let x = Distribution.sample(call.distribution, args: a, rng: &simulation!.rng)
                if (lower.map { x >= $0 } ?? true) && (upper.map { x <= $0 } ?? true) {
                    out[k] = x
                    break
                }
                tries += 1
                if tries >= 10_000 {
                    fail("cannot draw \(name) from \(call.distribution.name) within its bounds (10000 tries)", call.span,
                         hint: "give \(name) a prior whose mass lies inside its bounds")
                    return nil
                }
            }
        }
        return out
    }
}
