// Grammar section "Program and declarations".
import SynmDiagnostics

extension Parser {
    /// program = { item ( NEWLINE | ";" ) } EOF ;
    public mutating func parseProgram() -> Program {
        var statements: [Stmt] = []
        while true {
            skipNewlines()
            if case .eof = tokens[index].kind { break }
            if tooManyErrors {
                diagnostics.append(.error("parse.too-many-errors", "too many errors; stopping here",
                                          at: tokens[index].span))
                break
            }
            if check(.rbrace) {
                record(error("unexpected '}' with no open block"))
                advance()
                continue
            }
            if let s = parseItemRecovering(topLevel: true) { statements.append(s) }
        }
        return Program(statements: statements)
    }

    /// Parses one item and its terminator; on error records it and resynchronises.
    mutating func parseItemRecovering(topLevel: Bool) -> Stmt? {
        let savedStack = newlinesIgnored.count
        let savedNesting = nesting
        do {
            let s = try parseItem(topLevel: topLevel)
            try parseTerminator()
            return s
        } catch let e as ParseError {
            newlinesIgnored.removeLast(newlinesIgnored.count - savedStack)
            nesting = savedNesting
            record(e)
            synchronize()
            return nil
        } catch {
            return nil
        }
    }

    /// terminator = NEWLINE | ";" | EOF | (before) "}" ;
    mutating func parseTerminator() throws {
        let t = tokens[index]
        switch t.kind {
        case .newline, .symbol(.semicolon): index += 1
        case .eof, .symbol(.rbrace): return
        default: throw error("expected end of line after the statement")
        }
    }

    /// item = data_decl | param_decl | let_decl | var_decl | synthetic_decl | predict_decl
    ///      | function_decl | statement ;
    mutating func parseItem(topLevel: Bool) throws -> Stmt {
        let t = peekToken()
        if case .keyword(let k) = t.kind {
            switch k {
            case .data, .param, .synthetic, .predict:
                if !topLevel {
                    throw ParseError(diagnostic: .error(
                        "parse.declaration-in-block", "'\(k.rawValue)' declarations are only allowed at the top level",
                        at: t.span, hint: "move it out of the block; use `var` for a local"))
                }
                switch k {
                case .data: return try parseDataDecl()
                case .param: return try parseParamDecl()
                case .synthetic: return try parseSyntheticDecl()
                default: return try parsePredictDecl()
                }
            case .let: return try parseLetDecl()
            case .var: return try parseVarDecl()
            case .fn:
                if !topLevel {
                    throw ParseError(diagnostic: .error(
                        "parse.declaration-in-block", "functions are declared only at the top level", at: t.span,
                        hint: "move `fn` out of the block, above its first use"))
                }
                return try parseFunctionDecl()
            default: break
            }
        }
        return try parseStatement()
    }

    /// data_decl = "data" IDENT ":" type [ "=" expression ] ;
    mutating func parseDataDecl() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a data name after 'data'")
        try expect(.colon, "after the data name (write `data \(name): real`)")
        let type = try parseType()
        var value: Expr?
        if match(.assign) {
            skipNewlines()
            value = try parseExpression()
        }
        let end = value?.span ?? type.span
        return Stmt(.data(name: name, type: type, value: value), span: start.union(end), nameSpan: nameSpan)
    }

    /// param_decl = "param" IDENT ":" type ;
    mutating func parseParamDecl() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a parameter name after 'param'")
        try expect(.colon, "after the parameter name (write `param \(name): real`)")
        let type = try parseType()
        return Stmt(.param(name: name, type: type), span: start.union(type.span), nameSpan: nameSpan)
    }

    /// let_decl = "let" IDENT [ ":" type ] "=" expression ;
    mutating func parseLetDecl() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a name after 'let'")
        var type: TypeSyntax?
        if match(.colon) { type = try parseType() }
        try expect(.assign, "after the name in a `let` (write `let \(name) = expression`)")
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.let(name: name, type: type, value: value), span: start.union(value.span), nameSpan: nameSpan)
    }

    /// var_decl = "var" IDENT ":" type [ "=" expression ] ;
    mutating func parseVarDecl() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a name after 'var'")
        try expect(.colon, "after the name in a `var` (write `var \(name): real[N]`)")
        let type = try parseType()
        var value: Expr?
        if match(.assign) {
            skipNewlines()
            value = try parseExpression()
        }
        return Stmt(.var(name: name, type: type, value: value), span: start.union(value?.span ?? type.span),
                    nameSpan: nameSpan)
    }

    /// synthetic_decl = "synthetic" IDENT { "," IDENT } ":" type "=" generator ;
    mutating func parseSyntheticDecl() throws -> Stmt {
        let start = advance().span
        var names: [String] = []
        var spans: [SourceSpan] = []
        repeat {
            let (name, nameSpan) = try expectIdentifier("a name after 'synthetic'")
            names.append(name)
            spans.append(nameSpan)
        } while match(.comma)
        let name = names[0]
        try expect(.colon, "after the synthetic node's name (write `synthetic \(name): real[200] = bootstrap(y)`)")
        let type = try parseType()
        try expect(.assign, "before the generator (write `= bootstrap(y)`)")
        skipNewlines()
        let generator = try parseGenerator()
        return Stmt(.synthetic(names: names, nameSpans: spans, type: type, generator: generator),
                    span: start.union(generator.span), nameSpan: spans[0])
    }

    /// generator = IDENT "(" [ arguments ] ")" ;
    mutating func parseGenerator() throws -> DistCall {
        let (name, nameSpan) = try expectIdentifier("a generator such as `bootstrap(y)`")
        return try parseCallTail(name: name, nameSpan: nameSpan)
    }

    /// predict_decl = "predict" IDENT [ ":" type ] "~" distribution [ truncation ] ;
    mutating func parsePredictDecl() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a name after 'predict'")
        var type: TypeSyntax?
        if match(.colon) { type = try parseType() }
        try expect(.tilde, "after the predict node's name (write `predict \(name) ~ normal(mu, sigma)`)")
        skipNewlines()
        var dist = try parseDistribution()
        if case .identifier("T") = peekToken().kind, index + 1 < tokens.count,
           case .symbol(.lbracket) = tokens[index + 1].kind {
            dist.truncation = try parseTruncation()
        }
        return Stmt(.predict(name: name, type: type, dist: dist), span: start.union(dist.truncation?.span ?? dist.span),
                    nameSpan: nameSpan)
    }
}
