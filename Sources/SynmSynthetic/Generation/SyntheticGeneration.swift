// Draws the generated synthetic nodes (docs/STATISTICS.md §2) from the run's seed: bootstrap rows,
// class-balanced resamples and periodic-map iterates (named maps, or the model's own
// `v -> …`, RowOperator). External rows come from the data
// file; generators that need a fitted model (parametric bootstrap, posterior predictive)
// are drawn by SyntheticCompiler from a fit of the real data.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

public enum SyntheticGeneration {
    /// The random stream of synthetic node number `k` of a run with seed `seed`: distinct
    /// from every chain's stream (chains use streams 0, 1, …).
    public static func stream(_ k: Int) -> UInt64 { 0x5_7E7C_0000 + UInt64(k) }

    /// Adds every generated synthetic node to `data`.
    public static func generate(_ model: CheckedModel, into data: inout DataTable, seed: UInt64) throws {
        var done: Set<String> = []
        for (k, s) in model.symbols.enumerated() where s.role == .synthetic && !done.contains(s.name) {
            guard let generator = s.generator, let call = s.generatorCall, generator != .external else { continue }
            var rng = Xoshiro256StarStar(seed: seed, stream: stream(k))
            let names = s.group.isEmpty ? [s.name] : s.group
            let m = try size(s, data)
            switch generator {
            case .bootstrap:
                let sources = try call.args.map { a -> (String, DataArray) in
                    guard case .name(let n) = a.value.kind, let v = data[n] else {
                        throw RuntimeError("bootstrap needs declared data", span: a.value.span)
                    }
                    return (n, v)
                }
                let n = sources[0].1.shape[0]
                for (name, v) in sources where v.shape[0] != n {
                    throw RuntimeError("bootstrap(…) resamples rows jointly, but '\(name)' has \(v.shape[0]) rows and '\(sources[0].0)' has \(n)",
                                       span: call.span)
                }
                guard n > 0 else { throw RuntimeError("bootstrap of an empty sample: '\(sources[0].0)' has no rows", span: call.span) }
                let rows = (0..<m).map { _ in Int(rng.next() % UInt64(n)) }
                for (name, (_, v)) in zip(names, sources) { data.set(name, resample(v, rows: rows)) }
            case .reweight:
                guard case .name(let yName) = call.args[0].value.kind, let y = data[yName],
                      let by = call.args.first(where: { $0.label == "by" }), case .name(let gName) = by.value.kind,
                      let g = data[gName] else {
                    throw RuntimeError("reweight needs declared data and labels", span: call.span)
                }
                guard g.count == y.shape[0] else {
                    throw RuntimeError("reweight: the labels '\(gName)' have \(g.count) entries but '\(yName)' has \(y.shape[0]) rows",
                                       span: by.value.span, hint: "give one label per row")
                }
                guard y.shape[0] > 0 else { throw RuntimeError("reweight of an empty sample", span: call.span) }
                // Paper, Example 3: a class uniformly among the observed labels, then a row of it.
                var classes: [Double: [Int]] = [:]
                for (i, label) in g.values.enumerated() { classes[label, default: []].append(i) }
                let labels = classes.keys.sorted()
                let rows = (0..<m).map { _ -> Int in
                    let members = classes[labels[Int(rng.next() % UInt64(labels.count))]]!
                    return members[Int(rng.next() % UInt64(members.count))]
                }
                data.set(s.name, resample(y, rows: rows))
            case .periodic:
                data.set(s.name, try periodic(s, call, data, m, &rng))
            case .parametricBootstrap, .posteriorPredictive, .model:
                // Drawn by SyntheticCompiler from a fit of the real data; given rows are checked.
                guard let rows = data[s.name] else { continue }
                guard rows.shape.first == m else {
                    throw RuntimeError("'\(s.name)' has \(rows.shape.first ?? 0) rows but is declared with \(m)", span: s.span)
                }
            case .external:
                break
            }
            done.formUnion(names)
        }
    }

    /// The declared number of rows of a synthetic node.
    public static func size(_ s: SymbolInfo, _ data: DataTable) throws -> Int {
        guard let d = s.declaredType?.dims.first, let v = try ConstantExpression.evaluate(d, data: data).scalar,
              v >= 0, v == v.rounded() else {
            throw RuntimeError("the size of synthetic node '\(s.name)' must be a whole number", span: s.span)
        }
        return Int(v)
    }

