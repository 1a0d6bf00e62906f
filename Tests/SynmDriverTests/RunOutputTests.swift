// `synm run --output PREFIX.csv` : one CmdStan-format file per chain,
// PREFIX_1.csv … PREFIX_4.csv, read back with SynmIO's DrawsCSV. The column layout is
// CmdStan's (the seven sampler columns, then `eta.1`-style names for parameters, lets and
// predict nodes), each file has one row per draw, and the draws in the files are the draws
// the JSON summary was computed from. A bad output directory is exit 73 and no file.
import Foundation
import SynmIO
import Testing

@Suite struct RunOutputTests {
    static let samplerColumns = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__",
                                 "divergent__", "energy__"]
    /// models/eight_schools.synm: parameters mu, tau, eta[8]; let theta[8]; predict y_rep[8].
    static let modelColumns = ["mu", "tau"] + (1...8).map { "eta.\($0)" } + (1...8).map { "theta.\($0)" }
        + (1...8).map { "y_rep.\($0)" }

    @Test(arguments: ["nuts", "metropolis"])
    func writesOneCmdStanFilePerChain(sampler: String) throws {
        let dir = try TemporaryDirectory()
        let (doc, _) = try RunHarness.json(["run", RunHarness.model("eight_schools.synm"), "--sampler", sampler,
                                            "--chains", "4", "--warmup", "150", "--draws", "120", "--seed", "99",
                                            "--output", dir.path("draws.csv"), "--json"])
        #expect(try dir.contents() == ["draws_1.csv", "draws_2.csv", "draws_3.csv", "draws_4.csv"])
        var files: [DrawsCSV] = []
        for chain in 1...4 {
            let text = try String(contentsOfFile: dir.path("draws_\(chain).csv"), encoding: .utf8)
            let csv = try DrawsCSV.parse(text)
            #expect(csv.names == Self.samplerColumns + Self.modelColumns, "chain \(chain) header: \(csv.names)")
            #expect(csv.rowCount == 120)
            #expect(csv.columns.allSatisfy { $0.count == 120 })
            // CmdStan's comment blocks: configuration, adaptation, timing.
            let comments = csv.comments.map(\.text)
            #expect(comments.contains { $0.contains("num_samples = 120") })
            #expect(comments.contains { $0.contains("num_warmup = 150") })
            #expect(comments.contains { $0.contains("seed = 99") })
            #expect(comments.contains { $0.contains("id = \(chain)") })
            #expect(comments.contains { $0.contains("Adaptation terminated") })
            #expect(comments.contains { $0.contains("Step size = ") })
            #expect(comments.contains { $0.contains("Elapsed Time") })
            if sampler == "nuts" {
                #expect(comments.contains { $0.contains("Diagonal elements of inverse mass matrix") })
                let depth = csv.column(named: "treedepth__")!, leapfrog = csv.column(named: "n_leapfrog__")!
                #expect(zip(depth, leapfrog).allSatisfy { d, n in n >= 1 && n <= pow(2, d + 1) - 1 })
            }
            #expect(csv.column(named: "divergent__")!.allSatisfy { $0 == 0 || $0 == 1 })
            #expect(csv.column(named: "accept_stat__")!.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(csv.column(named: "tau")!.allSatisfy { $0 > 0 })
            // The let is a function of the parameters in the same row: theta = mu + tau * eta.
            let mu = csv.column(named: "mu")!, tau = csv.column(named: "tau")!
            for j in 1...8 {
                let eta = csv.column(named: "eta.\(j)")!, theta = csv.column(named: "theta.\(j)")!
                for d in 0..<csv.rowCount {
                    #expect(abs(theta[d] - (mu[d] + tau[d] * eta[d])) <= 1e-12 * max(1, abs(theta[d])))
                }
            }
            files.append(csv)
        }
        // The files hold the draws the summary describes: pooled means agree to rounding.
        let parameters = try #require(doc["parameters"]?.objectMembers)
        #expect(parameters.count == Self.modelColumns.count)
        for member in parameters {
            let column = DrawsCSVWriter.columnName(member.key)
            let values = files.flatMap { $0.column(named: column) ?? [] }
            try #require(values.count == 480, "no column \(column) in the files")
            let fileMean = values.reduce(0, +) / Double(values.count)
            let jsonMean = try #require(member.value["mean"]?.doubleValue)
            #expect(abs(fileMean - jsonMean) <= 1e-12 * max(1, abs(jsonMean)), "\(member.key): \(fileMean) vs \(jsonMean)")
        }
    }

    /// A model without parameters runs fixed_param: CmdStan's two sampler columns, no
    /// adaptation block, the NUTS configuration echoed as CmdStan (to 2.36) echoes it.
    @Test func fixedParamFilesHaveTwoSamplerColumns() throws {
        let dir = try TemporaryDirectory()
        let model = dir.path("gq.synm")
        try "predict y ~ normal(0, 1)\n".write(toFile: model, atomically: true, encoding: .utf8)
        _ = try RunHarness.json(["run", model, "--chains", "2", "--warmup", "300", "--draws", "50", "--seed", "3",
                                 "--output", dir.path("d.csv"), "--json"])
        let csv = try DrawsCSV.parse(try String(contentsOfFile: dir.path("d_1.csv"), encoding: .utf8))
        #expect(csv.names == ["lp__", "accept_stat__", "y"])
        #expect(csv.rowCount == 50)
        let comments = csv.comments.map(\.text)
        #expect(comments.contains { $0.contains("num_warmup = 300") })
        #expect(comments.contains { $0.contains("engine = nuts") })
        #expect(!comments.contains { $0.contains("Adaptation terminated") })
    }

    /// `--warmup 0`: adaptation is off, and the files say so (engaged = 0, no adaptation block).
    @Test func noWarmupFilesHaveNoAdaptationBlock() throws {
        let dir = try TemporaryDirectory()
        _ = try RunHarness.json(["run", RunHarness.model("coin.synm"), "--chains", "1", "--warmup", "0", "--draws", "40",
                                 "--seed", "3", "--output", dir.path("d.csv"), "--json"])
        let csv = try DrawsCSV.parse(try String(contentsOfFile: dir.path("d_1.csv"), encoding: .utf8))
        #expect(csv.names.prefix(7).elementsEqual(Self.samplerColumns))
        let comments = csv.comments.map(\.text)
        #expect(comments.contains { $0.contains("engaged = 0") })
        #expect(!comments.contains { $0.contains("Adaptation terminated") })
        #expect(csv.rowCount == 40)
    }

    @Test func missingOutputDirectoryIsExit73AndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let prefix = dir.path("no/such/dir/draws.csv")
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--warmup", "50", "--draws", "50", "--seed", "1",
                                 "--output", prefix])
        #expect(r.code == 73, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("no/such/dir"), "the error should name the path: \(r.err)")
        #expect(try dir.contents().isEmpty)
        #expect(r.out.isEmpty, "no summary after a failed write")
    }

    /// The set of files is written whole or not at all: when one chain's file cannot be
    /// written (here a directory already occupies draws_3.csv), no other chain's file is
    /// left behind either.
    @Test func partlyWritableOutputWritesNoFile() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("draws_3.csv"), withIntermediateDirectories: false)
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--warmup", "50", "--draws", "50", "--seed", "1",
                                 "--output", dir.path("draws.csv")])
        #expect(r.code == 73, "exit \(r.code): \(r.err)")
        #expect(try dir.contents() == ["draws_3.csv"], "files left behind")
    }
}
