// The straight-line program's entry point (FlatProgram.swift): taken only when every other
// evaluation path is at its default, so tests that switch a path off still compare that path
// with the tree.
extension CompiledModel {
    /// Whether log-density evaluations run the straight-line program.
    public var runsFlatProgram: Bool {
        usesFlatProgram && program.flatProgram != nil && useLoopKernels && vectorisesLoops && eliminatesDeadLets
            && usesFusedKernels
    }

    /// log π(x) and its gradient by the straight-line program, or nil when the model has none
    /// (or it is switched off) or the evaluation must be reported by the tree.
    mutating func flatValueAndGradient(_ x: [Double], gradient: inout [Double]) -> Double? {
        guard runsFlatProgram, let flat = program.flatProgram, x.count == flat.dimension,
              gradient.count == flat.dimension else { return nil }
        if flatScratch?.program !== flat { flatScratch = FlatScratch(flat) }
        return flat.run(x, &flatScratch!, gradient: &gradient)
    }
}
