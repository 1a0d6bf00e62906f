// periodic's own operator `v -> body` (the paper's Example 4 with a user-written map): a
// tiny interpreter over the body's syntax tree, on one row at a time. The checker admits
// only the parameter, literals, arithmetic, indexing, array literals and the functions of
// `rowOperatorFunctions`, so everything it admits is evaluated here.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmRuntime

/// A function of one row: a scalar (rows of an array node) or an array (rows of a matrix).
public struct RowOperator: Sendable {
    public var parameter: String
    public var body: Expr

    public init(parameter: String, body: Expr) {
        self.parameter = parameter
        self.body = body
    }

    /// A value of the body: a scalar (`shape == nil`) or an array.
    struct Value {
        var values: [Double]
        var isArray: Bool
        var isInteger: Bool
        static func scalar(_ x: Double, integer: Bool = false) -> Value { Value(values: [x], isArray: false, isInteger: integer) }
    }

    /// The image of `row` (one value for a scalar row).
    public func apply(_ row: [Double], scalarRow: Bool) throws -> [Double] {
        try eval(body, Value(values: row, isArray: !scalarRow, isInteger: false)).values
    }

    func eval(_ e: Expr, _ row: Value) throws -> Value {
        switch e.kind {
        case .intLiteral(let v): return .scalar(Double(v), integer: true)
        case .realLiteral(let v): return .scalar(v)
        case .name(let n) where n == parameter: return row
        case .unary(let op, let x):
            var v = try eval(x, row)
            switch op {
            case .negate: v.values = v.values.map { -$0 }
            case .plus: break
            case .not:
                v.values = v.values.map { $0 == 0 ? 1 : 0 }
                v.isInteger = true
            }
            return v
        case .binary(let op, let l, let r):
            let a = try eval(l, row), b = try eval(r, row)
            if a.isArray, b.isArray, a.values.count != b.values.count {
                throw RuntimeError("the operator combines arrays of \(a.values.count) and \(b.values.count) values", span: e.span)
            }
            let count = max(a.values.count, b.values.count)
            let integer = a.isInteger && b.isInteger
            var out: [Double] = []
            out.reserveCapacity(count)
            for k in 0..<count {
                let x = a.values[a.isArray ? k : 0], y = b.values[b.isArray ? k : 0]
                out.append(try ConstantExpression.binary(op, x, y, integer: integer, span: e.span))
            }
            return Value(values: out, isArray: a.isArray || b.isArray, isInteger: integer || op.isLogical)
        case .index(let base, let indices):
            let b = try eval(base, row)
            guard b.isArray, indices.count == 1 else {
                throw RuntimeError("only a row's values can be indexed, by one index", span: e.span)
            }
            let i = try eval(indices[0], row)
            guard !i.isArray, let k = i.values.first, k == k.rounded(), k >= 1, k <= Double(b.values.count) else {
                throw RuntimeError("index \(i.values.first.map(formatNumber) ?? "?") is out of range for a row of \(b.values.count) values",
                                   span: indices[0].span, hint: "indices start at 1")
            }
            return .scalar(b.values[Int(k) - 1], integer: b.isInteger)
        case .array(let es):
            let parts = try es.map { try eval($0, row) }
            if let nested = zip(es, parts).first(where: { $0.1.isArray }) {
                throw RuntimeError("a row is an array of scalars", span: nested.0.span)
            }
            return Value(values: parts.map { $0.values[0] }, isArray: true, isInteger: parts.allSatisfy(\.isInteger))
        case .call(let name, let nameSpan, let args, _):
            guard args.count == 1 else { throw RuntimeError("\(name) takes one argument in the operator", span: e.span) }
            let v = try eval(args[0].value, row)
            switch name {
            case "sum": return .scalar(v.values.reduce(0, +), integer: v.isInteger)
            case "mean": return .scalar(v.values.reduce(0, +) / Double(max(1, v.values.count)))
            case "size": return .scalar(Double(v.isArray ? v.values.count : 1), integer: true)
            default:
                guard let f = Self.elementwise[name] else {
                    throw RuntimeError("periodic's operator cannot call '\(name)'", span: nameSpan)
                }
                let integer = name == "abs" && v.isInteger
                return Value(values: v.values.map(f), isArray: v.isArray, isInteger: integer)
            }
        case .name(let n):
            throw RuntimeError("periodic's operator may use only its parameter '\(parameter)', not '\(n)'", span: e.span)
        case .lambda, .string, .error:
            throw RuntimeError("not a value of the operator", span: e.span)
        }
    }

