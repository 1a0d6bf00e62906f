// The structure `synm check` prints: data, parameters, lets, synthetic and predict nodes.
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmRuntime

enum ModelStructure {
    /// One row of the table: name, type, and a description.
    struct Row {
        var name: String
        var type: String
        var detail: String
    }

    static func typeText(_ s: SymbolInfo, file: SourceFile) -> String {
        if let t = s.declaredType { return compact(file.text(of: t.span)) }
        return s.type.description
    }

    /// Collapses runs of whitespace (a type may span lines inside brackets).
    static func compact(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .joined(separator: " ").replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: ",", with: ", ")
    }

    static func rows(_ model: CheckedModel, _ role: Role, file: SourceFile) -> [Row] {
        model.symbols.filter { $0.role == role || (role == .data && $0.role == .size) }.map { s in
            Row(name: s.name, type: typeText(s, file: file), detail: detail(s, file: file))
        }
    }

    static func detail(_ s: SymbolInfo, file: SourceFile) -> String {
        switch s.role {
        case .size:
            return "size, from the data"
        case .data:
            guard let v = s.defaultValue else { return "" }
            if case .array(let es) = v.kind { return "default: \(es.count) value\(es.count == 1 ? "" : "s")" }
            return "default: \(compact(file.text(of: v.span)))"
        case .let:
            return s.dependsOnParameters ? "per draw" : "from data, computed once"
        case .synthetic:
            var parts: [String] = []
            if let call = s.generatorCall { parts.append(compact(file.text(of: call.span))) }
            if s.footings.isEmpty {
                parts.append("no likelihood term")
            } else {
                parts.append(s.footings.map { compact(file.text(of: $0.span)) }.joined(separator: "; "))
            }
            if let g = s.generator {
                parts.append(g.isFromOwnSample ? "built from our own sample" : "third party's rows")
            }
            return parts.joined(separator: "   ")
        case .predict:
            return s.distribution.map { "~ " + compact(file.text(of: $0.span)) } ?? ""
        default:
            return ""
        }
    }

    static func section(_ title: String, _ rows: [Row], notes: [String: [String]] = [:]) -> String {
        guard !rows.isEmpty else { return "" }
        let nw = rows.map(\.name.count).max()!, tw = rows.map(\.type.count).max()!
        var out = "\(title) (\(rows.count))\n"
        for r in rows {
            var line = "  " + r.name.padding(toLength: nw, withPad: " ", startingAt: 0)
            line += "  " + (r.detail.isEmpty ? r.type : r.type.padding(toLength: tw, withPad: " ", startingAt: 0))
            if !r.detail.isEmpty { line += "  " + r.detail }
            out += line + "\n"
            for note in notes[r.name] ?? [] { out += String(repeating: " ", count: nw + 4) + note + "\n" }
        }
        return out
    }

    static func text(_ model: CheckedModel, file: SourceFile) -> String {
        var out = "model \(file.name)\n"
        out += section("data", rows(model, .data, file: file))
        out += section("parameters", rows(model, .param, file: file))
        out += section("lets", rows(model, .let, file: file))
        var accounting: [String: [String]] = [:]
        for s in model.symbols where s.role == .synthetic {
            accounting[s.name] = SyntheticAccounting.statically(s, model: model, file: file).map(\.text)
        }
        out += section("synthetic", rows(model, .synthetic, file: file), notes: accounting)
        out += section("predict", rows(model, .predict, file: file))
        out += "statements: \(model.statementCount)\n"
        return out
    }

    // MARK: - JSON

    static func json(_ loaded: LoadedModel, ok: Bool) -> JSONValue {
        let file = loaded.file
        var members: [JSONMember] = [JSONMember("model", .string(file.name)), JSONMember("ok", .bool(ok))]
        if ok, let model = loaded.result.model {
            func entries(_ roles: [Role]) -> JSONValue {
                .array(model.symbols.filter { roles.contains($0.role) }.map { symbolJSON($0, model: model, file: file) })
            }
            members += [
                JSONMember("data", entries([.data, .size])),
                JSONMember("parameters", entries([.param])),
                JSONMember("lets", entries([.let])),
                JSONMember("synthetic", entries([.synthetic])),
                JSONMember("predict", entries([.predict])),
                JSONMember("statements", .integer(model.statementCount)),
            ]
        }
        members.append(JSONMember("diagnostics", .array(loaded.result.diagnostics.map { diagnosticJSON($0, file: file) })))
        return .object(members)
    }

    static func symbolJSON(_ s: SymbolInfo, model: CheckedModel, file: SourceFile) -> JSONValue {
        var m: [JSONMember] = [
            JSONMember("name", .string(s.name)),
            JSONMember("type", .string(typeText(s, file: file))),
            JSONMember("base", .string(s.type.base.rawValue)),
            JSONMember("rank", .integer(s.type.rank)),
        ]
        if let t = s.declaredType {
            if !t.dims.isEmpty { m.append(JSONMember("dims", .array(t.dims.map { .string(compact(file.text(of: $0.span))) }))) }
            if let l = t.lower { m.append(JSONMember("lower", .string(compact(file.text(of: l.span))))) }
            if let u = t.upper { m.append(JSONMember("upper", .string(compact(file.text(of: u.span))))) }
        }
        switch s.role {
        case .size: m.append(JSONMember("inferred", .bool(true)))
        case .data: m.append(JSONMember("has_default", .bool(s.defaultValue != nil)))
        case .let: m.append(JSONMember("per_draw", .bool(s.dependsOnParameters)))
        case .synthetic:
            if let call = s.generatorCall {
                m.append(JSONMember("generator", .string(call.name)))
                m.append(JSONMember("call", .string(compact(file.text(of: call.span)))))
            }
            if let g = s.generator { m.append(JSONMember("from_own_sample", .bool(g.isFromOwnSample))) }
            m.append(JSONMember("footing", .array(s.footings.map { .string(compact(file.text(of: $0.span))) })))
            let accounting = SyntheticAccounting.statically(s, model: model, file: file)
            if let rows = accounting.first?.rows ?? SyntheticAccounting.staticRows(s, model: model) {
                m.append(JSONMember("rows", .integer(rows)))
            }
            m.append(JSONMember("weights", .array(accounting.map { $0.weight.map { .real($0) } ?? .null })))
            m.append(JSONMember("real_row_equivalents", .array(accounting.map { $0.realRows.map { .real($0) } ?? .null })))
            m.append(JSONMember("accounting", .array(accounting.map { .string($0.text) })))
        case .predict:
            if let d = s.distribution { m.append(JSONMember("distribution", .string(d.name))) }
        default: break
        }
        return .object(m)
    }

    static func diagnosticJSON(_ d: Diagnostic, file: SourceFile) -> JSONValue {
        var m: [JSONMember] = [
            JSONMember("severity", .string(d.severity.rawValue)),
            JSONMember("code", .string(d.code)),
            JSONMember("message", .string(d.message)),
        ]
        if let span = d.span {
            let loc = file.location(of: span.start)
            m.append(JSONMember("line", .integer(loc.line)))
            m.append(JSONMember("column", .integer(loc.column)))
        }
        if let h = d.hint { m.append(JSONMember("hint", .string(h))) }
        if !d.notes.isEmpty { m.append(JSONMember("notes", .array(d.notes.map { .string($0) }))) }
        return .object(m)
    }
}

