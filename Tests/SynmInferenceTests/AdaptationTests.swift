// Stan's warmup pieces: the window schedule as a pinned table (derived by hand from
// windowed_adaptation.hpp), dual averaging reaching its target, Welford with Stan's
// regularisation, the init_stepsize failure modes, and the term_buffer = 0 edge case (#3023).

import Foundation
import SynmMath
import Testing
@testable import SynmInference

struct WindowCase: Sendable, CustomTestStringConvertible {
    let numWarmup: Int
    let windows: [Range<Int>]
    let initBuffer: Int, termBuffer: Int
    var testDescription: String { "num_warmup=\(numWarmup)" }
}

// Derivations (defaults init_buffer 75, window 25, term_buffer 50):
// * 10 < 20: no metric adaptation.
// * 100: 75+25+50 > 100 → init ⌊15⌋, term ⌊10⌋, window 75: [15, 90), its end is 100−10−1 = 89.
// * 150: 75+25+50 = 150 fits; the first window ends at 75+25−1 = 99 = 150−50−1, the last one.
// * 1000: ends 99; then sizes 50, 100, 200 end at 149, 249, 449; the next (400) would end at
//   849 but 849 + 2·400 ≥ 950, so it is stretched to end at 949 (REFERENCE §3.3).
private let windowTable: [WindowCase] = [
    WindowCase(numWarmup: 10, windows: [], initBuffer: 10, termBuffer: 0),
    WindowCase(numWarmup: 100, windows: [15..<90], initBuffer: 15, termBuffer: 10),
    WindowCase(numWarmup: 150, windows: [75..<100], initBuffer: 75, termBuffer: 50),
    WindowCase(numWarmup: 1000, windows: [75..<100, 100..<150, 150..<250, 250..<450, 450..<950],
               initBuffer: 75, termBuffer: 50),
]

@Test(arguments: windowTable)
func stanWindowSchedule(_ c: WindowCase) {
    let s = WarmupSchedule.stan(numWarmup: c.numWarmup)
    #expect(s.windows == c.windows)
    #expect(s.initBuffer == c.initBuffer)
    #expect(s.termBuffer == c.termBuffer)
}

@Test func windowScheduleWithZeroTermBufferEndsOnLastIteration() {
    // Stan #3023's configuration: num_warmup 150, init_buffer 50, window 100, term_buffer 0.
    let s = WarmupSchedule.stan(numWarmup: 150, initBuffer: 50, window: 100, termBuffer: 0)
    #expect(s.windows == [50..<150])
    #expect(s.windowEnding(at: 149) == 50..<150)
}

@Test func dualAveragingReachesTargetOnKnownAcceptanceCurve() {
    // α(ε) = exp(−ε²/2) has α = 0.8 at ε* = √(−2 log 0.8) ≈ 0.668; start far away at ε = 10.
    var da = DualAveraging(delta: 0.8, initialStepSize: 10)
    var epsilon = 10.0
    for _ in 0..<2000 { epsilon = da.learn(acceptStat: exp(-epsilon * epsilon / 2)) }
    let final = da.finalStepSize(current: epsilon)
    #expect(abs(final - (-2 * log(0.8)).squareRoot()) < 0.01)
}

@Test func dualAveragingKeepsStepSizeAfterRestart() {
    // Stan #3023: a restart with no later update must not turn ε into exp(0) = 1.
    var da = DualAveraging()
    _ = da.learn(acceptStat: 0.2)
    da.restart(stepSize: 0.37)
    #expect(da.finalStepSize(current: 0.37) == 0.37)
}

@Test func welfordMatchesTwoPassAndStanRegularisation() {
    var rng = Xoshiro256StarStar(seed: 3)
    var w = WelfordEstimator(dimension: 2, dense: true)
    var xs: [[Double]] = []
    for _ in 0..<40 {
        let x = [rng.standardNormal() * 3 + 1, rng.standardNormal()]
        xs.append(x)
        w.add(x)
    }
    let v0 = SynmMath.variance(xs.map { $0[0] })
    #expect(abs(w.sampleVariance[0] - v0) < 1e-12 * v0)
    let n = 40.0
    #expect(abs(w.regularized[0] - ((n / (n + 5)) * v0 + 1e-3 * 5 / (n + 5))) < 1e-12)
    #expect(abs(w.regularized[1] - (n / (n + 5)) * w.sampleVariance[1]) < 1e-15)
}

