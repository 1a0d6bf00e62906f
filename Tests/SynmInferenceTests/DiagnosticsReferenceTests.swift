// Diagnostics against committed reference values: Reference/diagnostics_expected.csv holds,
// for each draws set in Reference/diagnostics_draws.csv, the values of an independent NumPy
// transcription of Stan's C++ (column "stan") and of ArviZ 0.23.4 (column "arviz"); both
// were produced by Reference/generate_diagnostics_reference.py.
import Foundation
import Testing
@testable import SynmInference

/// The committed draws and expected values, read once.
struct DiagnosticsReference: Sendable {
    /// Draws of each set, chain by chain.
    var draws: [String: [[Double]]] = [:]
    /// (set, quantity) → (stan transcription, ArviZ or nil).
    var expected: [String: [String: (stan: Double, arviz: Double?)]] = [:]

    static let shared = DiagnosticsReference()

    private init() {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Reference")
        for fields in Self.rows(folder.appendingPathComponent("diagnostics_draws.csv")) {
            let chain = Int(fields[1])!
            var chains = draws[fields[0], default: []]
            while chains.count <= chain { chains.append([]) }
            chains[chain].append(Double(fields[2])!)
            draws[fields[0]] = chains
        }
        for fields in Self.rows(folder.appendingPathComponent("diagnostics_expected.csv")) {
            expected[fields[0], default: [:]][fields[1]] = (Double(fields[2])!, Double(fields[3]))
        }
    }

    /// Data rows of a small CSV file (no quoting), skipping `#` lines and the header.
    private static func rows(_ url: URL) -> [[String]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Set names in the order the generator wrote them.
    static let sets = [
        "ar1_shifted", "heavy_tailed", "odd_length", "single_chain", "antithetic", "sticky",
        "ties_poisson", "short", "slow_mixing", "constant", "with_nan",
    ]
}

/// True when both are NaN, or they agree to `tolerance` relative (absolute near zero).
func agrees(_ actual: Double, _ expected: Double, tolerance: Double = 1e-6) -> Bool {
    if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
    return Swift.abs(actual - expected) <= tolerance * Swift.max(Swift.abs(expected), 1e-12)
}

@Suite struct DiagnosticsReferenceTests {
    let reference = DiagnosticsReference.shared

    @Test func referenceFilesLoad() {
        #expect(reference.draws.count == DiagnosticsReference.sets.count)
        #expect(reference.draws["odd_length"]?.map(\.count) == [201, 201, 201, 201])
        #expect(reference.expected["ar1_shifted"]?["rhat"] != nil)
    }

    /// Every quantity, through the individual public functions, against the Stan column.
    @Test(arguments: DiagnosticsReference.sets)
    func individualFunctionsMatchStanTranscription(set: String) throws {
        let chains = try #require(reference.draws[set])
        let expected = try #require(reference.expected[set])
        let parts = rhatComponents(chains: chains)
        var actual: [String: Double] = [
            "rhat": rhat(chains: chains), "rhat_bulk": parts.bulk, "rhat_tail": parts.tail,
            "ess_bulk": essBulk(chains: chains), "ess_tail": essTail(chains: chains),
            "ess_mean": essMean(chains: chains), "mcse_mean": mcseMean(chains: chains),
            "mcse_sd": mcseSD(chains: chains),
        ]
        for (p, name) in [(0.05, "q5"), (0.5, "q50"), (0.95, "q95")] {
            actual["ess_" + name] = essQuantile(chains: chains, probability: p)
            actual["mcse_" + name] = mcseQuantile(chains: chains, probability: p)
        }
        for (key, value) in actual {
            let want = try #require(expected[key], "\(set).\(key) missing").stan
            #expect(agrees(value, want), "\(set).\(key): \(value) vs Stan transcription \(want)")
        }
    }

    /// The one-pass `summarize` gives the same numbers, and location/spread match NumPy.
    @Test(arguments: DiagnosticsReference.sets)
    func summarizeMatchesStanTranscription(set: String) throws {
        let chains = try #require(reference.draws[set])
        let e = try #require(reference.expected[set]).mapValues(\.stan)
        let s = summarize(chains: chains)
        let pairs: [(String, Double)] = [
            ("mean", s.mean), ("mcse_mean", s.mcseMean), ("sd", s.sd), ("mcse_sd", s.mcseSd),
            ("mad", s.mad), ("q5", s.q5), ("q50", s.q50), ("q95", s.q95), ("mcse_q5", s.mcseQ5),
            ("mcse_q50", s.mcseQ50), ("mcse_q95", s.mcseQ95), ("ess_bulk", s.essBulk),
            ("ess_tail", s.essTail), ("rhat", s.rhat),
        ]
        for (key, value) in pairs {
            let want = try #require(e[key])
            #expect(agrees(value, want), "\(set).\(key): \(value) vs \(want)")
        }
    }

    /// Where ArviZ's definitions coincide with Stan's (even N, continuous draws, Geyer sum
    /// ended by a negative pair, ≥ 2 chains), synm equals ArviZ too.
    @Test(arguments: ["ar1_shifted", "heavy_tailed", "antithetic", "slow_mixing"])
    func matchesArviZWhereDefinitionsAgree(set: String) throws {
        let chains = try #require(reference.draws[set])
        let e = try #require(reference.expected[set])
        let pairs: [(String, Double)] = [
            ("rhat", rhat(chains: chains)), ("ess_bulk", essBulk(chains: chains)),
            ("ess_tail", essTail(chains: chains)), ("ess_mean", essMean(chains: chains)),
            ("mcse_mean", mcseMean(chains: chains)),
            ("ess_q50", essQuantile(chains: chains, probability: 0.5)),
        ]
        for (key, value) in pairs {
            let want = try #require(e[key]?.arviz)
            #expect(agrees(value, want), "\(set).\(key): \(value) vs ArviZ \(want)")
        }
    }

    /// The odd-length set is where Stan's last-draw split and ArviZ's middle-draw split part:
    /// synm must follow Stan, so it differs from ArviZ there.
    @Test func oddLengthFollowsStanNotArviZ() throws {
        let chains = try #require(reference.draws["odd_length"])
        let e = try #require(reference.expected["odd_length"]?["ess_bulk"])
        let ours = essBulk(chains: chains)
        #expect(agrees(ours, e.stan))
        let arviz = try #require(e.arviz)
        #expect(!agrees(ours, arviz, tolerance: 1e-4))
    }

    @Test func energyBFMIMatchesArviZPerChain() throws {
        let chains = try #require(reference.draws["ar1_shifted"])
        let values = energyBFMI(chains: chains)
        for (c, value) in values.enumerated() {
            let e = try #require(reference.expected["ar1_shifted"]?["ebfmi_\(c)"])
            let arviz = try #require(e.arviz)
            #expect(agrees(value, e.stan) && agrees(value, arviz))
        }
    }
}
