// Sizes checked before anything is allocated: every declared array's element count must
// fit the program's 32-bit indices, and the model's arrays together must fit in memory.
// A size read from data (`param v: real[N]` with N = 2147483647) is caught here, located
// at the size, instead of aborting the process on allocation.
import SynmDiagnostics
import SynmFrontend
import SynmMath

public enum ModelSizes {
    /// Rough bytes per element while sampling: a parameter's element lives in the
    /// unconstrained position, momentum, gradient, metric and the NUTS tree's copies, plus
    /// its tape nodes; a data, synthetic, local or predict element in the constant pool or a
    /// buffer and the intermediate arrays that read it.
    static func bytesPerElement(_ role: Role) -> Double {
        switch role {
        case .param: return 8 * 16
        default: return 8 * 4
        }
    }

    /// The element count of an array with these dimensions, or an error at the size that
    /// makes it too large. `what` names the array in the message.
    static func elementCount(_ shape: [Int], dims: [Expr], what: String, span: SourceSpan) throws -> Int {
        var count = 1.0
        for (k, d) in shape.enumerated() {
            if d > MemoryBudget.maxElements {
                throw RuntimeError("the size of \(what) is \(d), above the largest array size \(MemoryBudget.maxElements)",
                                   span: dims.indices.contains(k) ? dims[k].span : span,
                                   hint: "arrays hold at most 2³¹ − 1 elements")
            }
            count *= Double(d)
        }
        if count > Double(MemoryBudget.maxElements) {
            throw RuntimeError("\(what) has \(shape.map(String.init).joined(separator: " × ")) elements, above the largest array size \(MemoryBudget.maxElements)",
                               span: span, hint: "arrays hold at most 2³¹ − 1 elements")
        }
        return Int(count)
    }

    /// Checks every declared array of the model (data, parameters, locals, synthetic and
    /// predict nodes) against the index range and the machine's memory, in declaration
    /// order. Sizes that cannot be evaluated are left to the compiler's own message.
    public static func verify(_ model: CheckedModel, data: DataTable) throws {
        var total = 0.0
        for s in model.symbols {
            guard let t = s.declaredType, !t.dims.isEmpty else { continue }
            var shape: [Int] = []
            for d in t.dims {
                guard let v = try? ConstantExpression.evaluate(d, data: data).scalar, v.isFinite, v >= 0,
                      v == v.rounded() else { shape = []; break }
                // Above the index range: reported as such, not converted (Int(1e30) traps).
                shape.append(v > Double(Int.max / 2) ? Int.max / 2 : Int(v))
            }
            guard shape.count == t.dims.count else { continue }
            let count = try elementCount(shape, dims: t.dims, what: "'\(s.name)'", span: t.span)
            total += Double(count) * bytesPerElement(s.role)
            if MemoryBudget.exceeds(total) {
                throw RuntimeError("'\(s.name)' has \(count) elements: the model's arrays \(MemoryBudget.shortfall(total))",
                                   span: t.span, hint: "use smaller sizes")
            }
        }
    }
}
