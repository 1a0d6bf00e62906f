// The structure `synm check` prints: data, parameters, lets, synthetic and predict nodes.
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmRuntime
import SynmSynthetic

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
    static func compact(_ text: String) -> String { compactText(text) }

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
        out += section("functions", model.functions.map {
            Row(name: $0.name, type: "(\($0.arguments.map { "\($0.name): \($0.type.written)" }.joined(separator: ", "))) -> \($0.result.written)",
                detail: "")
        })
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
            if !model.functions.isEmpty {
                members.insert(JSONMember("functions", .array(model.functions.map { f in
                    .object([JSONMember("name", .string(f.name)), JSONMember("signature", .string(f.signature))])
                })), at: 2)
            }
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
        // vector, row_vector or matrix (absent for scalars and plain arrays).
        if s.type.kind != .array { m.append(JSONMember("kind", .string(s.type.kind.rawValue))) }
        if let t = s.declaredType {
            if !t.dims.isEmpty { m.append(JSONMember("dims", .array(t.dims.map { .string(compact(file.text(of: $0.span))) }))) }
            if let l = t.lower { m.append(JSONMember("lower", .string(compact(file.text(of: l.span))))) }
            if let u = t.upper { m.append(JSONMember("upper", .string(compact(file.text(of: u.span))))) }
            // Stan's constrained type (its dims are the value's shape: cov_matrix[K] is K × K).
            if let c = t.constrained { m.append(JSONMember("constrained", .string(c.name))) }
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

