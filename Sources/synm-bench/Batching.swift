// --batching: should chains be evaluated in lock-step, batched over one model evaluation (as
// NumPyro vectorises chains), or stay independent threads? This measures the per-gradient gain of
// batching on logistic regression: W points (W = the SIMD width) evaluated one at a time with rows
// in the lanes (synm's fused kernel) against all W in one pass with the points in the lanes
// (each row of X read once), with the same arithmetic. docs/PERFORMANCE.md weighs the gain
// against lock-step's cost (every chain waits for the longest trajectory).
import Foundation
import SynmGLMKernels
import SynmMath
import SynmRuntime

/// µs per gradient of each way, and the largest disagreement between them.
struct BatchingResult {
    var width: Int
    var synmSeparate: Double
    var prototypeSeparate: Double
    var prototypeBatched: Double
    var disagreement: Double
}

func measureBatching(_ prepared: inout PreparedModel, options: BenchOptions) throws -> BatchingResult {
    let data = prepared.compiled.data
    let n = try data.size("N"), k = try data.size("D")
    let prototype = GLMBatchPrototype(x: try data.required("X", count: n * k), y: try data.required("y", count: n),
                                      rows: n, columns: k)
    let w = GLMBatchPrototype.width
    // W points around the timing point (deterministic offsets, like W chains in the posterior).
    let base = prepared.point
    let points = (0..<w).map { c in base.enumerated().map { $0.element + 0.05 * sin(Double(7 * c + $0.offset)) } }
    var lanes = prototype.scratch
    var scratch = prototype.scratch
    var gradients = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: w)
    var single = [Double](repeating: 0, count: k + 1)
    // Agreement: batched and one-at-a-time give the same likelihood and gradient.
    let values = prototype.batched(points, gradients: &gradients, scratch: &scratch)
    var disagreement = 0.0
    for c in 0..<w {
        let v = prototype.single(points[c], gradient: &single, lanes: &lanes)
        disagreement = max(disagreement, abs(v - values[c]) / max(abs(v), 1))
        for j in 0...k { disagreement = max(disagreement, abs(single[j] - gradients[c][j]) / max(abs(single[j]), 1)) }
    }
    // The three ways interleaved, repetition by repetition, timed in thread CPU time (the
    // machine is shared: wall time would count other processes' turns).
    var compiled = prepared.compiled
    var gradient = [Double](repeating: 0, count: compiled.dimension)
    let ways: [() -> Double] = [
        {
            var s = 0.0
            for p in points { s += compiled.logDensityAndGradient(p, gradient: &gradient) }
            return s
        },
        {
            var s = 0.0
            for p in points { s += prototype.single(p, gradient: &single, lanes: &lanes) }
            return s
        },
        { prototype.batched(points, gradients: &gradients, scratch: &scratch).reduce(0, +) },
    ]
    let calls = options.iterations ?? max(1, Int(options.targetSeconds / 20e-6 / Double(w)))
    var samples = [[Double]](repeating: [], count: ways.count)
    var checksum = 0.0
    for repetition in 0...options.repetitions {
        for (m, way) in ways.enumerated() {
            let start = cpuNow()
            for _ in 0..<calls { checksum += way() }
            if repetition > 0 { samples[m].append((cpuNow() - start) / Double(calls * w) * 1e6) }  // 0: warm-up
        }
    }
    if !checksum.isFinite { report("synm-bench: warning: a batching run was not finite") }
    let medians = samples.map { TimingSummary(samples: $0, iterations: calls).median }
    let (synm, separate, batched) = (medians[0], medians[1], medians[2])
    return BatchingResult(width: w, synmSeparate: synm, prototypeSeparate: separate, prototypeBatched: batched,
                          disagreement: disagreement)
}

func renderBatching(_ r: BatchingResult) -> String {
    """
    synm-bench --batching: logistic_regression, \(r.width) points (chains), CPU µs per gradient (median)
      synm, one point per call (fused kernel, rows in lanes, with the interpreter): \(formatMicroseconds(r.synmSeparate))
      kernel only, one point per call (rows in lanes):                             \(formatMicroseconds(r.prototypeSeparate))
      kernel only, \(r.width) points per call (points in lanes, X read once):           \(formatMicroseconds(r.prototypeBatched))
      batched ÷ one at a time: \(formatRatio(r.prototypeBatched / r.prototypeSeparate)); largest disagreement \(String(format: "%.1e", r.disagreement))

    """
}

/// Seconds of CPU time used by this thread.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
