// Synthetic nodes: generator names and arguments (DESIGN.md §2).
import SynmDiagnostics

extension Checker {
    func checkSyntheticDecl(_ s: Stmt, names: [String], spans: [SourceSpan], type t: TypeSyntax, generator call: DistCall) {
        let generator = Generator(rawValue: call.name)
        let type = checkType(t, role: .synthetic, inferSizes: generator == .external)
        if type.rank == 0 {
            error("synthetic-scalar", "a synthetic node holds rows: declare it as an array, e.g. real[200]", at: t.span)
        }
        if let generator {
            checkGeneratorArguments(generator, call: call, names: names, declared: type)
        } else {
            let hint = closestMatch(to: call.name, among: Generator.allCases.map(\.rawValue))
                .map { "did you mean '\($0)'?" }
                ?? "the generators are \(Generator.allCases.map(\.rawValue).joined(separator: ", "))"
            error("unknown-generator", "unknown generator '\(call.name)'", at: call.nameSpan, hint: hint)
            for a in call.args { _ = checkExpr(a.value) }
        }
        for (name, span) in zip(names, spans) {
            var sym = SymbolInfo(name: name, role: .synthetic, type: type, declaredType: t, span: span,
                                 dependsOnParameters: false)
            sym.generator = generator
            sym.generatorCall = call
            sym.group = names.count > 1 ? names : []
            declare(sym)
        }
    }

    /// Resolves a generator argument that must name real data; returns its symbol index.
    func dataArgument(_ e: Expr, generator: Generator) -> Int? {
        guard case .name(let n) = e.kind else {
            error("generator-source", "\(generator.rawValue) resamples declared data: give a data name here", at: e.span,
                  hint: generator.usage)
            _ = checkExpr(e)
            return nil
        }
        guard checkName(n, span: e.span) != nil, let i = lookup(n) else { return nil }
        guard symbols[i].role == .data else {
            error("generator-source", "\(generator.rawValue) is built from real data, but '\(n)' is \(article(symbols[i].role))",
                  at: e.span, hint: generator.usage)
            return nil
        }
        if symbols[i].type.rank == 0 {
            error("generator-source", "\(generator.rawValue) needs an array of rows, but '\(n)' is a scalar", at: e.span)
            return nil
        }
        return i
    }

