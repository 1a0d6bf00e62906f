// Stan's constrained types end to end: a uniform simplex samples Dirichlet(1, 1, 1); the CSV
// columns are the constrained values under CmdStan's names; a fit is read back by predict;
// inits of the wrong structure are refused; commands that cannot handle such parameters yet
// say so at the parameter.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct ConstrainedTypeRunTests {
    /// `param theta: simplex[3]` and nothing else is Dirichlet(1, 1, 1): each element has mean
    /// 1/3 and variance 1/18 (the mean of (theta[k] − 1/3)², a let), within 4.5 MCSE.
    @Test func uniformSimplexHasDirichletMoments() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("simplex.synm", """
        param theta: simplex[3]
        let d1 = square(theta[1] - 1.0 / 3)
        let d3 = square(theta[3] - 1.0 / 3)
        """)
        let (doc, _) = try RunHarness.json(["run", model, "--seed", "3", "--warmup", "300", "--draws", "500", "--json"])
        for k in 1...3 {
            let mean = try RunHarness.statistic(doc, "theta[\(k)]", "mean")
            let mcse = try RunHarness.statistic(doc, "theta[\(k)]", "mcse_mean")
            #expect(abs(mean - 1.0 / 3) <= 4.5 * mcse, "theta[\(k)]: mean \(mean) ± \(mcse)")
        }
        for name in ["d1", "d3"] {
            let mean = try RunHarness.statistic(doc, name, "mean")
            let mcse = try RunHarness.statistic(doc, name, "mcse_mean")
            #expect(abs(mean - 1.0 / 18) <= 4.5 * mcse, "\(name): mean \(mean) ± \(mcse)")
        }
    }

    /// A flat density on 3 × 3 correlation matrices is LKJ(1), whose off-diagonal elements
    /// are 2·Beta(3/2, 3/2) − 1 (Lewandowski, Kurowicka and Joe 2009): mean 0, E[r²] = 1/4.
    /// A unit_vector[3] with no term is uniform on the sphere: E[u_k] = 0, E[u_k²] = 1/3.
    /// Each within 4.5 MCSE.
    @Test func flatCorrelationMatrixIsLKJAndUnitVectorIsUniform() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
        param R: corr_matrix[3]
        param u: unit_vector[3]
        let r12 = square(R[1, 2])
        let r23 = square(R[2, 3])
        let u1 = square(u[1])
        let u3 = square(u[3])
        """)
        let (doc, _) = try RunHarness.json(["run", model, "--seed", "3", "--warmup", "200", "--draws", "300", "--json"])
        let expected = ["R[1, 2]": 0.0, "R[2, 3]": 0, "r12": 0.25, "r23": 0.25, "u[1]": 0, "u[2]": 0, "u1": 1.0 / 3, "u3": 1.0 / 3]
        for (name, value) in expected {
            let mean = try RunHarness.statistic(doc, name, "mean")
            let mcse = try RunHarness.statistic(doc, name, "mcse_mean")
            #expect(abs(mean - value) <= 4.5 * mcse, "\(name): mean \(mean) ± \(mcse), expected \(value)")
        }
    }

    @Test func csvHoldsConstrainedValuesAndPredictReadsThem() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
        param theta: simplex[3]
        param L: cholesky_factor_corr[2]
        let s = theta[1] + theta[2] + theta[3]
        let r = L[2, 1]^2 + L[2, 2]^2
        """)
        let r = RunHarness.synm(["run", model, "--seed", "1", "--chains", "1", "--warmup", "50", "--draws", "20",
                                 "--output", dir.path("fit.csv")])
        try #require(r.code == 0, "\(r.err)")
        let csv = try String(contentsOfFile: dir.path("fit_1.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(Array(header.suffix(9)) == ["theta.1", "theta.2", "theta.3", "L.1.1", "L.2.1", "L.1.2", "L.2.2", "s", "r"])
        for line in lines.dropFirst() {
            let v = line.split(separator: ",").map { Double($0)! }.suffix(9).map { $0 }
            #expect(abs(v[0] + v[1] + v[2] - 1) < 1e-12 && v.prefix(3).allSatisfy { $0 > 0 })
            #expect(v[3] == 1 && v[5] == 0 && v[6] > 0 && abs(v[8] - 1) < 1e-12)
        }
        let p = RunHarness.synm(["predict", model, "--fit", dir.path("fit_1.csv"), "--seed", "1"])
        #expect(p.code == 0, "\(p.err)")
        // synm writes matrices column-major, as CmdStan (L.1.1, L.2.1, L.1.2, L.2.2): the same
        // fit with its columns row-major gives the same generated quantities (read by name).
        let swapped = csv.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.hasPrefix("#"), !line.isEmpty else { return String(line) }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let i = header.firstIndex(of: "L.1.2")!, j = header.firstIndex(of: "L.2.1")!
            fields.swapAt(i, j)
            return fields.joined(separator: ",")
        }.joined(separator: "\n")
        try swapped.write(toFile: dir.path("columns.csv"), atomically: true, encoding: .utf8)
        let q = RunHarness.synm(["predict", model, "--fit", dir.path("columns.csv"), "--seed", "1"])
        #expect(q.code == 0, "\(q.err)")
        func table(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.contains(".csv") } }
        #expect(table(q.out) == table(p.out) && !table(p.out).isEmpty)
    }

    /// A fit written with 6 significant digits (CmdStan's default) is read back: its simplex
    /// sums to 1 only within rounding, which predict allows (ConstrainedValues.fitTolerance).
    @Test func roundedFitIsReadBack() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param theta: simplex[3]\nlet s = theta[1] + theta[2] + theta[3]\n")
        let r = RunHarness.synm(["run", model, "--seed", "2", "--chains", "1", "--warmup", "50", "--draws", "20",
                                 "--sig-figs", "6", "--output", dir.path("fit.csv")])
        try #require(r.code == 0, "\(r.err)")
        let p = RunHarness.synm(["predict", model, "--fit", dir.path("fit_1.csv"), "--seed", "1"])
        #expect(p.code == 0, "\(p.err)")
    }

    /// logprob takes constrained values, or with --unconstrained a constrained type's
    /// coordinates: simplex[2] at y = 0 is (½, ½) with log J = log ½ + log ½ (stick-breaking).
    @Test func logprobOnBothScales() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param theta: simplex[2]\n")
        let free = try dir.write("u.json", #"{"theta": [0]}"#)
        let (u, _) = try RunHarness.json(["logprob", model, "--params", free, "--unconstrained", "--json"])
        #expect(abs((u["lp"]?.doubleValue ?? .nan) + 2 * log(2.0)) < 1e-14)
        let values = try dir.write("x.json", #"{"theta": [0.25, 0.75]}"#)
        let (x, _) = try RunHarness.json(["logprob", model, "--params", values, "--json"])
        #expect(x["lp"]?.doubleValue == 0)
        let bad = try dir.write("bad.json", #"{"theta": [0.25, 0.5]}"#)
        let r = RunHarness.synm(["logprob", model, "--params", bad])
        #expect(r.code == 65 && r.err.contains("the elements of simplex 'theta' sum to 0.75, not 1"), "\(r.err)")
    }

    /// Pathfinder inits, Pathfinder and mean-field ADVI work on the unconstrained coordinates
    /// and report constrained values: every draw of a simplex sums to 1.
    @Test func pathfinderAndAdviTakeConstrainedTypes() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: int[4] = [1, 2, 2, 3]\nparam theta: simplex[3]\ny ~ categorical(theta)\n")
        let r = RunHarness.synm(["run", model, "--init", "pathfinder", "--seed", "1", "--warmup", "50", "--draws", "50"])
        #expect(r.code == 0, "\(r.err)")
        for method in ["pathfinder", "meanfield"] {
            let v = RunHarness.synm(["variational", model, "--method", method, "--seed", "1", "--draws", "100",
                                     "--output", dir.path("\(method).csv")])
            try #require(v.code == 0, "\(method): \(v.err)")
            let lines = try String(contentsOfFile: dir.path("\(method).csv"), encoding: .utf8)
                .split(separator: "\n").filter { !$0.hasPrefix("#") }
            let header = lines[0].split(separator: ",").map(String.init)
            let columns = ["theta.1", "theta.2", "theta.3"].map { header.firstIndex(of: $0)! }
            // Mean-field's first row is the approximation's mean, as CmdStan writes it.
            #expect(lines.count == (method == "meanfield" ? 102 : 101))
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",").map { Double($0) ?? .nan }
                let sum = columns.reduce(0.0) { $0 + fields[$1] }
                #expect(abs(sum - 1) < 1e-12 && columns.allSatisfy { fields[$0] > 0 }, "\(method): \(line)")
            }
        }
    }

    /// optimize works on the unconstrained coordinates: the MLE of a categorical's simplex is
    /// the observed frequencies, n_k / N; no standard errors are given (a warning says so),
    /// and --sandwich (constrained-scale scores) is refused at the parameter.
    @Test func optimizeFindsTheFrequencies() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: int[5] = [1, 2, 2, 3, 3]\nparam theta: simplex[3]\ny ~ categorical(theta)\n")
        let (doc, r) = try RunHarness.json(["optimize", model, "--mle", "--seed", "1", "--json"])
        for (k, frequency) in [0.2, 0.4, 0.4].enumerated() {
            let estimate = try #require(doc["estimate"]?["theta[\(k + 1)]"]?.doubleValue)
            #expect(abs(estimate - frequency) < 1e-8, "theta[\(k + 1)] = \(estimate)")
        }
        #expect(r.err.contains("standard errors are not given for a model with parameters of constrained types (theta)"))
        let s = RunHarness.synm(["optimize", model, "--sandwich", "10", "--seed", "1"])
        #expect(s.code == 65 && s.err.contains("synm optimize --sandwich does not support parameters of constrained types yet"), "\(s.err)")
    }

    /// simulate draws a constrained-type parameter from its prior only if the prior draws a
    /// value of the type (independent elements do not make a simplex: a located error), and
    /// takes a given value after checking it.
    @Test func simulateChecksConstrainedParameters() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", """
        data y: int[4] = [1, 2, 2, 3]
        param theta: simplex[3]
        theta ~ uniform(0, 1)
        y ~ categorical(theta)
        """)
        let prior = RunHarness.synm(["simulate", model, "--prior", "--seed", "1"])
        #expect(prior.code == 65 && prior.err.contains("m.synm:2:7: error: the prior draw of 'theta' is not a simplex"), "\(prior.err)")
        let good = try dir.write("p.json", #"{"theta": [0.2, 0.3, 0.5]}"#)
        let r = RunHarness.synm(["simulate", model, "--params", good, "--seed", "1"])
        #expect(r.code == 0, "\(r.err)")
        let bad = try dir.write("q.json", #"{"theta": [0.2, 0.3, 0.4]}"#)
        let b = RunHarness.synm(["simulate", model, "--params", bad, "--seed", "1"])
        #expect(b.code == 65 && b.err.contains("the given value of 'theta' is not a simplex"), "\(b.err)")
    }

    @Test func initOfTheWrongStructureIsRefused() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "param theta: simplex[3]\n")
        let inits = try dir.write("init.json", #"{"theta": [0.5, 0.5, 0.25]}"#)
        let r = RunHarness.synm(["run", model, "--init", inits, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("the elements of simplex 'theta' sum to 1.25, not 1"), "\(r.err)")
        let good = try dir.write("good.json", #"{"theta": [0.5, 0.25, 0.25]}"#)
        #expect(RunHarness.synm(["run", model, "--init", good, "--seed", "1", "--warmup", "20", "--draws", "20"]).code == 0)
    }

    @Test func commandsWithoutSupportRefuseAtTheParameter() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: int[3] = [1, 2, 2]\nparam theta: simplex[2]\ny ~ categorical(theta)\n")
        for command in ["fisher", "audit", "reflect"] {
            let r = RunHarness.synm([command, model, "--seed", "1"] + (command == "reflect" ? ["--synthetic-n", "5"] : []))
            #expect(r.code == 65, "\(command): exit \(r.code): \(r.err)")
            #expect(r.err.contains("m.synm:2:7: error: synm \(command) does not support parameters of constrained types yet: 'theta' is simplex"),
                    "\(command): \(r.err)")
        }
    }
}
