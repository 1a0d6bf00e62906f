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
}

extension Evaluator {
    /// Runs kernel `k` in place of its `for` statement. False when it gave up (an index out of
    /// range, an element read before it is assigned, invalid arguments, a non-finite density,
    /// the tape limit): the caller then evaluates the model again without kernels, so that the
    /// tree-walking evaluator reports the error exactly as it always has.
    mutating func runKernel(_ k: KernelProgram) -> Bool {
        let r = k.registers
        var scratch = kernelScratch
        kernelScratch = KernelScratch()
        if scratch.work.count < 6 * r { scratch.work = [T](repeating: 0, count: 6 * r) }
        if scratch.sources.count < r { scratch.sources = [Int32](repeating: -1, count: r) }
        scratch.termFrom.removeAll(keepingCapacity: true)
        scratch.termPartial.removeAll(keepingCapacity: true)
        var termValue = T(0)
        var termConstant = 0.0
        var from = scratch.termFrom, partial = scratch.termPartial
        scratch.termFrom = []
        scratch.termPartial = []
        let ok = scratch.work.withUnsafeMutableBufferPointer { work in
            scratch.sources.withUnsafeMutableBufferPointer { sources in
                k.code.withUnsafeBufferPointer { code in
                    execute(k, code, work.baseAddress!, r, sources.baseAddress!, &from, &partial, &termValue,
                            &termConstant)
                }
            }
        }
        if ok {
            constantTotal += termConstant
            if !from.isEmpty {
                let out = tape.newVariable(termValue)
                for i in from.indices { tape.addEdge(from: VarIndex(raw: from[i]), to: out, partial: partial[i]) }
                terms.append(out)
            }
        }
        scratch.termFrom = from
        scratch.termPartial = partial
        kernelScratch = scratch
        return ok
    }

    /// The 0-based element a 1-based index register picks, or nil when it is out of 1…n, not
    /// whole, or not a constant.
    @inline(__always)
    func kernelIndex(_ r: Int32, _ n: Int32, _ value: UnsafeMutablePointer<T>,
                     _ source: UnsafeMutablePointer<Int32>) -> Int? {
        let v = value[Int(r)].value
        guard source[Int(r)] == -1, v >= 1, v <= Double(n), v == v.rounded() else { return nil }
        return Int(v) - 1
    }

    /// The flat offset of a cell or pool element (`i` and `j` −1 when absent).
    @inline(__always)
    func kernelOffset(_ i: Int32, _ j: Int32, _ n0: Int32, _ n1: Int32, _ value: UnsafeMutablePointer<T>,
                      _ source: UnsafeMutablePointer<Int32>) -> Int? {
        guard i >= 0 else { return 0 }
        guard let a = kernelIndex(i, n0, value, source) else { return nil }
        guard j >= 0 else { return a }
        guard let b = kernelIndex(j, n1, value, source) else { return nil }
        return a * Int(n1) + b
    }

