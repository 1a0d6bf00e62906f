// User-defined functions: `fn name(x: real, ys: real[], k: int) -> real { … }`, Stan's
// `functions` block in synm's syntax.
import SynmDiagnostics

/// The type of a function argument or result: `real`, `int`, `real[]` (an array of any
/// size), `real[,]` (a matrix of any size). Sizes come from the call, so none is written.
public struct ArgumentType: Sendable, Equatable {
    public var base: BaseType
    /// 0 scalar, 1 array, 2 matrix.
    public var rank: Int
    public var span: SourceSpan

    public init(base: BaseType, rank: Int, span: SourceSpan) {
        self.base = base
        self.rank = rank
        self.span = span
    }

    /// `real`, `int[]`, `real[,]`.
    public var written: String {
        switch rank {
        case 0: return base.rawValue
        case 1: return "\(base.rawValue)[]"
        default: return "\(base.rawValue)[,]"
        }
    }
}

/// One argument of a function: `ys: real[]`.
public struct FunctionArgument: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var type: ArgumentType
}

/// `fn name(args) -> type { body }`.
public struct FunctionDecl: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var arguments: [FunctionArgument]
    public var result: ArgumentType
    public var body: [Stmt]
    /// The closing brace of the body (where a missing `return` is reported).
    public var closeSpan: SourceSpan

    /// `name(x: real, ys: real[]) -> real`.
    public var signature: String {
        "\(name)(\(arguments.map { "\($0.name): \($0.type.written)" }.joined(separator: ", "))) -> \(result.written)"
    }
}

extension CheckedModel {
    /// The `~` statements (at any depth) whose distribution is a user-defined density: the
    /// root name on the left and the function (`logistic_noise_lpdf`). Simulation cannot draw
    /// from them.
    public var userDensityTerms: [(variate: String, function: String)] {
        let names = Set(functions.map(\.name))
        var out: [(String, String)] = []
        func visit(_ list: [Stmt]) {
            for s in list {
                switch s.kind {
                case .tilde(let lhs, let dist, _) where builtinDistributions[dist.name] == nil:
                    if let f = [dist.name + "_lpdf", dist.name + "_lpmf"].first(where: names.contains),
                       let (root, _) = lhs.rootName {
                        out.append((root, f))
                    }
                case .forLoop(_, _, _, _, let body): visit(body)
                case .ifElse(_, let a, let b): visit(a + (b ?? []))
                default: break
                }
            }
        }
        visit(program.statements)
        return out
    }
}
