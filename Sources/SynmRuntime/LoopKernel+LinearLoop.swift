// Linear loops: a kernel loop whose body is nothing but linear-form assignments
// (LoopKernel+LinearForm.swift) indexed by the loop counter plus a constant, such as ARMA(1, 1)'s
//     for t in 2..T { nu[t] = mu + phi * y[t - 1] + theta * err[t - 1]; err[t] = y[t] - nu[t] }
// or GARCH(1, 1)'s recursion, runs as one instruction. Before the first step it checks, once,
// that every element index stays in range over the whole loop (an index t + k is monotone in t:
// its two ends suffice) and reserves the tape for every step's node; the steps then run without
// the interpreter's dispatch, without per-element range checks and without a room check per node.
// Anything else (an index out of range, too many nodes for one evaluation) runs the loop
// instruction by instruction as before, so errors and limits behave exactly as they did.
import SynmAutodiff

extension KernelCompiler {
    /// Marks the kernel's outermost loop as a linear loop when its body qualifies (see above):
    /// its `loopBegin` becomes `linearLoop`.
    mutating func markLinearLoop() {
        guard let begin = code.firstIndex(where: { $0.op == .loopBegin }), code.last?.op == .loopEnd,
              Int(code[begin].c) == code.count, code.count - begin > 2 else { return }
        let counter = code[begin].dst
        /// An element index the linear loop can check at its ends: t + k or a constant k.
        func simple(_ x: KernelIndex, constantAllowed: Bool) -> Bool {
            x.signs == 0 && x.b < 0 && (x.a == counter || (constantAllowed && x.a < 0))
        }
        for i in code[(begin + 1)..<(code.count - 1)] {
            guard i.op == .linearAssign else { return }
            let s = statements[Int(i.d)], form = linearForms[Int(i.a)]
            guard simple(s.index, constantAllowed: false), s.size1 == 0 else { return }
            for atom in linearAtoms[Int(form.atomStart)..<Int(form.atomStart + form.atomCount)] {
                guard simple(atom.factor.index, constantAllowed: true) else { return }
            }
        }
        code[begin].op = .linearLoop
    }
}

