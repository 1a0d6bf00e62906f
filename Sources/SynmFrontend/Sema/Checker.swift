// The checker: resolves names and roles, infers types and ranks, and enforces the rules of
// grammar/synm.ebnf (distributions, functions, synthetic nodes and footing). One pass in
// source order, since a name must be declared before it is used.
import Foundation
import SynmDiagnostics

/// What the checker learns about an expression.
struct ExprInfo {
    var type: ValueType
    /// Depends on a parameter (directly or through a let or var).
    var dependsOnParameters: Bool
    /// Mentions a synthetic node.
    var mentionsSynthetic: Bool
    /// The names of parameters it mentions directly (for footing rules).
    var mentionsParameter: Bool
}

/// Checks a parsed program.
public final class Checker {
    var symbols: [SymbolInfo] = []
    /// Innermost scope last; scope 0 is the model's top level. Values index `symbols`.
    var scopes: [[String: Int]] = [[:]]
    public private(set) var diagnostics: [Diagnostic] = []
    var statementCount = 0
    /// Divisions of an int by an int (integer division, as in Stan), each warned about once.
    var integerDivisions: Set<SourceSpan> = []
    /// Indexing expressions whose base has rank 3 or more, with the base's rank.
    var higherRankIndexes: [SourceSpan: Int] = [:]
    /// Symbol indices of `var`s assigned a parameter-dependent value.
    var paramDependentVars: Set<Int> = []
    /// Whether `NAME_rng` calls (and lets drawn with them) may be used here: only in a
    /// top-level let's value and a predict node's arguments (generated quantities).
    var randomAllowed = false
    /// Set when the expression being checked uses a random draw.
    var randomUsed = false
    /// Lets whose value is drawn at random (reported with the draws, never in the density).
    var randomSymbols: Set<Int> = []
    /// Generators whose source must have a likelihood term (checked after the pass).
    var pendingLikelihoodChecks: [(Int, SourceSpan, Generator)] = []
    /// The synthetic nodes the program declares at the top level, for the error on a
    /// generator whose source is declared further down.
    var syntheticNames: Set<String> = []
    /// User-defined functions (Checker+Functions.swift).
    var functionState = FunctionState()
    /// The runtime operation of each product or call whose meaning depends on
    /// vector/row_vector/matrix kinds (Checker+LinearAlgebra.swift), by expression span.
    var linearAlgebra: [SourceSpan: String] = [:]
    /// The kind of each expression typed as a vector, row_vector or matrix, by span (read
    /// when a call's result takes its argument's kind).
    var kindBySpan: [SourceSpan: ContainerKind] = [:]

    public init() {}

    /// Checks a program; the model is returned even when there are errors (callers look at
    /// `diagnostics.hasErrors`).
    public func check(_ program: Program) -> CheckedModel {
        for s in program.statements {
            if case .synthetic(let names, _, _, _) = s.kind { syntheticNames.formUnion(names) }
        }
        prescanFunctions(program)
        for s in program.statements { checkStatement(s, topLevel: true) }
        verifyPendingLikelihoods()
        verifyUsage()
        verifyFunctionUsage()
        let topLevel = Set(scopes[0].values)
        let ordered = symbols.indices.filter { topLevel.contains($0) }.map { symbols[$0] }
        var model = CheckedModel(program: program, symbols: ordered, statementCount: statementCount)
        model.integerDivisions = integerDivisions
        model.functions = functionState.declared.map(\.decl)
        model.linearAlgebra = linearAlgebra
        model.higherRankIndexes = higherRankIndexes
        return model
    }

    // MARK: - Diagnostics

    func error(_ code: String, _ message: String, at span: SourceSpan?, hint: String? = nil,
               notes: [String] = []) {
        diagnostics.append(.error("sema.\(code)", message, at: span, hint: hint, notes: notes))
    }

    func warning(_ code: String, _ message: String, at span: SourceSpan?, hint: String? = nil,
                 notes: [String] = []) {
        diagnostics.append(.warning("sema.\(code)", message, at: span, hint: hint, notes: notes))
    }

    // MARK: - Scopes

    func lookup(_ name: String) -> Int? {
        for scope in scopes.reversed() { if let i = scope[name] { return i } }
        return nil
    }

    /// All names visible now, for suggestions.
    var visibleNames: [String] { scopes.flatMap { $0.keys }.sorted() }

    /// Declares a name in the innermost scope; reports a clash with any visible name.
    @discardableResult
    func declare(_ info: SymbolInfo) -> Int? {
        if let existing = lookup(info.name) {
            let prior = symbols[existing]
            // `data n: int` may follow a use of `n` as an inferred size: it becomes explicit.
            if prior.role == .size, info.role == .data, info.type == .int, scopes.count == 1 {
                symbols[existing].role = .data
                symbols[existing].declaredType = info.declaredType
                symbols[existing].span = info.span
                return existing
            }
            let what = prior.role == .size ? "as a size inferred from the data" : "as \(article(prior.role))"
            error("redeclared", "'\(info.name)' is already declared \(what)", at: info.span,
                  notes: ["names must be unique; the first declaration stays in force"])
            return nil
        }
        // Distribution names live apart (after `~`), so `beta` can name a parameter, as in
        // Stan; function names cannot be reused.
        if refuseFunctionName(info) { return nil }
        if builtinFunctions[info.name] != nil {
            error("reserved-name", "'\(info.name)' is the name of a built-in function", at: info.span,
                  hint: "choose another name")
            return nil
        }
        if info.name.hasSuffix("__") {
            // Stan reserves them: the sampler's columns (lp__, accept_stat__, treedepth__, …)
            // share the namespace of the draws table, CSV and JSON.
            let base = String(info.name.dropLast(2)).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
            error("reserved-name", "'\(info.name)' ends in '__'; such names are reserved for the sampler's own columns (lp__, accept_stat__, …)",
                  at: info.span, hint: base.isEmpty ? "choose another name" : "choose another name, e.g. '\(base)'")
        }
        symbols.append(info)
        scopes[scopes.count - 1][info.name] = symbols.count - 1
        return symbols.count - 1
    }

    func article(_ role: Role) -> String {
        switch role {
        case .data: return "data"
        case .size: return "a size"
        case .param: return "a parameter"
        case .let: return "a let"
        case .var: return "a var"
        case .synthetic: return "a synthetic node"
        case .predict: return "a predict node"
        case .loopVariable: return "a loop variable"
        case .argument: return "a function argument"
        }
    }

    // MARK: - Warnings after the pass

    func verifyUsage() {
        // Unused-name warnings are noise next to errors (an erroneous use is not a use).
        guard !diagnostics.hasErrors else { return }
        for i in scopes[0].values.sorted() {
            let s = symbols[i]
            switch s.role {
            case .data where !s.used && !s.hasLikelihood:
                warning("unused-data", "data '\(s.name)' is never used", at: s.span,
                        hint: "remove it, or use it in the model")
            case .param where !s.used && !s.hasLikelihood && !(s.declaredType?.constrained?.isCompact ?? false):
                warning("unused-parameter", "parameter '\(s.name)' is never used; its posterior is flat and improper",
                        at: s.span)
            case .synthetic where !s.hasLikelihood && !s.used:
                warning("unused-synthetic", "synthetic node '\(s.name)' is generated but never used", at: s.span)
            default: break
            }
        }
    }
}
