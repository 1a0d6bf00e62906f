// An output path that names one of the command's inputs (`--report model.synm`,
// `simulate --output data.json --data data.json`) is refused before anything runs: writing
// it would destroy the input. Paths are compared as files — device and inode, symbolic links
// followed — so `./m.synm`, `dir/../m.synm`, a link to it or a hard link are all caught.
import SynmDiagnostics
import Foundation

enum OutputSafety {
    /// Whether `a` and `b` name the same existing regular file.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0, (x.st_mode & S_IFMT) == S_IFREG else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Throws when an output (option, path) is an input (what it is, path).
    static func verify(outputs: [(option: String, path: String)], inputs: [(what: String, path: String?)]) throws {
        for o in outputs {
            for i in inputs {
                guard let path = i.path, sameFile(o.path, path) else { continue }
                throw UsageError("\(o.option) '\(o.path)' is \(i.what) '\(path)'; writing it would destroy an input",
                                 hint: "choose another output path")
            }
        }
    }

    /// The files a command that takes one MODEL would write, against the files it reads.
    static func verify(command: String, model: String, _ parsed: Arguments) throws {
        var outputs: [(option: String, path: String)] = []
        if let r = parsed.options["report"] { outputs.append(("--report", r)) }
        if let r = parsed.options["shard-output"] { outputs.append(("--shard-output", r)) }
        if let o = parsed.options["output"] {
            if command == "run" {
                // A prefix: P_1.csv … P_K.csv and P_synthetic.json.
                let chains = min(max(Int(parsed.options["chains"] ?? "") ?? 4, 1), 1000)
                outputs += (0..<chains).map { ("--output", DrawsOutput.path(prefix: o, chain: $0)) }
                outputs.append(("--output", DrawsOutput.syntheticPath(prefix: o)))
            } else {
                outputs.append(("--output", o))
            }
        }
        guard !outputs.isEmpty else { return }
        try verify(outputs: outputs, inputs: [
            ("the model", model),
            ("the data file", parsed.options["data"] ?? DataLoader.siblingDataFile(of: model)),
            ("the --init file", parsed.options["init"]),
            ("the --params file", parsed.options["params"]),
        ])
    }
}
