// Statements: `~` terms, `target +=`, lets, mutable locals, loops and conditionals.
import SynmAutodiff
import SynmDiagnostics
import SynmMath

extension Evaluator {
    mutating func execute(_ statements: [IRStmt]) {
        for s in statements {
            if failure != nil { return }
            execute(s)
        }
    }

    /// Whether a term is included in this evaluation.
    func includes(_ term: TermInfo) -> Bool {
        if let only = mode.onlyTerm { return term.id == only }
        return term.isLikelihood ? mode.likelihood : mode.prior
    }

    mutating func execute(_ s: IRStmt) {
        switch s {
        case .tilde(let term, let call, let weight):
            if simulation != nil {
                simulate(call)
                return
            }
            guard includes(term) else { return }
            if case .zero = weight { return }
            let v = density(call, weight: weight)
            if failure == nil { addTerm(v) }
            if case .normalized(let a, let constant) = weight, failure == nil {
                addTerm(normalizingTerm(evaluate(a), constant, span: call.span))
            }
        case .vectorTilde(let term, let call, let weight):
            if simulation != nil {
                simulateVector(call)
                return
            }
            guard includes(term) else { return }
            if case .zero = weight { return }
            let v = vectorDensity(call, weight: weight)
            if failure == nil { addTerm(v) }
        case .multiTilde(let term, let call, let weight):
            if simulation != nil {
                simulateMulti(call)
                return
            }
            guard includes(term) else { return }
            if case .zero = weight { return }
            let v = multiDensity(call, weight: weight)
            if failure == nil { addTerm(v) }
        case .target(let term, let e):
            guard simulation == nil, includes(term) else { return }
            let v = evaluate(e)
            if failure == nil { addTerm(v) }
        case .setLet(let slot, let e):
            lets[slot] = evaluate(e)
        case .declareVariable(let slot, let initial, let span):
            for k in cells[slot].indices { cells[slot][k] = .unassigned }
            if let initial { store(evaluate(initial), into: slot, offset: 0, count: cells[slot].count, span: span) }
        case .assign(let slot, let indices, let value, let span):
            assign(slot, indices, value, span)
        case .forLoop(let slot, let lo, let hi, let body, let span):
            if useLoopKernels, useLoopVectorisation, simulation == nil, let v = program.vectorisedLoops[slot],
               runVectorisedLoop(v) { return }
            if useLoopKernels, simulation == nil, let kernel = program.loopKernels[slot] {
                if !runKernel(kernel) {
                    kernelAbandoned = true
                    fail("a loop kernel gave up", span)
                }
                return
            }
            let a = evaluate(lo), b = evaluate(hi)
            guard failure == nil else { return }
            let first = elementValue(a, 0), last = elementValue(b, 0)
            guard first.isFinite, last.isFinite else {
                fail("loop bounds must be finite", span)
                return
            }
            guard Swift.abs(first) <= 0x1p53, Swift.abs(last) <= 0x1p53 else {
                fail("loop bounds \(formatNumber(first))..\(formatNumber(last)) are beyond the integers a loop can count", span)
                return
            }
            let iterations = last - first + 1
            if !body.isEmpty, iterations > Double(Self.maxTapeVariables) {
                fail("this loop runs \(formatNumber(iterations)) times, more than the \(Self.maxTapeVariables) steps one evaluation of the model can hold",
                     span, hint: "vectorise the statements in the loop (a `~` over an array is one step), or loop over fewer elements")
                failure?.isLimit = true
                return
            }
            var i = Int(first)
            while i <= Int(last), failure == nil {
                loops[slot] = i
                execute(body)
                // Each iteration's statements add to the tape; a loop of very many iterations
                // would grow it past memory (and its 32-bit indices). Stop with the location.
                if tape.variableCount > Self.maxTapeVariables || tape.edgeTotal > 4 * Self.maxTapeVariables {
                    fail("this loop has grown one evaluation of the model past \(Self.maxTapeVariables) values at iteration \(i) of \(formatNumber(last - first + 1))",
                         span, hint: "vectorise the statements in the loop (a `~` over an array is one step), or loop over fewer elements")
                    failure?.isLimit = true
                    return
                }
                i += 1
            }
        case .ifElse(let condition, let then, let otherwise):
            let c = evaluate(condition)
            guard failure == nil else { return }
            execute(elementValue(c, 0) != 0 ? then : otherwise)
        case .callSite(let site, let body):
            execute(body)
            if failure != nil { failure!.message = withCallSite(failure!.message, site) }
        }
    }

