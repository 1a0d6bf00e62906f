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
        bind(model: model, modelFile: modelFile, dataPaths: dataPath.map { [$0] } ?? [], console: console, command: command)
    }

    /// Reads several data files (`--data a.json --data b.json`), or the sibling file when
    /// none is given, merges them and binds them. A name given in two files is an error
    /// naming both (exit 65): neither file silently wins.
    /// `overrides` replace (or add) values by name after the files are read — the REPL's
    /// `:set` values, bound in process.
    static func bind(model: CheckedModel, modelFile: SourceFile, dataPaths: [String], console: Console, command: String,
                     overrides: [DataValue] = []) -> Result<DataTable, ExitCode>
    {
        let paths = dataPaths.isEmpty ? (siblingDataFile(of: modelFile.name).map { [$0] } ?? []) : dataPaths
        var source = DataSource.none
        var fileOf: [String: Int] = [:]
        var sources: [DataSource] = []
        for (k, path) in paths.enumerated() {
            switch read(path, console: console, command: command) {
            case .failure(let code): return .failure(code)
            case .success(let s): sources.append(s)
            }
            for v in sources[k].values {
                if let earlier = fileOf[v.name] {
                    func place(_ i: Int) -> String {
                        paths[i] + (sources[i].locate(v.name, []).map { ":\($0.line):\($0.column)" } ?? "")
                    }
                    console.err.write("\(place(k)): error: '\(v.name)' is given in two data files: here and at \(place(earlier))\n")
                    console.err.write("hint: give each variable in one --data file only\n")
                    return .failure(.modelError)
                }
                fileOf[v.name] = k
            }
        }
        if sources.count == 1 {
            source = sources[0]
        } else if sources.count > 1 {
            let frozen = sources, owner = fileOf
            source = DataSource(values: sources.flatMap(\.values)) { name, index in
                owner[name].flatMap { frozen[$0].locate(name, index) }
            }
        }
        if !overrides.isEmpty {
            var values = source.values
            for o in overrides {
                if let k = values.firstIndex(where: { $0.name == o.name }) { values[k] = o } else { values.append(o) }
            }
            let names = Set(overrides.map(\.name)), old = source
            source = DataSource(values: values, invalid: old.invalid.filter { e in !names.contains(where: { e.message.contains("'\($0)'") }) }) {
                name, index in names.contains(name) ? nil : old.locate(name, index)
            }
        }
        var binder = DataBinder(model: model, source: source)
        let table = binder.bind()
        printIssues(binder.issues, dataPaths: paths, fileOf: fileOf, modelFile: modelFile, console: console)
        guard let table else { return .failure(.modelError) }
        return .success(table)
    }

    static func printIssues(_ issues: [DataIssue], dataPaths: [String], fileOf: [String: Int], modelFile: SourceFile,
                            console: Console) {
        guard dataPaths.count > 1 else {
            printIssues(issues, dataPath: dataPaths.first, modelFile: modelFile, console: console)
            return
        }
        for issue in issues {
            let path = issue.variable.flatMap { fileOf[$0] }.map { dataPaths[$0] } ?? dataPaths.joined(separator: " + ")
            printIssues([issue], dataPath: path, modelFile: modelFile, console: console)
        }
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
