// A whole log density compiled to straight-line register code: for models whose density
// statements are lets and `~` terms over scalars and one-dimensional arrays (eight schools,
// most small hierarchical models), one evaluation is a pass over a short list of operations on
// a flat register file and a reverse pass for the gradient — no tree walk, no tape, no
// retain/release, nothing allocated. It is reverse-mode differentiation specialised to a
// program whose shape is fixed at compile time (Griewank & Walther, "Evaluating Derivatives",
// 2nd ed., 2008, ch. 3–4; docs/PERFORMANCE.md, "Straight-line programs").
//
// Every `~` term's adjoint is 1 (the target is the plain sum of its terms), so a density's
// partials are added into the adjoints during the forward pass; only the operations that build
// its arguments (bound transforms, element-wise arithmetic and functions) are run backwards.
// Anything unusual at run time — an argument outside its domain, a log density that is not
// finite — makes the evaluation fall back to the tree (CompiledModel.logDensityAndGradient),
// which reports it with its location exactly as before. Programs the compiler does not cover
// (loops, `var` locals, matrices, GLM-shaped terms, constrained types, …) never get one.
import SynmAutodiff
import SynmDistributions
import SynmMath

/// Where an operand lives in the register file: element k is `base + k·stride` (stride 0 for a
/// scalar broadcast over the rows). `active` when it depends on the parameters (its adjoint
/// is needed).
struct FlatOperand: Sendable {
    var base: Int32
    var stride: Int32
    var active: Bool

    static let none = FlatOperand(base: 0, stride: 0, active: false)
}

/// One operation of a straight-line program. Plain data (no references), so reading one
/// costs no reference counting.
struct FlatOp: Sendable {
    enum Kind: UInt8, Sendable {
        /// x = lower + eᵘ, log-Jacobian u.
        case lower
        /// x = upper − eᵘ, log-Jacobian u.
        case upper
        /// x = lower + (upper − lower)·logit⁻¹(u), log-Jacobian log(upper − lower) + log s + log(1 − s).
        case bounded
        /// out = f(a), the derivative kept in `aux`.
        case unary
        case add, subtract, multiply, divide
        /// out = a + b·c (the non-centred `mu + tau * eta`), one pass each way.
        case multiplyAdd
        /// A `~` term: Σ over rows of the log density, times `weight`.
        case density
        /// `target += e`: the sum of e's elements.
        case target
    }

    var kind: Kind
    /// Rows (elements of the result).
    var n: Int32
    /// First register of the result (transforms, arithmetic, functions).
    var out: Int32 = 0
    var a: FlatOperand = .none
    var b: FlatOperand = .none
    var c: FlatOperand = .none
    /// The variate (densities).
    var y: FlatOperand = .none
    var function: UnaryFunction = .negate
    var distribution: Distribution = .normal
    var domains: (ArgumentDomain, ArgumentDomain, ArgumentDomain) = (.finite, .finite, .finite)
    var arity: Int8 = 0
    var weight: Double = 1
    /// Transform bounds.
    var lower: Double = 0
    var upper: Double = 0
    /// Summaries of a constant variate, for the closed forms of iid terms with scalar arguments.
    var statistics: VariateStatistics? = nil
    /// Whether the result depends on the parameters (the reverse pass skips it otherwise).
    var active: Bool = true
    /// normal or cauchy with a constant σ: the first of the registers holding 1/σ (one for a
    /// scalar, n for an array), and the rows' −Σ(log σ + ½ log 2π) (normal) or −Σ(log σ + log π)
    /// (cauchy) in `constant`; normal with a scalar σ that varies: the register its reciprocal
    /// is written to per evaluation; −1: neither (the generic row loop).
    var inverseScales: Int32 = -1
    var constant: Double = 0
}