// MARK: - Synthetic accounting

/// How much a synthetic node's rows count in the posterior, in real rows (DESIGN.md §2): its
/// generator, size, footing and the weight the footing gives each row. `synm check` builds it
/// from what the model fixes statically (literal sizes, embedded defaults); `synm run` from
/// the rows and weights the run used.
struct SyntheticAccounting {
    enum Kind {
        case equal, cap, none
        case power(Double?)
        /// A constant weight, or nil for a weight over parameters (per draw).
        case weight(Double?, perDraw: Bool)
    }

    var node: String
    var generator: Generator?
    /// The number of rows, when known.
    var rows: Int?
    /// The size as written (`m`), for "m rows (from the data)".
    var sizeText: String
    var kind: Kind
    /// The footing as written (`footing power(0.1)`).
    var footingText: String
    /// For external rows: source_n and overlap, when known.
    var sourceN: Double?
    var overlap: Double?
    /// The weight the compiler gave the term, when it is known (overrides the static one).
    var compiledWeight: Double?

    /// The weight of each row: equal 1, power(a) a, cap 0 on our own sample and
    /// min(1, (source_n − overlap)/m) on a third party's rows, a constant weight itself.
    var weight: Double? {
        if let compiledWeight { return compiledWeight }
        switch kind {
        case .equal: return 1
        case .none: return 0
        case .power(let a): return a
        case .weight(let w, _): return w
        case .cap:
            guard generator == .external else { return 0 }
            guard let n = sourceN, let rows else { return nil }
            guard rows > 0 else { return 0 }
            return min(1, (n - (overlap ?? 0)) / Double(rows))
        }
    }

    /// rows × weight: how many real rows the node's rows are worth.
    var realRows: Double? {
        if case .cap = kind, generator != .external { return 0 }
        if case .none = kind { return 0 }
        guard let w = weight, let rows else { return nil }
        return Double(rows) * w
    }

