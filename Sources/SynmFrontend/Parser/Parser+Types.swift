// Grammar section "Types".
import SynmDiagnostics

extension Parser {
    /// type = ( "real" | "int" ) [ constraint ] [ dims ] | constrained_type | linear_algebra_type ;
    mutating func parseType() throws -> TypeSyntax {
        let t = peekToken()
        let base: BaseType
        switch t.kind {
        case .keyword(.real): base = .real
        case .keyword(.int): base = .int
        case .identifier(let word) where ConstrainedType(rawValue: word) != nil:
            return try parseConstrainedType()
        case .identifier(let word) where ["vector", "row_vector", "matrix"].contains(word):
            return try parseLinearAlgebraType(word)
        case .identifier(let word):
            let hint = closestMatch(to: word, among: ["real", "int", "vector", "row_vector", "matrix"] + ConstrainedType.allCases.map(\.name))
                .map { "did you mean '\($0)'?" }
                ?? "types are `real`, `int`, `vector`, `row_vector` and `matrix`, with optional bounds and sizes: `real<lower=0>[N]`"
            throw ParseError(diagnostic: .error("parse.unknown-type", "unknown type '\(word)'", at: t.span, hint: hint))
        default:
            throw error("expected a type (`real` or `int`)")
        }
        advance()
        var span = t.span
        var bounds: [Bound] = []
        if check(.less) {
            let (b, end) = try parseConstraint()
            bounds = b
            span = span.union(end)
        }
        var dims: [Expr] = []
        if check(.lbracket) {
            let (d, end) = try parseDims()
            dims = d
            span = span.union(end)
        }
        return TypeSyntax(base: base, bounds: bounds, dims: dims, span: span)
    }

    /// constrained_type = ( "simplex" | "ordered" | "positive_ordered" | "unit_vector" | "cov_matrix" | "corr_matrix" | "cholesky_factor_corr" | "cholesky_factor_cov" ) dims ;
    /// Stan's constrained types (Stan Reference Manual, "Constraint transforms"): no bounds;
    /// a square matrix's one size stands in `dims` twice (`cov_matrix[K]` is `real[K, K]`).
    mutating func parseConstrainedType() throws -> TypeSyntax {
        let t = advance()
        guard case .identifier(let word) = t.kind, let kind = ConstrainedType(rawValue: word) else {
            throw error("expected a constrained type")
        }
        if check(.less) {
            throw ParseError(diagnostic: .error("parse.constrained-bounds", "\(word) takes no bounds", at: peekToken().span,
                                                hint: "its constraint is built in; write `\(word)[K]`"))
        }
        guard check(.lbracket) else {
            throw ParseError(diagnostic: .error("parse.constrained-size", "\(word) needs a size: `\(word)[K]`", at: t.span))
        }
        var (dims, end) = try parseDims()
        if dims.count == 2 && !kind.allowsTwoSizes {
            throw ParseError(diagnostic: .error("parse.constrained-size", "\(word) takes one size, `\(word)[K]`", at: end,
                                                hint: kind.isMatrix ? "it is a K × K matrix" : nil))
        }
        if kind.isMatrix && dims.count == 1 { dims.append(dims[0]) }
        return TypeSyntax(base: .real, bounds: [], dims: dims, span: t.span.union(end), constrained: kind)
    }

    /// linear_algebra_type = ( "vector" | "row_vector" | "matrix" ) [ constraint ] dims ;
    /// Real values whose sizes are required: one for a vector, two for a matrix. The words
    /// stay contextual (not reserved), so existing names such as `matrix` keep working.
    mutating func parseLinearAlgebraType(_ word: String) throws -> TypeSyntax {
        let t = advance()
        let kind: ContainerKind = word == "vector" ? .vector : word == "row_vector" ? .rowVector : .matrix
        var span = t.span
        var bounds: [Bound] = []
        if check(.less) {
            let (b, end) = try parseConstraint()
            bounds = b
            span = span.union(end)
        }
        let wanted = kind == .matrix ? 2 : 1
        let usage = kind == .matrix ? "matrix[N, M]" : "\(word)[N]"
        guard check(.lbracket) else {
            throw ParseError(diagnostic: .error("parse.linear-algebra-size", "\(word) needs its size\(wanted == 2 ? "s" : "")",
                                                at: span, hint: "write `\(usage)`"))
        }
        let (dims, end) = try parseDims()
        span = span.union(end)
        guard dims.count == wanted else {
            throw ParseError(diagnostic: .error("parse.linear-algebra-size",
                                                "\(word) takes \(wanted == 2 ? "two sizes" : "one size"), but \(dims.count) \(dims.count == 1 ? "was" : "were") given",
                                                at: end, hint: "write `\(usage)`"))
        }
        var type = TypeSyntax(base: .real, bounds: bounds, dims: dims, span: span)
        type.kind = kind
        return type
    }

    /// constraint = "<" bound { "," bound } ">" ;
    mutating func parseConstraint() throws -> ([Bound], SourceSpan) {
        let open = advance().span
        var bounds: [Bound] = []
        repeat {
            bounds.append(try parseBound(after: bounds))
        } while match(.comma)
        let close = try expect(.greater, "to close the constraint")
        return (bounds, open.union(close.span))
    }

    /// bound = ( "lower" | "upper" ) "=" additive ;
    mutating func parseBound(after bounds: [Bound]) throws -> Bound {
        let t = peekToken()
        guard case .identifier(let word) = t.kind else {
            throw error("expected 'lower' or 'upper' in the constraint")
        }
        guard let side = Bound.Side(rawValue: word) else {
            let hint = closestMatch(to: word, among: ["lower", "upper"]).map { "did you mean '\($0)'?" }
                ?? "a constraint is `<lower=a>`, `<upper=b>` or `<lower=a, upper=b>`"
            throw ParseError(diagnostic: .error("parse.unknown-constraint", "unknown constraint '\(word)'",
                                                at: t.span, hint: hint))
        }
        if bounds.contains(where: { $0.side == side }) {
            throw ParseError(diagnostic: .error("parse.duplicate-bound", "'\(word)' is given twice", at: t.span))
        }
        advance()
        try expect(.assign, "after '\(word)' (write `\(word)=0`)")
        let value = try parseAdditive()
        return Bound(side: side, value: value, span: t.span.union(value.span))
    }

    /// dims = "[" expression { "," expression } "]" ;   (any number of sizes: `real[N, M, K]`)
    mutating func parseDims() throws -> ([Expr], SourceSpan) {
        let open = advance().span
        newlinesIgnored.append(true)
        var dims: [Expr] = []
        repeat {
            dims.append(try parseExpression())
        } while match(.comma)
        let close = try expect(.rbracket, "to close the sizes")
        newlinesIgnored.removeLast()
        return (dims, open.union(close.span))
    }
}
