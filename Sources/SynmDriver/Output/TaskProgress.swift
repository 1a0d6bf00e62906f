// A one-line count of finished replicates on standard error for long studies (audit,
// reflect, fisher --expected): "audit  120/400 replicates  30%  ETA 12 s". Only on a
// terminal; nothing is drawn when standard error is piped. Lines fit in 80 columns.
import Foundation
import Synchronization

final class TaskProgress: Sendable {
    let label: String
    let total: Int
    let start: Double
    let state: Mutex<Double>
    let sink: FileDescriptorSink?

    init(console: Console, label: String, total: Int) {
        let terminal = console.err.isTerminal && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        self.label = label
        self.total = max(total, 1)
        start = Date().timeIntervalSinceReferenceDate
        state = Mutex(0)
        sink = terminal ? FileDescriptorSink(fd: 2) : nil
    }

    /// Called with the number done (from any thread); redraws at most 10 times a second.
    var callback: @Sendable (Int) -> Void {
        { [self] done in
            guard let sink else { return }
            let now = Date().timeIntervalSinceReferenceDate
            let draw: Bool = state.withLock { last in
                guard now - last > 0.1 || done == total else { return false }
                last = now
                return true
            }
            if draw { sink.write("\r\u{1B}[2K" + Self.line(label: label, done: done, total: total, elapsed: now - start)) }
        }
    }

    static func line(label: String, done: Int, total: Int, elapsed: Double) -> String {
        let fraction = Double(done) / Double(max(total, 1))
        var eta = ""
        if done > 0, done < total {
            let left = elapsed / Double(done) * Double(total - done)
            eta = left >= 90 ? "  ETA \(Int(left / 60)) min" : "  ETA \(Int(left.rounded(.up))) s"
        }
        let text = "\(label)  \(done)/\(total) replicates  \(Int(fraction * 100))%\(eta)"
        return String(text.prefix(79))
    }

    /// Clears the line.
    func finish() {
        sink?.write("\r\u{1B}[2K")
    }
}
