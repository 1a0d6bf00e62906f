// `synm check MODEL [--json]`: parse and check, then print the model's structure.
import SynmDiagnostics
import SynmFrontend
import SynmIO

enum CheckCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        do {
            parsed = try Arguments(args, flags: ["json", "help"], options: [])
        } catch let e as UsageError {
            return Driver.usageError(e, command: "check", console: console)
        } catch {
            return .usage
        }
        if parsed.flags.contains("help") {
            console.out.write(Help.command("check")!)
            return .ok
        }
        guard parsed.positionals.count == 1 else {
            let e = UsageError(parsed.positionals.isEmpty ? "missing MODEL" : "expected one MODEL, got \(parsed.positionals.count)")
            return Driver.usageError(e, command: "check", console: console)
        }
        let path = parsed.positionals[0]
        let loaded: LoadedModel
        switch ModelLoader.load(path, console: console, command: "check") {
        case .failure(let code): return code
        case .success(let m): loaded = m
        }
        let ok = !loaded.result.diagnostics.hasErrors
        if parsed.flags.contains("json") {
            let doc = ModelStructure.json(loaded, ok: ok)
            console.out.write(JSONWriter(style: .pretty).string(from: doc) + "\n")
        } else if ok, let model = loaded.result.model {
            console.out.write(ModelStructure.text(model, file: loaded.file))
        }
        return ok ? .ok : .modelError
    }
}
