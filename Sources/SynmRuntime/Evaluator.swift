// The evaluator: runs a compiled program on an autodiff tape over any RealScalar (Double for
// values and gradients, Dual for Hessian columns). All scratch storage lives here and is
// reused, so an evaluation after the first allocates nothing.
import SynmAutodiff
import SynmDiagnostics
import SynmMath

/// A runtime value: a constant (scalar, or array/matrix in the pool) or tape variables.
enum RV {
    case scalar(Double)
    case constants(ConstRef)
    case variable(VarIndex)
    /// A variable array (columns = 0) or matrix (rows × columns, row-major).
    case variables(VarRange, rows: Int32, columns: Int32)

    static func array(_ r: VarRange) -> RV { .variables(r, rows: r.length, columns: 0) }

    /// Number of elements (1 for scalars).
    var count: Int {
        switch self {
        case .scalar, .variable: return 1
        case .constants(let c): return Int(c.count)
        case .variables(let r, _, _): return Int(r.length)
        }
    }
    var isScalar: Bool {
        switch self {
        case .scalar, .variable: return true
        default: return false
        }
    }
}

/// A cell of a mutable local (`var`).
enum Cell {
    case unassigned
    case constant(Double)
    case variable(VarIndex)
}

/// What an evaluation includes.
struct EvaluationMode: Sendable {
    /// Inputs are unconstrained: apply transforms (and add the log-Jacobian if `jacobian`).
    var unconstrained = true
    var jacobian = true
    var prior = true
    var likelihood = true
    /// Only this term (by id), when set.
    var onlyTerm: Int?
}

/// Runs a program on a tape.
struct Evaluator<T: RealScalar> {
    /// The most tape values one evaluation may create (with at most four times as many
    /// edges): about half a gigabyte of tape, far below the 32-bit index range. A loop that would grow
    /// past it stops with a located error.
    static var maxTapeVariables: Int { 1 << 24 }

    let program: CompiledProgram
    /// The constant pool (data and folded constants). A copy of the program's, so that
    /// simulation can write drawn values into it; untouched (and unshared) otherwise.
    var pool: [Double]
    var tape = Tape<T>()
    var parameters: [RV]
    var lets: [RV]
    var cells: [[Cell]]
    var loops: [Int]
    /// Terms added to the target: tape variables and a constant part.
    var terms: [VarIndex] = []
    var constantTotal: Double = 0
    var failure: RuntimeError?
    var mode = EvaluationMode()
    /// Set while forward-simulating (Evaluator<Double> only): `~` statements draw instead of
    /// adding densities.
    var simulation: SimulationState?
    /// Whether `for` loops with a kernel run it (LoopKernel.swift); off to walk every loop as
    /// a tree (tests compare the two).
    var useLoopKernels = true
    /// Whether loops of `~` with a vectorised form run it (Compiler+LoopVectorise.swift), when
    /// `useLoopKernels` is on too; off to run them as written (tests compare the two).
    var useLoopVectorisation = true
    /// Vectorised loop runs that completed (tests check that they ran).
    var vectorisedLoopRuns = 0
    /// Whether every let is evaluated (draws report them); false runs the program's density
    /// statements, without the lets nothing needed reads (DeadLets.swift).
    var evaluatesEveryLet = false
    /// Set when a kernel gave up during this evaluation: `run` evaluates again without kernels.
    var kernelAbandoned = false
    /// Kernel runs that completed (tests check that kernels ran rather than fell back).
    var kernelRuns = 0
    /// Times a kernel run stopped to grow the tape and resumed (tests check the path runs).
    var kernelTapeGrowths = 0
    var kernelScratch = KernelScratch<T>()
    /// The fused GLM kernels' packed data and scratch (Evaluator+GLM.swift).
    var glm = GLMScratch()
    /// The generator of `_rng` calls, set only while a draw is reported.
    var randomDraws: Xoshiro256StarStar?
    /// The tape variables of `var` arrays a `~` term reads in place, and the end of those in
    /// use (Evaluator+CellReads.swift).
    var cellGather: [Int32] = []
    var cellGatherTop = 0
    /// Whether `~` terms read `var` arrays in place and take the normal row loops of
    /// Evaluator+CellReads.swift; false copies the cells into a node and runs the generic
    /// row loop, as before (tests compare the two).
    var readsCellsInPlace = true
    /// `var` arrays read in place so far (tests check that the path ran).
    var cellReads = 0

