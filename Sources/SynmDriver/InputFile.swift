// Reading an input file with the reason it cannot be read, in the words every command uses:
// "no such file", "is a directory", "permission denied" (all exit 66, EX_NOINPUT).
import Foundation

enum InputFile {
    /// The file's bytes, or why they cannot be read.
    static func read(_ path: String) -> Result<Data, Reason> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(Reason(errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno))))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .failure(Reason("is a directory")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Reason(access(path, R_OK) != 0 ? "permission denied" : "unreadable"))
        }
        return .success(data)
    }

    /// Why `path` cannot be read as a file, or nil when it can (checked without reading it).
    static func problem(_ path: String) -> Reason? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return Reason(errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return Reason("is a directory") }
        if access(path, R_OK) != 0 { return Reason("permission denied") }
        return nil
    }

    struct Reason: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
