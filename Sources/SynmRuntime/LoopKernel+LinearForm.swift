// Linear forms: an assignment to a `var` element whose value is a sum of products of at most two
// factors, under at most one unary function: `nu[t] = mu + phi * y[t - 1] + theta * err[t - 1]`,
// `err[t] = y[t] - nu[t]`, `sigma[t] = sqrt(a0 + a1 * (y[t - 1] - mu)^2 + b1 * sigma[t - 1]^2)`,
// run as one kernel instruction. A factor is an atom read straight from where it lives (a
// hoisted register, a parameter element, a data element, a `var` element: `KernelFactor`), or
// the sum or difference of two atoms, either squared. The value is computed in the tree's order
// (left to right, so the same bits) and the node's edges are written as they are found
// (∂value/∂atom = ±(other factor) × ∂factor/∂atom, times f′ under a function f). No registers,
// no reverse sweep over the expression, no gathering of leaves: the general path costs several
// times more per operation for the same node. An atom read twice gives two edges (summed by the
// backward pass, where the general path sums them first: the same derivative, rounded once
// more).
import SynmAutodiff
import SynmDistributions
import SynmMath

/// A factor of a linear form's term: an atom, or the sum or difference of two atoms, either
/// squared: `y[t - 1]`, `(y[t - 1] - mu)`, `sigma[t - 1]^2`, `(y[t - 1] - mu)^2`. Atoms are
/// registers: hoisted ones (constants, scalar parameters, lets) or the form's own, which the
/// instruction fills first (`KernelLinearAtom`).
struct KernelLinearFactor: Sendable {
    var a: Int32
    var b: Int32 = -1
    var bNegative = false
    var squared = false
}

/// One term of a linear form: ± f (× g).
struct KernelLinearTerm: Sendable {
    var negative: Bool
    var f: KernelLinearFactor
    var hasG: Bool
    var g: KernelLinearFactor
    /// 0: f a bare atom and no g; 1: f and g bare atoms; 2: anything else (set by `finished`).
    var shape: UInt8 = 2

    /// The term with its shape set.
    func finished() -> KernelLinearTerm {
        var t = self
        let bareF = f.b < 0 && !f.squared, bareG = g.b < 0 && !g.squared
        t.shape = bareF && !hasG ? 0 : bareF && hasG && bareG ? 1 : 2
        return t
    }
}

/// An element a linear form reads into a register before its terms are combined.
struct KernelLinearAtom: Sendable {
    var factor: KernelFactor
    var register: Int32
}

/// A linear form: terms [start, start + count) of `KernelProgram.linearTerms` summed, then the
/// unary function `outer` (an index into `KernelProgram.unaryFunctions`; −1: none) applied;
/// its elements are atoms [atomStart, atomStart + atomCount) of `KernelProgram.linearAtoms`.
/// The first term is positive (the tree's leftmost operand).
struct KernelLinearForm: Sendable {
    var start: Int32
    var count: Int32
    var outer: Int32 = -1
    var atomStart: Int32 = 0
    var atomCount: Int32 = 0
}

/// The most terms a linear form takes (its edges, at most four per term, must fit the scratch).
let maxLinearTerms = 16

