// The accounting of synthetic rows: how many real rows a synthetic node's rows are worth
// under its footing (docs/STATISTICS.md).
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime


/// How much a synthetic node's rows count in the posterior, in real rows (docs/STATISTICS.md §2): its
/// generator, size, footing and the weight the footing gives each row. `synm check` builds it
/// from what the model fixes statically (literal sizes, embedded defaults); `synm run` from
/// the rows and weights the run used.
public struct SyntheticAccounting {
    public enum Kind {
        case equal, cap, calibrated, none
        case power(Double?)
        /// A constant weight, or nil for a weight over parameters (per draw).
        case weight(Double?, perDraw: Bool)
    }

    public var node: String
    public var generator: Generator?
    /// The number of rows, when known.
    public var rows: Int?
    /// The size as written (`m`), for "m rows (from the data)".
    public var sizeText: String
    public var kind: Kind
    /// The footing as written (`footing power(0.1)`).
    public var footingText: String
    /// For external rows: source_n and overlap, when known.
    public var sourceN: Double?
    public var overlap: Double?
    /// The weight the compiler gave the term, when it is known (overrides the static one).
    public var compiledWeight: Double?
    /// What the rows are worth, when the sizes are known (SyntheticWorth).
    public var worth: SyntheticWorth?

    /// The weight of each row: equal 1, power(a) a, cap 0 on our own sample and
    /// min(1, (source_n − overlap)/m) on a third party's rows, a constant weight itself.
    public var weight: Double? {
        if let compiledWeight { return compiledWeight }
        switch kind {
        case .equal: return 1
        case .none: return 0
        case .power(let a): return a
        case .weight(let w, _): return w
        case .cap: return worth?.capWeight
        case .calibrated: return nil
        }
    }

    /// rows × weight: how many real rows the node's rows are worth.
    public var realRows: Double? {
        if case .none = kind { return 0 }
        guard let w = weight, let rows else { return nil }
        return Double(rows) * w
    }

    public var rowsText: String {
        if let rows { return "\(rows) row\(rows == 1 ? "" : "s")" }
        return "\(sizeText) rows (from the data)"
    }

