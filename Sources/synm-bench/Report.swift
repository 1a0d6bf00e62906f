// The results: a plain-text table to paste into a note or PR description, or the same
// numbers as JSON (`--json`). Stan's and NumPyro's columns are fixed reference numbers from
// the peers harness's README, not measured by this run, and are labelled so.
import Foundation
import SynmIO

/// Everything measured for one model.
struct ModelResult {
    var spec: BenchModel
    var dimension: Int
    var timings: GradientTimings
    var hessian: TimingSummary?
    var agreement: Agreement?
    var stan: PeerTiming
    var numpyro: PeerTiming
}

/// Where the reference columns come from, printed under the table and put in the JSON.
let referenceNote = "Stan C++ (one thread, log_prob_grad) and NumPyro f64 (inside jit): fixed reference numbers (measured earlier on this machine), not measured by this run"
let measuredNote = "Stan C++ (one thread, log_prob_grad) and NumPyro f64 (value_and_grad inside jit): measured in this run by the peers harness (bench.py --grad), best of its repetitions"

/// synm's time a peer's figure is compared with: its best repetition when the peer was
/// measured now (bench.py reports the best of its repetitions), else its median.
func peerBasis(_ r: ModelResult, _ peer: PeerTiming) -> Double {
    peer.measured ? r.timings.synm.minimum : r.timings.synm.median
}

/// A peer's figure, with * when it is a reference figure rather than measured now.
func formatPeer(_ t: PeerTiming) -> String {
    formatMicroseconds(t.microseconds) + (t.measured || !t.microseconds.isFinite ? "" : "*")
}

/// A fixed-width number: 2 significant decimals below 10, 1 below 100, none above.
func formatMicroseconds(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    if x < 10 { return String(format: "%.2f", x) }
    if x < 100 { return String(format: "%.1f", x) }
    return String(format: "%.0f", x)
}

/// A ratio as `1.23×`.
func formatRatio(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    return String(format: x < 10 ? "%.2f×" : "%.1f×", x)
}

/// Pads `s` on the left (numbers) or right (names) to `width` characters.
func pad(_ s: String, _ width: Int, left: Bool = true) -> String {
    let count = s.count
    guard count < width else { return s }
    let fill = String(repeating: " ", count: width - count)
    return left ? fill + s : s + fill
}

/// The plain table.
func renderTable(_ results: [ModelResult], options: BenchOptions) -> String {
    let showTree = results.contains { $0.timings.tree != nil }
    var headers = ["model", "dim", "synm µs", "±%", "best", "hand µs", "±%", "synm/hand",
                   "Stan µs", "synm/Stan", "NumPyro µs", "synm/NumPyro", "Hessian µs"]
    if showTree { headers.insert(contentsOf: ["tree µs", "tree/synm"], at: 5) }
    var rows: [[String]] = []
    for r in results {
        let synm = r.timings.synm.median
        let hand = r.timings.handWritten
        var row: [String] = [
            r.spec.name, String(r.dimension),
            formatMicroseconds(synm), String(format: "%.0f", 100 * r.timings.synm.spread),
            formatMicroseconds(r.timings.synm.minimum),
            hand.map { formatMicroseconds($0.median) } ?? "–",
            hand.map { String(format: "%.0f", 100 * $0.spread) } ?? "–",
            hand.map { formatRatio(synm / $0.median) } ?? "–",
            formatPeer(r.stan), formatRatio(peerBasis(r, r.stan) / r.stan.microseconds),
            formatPeer(r.numpyro), formatRatio(peerBasis(r, r.numpyro) / r.numpyro.microseconds),
            r.hessian.map { formatMicroseconds($0.median) } ?? "–",
        ]
        if showTree {
            row.insert(contentsOf: [r.timings.tree.map { formatMicroseconds($0.median) } ?? "–",
                                    r.timings.tree.map { formatRatio($0.median / synm) } ?? "–"], at: 5)
        }
        rows.append(row)
    }
    let widths = headers.indices.map { c in max(headers[c].count, rows.map { $0[c].count }.max() ?? 0) }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { pad($1, widths[$0], left: $0 != 0) }.joined(separator: "  ")
    }
    var out = "synm-bench: µs per log density + gradient (unconstrained scale, one thread, at Stan's posterior means);\n"
    out += "median of \(options.repetitions) repetitions, ±% = (max − min) / median over them\n\n"
    out += line(headers) + "\n"
    out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
    for row in rows { out += line(row) + "\n" }
    let anyMeasured = results.contains { $0.stan.measured || $0.numpyro.measured }
    let anyReference = results.contains { !$0.stan.measured || !$0.numpyro.measured }
    out += "\n"
    if anyMeasured {
        out += "  Peers: \(measuredNote); a measured peer is compared with synm's best repetition (best against best).\n"
    }
    if anyReference { out += "* \(referenceNote).\n" }
    if results.contains(where: { $0.spec.isLoopBenchmark }) { out += "  \(loopReferenceNote).\n" }
    out += "  Ratios are synm's time over the other's: above 1× synm is slower.\n"
    out += "  hand = hand-written Swift gradient of the same density (Sources/synm-bench/HandWritten*.swift); "
    out += "DESIGN §6 asks synm/hand ≤ ~2×.\n"
    if showTree {
        out += "  tree = synm with every loop walked as a tree (no loop kernels: the evaluator before them).\n"
    }
    out += "  Hessian = CompiledModel.hessian (forward-over-reverse, one pass per coordinate), for information.\n"
    let checked = results.compactMap { r in r.agreement.map { (r.spec.name, $0) } }
    if !checked.isEmpty {
        let worst = checked.map { "\($0.0) \(String(format: "%.1e", $0.1.worstGradient))" }.joined(separator: ", ")
        out += "  Agreement with hand-written (value, gradient; tolerance 1e-9), worst discrepancy: \(worst).\n"
    }
    out += "  Calls per repetition: " + results.map { r in
        "\(r.spec.name) \(r.timings.synm.iterations)/\(r.timings.handWritten?.iterations ?? 0)"
            + (r.hessian.map { "/\($0.iterations)" } ?? "")
    }.joined(separator: ", ") + " (synm/hand/Hessian).\n"
    return out
}

