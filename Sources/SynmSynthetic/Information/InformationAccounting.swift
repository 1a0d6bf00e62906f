// Information accounting per data source (docs/STATISTICS.md §2): the
// observed information of the log-likelihood, J = −∇² ℓ (priors excluded), split over the
// likelihood terms (one per `~` statement, at any depth), each term's information as its
// footing *claims* it (weight × its own information) beside the information it is
// *warranted*, as an interval of real-row equivalents (SyntheticWorth):
//   - real data: its own information, exactly;
//   - rows generated from our own sample whose source is in the likelihood: exactly 0
//     (Theorem 5 of the paper: Y | X ~ q(· | X) with q free of θ adds nothing beyond X);
//   - rows generated from a sample that is not in the likelihood (Example 7): between the
//     distinct units drawn (bootstrap; else 0) and the source's N units;
//   - a third party's m rows built from N units, K of them ours: between 0 (the generator is
//     unknown) and N − K units (Theorem 8: I_Y ≤ I_X(source)).
// A term's warranted information is its own information scaled by (bound / rows).
// Effective sample size (in real rows) of a source: rows × tr(information) / tr(own), i.e.
// its information as a multiple of what one of its rows would carry were it a real row (for
// a constant weight a this is a·m, the power prior's a₀n₀).
// Information inflation factor: (det ΣClaimed / det ΣWarranted)^(1/d), the geometric mean
// of the factors by which the claimed information exceeds the warranted; invariant under
// reparameterisation. With warranted bounds it is an interval: at least the factor against
// the upper bound, at most the factor against the lower.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// One likelihood source's information.
public struct SourceInformation: Sendable {
    /// The term's left side (`y`, `yb`, `y[t]`).
    public var node: String
    /// "real", or the synthetic node's generator ("bootstrap", "external", …).
    public var kind: String
    /// The footing as written ("equal" when none is written).
    public var footing: String
    /// The constant footing weight (nil for a weight over parameters).
    public var weight: Double?
    /// The number of values on the left side, when it is a whole data node.
    public var rows: Int?
    /// weight × own information: what the model as written treats the term as carrying.
    public var claimed: Matrix
    /// The term's own (unweighted) information.
    public var own: Matrix
    /// The fractions of `own` the source is warranted: at least, at most.
    public var warrantedLower: Double
    public var warrantedUpper: Double
    /// Which result the warranted value rests on.
    public var basis: String
    /// The cap footing's weight for a synthetic node.
    public var capWeight: Double?

    /// At most this much (the upper bound).
    public var warranted: Matrix { own.scaled(warrantedUpper) }
    public var warrantedAtLeast: Matrix { own.scaled(warrantedLower) }
    public var isExact: Bool { warrantedLower == warrantedUpper }
    /// Real-row equivalents claimed: rows × tr(claimed)/tr(own).
    public var essClaimed: Double? { ess(claimed) }
    public var essWarranted: Double? { ess(warranted) }
    public var essWarrantedAtLeast: Double? { ess(warrantedAtLeast) }
    public func ess(_ m: Matrix) -> Double? {
        guard let rows else { return nil }
        let t = own.trace
        return t == 0 ? 0 : Double(rows) * m.trace / t
    }
}

/// The per-source accounting at one point.
public struct InformationAccounting: Sendable {
    public var sources: [SourceInformation]
    public var claimedTotal: Matrix
    /// Warranted information: at most (upper bounds) and at least (lower bounds).
    public var warrantedTotal: Matrix
    public var warrantedAtLeast: Matrix

    /// (det claimed / det warranted-at-most)^(1/d): the inflation is at least this.
    public var inflation: Double { Self.ratio(claimedTotal, warrantedTotal) }
    /// (det claimed / det warranted-at-least)^(1/d): the inflation is at most this (+∞ when
    /// the lower bound is singular).
    public var inflationAtMost: Double { Self.ratio(claimedTotal, warrantedAtLeast) }
    public var isExact: Bool { sources.allSatisfy(\.isExact) }

    static func ratio(_ a: Matrix, _ b: Matrix) -> Double {
        let d = a.rows
        guard d > 0 else { return 1 }
        guard let c = a.logDeterminantSPD() else { return .nan }
        guard let w = b.logDeterminantSPD() else { return .infinity }
        return Foundation.exp((c - w) / Double(d))
    }

