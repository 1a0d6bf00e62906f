// The reduction `for k in lo..hi { v = v + f * g }` (KernelReduction) with its factors resolved
// once before the first step: a parameter element becomes a tape-variable base, a data element a
// pool base, a `var` element its cells, and an index affine in the counter t ± k + c becomes
// c′ ± step, checked to stay in range at the loop's two ends (it is monotone). The steps then read
// their operands without an enum switch on the parameter, without a range check and without
// re-deriving the index. An index it cannot resolve so (two-dimensional or computed) or one that
// leaves the range at an end runs the general reduction, which gives up exactly as before.
import SynmAutodiff
import SynmMath

/// A reduction factor resolved for a run of steps.
struct ResolvedFactor<T: RealScalar> {
    /// 0: a fixed value (a register); 1: pool element; 2: tape variable; 3: a `var` cell.
    var kind: UInt8
    var fixedValue = T(0)
    var fixedSource: Int32 = -1
    var base = 0
    var cells: UnsafeMutablePointer<Cell>? = nil
    /// Element (0-based) at a step: offset + slope × step.
    var offset = 0
    var slope = 0
}

extension Cell {
    /// The cell as a kernel operand: its value and tape variable (−1: a constant); nil when
    /// unassigned.
    @inline(__always)
    func operand<T: RealScalar>(_ tapeValues: UnsafePointer<T>) -> (T, Int32)? {
        switch self {
        case .unassigned: return nil
        case .constant(let x): return (T(x), -1)
        case .variable(let v): return (tapeValues[Int(v.raw)], v.raw)
        }
    }
}

extension Evaluator {
    /// `f` resolved for steps lo...hi of the reduction with counter register `counter`; nil when
    /// the general path must run it.
    @inline(__always)
    static func resolve(_ f: KernelFactor, counter: Int32, lo: Int, hi: Int, _ value: UnsafeMutablePointer<T>,
                        _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                        _ parameters: [RV]) -> ResolvedFactor<T>? {
        if f.kind == .register {
            return ResolvedFactor(kind: 0, fixedValue: value[Int(f.a)], fixedSource: source[Int(f.a)])
        }
        let x = f.index
        guard x.signs & (KernelInstruction.twoDimensional | KernelInstruction.checked) == 0 else { return nil }
        var offset = Int(x.k) - 1, slope = 0
        @inline(__always) func add(_ register: Int32, _ minus: Bool) {
            guard register >= 0 else { return }
            if register == counter {
                slope += minus ? -1 : 1
            } else {
                offset += minus ? -locals.ints[Int(register)] : locals.ints[Int(register)]
            }
        }
        add(x.a, x.signs & 1 != 0)
        add(x.b, x.signs & 2 != 0)
        let first = offset + slope * lo, last = offset + slope * hi
        guard first >= 0, first < Int(f.size), last >= 0, last < Int(f.size) else { return nil }
        var r = ResolvedFactor<T>(kind: 1, offset: offset, slope: slope)
        switch f.kind {
        case .poolElement:
            r.base = Int(f.a)
        case .parameterElement:
            switch parameters[Int(f.a)] {
            case .variables(let range, _, _):
                r.kind = 2
                r.base = Int(range.start)
            case .constants(let c):
                r.base = Int(c.start)
            default: return nil
            }
        case .cell:
            r.kind = 3
            r.cells = locals.cells[Int(f.a)]
        case .register:
            return nil
        }
        return r
    }

    /// A resolved factor's value and tape variable (−1: a constant) at `step`; nil for an
    /// unassigned element.
    @inline(__always)
    static func read(_ r: ResolvedFactor<T>, _ step: Int, _ tapeValues: UnsafePointer<T>,
                     _ pool: UnsafeBufferPointer<Double>) -> (T, Int32)? {
        let e = r.offset &+ r.slope &* step
        switch r.kind {
        case 0: return (r.fixedValue, r.fixedSource)
        case 1: return (T(pool[r.base &+ e]), -1)
        case 2:
            let v = Int32(truncatingIfNeeded: r.base &+ e)
            return (tapeValues[Int(v)], v)
        default:
            return r.cells![e].operand(tapeValues)
        }
    }

