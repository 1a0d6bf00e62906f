// Reads a data file (Stan JSON, or CSV with a header), or the model's sibling NAME.data.json,
// and binds it to the model, printing located errors: `data.json:3:9: error: …`.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmRuntime

enum DataLoader {
    /// The default data file of a model: `models/x.synm` → `models/x.data.json`, if present.
    static func siblingDataFile(of modelPath: String) -> String? {
        let base = modelPath.hasSuffix(".synm") ? String(modelPath.dropLast(5)) : modelPath
        let candidate = base + ".data.json"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// Reads a JSON or CSV file into data values, with a locator for messages. `kind` names
    /// the file in messages ("data file", "parameter file").
    static func read(_ path: String, console: Console, command: String, kind: String = "data file")
        -> Result<DataSource, ExitCode>
    {
        let contents: Data
        switch InputFile.read(path) {
        case .failure(let reason):
            console.err.write("synm \(command): error: cannot read \(kind) '\(path)': \(reason)\n")
            return .failure(.noInput)
        case .success(let data): contents = data
        }
        let bytes = [UInt8](contents)
        do throws(DataError) {
            if path.lowercased().hasSuffix(".csv") {
                return .success(DataSource(values: try CSVData.decode(bytes)))
            }
            // A data file may hold keys the model does not use, of any kind (Stan ignores
            // them); parameter and init files must be data throughout.
            let (values, invalid) = try StanJSONData.decodeEach(bytes)
            if kind != "data file", let first = invalid.first { throw first }
            let locate: @Sendable (String, [Int]) -> TextLocation? = { name, index in
                JSONParser().location(of: [.key(name)] + index.map { .index($0 - 1) }, in: bytes)
            }
            return .success(DataSource(values: values, invalid: kind == "data file" ? invalid : [], locate: locate))
        } catch {
            let where_ = error.location.map { "\(path):\($0.line):\($0.column)" } ?? path
            console.err.write("\(where_): error: \(error.message)\n")
            return .failure(.modelError)
        }
    }

    /// Reads the data for a model (explicit file, sibling file, or none) and binds it.
    static func bind(model: CheckedModel, modelFile: SourceFile, dataPath: String?, console: Console, command: String)
        -> Result<DataTable, ExitCode>
    {
        let path = dataPath ?? siblingDataFile(of: modelFile.name)
        var source = DataSource.none
        if let path {
            switch read(path, console: console, command: command) {
            case .failure(let code): return .failure(code)
            case .success(let s): source = s
            }
        }
        var binder = DataBinder(model: model, source: source)
        let table = binder.bind()
        printIssues(binder.issues, dataPath: path, modelFile: modelFile, console: console)
        guard let table else { return .failure(.modelError) }
        return .success(table)
    }

    /// Data issues: at the data file location when known, else at the model declaration.
    static func printIssues(_ issues: [DataIssue], dataPath: String?, modelFile: SourceFile, console: Console) {
        let renderer = DiagnosticRenderer(file: modelFile)
        for issue in issues {
            if let loc = issue.dataLocation, let dataPath {
                console.err.write("\(dataPath):\(loc.line):\(loc.column): \(issue.severity.rawValue): \(issue.message)\n")
                if let hint = issue.hint { console.err.write("hint: \(hint)\n") }
                if let span = issue.modelSpan {
                    let l = modelFile.location(of: span.start)
                    console.err.write("note: declared at \(modelFile.name):\(l.line):\(l.column)\n")
                }
            } else if let span = issue.modelSpan {
                let label = dataPath.map { " (data: \($0))" } ?? " (embedded data)"
                console.err.write(renderer.render(Diagnostic(issue.severity, code: "data", issue.message + label,
                                                             at: span, hint: issue.hint)))
            } else {
                console.err.write("\(dataPath ?? modelFile.name): \(issue.severity.rawValue): \(issue.message)\n")
                if let hint = issue.hint { console.err.write("hint: \(hint)\n") }
            }
        }
    }
}