/// The same numbers as JSON.
func renderJSON(_ results: [ModelResult], options: BenchOptions) -> String {
    func summary(_ t: TimingSummary?) -> JSONValue {
        guard let t else { return .null }
        return .object([
            JSONMember("median_us", .real(t.median)), JSONMember("min_us", .real(t.minimum)),
            JSONMember("max_us", .real(t.maximum)), JSONMember("iterations", .integer(t.iterations)),
            JSONMember("samples_us", .array(t.samples.map { .real($0) })),
        ])
    }
    func ratio(_ a: Double, _ b: Double?) -> JSONValue { b.map { finite(a / $0) } ?? .null }
    /// A number, or null when it was not measured (NaN).
    func finite(_ x: Double) -> JSONValue { x.isFinite ? .real(x) : .null }
    let models: [JSONValue] = results.map { r in
        let synm = r.timings.synm.median
        return .object([
            JSONMember("model", .string(r.spec.name)), JSONMember("peer_model", .string(r.spec.peerName)),
            JSONMember("dimension", .integer(r.dimension)),
            JSONMember("synm", summary(r.timings.synm)),
            JSONMember("hand_written", summary(r.timings.handWritten)),
            JSONMember("tree", summary(r.timings.tree)),
            JSONMember("synm_over_hand_written", ratio(synm, r.timings.handWritten?.median)),
            JSONMember("stan_us", finite(r.stan.microseconds)), JSONMember("stan_measured", .bool(r.stan.measured)),
            JSONMember("synm_over_stan", ratio(peerBasis(r, r.stan), r.stan.microseconds)),
            JSONMember("numpyro_f64_us", finite(r.numpyro.microseconds)),
            JSONMember("numpyro_measured", .bool(r.numpyro.measured)),
            JSONMember("synm_over_numpyro", ratio(peerBasis(r, r.numpyro), r.numpyro.microseconds)),
            JSONMember("hessian", summary(r.hessian)),
            JSONMember("agreement_worst", r.agreement.map { .real($0.worstGradient) } ?? .null),
            JSONMember("hessian_vs_central_difference_worst", r.agreement?.worstHessian.map { .real($0) } ?? .null),
        ])
    }
    let document = JSONValue.object([
        JSONMember("unit", .string("microseconds per log density + gradient, unconstrained scale, one thread")),
        JSONMember("statistic", .string("median of repetitions")),
        JSONMember("repetitions", .integer(options.repetitions)),
        JSONMember("reference_source", .string(referenceNote)),
        JSONMember("loop_reference_source", .string(loopReferenceNote)),
        JSONMember("measured_source", .string(measuredNote)),
        JSONMember("models", .array(models)),
    ])
    return JSONWriter(style: .pretty).string(from: document) + "\n"
}
