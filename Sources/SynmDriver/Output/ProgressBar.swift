// A one-line progress display on standard error for long commands: a bar, the percentage,
// the current phase, per-task counts when they fit, and the estimated time left. It is drawn
// only when standard error is a terminal (and TERM is not "dumb"); piped or redirected, a
// command prints nothing extra. The line always fits the terminal: its width comes from
// ioctl(TIOCGWINSZ) on standard error, else $COLUMNS, else 80, and the line is cut to one
// column less (a line that fills the last column wraps on many terminals).
//
// Using it from a long command (audit, sbc, reflect, fisher --expected, …):
//
//     let bar = ProgressBar(console: console, label: "audit", total: reps)   // 1 task
//     for r in 0..<reps {
//         …one replication…
//         bar.advance()                  // thread-safe; redraws at most 10 times a second
//     }
//     bar.finish()                       // clears the line; call it before printing results
//
// Parallel work gives each task (a chain, a worker) its own count: `ProgressBar(…, tasks:
// n, total: steps)` and `bar.update(task: k, done: i)`. Phases name ranges of a task's
// steps (`phases: [.init("warmup", until: 1000), .init("sampling", until: 2000)]`): the
// line shows the phase of the least advanced task. `ProgressBar.sampling(…)` builds the
// bar of an MCMC run and `callback` feeds it from the sampler's worker threads. `render`
// is a pure function of the counts, the elapsed time and the width, for tests.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import SynmInference

final class ProgressBar: Sendable {
    /// A named range of a task's steps: the phase lasts until step `until` (inclusive).
    struct Phase: Sendable, Equatable {
        var name: String
        var until: Int
        init(_ name: String, until: Int) {
            self.name = name
            self.until = until
        }
    }

    let isActive: Bool
    let label: String
    let tasks: Int
    let total: Int
    let phases: [Phase]
    /// Redraw at most every `refresh` steps of a task (and at most 10 times a second).
    let refresh: Int
    let width: Int
    let started: Date
    let state: Mutex<(done: [Int], lastDraw: Double, lastStep: [Int], finished: Bool)>
    let sink: FileDescriptorSink?

    /// A bar for `tasks` tasks of `total` steps each. Inactive (every call a no-op) unless
    /// standard error is a terminal.
    init(console: Console, label: String = "", tasks: Int = 1, total: Int, phases: [Phase] = [], refresh: Int = 1,
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        let terminal = console.err.isTerminal && environment["TERM"] != "dumb" && refresh > 0
        isActive = terminal
        self.label = label
        self.tasks = max(tasks, 1)
        self.total = max(total, 1)
        self.phases = phases
        self.refresh = max(refresh, 1)
        width = terminal ? Self.terminalWidth(fd: 2, environment: environment) : 80
        started = Date()
        state = Mutex((Array(repeating: 0, count: max(tasks, 1)), 0, Array(repeating: 0, count: max(tasks, 1)), false))
        sink = terminal ? FileDescriptorSink(fd: 2) : nil
    }

    /// The bar of an MCMC run: one task per chain, a warmup then a sampling phase.
    static func sampling(console: Console, chains: Int, warmup: Int, draws: Int, refresh: Int = 100) -> ProgressBar {
        ProgressBar(console: console, tasks: chains, total: warmup + draws,
                    phases: [Phase("warmup", until: warmup), Phase("sampling", until: warmup + draws)], refresh: refresh)
    }

    /// The sampler's progress callback (called from the worker threads after every iteration).
    var callback: SamplingProgress {
        { [self] chain, iteration, _ in update(task: chain, done: iteration) }
    }

    /// Task `task` has done `done` steps.
    func update(task: Int, done: Int) {
        guard isActive, task >= 0, task < tasks else { return }
        let now = Date().timeIntervalSinceReferenceDate
        // Drawn under the lock, so no line can land after `finish()` cleared it (a worker
        // thread still running when the command has moved on).
        state.withLock { s in
            guard !s.finished else { return }
            s.done[task] = done
            let last = done >= total
            guard last || (done - s.lastStep[task] >= refresh && now - s.lastDraw > 0.1) else { return }
            s.lastStep[task] = done
            s.lastDraw = now
            sink?.write("\r" + render(done: s.done, elapsed: Date().timeIntervalSince(started)) + "\u{1B}[K")
        }
    }