    /// Stores a value into cells [offset, offset + count) of a local.
    mutating func store(_ v: RV, into slot: Int, offset: Int, count: Int, span: SourceSpan) {
        guard v.count == count || v.isScalar && count == 1 else {
            fail("cannot store \(v.count) values into \(count) element\(count == 1 ? "" : "s") of '\(program.variables[slot].name)'",
                 span)
            return
        }
        switch v {
        case .scalar(let x): cells[slot][offset] = .constant(x)
        case .variable(let i): cells[slot][offset] = .variable(i)
        case .constants(let c):
            for k in 0..<count { cells[slot][offset + k] = .constant(pool[Int(c.start) + k]) }
        case .variables(let r, _, _):
            for k in 0..<count { cells[slot][offset + k] = .variable(r[k]) }
        }
    }

    mutating func assign(_ slot: Int, _ indices: [IRExpr], _ value: IRExpr, _ span: SourceSpan) {
        let layout = program.variables[slot]
        var offset = 0
        var shape = layout.shape[...]
        for ix in indices {
            let iv = evaluate(ix)
            guard failure == nil, let n = shape.first else { return }
            guard iv.isScalar else {
                fail("an assigned element needs scalar indices", span)
                return
            }
            let i = elementValue(iv, 0)
            guard i >= 1, i <= Double(n), i == i.rounded() else {
                fail("index \(formatNumber(i)) is out of range for '\(layout.name)' (1..\(n))", span)
                return
            }
            shape = shape.dropFirst()
            offset = offset * n + Int(i) - 1
        }
        let size = shape.reduce(1, *)
        let v = evaluate(value)
        guard failure == nil else { return }
        if layout.isInteger {
            for k in 0..<v.count where elementValue(v, k) != elementValue(v, k).rounded() {
                fail("'\(layout.name)' is int, but the value \(formatNumber(elementValue(v, k))) is not whole", span)
                return
            }
        }
        store(v, into: slot, offset: offset * size, count: size, span: span)
    }

    /// Reads cells [offset, offset + count) of a local as one runtime value.
    mutating func load(_ slot: Int, offset: Int, count: Int, shape: ArraySlice<Int>, span: SourceSpan) -> RV {
        var edges = 0
        for k in 0..<count {
            switch cells[slot][offset + k] {
            case .unassigned:
                let layout = program.variables[slot]
                let name = elementName(layout.name, shape: layout.shape, flat: offset + k)
                fail("'\(name)' is read before it is assigned", span, hint: "assign every element of a `var` before using it")
                return .scalar(.nan)
            case .variable: edges += 1
            case .constant: break
            }
        }
        if shape.isEmpty {
            switch cells[slot][offset] {
            case .constant(let x): return .scalar(x)
            case .variable(let i): return .variable(i)
            case .unassigned: return .scalar(.nan)
            }
        }
        // Copy the cells into one contiguous node (identity edges for variables), written in bulk.
        let out = cells[slot].withUnsafeBufferPointer { cellsOfSlot in
            tape.withNode(outputs: count, edges: edges) { w in
                var e = 0
                for k in 0..<count {
                    switch cellsOfSlot[offset + k] {
                    case .constant(let x): w.setOutput(k, T(x))
                    case .variable(let i):
                        w.setOutput(k, w.value(i.raw))
                        w.edge(e, from: i.raw, toOutput: k, partial: 1)
                        e += 1
                    case .unassigned: break
                    }
                }
            }
        }
        return .variables(out, rows: Int32(shape.first ?? count),
                          columns: Int32(shape.count > 1 ? shape.dropFirst().reduce(1, *) : 0))
    }
}
