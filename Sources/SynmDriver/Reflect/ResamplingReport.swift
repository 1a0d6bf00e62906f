// The report of `synm reflect --steps K`: the posterior's path over K sequential updates on
// blocks drawn from its own predictive (SynmSynthetic's PredictiveResampling), per parameter
// a table by step and a text plot of the paths' means.
import Foundation
import SynmIO
import SynmSynthetic

struct ResamplingReport {
    let result: PredictiveResampling
    let node: String
    let footing: String
    let seed: UInt64

    /// The steps shown in the table: 1, 2, 5, 10, 20, 50, … and K.
    var shownSteps: [Int] {
        var out: [Int] = []
        var decade = 1
        while decade <= result.steps {
            for k in [1, 2, 5] where k * decade <= result.steps { out.append(k * decade) }
            decade *= 10
        }
        if out.last != result.steps { out.append(result.steps) }
        return out
    }

    func text() -> String {
        let r = result
        var out = "Sequential predictive resampling on node '\(node)': \(r.paths.count) paths of \(r.steps) updates, each on a block of \(r.syntheticN) rows drawn from the posterior as it stands, footing \(footing); seed=\(seed)\n"
        out += "Along a path the posterior mean is a martingale: averaged over paths it stays the current mean, while\n"
        out += "the paths fan out (their spread grows towards the current sd) and each path's own sd shrinks.\n"
        for (j, name) in r.names.enumerated() {
            let rows = result.summary(j)
            out += "\n\(name)   current mean \(RunSummary.number(r.currentMeans[j])), sd \(RunSummary.number(r.currentSDs[j]))\n"
            let table = shownSteps.map { k -> [String] in
                let s = rows[k - 1]
                let mcse = s.spread / Double(r.paths.count).squareRoot()
                return ["\(k)", "\(RunSummary.number(s.mean)) ± \(RunSummary.number(mcse))", RunSummary.number(s.spread),
                        RunSummary.number(s.sd)]
            }
            out += OptimizeCommand.alignedTable(["step", "mean of path means", "spread of means", "mean path sd"], table)
            out += plot(j)
        }
        return out
    }

    /// Up to 8 paths of the mean of parameter element j, step by step, on one text grid.
    func plot(_ j: Int) -> String {
        let shown = Array(result.paths.prefix(8))
        let height = 9
        let width = min(60, result.steps)
        let values = shown.flatMap { p in p.means.map { $0[j] } } + [result.currentMeans[j]]
        guard let lo = values.min(), let hi = values.max(), hi > lo else { return "" }
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        func row(_ v: Double) -> Int { height - 1 - min(height - 1, Int((v - lo) / (hi - lo) * Double(height - 1) + 0.5)) }
        let marks = Array("abcdefgh")
        for (p, path) in shown.enumerated() {
            for c in 0..<width {
                let k = min(result.steps - 1, c * result.steps / width)
                grid[row(path.means[k][j])][c] = marks[p]
            }
        }
        var out = "  paths a–\(marks[shown.count - 1]) of the mean by step (left: step 1, right: step \(result.steps))\n"
        for (i, line) in grid.enumerated() {
            let label = i == 0 ? RunSummary.number(hi) : i == height - 1 ? RunSummary.number(lo) : ""
            out += label.padding(toLength: 10, withPad: " ", startingAt: 0) + "|" + String(line) + "\n"
        }
        return out
    }

    func json() -> String {
        var params: [JSONMember] = []
        for (j, name) in result.names.enumerated() {
            let rows = result.summary(j)
            params.append(JSONMember(name, .object([
                JSONMember("current_mean", .real(result.currentMeans[j])),
                JSONMember("current_sd", .real(result.currentSDs[j])),
                JSONMember("mean_of_path_means", .array(rows.map { .real($0.mean) })),
                JSONMember("spread_of_path_means", .array(rows.map { .real($0.spread) })),
                JSONMember("mean_path_sd", .array(rows.map { .real($0.sd) })),
            ])))
        }
        return JSONWriter(style: .pretty).string(from: .object([
            JSONMember("node", .string(node)), JSONMember("synthetic_n", .integer(result.syntheticN)),
            JSONMember("steps", .integer(result.steps)), JSONMember("paths", .integer(result.paths.count)),
            JSONMember("footing", .string(footing)), JSONMember("seed", .integer(Int(truncatingIfNeeded: seed))),
            JSONMember("parameters", .object(params)),
        ]))
    }
}
