// One record per synthetic node, resolved against the data: its generator with typed
// arguments, its number of rows, the real units it was built from and how many of those are
// also in our own likelihood — and the one function that says what a footing claims and
// what the data warrant (docs/STATISTICS.md, "What synthetic rows are worth").
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmRuntime

/// A synthetic node as the data fix it.
public struct SyntheticNode: Sendable, Equatable {
    /// The generator with its arguments resolved.
    public enum Kind: Sendable, Equatable {
        /// Rows resampled jointly from these data nodes (the paper's Example 2).
        case bootstrap(sources: [String])
        /// A class-balanced resample (Example 3).
        case reweight(source: String, by: String)
        /// Iterates of a periodic map applied to resampled rows (Example 4).
        case periodic(source: String, op: String, period: Int)
        /// Rows simulated from the source's likelihood at the maximum-likelihood estimate.
        case parametricBootstrap(source: String)
        /// Rows simulated from the source's likelihood at one posterior draw.
        case posteriorPredictive(source: String)
        /// Rows simulated from a generator model of its own (file `file`) at its MLE on `source`.
        case fittedModel(source: String, file: String)
        /// A third party's rows built from `sourceN` units, `overlap` of them ours (§5.2).
        case external(sourceN: Int, overlap: Int)
    }

    public var name: String
    public var generator: Generator
    public var kind: Kind
    /// m: the number of rows.
    public var rows: Int

    /// The real data node the rows are built from (the first, for a joint bootstrap); nil
    /// for a third party's rows.
    public var source: String? {
        switch kind {
        case .bootstrap(let s): return s.first
        case .reweight(let s, _), .periodic(let s, _, _), .parametricBootstrap(let s), .posteriorPredictive(let s),
             .fittedModel(let s, _): return s
        case .external: return nil
        }
    }

    /// Rows are copies of source units (a resample), not fresh draws from a fitted model.
    public var isResample: Bool {
        switch kind {
        case .parametricBootstrap, .posteriorPredictive, .fittedModel: return false
        default: return true
        }
    }

    /// Resolves node `s` of `model` against bound data (sizes by the constant evaluator).
    public static func resolve(_ s: SymbolInfo, data: DataTable) throws -> SyntheticNode {
        guard let generator = s.generator, let call = s.generatorCall else {
            throw RuntimeError("'\(s.name)' has no generator", span: s.span)
        }
        let rows: Int
        if let present = data[s.name], let m = present.shape.first {
            rows = m
        } else {
            rows = try SyntheticGeneration.size(s, data)
        }
        func name(_ e: Expr) throws -> String {
            guard case .name(let n) = e.kind else { throw RuntimeError("a data name is needed here", span: e.span) }
            return n
        }
        let positional = call.args.filter { $0.label == nil }.map(\.value)
        func labelled(_ l: String) -> Expr? { call.args.first { $0.label == l }?.value }
        func count(_ e: Expr) throws -> Int {
            guard let v = try ConstantExpression.evaluate(e, data: data).scalar, v == v.rounded(), abs(v) < 1e15 else {
                throw RuntimeError("this must be a whole number", span: e.span)
            }
            return Int(v)
        }
        let kind: Kind
        switch generator {
        case .bootstrap: kind = .bootstrap(sources: try positional.map(name))
        case .reweight:
            guard let y = positional.first, let by = labelled("by") else { throw RuntimeError("reweight(y, by = g)", span: call.span) }
            kind = .reweight(source: try name(y), by: try name(by))
        case .periodic:
            guard let y = positional.first else { throw RuntimeError("periodic needs data", span: call.span) }
            let opExpr = labelled("op") ?? (positional.count > 1 ? positional[1] : nil)
            let periodExpr = labelled("period") ?? (positional.count > 2 ? positional[2] : nil)
            guard let opExpr, let periodExpr else {
                throw RuntimeError("periodic takes a data array, an operator and a period", span: call.span)
            }
            let op: String
            switch opExpr.kind {
            case .name(let n): op = n
            case .lambda(let p, _, _): op = "\(p) -> …"
            default: throw RuntimeError("periodic's operator is a name or a function `v -> …`", span: opExpr.span)
            }
            kind = .periodic(source: try name(y), op: op, period: try count(periodExpr))
        case .parametricBootstrap:
            guard let y = positional.first else { throw RuntimeError("parametric_bootstrap needs data", span: call.span) }
            kind = .parametricBootstrap(source: try name(y))
        case .posteriorPredictive:
            guard let y = positional.first else { throw RuntimeError("posterior_predictive needs data", span: call.span) }
            kind = .posteriorPredictive(source: try name(y))
        case .model:
            guard let file = positional.first, case .string(let path) = file.kind, let fit = labelled("fit") else {
                throw RuntimeError("model(\"gen.synm\", fit = y)", span: call.span)
            }
            kind = .fittedModel(source: try name(fit), file: path)
        case .external:
            guard let nExpr = labelled("source_n") else {
                throw RuntimeError("external needs source_n", span: call.span)
            }
            let n = try count(nExpr)
            let k = try labelled("overlap").map(count) ?? 0
            guard n >= 1 else { throw RuntimeError("source_n is \(n); it must be at least 1", span: nExpr.span) }
            guard k >= 0, k <= n else {
                throw RuntimeError("overlap (\(k)) must be between 0 and source_n (\(n))", span: call.span)
            }
            kind = .external(sourceN: n, overlap: k)
        }
        return SyntheticNode(name: s.name, generator: generator, kind: kind, rows: rows)
    }