extension KernelCompiler {
    /// `e` as `[f](p₁ ± p₂ ± …)`, a left-to-right chain of products `F` or `F * G` of factors
    /// (`KernelLinearFactor`) under at most one unary function f, else nil. A single bare atom
    /// is left to the general path (an assignment of a tape variable itself shares it, no node).
    mutating func linearForm(_ e: IRExpr) throws -> KernelLinearForm? {
        var outer: Int32 = -1
        var rest = e
        if case .call(let f, let args, _) = e, args.count == 1, let u = Self.outerFunction(f) {
            outer = Int32(Self.code(u))
            rest = args[0]
        }
        var parts: [(negative: Bool, expression: IRExpr)] = []
        chain: while true {
            switch rest {
            case .binary(.add, let l, let r, _):
                parts.append((false, r))
                rest = l
            case .binary(.subtract, let l, let r, _):
                parts.append((true, r))
                rest = l
            default:
                parts.append((false, rest))
                break chain
            }
            if parts.count > maxLinearTerms { return nil }
        }
        parts.reverse()
        // Split each part into its factors; refuse before anything is compiled.
        func split(_ p: IRExpr) -> (IRExpr, IRExpr?) {
            if case .binary(.multiply, let a, let b, _) = p, isLinearFactor(a), isLinearFactor(b) { return (a, b) }
            return (p, nil)
        }
        for p in parts where !isLinearFactor(split(p.expression).0) { return nil }
        if outer < 0, parts.count == 1, isAtom(parts[0].expression) { return nil }
        let start = Int32(linearTerms.count), atomStart = Int32(linearAtoms.count)
        for p in parts {
            let (a, b) = split(p.expression)
            guard let f = try linearFactor(a) else { return nil }
            var term = KernelLinearTerm(negative: p.negative, f: f, hasG: false, g: f)
            if let b {
                guard let g = try linearFactor(b) else { return nil }
                term.hasG = true
                term.g = g
            }
            linearTerms.append(term.finished())
        }
        return KernelLinearForm(start: start, count: Int32(parts.count), outer: outer, atomStart: atomStart,
                                atomCount: Int32(linearAtoms.count) - atomStart)
    }

    /// The unary functions a linear form may sit under.
    static func outerFunction(_ f: Builtin) -> UnaryFunction? {
        switch f {
        case .exp: return .exp
        case .log: return .log
        case .log1p: return .log1p
        case .expm1: return .expm1
        case .sqrt: return .sqrt
        case .inv_logit: return .invLogit
        case .log1p_exp: return .log1pExp
        case .tanh: return .tanh
        default: return nil
        }
    }

    /// `e` without a square: the operand; else nil.
    func squaredOperand(_ e: IRExpr) -> IRExpr? {
        switch e {
        case .binary(.power, let x, .constScalar(2), _): return x
        case .call(.square, let args, _) where args.count == 1: return args[0]
        case .call(.pow, let args, _) where args.count == 2:
            if case .constScalar(2) = args[1] { return args[0] }
            return nil
        default: return nil
        }
    }

    /// Whether `linearFactor` takes `e` (decided without compiling anything).
    func isLinearFactor(_ e: IRExpr) -> Bool {
        let base = squaredOperand(e) ?? e
        if case .binary(let op, let a, let b, _) = base, op == .add || op == .subtract { return isAtom(a) && isAtom(b) }
        return isAtom(base)
    }

    /// Whether `atom` takes `e`: a constant, a scalar parameter, a let set before the loop, an
    /// element of a parameter, data or `var` array at an index affine in the loop counters.
    func isAtom(_ e: IRExpr) -> Bool {
        switch e {
        case .constScalar, .poolScalar: return true
        case .parameter(let p): return program.parameters[p].shape.isEmpty
        case .letValue(let slot): return !assignedLets.contains(slot)
        case .index(.parameter(let p), let ix, _):
            return ix.count == 1 && program.parameters[p].shape.count == 1 && affine(ix[0]) != nil
        case .index(.constArray(let c), let ix, _):
            return ix.count == 1 && !c.isMatrix && affine(ix[0]) != nil
        case .variableElement(let slot, let ix, _):
            return ix.count == 1 && program.variables[slot].shape.count == 1 && locals[slot] == nil
                && !program.variables[slot].isInteger && affine(ix[0]) != nil
        default: return false
        }
    }

    /// An atom's register: a hoisted one (a constant, a scalar parameter, a let set before the
    /// loop), or a new one the instruction fills (an element: `factor`'s kinds).
    mutating func atom(_ e: IRExpr) throws -> Int32? {
        if case .letValue = e { return try scalar(e) }
        guard let f = try factor(e) else { return nil }
        if f.kind == .register { return f.a }
        let r = newRegister()
        linearAtoms.append(KernelLinearAtom(factor: f, register: r))
        return r
    }

    /// A factor of a term (see `isLinearFactor`).
    mutating func linearFactor(_ e: IRExpr) throws -> KernelLinearFactor? {
        let squared = squaredOperand(e)
        let base = squared ?? e
        if case .binary(let op, let l, let r, _) = base, op == .add || op == .subtract {
            guard let a = try atom(l), let b = try atom(r) else { return nil }
            return KernelLinearFactor(a: a, b: b, bNegative: op == .subtract, squared: squared != nil)
        }
        guard let a = try atom(base) else { return nil }
        return KernelLinearFactor(a: a, squared: squared != nil)
    }
}

