// Running a loop kernel (LoopKernel.swift) on the evaluator's tape. Registers hold T values;
// a register's source is −1 (a constant), −2 (computed from tape variables inside the current
// statement) or a tape variable (a leaf that read one). Per register four local partials
// (∂dst/∂operand) and an adjoint for the statement's reverse sweep. All scratch storage is
// kept by the evaluator and reused: a warm run allocates nothing.
import SynmAutodiff
import SynmDistributions
import SynmMath

/// The evaluator's reusable scratch for kernels.
struct KernelScratch<T: RealScalar> {
    /// 6 × registers: values, partials 0–3, adjoints.
    var work: [T] = []
    var sources: [Int32] = []
    /// The accumulated `~`/`target +=` terms of the loop: one edge per variable a term read.
    var termFrom: [Int32] = []
    var termPartial: [T] = []
    /// Per tape variable created before the kernel: its slot in `termFrom` (−1: none yet), so a
    /// variable that many terms read (a parameter) gets one edge with its partials summed.
    var termSlot: [Int32] = []
    /// The summed partial of each such variable (zero outside a run).
    var termDense: [T] = []
    /// Locals: value, state (−1 unassigned, 0 pending, 1 one tape variable, 2 constant) and
    /// the pending linear combination (tape variable, partial), `localCapacity` per local.
    var localValue: [T] = []
    var localState: [Int32] = []
    var localCount: [Int32] = []
    var localFrom: [Int32] = []
    var localPartial: [T] = []
    /// A node's edges while they are gathered (statement leaves × `localCapacity`).
    var edgeFrom: [Int32] = []
    var edgePartial: [T] = []
    /// Per register: a loop counter's value as an integer (affine indices count in integers).
    var ints: [Int] = []
}

/// How a run of a kernel's instructions ended: done, gave up (the tree walker reruns the
/// evaluation), or stopped before an instruction whose nodes the tape has no room for (the
/// tape grows and the run resumes at that instruction).
enum KernelExit {
    case done
    case gaveUp
    case needsRoom(Int, Int)
}

/// The most (variable, partial) pairs a local carries before it is written to the tape as a node.
let localCapacity = 16

/// Pointers into the scratch of a kernel's locals and term slots during one run.
struct KernelLocals<T: RealScalar> {
    var value: UnsafeMutablePointer<T>
    var state: UnsafeMutablePointer<Int32>
    var count: UnsafeMutablePointer<Int32>
    var from: UnsafeMutablePointer<Int32>
    var partial: UnsafeMutablePointer<T>
    var termSlot: UnsafeMutablePointer<Int32>
    var termDense: UnsafeMutablePointer<T>
    var edgeFrom: UnsafeMutablePointer<Int32>
    var edgePartial: UnsafeMutablePointer<T>
    var ints: UnsafeMutablePointer<Int>
    /// The cells of the kernel's var slots, by slot.
    var cells: UnsafeMutablePointer<UnsafeMutablePointer<Cell>?>
    /// Tape variables before the kernel started.
    var before: Int32
}

