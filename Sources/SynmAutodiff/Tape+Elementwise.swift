// Vectorised elementwise nodes: one node per call, one forward loop writing values and
// partials, one edge per (variable operand, element). Scalars broadcast against arrays.
import SynmMath

/// An `Operand` resolved for a node's loop: where element k comes from and whether it is
/// differentiated. A scalar has stride 0 (its value is read once, into `scalar`).
@usableFromInline struct Lane<T: RealScalar> {
    @usableFromInline let isVariable: Bool
    @usableFromInline let isArray: Bool
    /// First variable (if `isVariable`) or first constant (arrays of constants).
    @usableFromInline let base: Int32
    /// The value of a scalar operand.
    @usableFromInline let scalar: T
    /// Length of an array operand, nil for a scalar.
    @usableFromInline let length: Int?

    @inlinable init(_ operand: Operand<T>, values: [T]) {
        switch operand {
        case .constant(let c):
            (isVariable, isArray, base, scalar, length) = (false, false, 0, c, nil)
        case .variable(let v):
            (isVariable, isArray, base) = (true, false, v.raw)
            (scalar, length) = (values[Int(v.raw)], nil)
        case .constants(let r):
            (isVariable, isArray, base, scalar, length) = (false, true, r.start, T(0), Int(r.count))
        case .variables(let r):
            (isVariable, isArray, base, scalar, length) = (true, true, r.start, T(0), r.count)
        }
    }

    @inlinable init(isVariable: Bool, isArray: Bool, base: Int32, scalar: T, length: Int?) {
        (self.isVariable, self.isArray, self.base, self.scalar, self.length) = (isVariable, isArray, base, scalar, length)
    }

    /// Element k's value.
    @inlinable func value(_ k: Int, _ w: NodeWriter<T>) -> T {
        guard isArray else { return scalar }
        let i = base + Int32(truncatingIfNeeded: k)
        return isVariable ? w.value(i) : w.constant(i)
    }

    /// Element k's variable (only meaningful when `isVariable`).
    @inlinable func source(_ k: Int) -> Int32 {
        isArray ? base + Int32(truncatingIfNeeded: k) : base
    }
}

extension Tape {
    /// An operand's lane, reading a scalar variable's value in place (`Lane(_:values:)` would
    /// take the value buffer as an argument: a retain and a release per operand).
    @inlinable func lane(_ operand: Operand<T>) -> Lane<T> {
        switch operand {
        case .constant(let c): return Lane(isVariable: false, isArray: false, base: 0, scalar: c, length: nil)
        case .variable(let v):
            return Lane(isVariable: true, isArray: false, base: v.raw, scalar: valueStore[Int(v.raw)], length: nil)
        case .constants(let r):
            return Lane(isVariable: false, isArray: true, base: r.start, scalar: T(0), length: Int(r.count))
        case .variables(let r):
            return Lane(isVariable: true, isArray: true, base: r.start, scalar: T(0), length: r.count)
        }
    }

    /// `f` applied to every element of `x`: one node, `x.count` edges.
    @inlinable public mutating func apply(_ f: UnaryFunction, to x: VarRange) -> VarRange {
        let n = x.count
        return withNode(outputs: n, edges: n) { w in
            for k in 0 ..< n {
                let input = x.start + Int32(truncatingIfNeeded: k)
                let (v, d) = f.valueAndDerivative(w.value(input))
                w.setOutput(k, v)
                w.edge(k, from: input, toOutput: k, partial: d)
            }
        }
    }

    /// `f(x)` for a scalar variable.
    @inlinable public mutating func apply(_ f: UnaryFunction, to x: VarIndex) -> VarIndex {
        let (v, d) = f.valueAndDerivative(value(of: x))
        return push(v, x, d)
    }

    /// `f(a[k], b[k])` for every k, broadcasting scalars: one node with one edge per
    /// element of each variable operand. Array operands must have equal lengths; if both are
    /// scalars the result has one element. Two constants give a constant-valued output.
    @inlinable public mutating func apply(
        _ f: BinaryFunction, _ a: Operand<T>, _ b: Operand<T>
    ) -> VarRange {
        let la = lane(a), lb = lane(b)
        if let na = la.length, let nb = lb.length {
            precondition(na == nb, "elementwise operands differ in length")
        }
        let n = la.length ?? lb.length ?? 1
        // One specialised loop per function: the switch on `f` stays outside the element loop
        // (a closure parameter would not be inlined reliably; a generic kernel type is).
        switch f {
        case .add: return zipNode(la, lb, n, Kernel<AddTag>.self)
        case .subtract: return zipNode(la, lb, n, Kernel<SubtractTag>.self)
        case .multiply: return zipNode(la, lb, n, Kernel<MultiplyTag>.self)
        case .divide: return zipNode(la, lb, n, Kernel<DivideTag>.self)
        case .pow: return zipNode(la, lb, n, Kernel<PowTag>.self)
        }
    }

