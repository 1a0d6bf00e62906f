// Grammar section "Statements".
import SynmDiagnostics

extension Parser {
    /// statement = target_stmt | for_stmt | if_stmt | return_stmt | tilde_stmt | assign_stmt ;
    mutating func parseStatement() throws -> Stmt {
        let t = peekToken()
        if case .keyword(let k) = t.kind {
            switch k {
            case .target: return try parseTargetStmt()
            case .for: return try parseForStmt()
            case .if: return try parseIfStmt()
            case .return: return try parseReturnStmt()
            case .else:
                throw ParseError(diagnostic: .error("parse.syntax", "'else' without a matching 'if'", at: t.span))
            case .real, .int:
                throw ParseError(diagnostic: .error(
                    "parse.syntax", "a statement cannot start with the type '\(k.rawValue)'", at: t.span,
                    hint: "declare with `data`, `param` or `var`, e.g. `param x: \(k.rawValue)`"))
            default: break
            }
        }
        let lhs = try parseExpression()
        if check(.tilde) { return try parseTildeStmt(lhs: lhs) }
        if check(.assign) { return try parseAssignStmt(lhs: lhs) }
        if check(.plusAssign) {
            throw error("'+=' is only for `target += expression`",
                        hint: "write `x = x + value` for a `var`")
        }
        throw error("expected '~' or '=' after the expression")
    }

    /// tilde_stmt = expression "~" distribution [ truncation ] [ footing ] ;
    mutating func parseTildeStmt(lhs: Expr) throws -> Stmt {
        advance()  // ~
        skipNewlines()
        var dist = try parseDistribution()
        if case .identifier("T") = peekToken().kind, index + 1 < tokens.count,
           case .symbol(.lbracket) = tokens[index + 1].kind {
            dist.truncation = try parseTruncation()
        }
        var footing: Footing?
        if check(.footing) { footing = try parseFooting() }
        let end = footing?.span ?? dist.truncation?.span ?? dist.span
        return Stmt(.tilde(lhs: lhs, dist: dist, footing: footing), span: lhs.span.union(end))
    }

    /// truncation = "T" "[" [ expression ] "," [ expression ] "]" ;
    mutating func parseTruncation() throws -> Truncation {
        let start = advance().span  // T
        _ = try expect(.lbracket, "'[' after T")
        newlinesIgnored.append(true)
        defer { newlinesIgnored.removeLast() }
        let lower = check(.comma) ? nil : try parseExpression()
        _ = try expect(.comma, "',' between the truncation bounds: T[L, U], T[L, ] or T[, U]")
        let upper = check(.rbracket) ? nil : try parseExpression()
        let close = try expect(.rbracket, "']' after the truncation bounds")
        return Truncation(lower: lower, upper: upper, span: start.union(close.span))
    }

    /// distribution = IDENT "(" [ arguments ] ")" ;
    mutating func parseDistribution() throws -> DistCall {
        let (name, nameSpan) = try expectIdentifier("a distribution such as `normal(mu, sigma)`")
        return try parseCallTail(name: name, nameSpan: nameSpan)
    }

    /// footing = "footing" ( "equal" | "cap" | "calibrated" | "power" "(" expression ")" [ "normalized" ]
    ///         | "weight" "(" expression ")" ) ;
    mutating func parseFooting() throws -> Footing {
        let start = advance().span
        let t = peekToken()
        guard case .identifier(let word) = t.kind else {
            throw error("expected a footing after 'footing': equal, cap, calibrated, power(a) or weight(expr)")
        }
        let words = ["equal", "cap", "calibrated", "power", "weight"]
        switch word {
        case "equal":
            advance()
            return Footing(kind: .equal, span: start.union(t.span))
        case "cap":
            advance()
            return Footing(kind: .cap, span: start.union(t.span))
        case "calibrated":
            advance()
            return Footing(kind: .calibrated, span: start.union(t.span))
        case "power", "weight":
            advance()
            try expect(.lparen, "after '\(word)' (write `\(word)(0.5)`)")
            newlinesIgnored.append(true)
            let value = try parseExpression()
            let close = try expect(.rparen, "to close '\(word)('")
            newlinesIgnored.removeLast()
            if word == "weight" { return Footing(kind: .weight(value), span: start.union(close.span)) }
            var span = start.union(close.span)
            var normalized = false
            if case .identifier("normalized") = peekToken().kind {
                span = span.union(advance().span)
                normalized = true
            }
            return Footing(kind: .power(value, normalized: normalized), span: span)
        default:
            let hint = closestMatch(to: word, among: words).map { "did you mean '\($0)'?" }
                ?? "the footings are equal, cap, calibrated, power(a) and weight(expr)"
            throw ParseError(diagnostic: .error("parse.unknown-footing", "unknown footing '\(word)'", at: t.span,
                                                hint: hint))
        }
    }

