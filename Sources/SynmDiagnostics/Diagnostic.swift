// Diagnostics are values: a severity, a stable code, a message, a span and optional hint
// and notes. Only DiagnosticRenderer turns them into text.

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable {
    case error, warning, note
    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.note, .warning, .error]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// One message about a model or its data.
public struct Diagnostic: Sendable, Equatable {
    public var severity: Severity
    /// A stable identifier, e.g. `"parse.expected"`, `"sema.undefined-name"`.
    public var code: String
    /// Short, lowercase and specific: "expected ')' after arguments".
    public var message: String
    /// Where it applies; `nil` for diagnostics about a file as a whole.
    public var span: SourceSpan?
    /// A suggestion printed under the excerpt ("did you mean `beta`?").
    public var hint: String?
    /// Further explanation lines.
    public var notes: [String]

    public init(
        _ severity: Severity, code: String, _ message: String, at span: SourceSpan?,
        hint: String? = nil, notes: [String] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.span = span
        self.hint = hint
        self.notes = notes
    }

    /// An error diagnostic.
    public static func error(
        _ code: String, _ message: String, at span: SourceSpan?, hint: String? = nil,
        notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: span, hint: hint, notes: notes)
    }

    /// A warning diagnostic.
    public static func warning(
        _ code: String, _ message: String, at span: SourceSpan?, hint: String? = nil,
        notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: span, hint: hint, notes: notes)
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
    /// The number of diagnostics of a severity.
    public func count(_ severity: Severity) -> Int { filter { $0.severity == severity }.count }
}

/// A usage error: the command line asks for something that cannot be done (exit 64).
public struct UsageError: Error, Sendable {
    public var message: String
    public var hint: String?
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
