// Loop kernels: a `for` loop whose body is scalar code (scalar `var` elements assigned,
// scalar `~` and `target +=` terms, nested loops and conditionals over ints) compiled once
// into a flat register program. The evaluator runs it without walking the IR tree: no enum
// payloads retained, no recursion, no per-operation tape node. Each statement's expression
// is evaluated into registers with its local partials, differentiated by a reverse sweep over
// its own instructions, and written to the tape as ONE node whose edges go to the tape
// variables it read (parameters, earlier `var` elements); every `~`/`target +=` of the loop
// goes into one accumulator node. Anything out of the ordinary at run time (an index out of
// range, an unassigned element, invalid distribution arguments, a non-finite density, the tape
// limit) abandons the kernel: the evaluation is run again by the tree-walking evaluator, which
// reports the error exactly as before. See Sources/SynmRuntime/README.md, "Loop kernels".
import SynmAutodiff
import SynmDistributions
import SynmFrontend

/// An instruction of a loop kernel. Plain data: the program is an array of these.
struct KernelInstruction: Sendable {
    enum Op: UInt8, Sendable {
        // Leaves: values read from outside the expression (constants or tape variables).
        case constant            // x
        case parameter           // a = parameter
        case parameterElement    // a = parameter, index (b, c, fn, x) affine, d = length
        case letValue            // a = let slot
        case loopValue           // a = loop slot (a loop outside the kernel)
        case local               // a = local (a scalar `var` declared inside the kernel)
        case poolElement         // a = pool start, index as for cells
        case cell                // a = var slot, index (b, c, fn, x), d, e = sizes
        // Arithmetic: dst = f(a, b), local partials stored per register.
        case add, subtract, multiply, divide, power, square, negate
        case unary               // fn = UnaryFunction index
        case compare             // fn = comparison kind; a 0/1 constant
        case density             // a = variate, b, c, d = argument registers (−1: none), e = density index
        // Statements (d = statement index) and control flow.
        case assign, setLet, declare, term
        case assignLocal, declareLocal   // d = statement; the statement's slot is the local
        case loopBegin           // dst = counter register, a = lo register, b = hi register, c = pc after loopEnd
        case loopEnd             // dst = counter register, b = hi register, c = pc of the body's first instruction
        case jumpIfZero          // a = condition register, c = target pc
        case jump                // c = target pc
        case reduce              // d = reduction (a loop `v = v + a * b`, run as one instruction)
        case linearAssign        // a = linear form, d = statement: an assignment run as one instruction
        case linearLoop          // a loopBegin whose body is linearAssigns only (LoopKernel+LinearLoop.swift)
    }
    var op: Op
    var fn: UInt8 = 0
    var dst: Int32 = -1
    var a: Int32 = -1
    var b: Int32 = -1
    var c: Int32 = -1
    var d: Int32 = -1
    var e: Int32 = -1
    /// Element leaves: the whole offset of an affine index (x as an Int32, see `KernelIndex.k`).
    var k: Int32 = 0
    var x: Double = 0

    var isLeaf: Bool { op.rawValue <= Op.cell.rawValue }

    /// Element indices of leaves (and of `KernelIndex`): for one dimension the 1-based index is
    /// affine in at most two registers, x ± value[b] ± value[c] (fn bit 0: minus b, bit 1:
    /// minus c; b or c −1 when absent), so `y[t - k]` needs no instruction of its own. For two
    /// dimensions (fn bit 7) b and c are the row and column registers. No index: b = c = −1,
    /// x = 1 (element 1).
    static let twoDimensional: UInt8 = 0x80
    /// fn bit 2: the index is a computed register (checked to be a whole constant at run
    /// time); without it the registers are loop counters, whole by construction.
    static let checked: UInt8 = 0x04
}

/// An affine element index: x ± value[a] ± value[b] (signs: bit 0 for a, bit 1 for b), or a
/// row and column register (`twoDimensional`).
struct KernelIndex: Sendable {
    var a: Int32 = -1
    var b: Int32 = -1
    var signs: UInt8 = 0
    var x: Double = 1
    /// x as an integer, for an affine index of loop counters (counted in integers at run time).
    var k: Int32 = 1
}

