// A fuzz suite for the whole driver, run in process: mutated models, mutated data files,
// mutated draws CSV files for `report`, and random option lists for every command, from a
// seeded generator (the same inputs on every run). A Swift trap would kill the test process,
// so surviving is the first assertion; each invocation must also end with a documented exit
// code (0, 64, 65, 66, 70, 73), print an error when it fails, and locate a model or data
// error in one of its input files. The crash inputs of the robustness issue are the seeds,
// run first.
//
// Bounded for CI (well under a minute in a debug build). For a longer local run set
// SYNM_FUZZ_ITERATIONS to the number of cases per family, e.g.
//     SYNM_FUZZ_ITERATIONS=5000 swift test --filter FuzzTests
// A failure prints the input that caused it (the mutated text or the argument list).
import Foundation
import SynmMath
import Testing
@testable import SynmDriver

enum Fuzz {
    /// Cases per family: SYNM_FUZZ_ITERATIONS, else `ci`.
    static func iterations(ci: Int) -> Int {
        ProcessInfo.processInfo.environment["SYNM_FUZZ_ITERATIONS"].flatMap(Int.init).map { max($0, 1) } ?? ci
    }

    static let documentedCodes: Set<Int32> = [0, 64, 65, 66, 70, 73]

    /// Runs `synm ARGS` in process and checks the outcome; `inputs` are the files it reads.
    @discardableResult
    static func invoke(_ args: [String], inputs: [String], shown: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> Invocation {
        let r = RunHarness.synm(args)
        let context = "synm \(args.joined(separator: " "))\n--- input ---\n\(shown.prefix(2000))\n--- stderr ---\n\(r.err.prefix(2000))"
        #expect(documentedCodes.contains(r.code), "undocumented exit \(r.code)\n\(context)", sourceLocation: sourceLocation)
        if r.code != 0 {
            #expect(r.err.contains("error"), "exit \(r.code) without an error message\n\(context)", sourceLocation: sourceLocation)
        }
        if r.code == 65 {
            let located = inputs.contains { r.err.contains($0 + ":") }
            #expect(located, "a model or data error without its file and place\n\(context)", sourceLocation: sourceLocation)
        }
        return r
    }

    /// Random choices from a seeded generator.
    struct Chooser {
        var rng: Xoshiro256StarStar
        init(seed: UInt64, stream: UInt64) { rng = Xoshiro256StarStar(seed: seed, stream: stream) }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
        mutating func chance(_ p: Double) -> Bool { rng.uniform01() < p }
    }

    /// Pieces a mutation inserts: the issue's hostile values, the language's tokens, odd bytes.
    static let modelTokens = [
        "3000000000", "1000000000000", "2147483647", "-1", "0", "1e308", "1e-320", "7 / 2", "n / 0", "lp__", "x__",
        "real[0, 5]", "real[N]", "int", "real", "<lower=5, upper=1>", "<lower=0>", "(", ")", "[", "]", "{", "}", "~",
        " + ", " * ", "^", " / ", "for i in 1..3 {", "for i in 1..1000000000 { target += mu }", "target += ",
        "predict y_rep: real[3] ~ normal(0, 1)", "param ", "data ", "let ", "var ", "normal(0, 1)", "binomial(5, 0.5)",
        "\n", " ", ",", "..", "=", "footing cap", "footing power(0.5)", "synthetic ", "bootstrap(y)", "sum(", "size(",
        "mean(", "exp(", "log(", "\"", "#", "é", "\u{0}", "\t", ";", "if 1 {", "} else {", "inv(", "y[4]", "y[0]",
    ]

    static func mutate(_ text: String, _ c: inout Chooser, tokens: [String]) -> String {
        var chars = Array(text)
        for _ in 0...c.below(4) {
            let at = c.below(chars.count + 1)
            switch c.below(5) {
            case 0 where !chars.isEmpty:  // delete a short span
                let n = min(1 + c.below(8), chars.count - min(at, chars.count - 1))
                let start = min(at, chars.count - 1)
                chars.removeSubrange(start..<min(start + n, chars.count))
            case 1:  // insert a token
                chars.insert(contentsOf: Array(c.pick(tokens)), at: at)
            case 2:  // replace a word or number by a token
                let start = min(at, max(chars.count - 1, 0))
                var end = start
                while end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "." { end += 1 }
                chars.replaceSubrange(start..<end, with: Array(c.pick(tokens)))
            case 3:  // duplicate a line
                let lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false)
                guard !lines.isEmpty else { continue }
                let k = c.below(lines.count)
                var copy = lines.map(String.init)
                copy.insert(copy[k], at: c.below(copy.count + 1))
                chars = Array(copy.joined(separator: "\n"))
            default:  // swap two lines
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                guard lines.count > 1 else { continue }
                lines.swapAt(c.below(lines.count), c.below(lines.count))
                chars = Array(lines.joined(separator: "\n"))
            }
        }
        return String(chars)
    }
}

