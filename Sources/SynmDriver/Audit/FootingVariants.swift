// The footing variants `synm audit` compares (REFERENCE.md §3.7; the paper, §§3 and 5): the
// same model with its top-level `~` statements on synthetic nodes rewritten —
//   real-only    the synthetic terms dropped: the real data alone;
//   as-written   the model unchanged;
//   equal        every synthetic term at weight 1, as if its rows were real ("equal footing");
//   cap          every synthetic term at `footing cap`: weight 0 for rows generated from our
//                own sample (Theorem 5), min(1, (source_n − overlap)/m) for a third party's
//                rows (Theorem 8).
// A model without synthetic likelihood terms has only real-only and as-written (the same).
import SynmDiagnostics
import SynmFrontend

/// One footing variant of a model.
struct FootingVariant: Sendable {
    var name: String
    var model: CheckedModel
}

enum FootingVariants {
    static let names = ["real-only", "as-written", "equal", "cap"]

    /// The synthetic node on the left of a top-level `~` statement, if any.
    static func syntheticNode(_ s: Stmt, _ model: CheckedModel) -> SymbolInfo? {
        guard case .tilde(let lhs, _, _) = s.kind, let (name, _) = lhs.rootName,
              let symbol = model.symbol(named: name), symbol.role == .synthetic else { return nil }
        return symbol
    }

    /// The synthetic nodes with a top-level likelihood term, in statement order.
    static func syntheticTerms(_ model: CheckedModel) -> [SymbolInfo] {
        var seen: Set<String> = []
        return model.program.statements.compactMap { s in
            guard let symbol = syntheticNode(s, model), seen.insert(symbol.name).inserted else { return nil }
            return symbol
        }
    }

    /// The variants of `model`: all four when it has synthetic likelihood terms, else
    /// real-only and as-written.
    static func variants(of model: CheckedModel) -> [FootingVariant] {
        let hasSynthetic = !syntheticTerms(model).isEmpty
        var out = [FootingVariant(name: "real-only", model: realOnly(model)), FootingVariant(name: "as-written", model: model)]
        if hasSynthetic {
            out.append(FootingVariant(name: "equal", model: rewrite(model) { _ in .equal }))
            out.append(FootingVariant(name: "cap", model: rewrite(model) { _ in .cap }))
        }
        return out
    }

    /// The model without its top-level `~` statements on synthetic nodes.
    static func realOnly(_ model: CheckedModel) -> CheckedModel {
        var m = model
        m.program.statements = model.program.statements.filter { syntheticNode($0, model) == nil }
        return m
    }

    /// The model with the footing of every top-level synthetic `~` statement replaced.
    static func rewrite(_ model: CheckedModel, _ footing: (SymbolInfo) -> FootingKind) -> CheckedModel {
        var m = model
        m.program.statements = model.program.statements.map { s in
            guard let symbol = syntheticNode(s, model), case .tilde(let lhs, let dist, let old) = s.kind else { return s }
            var t = s
            t.kind = .tilde(lhs: lhs, dist: dist, footing: Footing(kind: footing(symbol), span: old?.span ?? s.span))
            return t
        }
        return m
    }
}
