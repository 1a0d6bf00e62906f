// Grammar section "Functions": `fn name(args) -> type { body }` and `return expr`.
import SynmDiagnostics

extension Parser {
    /// function_decl = "fn" IDENT "(" [ function_argument { "," function_argument } ] ")" "->" argument_type block ;
    mutating func parseFunctionDecl() throws -> Stmt {
        let start = advance().span  // fn
        let (name, nameSpan) = try expectIdentifier("a function name after 'fn'")
        try expect(.lparen, "after the function name (write `fn \(name)(x: real) -> real { … }`)")
        newlinesIgnored.append(true)
        var arguments: [FunctionArgument] = []
        if !check(.rparen) {
            repeat {
                arguments.append(try parseFunctionArgument())
            } while match(.comma)
        }
        try expect(.rparen, "to close the arguments of '\(name)'")
        newlinesIgnored.removeLast()
        guard match(.arrow) else {
            throw error("expected '->' and the result type after the arguments (write `fn \(name)(…) -> real { … }`)")
        }
        let result = try parseArgumentType()
        let (body, close) = try parseBlock()
        let decl = FunctionDecl(name: name, nameSpan: nameSpan, arguments: arguments, result: result, body: body,
                                closeSpan: close)
        return Stmt(.function(decl), span: start.union(close), nameSpan: nameSpan)
    }

    /// function_argument = IDENT ":" argument_type ;
    mutating func parseFunctionArgument() throws -> FunctionArgument {
        let (name, nameSpan) = try expectIdentifier("an argument name")
        try expect(.colon, "after the argument name (write `\(name): real`)")
        return FunctionArgument(name: name, nameSpan: nameSpan, type: try parseArgumentType())
    }

    /// argument_type = ( "real" | "int" ) [ "[" [ "," ] "]" ] ;
    mutating func parseArgumentType() throws -> ArgumentType {
        let t = peekToken()
        let base: BaseType
        switch t.kind {
        case .keyword(.real): base = .real
        case .keyword(.int): base = .int
        case .identifier(let word):
            let hint = closestMatch(to: word, among: ["real", "int"]).map { "did you mean '\($0)'?" }
                ?? "argument and result types are `real`, `int`, `real[]` (an array) and `real[,]` (a matrix)"
            throw ParseError(diagnostic: .error("parse.unknown-type", "unknown type '\(word)'", at: t.span, hint: hint))
        default:
            throw error("expected a type (`real`, `int`, `real[]` or `real[,]`)")
        }
        advance()
        if check(.less) {
            throw ParseError(diagnostic: .error(
                "parse.argument-bounds", "function arguments and results take no bounds", at: peekToken().span,
                hint: "write `\(base.rawValue)`; check the values inside the function if you need to"))
        }
        guard check(.lbracket) else { return ArgumentType(base: base, rank: 0, span: t.span) }
        let open = advance().span
        var rank = 1
        if match(.comma) { rank = 2 }
        guard check(.rbracket) else {
            let here = peekToken().span
            throw ParseError(diagnostic: .error(
                "parse.argument-size", "sizes are not written in argument and result types", at: here,
                hint: "write `\(base.rawValue)[]` for an array or `\(base.rawValue)[,]` for a matrix; the sizes come from the call (size(ys) reads one)"))
        }
        let close = advance().span
        _ = open
        return ArgumentType(base: base, rank: rank, span: t.span.union(close))
    }

    /// return_stmt = "return" expression ;
    mutating func parseReturnStmt() throws -> Stmt {
        let start = advance().span
        let value = try parseExpression()
        return Stmt(.return(value), span: start.union(value.span))
    }
}
