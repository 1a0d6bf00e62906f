// The `synm` command: dispatches to a command and returns its exit code. The executable and
// the tests call `Driver.run` in process.
import SynmSynthetic
import SynmDiagnostics

/// The synm version, printed by `synm --version`.
public let synmVersion = "0.1.0"

/// Runs synm commands.
public enum Driver {
    /// Runs `synm ARGS…` (without the program name); writes to `console`; returns the exit code.
    public static func run(_ args: [String], console: Console) -> Int32 {
        let code = dispatch(args, console: console)
        // Output that did not reach standard output (`> /dev/full`, a full disk) is a failed
        // command, whatever the command itself concluded.
        if let failure = console.out.writeFailure {
            console.err.write("synm: error: cannot write to standard output: \(failure)\n")
            return ExitCode.cannotCreate.rawValue
        }
        return code
    }

    static func dispatch(_ args: [String], console: Console) -> Int32 {
        guard let first = args.first else {
            console.err.write(Help.overview)
            return ExitCode.usage.rawValue
        }
        let rest = Array(args.dropFirst())
        switch first {
        case "--help", "-h", "help":
            if first == "help", let topic = rest.first {
                guard let text = Help.command(topic) else { return unknownCommand(topic, console: console) }
                console.out.write(text)
                return ExitCode.ok.rawValue
            }
            console.out.write(Help.overview)
            return ExitCode.ok.rawValue
        case "--version", "version":
            console.out.write("synm \(synmVersion)\n")
            return ExitCode.ok.rawValue
        default:
            if let command = commands.first(where: { $0.name == first }) {
                return command.run(rest, console).rawValue
            }
            if Help.plannedCommands.contains(first) {
                console.err.write("synm: error: '\(first)' is not available in synm \(synmVersion) yet\n")
                console.err.write("hint: 'synm --help' lists the commands this version has\n")
                return ExitCode.usage.rawValue
            }
            return unknownCommand(first, console: console)
        }
    }

    /// Every command, in the order the overview lists them: the dispatcher's table (tests
    /// check that each has its help).
    static let commands: [(name: String, run: @Sendable ([String], Console) -> ExitCode)] = [
        ("check", { CheckCommand.run($0, console: $1) }),
        ("run", { RunCommand.run($0, console: $1) }),
        ("logprob", { LogprobCommand.run($0, console: $1) }),
        ("optimize", { OptimizeCommand.run($0, console: $1) }),
        ("variational", { VariationalCommand.run($0, console: $1) }),
        ("fisher", { FisherCommand.run($0, console: $1) }),
        ("audit", { AuditCommand.run($0, console: $1) }),
        ("simulate", { SimulateCommand.run($0, console: $1) }),
        ("sbc", { SbcCommand.run($0, console: $1) }),
        ("reflect", { ReflectCommand.run($0, console: $1) }),
        ("repl", { ReplCommand.run($0, console: $1) }),
        ("report", { ReportCommand.run($0, console: $1) }),
        ("merge", { MergeCommand.run($0, console: $1) }),
        ("predict", { PredictCommand.run($0, console: $1) }),
        ("loo", { LooCommand.run($0, console: $1) }),
    ]

    static func unknownCommand(_ name: String, console: Console) -> Int32 {
        console.err.write("synm: error: unknown command '\(name)'\n")
        if let m = closestMatch(to: name, among: Help.commandNames + Help.plannedCommands) {
            console.err.write("hint: did you mean '\(m)'?\n")
        } else {
            console.err.write("hint: 'synm --help' lists the commands\n")
        }
        return ExitCode.usage.rawValue
    }

    /// Prints a usage error and returns the usage exit code.
    static func usageError(_ e: UsageError, command: String, console: Console) -> ExitCode {
        console.err.write("synm \(command): error: \(e.message)\n")
        if let hint = e.hint { console.err.write("hint: \(hint)\n") }
        console.err.write("usage: \(Help.usageLine(command))\n")
        return .usage
    }
}