/// A factor of a reduction's term: a register (hoisted: a constant or scalar parameter), or an
/// element of a parameter array, a data array or a `var` array at an affine index.
struct KernelFactor: Sendable {
    enum Kind: UInt8, Sendable { case register, parameterElement, poolElement, cell }
    var kind: Kind
    /// The register, parameter, pool start or var slot.
    var a: Int32
    var index = KernelIndex()
    var size: Int32 = 0
}

/// `for k in lo..hi { v = v + f * g }` with v a local: a sum reduction (a dot product in
/// `ar5`), run in one tight loop that adds (variable, partial) pairs to v's combination.
struct KernelReduction: Sendable {
    var local: Int32
    var counter: Int32
    var lo: Int32
    var hi: Int32
    var f: KernelFactor
    var g: KernelFactor
}

/// A statement of a kernel: the instructions of its expression and the leaves it reads.
struct KernelStatement: Sendable {
    /// Instructions [expressionStart, expressionEnd) compute the value into `root`.
    var expressionStart: Int32
    var expressionEnd: Int32
    var root: Int32
    /// Leaf registers read by the expression (each once), in `KernelProgram.leaves`.
    var leafStart: Int32
    var leafCount: Int32
    /// assign/declare: the var slot, its element's index and sizes.
    var slot: Int32 = -1
    var index = KernelIndex()
    var size0: Int32 = 1
    var size1: Int32 = 0
    var isInteger = false
    /// term: which term it is (for prior/likelihood/per-term selection) and its weight.
    var term: TermInfo? = nil
    var weight: Double = 1
}

/// A compiled loop: one program per `for` statement that qualifies.
/// A class, not a struct: the evaluator takes it from the program once per loop per evaluation,
/// and a struct of this many arrays would be copied (a retain and a release per array) each time.
final class KernelProgram: Sendable {
    let code: [KernelInstruction]
    let statements: [KernelStatement]
    let leaves: [Int32]
    /// Per density instruction: the distribution, its arity and argument domains (3 each).
    let reductions: [KernelReduction]
    /// Assignments whose value is a sum of products of factors (LoopKernel+LinearForm.swift).
    let linearForms: [KernelLinearForm]
    let linearTerms: [KernelLinearTerm]
    let linearAtoms: [KernelLinearAtom]
    let distributions: [Distribution]
    let arities: [Int32]
    let domains: [ArgumentDomain]
    let registers: Int
    /// Scalar `var`s declared inside the loop: kept by the kernel, not in the evaluator's cells.
    let locals: Int
    /// The most leaves of one statement (sizes the scratch for a node's edges).
    let maxLeaves: Int
    /// The unary functions, indexed by an instruction's `fn`.
    let unaryFunctions: [UnaryFunction] = UnaryFunction.allCases
    /// The loop's slot (the kernel replaces `.forLoop(slot, …)`).
    let loopSlot: Int
    /// The `var` slots the kernel reads or writes (each once): opened as buffers for the run.
    let cellSlots: [Int]

    init(code: [KernelInstruction], statements: [KernelStatement], leaves: [Int32], reductions: [KernelReduction],
         linearForms: [KernelLinearForm] = [], linearTerms: [KernelLinearTerm] = [], linearAtoms: [KernelLinearAtom] = [],
         distributions: [Distribution], arities: [Int32], domains: [ArgumentDomain], registers: Int, locals: Int,
         maxLeaves: Int, loopSlot: Int, cellSlots: [Int] = []) {
        self.code = code
        self.statements = statements
        self.leaves = leaves
        self.reductions = reductions
        self.linearForms = linearForms
        self.linearTerms = linearTerms
        self.linearAtoms = linearAtoms
        self.distributions = distributions
        self.arities = arities
        self.domains = domains
        self.registers = registers
        self.locals = locals
        self.maxLeaves = maxLeaves
        self.loopSlot = loopSlot
        self.cellSlots = cellSlots
    }
}

