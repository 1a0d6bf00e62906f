// A progress line on standard error while chains run — only on a terminal; silent when piped.
import Foundation
import Synchronization
import SynmInference

final class ProgressBar: Sendable {
    let isActive: Bool
    let chains: Int
    let total: Int
    let state: Mutex<(done: [Int], lastDraw: Double)>
    let sink: FileDescriptorSink?

    init(console: Console, chains: Int, total: Int) {
        let terminal = console.err.isTerminal && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        isActive = terminal
        self.chains = chains
        self.total = max(total, 1)
        state = Mutex((Array(repeating: 0, count: chains), 0))
        sink = terminal ? FileDescriptorSink(fd: 2) : nil
    }

    /// Called from the worker threads after every iteration; redraws at most 10 times a second.
    var callback: SamplingProgress {
        { [self] chain, iteration, _ in
            let now = Date().timeIntervalSinceReferenceDate
            let line: String? = state.withLock { s in
                s.done[chain] = iteration
                guard now - s.lastDraw > 0.1 || iteration == total else { return nil }
                s.lastDraw = now
                return render(s.done)
            }
            if let line { sink?.write("\r" + line) }
        }
    }

    func render(_ done: [Int]) -> String {
        let fraction = Double(done.reduce(0, +)) / Double(total * chains)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let perChain = done.enumerated().map { "chain \($0.offset + 1): \($0.element)/\(total)" }.joined(separator: "  ")
        return "\(bar) \(Int(fraction * 100))%  \(perChain)"
    }

    /// Clears the line.
    func finish() {
        guard isActive else { return }
        sink?.write("\r\u{1B}[2K")
    }
}