extension Evaluator {
    /// Runs a linear loop (instruction `i`, its body the instructions after it up to its
    /// `loopEnd`): `.done` when every step ran, `.gaveUp` on an unassigned element, nil when the
    /// loop must run instruction by instruction (a bound or an index out of range, the limits
    /// of one evaluation).
    @inline(never)
    static func linearLoop(_ i: UnsafePointer<KernelInstruction>, _ tables: KernelLinearTables,
                           _ statements: UnsafePointer<KernelStatement>, _ value: UnsafeMutablePointer<T>,
                           _ source: UnsafeMutablePointer<Int32>, _ locals: KernelLocals<T>,
                           _ cursor: inout TapeCursor<T>, _ tapeValues: UnsafePointer<T>,
                           _ parameters: [RV]) -> KernelExit? {
        let lo = value[Int(i.pointee.a)].value, hi = value[Int(i.pointee.b)].value
        guard source[Int(i.pointee.a)] == -1, source[Int(i.pointee.b)] == -1, lo.isFinite, hi.isFinite,
              Swift.abs(lo) <= 0x1p53, Swift.abs(hi) <= 0x1p53, hi - lo + 1 <= Double(Self.maxTapeVariables)
        else { return nil }
        let first = Int(lo), last = Int(hi)
        if first > last { return .done }
        let body = i + 1
        var count = 0, edgesPerStep = 0
        while body[count].op == .linearAssign {
            edgesPerStep += 4 * Int(tables.forms[Int(body[count].a)].count)
            count += 1
        }
        let steps = last - first + 1
        let variables = steps * count, edges = steps * edgesPerStep
        guard cursor.valueCount + variables <= Self.maxTapeVariables,
              cursor.edgeCount + edges <= 4 * Self.maxTapeVariables else { return nil }
        /// Whether element t + k − 1 (or k − 1 for a constant index) is in 0..<size at both ends.
        func inRange(_ x: KernelIndex, _ size: Int32) -> Bool {
            let k = Int(x.k)
            if x.a < 0 { return k >= 1 && k <= Int(size) }
            return first + k >= 1 && last + k <= Int(size)
        }
        for q in 0..<count {
            let s = statements + Int(body[q].d), form = tables.forms[Int(body[q].a)]
            guard inRange(s.pointee.index, s.pointee.size0) else { return nil }
            for j in Int(form.atomStart)..<Int(form.atomStart + form.atomCount) {
                guard inRange(tables.atoms[j].factor.index, tables.atoms[j].factor.size) else { return nil }
            }
        }
        guard cursor.hasRoom(variables: variables, edges: edges) else { return .needsRoom(variables, edges) }
        // Every atom resolved once: a data element's pool index, a parameter element's tape
        // variable or a `var`'s cells, each at offset + t (or at offset alone for a constant
        // index), grouped by kind per statement so that a step reads them without a switch.
        var atomCount = 0
        for q in 0..<count { atomCount += Int(tables.forms[Int(body[q].a)].atomCount) }
        return withUnsafeTemporaryAllocation(of: LoopAtom.self, capacity: Swift.max(atomCount, 1)) { atoms in
            withUnsafeTemporaryAllocation(of: LoopStatement.self, capacity: count) { plan in
                var next = 0
                for q in 0..<count {
                    let s = statements + Int(body[q].d), form = tables.forms[Int(body[q].a)]
                    var st = LoopStatement(form: form, atomStart: next, cells: locals.cells[Int(s.pointee.slot)]!,
                                           offset: Int(s.pointee.index.k) - 1)
                    for kind in 0..<3 {
                        for j in Int(form.atomStart)..<Int(form.atomStart + form.atomCount) {
                            let f = tables.atoms[j].factor, r = tables.atoms[j].register
                            var atom = LoopAtom(register: r, slope: f.index.a < 0 ? 0 : 1, base: Int(f.index.k) - 1)
                            switch (kind, f.kind) {
                            case (0, .poolElement):
                                atom.base += Int(f.a)
                            case (0, .parameterElement):
                                guard case .constants(let c) = parameters[Int(f.a)] else { continue }
                                atom.base += Int(c.start)
                            case (1, .parameterElement):
                                guard case .variables(let range, _, _) = parameters[Int(f.a)] else { continue }
                                atom.base += Int(range.start)
                            case (2, .cell):
                                atom.cells = locals.cells[Int(f.a)]
                            default: continue
                            }
                            (atoms.baseAddress! + next).initialize(to: atom)
                            next += 1
                            if kind == 0 { source[Int(r)] = -1 }
                        }
                        if kind == 0 { st.pools = next - st.atomStart }
                        if kind == 1 { st.variables = next - st.atomStart - st.pools }
                    }
                    st.atomEnd = next
                    (plan.baseAddress! + q).initialize(to: st)
                }
                // A parameter of another kind (not expected): instruction by instruction.
                guard next == atomCount else { return nil }
                let a = atoms.baseAddress!
                for t in first...last {
                    for q in 0..<count {
                        let st = plan.baseAddress! + q
                        var j = st.pointee.atomStart
                        let pools = j + st.pointee.pools, vars = pools + st.pointee.variables, end = st.pointee.atomEnd
                        while j < pools {
                            value[Int(a[j].register)] = T(tables.pool[a[j].base &+ a[j].slope &* t])
                            j &+= 1
                        }
                        while j < vars {
                            let v = a[j].base &+ a[j].slope &* t
                            value[Int(a[j].register)] = tapeValues[v]
                            source[Int(a[j].register)] = Int32(truncatingIfNeeded: v)
                            j &+= 1
                        }
                        while j < end {
                            let r = Int(a[j].register)
                            guard let (x, v) = a[j].cells![a[j].base &+ a[j].slope &* t].operand(tapeValues)
                            else { return .gaveUp }
                            value[r] = x
                            source[r] = v
                            j &+= 1
                        }
                        let (total, n) = Self.combine(st.pointee.form, tables, value, source, cursor.pendingInputs,
                                                      cursor.pendingPartials)
                        let cell: Cell = n == 0 ? .constant(total.value) : .variable(cursor.commitNode(total, count: n))
                        st.pointee.cells[t &+ st.pointee.offset] = cell
                    }
                }
                return .done
            }
        }
    }
}

/// An atom of a linear loop resolved for the run: element base + slope × t of the pool (data),
/// of the tape (a parameter's variables) or of a `var`'s cells.
struct LoopAtom {
    var register: Int32
    var slope: Int
    var base: Int
    var cells: UnsafeMutablePointer<Cell>? = nil
}

/// A statement of a linear loop resolved for the run: its form, its atoms [atomStart, atomEnd)
/// (pool elements, then tape variables, then cells) and its target's cells at t + offset.
struct LoopStatement {
    var form: KernelLinearForm
    var atomStart: Int
    var cells: UnsafeMutablePointer<Cell>
    var offset: Int
    var pools = 0
    var variables = 0
    var atomEnd = 0
}