/// A log density as straight-line register code (see the file comment). Shared by every
/// chain; each evaluation uses its own `FlatScratch`.
final class FlatProgram: Sendable {
    let ops: [FlatOp]
    /// The indices of the operations the reverse pass runs, in reverse order.
    let backward: [Int32]
    /// The register file's initial contents: constants in place, zeros elsewhere.
    let initialRegisters: [Double]
    /// Unconstrained coordinates, held in registers 0..<dimension.
    let dimension: Int
    /// The registers whose adjoints are written (the coordinates and the results of active
    /// operations), as sorted, disjoint ranges: only these are zeroed per evaluation, not the
    /// data's registers.
    let adjointRanges: [Range<Int>]

    init(ops: [FlatOp], initialRegisters: [Double], dimension: Int) {
        self.ops = ops
        self.initialRegisters = initialRegisters
        self.dimension = dimension
        let reversed = ops.indices.reversed().filter { k in
            switch ops[k].kind {
            case .density, .target: return false
            default: return ops[k].active
            }
        }
        backward = reversed.map { Int32($0) }
        var ranges = [0..<dimension] + reversed.map { Int(ops[$0].out)..<Int(ops[$0].out) + Int(ops[$0].n) }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in ranges where !r.isEmpty {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        adjointRanges = merged
    }

    /// The straight-line program for `program`'s log density, or nil when it has a statement,
    /// an expression or a parameter this compiler does not cover.
    static func compile(pool: [Double], parameters: [ParameterPlan], statements: [IRStmt],
                        dimension: Int) -> FlatProgram? {
        var compiler = FlatCompiler(pool: pool, plans: parameters, dimension: dimension)
        return compiler.compile(statements)
    }
}

/// A register: where a compiled value starts, how many elements it has, and its kind.
struct FlatRegister {
    var base: Int32
    var count: Int
    var isArray: Bool
    var active: Bool

    var operand: FlatOperand { FlatOperand(base: base, stride: isArray ? 1 : 0, active: active) }
}

struct FlatCompiler {
    struct Unsupported: Error {}

    let pool: [Double]
    let plans: [ParameterPlan]
    let dimension: Int
    var ops: [FlatOp] = []
    var registers: [Double]
    var parameters: [FlatRegister] = []
    var lets: [Int: FlatRegister] = [:]
    /// Constant arrays already copied into registers, by pool start and count.
    var constantArrays: [Int64: FlatRegister] = [:]

    init(pool: [Double], plans: [ParameterPlan], dimension: Int) {
        self.pool = pool
        self.plans = plans
        self.dimension = dimension
        registers = Array(repeating: 0, count: dimension)
    }

    mutating func compile(_ statements: [IRStmt]) -> FlatProgram? {
        do {
            try compileParameters()
            for s in statements { try statement(s) }
        } catch {
            return nil
        }
        return FlatProgram(ops: ops, initialRegisters: registers, dimension: dimension)
    }

    mutating func allocate(_ count: Int) -> Int32 {
        let base = Int32(registers.count)
        registers.append(contentsOf: repeatElement(0, count: count))
        return base
    }

    /// Parameters: scalars and arrays with constant bounds (or none); the unconstrained
    /// coordinates are registers 0..<dimension, so an unbounded parameter is its coordinates.
    mutating func compileParameters() throws {
        for plan in plans {
            guard plan.constrained == nil, !plan.evaluatesBounds, plan.columns == 0,
                  plan.count == plan.valueCount else { throw Unsupported() }
            let n = Int(plan.count)
            let input = FlatRegister(base: plan.offset, count: n, isArray: !plan.isScalar, active: true)
            let kind: FlatOp.Kind
            switch (plan.lower, plan.upper) {
            case (nil, nil):
                parameters.append(input)
                continue
            case (.some, nil): kind = .lower
            case (nil, .some): kind = .upper
            case (.some, .some): kind = .bounded
            }
            let out = allocate(n)
            ops.append(FlatOp(kind: kind, n: Int32(n), out: out, a: FlatOperand(base: plan.offset, stride: 1, active: true),
                              lower: plan.lower ?? 0, upper: plan.upper ?? 0))
            parameters.append(FlatRegister(base: out, count: n, isArray: !plan.isScalar, active: true))
        }
    }