/// Compiles `for` loops into kernels. Returns nil for a loop it does not handle (the
/// evaluator then walks it as before).
struct KernelCompiler {
    let program: (parameters: [ParameterLayout], variables: [VariableLayout], pool: [Double])
    var code: [KernelInstruction] = []
    var statements: [KernelStatement] = []
    var leaves: [Int32] = []
    var reductions: [KernelReduction] = []
    var linearForms: [KernelLinearForm] = []
    var linearTerms: [KernelLinearTerm] = []
    var linearAtoms: [KernelLinearAtom] = []
    var distributions: [Distribution] = []
    var arities: [Int32] = []
    var domains: [ArgumentDomain] = []
    var registers: Int32 = 0
    /// Counter registers of the kernel's loops, by loop slot.
    var counters: [Int: Int32] = [:]
    /// Scalar vars declared inside the kernel: local index by var slot.
    var locals: [Int: Int32] = [:]
    /// Lets assigned inside the loop (not hoistable).
    var assignedLets: Set<Int> = []
    /// Leaves of the statement being compiled.
    var currentLeaves: [Int32] = []
    /// Hoisted constants and parameters, emitted before the loop: register by key.
    var prologue: [KernelInstruction] = []
    var hoisted: [String: Int32] = [:]

    struct Unsupported: Error {}

    /// Kernels for every `for` loop in `statements` that qualifies (outermost first; a loop
    /// inside a kernel is part of it), indexed by loop slot.
    static func kernels(statements: [IRStmt], parameters: [ParameterLayout], variables: [VariableLayout],
                        pool: [Double], loopCount: Int) -> [KernelProgram?] {
        outermostLoops(statements, count: loopCount) { _, loop in
            var compiler = KernelCompiler(program: (parameters, variables, pool))
            return try? compiler.compileLoop(loop)
        }
    }

    mutating func newRegister() -> Int32 {
        defer { registers += 1 }
        return registers
    }

    mutating func emit(_ i: KernelInstruction) -> Int32 {
        var i = i
        if i.dst < 0, !(i.op == .assign || i.op == .setLet || i.op == .declare || i.op == .term || i.op == .linearAssign
                        || i.op == .assignLocal || i.op == .declareLocal || i.op == .jump || i.op == .jumpIfZero) {
            i.dst = newRegister()
        }
        code.append(i)
        return i.dst
    }

    mutating func compileLoop(_ s: IRStmt) throws -> KernelProgram {
        guard case .forLoop(let slot, _, _, let body, _) = s else { throw Unsupported() }
        collectLets(body)
        try statement(s)
        markLinearLoop()
        // Prologue first: its registers are set once per run; jump targets shift by its length.
        let shift = Int32(prologue.count)
        let shifted = code.map { i -> KernelInstruction in
            var i = i
            switch i.op {
            case .loopBegin, .linearLoop, .loopEnd, .jump, .jumpIfZero: i.c += shift
            default: break
            }
            return i
        }
        let shiftedStatements = statements.map { st -> KernelStatement in
            var st = st
            st.expressionStart += shift
            st.expressionEnd += shift
            return st
        }
        var cellSlots: [Int] = []
        func use(_ slot: Int32) { if !cellSlots.contains(Int(slot)) { cellSlots.append(Int(slot)) } }
        for i in shifted {
            switch i.op {
            case .cell: use(i.a)
            case .assign, .declare: use(shiftedStatements[Int(i.d)].slot)
            case .reduce:
                let r = reductions[Int(i.d)]
                if r.f.kind == .cell { use(r.f.a) }
                if r.g.kind == .cell { use(r.g.a) }
            case .linearAssign:
                use(shiftedStatements[Int(i.d)].slot)
                let form = linearForms[Int(i.a)]
                for atom in linearAtoms[Int(form.atomStart)..<Int(form.atomStart + form.atomCount)]
                where atom.factor.kind == .cell {
                    use(atom.factor.a)
                }
            default: break
            }
        }
        let maxTerms = linearForms.map { Int($0.count) }.max() ?? 0
        return KernelProgram(code: prologue + shifted, statements: shiftedStatements, leaves: leaves,
                             reductions: reductions, linearForms: linearForms, linearTerms: linearTerms, linearAtoms: linearAtoms,
                             distributions: distributions, arities: arities, domains: domains,
                             registers: Int(registers), locals: locals.count,
                             maxLeaves: Swift.max(shiftedStatements.map { Int($0.leafCount) }.max() ?? 0, 4 * maxTerms),
                             loopSlot: slot, cellSlots: cellSlots)
    }

