// `var` arrays read in place by a `~` term, and the row loops of the normal density with a
// scalar location (the time-series shape: `err ~ normal(0, sigma)`, `y ~ normal(mu, sigma)`
// with sigma a `var` array filled by a loop).
//
// A `var` array's cells are tape variables scattered over the tape (a loop kernel writes
// `nu[t]` and `err[t]` in turn) or constants. Read as an expression, they are copied into one
// contiguous node with an identity edge per variable (`Evaluator.load`). A density operand
// that is a whole rank-1 `var` array is instead *gathered*: the cells' tape variables are
// listed in `cellGather` (constant cells first become the outputs of one node without edges),
// and the term's node takes its edges straight from them — no copy node, no identity edges
// to replay backward. Gradients are the same numbers: the copy's edges had partial 1.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

extension Evaluator {
    /// When `ir` is a whole rank-1 `var` array: its cells gathered (their tape variables from
    /// `start` on in `cellGather`) and a stand-in runtime value that carries only the array's
    /// size (`ungathered` gives the real value, for messages). nil for any other expression.
    /// An unassigned cell fails exactly as reading the array does.
    @inline(__always) mutating func gatheredCells(_ ir: IRExpr, _ start: inout Int32) -> RV? {
        guard readsCellsInPlace, case .variable(let slot, let span) = ir else { return nil }
        return gatherCells(slot, span, &start)
    }

    /// `gatheredCells` for `var` slot `slot` (nil unless it is of rank 1 and not empty).
    mutating func gatherCells(_ slot: Int, _ span: SourceSpan, _ start: inout Int32) -> RV? {
        let count = program.variables[slot].count
        guard program.variables[slot].shape.count == 1, count > 0 else { return nil }
        let top = cellGatherTop
        if cellGather.count < top + count {
            cellGather.append(contentsOf: repeatElement(0, count: top + count - cellGather.count))
        }
        let column = cells[slot]
        var gather = cellGather
        cellGather = []
        var constants = 0, firstConstant = count
        var complete = true
        column.withUnsafeBufferPointer { c in
            gather.withUnsafeMutableBufferPointer { g in
                let c = c.baseAddress.unsafelyUnwrapped, g = g.baseAddress.unsafelyUnwrapped + top
                for k in 0..<count {
                    switch c[k] {
                    case .variable(let i): g[k] = i.raw
                    case .constant:
                        g[k] = -1
                        if constants == 0 { firstConstant = k }
                        constants &+= 1
                    case .unassigned:
                        complete = false
                        return
                    }
                }
            }
        }
        if complete, constants > 0 {
            // The constant cells as the outputs of one node without edges, in order; their
            // places in the gather get the outputs' tape variables.
            let node = column.withUnsafeBufferPointer { c in
                tape.withNode(outputs: constants, edges: 0) { w in
                    var j = 0, k = firstConstant
                    while j < constants {
                        if case .constant(let x) = c[k] {
                            w.setOutput(j, T(x))
                            j &+= 1
                        }
                        k &+= 1
                    }
                }
            }
            gather.withUnsafeMutableBufferPointer { g in
                var j: Int32 = 0, k = top + firstConstant
                while j < Int32(truncatingIfNeeded: constants) {
                    if g[k] < 0 {
                        g[k] = node.start &+ j
                        j &+= 1
                    }
                    k &+= 1
                }
            }
        }
        cellGather = gather
        guard complete else {
            // Reading the array reports the first unassigned element, located.
            return load(slot, offset: 0, count: count, shape: program.variables[slot].shape[...], span: span)
        }
        cellGatherTop = top + count
        cellReads &+= 1
        start = Int32(truncatingIfNeeded: top)
        return .variables(VarRange(start: 0, length: Int32(truncatingIfNeeded: count)),
                          rows: Int32(truncatingIfNeeded: count), columns: 0)
    }

    /// Argument i of a density call: gathered when it is a whole `var` array, else as
    /// `argument` evaluates it (scalar 0 when the call has fewer arguments).
    @inline(__always) mutating func densityArgument(_ call: DensityCall, _ i: Int, _ start: inout Int32) -> (RV, RV?) {
        guard i < call.args.count else { return (.scalar(0), nil) }
        if let v = gatheredCells(call.args[i], &start) { return (v, nil) }
        return argument(call.args[i])
    }

