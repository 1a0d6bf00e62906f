// The stuck-chain warning of `synm run`: a chain whose step size ended orders of magnitude
// below the others' (or whose mean log density is far from theirs) is named, loudly, first
// among the warnings of the table run and in the JSON document; a restarted chain says so
// on its line of the table.
import Foundation
import SynmInference
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct RunStuckChainTests {
    /// Four chains of 100 draws: lp__ and one parameter, given step sizes and lp levels.
    static func summary(stepSizes: [Double], lpLevels: [Double], restarts: [[ChainRestart]] = []) -> RunSummary {
        var chains: [ChainResult] = []
        var values: [[[Double]]] = []
        for (k, (step, level)) in zip(stepSizes, lpLevels).enumerated() {
            // A deterministic wiggle of sd ≈ 0.7 around the level, and a parameter around 0.
            let lp = (0..<100).map { level + sin(Double(37 * $0 + k)) }
            let x = (0..<100).map { cos(Double(11 * $0 + 3 * k)) }
            let stats = lp.map { SamplerStats(lp: $0, acceptStat: 0.8, stepSize: step, treeDepth: 3, nLeapfrog: 7,
                                              divergent: false, energy: -$0 + 1) }
            var c = ChainResult(chain: k, initialPosition: [0], draws: x.map { [$0] }, stats: stats, stepSize: step,
                                inverseMetric: [1], warmupSeconds: 1, samplingSeconds: 1)
            if k < restarts.count { c.restarts = restarts[k] }
            chains.append(c)
            values.append([lp, x])
        }
        let configuration = SamplerConfiguration(warmup: 100, draws: 100, chains: stepSizes.count, seed: 7)
        let result = RunResult(names: ["lp__", "x"], values: values,
                               sampling: SamplingResult(configuration: configuration, chains: chains), seed: 7,
                               modelName: "m")
        return RunSummary(result)
    }

    @Test func aChainWithACollapsedStepSizeIsNamed() throws {
        let s = Self.summary(stepSizes: [0.7, 0.65, 2e-10, 0.72], lpLevels: [65, 65, -1008, 65])
        let warnings = s.warnings()
        let first = try #require(warnings.first)
        #expect(first.hasPrefix("chain 3 appears stuck: its step size 2e-10 is 3.5e+09 times smaller than the other chains' (median 0.7)"),
                "\(first)")
        #expect(first.contains("its mean log density -1.01e+03 is far below the other chains' 65"), "\(first)")
        #expect(warnings.filter { $0.contains("appears stuck") }.count == 1)
        let doc = try JSONParser().parse(s.json())
        let json = try #require(doc["warnings"]?.arrayValue?.compactMap { $0.stringValue })
        #expect(json.first == first)
        #expect(doc["step_sizes"]?.arrayValue?.compactMap { $0.doubleValue } == [0.7, 0.65, 2e-10, 0.72])
        #expect(doc["restarts"]?.arrayValue?.compactMap { $0.doubleValue } == [0, 0, 0, 0])
    }

    /// Step sizes within a factor of 10 and lp levels within the noise: no warning.
    @Test func healthyChainsAreNotNamed() {
        let s = Self.summary(stepSizes: [0.7, 0.65, 0.2, 0.72], lpLevels: [65, 65.1, 64.9, 65])
        #expect(!s.warnings().contains { $0.contains("stuck") || $0.contains("far from the others") })
    }

    /// Same step size, another level of log density: another mode, or stuck.
    @Test func aChainFarInLogDensityIsNamed() throws {
        let s = Self.summary(stepSizes: [0.7, 0.65, 0.6, 0.72], lpLevels: [-3, -3, -3, -8])
        let warnings = s.warnings()
        let first = try #require(warnings.first)
        #expect(first.hasPrefix("chain 4 is far from the others: its mean log density -8 is far below the other chains' -2.99"),
                "\(first)")
        #expect(first.contains("several modes"))
    }

    @Test func aRestartedChainSaysSoInTheTable() {
        let restart = ChainRestart(stepSize: 1.4e-19, othersStepSize: 0.012, origin: .randomInit)
        let s = Self.summary(stepSizes: [0.7, 0.65, 0.6, 0.72], lpLevels: [65, 65, 65, 65], restarts: [[restart]])
        #expect(s.table().contains("step size 0.7; restarted once (its step size after the first warmup stage was 1.4e-19, the others' 0.012)\n"),
                "\(s.table())")
    }
}