    func checkGeneratorArguments(_ g: Generator, call: DistCall, names: [String], declared: ValueType) {
        if call.conditioned {
            error("conditioned-call", "'|' is not used in a generator", at: call.span, hint: g.usage)
            return
        }
        let positional = call.args.filter { $0.label == nil }
        let named = call.args.filter { $0.label != nil }
        func allowLabels(_ allowed: [String]) -> Bool {
            var ok = true
            var seen: Set<String> = []
            for a in named {
                let label = a.label!
                if !allowed.contains(label) {
                    let hint = closestMatch(to: label, among: allowed).map { "did you mean '\($0)'?" }
                        ?? (allowed.isEmpty ? "\(g.rawValue) takes no named arguments" : "it takes \(allowed.joined(separator: ", "))")
                    error("generator-label", "\(g.rawValue) has no argument '\(label)'", at: a.labelSpan, hint: hint)
                    ok = false
                } else if !seen.insert(label).inserted {
                    error("generator-label", "argument '\(label)' is given twice", at: a.labelSpan)
                    ok = false
                }
            }
            return ok
        }
        func expectPositional(_ n: Int) -> Bool {
            if positional.count == n { return true }
            error("arity", "\(g.rawValue) takes \(n) positional argument\(n == 1 ? "" : "s"), but \(positional.count) \(positional.count == 1 ? "was" : "were") given",
                  at: call.span, hint: g.usage)
            return false
        }
        if g != .bootstrap, names.count > 1 {
            error("synthetic-group", "only bootstrap resamples several columns jointly; declare one name here", at: call.span)
        }
        switch g {
        case .bootstrap:
            guard allowLabels([]) else { return }
            guard !positional.isEmpty else {
                error("arity", "bootstrap needs at least one data array", at: call.span, hint: g.usage)
                return
            }
            if positional.count != names.count {
                error("synthetic-group", "bootstrap of \(positional.count) column\(positional.count == 1 ? "" : "s") needs \(positional.count) name\(positional.count == 1 ? "" : "s") on the left, but \(names.count) \(names.count == 1 ? "is" : "are") declared",
                      at: call.span, hint: positional.count > 1 ? "write `synthetic xb, yb: real[200] = bootstrap(x, y)`" : nil)
            }
            for a in positional {
                if let i = dataArgument(a.value, generator: g) { verifySourceType(i, declared: declared, at: a.value.span) }
            }
        case .parametricBootstrap, .posteriorPredictive:
            guard allowLabels([]), expectPositional(1) else { return }
            if let i = dataArgument(positional[0].value, generator: g) {
                verifySourceType(i, declared: declared, at: positional[0].value.span)
                pendingLikelihoodChecks.append((i, positional[0].value.span, g))
            }
        case .reweight:
            guard allowLabels(["by"]), expectPositional(1) else { return }
            if let i = dataArgument(positional[0].value, generator: g) {
                verifySourceType(i, declared: declared, at: positional[0].value.span)
            }
            guard let by = named.first(where: { $0.label == "by" }) else {
                error("arity", "reweight needs the labels to balance: reweight(y, by = g)", at: call.span)
                return
            }
            if let gi = dataArgument(by.value, generator: g), symbols[gi].type != ValueType(.int, rank: 1) {
                error("reweight-labels", "the labels of reweight must be an int array, but '\(symbols[gi].name)' is \(symbols[gi].type.description)",
                      at: by.value.span)
            }
        case .periodic:
            guard allowLabels(["op", "period"]) else { return }
            let values = positional.map(\.value)
            let opExpr = named.first { $0.label == "op" }?.value ?? (values.count > 1 ? values[1] : nil)
            let periodExpr = named.first { $0.label == "period" }?.value ?? (values.count > 2 ? values[2] : nil)
            guard let source = values.first, let opExpr, let periodExpr, values.count <= 3 else {
                error("arity", "periodic takes a data array, an operator and a period", at: call.span, hint: g.usage)
                return
            }
            if let i = dataArgument(source, generator: g) { verifySourceType(i, declared: declared, at: source.span) }
            if case .name(let op) = opExpr.kind, periodicOperators.contains(op) {
                if op == "rotate90", declared.rank != 2 {
                    error("periodic-rotate", "rotate90 turns 2-vectors: declare the node as real[M, 2]", at: opExpr.span)
                }
            } else {
                let word: String? = { if case .name(let n) = opExpr.kind { return n } else { return nil } }()
                let hint = word.flatMap { closestMatch(to: $0, among: periodicOperators) }.map { "did you mean '\($0)'?" }
                    ?? "the operators are \(periodicOperators.joined(separator: ", "))"
                error("periodic-operator", "unknown periodic operator\(word.map { " '\($0)'" } ?? "")", at: opExpr.span, hint: hint)
            }
            if let info = checkExpr(periodExpr) {
                if info.type != .int || info.dependsOnParameters {
                    error("periodic-period", "the period must be an int over data", at: periodExpr.span)
                } else if let v = literalValue(periodExpr), v < 1 {
                    error("periodic-period", "the period must be at least 1", at: periodExpr.span)
                }
            }
        case .external:
            guard allowLabels(["source_n", "overlap"]) else { return }
            if !positional.isEmpty {
                error("external-arguments", "external rows come from the data file; its arguments are named",
                      at: positional[0].value.span, hint: g.usage)
                return
            }
            guard let sourceN = named.first(where: { $0.label == "source_n" })?.value else {
                error("arity", "external needs source_n: how many real units the third party's rows were built from",
                      at: call.span, hint: g.usage)
                return
            }
            let overlap = named.first { $0.label == "overlap" }?.value
            for e in [sourceN, overlap].compactMap({ $0 }) {
                if let info = checkExpr(e), info.type != .int || info.dependsOnParameters {
                    error("external-count", "source_n and overlap are int counts over data", at: e.span)
                }
            }
            let n = literalValue(sourceN), k = overlap.flatMap(literalValue)
            if let n, n < 1 { error("external-count", "source_n must be at least 1", at: sourceN.span) }
            if let k, k < 0, let overlap { error("external-count", "overlap cannot be negative", at: overlap.span) }
            if let n, let k, k > n, let overlap {
                error("external-overlap", "overlap (\(formatNumber(k))) cannot exceed source_n (\(formatNumber(n)))", at: overlap.span)
            }
        }
    }

    /// A synthetic node declared int cannot hold rows of real data.
    func verifySourceType(_ i: Int, declared: ValueType, at span: SourceSpan) {
        let source = symbols[i].type
        if declared.base == .int, source.base == .real {
            error("synthetic-type", "'\(symbols[i].name)' is real, but the synthetic node is declared int", at: span)
        }
        if declared.rank != source.rank, declared.rank > 0 {
            error("synthetic-type", "'\(symbols[i].name)' is \(source.description), but the synthetic node is declared \(declared.description)",
                  at: span)
        }
    }

    /// Generators that simulate a data node's likelihood need a `~` statement for it.
    func verifyPendingLikelihoods() {
        for (i, span, g) in pendingLikelihoodChecks where !symbols[i].hasLikelihood {
            error("generator-needs-likelihood", "\(g.rawValue) simulates the likelihood of '\(symbols[i].name)', but no `~` statement has it on the left",
                  at: span, hint: "add `\(symbols[i].name) ~ …` to the model")
        }
    }
}
