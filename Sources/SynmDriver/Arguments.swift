// A small command-line parser: positionals, `--flag`, `--option value`, `--option=value`.
import SynmDiagnostics

/// A usage error with the message to print.
public struct UsageError: Error, Sendable {
    public var message: String
    public var hint: String?
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// Parsed arguments of one command.
public struct Arguments: Sendable {
    public var positionals: [String] = []
    public var flags: Set<String> = []
    public var options: [String: String] = [:]

    /// Parses `args` against the command's known flags and options (names without `--`).
    public init(_ args: [String], flags known: Set<String>, options knownOptions: Set<String>) throws {
        var i = 0
        var onlyPositionals = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || !a.hasPrefix("-") || a == "-" {
                positionals.append(a)
                continue
            }
            if a == "--" {
                onlyPositionals = true
                continue
            }
            guard a.hasPrefix("--") else {
                if a == "-h" {
                    flags.insert("help")
                    continue
                }
                throw UsageError("unknown option '\(a)'", hint: "options are spelled with two dashes, e.g. --json")
            }
            var name = String(a.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if known.contains(name) {
                if value != nil { throw UsageError("option '--\(name)' takes no value") }
                flags.insert(name)
            } else if knownOptions.contains(name) {
                if value == nil {
                    guard i < args.count else { throw UsageError("option '--\(name)' needs a value") }
                    value = args[i]
                    i += 1
                }
                options[name] = value
            } else {
                let all = Array(known) + Array(knownOptions)
                let hint = closestMatch(to: name, among: all.sorted()).map { "did you mean '--\($0)'?" }
                throw UsageError("unknown option '--\(name)'", hint: hint)
            }
        }
    }
}

extension Arguments {
    /// The point options of fisher and audit: `--at mle` or `--params P.json`, not both.
    func verifyPoint() throws {
        if let at = options["at"], at != "mle" {
            throw UsageError("--at takes 'mle', got '\(at)'", hint: "give another point with --params P.json")
        }
        if options["at"] != nil, options["params"] != nil {
            throw UsageError("give either --at mle or --params P.json, not both")
        }
    }
}

/// How a command that takes one MODEL begins: its arguments parsed, `--help` answered,
/// exactly one MODEL required — or the exit code when it ends there.
enum CommandStart {
    case proceed(Arguments, model: String)
    case exit(ExitCode)

    init(_ args: [String], command: String, flags: Set<String>, options: Set<String>, console: Console) {
        let parsed: Arguments
        do {
            parsed = try Arguments(args, flags: flags.union(["help"]), options: options)
        } catch let e as UsageError {
            self = .exit(Driver.usageError(e, command: command, console: console))
            return
        } catch {
            self = .exit(.usage)
            return
        }
        if parsed.flags.contains("help") {
            console.out.write(Help.command(command) ?? Help.overview)
            self = .exit(.ok)
            return
        }
        guard parsed.positionals.count == 1 else {
            let message = parsed.positionals.isEmpty ? "missing MODEL" : "expected one MODEL, got \(parsed.positionals.count)"
            self = .exit(Driver.usageError(UsageError(message), command: command, console: console))
            return
        }
        do {
            try OutputSafety.verify(command: command, model: parsed.positionals[0], parsed)
        } catch let e as UsageError {
            self = .exit(Driver.usageError(e, command: command, console: console))
            return
        } catch {
            self = .exit(.usage)
            return
        }
        self = .proceed(parsed, model: parsed.positionals[0])
    }
}
