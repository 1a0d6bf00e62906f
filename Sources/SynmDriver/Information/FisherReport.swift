// What `synm fisher` prints: the observed (and expected) information, a table per data
// source of claimed versus warranted information, standard errors claimed versus
// warranted, and the information inflation factor; or the same as one JSON document.
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
    var seWarranted: [Double]? { ModelOptimizer.seFromInformation(accounting.warrantedTotal) }

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
        }
        out += "\ninformation by source: claimed (as the footing weighs it) versus warranted (Theorems 5 and 8)\n"
        for s in accounting.sources {
            let w = s.weight.map { plain($0) } ?? "varies"
            let rows = s.rows.map { "\($0) rows, " } ?? ""
            out += "\n\(s.node) — \(s.kind), footing \(s.footing), weight \(w), \(rows)effective sample size claimed "
            out += "\(s.essClaimed.map { plain($0) } ?? "n/a"), warranted \(s.essWarranted.map { plain($0) } ?? "n/a") real rows\n"
            out += "  \(s.basis)\n"
            let rowsOut = names.indices.map { [names[$0], RunSummary.number(s.claimed[$0, $0]), RunSummary.number(s.warranted[$0, $0])] }
            out += indent(OptimizeCommand.alignedTable(["diagonal", "claimed", "warranted"], rowsOut))
        }
        out += "\neffective sample size: real-row equivalents, rows × tr(information) / tr(the term's own information)\n"
        out += "\nstandard errors √diag(J⁻¹): claimed (from all terms as weighted) versus warranted (from warranted information)\n"
        let c = seClaimed, wse = seWarranted
        let seRows = names.indices.map { k -> [String] in
            let a = c.map { $0[k] }, b = wse.map { $0[k] }
            let ratio = (a != nil && b != nil) ? RunSummary.number(b! / a!) : "n/a"
            return [names[k], RunSummary.number(theta[k]), a.map { RunSummary.number($0) } ?? "n/a",
                    b.map { RunSummary.number($0) } ?? "n/a", ratio]
        }
        out += OptimizeCommand.alignedTable(["parameter", "value", "SE claimed", "SE warranted", "warranted/claimed"], seRows)
        let f = accounting.inflation
        out += "\ninformation inflation factor (det claimed / det warranted)^(1/\(names.count)) = \(RunSummary.number(f))"
        if f.isFinite, f > 1 + 1e-9 {
            out += ": the model as written claims \(RunSummary.number(f)) times the information its data warrant; its standard errors are too small by a factor of about \(RunSummary.number(f.squareRoot()))\n"
        } else if f.isInfinite {
            out += ": the warranted information is singular — the synthetic rows claim information about directions the real data do not inform\n"
        } else {
            out += "\n"
        }
        return out
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
