// Synthetic nodes: generator names and arguments (docs/STATISTICS.md §2).
import SynmDiagnostics

extension Checker {
    func checkSyntheticDecl(_ s: Stmt, names: [String], spans: [SourceSpan], type t: TypeSyntax, generator call: DistCall) {
        let generator = Generator(rawValue: call.name)
        let type = checkType(t, role: .synthetic, inferSizes: generator == .external)
        if type.rank == 0 {
            error("synthetic-scalar", "a synthetic node holds rows: declare it as an array, e.g. real[200]", at: t.span)
        } else if type.rank > 2 {
            error("synthetic-rank", "a synthetic node holds rows that are scalars or arrays; rows of rank 2 or more (a node of rank \(type.rank)) are not supported yet",
                  at: t.span, hint: "resample the rows of a matrix `real[N, K]` instead (K values per row)")
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

    /// Resolves a generator argument that must name real data, or (for the resampling
    /// generators) a synthetic node declared earlier that is itself generated from our own
    /// sample (nested nodes: `bootstrap(yr)` of `yr = reweight(y, by = g)`); returns its
    /// symbol index.
    func dataArgument(_ e: Expr, generator: Generator) -> Int? {
        guard case .name(let n) = e.kind else {
            error("generator-source", "\(generator.rawValue) resamples declared data: give a data name here", at: e.span,
                  hint: generator.usage)
            _ = checkExpr(e)
            return nil
        }
        if lookup(n) == nil, syntheticNames.contains(n) {
            error("generator-order", "synthetic node '\(n)' is not declared before this line; a node can be built only from one declared above it",
                  at: e.span, hint: "declare '\(n)' above this line, built from real data or from nodes above it")
            return nil
        }
        guard checkName(n, span: e.span) != nil, let i = lookup(n) else { return nil }
        let resamples = generator == .bootstrap || generator == .reweight || generator == .periodic
        if symbols[i].role == .synthetic, resamples {
            if symbols[i].generator == .external {
                error("generator-source", "\(generator.rawValue) of a third party's rows: '\(n)' comes from the data file, not from our own sample",
                      at: e.span,
                      hint: "resample the real data instead, or give the third party's rows their footing directly: `\(n) ~ … footing cap`")
                return nil
            }
            return symbols[i].type.rank == 0 ? nil : i
        }
        guard symbols[i].role == .data else {
            let hint = symbols[i].role == .synthetic
                ? (generator == .model ? "model(…) is fitted to a real data node" : "\(generator.rawValue) simulates the likelihood of a real data node")
                    + ": give the data '\(n)' was built from"
                : generator.usage
            error("generator-source", "\(generator.rawValue) is built from real data, but '\(n)' is \(article(symbols[i].role))",
                  at: e.span, hint: hint)
            return nil
        }
        if symbols[i].type.rank == 0 {
            error("generator-source", "\(generator.rawValue) needs an array of rows, but '\(n)' is a scalar", at: e.span)
            return nil
        }
        return i
    }

    /// Which sample a generator source's rows belong to: every real data node is a row of
    /// the real sample (sizes are checked against the data); a synthetic node's rows are
    /// its own, shared only with the names drawn jointly with it.
    func sampleKey(_ i: Int) -> String {
        symbols[i].role == .synthetic ? "synthetic " + (symbols[i].group.first ?? symbols[i].name) : "data"
    }

    /// The real data column a synthetic node's values are copies of, through any chain of
    /// generators (a joint bootstrap's k-th name copies its k-th source).
    func rootColumn(_ i: Int) -> Int {
        var i = i
        for _ in 0..<symbols.count {
            guard symbols[i].role == .synthetic, let call = symbols[i].generatorCall else { return i }
            let positional = call.args.filter { $0.label == nil }
            let k = symbols[i].group.firstIndex(of: symbols[i].name) ?? 0
            guard k < positional.count, case .name(let n) = positional[k].value.kind, let j = lookup(n) else { return i }
            i = j
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
            var first: (key: String, name: String)?
            for a in positional {
                guard let i = dataArgument(a.value, generator: g) else { continue }
                verifySourceType(i, declared: declared, at: a.value.span)
                let key = sampleKey(i)
                if let f = first, f.key != key {
                    error("generator-joint", "bootstrap resamples rows jointly, but '\(symbols[i].name)' and '\(f.name)' are not rows of one sample",
                          at: a.value.span,
                          hint: "resample columns of the real data together, or columns drawn together: `synthetic xb, yb: real[200] = bootstrap(x, y)`")
                }
                first = first ?? (key, symbols[i].name)
            }
        case .parametricBootstrap, .posteriorPredictive:
            guard allowLabels([]), expectPositional(1) else { return }
            if let i = dataArgument(positional[0].value, generator: g) {
                verifySourceType(i, declared: declared, at: positional[0].value.span)
                pendingLikelihoodChecks.append((i, positional[0].value.span, g))
            }
        case .reweight:
            guard allowLabels(["by"]), expectPositional(1) else { return }
            let yi = dataArgument(positional[0].value, generator: g)
            if let yi { verifySourceType(yi, declared: declared, at: positional[0].value.span) }
            guard let by = named.first(where: { $0.label == "by" }) else {
                error("arity", "reweight needs the labels to balance: reweight(y, by = g)", at: call.span)
                return
            }
            guard let gi = dataArgument(by.value, generator: g) else { return }
            let labels = symbols[rootColumn(gi)].type
            if labels != ValueType(.int, rank: 1) {
                error("reweight-labels", "the labels of reweight must be an int array, but '\(symbols[gi].name)' is \(labels.description)",
                      at: by.value.span)
            } else if let yi, sampleKey(yi) != sampleKey(gi) {
                // The labels need one entry per row of the source: a synthetic source's rows are
                // labelled only by labels resampled jointly with them.
                let y = symbols[yi].name, gn = symbols[gi].name
                let synthetic = symbols[yi].role == .synthetic ? symbols[yi] : symbols[gi]
                error("reweight-labels", "the labels '\(gn)' do not label the rows of '\(y)'", at: by.value.span,
                      hint: synthetic.generator == .bootstrap
                          ? "draw the labels together with the rows: `synthetic \(synthetic.name), gb: … = bootstrap(…, g)`, then `reweight(\(synthetic.name), by = gb)`"
                          : "labels need one entry per row of the source: resample rows and labels jointly with `synthetic yb, gb: … = bootstrap(y, g)`, then `reweight(yb, by = gb)`",
                      notes: ["'\(synthetic.name)' is a synthetic node; its rows are labelled only by a node drawn jointly with it"])
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
            if case .lambda(let parameter, let parameterSpan, let body) = opExpr.kind {
                checkRowOperator(parameter, parameterSpan: parameterSpan, body: body,
                                 row: ValueType(.real, rank: max(0, declared.rank - 1)))
            } else if case .name(let op) = opExpr.kind, periodicOperators.contains(op) {
                if op == "rotate90", declared.rank != 2 {
                    error("periodic-rotate", "rotate90 turns 2-vectors: declare the node as real[M, 2]", at: opExpr.span)
                }
            } else {
                let word: String? = { if case .name(let n) = opExpr.kind { return n } else { return nil } }()
                let hint = word.flatMap { closestMatch(to: $0, among: periodicOperators) }.map { "did you mean '\($0)'?" }
                    ?? "the operators are \(periodicOperators.joined(separator: ", ")), or a function of a row: `v -> [-v[2], v[1]]`"
                error("periodic-operator", "unknown periodic operator\(word.map { " '\($0)'" } ?? "")", at: opExpr.span, hint: hint)
            }
            if let info = checkExpr(periodExpr) {
                if info.type != .int || info.dependsOnParameters {
                    error("periodic-period", "the period must be an int over data", at: periodExpr.span)
                } else if let v = literalValue(periodExpr), v < 1 {
                    error("periodic-period", "the period must be at least 1", at: periodExpr.span)
                }
            }
        case .model:
            guard allowLabels(["fit"]), expectPositional(1) else { return }
            let file = positional[0].value
            if case .string(let path) = file.kind {
                if !path.hasSuffix(".synm") {
                    error("generator-model-file", "the generator model is a .synm file, but \"\(path)\" is not", at: file.span,
                          hint: g.usage)
                }
            } else {
                error("generator-model-file", "model(…) takes the generator model's file as a string", at: file.span, hint: g.usage)
            }
            guard let fit = named.first(where: { $0.label == "fit" }) else {
                error("arity", "model(…) needs the data node to fit the generator to: fit = y", at: call.span, hint: g.usage)
                return
            }
            if let i = dataArgument(fit.value, generator: g) { verifySourceType(i, declared: declared, at: fit.value.span) }
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

    /// periodic's own operator `v -> body`: a function of one row (a scalar for an array
    /// node, an array for a matrix node's rows) that uses only its parameter, literals,
    /// arithmetic and the functions of `rowOperatorFunctions`, and returns a row of the
    /// same shape. Its period is checked on the data (SyntheticGeneration.periodic).
    func checkRowOperator(_ parameter: String, parameterSpan: SourceSpan, body: Expr, row: ValueType) {
        if let i = lookup(parameter) {
            error("periodic-operator", "the operator's parameter '\(parameter)' is already declared as \(article(symbols[i].role))",
                  at: parameterSpan, hint: "names must be unique: call the parameter something else, e.g. `v -> …`")
            return
        }
        var clean = true
        func walk(_ e: Expr) {
            switch e.kind {
            case .intLiteral, .realLiteral, .error: break
            case .name(let n) where n == parameter: break
            case .name(let n):
                let what = lookup(n).map { "'\(n)' is \(article(symbols[$0].role))" } ?? "'\(n)' is not its parameter"
                error("periodic-operator", "periodic's operator may use only its parameter '\(parameter)', literals, arithmetic and functions; \(what)",
                      at: e.span, hint: "the operator maps one row to another, the same for every row: write it in '\(parameter)' alone")
                clean = false
            case .unary(_, let x): walk(x)
            case .binary(_, let l, let r): walk(l); walk(r)
            case .index(let b, let ix): walk(b); ix.forEach(walk)
            case .array(let es): es.forEach(walk)
            case .call(let name, let nameSpan, let args, _):
                if !rowOperatorFunctions.contains(name) {
                    error("periodic-operator", "periodic's operator cannot call '\(name)'", at: nameSpan,
                          hint: "it may call \(rowOperatorFunctions.joined(separator: ", "))")
                    clean = false
                }
                args.forEach { walk($0.value) }
            case .string:
                error("periodic-operator", "periodic's operator works on numbers, not strings", at: e.span)
                clean = false
            case .lambda:
                error("periodic-operator", "periodic's operator is one function `\(parameter) -> …`, not a function of functions", at: e.span)
                clean = false
            }
        }
        walk(body)
        guard clean else { return }
        scopes.append([:])
        declare(SymbolInfo(name: parameter, role: .let, type: row, declaredType: nil, span: parameterSpan,
                           dependsOnParameters: false, used: true))
        if let info = checkExpr(body), info.type.rank != row.rank {
            let shape = row.rank == 0 ? "a scalar (the rows are scalars)" : "an array (the rows are arrays)"
            error("periodic-operator", "periodic's operator must return a row like its argument: \(shape), but it returns \(info.type.description)",
                  at: body.span, hint: row.rank == 0 ? "for scalar rows write e.g. `\(parameter) -> -\(parameter)`" : "e.g. `\(parameter) -> [-\(parameter)[2], \(parameter)[1]]`")
        }
        scopes.removeLast()
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
