// The front end's entry point: source file → tokens → syntax tree → checked model.
import SynmDiagnostics

/// The result of running the front end on one file.
public struct FrontendResult: Sendable {
    /// The checked model; `nil` when there were syntax errors (the checker did not run).
    public var model: CheckedModel?
    /// Everything reported, in source order within each phase.
    public var diagnostics: [Diagnostic]
    /// The tokens, for `--dump-tokens`.
    public var tokens: [Token]
    /// The syntax tree, when parsing succeeded.
    public var program: Program?
}

/// Lexes, parses and checks a model. The checker runs only when the syntax is clean, so
/// its messages are never echoes of a syntax error.
public func checkModel(_ file: SourceFile) -> FrontendResult {
    var lexer = Lexer(file: file)
    let tokens = lexer.tokenize()
    var parser = Parser(tokens: tokens)
    let program = parser.parseProgram()
    let syntax = lexer.diagnostics + parser.diagnostics
    if syntax.hasErrors {
        let sorted = syntax.sorted { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) }
        return FrontendResult(model: nil, diagnostics: sorted, tokens: tokens, program: program)
    }
    let checker = Checker()
    let model = checker.check(program)
    return FrontendResult(model: model, diagnostics: syntax + checker.diagnostics, tokens: tokens, program: program)
}