    /// One more step of task `task`.
    func advance(task: Int = 0, by steps: Int = 1) {
        guard isActive, task >= 0, task < tasks else { return }
        let done = state.withLock { $0.done[task] } + steps
        update(task: task, done: done)
    }

    /// Clears the line for good: later updates draw nothing (call before printing results).
    func finish() {
        guard isActive else { return }
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            sink?.write("\r\u{1B}[2K")
        }
    }

    // MARK: - The line

    /// The line for the counts `done` after `elapsed` seconds, at most `width − 1` columns:
    /// `label phase ▕████░░░░▏ 45% chain 1: 900/2000 … ETA 12s`, with the per-task counts,
    /// then the label, then the ETA dropped, and the bar narrowed, until it fits.
    func render(done: [Int], elapsed: Double, width: Int? = nil) -> String {
        let columns = max((width ?? self.width) - 1, 10)
        let sum = done.reduce(0) { $0 + min(max($1, 0), total) }
        let fraction = Double(sum) / Double(total * tasks)
        let percent = "\(Int((fraction * 100).rounded(.down)))%"
        let phase = phases.first { (done.min() ?? 0) < $0.until }?.name ?? phases.last?.name
        let eta = Self.eta(fraction: fraction, elapsed: elapsed)
        let perTask = tasks == 1 ? "\(min(done.first ?? 0, total))/\(total)"
            : done.enumerated().map { "chain \($0.offset + 1): \(min($0.element, total))/\(total)" }.joined(separator: "  ")
        let summary = tasks == 1 ? perTask : "\(tasks) chains: \(sum)/\(total * tasks)"
        let head = [label.isEmpty ? nil : label, phase].compactMap { $0 }.joined(separator: " ")
        // Richest first; each candidate with the widest bar that leaves it fitting.
        let candidates: [(head: String, tail: String)] = [
            (head, "\(percent)  \(perTask)  ETA \(eta)"),
            (head, "\(percent)  \(summary)  ETA \(eta)"),
            (head, "\(percent)  ETA \(eta)"),
            (phase ?? "", "\(percent)  ETA \(eta)"),
            (phase ?? "", percent),
            ("", percent),
        ]
        for (h, t) in candidates {
            let fixed = (h.isEmpty ? 0 : h.count + 1) + 2 + 1 + t.count
            let barWidth = min(40, columns - fixed)
            if barWidth >= 10 || (h.isEmpty && t == percent) {
                let b = max(0, min(barWidth, columns - fixed))
                let filled = min(b, Int(fraction * Double(b)))
                let bar = "▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: b - filled) + "▏"
                return String(((h.isEmpty ? "" : h + " ") + bar + " " + t).prefix(columns))
            }
        }
        return String(percent.prefix(columns))
    }

    /// Seconds left at the average pace so far: `12s`, `3m05s`, `1h02m`; `--` until 1% is done.
    static func eta(fraction: Double, elapsed: Double) -> String {
        guard fraction >= 0.01, fraction < 1, elapsed.isFinite, elapsed > 0 else { return fraction >= 1 ? "0s" : "--" }
        let left = elapsed * (1 - fraction) / fraction
        guard left.isFinite, left < 360_000 else { return ">99h" }
        let s = Int(left.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }

    /// The terminal's width: ioctl(TIOCGWINSZ) on `fd`, else $COLUMNS, else 80.
    static func terminalWidth(fd: Int32, environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }
}

extension ProgressBar {
    /// A one-task bar fed with the number of replicates done (from any thread): for the
    /// studies of SynmSynthetic, which report progress as a count.
    static func replicates(console: Console, label: String, total: Int) -> ProgressBar {
        ProgressBar(console: console, label: label, total: total)
    }

    var countCallback: @Sendable (Int) -> Void { { [self] done in update(task: 0, done: done) } }
}
