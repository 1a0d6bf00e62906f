// What `synm audit` reports, per footing variant and parameter element, over the fits that
// succeeded (n of them), with Monte Carlo standard errors (Morris, White & Crowther 2019,
// "Using simulation studies to evaluate statistical methods", Stat. Med. 38:2074, Table 6):
//   bias          mean(θ̂) − θ₀                     MCSE  sd(θ̂)/√n
//   rmse          √mean((θ̂ − θ₀)²)                 MCSE  sd((θ̂ − θ₀)²)/(2·rmse·√n) (delta method)
//   empirical_sd  sd(θ̂) (n − 1 denominator)        MCSE  sd(θ̂)/√(2(n − 1))
//   mean_se       mean(SE)                          MCSE  sd(SE)/√n
//   se_ratio      mean_se / empirical_sd (below 1: the reported SEs are too small)
//                                                   MCSE  sd of the ratio over 1000 bootstrap
//                                                         resamples of the n replicates (it
//                                                         keeps the correlation of SE and θ̂)
//   coverage95    share of θ̂ ± 1.959964·SE holding θ₀   MCSE  √(p(1 − p)/n) (binomial)
import SynmSynthetic
import Foundation
import SynmIO
import SynmMath

/// The summaries of one parameter element under one variant.
struct AuditStatistics: Sendable {
    var fits: Int
    var bias: Double, biasMCSE: Double
    var rmse: Double, rmseMCSE: Double
    var empiricalSD: Double, empiricalSDMCSE: Double
    var meanSE: Double, meanSEMCSE: Double
    var seRatio: Double, seRatioMCSE: Double
    var coverage: Double, coverageMCSE: Double

    /// nil when no fit succeeded.
    static func compute(estimates: [Double], ses: [Double], truth: Double, seed: UInt64, stream: UInt64) -> AuditStatistics? {
        let n = estimates.count
        guard n > 0 else { return nil }
        let nd = Double(n)
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
        func sd(_ x: [Double]) -> Double {
            guard x.count > 1 else { return .nan }
            let m = mean(x)
            return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
        }
        let sdEst = sd(estimates), meanSE = mean(ses)
        let covered = zip(estimates, ses).filter { abs($0 - truth) <= AuditStudy.z95 * $1 }.count
        let p = Double(covered) / nd
        // Bootstrap over replicates for the ratio's Monte Carlo error.
        var ratioMCSE = Double.nan
        if n > 2 {
            var rng = Xoshiro256StarStar(seed: seed, stream: stream)
            var ratios: [Double] = []
            ratios.reserveCapacity(1000)
            var e = [Double](repeating: 0, count: n), s = e
            for _ in 0..<1000 {
                for i in 0..<n {
                    let k = Int(rng.next() % UInt64(n))
                    e[i] = estimates[k]
                    s[i] = ses[k]
                }
                let d = sd(e)
                if d > 0 { ratios.append(mean(s) / d) }
            }
            if ratios.count > 1 { ratioMCSE = sd(ratios) }
        }
        let squared = estimates.map { ($0 - truth) * ($0 - truth) }
        let rmse = mean(squared).squareRoot()
        return AuditStatistics(fits: n, bias: mean(estimates) - truth, biasMCSE: sdEst / nd.squareRoot(),
                               rmse: rmse, rmseMCSE: rmse > 0 ? sd(squared) / (2 * rmse * nd.squareRoot()) : .nan,
                               empiricalSD: sdEst, empiricalSDMCSE: n > 1 ? sdEst / (2 * (nd - 1)).squareRoot() : .nan,
                               meanSE: meanSE, meanSEMCSE: sd(ses) / nd.squareRoot(),
                               seRatio: meanSE / sdEst, seRatioMCSE: ratioMCSE,
                               coverage: p, coverageMCSE: (p * (1 - p) / nd).squareRoot())
    }
}

/// One variant's results.
struct AuditVariantResult: Sendable {
    var name: String
    /// The weight of each synthetic likelihood term under this variant (nil: over parameters;
    /// absent: dropped).
    var weights: [(node: String, weight: Double?)]
    var fits: Int
    var failures: [(reason: String, count: Int)]
    var failed: Int { failures.reduce(0) { $0 + $1.count } }
    var parameters: [AuditStatistics?]
}

/// The results of `synm audit`, ready to print.
struct AuditReport {
    var model: String
    var names: [String]
    var theta: [Double]
    var atMLE: Bool
    var reps: Int
    var seed: UInt64
    var variants: [AuditVariantResult]
    /// What each replicate draws, in words.
    var design: [String]
    /// The first few errors, with their replicate.
    var errors: [String]

    static let failureReasons = ["not converged", "boundary", "no standard errors", "error"]