extension Evaluator {
    /// Runs kernel `k` in place of its `for` statement. False when it gave up (an index out of
    /// range, an element read before it is assigned, invalid arguments, a non-finite density,
    /// the tape limit): the caller then evaluates the model again without kernels, so that the
    /// tree-walking evaluator reports the error exactly as it always has.
    mutating func runKernel(_ k: KernelProgram) -> Bool {
        // The var slots the kernel touches are moved out of `cells` and opened as buffers for
        // the whole run: one uniqueness check per slot and run, not per element written.
        // The table (a base per var slot) is a temporary allocation: on the stack when small.
        let ok = withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Cell>?.self, capacity: Swift.max(cells.count, 1)) { t in
            t.initialize(repeating: nil)
            return openCells(k.cellSlots, 0, t.baseAddress!) { $0.runKernel(k, cells: t.baseAddress!) }
        }
        if ok { kernelRuns += 1 }
        return ok
    }

    /// Runs `body` with the cells of `slots[n...]` moved out of `cells` and their bases in `table`.
    mutating func openCells(_ slots: [Int], _ n: Int, _ table: UnsafeMutablePointer<UnsafeMutablePointer<Cell>?>,
                            _ body: (inout Self) -> Bool) -> Bool {
        if n == slots.count { return body(&self) }
        let slot = slots[n]
        var column = cells[slot]
        cells[slot] = []
        let ok = column.withUnsafeMutableBufferPointer { p in
            table[slot] = p.baseAddress
            return openCells(slots, n + 1, table, body)
        }
        table[slot] = nil
        cells[slot] = column
        return ok
    }

    mutating func runKernel(_ k: KernelProgram, cells cellTable: UnsafeMutablePointer<UnsafeMutablePointer<Cell>?>) -> Bool {
        let r = k.registers
        // Swapped out, not copied: a copy would retain and release every scratch array.
        var scratch = KernelScratch<T>()
        swap(&scratch, &kernelScratch)
        if scratch.work.count < 6 * r { scratch.work = [T](repeating: 0, count: 6 * r) }
        if scratch.sources.count < r { scratch.sources = [Int32](repeating: -1, count: r) }
        if scratch.ints.count < r { scratch.ints = [Int](repeating: 0, count: r) }
        scratch.termFrom.removeAll(keepingCapacity: true)
        scratch.termPartial.removeAll(keepingCapacity: true)
        var termValue = T(0)
        var termConstant = 0.0
        var from = scratch.termFrom, partial = scratch.termPartial
        scratch.termFrom = []
        scratch.termPartial = []
        let before = tape.variableCount
        if scratch.termSlot.count < before {
            scratch.termSlot.append(contentsOf: repeatElement(-1, count: before - scratch.termSlot.count))
            scratch.termDense.append(contentsOf: repeatElement(0, count: before - scratch.termDense.count))
        }
        let l = Swift.max(k.locals, 1)
        if scratch.localState.count < l {
            scratch.localValue = [T](repeating: 0, count: l)
            scratch.localState = [Int32](repeating: -1, count: l)
            scratch.localCount = [Int32](repeating: 0, count: l)
            scratch.localFrom = [Int32](repeating: 0, count: l * localCapacity)
            scratch.localPartial = [T](repeating: 0, count: l * localCapacity)
        }
        let edges = Swift.max(k.maxLeaves, 1) * localCapacity
        if scratch.edgeFrom.count < edges {
            scratch.edgeFrom = [Int32](repeating: 0, count: edges)
            scratch.edgePartial = [T](repeating: 0, count: edges)
        }
        // The tape is moved out for the run: the kernel writes it through a cursor (one
        // opening of its buffers per run, not four uniqueness checks per node).
        var tapeOut = Tape<T>()
        swap(&tapeOut, &tape)
        let ok = scratch.work.withUnsafeMutableBufferPointer { work in
            scratch.sources.withUnsafeMutableBufferPointer { sources in
                k.code.withUnsafeBufferPointer { code in
                    k.statements.withUnsafeBufferPointer { statements in
                        k.leaves.withUnsafeBufferPointer { leaves in
                            k.domains.withUnsafeBufferPointer { domains in
                                scratch.termSlot.withUnsafeMutableBufferPointer { slots in
                                  scratch.termDense.withUnsafeMutableBufferPointer { dense in
                                    scratch.localValue.withUnsafeMutableBufferPointer { lv in
                                        scratch.localState.withUnsafeMutableBufferPointer { ls in
                                            scratch.localCount.withUnsafeMutableBufferPointer { lc in
                                                scratch.localFrom.withUnsafeMutableBufferPointer { lf in
                                                    scratch.localPartial.withUnsafeMutableBufferPointer { lp in
                                                      scratch.edgeFrom.withUnsafeMutableBufferPointer { ef in
                                                        scratch.edgePartial.withUnsafeMutableBufferPointer { ep in
                                                        scratch.ints.withUnsafeMutableBufferPointer { ints in
                                                        let locals = KernelLocals(
                                                            value: lv.baseAddress!, state: ls.baseAddress!,
                                                            count: lc.baseAddress!, from: lf.baseAddress!,
                                                            partial: lp.baseAddress!, termSlot: slots.baseAddress!,
                                                            termDense: dense.baseAddress!,
                                                            edgeFrom: ef.baseAddress!, edgePartial: ep.baseAddress!,
                                                            ints: ints.baseAddress!, cells: cellTable,
                                                            before: Int32(truncatingIfNeeded: before))
                                                        // Resumed after growing the tape when an
                                                        // instruction finds no room for its node.
                                                        var pc = 0, room = (variables: 1, edges: edges)
                                                        while true {
                                                            let exit = tapeOut.withCursor(
                                                                reservingVariables: room.variables, edges: room.edges) { cursor in
                                                                withLinearTables(k) { linear in
                                                                    execute(k, code, statements, leaves, domains,
                                                                            work.baseAddress!, r, sources.baseAddress!, locals,
                                                                            &cursor, &pc, &from, &partial, &termValue, &termConstant,
                                                                            linear)
                                                                }
                                                            }
                                                            switch exit {
                                                            case .done: return true
                                                            case .gaveUp: return false
                                                            case .needsRoom(let v, let e):
                                                                kernelTapeGrowths += 1
                                                                room = (v, e)
                                                            }
                                                        }
                                                        }
                                                        }
                                                      }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                  }
                                }
                            }
                        }
                    }
                }
            }
        }
        swap(&tapeOut, &tape)
        // Summed partials of the variables from before the kernel into their edges; scratch reset.
        for q in from.indices where from[q] < Int32(truncatingIfNeeded: before) {
            let v = Int(from[q])
            partial[q] = scratch.termDense[v]
            scratch.termDense[v] = 0
            scratch.termSlot[v] = -1
        }
        if ok {
            constantTotal += termConstant
            if !from.isEmpty {
                let out = from.withUnsafeBufferPointer { f in
                    partial.withUnsafeBufferPointer { p in
                        tape.pushNode(termValue, count: f.count, inputs: f.baseAddress!, partials: p.baseAddress!)
                    }
                }
                terms.append(out)
            }
        }
        scratch.termFrom = from
        scratch.termPartial = partial
        swap(&scratch, &kernelScratch)
        return ok
    }

    static var expCode: UInt8 { 1 }
    static var logCode: UInt8 { 2 }
    static var sqrtCode: UInt8 { 5 }

    /// Whether x is a whole number (no libm call).
    @inline(__always) static func isWhole(_ x: Double) -> Bool {
        Swift.abs(x) < 0x1p52 ? Double(Int(x)) == x : x.isFinite
    }

    /// The 0-based flat offset of an element (see `KernelInstruction.twoDimensional`), or nil
    /// when an index is out of range, not whole, or not a constant.
    @inline(__always)
    static func kernelOffset(_ signs: UInt8, _ a: Int32, _ b: Int32, _ x: Double, _ k: Int32, _ n0: Int32, _ n1: Int32,
                      _ value: UnsafeMutablePointer<T>, _ source: UnsafeMutablePointer<Int32>,
                      _ ints: UnsafeMutablePointer<Int>) -> Int? {
        if signs & (KernelInstruction.twoDimensional | KernelInstruction.checked) == 0 {
            // Loop counters (whole, |counter| ≤ 2^53) and |k| ≤ 2^30: integer arithmetic.
            var v = Int(k)
            if a >= 0 { v = signs & 1 == 0 ? v &+ ints[Int(a)] : v &- ints[Int(a)] }
            if b >= 0 { v = signs & 2 == 0 ? v &+ ints[Int(b)] : v &- ints[Int(b)] }
            guard UInt(bitPattern: v &- 1) < UInt(bitPattern: Int(n0)) else { return nil }
            return v &- 1
        }
        return kernelOffsetComputed(signs, a, b, x, n0, n1, value, source)
    }

    /// `kernelOffset` for a two-dimensional or computed index (out of line: rarer).
    @inline(never)
    static func kernelOffsetComputed(_ signs: UInt8, _ a: Int32, _ b: Int32, _ x: Double, _ n0: Int32, _ n1: Int32,
                                     _ value: UnsafeMutablePointer<T>, _ source: UnsafeMutablePointer<Int32>) -> Int? {
        if signs & KernelInstruction.twoDimensional != 0 {
            let i = value[Int(a)].value, j = value[Int(b)].value
            guard source[Int(a)] == -1, source[Int(b)] == -1, i >= 1, i <= Double(n0), j >= 1, j <= Double(n1),
                  Self.isWhole(i), Self.isWhole(j) else { return nil }
            return (Int(i) - 1) * Int(n1) + Int(j) - 1
        }
        // A computed register: a constant, whole.
        guard source[Int(a)] == -1 else { return nil }
        let v = x + value[Int(a)].value
        guard Self.isWhole(v), v >= 1, v <= Double(n0) else { return nil }
        return Int(v) - 1
    }

    /// A reduction factor's value and tape variable (−1: a constant); nil on a bad index or an
    /// unassigned element. A static function, not a closure inside `execute`: it captures
    /// nothing, so it is inlined into the reduction's loop.
    @inline(__always)
    static func kernelFactor(_ f: KernelFactor, _ value: UnsafeMutablePointer<T>, _ source: UnsafeMutablePointer<Int32>,
                             _ locals: KernelLocals<T>, _ tapeValues: UnsafePointer<T>, _ parameters: [RV],
                             _ pool: [Double]) -> (T, Int32)? {
        switch f.kind {
        case .register:
            return (value[Int(f.a)], source[Int(f.a)])
        case .parameterElement:
            guard let e = Self.kernelOffset(f.index.signs, f.index.a, f.index.b, f.index.x, f.index.k, f.size, 0, value, source, locals.ints)
            else { return nil }
            switch parameters[Int(f.a)] {
            case .variables(let range, _, _):
                let v = VarIndex(raw: range.start + Int32(truncatingIfNeeded: e))
                return (tapeValues[Int(v.raw)], v.raw)
            case .constants(let c): return (T(pool[Int(c.start) + e]), -1)
            default: return nil
            }
        case .poolElement:
            guard let e = Self.kernelOffset(f.index.signs, f.index.a, f.index.b, f.index.x, f.index.k, f.size, 0, value, source, locals.ints)
            else { return nil }
            return (T(pool[Int(f.a) + e]), -1)
        case .cell:
            guard let e = Self.kernelOffset(f.index.signs, f.index.a, f.index.b, f.index.x, f.index.k, f.size, 0, value, source, locals.ints)
            else { return nil }
            return locals.cells[Int(f.a)]![e].operand(tapeValues)
        }
    }

    /// A reduction (`KernelReduction`) run as one instruction: `.done` when it completed. Out of
    /// line, so that its loop's registers do not crowd the interpreter's.
    @inline(never)
    static func reduction(_ red: KernelReduction, _ value: UnsafeMutablePointer<T>, _ source: UnsafeMutablePointer<Int32>,
                          _ locals: KernelLocals<T>, _ cursor: inout TapeCursor<T>, _ tapeValues: UnsafePointer<T>,
                          _ parameters: [RV], _ pool: [Double]) -> KernelExit {
        let lo = value[Int(red.lo)].value, hi = value[Int(red.hi)].value
        guard source[Int(red.lo)] == -1, source[Int(red.hi)] == -1, lo.isFinite, hi.isFinite,
              Swift.abs(lo) <= 0x1p53, Swift.abs(hi) <= 0x1p53 else { return .gaveUp }
        let local = Int(red.local), base = local * localCapacity
        let state = locals.state[local]
        if state == -1 { return .gaveUp }
        // Room for its nodes: a step adds at most two pairs, a node takes at most
        // localCapacity of them and leaves one, so at most one node per 7 steps, plus one.
        let steps = Int(hi) >= Int(lo) ? Int(hi) - Int(lo) + 1 : 0
        guard steps <= Self.maxTapeVariables else { return .gaveUp }
        let nodes = 2 * steps / (localCapacity - 2) + 1
        guard cursor.hasRoom(variables: nodes, edges: nodes * localCapacity) else {
            return .needsRoom(nodes, nodes * localCapacity)
        }
        // The local's pairs grow in place; full, they become one node and the local that node.
        var n = state == 2 ? 0 : Int(locals.count[local])
        var plain = state == 1
        var total = locals.value[local]
        let counter = Int(red.counter)
        source[counter] = -1
        var step = Int(lo)
        let last = Int(hi)
        while step <= last {
            value[counter] = T(Double(step))
            locals.ints[counter] = step
            guard let (fv, fs) = Self.kernelFactor(red.f, value, source, locals, tapeValues, parameters, pool),
                  let (gv, gs) = Self.kernelFactor(red.g, value, source, locals, tapeValues, parameters, pool)
            else { return .gaveUp }
            if n + 2 > localCapacity, fs >= 0 || gs >= 0 {
                let out = cursor.pushNode(total, count: n, inputs: locals.from + base, partials: locals.partial + base)
                locals.from[base] = out.raw
                locals.partial[base] = 1
                n = 1
            }
            total += fv * gv
            if fs >= 0 {
                locals.from[base + n] = fs
                locals.partial[base + n] = gv
                n += 1
                plain = false
            }
            if gs >= 0 {
                locals.from[base + n] = gs
                locals.partial[base + n] = fv
                n += 1
                plain = false
            }
            step += 1
        }
        locals.value[local] = total
        locals.count[local] = Int32(n)
        locals.state[local] = n == 0 ? 2 : plain ? 1 : 0
        return .done
    }

    @inline(__always)
    mutating func execute(
        _ k: KernelProgram, _ code: UnsafeBufferPointer<KernelInstruction>,
        _ statements: UnsafeBufferPointer<KernelStatement>, _ leaves: UnsafeBufferPointer<Int32>,
        _ domains: UnsafeBufferPointer<ArgumentDomain>, _ work: UnsafeMutablePointer<T>, _ r: Int,
        _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>, _ cursor: inout TapeCursor<T>, _ resume: inout Int,
        _ from: inout [Int32], _ partial: inout [T], _ termValue: inout T, _ termConstant: inout Double,
        _ linear: KernelLinearTables
    ) -> KernelExit {
        let value = work, p0 = work + r, p1 = work + 2 * r, p2 = work + 3 * r, p3 = work + 4 * r, adj = work + 5 * r
        let count = code.count
        // Never empty (a loop or a reduction); read without a bounds check per instruction.
        let codeBase = code.baseAddress!
        let statementBase = statements.baseAddress!
        // Values of live tape variables (parameters, earlier nodes): the buffer stays put while the
        // cursor is open, so reads need not go through the cursor.
        let tapeValues = cursor.valueBase
        // The program counter is a local (a captured or inout one would be reloaded after every
        // store through the scratch pointers); where the run stopped is written back on exit.
        var pc = resume
        defer { resume = pc }
        /// Room for the node of an assignment: one variable, every leaf's pairs as edges.
        let nodeEdges = Swift.max(k.maxLeaves, 1) * localCapacity

        /// The source of an operation on registers a (and b): −1 if both are constants.
        @inline(__always) func derived(_ a: Int32, _ b: Int32) -> Int32 {
            (source[Int(a)] == -1 && (b < 0 || source[Int(b)] == -1)) ? -1 : -2
        }

        /// The reverse sweep of statement `s` seeded with `seed`: adjoints of its leaves.
        @inline(__always) func sweep(_ s: UnsafePointer<KernelStatement>, _ seed: T) {
            let start = Int(s.pointee.expressionStart), end = Int(s.pointee.expressionEnd)
            // The statement's own registers were zeroed as they were computed; its leaves may
            // be hoisted registers shared with other statements.
            for l in Int(s.pointee.leafStart)..<Int(s.pointee.leafStart + s.pointee.leafCount) { adj[Int(leaves[l])] = 0 }
            adj[Int(s.pointee.root)] = seed
            var pc = end
            while pc > start {
                pc -= 1
                let i = codeBase + pc
                let d = Int(i.pointee.dst)
                guard source[d] == -2 else { continue }
                let g = adj[d]
                switch i.pointee.op {
                case .add:
                    adj[Int(i.pointee.a)] += g
                    adj[Int(i.pointee.b)] += g
                case .subtract:
                    adj[Int(i.pointee.a)] += g
                    adj[Int(i.pointee.b)] -= g
                case .negate:
                    adj[Int(i.pointee.a)] -= g
                case .multiply, .divide, .power:
                    adj[Int(i.pointee.a)] += g * p0[d]
                    adj[Int(i.pointee.b)] += g * p1[d]
                case .square, .unary:
                    adj[Int(i.pointee.a)] += g * p0[d]
                case .density:
                    adj[Int(i.pointee.a)] += g * p0[d]
                    if i.pointee.b >= 0 { adj[Int(i.pointee.b)] += g * p1[d] }
                    if i.pointee.c >= 0 { adj[Int(i.pointee.c)] += g * p2[d] }
                    if i.pointee.d >= 0 { adj[Int(i.pointee.d)] += g * p3[d] }
                default: break
                }
            }
        }

        /// Adds ∂term/∂v = p to the loop's term node (one edge per variable from before the kernel).
        @inline(__always) func addTermEdge(_ v: Int32, _ p: T) {
            if v < locals.before {
                locals.termDense[Int(v)] += p
                if locals.termSlot[Int(v)] < 0 {
                    locals.termSlot[Int(v)] = Int32(truncatingIfNeeded: from.count)
                    from.append(v)
                    partial.append(0)
                }
                return
            }
            from.append(v)
            partial.append(p)
        }
        /// The edges of statement `s`'s value into the edge scratch (after `sweep`); their count.
        /// Written out (no closures): this runs once per assignment.
        @inline(__always) func gather(_ s: UnsafePointer<KernelStatement>) -> Int {
            var n = 0
            let root = Int(s.pointee.root)
            if source[root] == -2 {
                for l in Int(s.pointee.leafStart)..<Int(s.pointee.leafStart + s.pointee.leafCount) {
                    let leaf = Int(leaves[l])
                    let src = source[leaf]
                    if src >= 0 {
                        locals.edgeFrom[n] = src
                        locals.edgePartial[n] = adj[leaf]
                        n += 1
                    } else if src <= -3 {
                        let base = Int(-3 - src) * localCapacity, scale = adj[leaf]
                        for q in 0..<Int(locals.count[Int(-3 - src)]) {
                            locals.edgeFrom[n] = locals.from[base + q]
                            locals.edgePartial[n] = scale * locals.partial[base + q]
                            n += 1
                        }
                    }
                }
            } else {
                let local = Int(-3 - source[root]), base = local * localCapacity
                for q in 0..<Int(locals.count[local]) {
                    locals.edgeFrom[n] = locals.from[base + q]
                    locals.edgePartial[n] = locals.partial[base + q]
                    n += 1
                }
            }
            return n
        }
        /// A node whose value depends on the root of `s` (source −2 or a pending local).
        @inline(__always) func node(_ s: UnsafePointer<KernelStatement>) -> VarIndex {
            let root = Int(s.pointee.root)
            if source[root] == -2 { sweep(s, 1) }
            let n = gather(s)
            return cursor.pushNode(value[root], count: n, inputs: locals.edgeFrom, partials: locals.edgePartial)
        }

        while pc < count {
            // Fields are read through the pointer: only those an instruction uses are loaded.
            let i = codeBase + pc
            let d = Int(i.pointee.dst)
            if d >= 0 { adj[d] = 0 }
            switch i.pointee.op {
            case .constant:
                value[d] = T(i.pointee.x)
                source[d] = -1
            case .parameter:
                switch parameters[Int(i.pointee.a)] {
                case .scalar(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tapeValues[Int(v.raw)]
                    source[d] = v.raw
                default: return .gaveUp
                }
            case .parameterElement:
                guard let e = Self.kernelOffset(i.pointee.fn, i.pointee.b, i.pointee.c, i.pointee.x, i.pointee.k, i.pointee.d, i.pointee.e, value, source, locals.ints) else { return .gaveUp }
                switch parameters[Int(i.pointee.a)] {
                case .variables(let range, _, _):
                    let v = VarIndex(raw: range.start + Int32(truncatingIfNeeded: e))
                    value[d] = tapeValues[Int(v.raw)]
                    source[d] = v.raw
                case .constants(let c):
                    value[d] = T(pool[Int(c.start) + e])
                    source[d] = -1
                default: return .gaveUp
                }
            case .letValue:
                switch lets[Int(i.pointee.a)] {
                case .scalar(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tapeValues[Int(v.raw)]
                    source[d] = v.raw
                default: return .gaveUp
                }
            case .loopValue:
                value[d] = T(Double(loops[Int(i.pointee.a)]))
                source[d] = -1
            case .local:
                let local = Int(i.pointee.a)
                value[d] = locals.value[local]
                switch locals.state[local] {
                case -1: return .gaveUp
                case 1: source[d] = locals.from[local * localCapacity]
                case 2: source[d] = -1
                default: source[d] = Int32(-3 - local)
                }
            case .poolElement:
                guard let e = Self.kernelOffset(i.pointee.fn, i.pointee.b, i.pointee.c, i.pointee.x, i.pointee.k, i.pointee.d, i.pointee.e, value, source, locals.ints) else { return .gaveUp }
                value[d] = T(pool[Int(i.pointee.a) + e])
                source[d] = -1
            case .cell:
                guard let e = Self.kernelOffset(i.pointee.fn, i.pointee.b, i.pointee.c, i.pointee.x, i.pointee.k, i.pointee.d, i.pointee.e, value, source, locals.ints) else { return .gaveUp }
                switch locals.cells[Int(i.pointee.a)]![e] {
                case .unassigned: return .gaveUp
                case .constant(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tapeValues[Int(v.raw)]
                    source[d] = v.raw
                }
            case .add:
                value[d] = value[Int(i.pointee.a)] + value[Int(i.pointee.b)]
                source[d] = derived(i.pointee.a, i.pointee.b)
            case .subtract:
                value[d] = value[Int(i.pointee.a)] - value[Int(i.pointee.b)]
                source[d] = derived(i.pointee.a, i.pointee.b)
            case .multiply:
                let x = value[Int(i.pointee.a)], y = value[Int(i.pointee.b)]
                value[d] = x * y
                p0[d] = y
                p1[d] = x
                source[d] = derived(i.pointee.a, i.pointee.b)
            case .divide:
                let (v, da, db) = BinaryFunction.divide.valueAndPartials(value[Int(i.pointee.a)], value[Int(i.pointee.b)])
                value[d] = v
                p0[d] = da
                p1[d] = db
                source[d] = derived(i.pointee.a, i.pointee.b)
            case .power:
                let (v, da, db) = BinaryFunction.pow.valueAndPartials(value[Int(i.pointee.a)], value[Int(i.pointee.b)])
                value[d] = v
                p0[d] = da
                p1[d] = db
                source[d] = derived(i.pointee.a, i.pointee.b)
            case .square:
                let x = value[Int(i.pointee.a)]
                value[d] = x * x
                p0[d] = 2 * x
                source[d] = derived(i.pointee.a, -1)
            case .negate:
                value[d] = -value[Int(i.pointee.a)]
                source[d] = derived(i.pointee.a, -1)
            case .unary:
                // exp, log and sqrt inline (as UnaryFunction computes them), the rest by UnaryFunction.
                let x = value[Int(i.pointee.a)]
                switch i.pointee.fn {
                case Self.expCode:
                    let e = T.exp(x)
                    value[d] = e
                    p0[d] = e
                case Self.logCode:
                    value[d] = T.log(x)
                    p0[d] = 1 / x
                case Self.sqrtCode:
                    let r = T.sqrt(x)
                    value[d] = r
                    p0[d] = 0.5 / r
                default:
                    let (v, dv) = k.unaryFunctions[Int(i.pointee.fn)].valueAndDerivative(x)
                    value[d] = v
                    p0[d] = dv
                }
                source[d] = derived(i.pointee.a, -1)
            case .compare:
                let x = value[Int(i.pointee.a)].value, y = i.pointee.b >= 0 ? value[Int(i.pointee.b)].value : 0
                let result: Bool
                switch i.pointee.fn {
                case 0: result = x < y
                case 1: result = x <= y
                case 2: result = x > y
                case 3: result = x >= y
                case 4: result = x == y
                case 5: result = x != y
                case 6: result = x == 0
                case 7: result = x != 0 && y != 0
                default: result = x != 0 || y != 0
                }
                value[d] = result ? 1 : 0
                source[d] = -1
            case .density:
                let which = Int(i.pointee.e)
                let y = value[Int(i.pointee.a)]
                let a = i.pointee.b >= 0 ? value[Int(i.pointee.b)] : 0, b = i.pointee.c >= 0 ? value[Int(i.pointee.c)] : 0
                let c = i.pointee.d >= 0 ? value[Int(i.pointee.d)] : 0
                let arity = k.arities[which]
                if arity > 0, !Self.satisfies(domains[3 * which], a.value, previous: 0) { return .gaveUp }
                if arity > 1, !Self.satisfies(domains[3 * which + 1], b.value, previous: a.value) { return .gaveUp }
                if arity > 2, !Self.satisfies(domains[3 * which + 2], c.value, previous: b.value) { return .gaveUp }
                var p = DensityPartials<T>()
                let lp = Distribution.logDensity(k.distributions[which], variate: y, a, b, c, partials: &p)
                guard lp.value.isFinite else { return .gaveUp }
                value[d] = lp
                p0[d] = p.variate
                p1[d] = p.a
                p2[d] = p.b
                p3[d] = p.c
                let anyVariable = source[Int(i.pointee.a)] != -1 || (i.pointee.b >= 0 && source[Int(i.pointee.b)] != -1)
                    || (i.pointee.c >= 0 && source[Int(i.pointee.c)] != -1) || (i.pointee.d >= 0 && source[Int(i.pointee.d)] != -1)
                source[d] = anyVariable ? -2 : -1
            case .assign, .setLet:
                guard cursor.hasRoom(variables: 1, edges: nodeEdges) else { return .needsRoom(1, nodeEdges) }
                let s = statementBase + Int(i.pointee.d)
                let root = Int(s.pointee.root)
                if s.pointee.isInteger, !Self.isWhole(value[root].value) { return .gaveUp }
                let cell: Cell
                switch source[root] {
                case -1: cell = .constant(value[root].value)
                case -2, ...(-3): cell = .variable(node(s))
                default: cell = .variable(VarIndex(raw: source[root]))
                }
                if i.pointee.op == .setLet {
                    switch cell {
                    case .constant(let x): lets[Int(s.pointee.slot)] = .scalar(x)
                    case .variable(let v): lets[Int(s.pointee.slot)] = .variable(v)
                    case .unassigned: break
                    }
                } else {
                    let x = s.pointee.index
                    guard let e = Self.kernelOffset(x.signs, x.a, x.b, x.x, x.k, s.pointee.size0, s.pointee.size1, value, source,
                                                    locals.ints) else {
                        return .gaveUp
                    }
                    locals.cells[Int(s.pointee.slot)]![e] = cell
                }
            case .declareLocal:
                locals.state[Int(statementBase[Int(i.pointee.d)].slot)] = -1
            case .assignLocal:
                guard cursor.hasRoom(variables: 1, edges: nodeEdges) else { return .needsRoom(1, nodeEdges) }
                let s = statementBase + Int(i.pointee.d)
                let root = Int(s.pointee.root), local = Int(s.pointee.slot), base = local * localCapacity
                if s.pointee.isInteger, !Self.isWhole(value[root].value) { return .gaveUp }
                locals.value[local] = value[root]
                switch source[root] {
                case -1:
                    locals.state[local] = 2
                    locals.count[local] = 0
                case -2:
                    sweep(s, 1)
                    let n = gather(s)
                    if n > localCapacity {
                        // Too many pairs: one node now, and the local is that node.
                        let out = cursor.pushNode(value[root], count: n, inputs: locals.edgeFrom,
                                                partials: locals.edgePartial)
                        locals.state[local] = 1
                        locals.count[local] = 1
                        locals.from[base] = out.raw
                        locals.partial[base] = 1
                    } else {
                        for q in 0..<n {
                            locals.from[base + q] = locals.edgeFrom[q]
                            locals.partial[base + q] = locals.edgePartial[q]
                        }
                        locals.state[local] = 0
                        locals.count[local] = Int32(n)
                    }
                case ...(-3):
                    let other = Int(-3 - source[root])
                    if other != local {
                        let n = Int(locals.count[other])
                        for q in 0..<n {
                            locals.from[base + q] = locals.from[other * localCapacity + q]
                            locals.partial[base + q] = locals.partial[other * localCapacity + q]
                        }
                        locals.count[local] = Int32(n)
                        locals.state[local] = 0
                    }
                default:
                    locals.state[local] = 1
                    locals.count[local] = 1
                    locals.from[base] = source[root]
                    locals.partial[base] = 1
                }
            case .declare:
                let s = statementBase + Int(i.pointee.d)
                let column = locals.cells[Int(s.pointee.slot)]!
                for e in 0..<Int(s.pointee.size0) { column[e] = .unassigned }
            case .term:
                let s = statementBase + Int(i.pointee.d)
                if let term = s.pointee.term, includes(term) {
                    let root = Int(s.pointee.root)
                    let w = T(s.pointee.weight)
                    switch source[root] {
                    case -1: termConstant += value[root].value * s.pointee.weight
                    case -2, ...(-3):
                        if source[root] == -2 { sweep(s, w) }
                        termValue += value[root] * w
                        let n = gather(s)
                        let scale = source[root] == -2 ? T(1) : w   // the sweep was seeded with w
                        for q in 0..<n { addTermEdge(locals.edgeFrom[q], scale * locals.edgePartial[q]) }
                    default:
                        termValue += value[root] * w
                        addTermEdge(source[root], w)
                    }
                }
            case .linearLoop:
                if let exit = Self.linearLoop(i, linear, statementBase, value, source, locals, &cursor, tapeValues,
                                              parameters) {
                    guard case .done = exit else { return exit }
                    pc = Int(i.pointee.c)
                    continue
                }
                // Instruction by instruction, as a `loopBegin`.
                fallthrough
            case .loopBegin:
                let lo = value[Int(i.pointee.a)].value, hi = value[Int(i.pointee.b)].value
                guard source[Int(i.pointee.a)] == -1, source[Int(i.pointee.b)] == -1, lo.isFinite, hi.isFinite,
                      Swift.abs(lo) <= 0x1p53, Swift.abs(hi) <= 0x1p53,
                      hi - lo + 1 <= Double(Self.maxTapeVariables) else { return .gaveUp }
                // As the tree walker: Int(first) ... Int(last), truncated toward zero.
                value[d] = T(Double(Int(lo)))
                locals.ints[d] = Int(lo)
                p0[d] = T(Double(Int(hi)))
                source[d] = -1
                if value[d].value > p0[d].value {
                    pc = Int(i.pointee.c)
                    continue
                }
            case .loopEnd:
                if cursor.valueCount > Self.maxTapeVariables || cursor.edgeCount > 4 * Self.maxTapeVariables {
                    return .gaveUp
                }
                let next = value[d].value + 1
                if next <= p0[d].value {
                    value[d] = T(next)
                    locals.ints[d] &+= 1
                    pc = Int(i.pointee.c)
                    continue
                }
            case .jumpIfZero:
                if value[Int(i.pointee.a)].value == 0 {
                    pc = Int(i.pointee.c)
                    continue
                }
            case .jump:
                pc = Int(i.pointee.c)
                continue
            case .reduce:
                if let exit = Self.fastReduction(k.reductions[Int(i.pointee.d)], value, source, locals, &cursor, tapeValues,
                                                 parameters, linear.pool) {
                    guard case .done = exit else { return exit }
                    break
                }
                let exit = Self.reduction(k.reductions[Int(i.pointee.d)], value, source, locals, &cursor, tapeValues,
                                          parameters, pool)
                guard case .done = exit else { return exit }
            case .linearAssign:
                let exit = Self.linearAssign(k.linearForms[Int(i.pointee.a)], linear, statementBase + Int(i.pointee.d),
                                             value, source, locals, &cursor, tapeValues, parameters)
                guard case .done = exit else { return exit }
            }
            pc += 1
        }
        return .done
    }
}