    /// The real data nodes node `s` is built from, through any chain of synthetic sources
    /// (`yb = bootstrap(yr)`, `yr = reweight(y, by = g)`: y), in order, and the generators of
    /// the synthetic nodes along the chain (not `s`'s own). The checker admits only
    /// synthetic sources declared earlier, so the walk ends.
    public static func roots(of s: SymbolInfo, model: CheckedModel) -> (roots: [String], upstream: [Generator]) {
        var roots: [String] = [], upstream: [Generator] = [], seen: Set<String> = [s.name]
        var queue = [s]
        while !queue.isEmpty {
            let node = queue.removeFirst()
            guard node.generator != .external, let call = node.generatorCall else { continue }
            // The rows' sources: positional arguments (`fit = y` for a generator model).
            for a in call.args where a.label == nil || (node.generator == .model && a.label == "fit") {
                guard case .name(let n) = a.value.kind, seen.insert(n).inserted, let source = model.symbol(named: n) else { continue }
                if source.role == .synthetic {
                    if let g = source.generator { upstream.append(g) }
                    queue.append(source)
                } else {
                    roots.append(n)
                }
            }
        }
        return (roots, upstream)
    }

    /// Every synthetic node of `model` (one per name).
    public static func all(_ model: CheckedModel, data: DataTable) throws -> [SyntheticNode] {
        try model.symbols.filter { $0.role == .synthetic }.map { try resolve($0, data: data) }
    }
}

/// What a synthetic node's rows are worth, in real rows (docs/STATISTICS.md).
public struct SyntheticWorth: Sendable, Equatable {
    /// N: the real units the rows were built from.
    public var sourceUnits: Int
    /// K′: of those, the units our own likelihood already counts (all N when the rows are
    /// built from a real node that is itself in the likelihood; the overlap for a third
    /// party's rows when our real data are in the likelihood; else 0).
    public var countedUnits: Int
    /// The warranted information of the rows, in real-row equivalents: a lower and an upper
    /// bound. Equal bounds mean the figure is exact.
    public var lower: Double
    public var upper: Double
    /// The cap footing's weight per row: the largest weight at which the rows do not
    /// overstate their information when they are resampled (or drawn) from the N units,
    /// K′ of them counted twice.
    public var capWeight: Double
    /// The result the bounds rest on.
    public var basis: String

    public var isExact: Bool { lower == upper }

    /// The largest per-row weight w for which a weighted likelihood's standard error is not
    /// smaller than the estimator's sampling SD, when m rows are resampled with replacement
    /// (or, `resample == false`, drawn afresh at an estimate) from N units of which K′ are
    /// also counted as our own rows. For a mean with unit variance the estimator is
    /// (S_own + w S_rows)/(n + w m); resampling gives its variance
    /// (n + 2wK′m/N + w²m(1 − 1/N + m/N))/(n + wm)², which equals the claimed 1/(n + wm)
    /// at w = (N − 2K′)/(N − 1 + m). Fresh draws at an estimate from N units:
    /// w = (N − 2K′)/(N + m). Clamped to [0, 1].
    public static func honestWeight(sourceUnits n: Int, counted k: Int, rows m: Int, resample: Bool) -> Double {
        guard m > 0, n > 0 else { return 0 }
        let w = Double(n - 2 * k) / Double(n + m - (resample ? 1 : 0))
        return min(1, max(0, w))
    }

