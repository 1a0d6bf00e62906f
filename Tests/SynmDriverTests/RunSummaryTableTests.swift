// The `synm run` summary a user reads , checked structurally rather than
// against a golden file (the numbers depend on the sampler's details): the header with the
// model name and seed, the stansummary columns, one row per reported element — lp__, then
// parameters, then `let` and `predict` elements — the per-chain times and the footer. Also
// the warnings: a funnel (centred eight schools) diverges and says so, in the table run and
// in the JSON.
import Foundation
import SynmIO
import Testing

@Suite struct RunSummaryTableTests {
    static let columns = ["Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"]

    @Test func tableLayout() throws {
        let r = RunHarness.synm(["run", RunHarness.model("eight_schools.synm"), "--chains", "4", "--warmup", "150",
                                 "--draws", "100", "--seed", "31337"])
        try #require(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Inference for synm model: eight_schools")
        #expect(lines[1].contains("4 chains"))
        #expect(lines[1].contains("warmup=150"))
        #expect(lines[1].contains("draws=100"))
        #expect(lines[1].contains("sampler=nuts"))
        #expect(lines[1].contains("seed=31337"))
        let headerIndex = try #require(lines.firstIndex { $0.contains("ESS_bulk") })
        #expect(lines[headerIndex].split(separator: " ").map(String.init) == Self.columns)
        // Rows: lp__, parameters (declaration order), then the let, then the predict node.
        let expectedRows = ["lp__", "mu", "tau"] + (1...8).map { "eta[\($0)]" } + (1...8).map { "theta[\($0)]" }
            + (1...8).map { "y_rep[\($0)]" }
        let rows = lines[(headerIndex + 1)...].prefix { !$0.isEmpty }.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { $0.first ?? "" } == expectedRows)
        for row in rows {
            try #require(row.count == 1 + Self.columns.count, "row \(row)")
            let v = row.dropFirst().map { Double($0) }
            #expect(v.allSatisfy { $0 != nil }, "non-numeric cell in \(row)")
            let q5 = v[3] ?? .nan, q50 = v[4] ?? .nan, q95 = v[5] ?? .nan
            #expect(q5 <= q50 && q50 <= q95, "quantiles out of order in \(row)")
            #expect((v[1] ?? -1) >= 0 && (v[2] ?? -1) >= 0, "negative MCSE or sd in \(row)")
        }
        // Every column is right-aligned: all lines of the table have the header's width.
        let width = lines[headerIndex].count
        #expect(lines[(headerIndex + 1)...].prefix { !$0.isEmpty }.allSatisfy { $0.count == width })
        for chain in 1...4 {
            #expect(lines.contains { $0.hasPrefix("Chain \(chain): warmup ") && $0.contains("sampling") })
        }
        #expect(r.out.contains("At convergence R_hat will be very close to 1.00."))
    }

    /// Without --seed a seed is drawn and printed; running again with it repeats the run.
    @Test func printedSeedRepeatsTheRun() throws {
        let (first, a) = try RunHarness.json(["run", RunHarness.model("coin.synm"), "--warmup", "100", "--draws", "100",
                                              "--json"])
        let seed = try #require(first["seed"]?.doubleValue)
        let (_, b) = try RunHarness.json(["run", RunHarness.model("coin.synm"), "--warmup", "100", "--draws", "100",
                                          "--seed", String(Int(seed)), "--json"])
        #expect(RunHarness.withoutTimings(a.out) == RunHarness.withoutTimings(b.out))
        let table = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--warmup", "100", "--draws", "100"])
        #expect(table.code == 0)
        #expect(table.out.contains("seed="))
    }

    /// Centred eight schools at adapt_delta 0.8: NUTS meets the funnel's neck and diverges.
    /// Warnings go to standard error in both output modes; the JSON also carries them.
    @Test func divergencesAreReported() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("eight_schools_centred.synm", RunModels.eightSchoolsCentred)
        let (doc, r) = try RunHarness.json(["run", model, "--chains", "4", "--warmup", "300", "--draws", "300",
                                            "--seed", "2718", "--json"])
        let divergences = try #require(doc["divergences"]?.doubleValue)
        #expect(divergences > 0)
        #expect(r.err.contains("warning: \(Int(divergences)) of 1200 draws"), "no divergence warning: \(r.err)")
        #expect(r.err.contains("ended with a divergence") && r.err.contains("--adapt-delta"), "\(r.err)")
        let warnings = try #require(doc["warnings"]?.arrayValue).compactMap(\.stringValue)
        #expect(warnings.contains { $0.contains("\(Int(divergences)) of 1200 draws") && $0.contains("divergence") })
    }

    /// In table mode the warnings also go to standard error, never into the table.
    @Test func warningsGoToStandardError() throws {
        let r = RunHarness.synm(["run", RunHarness.model("eight_schools.synm"), "--warmup", "30", "--draws", "20",
                                 "--seed", "3"])
        try #require(r.code == 0, "\(r.err)")
        #expect(r.err.contains("warning: "), "a 20-draw run should warn about ESS: \(r.err)")
        #expect(!r.out.contains("warning"))
    }

    /// A well-behaved run has no warnings and zero divergences in the JSON.
    @Test func cleanRunHasNoWarnings() throws {
        let (doc, r) = try RunHarness.json(["run", RunHarness.model("coin.synm"), "--seed", "5", "--json"])
        #expect(doc["divergences"]?.doubleValue == 0)
        #expect(doc["warnings"]?.arrayValue?.isEmpty == true, "\(r.err)")
        #expect(!r.err.contains("warning"))
    }
}
