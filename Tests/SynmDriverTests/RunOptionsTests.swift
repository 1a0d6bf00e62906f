// CmdStan's run options in synm: --thin, --save-warmup, --refresh, --sig-figs, --init 0 and
// --init R, partial init files, several --data files merged, and "did you mean" for
// CmdStan's spellings of the options.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct RunOptionsTests {
    static let eight = RunHarness.model("eight_schools.synm")
    static let parameterColumns = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__",
                                   "mu", "tau"] + (1...8).map { "eta.\($0)" } + (1...8).map { "theta.\($0)" }

    func run(_ extra: [String], _ dir: TemporaryDirectory, _ name: String) throws -> [DrawsCSV] {
        let r = RunHarness.synm(["run", Self.eight, "--seed", "21", "--chains", "2", "--warmup", "80", "--draws", "50",
                                 "--threads", "1", "--output", dir.path("\(name).csv")] + extra)
        try #require(r.code == 0, "\(extra): \(r.err)")
        return try (1...2).map { try DrawsCSV.parse(String(contentsOfFile: dir.path("\(name)_\($0).csv"), encoding: .utf8)) }
    }

    /// Thinning keeps iterations 0, thin, 2·thin, … of the same chains: the thinned files
    /// are every third row of the unthinned run's (parameters, lets and sampler columns).
    @Test func thinKeepsEveryThinthDraw() throws {
        let dir = try TemporaryDirectory()
        let full = try run([], dir, "full"), thin = try run(["--thin", "3"], dir, "thin")
        for (f, t) in zip(full, thin) {
            #expect(t.rowCount == 17)  // ⌈50 / 3⌉
            for name in Self.parameterColumns {
                let every = stride(from: 0, to: 50, by: 3).map { f.column(named: name)![$0] }
                #expect(t.column(named: name)!.map(\.bitPattern) == every.map(\.bitPattern), "\(name)")
            }
            #expect(t.comments.contains { $0.text == "#     thin = 3" })
        }
        let report = RunHarness.synm(["report", dir.path("thin.csv"), "--output", dir.path("t.html")])
        #expect(report.code == 0, "\(report.err)")
        let page = try String(contentsOfFile: dir.path("t.html"), encoding: .utf8)
        #expect(page.contains("17 draws each"))
    }

    /// Saved warmup rows come before the adaptation block and change none of the draws.
    @Test func saveWarmupWritesWarmupRowsBeforeTheAdaptationBlock() throws {
        let dir = try TemporaryDirectory()
        let plain = try run([], dir, "plain"), saved = try run(["--save-warmup"], dir, "saved")
        for (p, s) in zip(plain, saved) {
            #expect(s.rowCount == 80 + 50)
            let adaptation = try #require(s.comments.first { $0.text == "# Adaptation terminated" })
            #expect(adaptation.rowsBefore == 80)
            for (k, name) in s.names.enumerated() {
                #expect(Array(s.columns[k].suffix(50)).map(\.bitPattern) == p.column(named: name)!.map(\.bitPattern), "\(name)")
            }
            #expect(s.comments.contains { $0.text == "#     save_warmup = 1" })
            // Warmup step sizes vary while adaptation runs; the draws' are fixed.
            #expect(Set(s.column(named: "stepsize__")!.prefix(80)).count > 1)
        }
        let thinned = try run(["--save-warmup", "--thin", "7"], dir, "both")
        #expect(thinned[0].rowCount == 12 + 8)  // ⌈80/7⌉ + ⌈50/7⌉
        #expect(thinned[0].comments.first { $0.text == "# Adaptation terminated" }?.rowsBefore == 12)
        for name in ["saved", "both"] {
            let r = RunHarness.synm(["report", dir.path("\(name).csv"), "--output", dir.path("\(name).html")])
            #expect(r.code == 0, "\(r.err)")
        }
    }

    @Test func sigFigsAndRefresh() throws {
        let dir = try TemporaryDirectory()
        let files = try run(["--sig-figs", "3", "--refresh", "0"], dir, "s")
        let text = try String(contentsOfFile: dir.path("s_1.csv"), encoding: .utf8)
        #expect(text.contains("#   sig_figs = 3\n") && text.contains("#   refresh = 0\n"))
        for column in files[0].columns {
            for v in column where v.isFinite && v != 0 {
                // Three significant digits: v = m · 10^e with an integer m of at most 3 digits.
                let e = floor(log10(abs(v))) - 2
                let m = v / pow(10, e)
                #expect(abs(m - m.rounded()) < 1e-6, "\(v)")
            }
        }
        for bad in [["--sig-figs", "0"], ["--sig-figs", "19"], ["--refresh", "-1"], ["--thin", "0"], ["--init", "-1"], ["--init", "inf"]] {
            #expect(RunHarness.synm(["run", Self.eight] + bad).code == 64, "\(bad)")
        }
    }

    /// A density finite only where every |x_i| < 0.1: random inits on (−3, 3) almost never
    /// land there ((0.1/3)³ per try, 100 tries: 0.4%), inits on (−0.05, 0.05) always do.
    static let narrow = """
    param x: real[3]
    param y: real
    x ~ normal(0, 1)
    y ~ normal(0, 1)
    target += sum(log(0.01 - square(x)))

    """

    @Test func initRadiusZeroAndPartialFiles() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("narrow.synm", Self.narrow)
        func synm(_ extra: [String]) -> Invocation {
            RunHarness.synm(["run", model, "--seed", "2", "--chains", "2", "--warmup", "100", "--draws", "50"] + extra)
        }
        let wide = synm(["--init", "3"])
        #expect(wide.code == 70, "\(wide.err)")
        #expect(synm(["--init", "0.05"]).code == 0)
        #expect(synm(["--init", "0"]).code == 0)
        // A partial init file: x given (inside the support), y drawn as a random init.
        let partial = try dir.write("x.json", #"{"x": [0.01, -0.02, 0]}"#)
        let p = synm(["--init", partial, "--seed", "3"])
        #expect(p.code == 0, "\(p.err)")
        // --init 0 where 0 is outside the support: the given value is refused, once.
        let log = try dir.write("log.synm", "param x: real\nx ~ normal(0, 1)\ntarget += log(abs(x))\n")
        let zero = RunHarness.synm(["run", log, "--init", "0", "--chains", "1", "--warmup", "20", "--draws", "10"])
        #expect(zero.code == 70)
        #expect(zero.err.contains("given initial value"), "\(zero.err)")
        #expect(RunHarness.synm(["run", log, "--chains", "1", "--warmup", "20", "--draws", "10", "--seed", "1"]).code == 0)
    }

    @Test func severalDataFilesAreMerged() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
        data N: int
        data y: real[N]
        data sigma: real<lower=0>
        param mu: real
        mu ~ normal(0, 10)
        y ~ normal(mu, sigma)

        """)
        let all = try dir.write("all.json", #"{"N": 3, "y": [1.5, 2, 0.5], "sigma": 1}"#)
        let a = try dir.write("a.json", #"{"N": 3, "y": [1.5, 2, 0.5]}"#)
        let b = try dir.write("b.json", "{\n  \"sigma\": 1\n}")
        let args = ["run", model, "--seed", "5", "--chains", "2", "--warmup", "100", "--draws", "100", "--json"]
        let one = RunHarness.synm(args + ["--data", all]), two = RunHarness.synm(args + ["--data", a, "--data", b])
        #expect(one.code == 0 && two.code == 0, "\(two.err)")
        func drop(_ s: String) -> String { s.replacingOccurrences(of: #""time_s"[^}]*\}"#, with: "", options: .regularExpression) }
        #expect(drop(one.out) == drop(two.out))
        // A name in two files: an error naming both.
        let c = try dir.write("c.json", "{\n  \"N\": 3\n}")
        let dup = RunHarness.synm(args + ["--data", a, "--data", b, "--data", c])
        #expect(dup.code == 65)
        #expect(dup.err.contains("\(c):2:") && dup.err.contains("\(a):1:") && dup.err.contains("'N'"), "\(dup.err)")
        // A data error in the second file is located there.
        let bad = try dir.write("bad.json", "{\n  \"sigma\": -1\n}")
        let located = RunHarness.synm(args + ["--data", a, "--data", bad])
        #expect(located.code == 65 && located.err.contains("\(bad):2:"), "\(located.err)")
    }

    @Test(arguments: [("--num_samples", "draws"), ("--iter_sampling", "draws"), ("--num_warmup", "warmup"),
                      ("--iter-warmup", "warmup"), ("--num_chains", "chains"), ("--max_treedepth", "max-depth"),
                      ("--adapt_delta", "adapt-delta"), ("--save_warmup", "save-warmup"), ("--sig_figs", "sig-figs"),
                      ("num_samples=10", "draws 10"), ("chains=2", "chains 2"), ("seed=4", "seed 4"),
                      ("iter_sampling=10", "draws 10"), ("save_warmup=1", "save-warmup")])
    func cmdStanSpellingsGetTheirSynmName(spelling: String, expected: String) {
        let r = RunHarness.synm(["run", Self.eight, spelling] + (spelling.contains("=") ? [] : ["10"]))
        #expect(r.code == 64)
        #expect(r.err.contains("--\(expected)"), "\(spelling): \(r.err)")
    }
}