    mutating func collectLets(_ body: [IRStmt]) {
        for s in body {
            switch s {
            case .setLet(let slot, _): assignedLets.insert(slot)
            case .forLoop(_, _, _, let b, _), .callSite(_, let b): collectLets(b)
            case .ifElse(_, let a, let b):
                collectLets(a)
                collectLets(b)
            default: break
            }
        }
    }

    // MARK: - Statements

    mutating func statement(_ s: IRStmt) throws {
        switch s {
        case .forLoop(let slot, let lo, let hi, let body, _):
            currentLeaves = []
            let l = try intExpression(lo), h = try intExpression(hi)
            let counter = newRegister()
            if !code.isEmpty, let reduction = try reduction(slot, counter, l, h, body) {
                reductions.append(reduction)
                _ = emit(KernelInstruction(op: .reduce, d: Int32(reductions.count - 1)))
                return
            }
            let begin = code.count
            _ = emit(KernelInstruction(op: .loopBegin, dst: counter, a: l, b: h))
            counters[slot] = counter
            for b in body { try statement(b) }
            counters[slot] = nil
            _ = emit(KernelInstruction(op: .loopEnd, dst: counter, b: h, c: Int32(begin + 1)))
            code[begin].c = Int32(code.count)
        case .ifElse(let condition, let then, let otherwise):
            currentLeaves = []
            let c = try intExpression(condition)
            let branch = code.count
            _ = emit(KernelInstruction(op: .jumpIfZero, a: c))
            for b in then { try statement(b) }
            let skip = code.count
            _ = emit(KernelInstruction(op: .jump))
            code[branch].c = Int32(code.count)
            for b in otherwise { try statement(b) }
            code[skip].c = Int32(code.count)
        case .declareVariable(let slot, let initial, _) where program.variables[slot].shape.isEmpty:
            let local = locals[slot] ?? Int32(locals.count)
            locals[slot] = local
            statements.append(KernelStatement(expressionStart: 0, expressionEnd: 0, root: -1, leafStart: 0,
                                              leafCount: 0, slot: local))
            _ = emit(KernelInstruction(op: .declareLocal, d: Int32(statements.count - 1)))
            if let initial { try assignment(slot, [], initial) }
        case .declareVariable(let slot, let initial, _):
            let layout = program.variables[slot]
            statements.append(KernelStatement(expressionStart: 0, expressionEnd: 0, root: -1, leafStart: 0,
                                              leafCount: 0, slot: Int32(slot), size0: Int32(layout.count)))
            _ = emit(KernelInstruction(op: .declare, d: Int32(statements.count - 1)))
            if let initial {
                guard layout.count == 1 else { throw Unsupported() }
                try assignment(slot, [], initial)
            }
        case .assign(let slot, let indices, let value, _):
            try assignment(slot, indices, value)
        case .setLet(let slot, let value):
            let start = Int32(code.count)
            currentLeaves = []
            let root = try scalar(value)
            var st = finishStatement(start: start, root: root)
            st.slot = Int32(slot)
            statements.append(st)
            _ = emit(KernelInstruction(op: .setLet, d: Int32(statements.count - 1)))
        case .vectorTilde, .multiTilde:
            throw Unsupported()
        case .callSite(_, let body):
            // A hoisted function call: its argument and result lets, in place.
            for b in body { try statement(b) }
        case .tilde(let term, let call, let weight):
            var w = 1.0
            switch weight {
            case .one: break
            case .zero: return
            case .constant(let x): w = x
            default: throw Unsupported()
            }
            let start = Int32(code.count)
            currentLeaves = []
            let root = try densityExpression(call)
            var st = finishStatement(start: start, root: root)
            st.term = term
            st.weight = w
            statements.append(st)
            _ = emit(KernelInstruction(op: .term, d: Int32(statements.count - 1)))
        case .target(let term, let e):
            let start = Int32(code.count)
            currentLeaves = []
            let root = try scalar(e)
            var st = finishStatement(start: start, root: root)
            st.term = term
            statements.append(st)
            _ = emit(KernelInstruction(op: .term, d: Int32(statements.count - 1)))
        }
    }