    /// The lanes of the gathered operands (their cells pointers are set when the node is written).
    func gatheredLanes(_ lanes: inout (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ g: (Int32, Int32, Int32, Int32)) {
        if g.0 >= 0 { lanes.0 = Lane(kind: .gathered, base: g.0, scalar: 0) }
        if g.1 >= 0 { lanes.1 = Lane(kind: .gathered, base: g.1, scalar: 0) }
        if g.2 >= 0 { lanes.2 = Lane(kind: .gathered, base: g.2, scalar: 0) }
        if g.3 >= 0 { lanes.3 = Lane(kind: .gathered, base: g.3, scalar: 0) }
    }

    /// The operands with each gathered one read as an expression (failure paths only: the
    /// messages read element values).
    mutating func ungathered(_ call: DensityCall, _ g: (Int32, Int32, Int32, Int32),
                             _ y: RV, _ a: RV, _ b: RV, _ c: RV) -> (RV, RV, RV, RV) {
        (g.0 >= 0 ? evaluate(call.variate) : y, g.1 >= 0 ? evaluate(call.args[0]) : a,
         g.2 >= 0 ? evaluate(call.args[1]) : b, g.3 >= 0 ? evaluate(call.args[2]) : c)
    }

    // MARK: - normal with a scalar location

    /// `normal` rows with μ and σ scalars (1/σ in lane b and log σ in lane c, as
    /// `NormalHoistedSigmaRow`) and an array variate; nil when the lanes have another shape.
    /// The same arithmetic as `rows(NormalHoistedSigmaRow.self, …)`, in the same order, so the
    /// same bits; without its per-row switches over the lanes' kinds.
    static func normalRowsScalarScale(_ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T,
                                      _ writer: NodeWriter<T>, _ failed: inout RowFailure) -> T? {
        guard !l.1.isArray, !l.2.isArray, !l.3.isArray, l.1.offsetBase < 0, l.2.offsetBase < 0,
              l.3.offsetBase < 0 else { return nil }
        switch l.0.kind {
        case .constants: return normalScalarScale(ConstantRows.self, l, n, w, writer, &failed)
        case .variables: return normalScalarScale(VariableRows.self, l, n, w, writer, &failed)
        case .gathered: return normalScalarScale(GatheredRows.self, l, n, w, writer, &failed)
        case .scalar, .scalarVariable: return nil
        }
    }

    @inline(__always)
    static func normalScalarScale<Y: RowRead>(_ y: Y.Type, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int,
                                              _ w: T, _ writer: NodeWriter<T>, _ failed: inout RowFailure) -> T {
        let mu = l.1.scalar, invSigma = l.2.scalar, logSigma = l.3.scalar
        let yOffset = l.0.offset
        var total = T(0), sa = T(0), sb = T(0)
        for k in 0..<n {
            let z = (Y.value(l.0, k, writer) + yOffset - mu) * invSigma
            total += -0.5 * z * z - logSigma - T(halfLog2Pi)
            if Y.hasEdges { writer.edge(k, from: Y.source(l.0, k), toOutput: 0, partial: -z * invSigma * w) }
            sa += z * invSigma
            sb += (z * z - 1) * invSigma
        }
        if !total.value.isFinite {
            for k in 0..<n {
                let z = (Y.value(l.0, k, writer) + yOffset - mu) * invSigma
                if !(-0.5 * z * z - logSigma - T(halfLog2Pi)).value.isFinite {
                    failed = .notFinite(k)
                    return total
                }
            }
            failed = .notFinite(0)
            return total
        }
        var slot = Y.hasEdges ? n : 0
        if l.1.kind == .scalarVariable { writer.edge(slot, from: l.1.base, toOutput: 0, partial: sa * w); slot += 1 }
        if l.2.kind == .scalarVariable { writer.edge(slot, from: l.2.base, toOutput: 0, partial: sb * w) }
        return total
    }

    /// `normal` rows with μ a scalar and σ an array (each σ checked positive and finite, as
    /// the generic loop does); nil for other shapes. The arithmetic of `Kernels.normal`, in
    /// the same order as `rows(NormalRow.self, …)`.
    static func normalRowsArrayScale(_ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T,
                                     _ domains: [ArgumentDomain], _ writer: NodeWriter<T>,
                                     _ failed: inout RowFailure) -> T? {
        guard l.0.isArray, !l.1.isArray, l.2.isArray, !l.3.isArray, l.1.offsetBase < 0, l.2.offsetBase < 0,
              l.3.offsetBase < 0, domains.count == 2, domains[0] == .finite, domains[1] == .positive else { return nil }
        switch (l.0.kind, l.2.kind) {
        case (.constants, .variables): return normalArrayScale(ConstantRows.self, VariableRows.self, l, n, w, writer, &failed)
        case (.constants, .gathered): return normalArrayScale(ConstantRows.self, GatheredRows.self, l, n, w, writer, &failed)
        case (.constants, .constants): return normalArrayScale(ConstantRows.self, ConstantRows.self, l, n, w, writer, &failed)
        case (.variables, .variables): return normalArrayScale(VariableRows.self, VariableRows.self, l, n, w, writer, &failed)
        case (.variables, .gathered): return normalArrayScale(VariableRows.self, GatheredRows.self, l, n, w, writer, &failed)
        case (.variables, .constants): return normalArrayScale(VariableRows.self, ConstantRows.self, l, n, w, writer, &failed)
        case (.gathered, .variables): return normalArrayScale(GatheredRows.self, VariableRows.self, l, n, w, writer, &failed)
        case (.gathered, .gathered): return normalArrayScale(GatheredRows.self, GatheredRows.self, l, n, w, writer, &failed)
        case (.gathered, .constants): return normalArrayScale(GatheredRows.self, ConstantRows.self, l, n, w, writer, &failed)
        default: return nil
        }
    }

    @inline(__always)
    static func normalArrayScale<Y: RowRead, S: RowRead>(
        _ y: Y.Type, _ s: S.Type, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T,
        _ writer: NodeWriter<T>, _ failed: inout RowFailure
    ) -> T {
        let mu = l.1.scalar
        let yOffset = l.0.offset, sigmaOffset = l.2.offset
        // Edge slots: the variate's rows, then σ's rows, then μ (as `rows`).
        let sigmaSlot = Y.hasEdges ? n : 0
        var total = T(0), sa = T(0)
        for k in 0..<n {
            let sigma = S.value(l.2, k, writer) + sigmaOffset
            // σ > 0 and finite (σ − σ is 0 exactly when σ is finite), as `satisfies(.positive, …)`.
            let sv = sigma.value
            guard sv > 0, sv - sv == 0 else {
                failed = .invalidArguments(k)
                return T(-.infinity)
            }
            let invSigma = 1 / sigma
            let z = (Y.value(l.0, k, writer) + yOffset - mu) * invSigma
            total += -0.5 * z * z - T.log(sigma) - T(halfLog2Pi)
            if Y.hasEdges { writer.edge(k, from: Y.source(l.0, k), toOutput: 0, partial: -z * invSigma * w) }
            sa += z * invSigma
            if S.hasEdges {
                writer.edge(sigmaSlot &+ k, from: S.source(l.2, k), toOutput: 0, partial: (z * z - 1) * invSigma * w)
            }
        }
        if !total.value.isFinite {
            for k in 0..<n {
                let sigma = S.value(l.2, k, writer) + sigmaOffset
                let z = (Y.value(l.0, k, writer) + yOffset - mu) * (1 / sigma)
                if !(-0.5 * z * z - T.log(sigma) - T(halfLog2Pi)).value.isFinite {
                    failed = .notFinite(k)
                    return total
                }
            }
            failed = .notFinite(0)
            return total
        }
        if l.1.kind == .scalarVariable {
            writer.edge(sigmaSlot + (S.hasEdges ? n : 0), from: l.1.base, toOutput: 0, partial: sa * w)
        }
        return total
    }
}

/// How a row loop reads an array lane, as a type (so the loop is specialised per kind).
protocol RowRead {
    /// Whether the lane's rows are tape variables (one edge per row).
    static var hasEdges: Bool { get }
    /// Row k's value (without the lane's offset).
    static func value<T: RealScalar>(_ l: Lane<T>, _ k: Int, _ w: NodeWriter<T>) -> T
    /// Row k's tape variable (lanes with edges only).
    static func source<T: RealScalar>(_ l: Lane<T>, _ k: Int) -> Int32
}

/// Data in the constant pool.
enum ConstantRows: RowRead {
    static var hasEdges: Bool { false }
    @inline(__always) static func value<T: RealScalar>(_ l: Lane<T>, _ k: Int, _ w: NodeWriter<T>) -> T {
        w.constant(l.base &+ Int32(truncatingIfNeeded: k))
    }
    @inline(__always) static func source<T: RealScalar>(_ l: Lane<T>, _ k: Int) -> Int32 { -1 }
}

/// Consecutive tape variables.
enum VariableRows: RowRead {
    static var hasEdges: Bool { true }
    @inline(__always) static func value<T: RealScalar>(_ l: Lane<T>, _ k: Int, _ w: NodeWriter<T>) -> T {
        w.value(l.base &+ Int32(truncatingIfNeeded: k))
    }
    @inline(__always) static func source<T: RealScalar>(_ l: Lane<T>, _ k: Int) -> Int32 {
        l.base &+ Int32(truncatingIfNeeded: k)
    }
}

/// The gathered cells of a `var` array.
enum GatheredRows: RowRead {
    static var hasEdges: Bool { true }
    @inline(__always) static func value<T: RealScalar>(_ l: Lane<T>, _ k: Int, _ w: NodeWriter<T>) -> T {
        w.value(l.cells.unsafelyUnwrapped[k])
    }
    @inline(__always) static func source<T: RealScalar>(_ l: Lane<T>, _ k: Int) -> Int32 {
        l.cells.unsafelyUnwrapped[k]
    }
}
