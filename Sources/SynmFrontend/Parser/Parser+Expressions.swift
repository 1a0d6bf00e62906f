// Grammar section "Expressions": precedence climbing, loosest first. A line ending in a
// binary operator continues on the next line; inside ( ) and [ ] newlines are ignored.
import SynmDiagnostics

extension Parser {
    /// expression = logical_or ;
    mutating func parseExpression() throws -> Expr {
        try enterNesting(peekToken().span)
        defer { leaveNesting() }
        return try parseLogicalOr()
    }

    /// Left-associative binary level: `operand { op operand }`.
    private mutating func parseLeftAssociative(
        _ ops: [Symbol: BinaryOp], operand: (inout Parser) throws -> Expr
    ) throws -> Expr {
        var lhs = try operand(&self)
        while case .symbol(let s) = peekToken().kind, let op = ops[s] {
            advance()
            skipNewlines()
            let rhs = try operand(&self)
            lhs = try verifyDepth(Expr(.binary(op, lhs, rhs), span: lhs.span.union(rhs.span)))
        }
        return lhs
    }

    /// logical_or = logical_and { "||" logical_and } ;
    mutating func parseLogicalOr() throws -> Expr {
        try parseLeftAssociative([.or: .or]) { try $0.parseLogicalAnd() }
    }

    /// logical_and = equality { "&&" equality } ;
    mutating func parseLogicalAnd() throws -> Expr {
        try parseLeftAssociative([.and: .and]) { try $0.parseEquality() }
    }

    /// equality = comparison { ( "==" | "!=" ) comparison } ;
    mutating func parseEquality() throws -> Expr {
        try parseLeftAssociative([.equalEqual: .equal, .notEqual: .notEqual]) { try $0.parseComparison() }
    }

    /// comparison = additive { ( "<" | "<=" | ">" | ">=" ) additive } ;
    mutating func parseComparison() throws -> Expr {
        try parseLeftAssociative(
            [.less: .less, .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual]
        ) { try $0.parseAdditive() }
    }

    /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
    mutating func parseAdditive() throws -> Expr {
        try parseLeftAssociative([.plus: .add, .minus: .subtract]) { try $0.parseMultiplicative() }
    }

