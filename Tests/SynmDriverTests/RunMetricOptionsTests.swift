// `synm run --metric unit|diag|dense --metric-file F --stepsize E --jitter J`: option errors
// (64), metric files refused at their place (65; 66 when missing), and the CmdStan CSV
// layout of the metric (config header and adaptation block) that CmdStan readers and
// `synm report` read back.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct RunMetricOptionsTests {
    let h = InfoHarness()

    var model: String {
        h.model("corr", """
            param x: real
            param y: real<lower=0>
            x ~ normal(0, 1)
            y ~ lognormal(0.5 * x, 0.5)
            """)
    }

    func run(_ extra: [String]) -> (code: Int32, out: String, err: String) {
        h.run(["run", model, "--chains", "2", "--warmup", "160", "--draws", "20", "--seed", "4"] + extra)
    }

    @Test func badOptionsAreUsageErrors() {
        for (extra, message) in [
            (["--metric", "full"], "unknown metric 'full'"),
            (["--stepsize", "0"], "--stepsize must be a positive number"),
            (["--stepsize", "nan"], "--stepsize must be a positive number"),
            (["--jitter", "1.5"], "--jitter must be in [0, 1]"),
            (["--jitter", "-0.1"], "--jitter must be in [0, 1]"),
            (["--metric", "unit", "--metric-file", "m.json"], "--metric-file cannot be given with --metric unit"),
            (["--sampler", "metropolis", "--jitter", "0.1"], "--jitter is for nuts and hmc"),
            (["--sampler", "metropolis", "--metric", "unit"], "--metric unit is for nuts and hmc"),
        ] {
            let r = run(extra)
            #expect(r.code == 64, "\(extra): \(r.err)")
            #expect(r.err.contains(message), "\(extra): \(r.err)")
        }
        // CmdStan's spellings point to synm's.
        let r = run(["--stepsize_jitter", "0.1"])
        #expect(r.code == 64 && r.err.contains("--jitter"), "\(r.err)")
    }

    @Test func badMetricFilesAreLocatedModelErrors() {
        let cases: [(String, String, Bool, String)] = [
            ("malformed.json", "{\"inv_metric\": [1, 2,]}", false, ":1:"),
            ("wrongsize.json", "{\"inv_metric\": [1, 2, 3]}", false, ":1:16: error: \"inv_metric\" has 3 values; the model has 2 unconstrained parameters"),
            ("negative.json", "{\"inv_metric\": [1,\n -2]}", false, ":2:2: error: inv_metric[2] is -2.0; a variance must be positive"),
            ("matrixfordiag.json", "{\"inv_metric\": [[1, 0], [0, 1]]}", false, "is a matrix, but the metric is diag_e"),
            ("vectorfordense.json", "{\"inv_metric\": [1, 1]}", true, "is a vector, but the metric is dense_e"),
            ("notpd.json", "{\"inv_metric\": [[1, 2], [2, 1]]}", true, ":1:16: error: \"inv_metric\" is not positive definite"),
            ("asymmetric.json", "{\"inv_metric\": [[1, 0.5],\n [0.4, 1]]}", true, ":2:3: error: inv_metric[2, 1] is 0.4 but inv_metric[1, 2] is 0.5"),
            ("shortrow.json", "{\"inv_metric\": [[1, 0], [0]]}", true, "row 2 of \"inv_metric\" has 1 values; it needs 2"),
            ("nokey.json", "{\"metric\": [1, 1]}", false, ":1:1: error: the metric file has no \"inv_metric\""),
            ("string.json", "{\"inv_metric\": [1, \"a\"]}", false, "inv_metric[2] is a string, not a finite number"),
        ]
        for (name, text, dense, message) in cases {
            let path = h.file(name, text)
            let r = run(["--metric-file", path] + (dense ? ["--metric", "dense"] : []))
            #expect(r.code == 65, "\(name): \(r.err)")
            #expect(r.err.hasPrefix(path + ":") && r.err.contains(message), "\(name): \(r.err)")
            #expect(r.out.isEmpty)
        }
        let missing = run(["--metric-file", h.dir.appendingPathComponent("none.json").path])
        #expect(missing.code == 66 && missing.err.contains("cannot read metric file"), "\(missing.err)")
    }

    /// dense_e in the CSV files as CmdStan writes it, read back by `synm report`.
    @Test func denseMetricIsRecordedAsCmdStanDoes() throws {
        let metric = h.file("m.json", "{\"inv_metric\": [[1, 0.1], [0.1, 2]]}")
        let prefix = h.dir.appendingPathComponent("dense.csv").path
        let r = run(["--metric", "dense", "--metric-file", metric, "--stepsize", "0.3", "--jitter", "0.25",
                     "--output", prefix])
        try #require(r.code == 0, "\(r.err)")
        #expect(r.out.contains("sampler=nuts (metric=dense_e)"))
        let text = try String(contentsOfFile: DrawsOutput.path(prefix: prefix, chain: 0), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("#         metric = dense_e"))
        #expect(lines.contains("#         metric_file = \(metric)"))
        #expect(lines.contains("#         stepsize = 0.3"))
        #expect(lines.contains("#         stepsize_jitter = 0.25"))
        let title = try #require(lines.firstIndex(of: "# Elements of inverse mass matrix:"))
        let rows = lines[(title + 1)...(title + 2)].map { $0.dropFirst(2).split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        #expect(rows.allSatisfy { $0.count == 2 })
        #expect(rows[0][1] == rows[1][0] && rows[0][0] > 0 && rows[1][1] > 0)
        #expect(lines[title + 3].first != "#")
        let report = h.run(["report", DrawsOutput.path(prefix: prefix, chain: 0), DrawsOutput.path(prefix: prefix, chain: 1),
                            "--output", h.dir.appendingPathComponent("r.html").path])
        #expect(report.code == 0, "\(report.err)")
        // unit_e: no metric to record.
        let unit = run(["--metric", "unit", "--output", prefix])
        try #require(unit.code == 0, "\(unit.err)")
        let unitText = try String(contentsOfFile: DrawsOutput.path(prefix: prefix, chain: 0), encoding: .utf8)
        #expect(unitText.contains("#         metric = unit_e\n") && unitText.contains("# No free parameters for unit metric\n"))
        // The default stays CmdStan's default header.
        let diag = run(["--output", prefix])
        try #require(diag.code == 0)
        let diagText = try String(contentsOfFile: DrawsOutput.path(prefix: prefix, chain: 0), encoding: .utf8)
        #expect(diagText.contains("#         metric = diag_e (Default)\n#         metric_file =  (Default)\n"))
        #expect(diagText.contains("# Diagonal elements of inverse mass matrix:\n"))
    }

    /// The same seed gives the same files with 1 or 2 threads (dense metric, jitter).
    @Test func denseRunsAreDeterministic() throws {
        let a = run(["--metric", "dense", "--jitter", "0.3", "--json", "--threads", "1"])
        let b = run(["--metric", "dense", "--jitter", "0.3", "--json", "--threads", "2"])
        try #require(a.code == 0 && b.code == 0)
        #expect(RunHarness.withoutTimings(a.out) == RunHarness.withoutTimings(b.out))
        #expect(a.out.contains("\"metric\" : \"dense_e\"") || a.out.contains("\"metric\": \"dense_e\""))
    }
}