    init(program: CompiledProgram) {
        self.program = program
        pool = program.pool
        tape.registerConstantsOnce(program.pool)
        parameters = Array(repeating: .scalar(0), count: program.parameters.count)
        lets = Array(repeating: .scalar(0), count: program.letCount + program.vectorisedLetCount)
        cells = program.variables.map { Array(repeating: .unassigned, count: $0.count) }
        loops = Array(repeating: 0, count: program.loopCount)
        terms.reserveCapacity(64)
    }

    /// Reports the first failure of this evaluation; later ones are ignored.
    mutating func fail(_ message: String, _ span: SourceSpan?, hint: String? = nil) {
        if failure == nil { failure = RuntimeError(message, span: span, hint: hint) }
    }

    /// The value of element k of a runtime value, as T.
    @inline(__always) func element(_ v: RV, _ k: Int) -> T {
        switch v {
        case .scalar(let x): return T(x)
        case .variable(let i): return tape.value(of: i)
        case .constants(let c): return T(pool[Int(c.start) + k])
        case .variables(let r, _, _): return tape.value(of: VarIndex(raw: r.start + Int32(truncatingIfNeeded: k)))
        }
    }

    /// The Double value of element k (for control flow, indices and validation).
    @inline(__always) func elementValue(_ v: RV, _ k: Int) -> Double {
        switch v {
        case .scalar(let x): return x
        case .constants(let c): return pool[Int(c.start) + k]
        default: return element(v, k).value
        }
    }

    /// Evaluates the whole program at `x`; returns the total and its tape variable (nil when
    /// the total does not depend on the inputs, or on failure).
    mutating func run(_ x: [T]) -> (total: T, output: VarIndex?) {
        let result = runOnce(x)
        guard kernelAbandoned else { return result }
        // A kernel met something unusual (an error, most likely): evaluate again by walking
        // the tree, which reports it with its location.
        kernelAbandoned = false
        let saved = useLoopKernels
        useLoopKernels = false
        defer { useLoopKernels = saved }
        return runOnce(x)
    }

    mutating func runOnce(_ x: [T]) -> (total: T, output: VarIndex?) {
        kernelAbandoned = false
        tape.reset()
        terms.removeAll(keepingCapacity: true)
        constantTotal = 0
        failure = nil
        let inputs = tape.inputs(x)
        transformParameters(inputs)
        if failure == nil { execute(evaluatesEveryLet ? program.statements : program.densityStatements) }
        if failure != nil { return (T(-.infinity), nil) }
        return finishTotal()
    }

    mutating func finishTotal() -> (total: T, output: VarIndex?) {
        if terms.isEmpty { return (T(constantTotal), nil) }
        var total = T(constantTotal)
        for t in terms { total += tape.value(of: t) }
        // One node with an edge of partial 1 per term, written in bulk (the same edges, in the
        // same order, as one `addEdge` per term, without a uniqueness check per array write).
        let count = terms.count
        let out = terms.withUnsafeBufferPointer { ts in
            tape.withNode(outputs: 1, edges: count) { w in
                w.setOutput(0, total)
                for k in 0..<count { w.edge(k, from: ts[k].raw, toOutput: 0, partial: 1) }
            }
        }[0]
        return (total, out)
    }

    /// Adds a term to the target.
    mutating func addTerm(_ v: RV) {
        switch v {
        case .scalar(let x): constantTotal += x
        case .variable(let i): terms.append(i)
        case .constants(let c):
            for k in 0..<Int(c.count) { constantTotal += pool[Int(c.start) + k] }
        case .variables(let r, _, _): terms.append(tape.sum(r))
        }
    }
}

extension Tape {
    /// Registers the program's pool (once per tape, so pool offsets equal tape offsets).
    mutating func registerConstantsOnce(_ pool: [Double]) {
        removeAllConstants()
        _ = registerConstants(pool)
    }
}