/// A kernel's tables for its linear forms, opened once per run.
struct KernelLinearTables {
    var forms: UnsafeBufferPointer<KernelLinearForm>
    var terms: UnsafeBufferPointer<KernelLinearTerm>
    var atoms: UnsafeBufferPointer<KernelLinearAtom>
    var functions: UnsafeBufferPointer<UnaryFunction>
    var pool: UnsafeBufferPointer<Double>
}

extension Evaluator {
    /// Runs `body` with kernel `k`'s linear-form tables and the data pool opened.
    @inline(__always)
    func withLinearTables<R>(_ k: KernelProgram, _ body: (KernelLinearTables) -> R) -> R {
        k.linearForms.withUnsafeBufferPointer { forms in
            k.linearTerms.withUnsafeBufferPointer { terms in
                k.linearAtoms.withUnsafeBufferPointer { atoms in
                    k.unaryFunctions.withUnsafeBufferPointer { functions in
                        pool.withUnsafeBufferPointer { pool in
                            body(KernelLinearTables(forms: forms, terms: terms, atoms: atoms, functions: functions,
                                                    pool: pool))
                        }
                    }
                }
            }
        }
    }

    /// A factor's value and its derivatives in its atoms a and b.
    @inline(__always)
    static func linearFactorValue(_ x: KernelLinearFactor, _ value: UnsafeMutablePointer<T>) -> (value: T, pa: T, pb: T) {
        let va = value[Int(x.a)]
        if x.b < 0 { return x.squared ? (va * va, 2 * va, 0) : (va, 1, 0) }
        let vb = value[Int(x.b)]
        let d = x.bNegative ? va - vb : va + vb
        if !x.squared { return (d, 1, x.bNegative ? -1 : 1) }
        let twice = 2 * d
        return (d * d, twice, x.bNegative ? -twice : twice)
    }

    /// Reads atom `j` of a linear form (element `e` of its array) into its register; false for
    /// an unassigned element or a parameter of an unexpected kind.
    @inline(__always)
    static func readAtom(_ atom: KernelLinearAtom, _ e: Int, _ value: UnsafeMutablePointer<T>,
                         _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                         _ tapeValues: UnsafePointer<T>, _ parameters: [RV], _ pool: UnsafeBufferPointer<Double>) -> Bool {
        let f = atom.factor, r = Int(atom.register)
        switch f.kind {
        case .poolElement:
            value[r] = T(pool[Int(f.a) &+ e])
            source[r] = -1
        case .cell:
            guard let (x, v) = locals.cells[Int(f.a)]![e].operand(tapeValues) else { return false }
            value[r] = x
            source[r] = v
        case .parameterElement:
            switch parameters[Int(f.a)] {
            case .variables(let range, _, _):
                let v = range.start &+ Int32(truncatingIfNeeded: e)
                value[r] = tapeValues[Int(v)]
                source[r] = v
            case .constants(let c):
                value[r] = T(pool[Int(c.start) &+ e])
                source[r] = -1
            default: return false
            }
        case .register:
            return false
        }
        return true
    }

