// `synm report DRAWS.csv [FILES…] [--output out.html] [--model M.synm] [--pairs a,b,c]`:
// the HTML report of a run from its CmdStan-format CSV files (synm's or Stan's), and the
// shared writer the other commands' `--report out.html` options use.
import SynmDiagnostics
import SynmSynthetic
import Foundation
import SynmIO

enum ReportCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart.parse(args, command: "report", flags: ["help"], options: ["output", "model", "pairs"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments): parsed = arguments
        }
        guard !parsed.positionals.isEmpty else {
            return Driver.usageError(UsageError("missing DRAWS.csv", hint: "give the prefix of `synm run --output P.csv` (P_1.csv, P_2.csv, … are read) or the chain files"),
                                     command: "report", console: console)
        }
        let pairs: [String]?
        do {
            pairs = try parsePairs(parsed.options["pairs"])
        } catch let e as UsageError {
            return Driver.usageError(e, command: "report", console: console)
        } catch { return .usage }
        // One positional: a prefix (P.csv → P_1.csv, …) or a single file; several: the files.
        var files: [String]
        if parsed.positionals.count == 1 {
            files = DrawsReport.chainFiles(prefix: parsed.positionals[0])
            if files.isEmpty {
                let p = parsed.positionals[0]
                let base = p.hasSuffix(".csv") ? String(p.dropLast(4)) : p
                console.err.write("synm report: error: no draws files: neither \(base)_1.csv nor \(p) exists\n")
                return .noInput
            }
        } else {
            files = parsed.positionals
        }
        for f in files {
            if let reason = InputFile.problem(f) {
                console.err.write("synm report: error: cannot read '\(f)': \(reason)\n")
                return .noInput
            }
        }
        var source: String?
        if let m = parsed.options["model"] {
            switch InputFile.read(m) {
            case .failure(let reason):
                console.err.write("synm report: error: cannot read the model '\(m)': \(reason)\n")
                return .noInput
            case .success(let data):
                guard let text = String(data: data, encoding: .utf8) else {
                    console.err.write("synm report: error: the model '\(m)' is not UTF-8 text\n")
                    return .modelError
                }
                source = text
            }
        }
        let report: DrawsReport
        do {
            report = try DrawsReport(files: files, modelSource: source, modelPath: parsed.options["model"], pairs: pairs)
        } catch let e as DrawsReport.ReadError {
            console.err.write(e.text(command: "report"))
            return .modelError
        } catch {
            console.err.write("synm report: error: \(error)\n")
            return .modelError
        }
        let output = parsed.options["output"] ?? defaultOutput(for: parsed.positionals[0])
        do {
            try OutputSafety.verify(outputs: [("--output", output)],
                                    inputs: files.map { ("the draws file", $0) } + [("the model", parsed.options["model"])])
        } catch let e as UsageError {
            return Driver.usageError(e, command: "report", console: console)
        } catch { return .usage }
        let code = write(report, to: output, command: "report", console: console)
        if code == .ok {
            console.out.write("wrote \(output): \(report.chains) chain\(report.chains == 1 ? "" : "s"), \(report.names.count - 1) quantities\n")
            for w in report.warnings { console.err.write("warning: \(w)\n") }
        }
        return code
    }

    /// `out/draws.csv` → `out/draws.html`.
    static func defaultOutput(for input: String) -> String {
        (input.hasSuffix(".csv") ? String(input.dropLast(4)) : input) + ".html"
    }

    /// `a,b,theta[1]` → names; at most four.
    static func parsePairs(_ text: String?) throws -> [String]? {
        guard let text else { return nil }
        // Split on commas outside brackets (theta[1,2] stays whole).
        var names: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "[" { depth += 1 }
            if ch == "]" { depth -= 1 }
            if ch == ",", depth == 0 {
                names.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
        }
        names.append(current.trimmingCharacters(in: .whitespaces))
        names = names.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UsageError("--pairs needs names, e.g. --pairs mu,tau") }
        guard names.count <= 4 else { throw UsageError("--pairs takes at most 4 quantities, got \(names.count)") }
        return names
    }

    /// Renders and writes a draws report whole or not at all; prints the error.
    static func write(_ report: DrawsReport, to path: String, command: String, console: Console) -> ExitCode {
        let html: String
        do {
            html = try report.html()
        } catch let e as UsageError {
            return Driver.usageError(e, command: command, console: console)
        } catch {
            console.err.write("synm \(command): error: \(error)\n")
            return .runtime
        }
        return writeHTML(html, to: path, command: command, console: console)
    }

    /// A study's ending (audit, reflect, and `synm merge` of their shards): the --report page
    /// if asked, then the text or JSON on standard output and the warnings on standard error.
    static func emit(page: () -> String, reportPath: String?, output: String, warnings: [String] = [], command: String,
                     console: Console) -> ExitCode {
        if let path = reportPath {
            let code = writeHTML(page(), to: path, command: command, console: console)
            if code != .ok { return code }
        }
        console.out.write(output)
        for w in warnings { console.err.write("warning: \(w)\n") }
        return .ok
    }

    static func writeHTML(_ html: String, to path: String, command: String, console: Console) -> ExitCode {
        do {
            try writeFileAtomically(html, to: path)
            return .ok
        } catch {
            console.err.write("synm \(command): error: cannot write the report \(path): \(error)\n")
            return .cannotCreate
        }
    }
}