    mutating func finishStatement(start: Int32, root: Int32) -> KernelStatement {
        let leafStart = Int32(leaves.count)
        leaves += currentLeaves
        return KernelStatement(expressionStart: start, expressionEnd: Int32(code.count), root: root,
                               leafStart: leafStart, leafCount: Int32(currentLeaves.count))
    }

    mutating func assignment(_ slot: Int, _ indices: [IRExpr], _ value: IRExpr) throws {
        let layout = program.variables[slot]
        guard indices.count == layout.shape.count, indices.count <= 2 else { throw Unsupported() }
        let start = Int32(code.count)
        currentLeaves = []
        var st = KernelStatement(expressionStart: 0, expressionEnd: 0, root: -1, leafStart: 0, leafCount: 0)
        st.index = try index(indices)
        if indices.count >= 1 { st.size0 = Int32(layout.shape[0]) }
        if indices.count == 2 { st.size1 = Int32(layout.shape[1]) }
        if !layout.isInteger, locals[slot] == nil, let form = try linearForm(value) {
            // A sum of products: one instruction, no registers (LoopKernel+LinearForm.swift).
            st.slot = Int32(slot)
            statements.append(st)
            linearForms.append(form)
            _ = emit(KernelInstruction(op: .linearAssign, a: Int32(linearForms.count - 1), d: Int32(statements.count - 1)))
            return
        }
        let root = try scalar(value)
        let done = finishStatement(start: start, root: root)
        st.expressionStart = done.expressionStart
        st.expressionEnd = done.expressionEnd
        st.root = root
        st.leafStart = done.leafStart
        st.leafCount = done.leafCount
        st.slot = Int32(slot)
        st.isInteger = layout.isInteger
        if let local = locals[slot] {
            st.slot = local
            statements.append(st)
            _ = emit(KernelInstruction(op: .assignLocal, d: Int32(statements.count - 1)))
            return
        }
        statements.append(st)
        _ = emit(KernelInstruction(op: .assign, d: Int32(statements.count - 1)))
    }

    // MARK: - Expressions

    /// An int-valued expression (an index, a bound, a condition): a scalar whose register the
    /// runtime checks is a constant.
    mutating func intExpression(_ e: IRExpr) throws -> Int32 {
        try scalar(e)
    }

    mutating func leaf(_ i: KernelInstruction) -> Int32 {
        let r = emit(i)
        currentLeaves.append(r)
        return r
    }

    /// A leaf computed once before the loop (a constant, a scalar parameter, a let set outside).
    mutating func hoistedLeaf(_ key: String, _ i: KernelInstruction) -> Int32 {
        let r: Int32
        if let existing = hoisted[key] {
            r = existing
        } else {
            var i = i
            i.dst = newRegister()
            prologue.append(i)
            hoisted[key] = i.dst
            r = i.dst
        }
        if i.op != .constant, !currentLeaves.contains(r) { currentLeaves.append(r) }
        return r
    }

