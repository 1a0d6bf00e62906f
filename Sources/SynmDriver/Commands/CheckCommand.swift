// `synm check MODEL [--json]`: parse and check, then print the model's structure.
import SynmDiagnostics
import SynmFrontend
import SynmIO

enum CheckCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "check", flags: ["json", "help"], options: [], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
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