    mutating func statement(_ s: IRStmt) throws {
        switch s {
        case .setLet(let slot, let e):
            lets[slot] = try expression(e)
        case .tilde(_, let call, let weight):
            switch weight {
            case .one: try density(call, weight: 1)
            case .constant(let w): try density(call, weight: w)
            case .zero: return
            case .expression, .normalized: throw Unsupported()
            }
        case .target(_, let e):
            if case .density(let call) = e { return try density(call, weight: 1) }
            let v = try expression(e)
            ops.append(FlatOp(kind: .target, n: Int32(v.count), a: FlatOperand(base: v.base, stride: 1, active: v.active),
                              active: v.active))
        default:
            throw Unsupported()
        }
    }

    /// A `~` term (or a density added to the target) with its weight.
    mutating func density(_ call: DensityCall, weight: Double) throws {
        // GLM shapes keep their fused kernels; truncation keeps the tree's normaliser.
        guard call.glm == nil, call.truncation == nil, call.args.count <= 3 else { throw Unsupported() }
        let y = try expression(call.variate)
        var args: [FlatRegister] = []
        for e in call.args { args.append(try expression(e)) }
        var n = -1
        for r in args where r.isArray {
            if n >= 0, r.count != n { throw Unsupported() }  // the tree reports the mismatch
            n = r.count
        }
        if n < 0 { n = y.isArray ? y.count : 1 }
        if y.isArray, y.count != n { throw Unsupported() }
        if n == 0 { return }
        var op = FlatOp(kind: .density, n: Int32(n), y: y.operand)
        op.distribution = call.distribution
        op.domains = call.domainTriple
        op.arity = Int8(call.domains.count)
        op.weight = weight
        if args.count > 0 { op.a = args[0].operand }
        if args.count > 1 { op.b = args[1].operand }
        if args.count > 2 { op.c = args[2].operand }
        if !y.active, y.isArray, !args.contains(where: \.isArray) { op.statistics = call.variateStatistics }
        op.active = y.active || args.contains(where: \.active)
        if call.distribution == .normal, args.count == 2 {
            if !args[1].active {
                precomputeScales(&op, args[1], rows: Int(op.n), logConstant: halfLog2Pi)
            } else if !args[1].isArray {
                op.inverseScales = allocate(1)  // 1/σ, written per evaluation
            }
        }
        if call.distribution == .cauchy, args.count == 2, !args[1].active {
            precomputeScales(&op, args[1], rows: Int(op.n), logConstant: Double.log(Double.pi))
        }
        ops.append(op)
    }

    /// A constant σ of normal or cauchy (an array, or a scalar over `rows` rows): 1/σ into
    /// registers and the sum of the rows' −(log σ + `logConstant`), when every σ is valid (else
    /// the row loop checks each, and the tree reports the first bad one).
    mutating func precomputeScales(_ op: inout FlatOp, _ sigma: FlatRegister, rows: Int, logConstant: Double) {
        let values = (0..<sigma.count).map { registers[Int(sigma.base) + $0] }
        guard values.allSatisfy({ $0 > 0 && $0 < .infinity }) else { return }
        let base = allocate(values.count)
        var constant = 0.0
        for (k, s) in values.enumerated() {
            registers[Int(base) + k] = 1 / s
            constant -= Double.log(s) + logConstant
        }
        if !sigma.isArray { constant *= Double(rows) }
        op.inverseScales = base
        op.constant = constant
    }

