// Forward simulation of a compiled model: draw the parameters from their priors (or take
// them as given), then every data node that has a `~` statement from its likelihood.
import SynmAutodiff
import SynmMath

/// One forward simulation.
public struct Simulation: Sendable {
    /// The parameters (constrained), per name, row-major.
    public var parameters: [String: [Double]]
    /// The redrawn data nodes, shaped as declared; other data are unchanged.
    public var data: [String: DataArray]
    /// The full data table: the model's data with the redrawn nodes replaced.
    public var table: DataTable
}

extension CompiledModel {
    /// Simulates with `rng`. With `parameters` (constrained, per name) only the data are
    /// drawn; otherwise the parameters are drawn from their priors first. Throws when a
    /// parameter has no prior to draw from or an argument is invalid.
    public func simulate(rng: Xoshiro256StarStar, parameters given: [String: [Double]]? = nil) throws -> Simulation {
        var e = Evaluator<Double>(program: program)
        var state = SimulationState(phase: .parameters, rng: rng,
                                    drawn: program.parameters.map { Array(repeating: false, count: $0.count) })
        if let given {
            for (p, layout) in program.parameters.enumerated() {
                guard let v = given[layout.name], v.count == layout.count else {
                    throw RuntimeError("no value (or the wrong number of values) for parameter '\(layout.name)'", span: layout.span)
                }
                for k in 0..<layout.count { e.writePool(Int(layout.simulationRegion.start) + k, v[k]) }
                state.drawn[p] = Array(repeating: true, count: layout.count)
            }
        }
        e.simulation = state
        // Priors: passes until every parameter is drawn (a prior may read earlier draws).
        while !e.simulation!.drawn.allSatisfy({ $0.allSatisfy { $0 } }) {
            e.simulation!.progress = false
            try e.simulationPass()
            if !e.simulation!.progress {
                let missing = program.parameters.indices.filter { !e.parameterDrawn($0) }.map { program.parameters[$0] }
                throw RuntimeError("cannot draw \(missing.map { "'\($0.name)'" }.joined(separator: ", ")) from the prior: no `~` statement draws \(missing.count == 1 ? "it" : "them")",
                                   span: missing.first?.span,
                                   hint: "simulation needs a proper prior `x ~ dist(…)` for every parameter (or give the parameters with --params)")
            }
        }
        // Parameters of constrained types (simplex, …): what was drawn or given must be a value
        // of the type (a `~` with independent elements does not draw a simplex).
        for layout in program.parameters {
            guard let kind = layout.constrained else { continue }
            let start = Int(layout.simulationRegion.start)
            let value = Array(e.pool[start..<start + layout.count])
            if let (message, _) = ConstrainedValues.violation(kind, value, shape: layout.shape, name: layout.name) {
                throw RuntimeError("\(given == nil ? "the prior draw" : "the given value") of '\(layout.name)' is not a \(kind.name): \(message)",
                                   span: layout.span,
                                   hint: given == nil ? "its `~` statement must draw a \(kind.name) (a prior on the whole value)" : nil)
            }
        }
        e.simulation!.phase = .data
        try e.simulationPass()
        var parameters: [String: [Double]] = [:]
        for layout in program.parameters {
            let start = Int(layout.simulationRegion.start)
            parameters[layout.name] = Array(e.pool[start..<start + layout.count])
        }
        var drawn: [String: DataArray] = [:]
        var table = data
        for name in e.simulation!.drawnData {
            guard let old = data[name], let start = dataLocations[name] else { continue }
            let v = DataArray(shape: old.shape, values: Array(e.pool[start..<start + old.count]), isInteger: old.isInteger)
            drawn[name] = v
            table.set(name, v)
        }
        return Simulation(parameters: parameters, data: drawn, table: table)
    }
}

extension Evaluator where T == Double {
    mutating func simulationPass() throws {
        tape.reset()
        failure = nil
        transformParameters(VarRange(start: 0, length: 0))
        execute(program.statements)
        if let f = failure { throw f }
    }
}
