// Reads a model file and runs the front end, rendering diagnostics to standard error.
import Foundation
import SynmDiagnostics
import SynmFrontend

/// A model file read from disk and checked.
struct LoadedModel {
    var file: SourceFile
    var result: FrontendResult
}

enum ModelLoader {
    /// How many errors are printed before the rest are summarised.
    static let maxPrintedDiagnostics = 50

    /// Reads and checks `path`. Returns an exit code instead when the file cannot be read.
    static func load(_ path: String, console: Console, command: String) -> Result<LoadedModel, ExitCode> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            console.err.write("synm \(command): error: cannot read '\(path)': no such file\n")
            return .failure(.noInput)
        }
        guard !isDirectory.boolValue else {
            console.err.write("synm \(command): error: '\(path)' is a directory, not a model file\n")
            return .failure(.noInput)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            console.err.write("synm \(command): error: cannot read '\(path)': permission denied or unreadable\n")
            return .failure(.noInput)
        }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8Offset(bytes) {
            // Show the position in the valid prefix, so the line and column are meaningful.
            let prefix = SourceFile(name: path, bytes: Array(bytes[..<bad]))
            let loc = prefix.location(of: bad)
            console.err.write("\(path):\(loc.line):\(loc.column): error: the file is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad))\n")
            console.err.write("hint: save the model as UTF-8 text\n")
            return .failure(.modelError)
        }
        let file = SourceFile(name: path, bytes: bytes)
        let result = checkModel(file)
        printDiagnostics(result.diagnostics, file: file, console: console)
        return .success(LoadedModel(file: file, result: result))
    }

    /// Renders diagnostics to standard error, errors and warnings in source order, with a
    /// summary line when there are errors.
    static func printDiagnostics(_ diagnostics: [Diagnostic], file: SourceFile, console: Console) {
        let renderer = DiagnosticRenderer(file: file)
        let sorted = diagnostics.enumerated().sorted {
            let a = $0.element.span?.start ?? -1, b = $1.element.span?.start ?? -1
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        for d in sorted.prefix(maxPrintedDiagnostics) { console.err.write(renderer.render(d)) }
        if sorted.count > maxPrintedDiagnostics {
            console.err.write("\(file.name): note: \(sorted.count - maxPrintedDiagnostics) more diagnostics not shown\n")
        }
        let errors = diagnostics.count(.error), warnings = diagnostics.count(.warning)
        if errors > 0 {
            console.err.write("\(errors) error\(errors == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") in \(file.name)\n")
        }
    }
}
