// `synm report` on real CmdStan output (Fixtures/cmdstan-csv, cmdstanpy's test files, BSD
// licence; see its README): every good file is read, alone and as chains of one run; every
// damaged file is refused with exit 65 and a message naming the file and the line.
import Foundation
import Testing
@testable import SynmDriver

let cmdstanFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("cmdstan-csv")

@Suite struct StanCSVReportTests {
    static func good(_ name: String) -> String { cmdstanFixtures.appendingPathComponent("good/\(name)").path }
    static func bad(_ name: String) -> String { cmdstanFixtures.appendingPathComponent("bad/\(name)").path }

    /// `synm report FILES --output TMP/r.html`, with the page.
    func report(_ files: [String], _ dir: TemporaryDirectory) -> (Invocation, String?) {
        let out = dir.path("r-\(UUID().uuidString).html")
        let r = RunHarness.synm(["report"] + files + ["--output", out])
        return (r, try? String(contentsOfFile: out, encoding: .utf8))
    }

    @Test(arguments: ["bernoulli_output_1.csv", "fixed_param_sample.csv", "logistic_output_1.csv", "logistic_output_2.csv",
                      "logistic_output_3.csv", "logistic_output_4.csv", "lotka-volterra.csv", "runset_bern-1.csv",
                      "runset_bern-2.csv", "runset_bern-3.csv", "runset_bern-4.csv"])
    func everyGoodFileIsRead(name: String) throws {
        let dir = try TemporaryDirectory()
        let path = Self.good(name)
        let (r, page) = report([path], dir)
        try #require(r.code == 0, "\(name): \(r.err)")
        let html = try #require(page)
        // The number of draws is the file's own: num_samples rows after the header.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count - 1
        #expect(html.contains("\(rows) draws each"), "\(name)")
        let model = try #require(text.split(separator: "\n").first { $0.hasPrefix("# model = ") })
        #expect(html.contains(String(model.dropFirst("# model = ".count))))
        #expect(r.out.contains("wrote "))
    }

    @Test func runSetsAreReadAsChains() throws {
        let dir = try TemporaryDirectory()
        for stem in ["runset_bern", "logistic_output"] {
            let files = (1...4).map { Self.good(stem == "runset_bern" ? "\(stem)-\($0).csv" : "\(stem)_\($0).csv") }
            let (r, page) = report(files, dir)
            try #require(r.code == 0, "\(stem): \(r.err)")
            #expect(try #require(page).contains("4 chains read from"))
            #expect(r.out.contains("4 chains"))
        }
        // The prefix form finds logistic_output_1.csv … _4.csv by itself.
        let (r, _) = report([cmdstanFixtures.appendingPathComponent("good/logistic_output.csv").path], dir)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("4 chains"))
    }

    /// Each damaged file: exit 65 and `FILE:LINE` at the damage.
    @Test(arguments: [("output_bad_cols.csv", 44, "has 7 fields but the header has 8"),
                      ("output_bad_metric_1.csv", 40, "no adaptation block"),
                      ("output_bad_metric_2.csv", 41, "step size"),
                      ("output_bad_rows.csv", 52, "9 draws")])
    func everyDamagedFileIsRefused(name: String, line: Int, words: String) throws {
        let dir = try TemporaryDirectory()
        let path = Self.bad(name)
        let (r, page) = report([path], dir)
        #expect(r.code == 65, "\(name): exit \(r.code)")
        #expect(r.err.contains("\(path):\(line):"), "\(name): \(r.err)")
        #expect(r.err.contains(words), "\(name): \(r.err)")
        #expect(page == nil)
    }

    /// bad-draws-bern-1 and bad-hdr-bern-1 are well-formed CmdStan files (in cmdstanpy's
    /// tests they are bad only beside sibling chains not copied here); they are identical, so
    /// given together they are one chain twice.
    @Test func theRunSetFilesAreOneChainTwice() throws {
        let dir = try TemporaryDirectory()
        let a = Self.bad("bad-draws-bern-1.csv"), b = Self.bad("bad-hdr-bern-1.csv")
        #expect(report([a], dir).0.code == 0)
        #expect(report([b], dir).0.code == 0)
        let (r, page) = report([a, b], dir)
        #expect(r.code == 65)
        #expect(r.err.contains(b) && r.err.contains("chain 1") && r.err.contains("seed 73255"), "\(r.err)")
        #expect(page == nil)
    }

    /// The configuration line `diagnostic_file =  (Default)` (an empty value) trapped.
    @Test func emptyConfigurationValues() {
        let pairs = DrawsReport.configurationPairs(["#   diagnostic_file =  (Default)", "#   file = ", "# seed = 5 (Default)",
                                                    "#   sig_figs = -1 (Default)", "# a = b = c"])
        #expect(pairs.map(\.0) == ["diagnostic_file", "file", "seed", "sig_figs", "a"])
        #expect(pairs.map(\.1) == ["", "", "5", "-1", "b = c"])
    }

    /// Damaged sampler columns are refused at their row, not trapped on.
    @Test(arguments: ["nan", "inf", "1e20", "-1", "2.5"])
    func damagedTreeDepthIsRefused(cell: String) throws {
        let dir = try TemporaryDirectory()
        var text = try String(contentsOfFile: Self.good("bernoulli_output_1.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "-6.85511,0.994945,0.787025,2,3,", with: "-6.85511,0.994945,0.787025,\(cell),3,")
        let path = try dir.write("damaged.csv", text)
        let (r, _) = report([path], dir)
        #expect(r.code == 65, "\(cell): \(r.err)")
        #expect(r.err.contains("\(path):46:") && r.err.contains("treedepth__"), "\(r.err)")
    }
}

extension StanCSVReportTests {
    /// A run with no draws (num_samples = 0): the timing block right after the adaptation
    /// block is not read as inverse-metric rows.
    @Test func adaptationBlockFollowedByTimingIsRead() throws {
        let dir = try TemporaryDirectory()
        let text = """
        # model = m
        # method = sample (Default)
        #   sample
        #     num_samples = 0
        #     num_warmup = 10
        #     algorithm = hmc (Default)
        #       hmc
        #         engine = nuts (Default)
        #         metric = diag_e (Default)
        lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta
        # Adaptation terminated
        # Step size = 0.5
        # Diagonal elements of inverse mass matrix:
        # 1.5
        # 
        #  Elapsed Time: 0.001 seconds (Warm-up)
        #                0 seconds (Sampling)
        #                0.001 seconds (Total)
        # 

        """
        let path = try dir.write("empty.csv", text)
        let file = try StanCSVFile.read(path)
        #expect(file.csv.rowCount == 0)
    }
}
