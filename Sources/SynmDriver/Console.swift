// Where the driver writes: standard output and error, or strings (for tests).
import Foundation
import Synchronization

/// A destination for text.
public protocol TextSink: AnyObject {
    func write(_ text: String)
    /// Whether this is an interactive terminal (progress bars, colours).
    var isTerminal: Bool { get }
    /// Why a write failed (a full disk, a closed pipe), if one did: the output is incomplete.
    var writeFailure: String? { get }
}

extension TextSink {
    public var writeFailure: String? { nil }
}

/// Collects text in memory.
public final class StringSink: TextSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    public var isTerminal: Bool { false }
}

/// Passes text on to `sink` and keeps a copy: what a run shard printed while preparing the
/// model (its warnings), for `synm merge` to print again.
final class RecordingSink: TextSink {
    let sink: TextSink
    private(set) var text = ""
    init(_ sink: TextSink) { self.sink = sink }
    func write(_ text: String) {
        self.text += text
        sink.write(text)
    }
    var isTerminal: Bool { sink.isTerminal }
    var writeFailure: String? { sink.writeFailure }
}

/// Writes to a file descriptor (standard output or error).
public final class FileDescriptorSink: TextSink, Sendable {
    let fd: Int32
    let failure = Mutex<String?>(nil)
    public init(fd: Int32) { self.fd = fd }
    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buf in
                Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                // A full disk or a closed pipe: nothing more can be written; remember why.
                let reason = n < 0 ? String(cString: strerror(errno)) : "nothing was written"
                failure.withLock { if $0 == nil { $0 = reason } }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }
    public var isTerminal: Bool { isatty(fd) == 1 }
    public var writeFailure: String? { failure.withLock { $0 } }
}

/// Standard output and error for one command.
public struct Console {
    public let out: TextSink
    public let err: TextSink
    public init(out: TextSink, err: TextSink) {
        self.out = out
        self.err = err
    }
    /// The process's own standard output and error.
    public static func standard() -> Console {
        Console(out: FileDescriptorSink(fd: 1), err: FileDescriptorSink(fd: 2))
    }
}
