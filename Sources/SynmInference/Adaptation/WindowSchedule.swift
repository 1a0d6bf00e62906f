// Stan's windowed-adaptation schedule as a pure function: which warmup iterations feed the
// metric estimator, and where each slow window ends (src/stan/mcmc/windowed_adaptation.hpp).
//
// [1] Stan Reference Manual, "HMC algorithm parameters: automatic parameter tuning".
// [2] Stan, src/stan/mcmc/windowed_adaptation.hpp (`restart`, `adaptation_window`,
//     `end_adaptation_window`, `compute_next_window`).

/// The three-stage warmup layout: a fast initial buffer, slow windows that adapt the metric,
/// and a fast terminal buffer. Iterations are 0-based warmup indices.
public struct WarmupSchedule: Sendable, Equatable {
    /// The number of warmup iterations.
    public var numWarmup: Int
    /// The initial fast buffer actually used (after the 15%/75%/10% fallback, if any).
    public var initBuffer: Int
    /// The terminal fast buffer actually used.
    public var termBuffer: Int
    /// The first slow window's size actually used.
    public var baseWindow: Int
    /// The slow windows, contiguous and in order; the metric is updated after the last
    /// iteration of each. Empty when num_warmup < 20 (no metric adaptation).
    public var windows: [Range<Int>]

    /// Stan's schedule [2] with CmdStan's defaults (init_buffer 75, window 25, term_buffer 50).
    ///
    /// * num_warmup < 20: no metric adaptation (no windows).
    /// * init_buffer + window + term_buffer > num_warmup: the buffers become ⌊0.15·n⌋ and ⌊0.10·n⌋
    ///   and the first window takes the rest (Stan's 15%/75%/10% fallback).
    /// * Otherwise windows start at init_buffer and double; a window is stretched to end at
    ///   num_warmup − term_buffer whenever the following doubled window would overrun.
    public static func stan(
        numWarmup: Int, initBuffer: Int = 75, window: Int = 25, termBuffer: Int = 50
    ) -> WarmupSchedule {
        var schedule = WarmupSchedule(numWarmup: numWarmup, initBuffer: initBuffer,
                                      termBuffer: termBuffer, baseWindow: window, windows: [])
        if numWarmup < 20 {  // 20, from Stan
            schedule.initBuffer = numWarmup
            schedule.termBuffer = 0
            schedule.baseWindow = 0
            return schedule
        }
        if initBuffer + window + termBuffer > numWarmup {
            // 0.15 and 0.10, from Stan; truncated as Stan's unsigned conversion does.
            schedule.initBuffer = Int(0.15 * Double(numWarmup))
            schedule.termBuffer = Int(0.10 * Double(numWarmup))
            schedule.baseWindow = numWarmup - (schedule.initBuffer + schedule.termBuffer)
        }
        schedule.windows = slowWindows(numWarmup: numWarmup, initBuffer: schedule.initBuffer,
                                       window: schedule.baseWindow, termBuffer: schedule.termBuffer)
        return schedule
    }

    /// Runs Stan's window counter [2] over the warmup iterations and records the windows.
    static func slowWindows(numWarmup: Int, initBuffer: Int, window: Int, termBuffer: Int) -> [Range<Int>] {
        let lastEnd = numWarmup - termBuffer - 1  // the last iteration of the last slow window
        guard window > 0, initBuffer <= lastEnd else { return [] }
        var size = window
        var nextEnd = initBuffer + size - 1
        var start = initBuffer
        var windows: [Range<Int>] = []
        for counter in 0..<numWarmup where counter == nextEnd {
            windows.append(start..<(counter + 1))
            start = counter + 1
            if nextEnd == lastEnd { break }
            size *= 2
            nextEnd = counter + size
            if nextEnd != lastEnd && nextEnd + 2 * size >= numWarmup - termBuffer {
                // The following window would overtake the slow phase: stretch this one.
                nextEnd = lastEnd
            }
        }
        return windows
    }

    /// The window that ends at warmup iteration `iteration`, if any.
    public func windowEnding(at iteration: Int) -> Range<Int>? {
        windows.first { $0.upperBound - 1 == iteration }
    }

    /// Whether warmup iteration `iteration` feeds the metric estimator.
    public func isInWindow(_ iteration: Int) -> Bool {
        guard let first = windows.first, let last = windows.last else { return false }
        return iteration >= first.lowerBound && iteration < last.upperBound
    }
}
