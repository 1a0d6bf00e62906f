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
        for t in first...last {
            for q in 0..<count {
                let s = statements + Int(body[q].d), form = tables.forms[Int(body[q].a)]
                for j in Int(form.atomStart)..<Int(form.atomStart + form.atomCount) {
                    let x = tables.atoms[j].factor.index
                    let e = (x.a < 0 ? 0 : t) &+ Int(x.k) &- 1
                    guard Self.readAtom(tables.atoms[j], e, value, source, locals, tapeValues, parameters, tables.pool)
                    else { return .gaveUp }
                }
                let (total, n) = Self.combine(form, tables, value, source, cursor.pendingInputs, cursor.pendingPartials)
                let cell: Cell = n == 0 ? .constant(total.value) : .variable(cursor.commitNode(total, count: n))
                locals.cells[Int(s.pointee.slot)]![t &+ Int(s.pointee.index.k) &- 1] = cell
            }
        }
        return .done
    }
}