    @inline(__always)
    mutating func execute(
        _ k: KernelProgram, _ code: UnsafeBufferPointer<KernelInstruction>, _ work: UnsafeMutablePointer<T>, _ r: Int,
        _ source: UnsafeMutablePointer<Int32>, _ from: inout [Int32], _ partial: inout [T], _ termValue: inout T,
        _ termConstant: inout Double
    ) -> Bool {
        let value = work, p0 = work + r, p1 = work + 2 * r, p2 = work + 3 * r, p3 = work + 4 * r, adj = work + 5 * r
        let count = code.count
        var pc = 0

        /// The source of an operation on registers a (and b): −1 if both are constants.
        @inline(__always) func derived(_ a: Int32, _ b: Int32) -> Int32 {
            (source[Int(a)] == -1 && (b < 0 || source[Int(b)] == -1)) ? -1 : -2
        }

        /// The reverse sweep of statement `s` seeded with `seed`: adjoints of its leaves.
        @inline(__always) func sweep(_ s: KernelStatement, _ seed: T) {
            let start = Int(s.expressionStart), end = Int(s.expressionEnd)
            for pc in start..<end { adj[Int(code[pc].dst)] = 0 }
            k.leaves.withUnsafeBufferPointer { leaves in
                for l in Int(s.leafStart)..<Int(s.leafStart + s.leafCount) { adj[Int(leaves[l])] = 0 }
            }
            adj[Int(s.root)] = seed
            var pc = end
            while pc > start {
                pc -= 1
                let i = code[pc]
                let d = Int(i.dst)
                guard source[d] == -2 else { continue }
                let g = adj[d]
                switch i.op {
                case .add, .subtract, .multiply, .divide, .power:
                    adj[Int(i.a)] += g * p0[d]
                    adj[Int(i.b)] += g * p1[d]
                case .negate, .square, .unary:
                    adj[Int(i.a)] += g * p0[d]
                case .density:
                    adj[Int(i.a)] += g * p0[d]
                    if i.b >= 0 { adj[Int(i.b)] += g * p1[d] }
                    if i.c >= 0 { adj[Int(i.c)] += g * p2[d] }
                    if i.d >= 0 { adj[Int(i.d)] += g * p3[d] }
                default: break
                }
            }
        }

        while pc < count {
            let i = code[pc]
            let d = Int(i.dst)
            switch i.op {
            case .constant:
                value[d] = T(i.x)
                source[d] = -1
            case .parameter:
                switch parameters[Int(i.a)] {
                case .scalar(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tape.value(of: v)
                    source[d] = v.raw
                default: return false
                }
            case .parameterElement:
                guard let e = kernelIndex(i.b, i.d, value, source) else { return false }
                switch parameters[Int(i.a)] {
                case .variables(let range, _, _):
                    let v = VarIndex(raw: range.start + Int32(truncatingIfNeeded: e))
                    value[d] = tape.value(of: v)
                    source[d] = v.raw
                case .constants(let c):
                    value[d] = T(pool[Int(c.start) + e])
                    source[d] = -1
                default: return false
                }
            case .letValue:
                switch lets[Int(i.a)] {
                case .scalar(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tape.value(of: v)
                    source[d] = v.raw
                default: return false
                }
            case .loopValue:
                value[d] = T(Double(loops[Int(i.a)]))
                source[d] = -1
            case .poolElement:
                guard let e = kernelOffset(i.b, i.c, i.d, i.e, value, source) else { return false }
                value[d] = T(pool[Int(i.a) + e])
                source[d] = -1
            case .cell:
                guard let e = kernelOffset(i.b, i.c, i.d, i.e, value, source) else { return false }
                switch cells[Int(i.a)][e] {
                case .unassigned: return false
                case .constant(let x):
                    value[d] = T(x)
                    source[d] = -1
                case .variable(let v):
                    value[d] = tape.value(of: v)
                    source[d] = v.raw
                }
            case .add:
                value[d] = value[Int(i.a)] + value[Int(i.b)]
                p0[d] = 1
                p1[d] = 1
                source[d] = derived(i.a, i.b)
            case .subtract:
                value[d] = value[Int(i.a)] - value[Int(i.b)]
                p0[d] = 1
                p1[d] = -1
                source[d] = derived(i.a, i.b)
            case .multiply:
                let x = value[Int(i.a)], y = value[Int(i.b)]
                value[d] = x * y
                p0[d] = y
                p1[d] = x
                source[d] = derived(i.a, i.b)
            case .divide:
                let (v, da, db) = BinaryFunction.divide.valueAndPartials(value[Int(i.a)], value[Int(i.b)])
                value[d] = v
                p0[d] = da
                p1[d] = db
                source[d] = derived(i.a, i.b)
            case .power:
                let (v, da, db) = BinaryFunction.pow.valueAndPartials(value[Int(i.a)], value[Int(i.b)])
                value[d] = v
                p0[d] = da
                p1[d] = db
                source[d] = derived(i.a, i.b)
            case .square:
                let x = value[Int(i.a)]
                value[d] = x * x
                p0[d] = 2 * x
                source[d] = derived(i.a, -1)
            case .negate:
                value[d] = -value[Int(i.a)]
                p0[d] = -1
                source[d] = derived(i.a, -1)
            case .unary:
                let (v, dv) = k.unaryFunctions[Int(i.fn)].valueAndDerivative(value[Int(i.a)])
                value[d] = v
                p0[d] = dv
                source[d] = derived(i.a, -1)
            case .compare:
                let x = value[Int(i.a)].value, y = i.b >= 0 ? value[Int(i.b)].value : 0
                let result: Bool
                switch i.fn {
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
                let call = k.densities[Int(i.e)]
                let y = value[Int(i.a)]
                let a = i.b >= 0 ? value[Int(i.b)] : 0, b = i.c >= 0 ? value[Int(i.c)] : 0
                let c = i.d >= 0 ? value[Int(i.d)] : 0
                guard Self.argumentsValid(call.domains, call.domains.count, a.value, b.value, c.value) else { return false }
                var p = DensityPartials<T>()
                let lp = Distribution.logDensity(call.distribution, variate: y, a, b, c, partials: &p)
                guard lp.value.isFinite else { return false }
                value[d] = lp
                p0[d] = p.variate
                p1[d] = p.a
                p2[d] = p.b
                p3[d] = p.c
                let anyVariable = source[Int(i.a)] != -1 || (i.b >= 0 && source[Int(i.b)] != -1)
                    || (i.c >= 0 && source[Int(i.c)] != -1) || (i.d >= 0 && source[Int(i.d)] != -1)
                source[d] = anyVariable ? -2 : -1
            case .assign, .setLet:
                let s = k.statements[Int(i.d)]
                let root = Int(s.root)
                if s.isInteger, value[root].value != value[root].value.rounded() { return false }
                let cell: Cell
                switch source[root] {
                case -1: cell = .constant(value[root].value)
                case -2:
                    sweep(s, 1)
                    let out = tape.newVariable(value[root])
                    k.leaves.withUnsafeBufferPointer { leaves in
                        for l in Int(s.leafStart)..<Int(s.leafStart + s.leafCount) {
                            let leaf = Int(leaves[l])
                            if source[leaf] >= 0 {
                                tape.addEdge(from: VarIndex(raw: source[leaf]), to: out, partial: adj[leaf])
                            }
                        }
                    }
                    cell = .variable(out)
                default: cell = .variable(VarIndex(raw: source[root]))
                }
                if i.op == .setLet {
                    switch cell {
                    case .constant(let x): lets[Int(s.slot)] = .scalar(x)
                    case .variable(let v): lets[Int(s.slot)] = .variable(v)
                    case .unassigned: break
                    }
                } else {
                    guard let e = kernelOffset(s.index0, s.index1, s.size0, s.size1, value, source) else { return false }
                    cells[Int(s.slot)][e] = cell
                }
            case .declare:
                let s = k.statements[Int(i.d)]
                for e in 0..<Int(s.size0) { cells[Int(s.slot)][e] = .unassigned }
            case .term:
                let s = k.statements[Int(i.d)]
                if let term = s.term, includes(term) {
                    let root = Int(s.root)
                    let w = T(s.weight)
                    switch source[root] {
                    case -1: termConstant += value[root].value * s.weight
                    case -2:
                        sweep(s, w)
                        termValue += value[root] * w
                        k.leaves.withUnsafeBufferPointer { leaves in
                            for l in Int(s.leafStart)..<Int(s.leafStart + s.leafCount) {
                                let leaf = Int(leaves[l])
                                if source[leaf] >= 0 {
                                    from.append(source[leaf])
                                    partial.append(adj[leaf])
                                }
                            }
                        }
                    default:
                        termValue += value[root] * w
                        from.append(source[root])
                        partial.append(w)
                    }
                }
            case .loopBegin:
                let lo = value[Int(i.a)].value, hi = value[Int(i.b)].value
                guard source[Int(i.a)] == -1, source[Int(i.b)] == -1, lo.isFinite, hi.isFinite,
                      Swift.abs(lo) <= 0x1p53, Swift.abs(hi) <= 0x1p53,
                      hi - lo + 1 <= Double(Self.maxTapeVariables) else { return false }
                value[d] = T(lo.rounded(.towardZero))
                source[d] = -1
                if value[d].value > hi.rounded(.towardZero) {
                    pc = Int(i.c)
                    continue
                }
            case .loopEnd:
                if tape.variableCount > Self.maxTapeVariables || tape.edgeTotal > 4 * Self.maxTapeVariables {
                    return false
                }
                let next = value[d].value + 1
                if next <= value[Int(i.b)].value.rounded(.towardZero) {
                    value[d] = T(next)
                    pc = Int(i.c)
                    continue
                }
            case .jumpIfZero:
                if value[Int(i.a)].value == 0 {
                    pc = Int(i.c)
                    continue
                }
            case .jump:
                pc = Int(i.c)
                continue
            }
            pc += 1
        }
        return true
    }
}
