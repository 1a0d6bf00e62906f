// The terminal under the REPL: raw mode by termios (always restored), byte reads, and a
// SIGINT handler that only sets a flag — the sampler checks it (InterruptibleModel).
import Foundation
import Synchronization
import SynmMath
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by the SIGINT handler while a REPL session is at a terminal.
let replSigintReceived = Atomic<Bool>(false)

/// A cancellation flag for one session: set by the session's owner (tests) or, when
/// `watchesSignal`, by Ctrl-C at the terminal.
final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    let watchesSignal: Bool
    init(watchesSignal: Bool = false) { self.watchesSignal = watchesSignal }
    var isSet: Bool { flag.load(ordering: .relaxed) || (watchesSignal && replSigintReceived.load(ordering: .relaxed)) }
    func set() { flag.store(true, ordering: .relaxed) }
    func clear() {
        flag.store(false, ordering: .relaxed)
        if watchesSignal { replSigintReceived.store(false, ordering: .relaxed) }
    }
}

/// A model whose log density turns −∞ once the flag is set, so a running sampler finishes
/// quickly: every later trajectory ends at its first step (NUTS, HMC), every proposal is
/// rejected (Metropolis), initialisation and step-size search fail. The result is discarded.
struct InterruptibleModel<Base: LogDensityModel>: LogDensityModel {
    var base: Base
    let interrupt: InterruptFlag
    var dimension: Int { base.dimension }
    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        if interrupt.isSet { return -.infinity }
        return base.logDensityAndGradient(x, gradient: &gradient)
    }
    mutating func logDensity(_ x: [Double]) -> Double {
        if interrupt.isSet { return -.infinity }
        return base.logDensity(x)
    }
    mutating func explainNonFinite(_ x: [Double]) -> String? {
        interrupt.isSet ? "interrupted" : base.explainNonFinite(x)
    }
}

/// Raw mode on a terminal file descriptor.
final class RawTerminal {
    let fd: Int32
    private var saved = termios()
    private(set) var isRaw = false

    init(fd: Int32) { self.fd = fd }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Byte-at-a-time input without echo or signals (input typed ahead is kept); output processing stays on (so "\n"
    /// still returns the carriage). Returns false when the terminal refuses.
    @discardableResult
    func enable() -> Bool {
        guard !isRaw else { return true }
        guard tcgetattr(fd, &saved) == 0 else { return false }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR | BRKINT | ISTRIP)
        raw.c_cflag |= tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return false }
        isRaw = true
        return true
    }

    /// Restores the saved settings.
    func disable() {
        guard isRaw else { return }
        var s = saved
        _ = tcsetattr(fd, TCSANOW, &s)
        isRaw = false
    }

    deinit { disable() }

    /// One byte, or nil at the end of input or on an error (EINTR is retried).
    func readByte() -> UInt8? {
        var b: UInt8 = 0
        while true {
            let n = read(fd, &b, 1)
            if n == 1 { return b }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }
}

/// Installs the REPL's SIGINT handler (flag only); `restore` puts the previous one back.
enum SigintHandler {
    static func install() -> (@convention(c) (Int32) -> Void)? {
        replSigintReceived.store(false, ordering: .relaxed)
        let previous = signal(SIGINT) { _ in replSigintReceived.store(true, ordering: .relaxed) }
        // A parent may have started us with SIGINT blocked (it is inherited): unblock it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        return previous
    }

    static func restore(_ previous: (@convention(c) (Int32) -> Void)?) {
        signal(SIGINT, previous)
    }
}
