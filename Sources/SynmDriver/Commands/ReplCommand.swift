// `synm repl [MODEL] [--data F]`: the interactive session (Repl/ReplSession.swift). At a
// terminal: a prompt, line editing and history (Repl/LineEditor.swift) in raw mode, restored
// before every command runs and when the session ends; Ctrl-C cancels the line or stops a
// running :sample. Otherwise (stdin a pipe or file): no prompt, no escape codes, one line in
// and its result out, so sessions can be scripted.
import SynmDiagnostics
import SynmSynthetic
import Foundation

enum ReplCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart.parse(args, command: "repl", flags: ["help"], options: ["data"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments): parsed = arguments
        }
        guard parsed.positionals.count <= 1 else {
            return Driver.usageError(UsageError("expected at most one MODEL"), command: "repl", console: console)
        }
        if parsed.options["data"] != nil, parsed.positionals.isEmpty {
            return Driver.usageError(UsageError("--data needs a MODEL"), command: "repl", console: console)
        }
        let interactive = RawTerminal.isTerminal(0) && console.out.isTerminal
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        let session = ReplSession(console: console, interrupt: InterruptFlag(watchesSignal: interactive))
        if interactive {
            console.out.write("synm \(synmVersion) repl — :help for the commands, :quit or Ctrl-D to leave\n")
        }
        if let model = parsed.positionals.first { session.load(model, data: parsed.options["data"]) }
        if interactive {
            runInteractive(session, console: console)
        } else {
            while let line = readLine(strippingNewline: true) {
                if !session.handle(line) { break }
            }
        }
        return .ok
    }

    /// The terminal loop: raw mode while a line is edited, cooked mode (and the SIGINT flag
    /// handler) while it runs.
    static func runInteractive(_ session: ReplSession, console: Console) {
        let terminal = RawTerminal(fd: 0)
        let previous = SigintHandler.install()
        defer {
            terminal.disable()
            SigintHandler.restore(previous)
        }
        var editor = LineEditor(prompt: "synm> ")
        while true {
            editor.reset()
            terminal.enable()
            console.out.write(editor.prompt)
            var submitted: String?
            var ended = false
            reading: while let byte = terminal.readByte() {
                switch editor.feed(byte) {
                case .none: continue
                case .redraw: console.out.write(editor.rendering)
                case .submit(let text):
                    submitted = text
                    break reading
                case .cancel:
                    console.out.write("^C\n" + editor.prompt)
                case .endOfInput:
                    ended = true
                    break reading
                }
            }
            terminal.disable()
            console.out.write("\n")
            guard let line = submitted, !ended else { return }
            session.interrupt.clear()
            if !session.handle(line) { return }
        }
    }
}