    mutating func scalar(_ e: IRExpr) throws -> Int32 {
        switch e {
        case .constScalar(let x):
            return hoistedLeaf("c\(x.bitPattern)", KernelInstruction(op: .constant, x: x))
        case .poolScalar(let i):
            return hoistedLeaf("c\(program.pool[i].bitPattern)", KernelInstruction(op: .constant, x: program.pool[i]))
        case .parameter(let p):
            guard program.parameters[p].shape.isEmpty else { throw Unsupported() }
            return hoistedLeaf("p\(p)", KernelInstruction(op: .parameter, a: Int32(p)))
        case .letValue(let slot):
            if assignedLets.contains(slot) { return leaf(KernelInstruction(op: .letValue, a: Int32(slot))) }
            return hoistedLeaf("l\(slot)", KernelInstruction(op: .letValue, a: Int32(slot)))
        case .loopValue(let slot):
            if let r = counters[slot] { return r }
            return leaf(KernelInstruction(op: .loopValue, a: Int32(slot)))
        case .variable(let slot, _):
            guard program.variables[slot].shape.isEmpty else { throw Unsupported() }
            if let local = locals[slot] { return leaf(KernelInstruction(op: .local, a: local)) }
            return leaf(element(.cell, Int32(slot), KernelIndex(), 1, 0))
        case .variableElement(let slot, let indices, _):
            let layout = program.variables[slot]
            guard indices.count == layout.shape.count, (1...2).contains(indices.count) else { throw Unsupported() }
            return leaf(element(.cell, Int32(slot), try index(indices), Int32(layout.shape[0]),
                                indices.count == 2 ? Int32(layout.shape[1]) : 0))
        case .index(let base, let indices, _):
            switch base {
            case .constArray(let c):
                if c.isMatrix {
                    guard indices.count == 2 else { throw Unsupported() }
                    return leaf(element(.poolElement, c.start, try index(indices), c.rows, c.columns))
                }
                guard indices.count == 1 else { throw Unsupported() }
                return leaf(element(.poolElement, c.start, try index(indices), c.count, 0))
            case .parameter(let p):
                let layout = program.parameters[p]
                guard layout.shape.count == 1, indices.count == 1 else { throw Unsupported() }
                return leaf(element(.parameterElement, Int32(p), try index(indices), Int32(layout.count), 0))
            default:
                throw Unsupported()
            }
        case .unary(let op, let x):
            let a = try scalar(x)
            switch op {
            case .plus: return a
            case .negate: return emit(KernelInstruction(op: .negate, a: a))
            case .not: return emit(KernelInstruction(op: .compare, fn: 6, a: a))
            }
        case .binary(let op, let l, let r, _):
            let a = try scalar(l)
            if op == .power, case .constScalar(2) = r {
                return emit(KernelInstruction(op: .square, a: a))
            }
            let b = try scalar(r)
            switch op {
            case .add: return emit(KernelInstruction(op: .add, a: a, b: b))
            case .subtract: return emit(KernelInstruction(op: .subtract, a: a, b: b))
            case .multiply: return emit(KernelInstruction(op: .multiply, a: a, b: b))
            case .divide: return emit(KernelInstruction(op: .divide, a: a, b: b))
            case .power: return emit(KernelInstruction(op: .power, a: a, b: b))
            case .less: return emit(KernelInstruction(op: .compare, fn: 0, a: a, b: b))
            case .lessEqual: return emit(KernelInstruction(op: .compare, fn: 1, a: a, b: b))
            case .greater: return emit(KernelInstruction(op: .compare, fn: 2, a: a, b: b))
            case .greaterEqual: return emit(KernelInstruction(op: .compare, fn: 3, a: a, b: b))
            case .equal: return emit(KernelInstruction(op: .compare, fn: 4, a: a, b: b))
            case .notEqual: return emit(KernelInstruction(op: .compare, fn: 5, a: a, b: b))
            case .and: return emit(KernelInstruction(op: .compare, fn: 7, a: a, b: b))
            case .or: return emit(KernelInstruction(op: .compare, fn: 8, a: a, b: b))
            }
        case .call(let f, let args, _):
            let unary: UnaryFunction
            switch f {
            case .exp: unary = .exp
            case .log: unary = .log
            case .log1p: unary = .log1p
            case .expm1: unary = .expm1
            case .sqrt: unary = .sqrt
            case .square: unary = .square
            case .inv_logit: unary = .invLogit
            case .logit: unary = .logit
            case .lgamma: unary = .lgamma
            case .log1p_exp: unary = .log1pExp
            case .tanh: unary = .tanh
            case .abs: unary = .abs
            case .pow:
                guard args.count == 2 else { throw Unsupported() }
                return try scalar(.binary(.power, args[0], args[1], .none))
            case .inv:
                guard args.count == 1 else { throw Unsupported() }
                return try scalar(.binary(.divide, .constScalar(1), args[0], .none))
            case .log1m:
                guard args.count == 1 else { throw Unsupported() }
                let a = try scalar(args[0])
                let negated = emit(KernelInstruction(op: .negate, a: a))
                return emit(KernelInstruction(op: .unary, fn: Self.code(.log1p), a: negated))
            default: throw Unsupported()
            }
            guard args.count == 1 else { throw Unsupported() }
            let a = try scalar(args[0])
            if unary == .square { return emit(KernelInstruction(op: .square, a: a)) }
            return emit(KernelInstruction(op: .unary, fn: Self.code(unary), a: a))
        case .density(let call):
            return try densityExpression(call)
        case .constArray, .gather, .array, .vectorDensity, .cumulative, .truncation, .rng, .vectorRng, .multiDensity,
             .multiRng, .inlined:
            throw Unsupported()
        case .tensorIndex(let base, let indices, let shape, _):
            // An element of a data array of rank 3 or more (LoopKernel+HigherRank.swift); other
            // indexing of such arrays is walked as a tree.
            return try higherRankElement(base, indices, shape)
        }
    }

