// `synm report` and the --report options: every page is self-contained (no network, no
// scripts), every <svg> is well-formed XML with the expected elements and axes containing
// the data, Stan's CSV reads too, and a tiny fixed run matches its golden page.
import Foundation
import Testing
@testable import SynmDriver

@Suite struct ReportTests {
    static let golden = goldenRoot.appendingPathComponent("report")

    /// Checks what every report page must satisfy; returns its top-level SVGs, parsed.
    @discardableResult
    func expectSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) -> [(String, ElementCounter)] {
        #expect(html.hasPrefix("<!DOCTYPE html>"), sourceLocation: sourceLocation)
        #expect(!html.contains("http"), "a reference to the network", sourceLocation: sourceLocation)
        #expect(!html.lowercased().contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.contains("src="), sourceLocation: sourceLocation)
        #expect(!html.contains("url("), sourceLocation: sourceLocation)
        #expect(!html.contains("@import") && !html.contains("<link"), sourceLocation: sourceLocation)
        var parsed: [(String, ElementCounter)] = []
        for svg in topLevelSVGs(html) {
            guard let c = ElementCounter.parse(svg) else {
                Issue.record("an <svg> is not well-formed XML: \(svg.prefix(200))", sourceLocation: sourceLocation)
                continue
            }
            parsed.append((svg, c))
        }
        #expect(!parsed.isEmpty, sourceLocation: sourceLocation)
        return parsed
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func runReportAndReportFromCSV() throws {
        let dir = try TemporaryDirectory()
        let html = dir.path("run.html"), prefix = dir.path("draws.csv")
        let r = RunHarness.synm(["run", RunHarness.model("eight_schools.synm"), "--seed", "11", "--chains", "2", "--warmup", "150",
                                 "--draws", "120", "--output", prefix, "--report", html])
        try #require(r.code == 0, "\(r.err)")
        let page = try read(html)
        let svgs = expectSelfContained(page)
        // lp__ is in the table; mu, tau, eta[8], theta[8], y_rep[8] get three plots each.
        let quantities = 2 + 8 + 8 + 8
        #expect(svgs.filter { $0.0.contains("class=\"chart trace\"") }.count == quantities)
        #expect(svgs.filter { $0.0.contains("class=\"chart rank\"") }.count == quantities)
        #expect(svgs.filter { $0.0.contains("class=\"chart density\"") }.count == quantities)
        #expect(svgs.filter { $0.0.contains("chart-grid pairs") }.count == 1)
        #expect(svgs.filter { $0.0.contains("class=\"chart energy\"") }.count == 1)
        for (svg, c) in svgs where svg.contains("class=\"chart trace\"") {
            #expect(c.counts["polyline"] == 2)  // a line per chain
        }
        // The summary table, the model source and the configuration.
        for needle in ["<th>ESS_bulk</th>", "<td class=\"name\">tau</td>", "param tau: real&lt;lower=0&gt;", "E-BFMI", "seed</dt><dd>11"] {
            #expect(page.contains(needle), "missing \(needle)")
        }
        // mu's trace: its y axis contains every draw of both chains.
        let csv1 = try read(dir.path("draws_1.csv")), csv2 = try read(dir.path("draws_2.csv"))
        let mu = try [csv1, csv2].flatMap { try column("mu", $0) }
        let trace = try #require(svgs.first { $0.0.contains("<title>mu — trace</title>") })
        let y = try #require(domain(trace.1.attributes[0]["data-y-domain"]))
        #expect(mu.allSatisfy(y.contains))
        // The same run from its CSV files, with the model and chosen pairs.
        let out = dir.path("fromcsv.html")
        let s = RunHarness.synm(["report", prefix, "--output", out, "--model", RunHarness.model("eight_schools.synm"),
                                 "--pairs", "mu,tau,theta.1"])
        try #require(s.code == 0, "\(s.err)")
        let fromCSV = try read(out)
        let csvSVGs = expectSelfContained(fromCSV)
        #expect(csvSVGs.filter { $0.0.contains("class=\"chart trace\"") }.count == quantities)
        #expect(fromCSV.contains("<td class=\"name\">theta[1]</td>"))
        #expect(fromCSV.contains("pair plot: mu, tau, theta[1]"))
        #expect(fromCSV.contains("num_warmup = 150"))
        // The summary tables agree.
        func table(_ s: String) -> Substring {
            s[s.range(of: "<table>")!.lowerBound..<s.range(of: "</table>")!.upperBound]
        }
        #expect(table(page) == table(fromCSV))
    }

    func column(_ name: String, _ csv: String) throws -> [Double] {
        let lines = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",").map(String.init)
        let k = try #require(header.firstIndex(of: name))
        return lines.dropFirst().map { Double($0.split(separator: ",")[k])! }
    }

    /// A tiny fixed run: the page is compared with Golden/report/normal-run.html (timings masked).
    @Test func goldenPage() throws {
        let dir = try TemporaryDirectory()
        let html = dir.path("golden.html")
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "3", "--chains", "2", "--warmup", "100",
                                 "--draws", "60", "--threads", "1", "--report", html])
        try #require(r.code == 0, "\(r.err)")
        var page = try read(html)
        page = page.replacingOccurrences(of: #"\d+\.\d{3} s<"#, with: "0.000 s<", options: .regularExpression)
        page = page.replacingOccurrences(of: RunHarness.repositoryRoot.path + "/", with: "")
        expectSelfContained(page)
        expectMatchesGolden(page, file: Self.golden.appendingPathComponent("coin-run.html"))
    }

    @Test func stanCSV() throws {
        let dir = try TemporaryDirectory()
        // A CmdStan file as Stan writes it: "(Default)" markers, save_warmup=1, theta.1 names.
        for chain in 1...2 {
            var text = """
            # stan_version_major = 2
            # model = bern_model
            # method = sample (Default)
            #   sample
            #     num_samples = 40
            #     num_warmup = 10
            #     save_warmup = 1
            #     thin = 1 (Default)
            #     algorithm = hmc (Default)
            #       hmc
            #         engine = nuts (Default)
            #           nuts
            #             max_depth = 10 (Default)
            # id = \(chain)
            # random
            #   seed = 4242
            lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta.1,theta.2

            """
            for i in 0..<50 {
                if i == 10 { text += "# Adaptation terminated\n# Step size = 0.9\n# Diagonal elements of inverse mass matrix:\n# 1, 1\n" }
                let a = sin(Double(i * chain)) * 0.3 + 0.5, b = cos(Double(i + chain))
                text += "\(-7 - a),0.9,0.9,2,3,\(i == 30 && chain == 2 ? 1 : 0),\(8 + b + a),\(a),\(b)\n"
            }
            text += "#\n#  Elapsed Time: 0.01 seconds (Warm-up)\n#                0.02 seconds (Sampling)\n#                0.03 seconds (Total)\n"
            try text.write(toFile: dir.path("bern-\(chain).csv"), atomically: true, encoding: .utf8)
        }
        let out = dir.path("stan.html")
        let r = RunHarness.synm(["report", dir.path("bern-1.csv"), dir.path("bern-2.csv"), "--output", out])
        try #require(r.code == 0, "\(r.err)")
        let page = try read(out)
        let svgs = expectSelfContained(page)
        #expect(page.contains("<td class=\"name\">theta[1]</td>") && page.contains("<td class=\"name\">theta[2]</td>"))
        #expect(page.contains("bern_model"))
        #expect(page.contains("40 draws each"))  // the 10 saved warmup rows dropped
        #expect(page.contains("1 divergent draw"))
        #expect(page.contains("0.020 s"))
        #expect(svgs.filter { $0.0.contains("class=\"chart trace\"") }.count == 2)
        #expect(page.contains("The model source is not in the draws files"))
    }

    @Test func usageAndMissingFiles() throws {
        #expect(RunHarness.synm(["report"]).code == 64)
        #expect(RunHarness.synm(["report", "/nonexistent/draws.csv"]).code == 66)
        #expect(RunHarness.synm(["report", "x.csv", "--pairs", "a,b,c,d,e"]).code == 64)
        let dir = try TemporaryDirectory()
        let prefix = dir.path("d.csv")
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "1", "--chains", "1", "--warmup", "50", "--draws", "30",
                                 "--output", prefix])
        try #require(r.code == 0)
        let bad = RunHarness.synm(["report", prefix, "--pairs", "nonsense"])
        #expect(bad.code == 64)
        #expect(bad.err.contains("no quantity 'nonsense'"))
        // Written whole or not at all: an unwritable destination leaves nothing behind.
        let unwritable = RunHarness.synm(["report", prefix, "--output", dir.path("no/such/dir/r.html")])
        #expect(unwritable.code == 73)
        #expect(RunHarness.synm(["report", prefix]).code == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path("d.html")))
    }

    @Test func analysisReports() throws {
        let dir = try TemporaryDirectory()
        let model = RunHarness.model("synthetic_normal.synm")
        let fisher = RunHarness.synm(["fisher", model, "--report", dir.path("f.html")])
        try #require(fisher.code == 0, "\(fisher.err)")
        let f = try read(dir.path("f.html"))
        let fs = expectSelfContained(f)
        #expect(fs.contains { $0.0.contains("chart information") })
        #expect(f.contains("claimed") && f.contains("warranted"))
        let audit = RunHarness.synm(["audit", model, "--reps", "12", "--seed", "2", "--report", dir.path("a.html")])
        try #require(audit.code == 0, "\(audit.err)")
        let a = try read(dir.path("a.html"))
        let coverage = expectSelfContained(a).filter { $0.0.contains("chart coverage") }
        #expect(!coverage.isEmpty)
        for (_, c) in coverage {
            #expect(c.counts["circle"]! >= 2)  // a dot per footing
            let x = try #require(domain(c.attributes[0]["data-x-domain"]))
            #expect(x.contains(0.95) && x.contains(1))
        }
        let reflect = RunHarness.synm(["reflect", model, "--synthetic-n", "5", "--reps", "12", "--seed", "3", "--chains", "2",
                                       "--warmup", "200", "--draws", "300", "--report", dir.path("r.html")])
        try #require(reflect.code == 0, "\(reflect.err)")
        let rp = try read(dir.path("r.html"))
        let densities = expectSelfContained(rp).filter { $0.0.contains("chart reflect-density") }
        #expect(!densities.isEmpty)
        for (_, c) in densities { #expect(c.counts["polyline"]! >= 3) }  // current, averaged, one update
        #expect(rp.contains("martingale identities"))
    }
}