    public static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        let s = String(format: "%.4g", x)
        return s
    }

    /// One line: "200 rows × power 0.1 = 20 real rows".
    public var text: String {
        func realRowsText(_ v: Double?) -> String {
            guard let v else { return "" }
            return " = \(Self.number(v)) real row\(v == 1 ? "" : "s")"
        }
        switch kind {
        case .none:
            return "\(rowsText), no likelihood term: 0 real rows"
        case .equal:
            let total = rows == nil ? " = \(sizeText) real rows" : realRowsText(realRows)
            return "\(rowsText) × 1\(total) (equal footing: counted as real data)"
        case .power(let a):
            guard let a else {
                let most = rows.map { " and \($0)" } ?? " and \(sizeText)"
                return "\(rowsText) × \(footingText.replacingOccurrences(of: "footing ", with: "")) per draw: between 0\(most) real rows"
            }
            let aText = Self.number(a)
            if rows == nil { return "\(rowsText) × power \(aText) = \(Self.number(a))·\(sizeText) real rows" }
            return "\(rowsText) × power \(aText)\(realRowsText(realRows))"
        case .weight(let w, let perDraw):
            if perDraw || w == nil {
                let most = rows.map { " and \($0)" } ?? " and \(sizeText)"
                return "\(rowsText) × \(footingText.replacingOccurrences(of: "footing ", with: "")) per draw: between 0\(most) real rows"
            }
            if rows == nil, let w { return "\(rowsText) × weight \(Self.number(w)) = \(Self.number(w))·\(sizeText) real rows" }
            return "\(rowsText) × weight \(Self.number(w ?? 0))\(realRowsText(realRows))"
        case .cap:
            guard let worth else {
                if let n = sourceN {
                    let k = (overlap ?? 0)
                    return "\(rowsText) at cap × weight (N − 2K)/(N + m − 1) with N = \(Self.number(n)), K = \(Self.number(k)): at most \(Self.number(n - k)) real rows (Theorem 8; docs/STATISTICS.md)"
                }
                return "\(rowsText) at cap: the weight is set when the data fix the sizes (docs/STATISTICS.md)"
            }
            if worth.capWeight == 0 {
                return "\(rowsText) at cap × weight 0 = 0 real rows (\(worth.basis))"
            }
            let w = compiledWeight ?? worth.capWeight
            let real = rows.map { Double($0) * w }
            return "\(rowsText) at cap × weight \(Self.number(w))\(real.map { " = at most \(Self.number($0)) real rows" } ?? "") (resampled from \(worth.sourceUnits) units, \(worth.countedUnits) counted twice; \(worth.basis))"
        case .calibrated:
            guard let w = compiledWeight else {
                return "\(rowsText) at a weight calibrated by simulation when the model runs\(worth.map { " (the cap weight is \(Self.number($0.capWeight)))" } ?? "")"
            }
            return "\(rowsText) × calibrated weight \(Self.number(w))\(realRowsText(realRows)) (calibrated by simulation)"
        }
    }

    /// The value of a data-only scalar expression, from literals and `lookup` (nil if unknown).
    public static func value(_ e: Expr, _ lookup: (String) -> Double?) -> Double? {
        switch e.kind {
        case .intLiteral(let v): return Double(v)
        case .realLiteral(let v): return v
        case .name(let n): return lookup(n)
        case .unary(let op, let x):
            guard let v = value(x, lookup) else { return nil }
            switch op {
            case .negate: return -v
            case .plus: return v
            case .not: return nil
            }
        case .binary(let op, let l, let r):
            guard let a = value(l, lookup), let b = value(r, lookup) else { return nil }
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return b == 0 ? nil : a / b
            default: return nil
            }
        default: return nil
        }
    }

    /// A scalar data node's embedded default, if it is a number.
    public static func defaultLookup(_ model: CheckedModel) -> (String) -> Double? {
        { name in
            guard let s = model.symbol(named: name), s.role == .data, let d = s.defaultValue else { return nil }
            return value(d) { _ in nil }
        }
    }

    public static func staticRows(_ s: SymbolInfo, model: CheckedModel) -> Int? {
        guard let d = s.declaredType?.dims.first, let v = value(d, defaultLookup(model)), v >= 0, v == v.rounded() else { return nil }
        return Int(v)
    }

    /// One entry per footing of node `s` (or one "no likelihood term" entry), with the values
    /// `lookup` knows; `weights` are the compiled weights of its terms, in order, if known.
    public static func build(_ s: SymbolInfo, file: SourceFile, rows: Int?, lookup: (String) -> Double?,
                             sourceRows: Int?, model: CheckedModel, weights: [Double?] = []) -> [SyntheticAccounting] {
        let sizeText: String = {
            guard let d = s.declaredType?.dims.first else { return "?" }
            if case .name(let n) = d.kind { return n }
            return "(" + compactText(file.text(of: d.span)) + ")"
        }()
        var sourceN: Double?, overlap: Double?
        if s.generator == .external, let call = s.generatorCall {
            sourceN = call.args.first { $0.label == "source_n" }.flatMap { value($0.value, lookup) }
            overlap = call.args.first { $0.label == "overlap" }.map { value($0.value, lookup) } ?? 0
        }
        let worth = Self.worth(s, model: model, rows: rows, sourceRows: sourceRows, sourceN: sourceN, overlap: overlap)
        func make(_ kind: Kind, _ text: String, _ w: Double?) -> SyntheticAccounting {
            SyntheticAccounting(node: s.name, generator: s.generator, rows: rows, sizeText: sizeText, kind: kind,
                                footingText: text, sourceN: sourceN, overlap: overlap, compiledWeight: w, worth: worth)
        }
        if s.footings.isEmpty { return [make(.none, "", nil)] }
        return s.footings.enumerated().map { k, f in
            let w = k < weights.count ? weights[k] : nil
            let text = compactText(file.text(of: f.span))
            switch f.kind {
            case .equal: return make(.equal, text, w)
            case .cap: return make(.cap, text, w)
            case .calibrated: return make(.calibrated, text, w)
            case .power(let a, _): return make(.power(value(a, lookup) ?? w), text, w)
            case .weight(let e):
                let v = value(e, lookup) ?? w
                return make(.weight(v, perDraw: v == nil), text, w)
            }
        }
    }

    /// What the rows are worth from what is known without compiling: sizes, and which data
    /// nodes have a likelihood term (SyntheticWorth.of).
    static func worth(_ s: SymbolInfo, model: CheckedModel, rows: Int?, sourceRows: Int?, sourceN: Double?, overlap: Double?)
        -> SyntheticWorth?
    {
        guard let generator = s.generator, let call = s.generatorCall else { return nil }
        let (roots, upstream) = SyntheticNode.roots(of: s, model: model)
        if generator != .external, roots.contains(where: { model.symbol(named: $0)?.hasLikelihood == true }) {
            // Theorem 5 needs no sizes.
            return SyntheticWorth(sourceUnits: sourceRows ?? 0, countedUnits: sourceRows ?? 0, lower: 0, upper: 0, capWeight: 0,
                                  basis: "Theorem 5: built from our own sample, which the likelihood already holds")
        }
        guard let rows else { return nil }
        let realInLikelihood = model.symbols.contains { $0.role == .data && $0.hasLikelihood }
        let kind: SyntheticNode.Kind
        var sources: [String] = []
        if generator == .external {
            guard let n = sourceN, n >= 1, n == n.rounded(), n < 1e12 else { return nil }
            kind = .external(sourceN: Int(n), overlap: Int(overlap ?? 0))
        } else {
            sources = call.args.filter { $0.label == nil }.compactMap { a -> String? in
                if case .name(let n) = a.value.kind { return n }
                return nil
            }
            guard let first = sources.first else { return nil }
            switch generator {
            case .bootstrap: kind = .bootstrap(sources: generator == .bootstrap ? sources : [first])
            case .parametricBootstrap: kind = .parametricBootstrap(source: first)
            case .posteriorPredictive: kind = .posteriorPredictive(source: first)
            case .model: kind = .fittedModel(source: roots.first ?? first, file: "")
            default: kind = .reweight(source: first, by: "")
            }
            if sourceRows == nil { return nil }
        }
        let node = SyntheticNode(name: s.name, generator: generator, kind: kind, rows: rows)
        let sourceInLikelihood = roots.contains { model.symbol(named: $0)?.hasLikelihood == true }
        return SyntheticWorth.of(node, sourceRows: sourceRows, sourceInLikelihood: sourceInLikelihood,
                                 realInLikelihood: realInLikelihood, distinctRows: nil, upstream: upstream)
    }

    /// The real data node a generator's rows come from (its first argument, or for a node
    /// built from another synthetic node, the first real node of the chain).
    static func sourceName(_ s: SymbolInfo, model: CheckedModel) -> String? {
        guard s.generator != .external else { return nil }
        return SyntheticNode.roots(of: s, model: model).roots.first
    }

    /// What a run used: the rows and values of `data`, the weights of the compiled terms.
    public static func actual(_ model: CheckedModel, file: SourceFile, data: DataTable, terms: [TermSummary]) -> [SyntheticAccounting] {
        let lookup: (String) -> Double? = { name in
            guard let a = data[name], a.count == 1 else { return nil }
            return a.values[0]
        }
        return model.symbols.filter { $0.role == .synthetic }.flatMap { s in
            build(s, file: file, rows: data[s.name]?.shape.first, lookup: lookup,
                  sourceRows: sourceName(s, model: model).flatMap { data[$0]?.shape.first }, model: model, weights: terms.filter { $0.syntheticNode == s.name && $0.isLikelihood }.map(\.weight))
        }
    }

    /// The `synthetic` object of `synm run --json`: per node, its generator, rows, footing,
    /// weight per row and real-row equivalents (summed over its terms; null when a weight
    /// depends on parameters).
    public static func json(_ entries: [SyntheticAccounting]) -> JSONValue {
        var nodes: [String] = []
        for e in entries where !nodes.contains(e.node) { nodes.append(e.node) }
        return .object(nodes.map { name in
            let es = entries.filter { $0.node == name }
            let weights = es.map(\.weight), real = es.map(\.realRows)
            let footing = es.map { $0.footingText.isEmpty ? "none" : $0.footingText.replacingOccurrences(of: "footing ", with: "") }
            return JSONMember(name, .object([
                JSONMember("generator", es[0].generator.map { .string($0.rawValue) } ?? .null),
                JSONMember("rows", es[0].rows.map { .integer($0) } ?? .null),
                JSONMember("footing", .string(footing.joined(separator: "; "))),
                JSONMember("weight", weights.contains { $0 == nil } ? .null : .real(weights.reduce(0) { $0 + $1! })),
                JSONMember("real_row_equivalents", real.contains { $0 == nil } ? .null : .real(real.reduce(0) { $0 + $1! })),
                JSONMember("accounting", .array(es.map { .string($0.text) })),
            ]))
        })
    }

    /// What `synm check` knows without data.
    public static func statically(_ s: SymbolInfo, model: CheckedModel, file: SourceFile) -> [SyntheticAccounting] {
        let sourceRows = sourceName(s, model: model).flatMap { model.symbol(named: $0) }.flatMap { source -> Int? in
            guard let d = source.defaultValue, case .array(let es) = d.kind else { return nil }
            return es.count
        }
        return build(s, file: file, rows: staticRows(s, model: model), lookup: defaultLookup(model), sourceRows: sourceRows,
                     model: model)
    }
}

/// Collapses runs of whitespace (a type or footing may span lines inside brackets).
public func compactText(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        .joined(separator: " ").replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: ",", with: ", ")
}
