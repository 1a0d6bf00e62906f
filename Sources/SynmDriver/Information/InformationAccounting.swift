// Information accounting per data source (REFERENCE.md §3.7): the observed information of
// the log-likelihood, J = −∇² ℓ (priors excluded), split over the top-level likelihood terms,
// each term's information as its footing *claims* it (weight × its own information) beside
// the information it is *warranted*:
//   - real data: its own information (unweighted);
//   - rows generated from our own sample (bootstrap, reweight, periodic, parametric
//     bootstrap, posterior predictive): 0 — Theorem 5 of the paper: Y | X ~ q(· | X) with q
//     free of θ adds no Fisher information beyond X;
//   - a third party's m rows built from N units, K of them also ours: at most N − K
//     real-row equivalents — Theorem 8: I_Y ≤ I_X(source); we scale the rows' own
//     information by min(1, (N − K)/m).
// Effective sample size (in real rows) of a source: rows × tr(claimed) / tr(own information),
// i.e. its claimed information as a multiple of the information one of its rows would carry
// if it were a real row (for a constant weight a this is a·m, the power prior's a₀n₀).
// Information inflation factor: (det ΣClaimed / det ΣWarranted)^(1/d), the geometric mean
// of the factors by which the claimed information exceeds the warranted; invariant under
// reparameterisation (the Jacobian determinants cancel), so the same on both scales.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmMath
import SynmRuntime

/// One likelihood source's information.
struct SourceInformation: Sendable {
    /// The term's left side (`y`, `yb`), or `(other terms)` for terms inside loops.
    var node: String
    /// "real", or the synthetic node's generator ("bootstrap", "external", …).
    var kind: String
    /// The footing as written ("equal" when none is written).
    var footing: String
    /// The constant footing weight (nil for a weight over parameters).
    var weight: Double?
    /// The number of values on the left side, when it is a whole data node.
    var rows: Int?
    /// weight × own information: what the model as written treats the term as carrying.
    var claimed: Matrix
    /// The term's own (unweighted) information.
    var own: Matrix
    /// The fraction of `own` that the source is warranted (1 real, 0 own sample, capped external).
    var warrantedFraction: Double
    /// Which result the warranted value rests on.
    var basis: String

    var warranted: Matrix { own.scaled(warrantedFraction) }
    /// Real-row equivalents claimed: rows × tr(claimed)/tr(own).
    var essClaimed: Double? { ess(claimed) }
    var essWarranted: Double? { ess(warranted) }
    func ess(_ m: Matrix) -> Double? {
        guard let rows else { return nil }
        let t = own.trace
        return t == 0 ? 0 : Double(rows) * m.trace / t
    }
}

/// The per-source accounting at one point.
struct InformationAccounting: Sendable {
    var sources: [SourceInformation]
    var claimedTotal: Matrix
    var warrantedTotal: Matrix

    /// (det claimed / det warranted)^(1/d); +∞ when the warranted information is singular.
    var inflation: Double {
        let d = claimedTotal.rows
        guard d > 0 else { return 1 }
        guard let c = claimedTotal.logDeterminantSPD() else { return .nan }
        guard let w = warrantedTotal.logDeterminantSPD() else { return .infinity }
        return Foundation.exp((c - w) / Double(d))
    }