    static func summarize(study: AuditStudy, fits: [[AuditFit]], weights: [[(node: String, weight: Double?)]],
                          model: String, atMLE: Bool, design: [String]) -> AuditReport {
        summarize(names: study.names, theta: study.theta, seed: study.seed, reps: study.reps,
                  variants: study.variants.map(\.name), fits: fits, weights: weights, model: model, atMLE: atMLE,
                  design: design)
    }

    /// The same from the study's fixed parts (what a shard file keeps, for `synm merge`).
    static func summarize(names: [String], theta: [Double], seed: UInt64, reps: Int, variants: [String],
                          fits: [[AuditFit]], weights: [[(node: String, weight: Double?)]],
                          model: String, atMLE: Bool, design: [String]) -> AuditReport {
        var results: [AuditVariantResult] = []
        for (v, variantName) in variants.enumerated() {
            let ok = fits.map { $0[v] }.filter { $0.failure == nil }
            let failures = failureReasons.compactMap { reason -> (String, Int)? in
                let c = fits.filter { $0[v].failure == reason }.count
                return c > 0 ? (reason, c) : nil
            }
            let stats = names.indices.map { k in
                AuditStatistics.compute(estimates: ok.map { $0.estimate[k] }, ses: ok.map { $0.se[k] }, truth: theta[k],
                                        seed: seed, stream: 0xA0D_B007_0000 + UInt64(v) << 16 + UInt64(k))
            }
            results.append(AuditVariantResult(name: variantName, weights: weights[v], fits: ok.count, failures: failures,
                                              parameters: stats))
        }
        var errors: [String] = []
        for (r, row) in fits.enumerated() {
            for f in row {
                if let m = f.message, !errors.contains(where: { $0.hasSuffix(m) }) { errors.append("replicate \(r + 1): \(m)") }
            }
        }
        return AuditReport(model: model, names: names, theta: theta, atMLE: atMLE, reps: reps,
                           seed: seed, variants: results, design: design, errors: Array(errors.prefix(5)))
    }

    // MARK: - Text

