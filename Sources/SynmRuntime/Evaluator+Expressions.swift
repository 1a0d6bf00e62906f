// Expressions: constants, slots, indexing, operators and array literals.
import SynmAutodiff
import SynmDiagnostics
import SynmFrontend
import SynmMath

extension Evaluator {
    mutating func evaluate(_ e: IRExpr) -> RV {
        switch e {
        case .constScalar(let x): return .scalar(x)
        case .poolScalar(let i): return .scalar(pool[i])
        case .constArray(let c): return .constants(c)
        case .parameter(let p): return parameters[p]
        case .letValue(let slot): return lets[slot]
        case .loopValue(let slot): return .scalar(Double(loops[slot]))
        case .variable(let slot, let span):
            let layout = program.variables[slot]
            return load(slot, offset: 0, count: layout.count, shape: layout.shape[...], span: span)
        case .variableElement(let slot, let indices, let span):
            return variableElement(slot, indices, span)
        case .unary(let op, let x):
            return unary(op, evaluate(x))
        case .binary(let op, let l, let r, let span):
            let a = evaluate(l)
            let b = evaluate(r)
            guard failure == nil else { return .scalar(.nan) }
            return binary(op, a, b, span)
        case .call(let f, let args, let span):
            return call(f, args, span)
        case .index(let base, let indices, let span):
            let b = evaluate(base)
            guard failure == nil else { return .scalar(.nan) }
            return index(b, indices, span)
        case .gather(let base, let indices, let span):
            let b = evaluate(base)
            guard failure == nil else { return .scalar(.nan) }
            return gather(b, indices, span)
        case .array(let elements, let span):
            return arrayLiteral(elements, span)
        case .tensorIndex(let base, let indices, let shape, let span):
            let b = evaluate(base)
            guard failure == nil else { return .scalar(.nan) }
            return tensorIndex(b, indices, shape, span)
        case .density(let call):
            return density(call, weight: .one)
        case .vectorDensity(let call):
            return vectorDensity(call, weight: .one)
        case .multiDensity(let call):
            return multiDensity(call, weight: .one)
        case .multiRng(let call):
            return randomDraw(call)
        case .cumulative(let call, let kind):
            return cumulative(call, kind)
        case .truncation(let call):
            return truncationNormalizer(call)
        case .rng(let call):
            return randomDraw(call)
        case .vectorRng(let call):
            return randomDraw(call)
        case .inlined(let call):
            return inlined(call)
        }
    }

    // MARK: - Indexing

    mutating func variableElement(_ slot: Int, _ indices: [IRExpr], _ span: SourceSpan) -> RV {
        let layout = program.variables[slot]
        var offset = 0
        var shape = layout.shape[...]
        for ix in indices {
            let iv = evaluate(ix)
            guard failure == nil, let n = shape.first else { return .scalar(.nan) }
            guard iv.isScalar else {
                // Multi-indexing a local: load it whole, then gather.
                let whole = load(slot, offset: 0, count: layout.count, shape: layout.shape[...], span: span)
                return index(whole, indices, span)
            }
            let i = elementValue(iv, 0)
            guard i >= 1, i <= Double(n) else {
                fail("index \(formatNumber(i)) is out of range for '\(layout.name)' (1..\(n))", span)
                return .scalar(.nan)
            }
            shape = shape.dropFirst()
            offset = offset * n + Int(i) - 1
        }
        let size = shape.reduce(1, *)
        return load(slot, offset: offset * size, count: size, shape: shape, span: span)
    }

    /// Rows and columns of a value (columns 0 for an array; rows 0 for a scalar).
    func shape(_ v: RV) -> (rows: Int, columns: Int) {
        switch v {
        case .scalar, .variable: return (0, 0)
        case .constants(let c): return (Int(c.rows), c.isMatrix ? Int(c.columns) : 0)
        case .variables(let r, let rows, let columns): return (columns > 0 ? Int(rows) : Int(r.length), Int(columns))
        }
    }