    /// The broadcast loop of a binary node: edges of `a` in slots `0 ..< n` (if variable),
    /// then those of `b`.
    @inlinable mutating func zipNode<K: BinaryKernel>(
        _ la: Lane<T>, _ lb: Lane<T>, _ n: Int, _ kernel: K.Type
    ) -> VarRange {
        let bSlots = la.isVariable ? n : 0
        let edges = bSlots + (lb.isVariable ? n : 0)
        return withNode(outputs: n, edges: edges) { w in
            // The common operand kinds get a loop of their own (the kind tests out of the
            // loop); every loop computes and writes exactly what the generic one does.
            switch (la.isArray, la.isVariable, lb.isArray, lb.isVariable) {
            case (false, true, true, true):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: false, aVariable: true, bArray: true, bVariable: true)
            case (false, false, true, true):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: false, aVariable: false, bArray: true, bVariable: true)
            case (true, true, false, true):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: true, aVariable: true, bArray: false, bVariable: true)
            case (true, true, false, false):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: true, aVariable: true, bArray: false, bVariable: false)
            case (true, true, true, true):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: true, aVariable: true, bArray: true, bVariable: true)
            case (true, false, true, true):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: true, aVariable: false, bArray: true, bVariable: true)
            case (true, true, true, false):
                Self.zipLoop(la, lb, n, bSlots, w, K.self, aArray: true, aVariable: true, bArray: true, bVariable: false)
            default:
                for k in 0 ..< n {
                    let (v, da, db) = K.evaluate(la.value(k, w), lb.value(k, w))
                    w.setOutput(k, v)
                    if la.isVariable { w.edge(k, from: la.source(k), toOutput: k, partial: da) }
                    if lb.isVariable { w.edge(bSlots + k, from: lb.source(k), toOutput: k, partial: db) }
                }
            }
        }
    }

    /// The loop of `zipNode` with the operand kinds as arguments, inlined at each call with
    /// constant kinds: `Lane.value` and `Lane.source` without their tests per element.
    @inlinable @inline(__always) static func zipLoop<K: BinaryKernel>(
        _ la: Lane<T>, _ lb: Lane<T>, _ n: Int, _ bSlots: Int, _ w: NodeWriter<T>, _ kernel: K.Type,
        aArray: Bool, aVariable: Bool, bArray: Bool, bVariable: Bool
    ) {
        for k in 0 ..< n {
            let i = Int32(truncatingIfNeeded: k)
            let x = aArray ? (aVariable ? w.value(la.base + i) : w.constant(la.base + i)) : la.scalar
            let y = bArray ? (bVariable ? w.value(lb.base + i) : w.constant(lb.base + i)) : lb.scalar
            let (v, da, db) = K.evaluate(x, y)
            w.setOutput(k, v)
            if aVariable { w.edge(k, from: aArray ? la.base + i : la.base, toOutput: k, partial: da) }
            if bVariable { w.edge(bSlots + k, from: bArray ? lb.base + i : lb.base, toOutput: k, partial: db) }
        }
    }

    /// `f(a, b)` for two scalar variables.
    @inlinable public mutating func apply(
        _ f: BinaryFunction, _ a: VarIndex, _ b: VarIndex
    ) -> VarIndex {
        let (v, da, db) = f.valueAndPartials(value(of: a), value(of: b))
        return push(v, a, da, b, db)
    }

    /// `f(a, b)` for scalar operands, constant or variable.
    @inlinable public mutating func apply(
        _ f: BinaryFunction, scalars a: Operand<T>, _ b: Operand<T>
    ) -> VarIndex {
        let out = apply(f, a, b)
        precondition(out.count == 1, "apply(_:scalars:_:) takes scalar operands")
        return out[0]
    }
}

// MARK: - Binary kernels (static dispatch for the element loops)

/// A binary function as a type, so `zipNode` is specialised per function.
@usableFromInline protocol BinaryKernel {
    static func evaluate<T: RealScalar>(_ a: T, _ b: T) -> (T, T, T)
}

/// Tags naming each `BinaryFunction` case at the type level.
@usableFromInline enum AddTag {}
@usableFromInline enum SubtractTag {}
@usableFromInline enum MultiplyTag {}
@usableFromInline enum DivideTag {}
@usableFromInline enum PowTag {}

/// The kernel of the function named by `Tag`: `BinaryFunction.valueAndPartials` with the
/// case fixed at compile time.
@usableFromInline enum Kernel<Tag>: BinaryKernel {
    @inlinable @inline(__always)
    static func evaluate<T: RealScalar>(_ a: T, _ b: T) -> (T, T, T) {
        let f: BinaryFunction
        switch Tag.self {
        case is AddTag.Type: f = .add
        case is SubtractTag.Type: f = .subtract
        case is MultiplyTag.Type: f = .multiply
        case is DivideTag.Type: f = .divide
        default: f = .pow
        }
        let r = f.valueAndPartials(a, b)
        return (r.value, r.da, r.db)
    }
}
