// Problems with a model's data (or with evaluating the model), located in the data file,
// the model, or both, so the driver can print `FILE:LINE:COL: error: …`.
import SynmDiagnostics
import SynmIO

/// A data or runtime problem with enough location to print a clear message.
public struct DataIssue: Error, Sendable, Equatable {
    public var severity: Severity
    /// Short, lowercase, names the variable and index: "sigma[2] is -1, but sigma is declared <lower=0>".
    public var message: String
    /// The data variable concerned, if any.
    public var variable: String?
    /// Where in the data file (for JSON data), if known.
    public var dataLocation: TextLocation?
    /// The declaration or statement in the model it concerns, if any.
    public var modelSpan: SourceSpan?
    public var hint: String?

    public init(_ message: String, variable: String? = nil, dataLocation: TextLocation? = nil,
                modelSpan: SourceSpan? = nil, hint: String? = nil) {
        self.init(.error, message, variable: variable, dataLocation: dataLocation, modelSpan: modelSpan, hint: hint)
    }

    public init(_ severity: Severity, _ message: String, variable: String? = nil,
                dataLocation: TextLocation? = nil, modelSpan: SourceSpan? = nil, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.variable = variable
        self.dataLocation = dataLocation
        self.modelSpan = modelSpan
        self.hint = hint
    }
}

/// A failure while compiling or evaluating a checked model with bound data.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var span: SourceSpan?
    public var hint: String?
    /// A limit of size or work was reached (a loop too long for one evaluation): not the
    /// parameters' doing, whatever their values.
    public var isLimit = false
    /// An input file the model names (a generator model) is missing or unreadable (exit 66).
    public var isMissingInput = false
    public init(_ message: String, span: SourceSpan? = nil, hint: String? = nil) {
        self.message = message
        self.span = span
        self.hint = hint
    }
    public var description: String { message }
}