    var rowsText: String {
        if let rows { return "\(rows) row\(rows == 1 ? "" : "s")" }
        return "\(sizeText) rows (from the data)"
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        let s = String(format: "%.4g", x)
        return s
    }

    /// One line: "200 rows × power 0.1 = 20 real rows".
    var text: String {
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
            guard generator == .external else {
                return "\(rowsText) at cap = 0 real rows (Theorem 5: built from our own sample)"
            }
            guard let n = sourceN else {
                return "\(rowsText) at cap = (source_n − overlap) real rows at most (Theorem 8; from the data)"
            }
            let budget = n - (overlap ?? 0)
            if let rows, Double(rows) < budget {
                return "\(rowsText) at cap × weight 1 = \(rows) real row\(rows == 1 ? "" : "s") (fewer rows than source_n − overlap = \(Self.number(budget)); Theorem 8)"
            }
            if let rows {
                return "\(rowsText) at cap × weight \(Self.number(weight ?? 0)) = (source_n − overlap) = \(Self.number(budget)) real rows (Theorem 8)"
            }
            return "\(rowsText) at cap = (source_n − overlap) = \(Self.number(budget)) real rows at most (Theorem 8)"
        }
    }

    /// The value of a data-only scalar expression, from literals and `lookup` (nil if unknown).
    static func value(_ e: Expr, _ lookup: (String) -> Double?) -> Double? {
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
    static func defaultLookup(_ model: CheckedModel) -> (String) -> Double? {
        { name in
            guard let s = model.symbol(named: name), s.role == .data, let d = s.defaultValue else { return nil }
            return value(d) { _ in nil }
        }
    }

    static func staticRows(_ s: SymbolInfo, model: CheckedModel) -> Int? {
        guard let d = s.declaredType?.dims.first, let v = value(d, defaultLookup(model)), v >= 0, v == v.rounded() else { return nil }
        return Int(v)
    }

    /// One entry per footing of node `s` (or one "no likelihood term" entry), with the values
    /// `lookup` knows; `weights` are the compiled weights of its terms, in order, if known.
    static func build(_ s: SymbolInfo, file: SourceFile, rows: Int?, lookup: (String) -> Double?,
                      weights: [Double?] = []) -> [SyntheticAccounting] {
        let sizeText: String = {
            guard let d = s.declaredType?.dims.first else { return "?" }
            if case .name(let n) = d.kind { return n }
            return "the declared number of"
        }()
        var sourceN: Double?, overlap: Double?
        if s.generator == .external, let call = s.generatorCall {
            sourceN = call.args.first { $0.label == "source_n" }.flatMap { value($0.value, lookup) }
            overlap = call.args.first { $0.label == "overlap" }.map { value($0.value, lookup) } ?? 0
        }
        func make(_ kind: Kind, _ text: String, _ w: Double?) -> SyntheticAccounting {
            SyntheticAccounting(node: s.name, generator: s.generator, rows: rows, sizeText: sizeText, kind: kind,
                                footingText: text, sourceN: sourceN, overlap: overlap, compiledWeight: w)
        }
        if s.footings.isEmpty { return [make(.none, "", nil)] }
        return s.footings.enumerated().map { k, f in
            let w = k < weights.count ? weights[k] : nil
            let text = ModelStructure.compact(file.text(of: f.span))
            switch f.kind {
            case .equal: return make(.equal, text, w)
            case .cap: return make(.cap, text, w)
            case .power(let a, _): return make(.power(value(a, lookup) ?? w), text, w)
            case .weight(let e):
                let v = value(e, lookup) ?? w
                return make(.weight(v, perDraw: v == nil), text, w)
            }
        }
    }

    /// What a run used: the rows and values of `data`, the weights of the compiled terms.
    static func actual(_ model: CheckedModel, file: SourceFile, data: DataTable, terms: [TermSummary]) -> [SyntheticAccounting] {
        let lookup: (String) -> Double? = { name in
            guard let a = data[name], a.count == 1 else { return nil }
            return a.values[0]
        }
        return model.symbols.filter { $0.role == .synthetic }.flatMap { s in
            build(s, file: file, rows: data[s.name]?.shape.first, lookup: lookup,
                  weights: terms.filter { $0.syntheticNode == s.name && $0.isLikelihood }.map(\.weight))
        }
    }

    /// The `synthetic` object of `synm run --json`: per node, its generator, rows, footing,
    /// weight per row and real-row equivalents (summed over its terms; null when a weight
    /// depends on parameters).
    static func json(_ entries: [SyntheticAccounting]) -> JSONValue {
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
    static func statically(_ s: SymbolInfo, model: CheckedModel, file: SourceFile) -> [SyntheticAccounting] {
        build(s, file: file, rows: staticRows(s, model: model), lookup: defaultLookup(model))
    }
}