    /// Rows `rows` of `v` (rows of a matrix, elements of an array).
    public static func resample(_ v: DataArray, rows: [Int]) -> DataArray {
        let width = v.shape.count > 1 ? v.shape[1] : 1
        var values: [Double] = []
        values.reserveCapacity(rows.count * width)
        for r in rows { values.append(contentsOf: v.values[r * width..<(r + 1) * width]) }
        return DataArray(shape: v.shape.count > 1 ? [rows.count, width] : [rows.count], values: values,
                         isInteger: v.isInteger)
    }

    /// Paper, Example 4: pick an iterate j of the map uniformly in 0..<period and a row by
    /// bootstrap, and apply the map j times. The period must return the map to the identity.
    public static func periodic(_ s: SymbolInfo, _ call: DistCall, _ data: DataTable, _ m: Int,
                         _ rng: inout Xoshiro256StarStar) throws -> DataArray {
        let values = call.args.filter { $0.label == nil }.map(\.value)
        let opExpr = call.args.first { $0.label == "op" }?.value ?? values[1]
        let periodExpr = call.args.first { $0.label == "period" }?.value ?? values[2]
        guard case .name(let yName) = values[0].kind, let y = data[yName] else {
            throw RuntimeError("periodic needs declared data and an operator", span: call.span)
        }
        guard let p = try ConstantExpression.evaluate(periodExpr, data: data).scalar, p >= 1, p == p.rounded(), p < 1e6 else {
            throw RuntimeError("the period must be a whole number from 1 to 999999", span: periodExpr.span)
        }
        let period = Int(p)
        let width = y.shape.count > 1 ? y.shape[1] : 1
        if case .lambda(let parameter, _, let body) = opExpr.kind {
            // A user-written operator: every row's orbit, checked to close after `period` steps.
            let n = y.shape[0]
            guard n > 0 else { throw RuntimeError("periodic resample of an empty sample", span: call.span) }
            let orbits = try RowOperator(parameter: parameter, body: body)
                .orbits(y, name: yName, width: width, period: period, scalarRows: y.shape.count == 1, span: periodExpr.span)
            var out: [Double] = []
            out.reserveCapacity(m * width)
            for _ in 0..<m {
                let j = Int(rng.next() % UInt64(period))
                let r = Int(rng.next() % UInt64(n))
                let at = (r * period + j) * width
                out.append(contentsOf: orbits[at..<at + width])
            }
            let whole = y.isInteger && out.allSatisfy { $0 == $0.rounded() }
            return DataArray(shape: y.shape.count > 1 ? [m, width] : [m], values: out, isInteger: whole)
        }
        guard case .name(let op) = opExpr.kind else {
            throw RuntimeError("periodic needs declared data and an operator", span: call.span)
        }
        let natural: Int
        switch op {
        case "reflect": natural = 2
        case "rotate90":
            guard width == 2 else { throw RuntimeError("rotate90 turns 2-vectors, but the rows of '\(yName)' have \(width) values", span: opExpr.span) }
            natural = 4
        default:
            guard y.shape.count > 1 else { throw RuntimeError("shift moves the values of each row cyclically: '\(yName)' needs rows (a matrix)", span: opExpr.span) }
            natural = width
        }
        guard period % natural == 0 else {
            throw RuntimeError("\(op) has period \(natural): \(period) iterates do not return to the identity", span: periodExpr.span,
                               hint: "use a multiple of \(natural)")
        }
        let n = y.shape[0]
        guard n > 0 else { throw RuntimeError("periodic resample of an empty sample", span: call.span) }
        var out: [Double] = []
        out.reserveCapacity(m * width)
        for _ in 0..<m {
            let j = Int(rng.next() % UInt64(period))
            let r = Int(rng.next() % UInt64(n))
            var v = Array(y.values[r * width..<(r + 1) * width])
            for _ in 0..<j {
                switch op {
                case "reflect": v = v.map { -$0 }
                case "rotate90": v = [-v[1], v[0]]
                default: v = [v[width - 1]] + v[0..<(width - 1)]
                }
            }
            out.append(contentsOf: v)
        }
        return DataArray(shape: y.shape.count > 1 ? [m, width] : [m], values: out, isInteger: y.isInteger)
    }
}