    /// multiplicative = unary { ( "*" | "/" | ".*" | "./" ) unary } ;
    /// `a .* b` and `a ./ b` are Stan's element-wise product and quotient: they read as the
    /// calls `elt_multiply(a, b)` and `elt_divide(a, b)`.
    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        while case .symbol(let s) = peekToken().kind, [.star, .slash, .dotStar, .dotSlash].contains(s) {
            let opSpan = advance().span
            skipNewlines()
            let rhs = try parseUnary()
            let span = lhs.span.union(rhs.span)
            switch s {
            case .star: lhs = try verifyDepth(Expr(.binary(.multiply, lhs, rhs), span: span))
            case .slash: lhs = try verifyDepth(Expr(.binary(.divide, lhs, rhs), span: span))
            default:
                let name = s == .dotStar ? "elt_multiply" : "elt_divide"
                lhs = try verifyDepth(Expr(.call(name: name, nameSpan: opSpan, args: [Argument(value: lhs), Argument(value: rhs)],
                                                 conditioned: false), span: span))
            }
        }
        return lhs
    }

    /// unary = ( "-" | "+" | "!" ) unary | power ;
    mutating func parseUnary() throws -> Expr {
        let t = peekToken()
        let op: UnaryOp?
        switch t.kind {
        case .symbol(.minus): op = .negate
        case .symbol(.plus): op = .plus
        case .symbol(.not): op = .not
        default: op = nil
        }
        guard let op else { return try parsePower() }
        try enterNesting(t.span)
        defer { leaveNesting() }
        advance()
        let operand = try parseUnary()
        return try verifyDepth(Expr(.unary(op, operand), span: t.span.union(operand.span)))
    }

    /// power = postfix [ "^" unary ] ;   (right-associative; -x^2 is -(x^2))
    mutating func parsePower() throws -> Expr {
        let base = try parsePostfix()
        guard check(.caret) else { return base }
        advance()
        skipNewlines()
        try enterNesting(base.span)
        defer { leaveNesting() }
        let exponent = try parseUnary()
        return try verifyDepth(Expr(.binary(.power, base, exponent), span: base.span.union(exponent.span)))
    }

    /// postfix = primary { "[" expression { "," expression } "]" | "'" } ;
    /// `x'` (Stan's transposition) reads as the call `transpose(x)`.
    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        // An index must follow on the same line: `x` then a new line starting `[` is not indexing.
        while true {
            if case .symbol(.quote) = tokens[index].kind {
                let q = advance().span
                e = try verifyDepth(Expr(.call(name: "transpose", nameSpan: q, args: [Argument(value: e)], conditioned: false),
                                         span: e.span.union(q)))
                continue
            }
            guard case .symbol(.lbracket) = tokens[index].kind else { break }
            advance()
            newlinesIgnored.append(true)
            var indices: [Expr] = []
            repeat {
                indices.append(try parseExpression())
            } while match(.comma)
            let close = try expect(.rbracket, "to close the index")
            newlinesIgnored.removeLast()
            e = try verifyDepth(Expr(.index(e, indices), span: e.span.union(close.span)))
        }
        return e
    }

    /// primary = INT | REAL | IDENT | call | "(" expression ")" | array_literal ;
    mutating func parsePrimary() throws -> Expr {
        let t = peekToken()
        switch t.kind {
        case .intLiteral(let v):
            advance()
            return Expr(.intLiteral(v), span: t.span)
        case .realLiteral(let v):
            advance()
            return Expr(.realLiteral(v), span: t.span)
        case .stringLiteral(let s):
            advance()
            return Expr(.string(s), span: t.span)
        case .identifier(let name):
            advance()
            if case .symbol(.lparen) = tokens[index].kind { return try parseCall(name: name, nameSpan: t.span) }
            return Expr(.name(name), span: t.span)
        case .symbol(.lparen):
            advance()
            newlinesIgnored.append(true)
            let inner = try parseExpression()
            let close = try expect(.rparen, "to close '('")
            newlinesIgnored.removeLast()
            var e = inner
            e.span = t.span.union(close.span)
            return e
        case .symbol(.lbracket):
            return try parseArrayLiteral()
        case .keyword(let k):
            throw ParseError(diagnostic: .error(
                "parse.syntax", "expected an expression, found keyword '\(k.rawValue)'", at: t.span))
        default:
            throw error("expected an expression")
        }
    }

    /// call = IDENT "(" [ arguments ] ")" ;
    mutating func parseCall(name: String, nameSpan: SourceSpan) throws -> Expr {
        let c = try parseCallTail(name: name, nameSpan: nameSpan)
        return try verifyDepth(Expr(.call(name: name, nameSpan: nameSpan, args: c.args, conditioned: c.conditioned),
                                    span: c.span))
    }

    /// arguments = argument { ( "," | "|" ) argument } ;   ("|" only after the first, in `_lpdf` calls)
    mutating func parseArguments() throws -> (args: [Argument], conditioned: Bool) {
        var args: [Argument] = []
        var conditioned = false
        if check(.rparen) { return (args, false) }
        while true {
            args.append(try parseArgument())
            if args.count == 1, match(.bar) {
                conditioned = true
                continue
            }
            if !match(.comma) { return (args, conditioned) }
        }
    }

    /// argument = [ IDENT "=" ] ( lambda | expression ) ;
    mutating func parseArgument() throws -> Argument {
        if case .identifier(let label) = peekToken().kind, case .symbol(.assign) = tokens[index + 1].kind {
            let labelSpan = advance().span
            advance()
            return Argument(label: label, labelSpan: labelSpan, value: try parseLambdaOrExpression())
        }
        return Argument(value: try parseLambdaOrExpression())
    }

    mutating func parseLambdaOrExpression() throws -> Expr {
        if case .identifier = peekToken().kind, index + 1 < tokens.count, case .symbol(.arrow) = tokens[index + 1].kind {
            return try parseLambda()
        }
        return try parseExpression()
    }

    /// lambda = IDENT "->" expression ;
    mutating func parseLambda() throws -> Expr {
        let name = advance()
        guard case .identifier(let parameter) = name.kind else { throw error("expected a parameter name before '->'") }
        advance()
        try enterNesting(name.span)
        defer { leaveNesting() }
        let body = try parseExpression()
        return Expr(.lambda(parameter: parameter, parameterSpan: name.span, body: body), span: name.span.union(body.span))
    }

    /// The `( arguments )` part of a call, distribution or generator.
    mutating func parseCallTail(name: String, nameSpan: SourceSpan) throws -> DistCall {
        guard check(.lparen) else {
            throw error("expected '(' after '\(name)'")
        }
        try enterNesting(nameSpan)
        defer { leaveNesting() }
        advance()
        newlinesIgnored.append(true)
        let (args, conditioned) = try parseArguments()
        let close = try expect(.rparen, "to close the arguments of '\(name)'")
        newlinesIgnored.removeLast()
        return DistCall(name: name, nameSpan: nameSpan, args: args, span: nameSpan.union(close.span),
                        conditioned: conditioned)
    }

    /// array_literal = "[" [ expression { "," expression } ] "]" ;
    mutating func parseArrayLiteral() throws -> Expr {
        let open = advance().span
        try enterNesting(open)
        defer { leaveNesting() }
        newlinesIgnored.append(true)
        var elements: [Expr] = []
        if !check(.rbracket) {
            repeat {
                if check(.rbracket) { break }  // a trailing comma is fine
                elements.append(try parseExpression())
            } while match(.comma)
        }
        let close = try expect(.rbracket, "to close the array")
        newlinesIgnored.removeLast()
        return try verifyDepth(Expr(.array(elements), span: open.union(close.span)))
    }
}