    /// Splits the observed information at `x` (scale given by `unconstrained`) over the
    /// likelihood terms. `observed` is −∇² of the whole log-likelihood there.
    public static func compute(model: CheckedModel, compiled: inout CompiledModel, source: SourceFile, x: [Double],
                               unconstrained: Bool, observed: Matrix) throws -> InformationAccounting {
        let d = x.count
        func information(_ m: inout CompiledModel, _ term: Int) throws -> Matrix {
            let h = try m.hessian(x, options: CompiledModel.Options(unconstrained: unconstrained, jacobian: false, onlyTerm: term)).hessian
            return Matrix(rows: d, cols: d, storage: h.flatMap { $0.map { -$0 } })
        }
        let likelihoodTerms = compiled.terms.filter(\.isLikelihood)
        // Own (unweighted) information: every likelihood term at weight 1.
        var unit: CompiledModel?
        if likelihoodTerms.contains(where: { $0.weight != 1 }) {
            unit = compiled.reweighted(Dictionary(uniqueKeysWithValues: likelihoodTerms.map { ($0.id, 1.0) }))
        }
        let worth = try SyntheticWorth.all(model, compiled: compiled)
        var sources: [SourceInformation] = []
        var sum = Matrix(rows: d, cols: d)
        for term in likelihoodTerms {
            let claimed = try information(&compiled, term.id)
            let own = unit == nil ? claimed : try information(&unit!, term.id)
            sum = sum + claimed
            let footing = footingText(term, source: source)
            var kind = "real", lower = 1.0, upper = 1.0, basis = "real data: its own information"
            var cap: Double?
            let rows = compiled.data[term.label]?.count
            if let name = term.syntheticNode, let symbol = model.symbol(named: name), let generator = symbol.generator,
               let w = worth[name] {
                kind = generator.rawValue
                let m = Double(compiled.data[name]?.shape.first ?? 0)
                lower = m > 0 ? min(1, w.lower / m) : 0
                upper = m > 0 ? min(1, w.upper / m) : 0
                basis = w.basis
                cap = w.capWeight
            }
            sources.append(SourceInformation(node: term.label, kind: kind, footing: footing, weight: term.weight, rows: rows,
                                             claimed: claimed, own: own, warrantedLower: lower, warrantedUpper: upper,
                                             basis: basis, capWeight: cap))
        }
        // A `target +=` on data is a likelihood term that no footing describes: count it
        // as real data.
        let residual = observed - sum
        let scale = max(1e-300, observed.storage.map(abs).max() ?? 0)
        if residual.storage.contains(where: { abs($0) > 1e-9 * scale }) {
            sources.append(SourceInformation(node: "(other terms)", kind: "real", footing: "equal", weight: nil, rows: nil,
                                             claimed: residual, own: residual, warrantedLower: 1, warrantedUpper: 1,
                                             basis: "terms no footing describes, counted as real data", capWeight: nil))
        }
        var warranted = Matrix(rows: d, cols: d), atLeast = Matrix(rows: d, cols: d)
        for s in sources {
            warranted = warranted + s.warranted
            atLeast = atLeast + s.warrantedAtLeast
        }
        return InformationAccounting(sources: sources, claimedTotal: observed, warrantedTotal: warranted,
                                     warrantedAtLeast: atLeast)
    }

    /// The footing as written, without the keyword ("equal" when none is written).
    static func footingText(_ term: TermSummary, source: SourceFile) -> String {
        switch term.footing {
        case nil: return "equal"
        case .equal?: return "equal"
        case .cap?: return "cap"
        case .calibrated?: return "calibrated"
        case .power(let a, let normalized)?:
            return "power(\(compactText(source.text(of: a.span))))" + (normalized ? " normalized" : "")
        case .weight(let e)?: return "weight(\(compactText(source.text(of: e.span))))"
        }
    }
}

extension Matrix {
    public var trace: Double { (0..<Swift.min(rows, cols)).reduce(0) { $0 + self[$1, $1] } }
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 + $1 })
    }
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 - $1 })
    }
}