    static func code(_ f: UnaryFunction) -> UInt8 {
        UInt8(UnaryFunction.allCases.firstIndex(of: f)!)
    }

    /// A density term with scalar variate and arguments.
    mutating func densityExpression(_ call: DensityCall) throws -> Int32 {
        guard call.args.count <= 3 else { throw Unsupported() }
        let y = try scalar(call.variate)
        var args: [Int32] = [-1, -1, -1]
        for (k, a) in call.args.enumerated() { args[k] = try scalar(a) }
        distributions.append(call.distribution)
        arities.append(Int32(call.domains.count))
        for k in 0..<3 { domains.append(k < call.domains.count ? call.domains[k] : .finite) }
        return emit(KernelInstruction(op: .density, a: y, b: args[0], c: args[1], d: args[2],
                                      e: Int32(distributions.count - 1)))
    }

    /// `for k in lo..hi { v = v + f * g }` (or `v = v + f`) with v a local scalar and f, g
    /// factors (`KernelFactor`), else nil.
    mutating func reduction(_ slot: Int, _ counter: Int32, _ lo: Int32, _ hi: Int32, _ body: [IRStmt]) throws
        -> KernelReduction? {
        guard body.count == 1, case .assign(let v, let ix, let value, _) = body[0], ix.isEmpty,
              let local = locals[v], !program.variables[v].isInteger,
              case .binary(.add, .variable(let read, _), let term, _) = value, read == v else { return nil }
        counters[slot] = counter
        defer { counters[slot] = nil }
        let pair: (IRExpr, IRExpr)
        if case .binary(.multiply, let a, let b, _) = term { pair = (a, b) } else { pair = (term, .constScalar(1)) }
        guard let f = try factor(pair.0), let g = try factor(pair.1) else { return nil }
        return KernelReduction(local: local, counter: counter, lo: lo, hi: hi, f: f, g: g)
    }

    mutating func factor(_ e: IRExpr) throws -> KernelFactor? {
        switch e {
        case .constScalar, .poolScalar:
            return KernelFactor(kind: .register, a: try scalar(e))
        case .parameter(let p) where program.parameters[p].shape.isEmpty:
            return KernelFactor(kind: .register, a: try scalar(e))
        case .index(.parameter(let p), let ix, _) where ix.count == 1 && program.parameters[p].shape.count == 1:
            guard let index = affine(ix[0]) else { return nil }
            return KernelFactor(kind: .parameterElement, a: Int32(p), index: index, size: Int32(program.parameters[p].count))
        case .index(.constArray(let c), let ix, _) where ix.count == 1 && !c.isMatrix:
            guard let index = affine(ix[0]) else { return nil }
            return KernelFactor(kind: .poolElement, a: c.start, index: index, size: c.count)
        case .variableElement(let slot, let ix, _)
            where ix.count == 1 && program.variables[slot].shape.count == 1 && locals[slot] == nil:
            guard let index = affine(ix[0]) else { return nil }
            return KernelFactor(kind: .cell, a: Int32(slot), index: index, size: Int32(program.variables[slot].count))
        default:
            return nil
        }
    }