    /// Splits the observed information at `x` (scale given by `unconstrained`) over the
    /// top-level likelihood terms. `observed` is −∇² of the whole log-likelihood there.
    static func compute(model: CheckedModel, compiled: inout CompiledModel, source: SourceFile, x: [Double],
                        unconstrained: Bool, observed: Matrix, seed: UInt64) throws -> InformationAccounting {
        let d = x.count
        func information(_ m: inout CompiledModel, _ term: Int) throws -> Matrix {
            let h = try m.hessian(x, options: CompiledModel.Options(unconstrained: unconstrained, jacobian: false, onlyTerm: term)).hessian
            return Matrix(rows: d, cols: d, storage: h.flatMap { $0.map { -$0 } })
        }
        let likelihoodTerms = compiled.terms.filter(\.isLikelihood)
        // Own (unweighted) information: the same model with every footing set to `equal`.
        var unit: CompiledModel?
        if likelihoodTerms.contains(where: { $0.weight != 1 }) {
            unit = try CompiledModel(model: equalFooting(model), source: source, data: compiled.data, seed: seed)
        }
        var sources: [SourceInformation] = []
        var sum = Matrix(rows: d, cols: d)
        for term in likelihoodTerms {
            let claimed = try information(&compiled, term.id)
            let own = unit == nil ? claimed : try information(&unit!, term.id)
            sum = sum + claimed
            let statement = topLevelTilde(model, span: term.span)
            let footing = statement?.footing.map { source.text(of: $0.span).replacingOccurrences(of: "footing ", with: "") } ?? "equal"
            var kind = "real", fraction = 1.0, basis = "real data: its own information"
            if let name = term.syntheticNode, let symbol = model.symbol(named: name), let generator = symbol.generator {
                kind = generator.rawValue
                if generator == .external {
                    let (n, k) = try externalSource(symbol, data: compiled.data)
                    let m = Double(compiled.data[name]?.count ?? 0)
                    fraction = m > 0 ? min(1, max(0, n - k) / m) : 0
                    basis = "Theorem 8: at most source_n − overlap = \(String(format: "%g", n - k)) real units for \(Int(m)) rows"
                } else {
                    fraction = 0
                    basis = "Theorem 5: generated from our own sample, no information beyond it"
                }
            }
            let rows = statement.flatMap { s -> Int? in
                guard case .name(let n) = s.lhs.kind else { return nil }
                return compiled.data[n]?.count
            }
            sources.append(SourceInformation(node: term.label, kind: kind, footing: footing, weight: term.weight, rows: rows,
                                             claimed: claimed, own: own, warrantedFraction: fraction, basis: basis))
        }
        // Likelihood terms inside loops or conditionals are not top-level terms: account for
        // them together, as real data.
        let residual = observed - sum
        let scale = max(1e-300, observed.storage.map(abs).max() ?? 0)
        if residual.storage.contains(where: { abs($0) > 1e-9 * scale }) {
            sources.append(SourceInformation(node: "(other terms)", kind: "real", footing: "equal", weight: nil, rows: nil,
                                             claimed: residual, own: residual, warrantedFraction: 1,
                                             basis: "likelihood terms inside loops or conditionals, counted as real data"))
        }
        var warranted = Matrix(rows: d, cols: d)
        for s in sources { warranted = warranted + s.warranted }
        return InformationAccounting(sources: sources, claimedTotal: observed, warrantedTotal: warranted)
    }

    /// The model with every footing (at any depth) replaced by `equal` (weight 1).
    static func equalFooting(_ model: CheckedModel) -> CheckedModel {
        func rewrite(_ statements: [Stmt]) -> [Stmt] {
            statements.map { s in
                var t = s
                switch s.kind {
                case .tilde(let lhs, let dist, var footing?):
                    footing.kind = .equal
                    t.kind = .tilde(lhs: lhs, dist: dist, footing: footing)
                case .forLoop(let v, let vs, let lo, let hi, let body):
                    t.kind = .forLoop(variable: v, variableSpan: vs, lower: lo, upper: hi, body: rewrite(body))
                case .ifElse(let c, let then, let otherwise):
                    t.kind = .ifElse(condition: c, then: rewrite(then), otherwise: otherwise.map(rewrite))
                default: break
                }
                return t
            }
        }
        var m = model
        m.program.statements = rewrite(m.program.statements)
        return m
    }

    /// The `~` statement with this span (at any depth).
    static func topLevelTilde(_ model: CheckedModel, span: SourceSpan) -> (lhs: Expr, footing: Footing?)? {
        func find(_ statements: [Stmt]) -> (lhs: Expr, footing: Footing?)? {
            for s in statements {
                switch s.kind {
                case .tilde(let lhs, _, let footing) where s.span == span: return (lhs, footing)
                case .forLoop(_, _, _, _, let body): if let r = find(body) { return r }
                case .ifElse(_, let then, let otherwise):
                    if let r = find(then) ?? otherwise.flatMap(find) { return r }
                default: break
                }
            }
            return nil
        }
        return find(model.program.statements)
    }

    /// source_n and overlap of an external node (numbers or data scalars).
    static func externalSource(_ symbol: SymbolInfo, data: DataTable) throws -> (Double, Double) {
        guard let call = symbol.generatorCall, let nExpr = call.args.first(where: { $0.label == "source_n" })?.value,
              let n = constant(nExpr, data) else {
            throw RuntimeError("external node '\(symbol.name)' needs a constant source_n for the information accounting",
                               span: symbol.span)
        }
        let k = call.args.first(where: { $0.label == "overlap" }).flatMap { constant($0.value, data) } ?? 0
        return (n, k)
    }

    static func constant(_ e: Expr, _ data: DataTable) -> Double? {
        switch e.kind {
        case .intLiteral(let v): return Double(v)
        case .realLiteral(let v): return v
        case .name(let n): return data[n].flatMap { $0.count == 1 ? $0.values[0] : nil }
        case .unary(.negate, let a): return constant(a, data).map { -$0 }
        case .binary(let op, let a, let b):
            guard let x = constant(a, data), let y = constant(b, data) else { return nil }
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            default: return nil
            }
        default: return nil
        }
    }
}

extension Matrix {
    var trace: Double { (0..<Swift.min(rows, cols)).reduce(0) { $0 + self[$1, $1] } }
    static func + (a: Matrix, b: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 + $1 })
    }
    static func - (a: Matrix, b: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 - $1 })
    }
}
