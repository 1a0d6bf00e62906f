// Exit codes, following BSD sysexits (as jlox and many compilers do).

/// The process exit status of a command.
public enum ExitCode: Int32, Sendable, Error {
    case ok = 0
    /// The command line was wrong (sysexits EX_USAGE).
    case usage = 64
    /// The model or its data has errors (EX_DATAERR).
    case modelError = 65
    /// An input file does not exist or cannot be read (EX_NOINPUT).
    case noInput = 66
    /// Something failed while running (EX_SOFTWARE).
    case runtime = 70
    /// An output file could not be written (EX_CANTCREAT).
    case cannotCreate = 73
}