/// log π(x) = 0: every step size is accepted, so init_stepsize must report an improper posterior.
private struct Flat: LogDensityModel {
    var dimension: Int { 1 }
    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 0
        return 0
    }
}

@Test func initialStepSizeDetectsImproperPosterior() {
    var model = Flat()
    var rng = Xoshiro256StarStar(seed: 1)
    let state = HMCState(position: [0], model: &model)
    #expect(throws: StepSizeError.improperPosterior) {
        _ = try initialStepSize(kernel: NUTS(stepSize: 1, metric: .unit(1)), state: state, model: &model, rng: &rng)
    }
}

@Test func initialStepSizeCrossesThresholdOnGaussian() throws {
    // For N(0, 0.01²), one leapfrog step from ε = 1 explodes; halving stops near ε ≈ 0.01.
    var model = GaussianTarget(mean: [0], scales: [0.01])
    var rng = Xoshiro256StarStar(seed: 2)
    let state = HMCState(position: [0.005], model: &model)
    let e = try initialStepSize(kernel: NUTS(stepSize: 1, metric: .unit(1)), state: state, model: &model, rng: &rng)
    #expect(e > 0.001 && e < 0.05)
}

@Test func termBufferZeroDoesNotResetStepSizeToOne() throws {
    // A strongly correlated target keeps the adapted ε well below 1 even with a diagonal metric;
    // without the #3023 fix the final ε would be exactly 1.
    let model = GaussianTarget(mean: [0, 0], covariance: [1, 0.99, 0.99, 1])
    var config = SamplerConfiguration(warmup: 150, draws: 100, chains: 1, seed: 11)
    config.adaptation.initBuffer = 50
    config.adaptation.window = 100
    config.adaptation.termBuffer = 0
    let result = try sample(model, configuration: config)
    let e = result.chains[0].stepSize
    #expect(e != 1 && e < 0.8, "final step size \(e)")
    #expect(result.chains[0].stats.allSatisfy { $0.stepSize == e })
}

@Test(arguments: [0.65, 0.8, 0.95])
func dualAveragingDrivesAcceptanceToTarget(delta: Double) throws {
    // Dual averaging controls the acceptance of its own iterates: (t + t₀)·s̄ₜ = Σ(δ − αᵢ), and
    // a bounded xₜ forces the running mean of α to δ. Check it over the second half of a
    // 1000-iteration run of NUTS on a Gaussian. (The acceptance at the final exp(x̄) is
    // typically higher than δ, as users of Stan see; the sampling run checks only that side.)
    var model = GaussianTarget(mean: [0, 0, 0], scales: [1, 2, 0.5])
    var rng = Xoshiro256StarStar(seed: 5)
    var kernel = NUTS(stepSize: 1, metric: .unit(3))
    var state = HMCState(position: [0.1, -0.2, 0.3], model: &model)
    kernel.stepSize = try initialStepSize(kernel: kernel, state: state, model: &model, rng: &rng)
    var da = DualAveraging(delta: delta, initialStepSize: kernel.stepSize)
    var accepts: [Double] = []
    for _ in 0..<1000 {
        let (next, info) = kernel.step(state, model: &model, rng: &rng)
        state = next
        accepts.append(info.acceptStat)
        kernel.stepSize = da.learn(acceptStat: info.acceptStat)
    }
    let late = SynmMath.mean(Array(accepts[500...]))
    #expect(abs(late - delta) < 0.03, "delta \(delta): mean accept_stat of iterates \(late)")

    var config = SamplerConfiguration(warmup: 500, draws: 500, chains: 2, seed: 5, adaptDelta: delta)
    config.adaptation = AdaptationSettings()
    let result = try sample(model, configuration: config)
    let sampled = SynmMath.mean(result.chains.flatMap { $0.stats.map(\.acceptStat) })
    #expect(sampled > delta - 0.05, "delta \(delta): mean accept_stat when sampling \(sampled)")
}
