// The common path of every command that evaluates a model: read and check the model, bind
// its data, compile. Each step prints its own located errors and returns an exit code.
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmRuntime
import SynmSynthetic

/// A model read, checked, bound to data and compiled.
struct PreparedModel {
    var loaded: LoadedModel
    var model: CheckedModel
    var data: DataTable
    var compiled: CompiledModel
    /// The data files read, for messages ("a.json, b.json"); nil for embedded data.
    var dataPath: String?
    var dataPaths: [String] = []
}

enum Pipeline {
    static func prepare(modelPath: String, dataPath: String?, seed: UInt64, console: Console, command: String)
        -> Result<PreparedModel, ExitCode>
    {
        prepare(modelPath: modelPath, dataPaths: dataPath.map { [$0] } ?? [], seed: seed, console: console, command: command)
    }

    /// The model a command works on: `given` (a model the REPL prepared in process), else
    /// MODEL and its --data files read and prepared.
    static func prepare(_ parsed: Arguments, given: PreparedModel?, seed: UInt64, console: Console, command: String)
        -> Result<PreparedModel, ExitCode>
    {
        if let given { return .success(given) }
        return prepare(modelPath: parsed.positionals[0], dataPaths: parsed.dataFiles, seed: seed, console: console,
                       command: command)
    }

    /// As above with several data files (`--data` given more than once), merged.
    static func prepare(modelPath: String, dataPaths: [String], seed: UInt64, console: Console, command: String,
                        overrides: [DataValue] = []) -> Result<PreparedModel, ExitCode>
    {
        let loaded: LoadedModel
        switch ModelLoader.load(modelPath, console: console, command: command) {
        case .failure(let code): return .failure(code)
        case .success(let m): loaded = m
        }
        guard !loaded.result.diagnostics.hasErrors, let model = loaded.result.model else { return .failure(.modelError) }
        let data: DataTable
        switch DataLoader.bind(model: model, modelFile: loaded.file, dataPaths: dataPaths, console: console, command: command,
                               overrides: overrides) {
        case .failure(let code): return .failure(code)
        case .success(let d): data = d
        }
        do {
            try ModelSizes.verify(model, data: data)
            let compiled = try SyntheticCompiler.compile(model, source: loaded.file, data: data, seed: seed)
            return .success(PreparedModel(loaded: loaded, model: model, data: data, compiled: compiled,
                                          dataPath: dataPaths.isEmpty ? DataLoader.siblingDataFile(of: modelPath)
                                              : dataPaths.joined(separator: ", "),
                                          dataPaths: dataPaths.isEmpty ? DataLoader.siblingDataFile(of: modelPath).map { [$0] } ?? [] : dataPaths))
        } catch let e as RuntimeError {
            report(e, file: loaded.file, console: console)
            return .failure(e.isMissingInput ? .noInput : .modelError)
        } catch {
            console.err.write("synm \(command): error: \(error)\n")
            return .failure(.runtime)
        }
    }

    /// Errors that do not depend on the parameters — data that contradict the model (y > n in
    /// a binomial, an index out of range, empty constant bounds) — found before any sampling
    /// or optimisation, as the model or data error they are (65), printed once. The model is
    /// evaluated at a few different points; an error raised identically at every one of them
    /// is not the parameters' doing. Returns the exit code when there is one.
    static func verifyEvaluable(_ compiled: inout CompiledModel, file: SourceFile, console: Console) -> ExitCode? {
        let d = compiled.dimension
        let points: [[Double]] = d == 0 ? [[]] : [
            Array(repeating: 0, count: d),
            (0..<d).map { $0 % 2 == 0 ? 1.3 : -0.7 },
            (0..<d).map { $0 % 2 == 0 ? -1.9 : 1.1 },
        ]
        var common: RuntimeError?
        for x in points {
            do {
                _ = try compiled.evaluate(x)
                return nil
            } catch let e as RuntimeError {
                if e.isLimit {
                    common = e
                    break
                }
                if let c = common, c.message != e.message || c.span != e.span { return nil }
                common = e
            } catch {
                return nil
            }
        }
        guard let e = common else { return nil }
        report(e, file: file, console: console)
        return .modelError
    }

    /// Refuses a model with a parameter of a constrained type (`simplex`, …) for a command
    /// that works on the constrained scale element by element (fisher,
    /// optimize --sandwich, audit, reflect): located at the parameter, exit 65.
    static func refuseConstrainedTypes(_ prepared: PreparedModel, command: String, console: Console) -> ExitCode? {
        do {
            try prepared.compiled.requireElementwiseParameters(for: "synm \(command)")
            return nil
        } catch let e as RuntimeError {
            report(e, file: prepared.loaded.file, console: console)
            return .modelError
        } catch {
            return .modelError
        }
    }

    /// Prints a runtime error at its place in the model.
    static func report(_ e: RuntimeError, file: SourceFile, console: Console) {
        let d = Diagnostic.error("runtime", e.message, at: e.span, hint: e.hint)
        console.err.write(DiagnosticRenderer(file: file).render(d))
    }
}
