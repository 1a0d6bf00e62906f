// Evaluates the small data-only expressions that fix shapes before compilation: sizes,
// bounds and embedded defaults (`real[N + 1]`, `<upper=K>`, `= [1, 2, 3]`). Everything else
// data-only is folded later by the compiled program itself.
import Foundation
import SynmDiagnostics
import SynmFrontend

/// A shaped constant: scalar, array or matrix.
public struct ConstantValue {
    public var shape: [Int]
    public var values: [Double]
    public var isInteger: Bool
    public var scalar: Double? { shape.isEmpty ? values[0] : nil }
}

public enum ConstantExpression {
    /// One binary operator on two numbers, as the language defines it: comparisons and logic
    /// give 0 or 1, int / int divides and truncates toward zero (Stan's rule).
    public static func binary(_ op: BinaryOp, _ x: Double, _ y: Double, integer: Bool, span: SourceSpan) throws -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide where integer:
            guard y != 0 else { throw RuntimeError("integer division by zero", span: span) }
            return (x / y).rounded(.towardZero)
        case .divide: return x / y
        case .power: return Foundation.pow(x, y)
        case .less: return x < y ? 1 : 0
        case .lessEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterEqual: return x >= y ? 1 : 0
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .and: return (x != 0 && y != 0) ? 1 : 0
        case .or: return (x != 0 || y != 0) ? 1 : 0
        }
    }

    /// Evaluates `e` over bound data; throws a `RuntimeError` pointing at the expression.
    public static func evaluate(_ e: Expr, data: DataTable) throws -> ConstantValue {
        switch e.kind {
        case .intLiteral(let v): return ConstantValue(shape: [], values: [Double(v)], isInteger: true)
        case .realLiteral(let v): return ConstantValue(shape: [], values: [v], isInteger: false)
        case .name(let n):
            guard let a = data[n] else {
                throw RuntimeError("'\(n)' has no value here (it is not data)", span: e.span)
            }
            return ConstantValue(shape: a.shape, values: a.values, isInteger: a.isInteger)
        case .unary(let op, let x):
            var v = try evaluate(x, data: data)
            switch op {
            case .negate: v.values = v.values.map { -$0 }
            case .plus: break
            case .not:
                v.values = v.values.map { $0 == 0 ? 1 : 0 }
                v.isInteger = true
            }
            return v
        case .binary(let op, let l, let r):
            let a = try evaluate(l, data: data), b = try evaluate(r, data: data)
            guard let x = a.scalar, let y = b.scalar else {
                throw RuntimeError("this must be a scalar here", span: e.span)
            }
            let isInt = a.isInteger && b.isInteger
            let v = try binary(op, x, y, integer: isInt, span: e.span)
            let intResult = op.isLogical || (isInt && op != .power)
            return ConstantValue(shape: [], values: [v], isInteger: intResult)
        case .array(let es):
            let parts = try es.map { try evaluate($0, data: data) }
            guard let first = parts.first else { return ConstantValue(shape: [0], values: [], isInteger: true) }
            for p in parts where p.shape != first.shape {
                throw RuntimeError("array elements must all have the same shape", span: e.span)
            }
            return ConstantValue(shape: [parts.count] + first.shape, values: parts.flatMap(\.values),
                                 isInteger: parts.allSatisfy(\.isInteger))
        case .call(let name, _, let args, _) where ["size", "min", "max", "sum", "abs"].contains(name):
            let xs = try args.map { try evaluate($0.value, data: data) }
            switch (name, xs.count) {
            case ("size", 1): return ConstantValue(shape: [], values: [Double(xs[0].shape.first ?? 1)], isInteger: true)
            case ("sum", 1): return ConstantValue(shape: [], values: [xs[0].values.reduce(0, +)], isInteger: xs[0].isInteger)
            case ("abs", 1) where xs[0].shape.isEmpty:
                return ConstantValue(shape: [], values: [Swift.abs(xs[0].values[0])], isInteger: xs[0].isInteger)
            case ("min", 1), ("max", 1):
                let v = name == "min" ? xs[0].values.min() : xs[0].values.max()
                return ConstantValue(shape: [], values: [v ?? .nan], isInteger: xs[0].isInteger)
            case ("min", 2), ("max", 2):
                guard let x = xs[0].scalar, let y = xs[1].scalar else { break }
                return ConstantValue(shape: [], values: [name == "min" ? Swift.min(x, y) : Swift.max(x, y)],
                                     isInteger: xs[0].isInteger && xs[1].isInteger)
            default: break
            }
            throw RuntimeError("'\(name)' cannot be used in a size, bound or default", span: e.span)
        case .index(let base, let indices):
            let b = try evaluate(base, data: data)
            var offset = 0
            var shape = b.shape
            for ix in indices {
                guard let i = try evaluate(ix, data: data).scalar, let n = shape.first else {
                    throw RuntimeError("only scalar indices are allowed here", span: ix.span)
                }
                guard i >= 1, Int(i) <= n else {
                    throw RuntimeError("index \(formatNumber(i)) is out of range 1..\(n)", span: ix.span)
                }
                shape.removeFirst()
                offset = offset * n + Int(i) - 1
            }
            let size = shape.reduce(1, *)
            let start = offset * size
            return ConstantValue(shape: shape, values: Array(b.values[start..<start + size]), isInteger: b.isInteger)
        default:
            throw RuntimeError("sizes, bounds and defaults must be simple expressions over data", span: e.span)
        }
    }
}
