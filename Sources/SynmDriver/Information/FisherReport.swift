// What `synm fisher` prints: the observed (and expected) information, a table per data
// source of claimed versus warranted information, standard errors claimed versus
// warranted, and the information inflation factor; or the same as one JSON document.
import SynmSynthetic
import Foundation
import SynmIO
import SynmMath

/// The results of `synm fisher`, ready to print.
struct FisherReport {
    var model: String
    var names: [String]
    /// The point, constrained.
    var theta: [Double]
    var atMLE: Bool
    var unconstrained: Bool
    var observed: Matrix
    var accounting: InformationAccounting
    var expected: ExpectedInformation?
    var seed: UInt64

    var scale: String { unconstrained ? "unconstrained" : "constrained" }
    var seClaimed: [Double]? { ModelOptimizer.seFromInformation(accounting.claimedTotal) }
    /// The smallest honest standard errors: from the warranted information's upper bound.
    var seWarranted: [Double]? { ModelOptimizer.seFromInformation(accounting.warrantedTotal) }
    /// From the lower bound (nil when it is singular: no finite bound).
    var seWarrantedAtMost: [Double]? { ModelOptimizer.seFromInformation(accounting.warrantedAtLeast) }
    /// The sandwich √diag(J⁻¹ E[s sᵀ] J⁻¹) with E[s sᵀ] simulated under the generator.
    var seSandwich: [Double]? {
        guard let e = expected, let inv = observed.inverseSPD() else { return nil }
        let s = inv * e.score * inv
        let v = (0..<s.rows).map { s[$0, $0] }
        return v.allSatisfy { $0 > 0 && $0.isFinite } ? v.map { $0.squareRoot() } : nil
    }

    func text() -> String {
        var out = "Fisher information of \(model) at \(atMLE ? "the MLE" : "the given point") ("
        out += names.indices.map { "\(names[$0]) = \(RunSummary.number(theta[$0]))" }.joined(separator: ", ") + ")\n"
        out += unconstrained
            ? "scale: unconstrained — derivatives with respect to the unconstrained values (I_u = J_gᵀ I_θ J_g at the MLE); priors excluded\n\n"
            : "scale: constrained — derivatives with respect to the parameters as declared; priors excluded\n\n"
        out += "observed information J = −∇² log-likelihood (the model's likelihood terms, footing weights applied)\n"
        out += matrixTable(observed.rowArrays.map { $0.map { RunSummary.number($0) } })
        if let e = expected {
            out += "\nexpected information, Monte Carlo over \(e.replicates) data sets simulated at the point (seed \(seed)), ± MCSE\n"
            out += "mean of score outer products E[s sᵀ]:\n"
            out += matrixTable(withError(e.score, e.scoreMCSE))
            out += "mean of −∇² log-likelihood:\n"
            out += matrixTable(withError(e.hessian, e.hessianMCSE))
            out += Self.identityNote(weighted: accounting.sources.contains { $0.kind != "real" && $0.weight != 0 })
        }
        out += "\ninformation by source: claimed (as the footing weighs it) versus warranted (Theorems 5 and 8): "
        out += accounting.isExact ? "exact\n" : "warranted is a bound where a source's generator is not known; figures marked \"at most\" are upper bounds\n"
        for s in accounting.sources {
            let w = s.weight.map { plain($0) } ?? "varies"
            let rows = s.rows.map { "\($0) rows, " } ?? ""
            out += "\n\(s.node) — \(s.kind), footing \(s.footing), weight \(w), \(rows)effective sample size claimed "
            out += "\(s.essClaimed.map { plain($0) } ?? "n/a"), warranted \(essText(s)) real rows\n"
            out += "  \(s.basis)\n"
            if let cap = s.capWeight, s.kind != "real" {
                out += "  cap weight \(plain(cap)): the largest weight at which its rows do not overstate their information when resampled (docs/STATISTICS.md)\n"
            }
            let header = s.isExact ? ["diagonal", "claimed", "warranted"] : ["diagonal", "claimed", "warranted at least", "at most"]
            let rowsOut = names.indices.map { k -> [String] in
                let base = [names[k], RunSummary.number(s.claimed[k, k])]
                return s.isExact ? base + [RunSummary.number(s.warranted[k, k])]
                    : base + [RunSummary.number(s.warrantedAtLeast[k, k]), RunSummary.number(s.warranted[k, k])]
            }
            out += indent(OptimizeCommand.alignedTable(header, rowsOut))
        }
        out += "\neffective sample size: real-row equivalents, rows × tr(information) / tr(the term's own information)\n"
        out += "\nstandard errors √diag(J⁻¹): claimed (from all terms as weighted) versus warranted (from warranted information"
        out += accounting.isExact ? ")\n" : "; at least: from its upper bound)\n"
        let c = seClaimed, wse = seWarranted, sandwich = seSandwich
        let seRows = names.indices.map { k -> [String] in
            let a = c.map { $0[k] }, b = wse.map { $0[k] }
            let ratio = (a != nil && b != nil) ? RunSummary.number(b! / a!) : "n/a"
            var row = [names[k], RunSummary.number(theta[k]), a.map { RunSummary.number($0) } ?? "n/a",
                       b.map { RunSummary.number($0) } ?? "n/a", ratio]
            if expected != nil { row.append(sandwich.map { RunSummary.number($0[k]) } ?? "n/a") }
            return row
        }
        var seHeader = ["parameter", "value", "SE claimed", accounting.isExact ? "SE warranted" : "SE warranted (at least)",
                        "warranted/claimed"]
        if expected != nil { seHeader.append("SE sandwich") }
        out += OptimizeCommand.alignedTable(seHeader, seRows)
        if expected != nil {
            out += "SE sandwich: √diag(J⁻¹ E[s sᵀ] J⁻¹), E[s sᵀ] simulated under the model and the generator — the estimator's sampling SD\n"
        }
        let f = accounting.inflation
        let most = accounting.inflationAtMost
        out += "\ninformation inflation factor (det claimed / det warranted)^(1/\(names.count)) = "
        out += accounting.isExact ? RunSummary.number(f) : "at least \(RunSummary.number(f)), at most \(RunSummary.number(most))"
        if f.isFinite, f > 1 + 1e-9 {
            let words = accounting.isExact ? "" : "at least "
            out += ": the model as written claims \(words)\(RunSummary.number(f)) times the information its data warrant; its standard errors are too small by a factor of \(words)about \(RunSummary.number(f.squareRoot()))\n"
        } else if f.isInfinite {
            out += ": the warranted information is singular — the synthetic rows claim information about directions the real data do not inform\n"
        } else {
            out += "\n"
        }
        return out
    }