    /// The form's value from its atoms' registers, its edges written at `from` and `partial`;
    /// returns the value and the number of edges. (Written out, no nested functions: it is
    /// inlined into the linear loop's step.)
    @inline(__always)
    static func combine(_ form: KernelLinearForm, _ tables: KernelLinearTables, _ value: UnsafeMutablePointer<T>,
                        _ source: UnsafeMutablePointer<Int32>, _ from: UnsafeMutablePointer<Int32>,
                        _ partial: UnsafeMutablePointer<T>) -> (T, Int) {
        var total = T(0)
        var n = 0
        let terms = tables.terms.baseAddress! + Int(form.start)
        for q in 0..<Int(form.count) {
            let term = terms + q
            let negative = term.pointee.negative
            let product: T
            let a = Int(term.pointee.f.a)
            switch term.pointee.shape {
            case 0:
                product = value[a]
                let v = source[a]
                if v >= 0 {
                    from[n] = v
                    partial[n] = negative ? -1 : 1
                    n &+= 1
                }
            case 1:
                let b = Int(term.pointee.g.a)
                let va = value[a], vb = value[b]
                product = va * vb
                let v = source[a], w = source[b]
                if v >= 0 {
                    from[n] = v
                    partial[n] = negative ? -vb : vb
                    n &+= 1
                }
                if w >= 0 {
                    from[n] = w
                    partial[n] = negative ? -va : va
                    n &+= 1
                }
            default:
                product = Self.generalTerm(term, value, source, from, partial, &n)
            }
            if q == 0 { total = product } else if negative { total -= product } else { total += product }
        }
        if form.outer >= 0 {
            let (v, dv) = tables.functions[Int(form.outer)].valueAndDerivative(total)
            total = v
            for q in 0..<n { partial[q] *= dv }
        }
        return (total, n)
    }

    /// A term of shape 2 (squares, sums of two atoms): its product, its edges appended.
    @inline(never)
    static func generalTerm(_ term: UnsafePointer<KernelLinearTerm>, _ value: UnsafeMutablePointer<T>,
                            _ source: UnsafeMutablePointer<Int32>, _ from: UnsafeMutablePointer<Int32>,
                            _ partial: UnsafeMutablePointer<T>, _ n: inout Int) -> T {
        let negative = term.pointee.negative
        var count = n
        @inline(__always) func edge(_ r: Int32, _ p: T) {
            let v = source[Int(r)]
            if v >= 0 {
                from[count] = v
                partial[count] = p
                count &+= 1
            }
        }
        defer { n = count }
        let fx = term.pointee.f
        let f = Self.linearFactorValue(fx, value)
        if term.pointee.hasG {
            let gx = term.pointee.g
            let g = Self.linearFactorValue(gx, value)
            let gv = negative ? -g.value : g.value, fv = negative ? -f.value : f.value
            edge(fx.a, gv * f.pa)
            if fx.b >= 0 { edge(fx.b, gv * f.pb) }
            edge(gx.a, fv * g.pa)
            if gx.b >= 0 { edge(gx.b, fv * g.pb) }
            return f.value * g.value
        }
        edge(fx.a, negative ? -f.pa : f.pa)
        if fx.b >= 0 { edge(fx.b, negative ? -f.pb : f.pb) }
        return f.value
    }

    /// Runs a `linearAssign` instruction: the form's atoms into their registers, its value and
    /// edges, one node (or a constant) written to the statement's element. `.gaveUp` on a bad
    /// index or an unassigned element.
    @inline(never)
    static func linearAssign(_ form: KernelLinearForm, _ tables: KernelLinearTables,
                             _ s: UnsafePointer<KernelStatement>, _ value: UnsafeMutablePointer<T>,
                             _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                             _ cursor: inout TapeCursor<T>, _ tapeValues: UnsafePointer<T>,
                             _ parameters: [RV]) -> KernelExit {
        let count = Int(form.count)
        guard cursor.hasRoom(variables: 1, edges: 4 * count) else { return .needsRoom(1, 4 * count) }
        for j in Int(form.atomStart)..<Int(form.atomStart + form.atomCount) {
            let f = tables.atoms[j].factor
            guard let e = Self.kernelOffset(f.index.signs, f.index.a, f.index.b, f.index.x, f.index.k, f.size, 0, value,
                                            source, locals.ints),
                  Self.readAtom(tables.atoms[j], e, value, source, locals, tapeValues, parameters, tables.pool)
            else { return .gaveUp }
        }
        // Edges go straight into the tape's next edge slots; the node is committed below.
        let (total, n) = Self.combine(form, tables, value, source, cursor.pendingInputs, cursor.pendingPartials)
        let x = s.pointee.index
        guard let e = Self.kernelOffset(x.signs, x.a, x.b, x.x, x.k, s.pointee.size0, s.pointee.size1, value, source,
                                        locals.ints) else { return .gaveUp }
        let cell: Cell = n == 0 ? .constant(total.value) : .variable(cursor.commitNode(total, count: n))
        locals.cells[Int(s.pointee.slot)]![e] = cell
        return .done
    }
}
