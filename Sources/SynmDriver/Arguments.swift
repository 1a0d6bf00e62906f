// A small command-line parser: positionals, `--flag`, `--option value`, `--option=value`.
import SynmSynthetic
import SynmDiagnostics

/// A usage error with the message to print.

/// Parsed arguments of one command.
public struct Arguments: Sendable {
    public var positionals: [String] = []
    public var flags: Set<String> = []
    public var options: [String: String] = [:]
    /// Every value of each option, in order (`options` keeps the last).
    public var values: [String: [String]] = [:]

    /// The `--data` files, in order (several are merged).
    public var dataFiles: [String] { values["data"] ?? [] }

    /// Parses `args` against the command's known flags and options (names without `--`).
    public init(_ args: [String], flags known: Set<String>, options knownOptions: Set<String>) throws {
        var i = 0
        var onlyPositionals = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || !a.hasPrefix("-") || a == "-" {
                // CmdStan's `num_samples=1000` (or cmdstanpy's `iter_sampling=1000`) as a word.
                if !onlyPositionals, let eq = a.firstIndex(of: "="), let option = Self.synmOption(for: String(a[..<eq]),
                                                                                               flags: known, options: knownOptions) {
                    let value = a[a.index(after: eq)...]
                    throw UsageError("'\(a)' is CmdStan's spelling",
                                     hint: "synm spells it --\(option)" + (known.contains(option) ? "" : " \(value)"))
                }
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
                values[name, default: []].append(value!)
            } else {
                let all = Array(known) + Array(knownOptions)
                if let option = Self.synmOption(for: name, flags: known, options: knownOptions), option != name {
                    throw UsageError("unknown option '--\(name)'",
                                     hint: "did you mean '--\(option)'? (CmdStan's \(Self.cmdStanName(name)) is synm's --\(option))")
                }
                let hint = closestMatch(to: name, among: all.sorted()).map { "did you mean '--\($0)'?" }
                throw UsageError("unknown option '--\(name)'", hint: hint)
            }
        }
    }
}

extension Arguments {
    /// CmdStan's argument names (and cmdstanpy's keyword arguments) with synm's option for
    /// each, for "did you mean" hints.
    static let cmdStanSpellings: [String: String] = [
        "num_samples": "draws", "iter_sampling": "draws", "iter": "draws", "samples": "draws", "num_draws": "draws",
        "num_warmup": "warmup", "iter_warmup": "warmup", "num_chains": "chains", "chains": "chains",
        "seed": "seed", "random_seed": "seed", "thin": "thin", "save_warmup": "save-warmup",
        "refresh": "refresh", "sig_figs": "sig-figs", "init": "init", "inits": "init",
        "adapt_delta": "adapt-delta", "delta": "adapt-delta", "max_depth": "max-depth", "max_treedepth": "max-depth",
        "int_time": "int-time", "data": "data", "data_file": "data", "file": "data",
        "output_file": "output", "output_dir": "output", "algorithm": "sampler", "engine": "sampler",
        "num_threads": "threads", "parallel_chains": "threads", "stepsize": "stepsize", "step_size": "stepsize",
        "stepsize_jitter": "jitter", "metric": "metric", "metric_file": "metric-file", "inv_metric": "metric-file",
    ]

    /// `num_samples`, `--num-samples`, `NUM_SAMPLES` → `num_samples`.
    static func cmdStanName(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "-", with: "_")
    }

    /// synm's option (or flag) for a CmdStan spelling, when this command has it.
    static func synmOption(for name: String, flags: Set<String>, options: Set<String>) -> String? {
        guard let option = cmdStanSpellings[cmdStanName(name)], flags.contains(option) || options.contains(option) else {
            return nil
        }
        return option
    }

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

    /// The arguments parsed, or the exit code once a usage error or `--help` has been answered.
    enum Parsed {
        case proceed(Arguments)
        case exit(ExitCode)
    }

    /// Parses `args` (with `--help` always accepted) and answers a usage error or `--help`;
    /// the positionals are left to the caller (for commands that take other than one MODEL).
    static func parse(_ args: [String], command: String, flags: Set<String>, options: Set<String>,
                      console: Console) -> Parsed {
        let parsed: Arguments
        do {
            parsed = try Arguments(args, flags: flags.union(["help"]), options: options)
        } catch let e as UsageError {
            return .exit(Driver.usageError(e, command: command, console: console))
        } catch {
            return .exit(.usage)
        }
        if parsed.flags.contains("help") {
            console.out.write(Help.command(command) ?? Help.overview)
            return .exit(.ok)
        }
        return .proceed(parsed)
    }

    init(_ args: [String], command: String, flags: Set<String>, options: Set<String>, console: Console) {
        let parsed: Arguments
        switch CommandStart.parse(args, command: command, flags: flags, options: options, console: console) {
        case .exit(let code):
            self = .exit(code)
            return
        case .proceed(let p):
            parsed = p
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