    /// `base[i]`, `base[i, j]`, `base[ints]` with 1-based indices.
    mutating func index(_ base: RV, _ indices: [IRExpr], _ span: SourceSpan) -> RV {
        var current = base
        for ix in indices {
            let iv = evaluate(ix)
            guard failure == nil else { return .scalar(.nan) }
            if iv.isScalar {
                current = pick(current, elementValue(iv, 0), span)
            } else {
                var ints = [Int32](repeating: 0, count: iv.count)
                for k in 0..<iv.count { ints[k] = Int32(clamping: Int(elementValue(iv, k)) - 1) }
                current = gather(current, ints, span)
            }
            if failure != nil { return .scalar(.nan) }
        }
        return current
    }

    /// " for 'v'" when the indexing expression at `span` indexes a name (messages only).
    func indexedName(_ span: SourceSpan) -> String {
        program.indexedNames[span].map { " for '\($0)'" } ?? ""
    }

    /// One element (array) or one row (matrix), 1-based.
    mutating func pick(_ v: RV, _ i: Double, _ span: SourceSpan) -> RV {
        let (rows, columns) = shape(v)
        guard !v.isScalar else {
            fail("cannot index a scalar", span)
            return .scalar(.nan)
        }
        guard i >= 1, i <= Double(rows), i == i.rounded() else {
            fail("index \(formatNumber(i)) is out of range\(indexedName(span)) (1..\(rows))", span)
            return .scalar(.nan)
        }
        let k = Int(i) - 1
        switch v {
        case .constants(let c):
            if columns > 0 {
                return .constants(.array(start: Int(c.start) + k * columns, count: columns))
            }
            return .scalar(pool[Int(c.start) + k])
        case .variables(let r, _, _):
            if columns > 0 {
                return .array(VarRange(start: r.start + Int32(k * columns), length: Int32(columns)))
            }
            return .variable(r[k])
        default:
            return .scalar(.nan)
        }
    }

    /// Elements (or rows) picked by 0-based indices.
    mutating func gather(_ v: RV, _ indices: [Int32], _ span: SourceSpan) -> RV {
        let (rows, columns) = shape(v)
        for i in indices where i < 0 || Int(i) >= rows {
            fail("index \(Int(i) + 1) is out of range\(indexedName(span)) (1..\(rows))", span)
            return .scalar(.nan)
        }
        if columns > 0 {
            fail("multi-indexing the rows of a matrix is not supported", span,
                 hint: "index rows one at a time in a loop")
            return .scalar(.nan)
        }
        switch v {
        case .constants(let c):
            let out = tape.newVariables(count: indices.count)
            for (k, i) in indices.enumerated() { tape.setValue(T(pool[Int(c.start) + Int(i)]), of: out[k]) }
            return .array(out)
        case .variables(let r, _, _):
            return .array(tape.gather(r, at: indices))
        default:
            fail("cannot index a scalar", span)
            return .scalar(.nan)
        }
    }

    // MARK: - Array literals

    mutating func arrayLiteral(_ elements: [IRExpr], _ span: SourceSpan) -> RV {
        var values: [RV] = []
        values.reserveCapacity(elements.count)
        for e in elements {
            values.append(evaluate(e))
            if failure != nil { return .scalar(.nan) }
        }
        let inner = values.first?.count ?? 0
        let isMatrix = values.first.map { !$0.isScalar } ?? false
        let total = values.reduce(0) { $0 + $1.count }
        let out = tape.newVariables(count: total)
        var k = 0
        for v in values {
            for j in 0..<v.count {
                tape.setValue(element(v, j), of: out[k])
                switch v {
                case .variable(let i): tape.addEdge(from: i, to: out[k], partial: 1)
                case .variables(let r, _, _): tape.addEdge(from: r[j], to: out[k], partial: 1)
                default: break
                }
                k += 1
            }
        }
        return .variables(out, rows: Int32(values.count), columns: isMatrix ? Int32(inner) : 0)
    }
}
