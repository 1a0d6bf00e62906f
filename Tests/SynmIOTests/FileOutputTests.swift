// Output files never harm what is there: a symbolic link stays a link (its target is
// written), an existing file keeps its permissions, a device or FIFO is written through in
// place (not replaced by a regular file), and a set of files that fails part way leaves
// every destination as it was.
import Foundation
import SynmIO
import Testing

@Suite struct FileOutputTests {
    final class Directory {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("synm-output-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
    }

    static func kind(_ path: String) -> mode_t {
        var st = stat()
        lstat(path, &st)
        return st.st_mode & S_IFMT
    }

    @Test func symbolicLinkIsFollowedAndKept() throws {
        let d = try Directory()
        try writeFileAtomically("old\n", to: d.path("real.html"))
        try FileManager.default.createSymbolicLink(atPath: d.path("link.html"), withDestinationPath: "real.html")
        try writeFileAtomically("new\n", to: d.path("link.html"))
        #expect(Self.kind(d.path("link.html")) == S_IFLNK, "the link was replaced by a file")
        #expect(try d.read("real.html") == "new\n")
        #expect(try d.names() == ["link.html", "real.html"])
    }

    @Test func danglingLinkCreatesItsTarget() throws {
        let d = try Directory()
        try FileManager.default.createSymbolicLink(atPath: d.path("link.csv"), withDestinationPath: "target.csv")
        try writeFileAtomically("x\n", to: d.path("link.csv"))
        #expect(Self.kind(d.path("link.csv")) == S_IFLNK)
        #expect(try d.read("target.csv") == "x\n")
    }

    @Test func existingFileKeepsItsMode() throws {
        let d = try Directory()
        try writeFileAtomically("old\n", to: d.path("private.json"))
        chmod(d.path("private.json"), 0o600)
        try writeFileAtomically("new\n", to: d.path("private.json"))
        var st = stat()
        stat(d.path("private.json"), &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(try d.read("private.json") == "new\n")
    }

    @Test func deviceIsWrittenThrough() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/null"))
        try writeFileAtomically("discarded\n", to: "/dev/null")
        #expect(Self.kind("/dev/null") == S_IFCHR, "/dev/null is no longer a device")
    }

    @Test func fifoIsWrittenThrough() throws {
        let d = try Directory()
        let fifo = d.path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedText()
        let reader = Thread {
            let h = FileHandle(forReadingAtPath: fifo)
            received.set(String(decoding: h?.readDataToEndOfFile() ?? Data(), as: UTF8.self))
        }
        reader.start()
        try writeFileAtomically("through the pipe\n", to: fifo)
        for _ in 0..<2000 where received.value == nil { usleep(1000) }
        #expect(received.value == "through the pipe\n")
        #expect(Self.kind(fifo) == S_IFIFO, "the FIFO was replaced")
    }

    /// The third of three files cannot be written: the first two keep the previous run's
    /// contents (before, they were replaced and then deleted) and no temporary is left.
    @Test func failedSetLeavesPreviousFiles() throws {
        let d = try Directory()
        try writeFilesAtomically([(d.path("P_1.csv"), "old 1\n"), (d.path("P_2.csv"), "old 2\n")])
        let files = [(path: d.path("P_1.csv"), text: "new 1\n"), (path: d.path("P_2.csv"), text: "new 2\n"),
                     (path: d.path("missing/P_3.csv"), text: "new 3\n")]
        #expect(throws: FileWriteError.self) { try writeFilesAtomically(files) }
        #expect(try d.read("P_1.csv") == "old 1\n")
        #expect(try d.read("P_2.csv") == "old 2\n")
        #expect(try d.names() == ["P_1.csv", "P_2.csv"])
    }

    @Test func directoryDestinationIsRefused() throws {
        let d = try Directory()
        try FileManager.default.createDirectory(atPath: d.path("out"), withIntermediateDirectories: false)
        #expect(throws: FileWriteError(path: d.path("out"), message: "is a directory")) {
            try writeFileAtomically("x\n", to: d.path("out"))
        }
    }
}

final class ReceivedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ s: String) { lock.lock(); text = s; lock.unlock() }
    var value: String? { lock.lock(); defer { lock.unlock() }; return text }
}

@Suite struct FileOutputStreamTests {
    /// /proc/self/fd/N for a regular file: written into, not replaced (the open descriptor
    /// still sees the text; before, a rename put a new file behind it).
    @Test func procFileDescriptorIsWrittenThrough() throws {
        try #require(FileManager.default.fileExists(atPath: "/proc/self/fd"), "needs /proc (Linux)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synm-fd-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDWR)
        try #require(fd >= 0)
        defer { close(fd) }
        try writeFileAtomically("via the descriptor\n", to: "/proc/self/fd/\(fd)")
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = pread(fd, &buffer, 64, 0)
        #expect(String(decoding: buffer[..<max(n, 0)], as: UTF8.self) == "via the descriptor\n")
    }
}