@Suite(.serialized) struct FuzzTests {
    static let models = ["coin", "eight_schools", "normal", "bootstrap_normal", "hier_poisson", "censored_coin",
                         "periodic_symmetry", "third_party_overlap", "reweight_classes", "linear_regression"]

    // MARK: - Seeds: the crash inputs of the robustness issue

    static let seedModels: [(String, String)] = [
        ("int32_size", "param v: real[3000000000]\nv ~ normal(0, 1)\n"),
        ("huge_size", "param v: real[1000000000000]\nv ~ normal(0, 1)\n"),
        ("matrix_overflow", "param mu: real\nvar v: real[4000000000, 4000000000]\nmu ~ normal(0, 1)\n"),
        ("reserved", "param lp__: real\nlp__ ~ normal(0, 1)\n"),
        ("int_division", "data n: int = 7\nparam mu: real\nmu ~ normal(n / 2, 1)\n"),
        ("division_by_zero", "data z: int = 0\nparam mu: real\nmu ~ normal(1 / z, 1)\n"),
        ("flat_sum", "param mu: real\ntarget += " + Array(repeating: "0.01 * mu", count: 65).joined(separator: " + ") + "\n"),
        ("empty", ""),
        ("no_parameters", "data y: real[2] = [1, 2]\npredict z: real[2] ~ normal(mean(y), 1)\n"),
        ("binomial_y_above_n", "data n: int = 5\ndata y: int = 7\nparam p: real<lower=0, upper=1>\ny ~ binomial(n, p)\n"),
        ("index_out_of_range", "data y: real[3] = [1, 2, 3]\nparam mu: real\nfor i in 1..4 { y[i] ~ normal(mu, 1) }\n"),
        ("empty_bounds", "param x: real<lower=5, upper=1>\nx ~ normal(0, 1)\n"),
        ("long_loop", "param mu: real\nmu ~ normal(0, 1)\nvar s: real = 0\nfor i in 1..1000000000 { s = s + mu }\n"),
        ("predict_scalar_args", "param m: real\nm ~ normal(0, 1)\npredict y_rep: real[4] ~ normal(m, 1)\n"),
        ("target_likelihood", "data y: real[2] = [0.5, 1]\nparam mu: real\nmu ~ normal(0, 1)\ntarget += normal_lpdf(y | mu, 1)\n"),
    ]

    @Test func seedModelsEndCleanly() throws {
        let dir = try TemporaryDirectory()
        for (name, text) in Self.seedModels {
            let model = try dir.write("\(name).synm", text)
            Fuzz.invoke(["check", model], inputs: [model], shown: text)
            Fuzz.invoke(["run", model, "--seed", "1", "--chains", "1", "--warmup", "20", "--draws", "20"],
                        inputs: [model], shown: text)
        }
        // sbc on a target += likelihood: refused up front.
        let t = dir.path("target_likelihood.synm")
        #expect(Fuzz.invoke(["sbc", t, "--reps", "2"], inputs: [t], shown: "sbc").code == 65)
    }