    /// target_stmt = "target" "+=" expression ;
    mutating func parseTargetStmt() throws -> Stmt {
        let start = advance().span
        try expect(.plusAssign, "after 'target' (write `target += expression`)")
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.target(value), span: start.union(value.span))
    }

    /// assign_stmt = expression "=" expression ;   (the left side must name a `var`)
    mutating func parseAssignStmt(lhs: Expr) throws -> Stmt {
        advance()  // =
        skipNewlines()
        let value = try parseExpression()
        return Stmt(.assign(lhs: lhs, value: value), span: lhs.span.union(value.span))
    }

    /// for_stmt = "for" IDENT "in" range block ;
    mutating func parseForStmt() throws -> Stmt {
        let start = advance().span
        let (name, nameSpan) = try expectIdentifier("a loop variable after 'for'")
        guard match(.in) else { throw error("expected 'in' after the loop variable (write `for \(name) in 1..N`)") }
        let (lower, upper) = try parseRange()
        let (body, end) = try parseBlock()
        return Stmt(.forLoop(variable: name, variableSpan: nameSpan, lower: lower, upper: upper, body: body),
                    span: start.union(end))
    }

    /// range = expression ".." expression ;
    mutating func parseRange() throws -> (Expr, Expr) {
        let lower = try parseExpression()
        guard match(.dotDot) else { throw error("expected '..' in the loop range (write `1..N`)") }
        skipNewlines()
        let upper = try parseExpression()
        return (lower, upper)
    }

    /// if_stmt = "if" expression block [ "else" ( if_stmt | block ) ] ;
    mutating func parseIfStmt() throws -> Stmt {
        let start = advance().span
        let condition = try parseExpression()
        let (then, thenEnd) = try parseBlock()
        var end = thenEnd
        var otherwise: [Stmt]?
        // `else` may sit on the next line after the closing brace.
        var look = index
        while case .newline = tokens[look].kind { look += 1 }
        if case .keyword(.else) = tokens[look].kind {
            index = look + 1
            if check(.if) {
                let nested = try parseIfStmt()
                otherwise = [nested]
                end = nested.span
            } else {
                let (body, e) = try parseBlock()
                otherwise = body
                end = e
            }
        }
        return Stmt(.ifElse(condition: condition, then: then, otherwise: otherwise), span: start.union(end))
    }

    /// block = "{" { item ( NEWLINE | ";" ) } "}" ;
    mutating func parseBlock() throws -> ([Stmt], SourceSpan) {
        let open = peekToken()
        guard case .symbol(.lbrace) = open.kind else { throw error("expected '{' to start the block") }
        try enterNesting(open.span)
        defer { leaveNesting() }
        advance()
        newlinesIgnored.append(false)
        defer { newlinesIgnored.removeLast() }
        var body: [Stmt] = []
        while true {
            skipNewlines()
            if case .symbol(.rbrace) = tokens[index].kind {
                let close = tokens[index]
                index += 1
                return (body, close.span)
            }
            if case .eof = tokens[index].kind {
                throw ParseError(diagnostic: .error("parse.unclosed-block", "missing '}' to close this block",
                                                    at: open.span))
            }
            if tooManyErrors { throw ParseError(diagnostic: .error("parse.too-many-errors",
                                                                   "too many errors; stopping here", at: tokens[index].span)) }
            if let s = parseItemRecovering(topLevel: false) { body.append(s) }
        }
    }
}
