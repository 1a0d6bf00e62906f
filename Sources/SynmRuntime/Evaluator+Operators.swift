// Operators: element-wise arithmetic with scalar broadcasting, matrix × array, comparisons
// and logic (0/1 constants, as in Stan).
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmFrontend
import SynmMath

extension Evaluator {
    func isConstant(_ v: RV) -> Bool {
        switch v {
        case .scalar, .constants: return true
        default: return false
        }
    }

    func operand(_ v: RV) -> Operand<T> {
        switch v {
        case .scalar(let x): return .constant(T(x))
        case .variable(let i): return .variable(i)
        case .constants(let c): return .constants(ConstantRange(start: c.start, count: c.count))
        case .variables(let r, _, _): return .variables(r)
        }
    }

    /// The shape a broadcast result keeps (that of the array operand).
    func resultShape(_ a: RV, _ b: RV) -> (rows: Int32, columns: Int32) {
        let s = a.isScalar ? shape(b) : shape(a)
        return (Int32(s.rows), Int32(s.columns))
    }

    mutating func unary(_ op: UnaryOp, _ v: RV) -> RV {
        switch op {
        case .plus: return v
        case .negate:
            switch v {
            case .scalar(let x): return .scalar(-x)
            case .variable(let i): return .variable(tape.apply(.negate, to: i))
            default:
                return binary(.multiply, .scalar(-1), v, .none)
            }
        case .not:
            return compareMap(v, .scalar(0)) { a, _ in a == 0 }
        }
    }

    mutating func binary(_ op: BinaryOp, _ a: RV, _ b: RV, _ span: SourceSpan) -> RV {
        switch op {
        case .less: return compareMap(a, b) { $0 < $1 }
        case .lessEqual: return compareMap(a, b) { $0 <= $1 }
        case .greater: return compareMap(a, b) { $0 > $1 }
        case .greaterEqual: return compareMap(a, b) { $0 >= $1 }
        case .equal: return compareMap(a, b) { $0 == $1 }
        case .notEqual: return compareMap(a, b) { $0 != $1 }
        case .and: return compareMap(a, b) { $0 != 0 && $1 != 0 }
        case .or: return compareMap(a, b) { $0 != 0 || $1 != 0 }
        default: break
        }
        if op == .multiply, shape(a).columns > 0, !b.isScalar, shape(b).columns == 0 {
            return matrixTimesArray(a, b, span)
        }
        if case .scalar(let x) = a, case .scalar(let y) = b {
            switch op {
            case .add: return .scalar(x + y)
            case .subtract: return .scalar(x - y)
            case .multiply: return .scalar(x * y)
            case .divide: return .scalar(x / y)
            default: return .scalar(Foundation.pow(x, y))
            }
        }
        if !a.isScalar, !b.isScalar, a.count != b.count {
            fail("element-wise '\(op.rawValue)' needs equal sizes, but they are \(a.count) and \(b.count)", span)
            return .scalar(.nan)
        }
        if shape(a).columns > 0, shape(b).columns > 0, shape(a) != shape(b) {
            let (s, t) = (shape(a), shape(b))
            fail("element-wise '\(op.rawValue)' needs equal shapes, but they are \(s.rows)×\(s.columns) and \(t.rows)×\(t.columns)", span)
            return .scalar(.nan)
        }
        let f: BinaryFunction
        switch op {
        case .add: f = .add
        case .subtract: f = .subtract
        case .multiply: f = .multiply
        case .divide: f = .divide
        default: f = .pow
        }
        let out = tape.apply(f, operand(a), operand(b))
        if a.isScalar && b.isScalar { return .variable(out[0]) }
        let (rows, columns) = resultShape(a, b)
        return .variables(out, rows: columns > 0 ? rows : out.length, columns: columns)
    }

    /// A comparison or logical operator: a constant 0/1 result (its derivative is zero).
    mutating func compareMap(_ a: RV, _ b: RV, _ f: (Double, Double) -> Bool) -> RV {
        if a.isScalar && b.isScalar {
            return .scalar(f(elementValue(a, 0), elementValue(b, 0)) ? 1 : 0)
        }
        let n = max(a.count, b.count)
        let out = tape.newVariables(count: n)
        for k in 0..<n {
            let x = elementValue(a, a.isScalar ? 0 : k), y = elementValue(b, b.isScalar ? 0 : k)
            tape.setValue(f(x, y) ? 1 : 0, of: out[k])
        }
        let (rows, columns) = resultShape(a, b)
        return .variables(out, rows: columns > 0 ? rows : out.length, columns: columns)
    }

    mutating func matrixTimesArray(_ m: RV, _ x: RV, _ span: SourceSpan) -> RV {
        let (rows, columns) = shape(m)
        guard x.count == columns else {
            fail("matrix[\(rows), \(columns)] * vector[\(x.count)]: columns \(columns) ≠ rows \(x.count)", span)
            return .scalar(.nan)
        }
        switch (m, x) {
        case (.constants(let c), .variables(let r, _, _)):
            let matrix = ConstantMatrix(storage: ConstantRange(start: c.start, count: c.count),
                                        rows: Int32(rows), columns: Int32(columns))
            return .array(tape.multiply(matrix, r))
        case (.constants(let c), _):
            // Constant times constant (only with runtime indices): compute directly.
            let out = tape.newVariables(count: rows)
            for i in 0..<rows {
                var s = 0.0
                for j in 0..<columns { s += pool[Int(c.start) + i * columns + j] * elementValue(x, j) }
                tape.setValue(T(s), of: out[i])
            }
            return .array(out)
        default:
            // A matrix of parameters times an array: one node, edges to both.
            guard case .variables(let mr, _, _) = m else { return .scalar(.nan) }
            let out = tape.newVariables(count: rows)
            for i in 0..<rows {
                var s = T(0)
                for j in 0..<columns {
                    let mij = VarIndex(raw: mr.start + Int32(i * columns + j))
                    let xj = element(x, j)
                    s += tape.value(of: mij) * xj
                    tape.addEdge(from: mij, to: out[i], partial: xj)
                    switch x {
                    case .variables(let xr, _, _): tape.addEdge(from: xr[j], to: out[i], partial: tape.value(of: mij))
                    default: break
                    }
                }
                tape.setValue(s, of: out[i])
            }
            return .array(out)
        }
    }
}