    mutating func expression(_ e: IRExpr) throws -> FlatRegister {
        switch e {
        case .constScalar(let x): return constant(x)
        case .poolScalar(let i): return constant(pool[i])
        case .constArray(let c):
            guard !c.isMatrix else { throw Unsupported() }
            let key = Int64(c.start) << 32 | Int64(c.count)
            if let r = constantArrays[key] { return r }
            let base = allocate(Int(c.count))
            for k in 0..<Int(c.count) { registers[Int(base) + k] = pool[Int(c.start) + k] }
            let r = FlatRegister(base: base, count: Int(c.count), isArray: true, active: false)
            constantArrays[key] = r
            return r
        case .parameter(let p): return parameters[p]
        case .letValue(let slot):
            guard let r = lets[slot] else { throw Unsupported() }
            return r
        case .unary(.plus, let x): return try expression(x)
        case .unary(.negate, let x): return try unary(.negate, x)
        case .binary(.power, let x, .constScalar(2), _): return try unary(.square, x)
        case .binary(.add, let l, .binary(.multiply, let x, let y, _), _),
             .binary(.add, .binary(.multiply, let x, let y, _), let l, _):
            return try multiplyAdd(l, x, y)
        case .binary(let op, let l, let r, _):
            let kind: FlatOp.Kind
            switch op {
            case .add: kind = .add
            case .subtract: kind = .subtract
            case .multiply: kind = .multiply
            case .divide: kind = .divide
            default: throw Unsupported()
            }
            let a = try expression(l), b = try expression(r)
            if a.isArray, b.isArray, a.count != b.count { throw Unsupported() }
            let n = a.isArray ? a.count : b.count
            let out = allocate(n)
            emit(FlatOp(kind: kind, n: Int32(n), out: out, a: a.operand, b: b.operand, active: a.active || b.active))
            return FlatRegister(base: out, count: n, isArray: a.isArray || b.isArray, active: a.active || b.active)
        case .call(let f, let args, _):
            guard args.count == 1, let fn = Self.function(f) else { throw Unsupported() }
            return try unary(fn, args[0])
        default:
            throw Unsupported()
        }
    }

    /// a + b·c as one operation (the same two roundings as the tree's product, then sum).
    mutating func multiplyAdd(_ l: IRExpr, _ x: IRExpr, _ y: IRExpr) throws -> FlatRegister {
        let a = try expression(l), b = try expression(x), c = try expression(y)
        let arrays = [a, b, c].filter(\.isArray)
        if let first = arrays.first, arrays.contains(where: { $0.count != first.count }) { throw Unsupported() }
        let n = arrays.first?.count ?? 1
        let active = a.active || b.active || c.active
        let out = allocate(n)
        emit(FlatOp(kind: .multiplyAdd, n: Int32(n), out: out, a: a.operand, b: b.operand, c: c.operand, active: active))
        return FlatRegister(base: out, count: n, isArray: !arrays.isEmpty, active: active)
    }

    /// The element-wise functions the program evaluates (as the tree's `map` does, through
    /// `UnaryFunction`, so values and derivatives are the same).
    static func function(_ f: Builtin) -> UnaryFunction? {
        if let g = KernelCompiler.outerFunction(f) { return g }
        switch f {
        case .square: return .square
        case .logit: return .logit
        case .lgamma: return .lgamma
        case .abs: return .abs
        default: return nil
        }
    }

    mutating func unary(_ f: UnaryFunction, _ x: IRExpr) throws -> FlatRegister {
        let a = try expression(x)
        let out = allocate(a.count)
        var op = FlatOp(kind: .unary, n: Int32(a.count), out: out, a: a.operand, active: a.active)
        op.function = f
        emit(op)
        return FlatRegister(base: out, count: a.count, isArray: a.isArray, active: a.active)
    }

    /// Appends an arithmetic operation or function, or — when nothing in it depends on the
    /// parameters — evaluates it now, so its result is a constant register.
    mutating func emit(_ op: FlatOp) {
        guard !op.active else { return ops.append(op) }
        var scratchAdjoints = [Double](repeating: 0, count: registers.count)
        var scratchDerivatives = scratchAdjoints
        withUnsafePointer(to: op) { p in
            registers.withUnsafeMutableBufferPointer { v in
                scratchAdjoints.withUnsafeMutableBufferPointer { g in
                    scratchDerivatives.withUnsafeMutableBufferPointer { d in
                        _ = FlatProgram.forward(p, v.baseAddress!, g.baseAddress!, d.baseAddress!)
                    }
                }
            }
        }
    }

    mutating func constant(_ x: Double) -> FlatRegister {
        let base = allocate(1)
        registers[Int(base)] = x
        return FlatRegister(base: base, count: 1, isArray: false, active: false)
    }
}