    static let elementwise: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) }, "exp": { Foundation.exp($0) }, "log": { Foundation.log($0) },
        "sqrt": { $0.squareRoot() }, "square": { $0 * $0 }, "tanh": { Foundation.tanh($0) },
        "log1p": { Foundation.log1p($0) }, "expm1": { Foundation.expm1($0) }, "inv": { 1 / $0 },
        "inv_logit": { 1 / (1 + Foundation.exp(-$0)) }, "logit": { Foundation.log($0 / (1 - $0)) },
    ]
}

extension RowOperator {
    /// The most orbit values computed for one node (rows × period × row width).
    public static let maxIterates = 5_000_000

    /// The orbit of every row of `y` (n rows of `width` values; `scalarRows` for an array
    /// node): iterates 0..<period, flat, row by row. Applying the operator `period` times
    /// must bring every row back to itself within 1e-9 relative to the row's largest value;
    /// otherwise the error names the first row that does not come back (and after how many
    /// steps it first does, if it does within 4 periods).
    public func orbits(_ y: DataArray, name: String, width: Int, period: Int, scalarRows: Bool,
                       span: SourceSpan?) throws -> [Double] {
        let n = y.shape.first ?? 0
        guard n.multipliedReportingOverflow(by: period).partialValue <= Self.maxIterates / max(1, width),
              !n.multipliedReportingOverflow(by: period).overflow else {
            throw RuntimeError("periodic: \(n) rows of '\(name)' × period \(period) is more than \(Self.maxIterates) values of orbit to compute",
                               span: span, hint: "a user-written operator is applied to every row for a whole period: use a smaller period")
        }
        var out: [Double] = []
        out.reserveCapacity(n * period * width)
        func text(_ v: [Double]) -> String {
            scalarRows ? formatNumber(v[0]) : "[" + v.map(formatNumber).joined(separator: ", ") + "]"
        }
        func close(_ a: [Double], _ b: [Double]) -> Bool {
            let scale = max(b.map { Swift.abs($0) }.max() ?? 0, a.map { Swift.abs($0) }.max() ?? 0)
            return zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-9 * scale }
        }
        for r in 0..<n {
            let start = Array(y.values[r * width..<(r + 1) * width])
            var v = start
            for step in 1...period {
                out.append(contentsOf: v)
                if step == period { break }
                v = try next(v, row: r, step: step, name: name, width: width, scalarRows: scalarRows, span: span)
            }
            v = try next(v, row: r, step: period, name: name, width: width, scalarRows: scalarRows, span: span)
            guard close(v, start) else {
                var back: Int?
                var w = start
                for k in 1...(4 * period + 4) {
                    w = try next(w, row: r, step: k, name: name, width: width, scalarRows: scalarRows, span: span)
                    if close(w, start) {
                        back = k
                        break
                    }
                }
                throw RuntimeError("periodic: the operator does not bring row \(r + 1) of '\(name)' back to itself after \(period) step\(period == 1 ? "" : "s"): \(text(start)) becomes \(text(v))",
                                   span: span,
                                   hint: back.map { "row \(r + 1) comes back after \($0) steps: the period must be a multiple of the operator's order for every row" }
                                       ?? "the period must be a number of steps after which the operator is the identity on every row")
            }
        }
        return out
    }

    func next(_ v: [Double], row r: Int, step: Int, name: String, width: Int, scalarRows: Bool, span: SourceSpan?) throws -> [Double] {
        let w = try apply(v, scalarRow: scalarRows)
        guard w.count == width else {
            throw RuntimeError("periodic: the operator maps a row of '\(name)' with \(width) value\(width == 1 ? "" : "s") to \(w.count)", span: span,
                               hint: "it must return a row of the same shape")
        }
        guard w.allSatisfy(\.isFinite) else {
            throw RuntimeError("periodic: the operator gives a value that is not finite on row \(r + 1) of '\(name)' at step \(step)", span: span)
        }
        return w
    }
}