    /// The worth of node `node`'s rows. `sourceInLikelihood`: the real node it is built from
    /// has a likelihood term of its own (with weight above 0); `realInLikelihood`: some real
    /// data node does. `distinctRows`: distinct rows among the node's rows, when known.
    ///
    /// `upstream`: the generators of the synthetic nodes between this node and its real
    /// source, for a node built from another synthetic node (empty otherwise). The composite
    /// generator is still a function of the real sample and fresh randomness, so Theorems 5
    /// and 8 apply to it with the root real node's N; the rows are copies of source units
    /// only if every link resamples, and Example 7's lower bound needs every link to be a
    /// bootstrap.
    public static func of(_ node: SyntheticNode, sourceRows: Int?, sourceInLikelihood: Bool, realInLikelihood: Bool,
                          distinctRows: Int?, upstream: [Generator] = []) -> SyntheticWorth {
        let m = node.rows
        switch node.kind {
        case .external(let n, let k):
            let counted = realInLikelihood ? k : 0
            let upper = Double(min(m, n - counted))
            return SyntheticWorth(sourceUnits: n, countedUnits: counted, lower: 0, upper: upper,
                                  capWeight: honestWeight(sourceUnits: n, counted: counted, rows: m, resample: true),
                                  basis: counted > 0
                                      ? "Theorem 8: at most source_n − overlap = \(n - counted) real units not already ours"
                                      : "Theorem 8: at most the source's \(n) real units")
        default:
            let n = sourceRows ?? 0
            if sourceInLikelihood {
                return SyntheticWorth(sourceUnits: n, countedUnits: n, lower: 0, upper: 0, capWeight: 0,
                                      basis: "Theorem 5: generated from our own sample, which the likelihood already holds")
            }
            // The source is not in the likelihood (the paper's Example 7): the rows carry some
            // of its information, at most that of the N units and of m rows.
            let resample = node.isResample && !upstream.contains { $0 == .parametricBootstrap || $0 == .posteriorPredictive }
            let upper = Double(resample ? min(m, n) : n)
            var lower = 0.0
            var basis = "Theorem 8: at most the \(n) real units they were built from"
            if case .bootstrap = node.kind, upstream.allSatisfy({ $0 == .bootstrap }), let d = distinctRows {
                lower = Double(min(d, n))
                basis = "Example 7: at least the \(d) distinct units drawn, at most the \(n) units resampled"
            }
            return SyntheticWorth(sourceUnits: n, countedUnits: 0, lower: lower, upper: upper,
                                  capWeight: honestWeight(sourceUnits: n, counted: 0, rows: m, resample: resample),
                                  basis: basis)
        }
    }

    /// The worth of every synthetic node with a likelihood term in `compiled`.
    public static func all(_ model: CheckedModel, compiled: CompiledModel) throws -> [String: SyntheticWorth] {
        let data = compiled.data
        let live = compiled.terms.filter { $0.isLikelihood && $0.syntheticNode == nil && $0.weight != 0 }
        let realRoots = Set(live.map { rootName($0.label) })
        let realInLikelihood = live.contains { t in model.symbol(named: rootName(t.label))?.role == .data }
        var out: [String: SyntheticWorth] = [:]
        for s in model.symbols where s.role == .synthetic {
            let node = try SyntheticNode.resolve(s, data: data)
            // The root real nodes decide: rows built, through any chain, from a sample the
            // likelihood holds are worth 0 (Theorem 5 for the composite generator).
            let (sources, upstream) = SyntheticNode.roots(of: s, model: model)
            let sourceRows = sources.first.flatMap { data[$0]?.shape.first }
            var distinct: Int?
            if let rows = data[s.name] {
                let width = rows.shape.count > 1 ? rows.count / max(1, rows.shape[0]) : 1
                var seen = Set<[Double]>()
                for r in 0..<(rows.shape.first ?? 0) { seen.insert(Array(rows.values[r * width..<(r + 1) * width])) }
                distinct = seen.count
            }
            out[s.name] = of(node, sourceRows: sourceRows, sourceInLikelihood: sources.contains { realRoots.contains($0) },
                             realInLikelihood: realInLikelihood, distinctRows: distinct, upstream: upstream)
        }
        return out
    }

    /// The node a term's left side reads: `y` of `y`, `y[i]`, `y[2:5]`.
    public static func rootName(_ label: String) -> String {
        String(label.prefix { $0 != "[" && $0 != " " && $0 != "(" })
    }
}