    /// A leaf reading an element.
    func element(_ op: KernelInstruction.Op, _ a: Int32, _ index: KernelIndex, _ n0: Int32, _ n1: Int32)
        -> KernelInstruction {
        KernelInstruction(op: op, fn: index.signs, a: a, b: index.a, c: index.b, d: n0, e: n1, k: index.k, x: index.x)
    }

    /// The index of an element: 1-D affine in loop counters when it can be, else computed into
    /// a register; 2-D as a row and a column register.
    mutating func index(_ indices: [IRExpr]) throws -> KernelIndex {
        switch indices.count {
        case 0: return KernelIndex()
        case 1:
            if let a = affine(indices[0]) { return a }
            return KernelIndex(a: try intExpression(indices[0]), signs: KernelInstruction.checked, x: 0)
        case 2:
            let i = try intExpression(indices[0]), j = try intExpression(indices[1])
            return KernelIndex(a: i, b: j, signs: KernelInstruction.twoDimensional, x: 0)
        default: throw Unsupported()
        }
    }

    /// `e` as x ± counter ± counter with constant x and counters of the kernel's loops.
    func affine(_ e: IRExpr) -> KernelIndex? {
        var terms: [(Int32, Double)] = []
        var x = 0.0
        func walk(_ e: IRExpr, _ sign: Double) -> Bool {
            switch e {
            case .constScalar(let v): x += sign * v
            case .poolScalar(let i): x += sign * program.pool[i]
            case .loopValue(let slot):
                guard let r = counters[slot] else { return false }
                if let k = terms.firstIndex(where: { $0.0 == r }) { terms[k].1 += sign } else { terms.append((r, sign)) }
            case .binary(.add, let l, let r, _): return walk(l, sign) && walk(r, sign)
            case .binary(.subtract, let l, let r, _): return walk(l, sign) && walk(r, -sign)
            case .unary(.plus, let v): return walk(v, sign)
            case .unary(.negate, let v): return walk(v, -sign)
            default: return false
            }
            return true
        }
        guard walk(e, 1), x.isFinite, x == x.rounded(), Swift.abs(x) <= 0x1p30 else { return nil }
        terms.removeAll { $0.1 == 0 }
        guard terms.count <= 2, terms.allSatisfy({ $0.1 == 1 || $0.1 == -1 }) else { return nil }
        var index = KernelIndex(x: x, k: Int32(x))
        if terms.count > 0 {
            index.a = terms[0].0
            if terms[0].1 < 0 { index.signs |= 1 }
        }
        if terms.count > 1 {
            index.b = terms[1].0
            if terms[1].1 < 0 { index.signs |= 2 }
        }
        return index
    }
}

/// For each `for` loop of `statements` (inside `if`s too), outermost first: `make`'s result by
/// loop slot; a loop it declines (nil) is searched for loops inside it. Loop kernels and
/// vectorised loops are both found this way.
func outermostLoops<R>(_ statements: [IRStmt], count: Int, _ make: (Int, IRStmt) -> R?) -> [R?] {
    var out = [R?](repeating: nil, count: count)
    func visit(_ list: [IRStmt]) {
        for s in list {
            switch s {
            case .forLoop(let slot, _, _, let body, _):
                if slot < count, let r = make(slot, s) {
                    out[slot] = r
                } else {
                    visit(body)
                }
            case .ifElse(_, let a, let b):
                visit(a)
                visit(b)
            default: break
            }
        }
    }
    visit(statements)
    return out
}
