// One expression on its own (the REPL's posterior expressions, `mean(theta[1])`): the
// expression rule of the grammar, then the end of the input.
import SynmDiagnostics

extension Parser {
    /// standalone_expression = expression EOF ;
    ///
    /// Lexes and parses `file` as a single expression followed only by the end of the input.
    /// Returns the expression, or else the first lexical or syntax error.
    public static func parseStandaloneExpression(_ file: SourceFile) -> (expression: Expr?, error: Diagnostic?) {
        var lexer = Lexer(file: file)
        let tokens = lexer.tokenize()
        if let d = lexer.diagnostics.first(where: { $0.severity == .error }) { return (nil, d) }
        var parser = Parser(tokens: tokens)
        do {
            let e = try parser.parseExpression()
            parser.skipNewlines()
            if case .eof = parser.tokens[parser.index].kind { return (e, nil) }
            throw parser.error("unexpected \(parser.tokens[parser.index].description) after the expression")
        } catch let e as ParseError {
            return (nil, e.diagnostic)
        } catch {
            return (nil, Diagnostic.error("parse.syntax", "cannot parse the expression", at: nil))
        }
    }
}
