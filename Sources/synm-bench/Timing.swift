// Timing loops: a monotonic clock, calibration (which doubles as warm-up), timed repetitions
// of one log density + gradient (or one Hessian) at a fixed point, and their summary.
import Foundation
import SynmMath
import SynmRuntime

/// Seconds on the monotonic clock.
@inline(__always) func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Per-call times of one implementation on one model, in µs, one sample per repetition.
struct TimingSummary {
    var samples: [Double]
    /// Calls per repetition.
    var iterations: Int

    var median: Double {
        let s = samples.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
    }
    var minimum: Double { samples.min() ?? .nan }
    var maximum: Double { samples.max() ?? .nan }
    /// (max − min) / median: how much the repetitions disagree.
    var spread: Double { (maximum - minimum) / median }
}

/// `iterations` calls of the log density + gradient at `x`. Returns the elapsed seconds and a
/// checksum of the results (so the optimiser cannot drop the calls).
@inline(never)
func timeGradient<M: LogDensityModel>(_ model: inout M, at x: [Double], iterations: Int) -> (Double, Double) {
    var gradient = [Double](repeating: 0, count: model.dimension)
    var checksum = 0.0
    let start = now()
    for _ in 0..<iterations {
        checksum += model.logDensityAndGradient(x, gradient: &gradient)
        checksum += gradient[0]
    }
    return (now() - start, checksum)
}

/// `iterations` exact Hessians (value, gradient and all n columns) at `x`.
@inline(never)
func timeHessian(_ model: inout CompiledModel, at x: [Double], iterations: Int) -> (Double, Double) {
    var checksum = 0.0
    let start = now()
    for _ in 0..<iterations {
        if let h = try? model.hessian(x) { checksum += h.hessian[0][0] } else { checksum = .nan }
    }
    return (now() - start, checksum)
}

/// Runs a timed loop with growing call counts until one lasts `minimumSeconds` (this is the
/// warm-up too), then returns the number of calls that should last `targetSeconds`.
func calibrate(targetSeconds: Double, minimumSeconds: Double = 0.05,
               _ run: (Int) -> (Double, Double)) -> Int {
    var calls = 1
    while true {
        let (seconds, _) = run(calls)
        if seconds >= minimumSeconds || calls >= 1 << 30 {
            let perCall = seconds / Double(calls)
            return max(1, Int((targetSeconds / perCall).rounded()))
        }
        calls *= seconds > 0 ? min(16, max(2, Int(minimumSeconds / seconds))) : 16
    }
}

/// Timings of one model: synm's compiled model and its hand-written twin, interleaved
/// repetition by repetition so that drift in the machine's speed affects both alike.
struct GradientTimings {
    var synm: TimingSummary
    var handWritten: TimingSummary?
    /// synm with every loop walked as a tree (`--tree`: the evaluator before loop kernels).
    var tree: TimingSummary?
    /// Sum of the checksums (printed nowhere; keeps the calls alive).
    var checksum: Double
}

/// Times `prepared` as `options` says.
func timeGradients(_ prepared: inout PreparedModel, options: BenchOptions) -> GradientTimings {
    let x = prepared.point
    var checksum = 0.0
    let synmCalls = options.iterations ?? calibrate(targetSeconds: options.targetSeconds) {
        timeGradient(&prepared.compiled, at: x, iterations: $0)
    }
    var handCalls = 0
    if !options.synmOnly {
        handCalls = options.iterations ?? calibrate(targetSeconds: options.targetSeconds) {
            timeGradient(&prepared.handWritten, at: x, iterations: $0)
        }
    }
    // One untimed repetition each when the call count was given (calibration warmed up otherwise).
    if options.iterations != nil {
        checksum += timeGradient(&prepared.compiled, at: x, iterations: synmCalls).1
        if !options.synmOnly { checksum += timeGradient(&prepared.handWritten, at: x, iterations: handCalls).1 }
    }
    var treeModel = prepared.compiled
    treeModel.useLoopKernels = false
    var treeCalls = 0
    if options.tree {
        treeCalls = options.iterations ?? calibrate(targetSeconds: options.targetSeconds) {
            timeGradient(&treeModel, at: x, iterations: $0)
        }
        if options.iterations != nil { checksum += timeGradient(&treeModel, at: x, iterations: treeCalls).1 }
    }
    var synm = TimingSummary(samples: [], iterations: synmCalls)
    var hand = TimingSummary(samples: [], iterations: handCalls)
    var tree = TimingSummary(samples: [], iterations: treeCalls)
    for _ in 0..<options.repetitions {
        if options.tree {
            let (t, c) = timeGradient(&treeModel, at: x, iterations: treeCalls)
            tree.samples.append(t / Double(treeCalls) * 1e6)
            checksum += c
        }
        let (s, c) = timeGradient(&prepared.compiled, at: x, iterations: synmCalls)
        synm.samples.append(s / Double(synmCalls) * 1e6)
        checksum += c
        if options.synmOnly { continue }
        let (h, d) = timeGradient(&prepared.handWritten, at: x, iterations: handCalls)
        hand.samples.append(h / Double(handCalls) * 1e6)
        checksum += d
    }
    return GradientTimings(synm: synm, handWritten: options.synmOnly ? nil : hand, tree: options.tree ? tree : nil,
                           checksum: checksum)
}

/// Times synm's exact Hessian: a quarter of the gradient's time budget, at most 5 repetitions.
func timeHessians(_ prepared: inout PreparedModel, options: BenchOptions) -> TimingSummary {
    let x = prepared.point
    let calls = options.iterations.map { max(1, $0 / (10 * max(1, prepared.compiled.dimension))) }
        ?? calibrate(targetSeconds: options.targetSeconds / 2) { timeHessian(&prepared.compiled, at: x, iterations: $0) }
    if options.iterations != nil { _ = timeHessian(&prepared.compiled, at: x, iterations: calls) }
    var summary = TimingSummary(samples: [], iterations: calls)
    for _ in 0..<min(5, options.repetitions) {
        let (s, _) = timeHessian(&prepared.compiled, at: x, iterations: calls)
        summary.samples.append(s / Double(calls) * 1e6)
    }
    return summary
}