    /// The warranted effective sample size: a number, or "between a and b" for a bound.
    func essText(_ s: SourceInformation) -> String {
        guard let hi = s.essWarranted else { return "n/a" }
        if s.isExact { return plain(hi) }
        return "at least \(s.essWarrantedAtLeast.map { plain($0) } ?? "0"), at most \(plain(hi))"
    }

    /// Why E[s sᵀ] and −E∇² differ when synthetic rows are weighted.
    static func identityNote(weighted: Bool) -> String {
        guard weighted else {
            return "With real data only and a correct model the two agree (the information identity), within Monte Carlo error.\n"
        }
        return "They differ because weighted synthetic rows are not independent draws from the model — they repeat real units or follow from them — so the information identity E[s sᵀ] = −E∇² fails; the sandwich below uses both (docs/STATISTICS.md §4).\n"
    }

    func warnings() -> [String] {
        var w: [String] = []
        if seClaimed == nil, names.count > 0 {
            w.append("the observed information is not positive definite at this point; standard errors are not available")
        }
        return w
    }

    func json() -> String {
        func matrix(_ m: Matrix) -> JSONValue { .array(m.rowArrays.map { .array($0.map { .real($0) }) }) }
        func named(_ v: [Double]?) -> JSONValue {
            v.map { .object(zip(names, $0).map { JSONMember($0, .real($1)) }) } ?? .null
        }
        let sources: [JSONValue] = accounting.sources.map { s in
            .object([
                JSONMember("node", .string(s.node)), JSONMember("kind", .string(s.kind)),
                JSONMember("footing", .string(s.footing)), JSONMember("weight", s.weight.map { number($0) } ?? .null),
                JSONMember("claimed", matrix(s.claimed)), JSONMember("warranted", matrix(s.warranted)),
                JSONMember("rows", s.rows.map { .integer($0) } ?? .null),
                JSONMember("ess_claimed", s.essClaimed.map { .real($0) } ?? .null),
                JSONMember("ess_warranted", s.essWarranted.map { .real($0) } ?? .null),
                JSONMember("ess_warranted_at_least", s.essWarrantedAtLeast.map { .real($0) } ?? .null),
                JSONMember("warranted_at_least", matrix(s.warrantedAtLeast)),
                JSONMember("exact", .bool(s.isExact)),
                JSONMember("cap_weight", s.capWeight.map { .real($0) } ?? .null),
                JSONMember("basis", .string(s.basis)),
            ])
        }
        let doc: JSONValue = .object([
            JSONMember("at", named(theta)),
            JSONMember("scale", .string(scale)),
            JSONMember("names", .array(names.map { .string($0) })),
            JSONMember("observed", matrix(observed)),
            JSONMember("se", named(seClaimed)),
            JSONMember("expected", expected.map { matrix($0.score) } ?? .null),
            JSONMember("expected_mcse", expected.map { matrix($0.scoreMCSE) } ?? .null),
            JSONMember("sources", .array(sources)),
            JSONMember("at_mle", .bool(atMLE)),
            JSONMember("se_warranted", named(seWarranted)),
            JSONMember("inflation", .real(accounting.inflation)),
            JSONMember("inflation_at_most", .real(accounting.inflationAtMost)),
            JSONMember("se_sandwich", named(seSandwich)),
            JSONMember("expected_hessian", expected.map { matrix($0.hessian) } ?? .null),
            JSONMember("expected_hessian_mcse", expected.map { matrix($0.hessianMCSE) } ?? .null),
            JSONMember("replicates", .integer(expected?.replicates ?? 0)),
        ])
        return JSONWriter(style: .pretty).string(from: doc)
    }

    /// Up to 6 significant digits, no trailing zeros (weights, sample sizes).
    func plain(_ x: Double) -> String { String(format: "%.6g", x) }

    /// Whole numbers as integers (a weight of 1 prints as 1), others as reals.
    func number(_ x: Double) -> JSONValue { x == x.rounded() && abs(x) < 1e15 ? .integer(Int(x)) : .real(x) }

    func withError(_ m: Matrix, _ e: Matrix) -> [[String]] {
        (0..<m.rows).map { i in (0..<m.cols).map { j in "\(RunSummary.number(m[i, j])) ± \(RunSummary.number(e[i, j]))" } }
    }

    /// A square matrix of cells with parameter names on both margins.
    func matrixTable(_ cells: [[String]]) -> String {
        indent(OptimizeCommand.alignedTable([""] + names, names.indices.map { [names[$0]] + cells[$0] }))
    }

    func indent(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