    /// The reduction with resolved factors; nil when the general `reduction` must run it.
    @inline(never)
    static func fastReduction(_ red: KernelReduction, _ value: UnsafeMutablePointer<T>,
                              _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                              _ cursor: inout TapeCursor<T>, _ tapeValues: UnsafePointer<T>, _ parameters: [RV],
                              _ pool: UnsafeBufferPointer<Double>) -> KernelExit? {
        let lo = value[Int(red.lo)].value, hi = value[Int(red.hi)].value
        guard source[Int(red.lo)] == -1, source[Int(red.hi)] == -1, lo.isFinite, hi.isFinite,
              Swift.abs(lo) <= 0x1p53, Swift.abs(hi) <= 0x1p53 else { return nil }
        let local = Int(red.local), base = local * localCapacity
        let state = locals.state[local]
        if state == -1 { return nil }
        let first = Int(lo), last = Int(hi)
        let steps = last >= first ? last - first + 1 : 0
        guard steps <= Self.maxTapeVariables else { return nil }
        guard steps > 0 else { return .done }
        guard let f = Self.resolve(red.f, counter: red.counter, lo: first, hi: last, value, source, locals, parameters),
              let g = Self.resolve(red.g, counter: red.counter, lo: first, hi: last, value, source, locals, parameters)
        else { return nil }
        // Room for its nodes as in `reduction`: at most one node per 7 steps, plus one.
        let nodes = 2 * steps / (localCapacity - 2) + 1
        guard cursor.hasRoom(variables: nodes, edges: nodes * localCapacity) else {
            return .needsRoom(nodes, nodes * localCapacity)
        }
        var n = state == 2 ? 0 : Int(locals.count[local])
        var plain = state == 1
        var total = locals.value[local]
        let from = locals.from + base, partial = locals.partial + base
        // A parameter's elements times data (an autoregression's coefficients times lagged
        // observations), either way round: one pair per step, no switch.
        if (f.kind == 2 && g.kind == 1) || (f.kind == 1 && g.kind == 2) {
            let v = f.kind == 2 ? f : g, d = f.kind == 2 ? g : f
            let variableFirst = f.kind == 2
            for step in first...last {
                let variable = Int32(truncatingIfNeeded: v.base &+ v.offset &+ v.slope &* step)
                let x = T(pool[d.base &+ d.offset &+ d.slope &* step]), y = tapeValues[Int(variable)]
                if n + 1 > localCapacity {
                    let out = cursor.pushNode(total, count: n, inputs: from, partials: partial)
                    from[0] = out.raw
                    partial[0] = 1
                    n = 1
                }
                total += variableFirst ? y * x : x * y
                from[n] = variable
                partial[n] = x
                n += 1
            }
            locals.value[local] = total
            locals.count[local] = Int32(n)
            locals.state[local] = 0
            return .done
        }
        for step in first...last {
            guard let (fv, fs) = Self.read(f, step, tapeValues, pool), let (gv, gs) = Self.read(g, step, tapeValues, pool)
            else { return .gaveUp }
            if n + 2 > localCapacity, fs >= 0 || gs >= 0 {
                let out = cursor.pushNode(total, count: n, inputs: from, partials: partial)
                from[0] = out.raw
                partial[0] = 1
                n = 1
            }
            total += fv * gv
            if fs >= 0 {
                from[n] = fs
                partial[n] = gv
                n += 1
                plain = false
            }
            if gs >= 0 {
                from[n] = gs
                partial[n] = fv
                n += 1
                plain = false
            }
        }
        locals.value[local] = total
        locals.count[local] = Int32(n)
        locals.state[local] = n == 0 ? 2 : plain ? 1 : 0
        return .done
    }
}