    @Test func seedOptionsEndCleanly() throws {
        let dir = try TemporaryDirectory()
        let coin = RunHarness.model("coin.synm")
        let sizeModel = try dir.write("sized.synm", "data N: int\nparam v: real[N]\nv ~ normal(0, 1)\n")
        let sizeData = try dir.write("sized.json", #"{"N": 2147483647}"#)
        let cases: [[String]] = [
            ["run", coin, "--draws", "100000000000"], ["run", coin, "--chains", "100000000"],
            ["run", coin, "--warmup", "9223372036854775807", "--draws", "9223372036854775807"],
            ["run", coin, "--sampler", "hmc", "--int-time", "1e300", "--chains", "1", "--warmup", "10", "--draws", "10"],
            ["audit", coin, "--reps", "1e10"], ["audit", coin, "--reps", "10000000000"],
            ["reflect", coin, "--synthetic-n", "1e9"], ["reflect", coin, "--synthetic-n", "1000000000"],
            ["fisher", coin, "--expected", "1e12"], ["fisher", coin, "--expected", "1000000000000"],
            ["run", sizeModel, "--data", sizeData],
            ["run", coin, "--report", coin], ["run", coin, "--data", dir.url.path], ["report", dir.url.path],
            ["run", coin, "--init", dir.path("missing.json")],
        ]
        for args in cases {
            let r = Fuzz.invoke(args, inputs: [coin, sizeModel, sizeData], shown: args.joined(separator: " "))
            #expect(r.code != 0 || args.contains("hmc"), "\(args) should be refused: \(r.err)")
        }
        // More workers than replicates: once a near-endless loop of idle workers.
        let many = ["audit", coin, "--reps", "2", "--seed", "1", "--threads", "9223372036854775807"]
        #expect(Fuzz.invoke(many, inputs: [coin], shown: many.joined(separator: " ")).code == 0)
    }

    // MARK: - Mutated models

    @Test func mutatedModels() throws {
        let dir = try TemporaryDirectory()
        var c = Fuzz.Chooser(seed: 0xF022, stream: 1)
        let n = Fuzz.iterations(ci: 300)
        var sampled = 0
        for k in 0..<n {
            let name = Self.models[k % Self.models.count]
            let original = try String(contentsOfFile: RunHarness.model("\(name).synm"), encoding: .utf8)
            let mutant = Fuzz.mutate(original, &c, tokens: Fuzz.modelTokens + Self.seedModels.map(\.1))
            // The mutant keeps its model's data file (the sibling NAME.data.json).
            let model = try dir.write("\(name).synm", mutant)
            let sibling = RunHarness.model("\(name).data.json")
            if FileManager.default.fileExists(atPath: sibling), !FileManager.default.fileExists(atPath: dir.path("\(name).data.json")) {
                try FileManager.default.copyItem(atPath: sibling, toPath: dir.path("\(name).data.json"))
            }
            let inputs = [model, dir.path("\(name).data.json")]
            let checked = Fuzz.invoke(["check", model], inputs: inputs, shown: mutant)
            // Sample the mutants that check, unless a mutation brought in a large number
            // (a loop of millions of steps is legal, and slow).
            let bigNumber = mutant.split(whereSeparator: { !$0.isNumber }).contains { $0.count >= 5 && !original.contains($0) }
            if checked.code == 0, !bigNumber, sampled < n / 6 {
                sampled += 1
                Fuzz.invoke(["run", model, "--seed", String(k), "--chains", "1", "--warmup", "5", "--draws", "5",
                             "--max-depth", "3"], inputs: inputs, shown: mutant)
            }
        }
    }

    // MARK: - Mutated data files

    static let dataModel = """
        data N: int<lower=0>
        data y: real[N]
        data k: int<lower=0, upper=10>[N]
        data X: real[N, 2]
        data E: real[0, 3]
        param mu: real
        param v: real[N]
        mu ~ normal(0, 1)
        v ~ normal(mu, 1)
        y ~ normal(mu + X * [1, -1], 1)
        k ~ binomial(10, inv_logit(mu))

        """
    static let data = #"{"N": 3, "y": [0.5, -1.25, 2], "k": [3, 0, 10], "X": [[1, 2], [0.5, 0], [-1, 1]], "E": []}"#
    static let dataTokens = ["2147483647", "200.0", "-1", "1e308", "1e400", "\"text\"", "[]", "[[]]", "[[1, 2], [3]]",
                             "null", "true", "{}", "\"NaN\"", "\"inf\"", "0", "3.5", "4", "11", "\"extra\": \"a string\", ",
                             "\"N\": 3, ", ",", "[", "]", "{", "}", ":", "\"", "1e-400", "-0", "9999999999999999999999"]

    @Test func mutatedData() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("d.synm", Self.dataModel)
        var c = Fuzz.Chooser(seed: 0xDA7A, stream: 2)
        // The unmutated data run.
        let base = try dir.write("base.json", Self.data)
        #expect(Fuzz.invoke(["run", model, "--data", base, "--chains", "1", "--warmup", "20", "--draws", "20", "--seed", "1"],
                            inputs: [model, base], shown: Self.data).code == 0)
        for k in 0..<Fuzz.iterations(ci: 60) {
            let mutant = Fuzz.mutate(Self.data, &c, tokens: Self.dataTokens)
            let data = try dir.write("m\(k % 4).json", mutant)
            Fuzz.invoke(["run", model, "--data", data, "--chains", "1", "--warmup", "5", "--draws", "5", "--seed", "1"],
                        inputs: [model, data], shown: mutant)
        }
    }

    // MARK: - Mutated draws CSV files for report

    static let csvCells = ["nan", "inf", "-inf", "1e308", "-1e308", "", "abc", "1e20", "0", "-3", "0.5", "2", "1e-5"]
    /// Every column is mutated, the sampler columns (lp__ … energy__) included: the report
    /// refuses non-finite sampler cells at their row and plots any finite draws.
    static let firstMutatedColumn = 0

    @Test func mutatedDrawsFiles() throws {
        let dir = try TemporaryDirectory()
        let prefix = dir.path("P.csv")
        let made = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "3", "--chains", "2", "--warmup", "30",
                                    "--draws", "30", "--output", prefix])
        try #require(made.code == 0, "\(made.err)")
        let chains = try [1, 2].map { try String(contentsOfFile: dir.path("P_\($0).csv"), encoding: .utf8) }
        var c = Fuzz.Chooser(seed: 0xC5F, stream: 3)
        for k in 0..<Fuzz.iterations(ci: 30) {
            var lines = chains[k % 2].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0...c.below(3) {
                let i = c.below(lines.count)
                switch c.below(4) {
                case 0: lines.remove(at: i)
                case 1: lines.insert(lines[i], at: c.below(lines.count))
                case 2 where !lines[i].hasPrefix("#"):
                    var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    let first = Self.firstMutatedColumn
                    let j = first + c.below(max(cells.count - first, 1))
                    if j < cells.count { cells[j] = c.pick(Self.csvCells) }
                    lines[i] = cells.joined(separator: ",")
                default: lines[i] = String(lines[i].prefix(c.below(lines[i].count + 1)))
                }
            }
            let file = try dir.write("Q_1.csv", lines.joined(separator: "\n"))
            Fuzz.invoke(["report", file, "--output", dir.path("Q.html")], inputs: [file], shown: lines.joined(separator: "\n"))
        }
    }

    // MARK: - Random option lists

    static let commands = ["check", "run", "logprob", "optimize", "variational", "fisher", "audit", "simulate", "sbc", "reflect", "report", "predict", "loo"]
    static let optionNames = ["--data", "--sampler", "--chains", "--warmup", "--draws", "--seed", "--init", "--adapt-delta",
                              "--max-depth", "--output", "--threads", "--int-time", "--report", "--json", "--params", "--at",
                              "--expected", "--reps", "--synthetic-n", "--node", "--footing", "--iid-theta", "--prior",
                              "--unconstrained", "--hessian", "--mle", "--bins", "--pairs", "--model", "--help", "-h",
                              "--", "-x", "--num_samples", "--draws=", "--seed=-1", "--chains=0"]
    /// Values are small (cheap) or refused (too large, negative, not numbers), never costly.
    static let optionValues = ["0", "1", "2", "3", "-1", "1e10", "100000000000", "9223372036854775807",
                               "99999999999999999999", "nan", "inf", "-inf", "1e300", "0.5", "1.5", "", "abc", "mle", "nuts",
                               "hmc", "metropolis", "fixed_param", "cap", "equal", "power(0.5)", "y", "p", "p,heads_rep", "é"]

    /// `--name` options of a command, from its usage line.
    static func options(of command: String) -> [String] {
        let line = Help.usageLine(command)
        var names: [String] = []
        var rest = Substring(line)
        while let r = rest.range(of: "--") {
            let tail = rest[r.upperBound...]
            let name = tail.prefix { $0.isLetter || $0 == "-" }
            if !name.isEmpty { names.append("--" + name) }
            rest = tail.dropFirst(name.count)
        }
        return names
    }

    @Test func randomOptions() throws {
        let dir = try TemporaryDirectory()
        // A copy: random output options may name any path they are given, the model included
        // (`report D.csv --output coin.synm` is allowed: the model is not report's input).
        let coin = try dir.write("coin.synm", try String(contentsOfFile: RunHarness.model("coin.synm"), encoding: .utf8))
        let params = try dir.write("p.json", #"{"p": 0.4}"#)
        let made = RunHarness.synm(["run", coin, "--seed", "3", "--chains", "1", "--warmup", "20", "--draws", "20",
                                    "--output", dir.path("D.csv")])
        try #require(made.code == 0, "\(made.err)")
        let cheap: [String: [String]] = [
            "run": ["--chains", "1", "--warmup", "10", "--draws", "10", "--seed", "1"],
            "logprob": ["--params", params], "optimize": ["--seed", "1"], "fisher": ["--seed", "1"],
            "variational": ["--seed", "1", "--draws", "20", "--paths", "2", "--threads", "1"],
            "audit": ["--reps", "2", "--seed", "1", "--threads", "1"],
            "simulate": ["--prior", "--seed", "1"],
            "predict": ["--fit", dir.path("D.csv"), "--seed", "1"],
            "loo": ["--fit", dir.path("D.csv")],
            "sbc": ["--reps", "2", "--warmup", "10", "--draws", "99", "--seed", "1", "--threads", "1"],
            "reflect": ["--synthetic-n", "2", "--reps", "2", "--chains", "1", "--warmup", "10", "--draws", "10", "--seed", "1",
                        "--threads", "1"],
        ]
        let paths = [params, dir.path("out.csv"), dir.path("out.html"), dir.url.path, dir.path("missing.json"), coin,
                     "/dev/null"]
        var c = Fuzz.Chooser(seed: 0x0975, stream: 4)
        for _ in 0..<Fuzz.iterations(ci: 60) {
            let command = c.pick(Self.commands)
            var args = [command, command == "report" ? dir.path("D.csv") : coin] + (cheap[command] ?? [])
            // Mostly the command's own options (read off its usage line), sometimes others.
            let own = Self.options(of: command)
            for _ in 0...c.below(3) {
                let name = c.chance(0.85) && !own.isEmpty ? c.pick(own) : c.pick(Self.optionNames)
                args.append(name)
                if ["--output", "--report"].contains(name) {
                    // Outputs stay in the temporary directory (or a device): a relative value
                    // would land in the working directory.
                    args.append(c.pick(paths))
                } else if c.chance(0.8) {
                    args.append(c.chance(0.3) ? c.pick(paths) : c.pick(Self.optionValues))
                }
            }
            // Options given twice take the later value: keep the cheap settings last when a
            // random value would make the command costly but legal.
            if ["sbc", "reflect", "audit", "run"].contains(command) { args += cheap[command] ?? [] }
            Fuzz.invoke(args, inputs: [coin, dir.path("D.csv"), dir.path("D_1.csv")] + paths, shown: args.joined(separator: " "))
        }
    }
}