    func text() -> String {
        var out = "\(model): audit of footings by simulation — \(reps) data sets simulated at \(atMLE ? "the MLE of the real data alone (no synthetic row enters it: it does not change with --seed)" : "the given point") (seed \(seed))\n"
        out += "  " + names.indices.map { "\(names[$0]) = \(RunSummary.number(theta[$0]))" }.joined(separator: ", ") + "\n"
        out += "each replicate:\n"
        for d in design { out += "  \(d)\n" }
        out += "then maximum likelihood under each footing, SEs from the observed information, nominal 95% Wald intervals\n\n"
        out += "footings (weight of each synthetic term):\n"
        let width = variants.map(\.name.count).max() ?? 10
        for v in variants {
            let w = v.weights.isEmpty ? (v.name == "real-only" ? "synthetic terms dropped" : "no synthetic terms")
                : v.weights.map { "\($0.node) \($0.weight.map(plain) ?? "varies")" }.joined(separator: ", ")
            let failed = v.failed == 0 ? "" : "   (\(v.failed) of \(reps) fits failed: "
                + v.failures.map { "\($0.count) \($0.reason)" }.joined(separator: ", ") + ")"
            out += "  \(v.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(w)\(failed)\n"
        }
        for (k, name) in names.enumerated() {
            out += "\n\(name) (true value \(RunSummary.number(theta[k])))\n"
            let headers = ["footing", "fits", "bias", "RMSE", "empirical SD", "mean SE", "SE/SD", "coverage95"]
            let rows = variants.map { v -> [String] in
                guard let s = v.parameters[k] else { return [v.name, "0", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"] }
                return [v.name, "\(s.fits)", pm(s.bias, s.biasMCSE), pm(s.rmse, s.rmseMCSE), pm(s.empiricalSD, s.empiricalSDMCSE),
                        pm(s.meanSE, s.meanSEMCSE), pm(s.seRatio, s.seRatioMCSE, digits: 2), pm(s.coverage, s.coverageMCSE, digits: 3)]
            }
            out += indent(OptimizeCommand.alignedTable(headers, rows))
        }
        out += "\n(value ± Monte Carlo standard error; SE/SD = mean SE / empirical SD, below 1 when the SEs are too small)\n"
        out += "\n" + chart()
        return out
    }

    /// Coverage bars per parameter and variant on a 0–1 axis, ±2 MCSE error bars, 0.95 marked.
    func chart() -> String {
        let w = 50
        let label = max(variants.map(\.name.count).max() ?? 0, names.map(\.count).max() ?? 0)
        func col(_ x: Double) -> Int { min(w, max(0, Int((x * Double(w)).rounded()))) }
        var out = "coverage of nominal 95% intervals: █ coverage, [ ] ±2 MCSE, | the nominal 0.95\n"
        var axis = Array(repeating: Character(" "), count: w + 8)
        for (x, t) in [(0.0, "0"), (0.25, "0.25"), (0.5, "0.5"), (0.75, "0.75"), (1.0, "1")] {
            let c = col(x) - (t.count > 1 ? t.count / 2 : 0)
            for (i, ch) in t.enumerated() where c + i < axis.count && c + i >= 0 { axis[c + i] = ch }
        }
        let pad = String(repeating: " ", count: label + 6)
        out += pad + String(axis).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        for (k, name) in names.enumerated() {
            out += "  \(name)\n"
            for v in variants {
                var line = Array(repeating: Character(" "), count: w + 1)
                let nominal = col(0.95)
                var tail = "no successful fits"
                if let s = v.parameters[k] {
                    for c in 0..<col(s.coverage) { line[c] = "█" }
                    line[nominal] = "|"
                    let lo = col(s.coverage - 2 * s.coverageMCSE), hi = col(s.coverage + 2 * s.coverageMCSE)
                    line[lo] = "["
                    line[hi] = hi == lo && hi < w ? "[" : "]"
                    if hi == lo, hi < w { line[hi + 1] = "]" }
                    tail = pm(s.coverage, s.coverageMCSE, digits: 3)
                } else {
                    line[nominal] = "|"
                }
                out += "    \(v.name.padding(toLength: label, withPad: " ", startingAt: 0))  \(String(line))  \(tail)\n"
            }
        }
        return out
    }

    func warnings() -> [String] {
        var w: [String] = []
        for v in variants where v.failed > 0 {
            w.append("\(v.failed) of \(reps) fits under footing \(v.name) failed (" + v.failures.map { "\($0.count) \($0.reason)" }.joined(separator: ", ") + "); its summaries use the \(v.fits) that succeeded")
        }
        for e in errors { w.append(e) }
        return w
    }

    // MARK: - JSON

    func json() -> String {
        func real(_ x: Double) -> JSONValue { x.isFinite ? .real(x) : .null }
        let footings: [JSONValue] = variants.map { v in
            let parameters: [JSONMember] = names.indices.map { k in
                guard let s = v.parameters[k] else { return JSONMember(names[k], .null) }
                return JSONMember(names[k], .object([
                    JSONMember("bias", real(s.bias)), JSONMember("empirical_sd", real(s.empiricalSD)),
                    JSONMember("rmse", real(s.rmse)), JSONMember("rmse_mcse", real(s.rmseMCSE)),
                    JSONMember("mean_se", real(s.meanSE)), JSONMember("coverage95", real(s.coverage)),
                    JSONMember("se_ratio", real(s.seRatio)),
                    JSONMember("bias_mcse", real(s.biasMCSE)), JSONMember("empirical_sd_mcse", real(s.empiricalSDMCSE)),
                    JSONMember("mean_se_mcse", real(s.meanSEMCSE)), JSONMember("se_ratio_mcse", real(s.seRatioMCSE)),
                    JSONMember("coverage95_mcse", real(s.coverageMCSE)), JSONMember("fits", .integer(s.fits)),
                ]))
            }
            return .object([
                JSONMember("name", .string(v.name)),
                JSONMember("parameters", .object(parameters)),
                JSONMember("weights", .object(v.weights.map { JSONMember($0.node, $0.weight.map { .real($0) } ?? .null) })),
                JSONMember("fits", .integer(v.fits)),
                JSONMember("failed", .integer(v.failed)),
                JSONMember("failures", .object(v.failures.map { JSONMember($0.reason, .integer($0.count)) })),
            ])
        }
        let doc: JSONValue = .object([
            JSONMember("reps", .integer(reps)),
            JSONMember("at", .object(zip(names, theta).map { JSONMember($0, .real($1)) })),
            JSONMember("footings", .array(footings)),
            JSONMember("at_mle", .bool(atMLE)),
            JSONMember("seed", .integer(Int(truncatingIfNeeded: seed))),
            JSONMember("errors", .array(errors.map { .string($0) })),
            JSONMember("design", .array(design.map { .string($0) })),
        ])
        return JSONWriter(style: .pretty).string(from: doc)
    }

    // MARK: - Formatting

    func plain(_ x: Double) -> String { String(format: "%.6g", x) }

    func pm(_ x: Double, _ e: Double, digits: Int? = nil) -> String {
        func f(_ v: Double) -> String {
            guard v.isFinite else { return "n/a" }
            return digits.map { String(format: "%.\($0)f", v) } ?? RunSummary.number(v)
        }
        return "\(f(x)) ± \(f(e))"
    }

    func indent(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
