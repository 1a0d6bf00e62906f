// Output files written whole or not at all, without harming what is already there.
//
// A regular file (or a missing one) is replaced atomically: the bytes go to a temporary
// file in the destination's directory, which is flushed and renamed over it (rename within
// one file system is atomic in POSIX). An existing file keeps its permission bits. A
// symbolic link is followed, so the file it points to is replaced and the link stays. Any
// other destination — a device such as /dev/null, a FIFO, a socket, and anything named
// under /dev or /proc (/dev/stdout, even when it is redirected to a regular file) — is
// written through in place, as a shell redirection would; renaming over it would destroy it.
// A set of files is staged completely (every temporary written) before the first rename, so
// a failure part way (a full disk at the third file) leaves every destination as it was.
import Foundation

/// Why writing an output file failed; the destination was left untouched.
public struct FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The destination path.
    public var path: String
    /// A short lowercase reason, e.g. `cannot create temporary file: No such file or directory`.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Writes `text` (UTF-8) to `path` whole or not at all (see the file's header).
public func writeFileAtomically(_ text: String, to path: String) throws(FileWriteError) {
    try writeFilesAtomically([(path: path, text: text)])
}

/// Writes every file, all or nothing: every temporary file is written and flushed first,
/// then each is renamed over its destination. On a failure before the renames, the
/// temporaries are removed and no destination has changed.
public func writeFilesAtomically(_ files: [(path: String, text: String)]) throws(FileWriteError) {
    var staged: [(temporary: String, destination: String, shown: String)] = []
    var throughs: [(destination: String, shown: String, text: String)] = []
    func discard() {
        for s in staged { unlink(s.temporary) }
    }
    for (path, text) in files {
        let destination = followingLinks(path)
        var st = stat()
        let exists = stat(destination, &st) == 0
        // /dev/stdout and /proc/self/fd/N name an open stream even when it is a regular file:
        // write into it rather than replace the file behind it.
        let isStream = path.hasPrefix("/dev/") || path.hasPrefix("/proc/")
        if exists && ((st.st_mode & S_IFMT) != S_IFREG || isStream) {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                discard()
                throw FileWriteError(path: path, message: "is a directory")
            }
            throughs.append((destination, path, text))
            continue
        }
        do {
            let temporary = try stage(text, for: destination, mode: exists ? mode_t(st.st_mode & 0o7777) : nil)
            staged.append((temporary, destination, path))
        } catch {
            discard()
            throw FileWriteError(path: path, message: error.message)
        }
    }
    for t in throughs {
        do {
            try writeThrough(t.text, to: t.destination)
        } catch {
            discard()
            throw FileWriteError(path: t.shown, message: error.message)
        }
    }
    for (k, s) in staged.enumerated() where rename(s.temporary, s.destination) != 0 {
        let code = errno
        for rest in staged[k...] { unlink(rest.temporary) }
        throw FileWriteError(path: s.shown, message: "cannot rename temporary file: \(String(cString: strerror(code)))")
    }
}

/// The path with symbolic links followed to the file they name (which may not exist yet).
func followingLinks(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
        var st = stat()
        guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(current, &buffer, buffer.count - 1)
        guard n > 0 else { return current }
        let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = target.hasPrefix("/") ? target
            : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
    }
    return current
}

/// Writes `text` to a temporary file beside `destination`, flushed, with `mode` (an
/// existing file's permission bits) or the process's default for a new file.
private func stage(_ text: String, for destination: String, mode: mode_t?) throws(FileWriteError) -> String {
    let url = URL(fileURLWithPath: destination)
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(suffix)").path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    guard fd >= 0 else {
        throw FileWriteError(path: destination, message: "cannot create temporary file: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    do throws(FileWriteError) {
        if let mode, fchmod(fd, mode) != 0 {
            throw FileWriteError(path: destination, message: "cannot set permissions: \(String(cString: strerror(errno)))")
        }
        try writeAll(Array(text.utf8), to: fd, path: destination)
        if fsync(fd) != 0 {
            throw FileWriteError(path: destination, message: "cannot write temporary file: \(String(cString: strerror(errno)))")
        }
    } catch {
        unlink(temporary)
        throw error
    }
    return temporary
}

/// Writes into an existing file that is not a regular file (a device, a FIFO), in place.
private func writeThrough(_ text: String, to destination: String) throws(FileWriteError) {
    let fd = open(destination, O_WRONLY | O_TRUNC)
    guard fd >= 0 else { throw FileWriteError(path: destination, message: String(cString: strerror(errno))) }
    defer { close(fd) }
    try writeAll(Array(text.utf8), to: fd, path: destination)
}

/// write(2) until every byte is written or it fails.
private func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(FileWriteError) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { buf in write(fd, buf.baseAddress! + offset, buf.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileWriteError(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        offset += n
    }
}
