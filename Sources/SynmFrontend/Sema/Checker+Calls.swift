// Calls: built-in functions, `dist_lpdf(y | …)` densities, and distribution arguments.
import SynmDiagnostics

extension Checker {
    func checkCall(_ name: String, nameSpan: SourceSpan, args: [Argument], conditioned: Bool,
                   span: SourceSpan) -> ExprInfo? {
        if let label = args.first(where: { $0.label != nil }) {
            error("named-argument", "'\(name)' takes no named arguments", at: label.labelSpan)
            return nil
        }
        if let result = checkUserCall(name, nameSpan: nameSpan, args: args, conditioned: conditioned, span: span) {
            return result.info
        }
        if name.hasSuffix("_rng"), let dist = builtinDistributions[String(name.dropLast(4))] {
            return checkRandomCall(dist, name: name, nameSpan: nameSpan, args: args, conditioned: conditioned, span: span)
        }
        if let (dist, suffix) = densityFunction(name) {
            return checkDensityCall(dist, suffix: suffix, nameSpan: nameSpan, args: args, conditioned: conditioned,
                                    span: span)
        }
        if conditioned {
            error("conditioned-call", "'|' is only used in density calls such as normal_lpdf(y | mu, sigma)",
                  at: span)
            return nil
        }
        guard let rule = builtinFunctions[name] else {
            if builtinDistributions[name] != nil {
                let sig = builtinDistributions[name]!
                error("distribution-call", "'\(name)' is a distribution, not a function", at: nameSpan,
                      hint: "write `y ~ \(sig.usage)`, or `\(name)_\(sig.isDiscrete ? "lpmf" : "lpdf")(y | \(sig.parameters.joined(separator: ", ")))` for its log density")
            } else if Generator(rawValue: name) != nil {
                error("generator-call", "'\(name)' is a synthetic-data generator", at: nameSpan,
                      hint: "use it in a declaration: `synthetic yb: real[100] = \(name)(…)`")
            } else {
                let candidates = Array(builtinFunctions.keys) + builtinDistributions.values.map {
                    "\($0.name)_\($0.isDiscrete ? "lpmf" : "lpdf")"
                }
                let hint = closestMatch(to: name, among: candidates.sorted()).map { "did you mean '\($0)'?" }
                error("unknown-function", "unknown function '\(name)'", at: nameSpan, hint: hint)
            }
            for a in args { _ = checkExpr(a.value) }
            return nil
        }
        let infos = args.map { checkExpr($0.value) }
        guard infos.allSatisfy({ $0 != nil }) else { return nil }
        let xs = infos.map { $0! }
        func arity(_ n: Int) -> Bool {
            if xs.count == n { return true }
            error("arity", "'\(name)' takes \(n) argument\(n == 1 ? "" : "s"), but \(xs.count) \(xs.count == 1 ? "was" : "were") given",
                  at: span, hint: builtinFunctionUsage[name].map { "write \($0)" })
            return false
        }
        let deps = xs.dropFirst().reduce(xs.first ?? ExprInfo(type: .real, dependsOnParameters: false,
                                                               mentionsSynthetic: false, mentionsParameter: false)) {
            merge($0, $1, type: $0.type)
        }
        switch rule {
        case .elementwise:
            guard arity(1) else { return nil }
            return merge(deps, deps, type: ValueType(.real, rank: xs[0].type.rank))
        case .elementwiseKeepBase:
            guard arity(1) else { return nil }
            return merge(deps, deps, type: xs[0].type)
        case .elementwise2:
            guard arity(2) else { return nil }
            let (a, b) = (xs[0].type, xs[1].type)
            guard a.rank == 0 || b.rank == 0 || a.rank == b.rank else {
                error("shape-mismatch", "'\(name)' needs arguments of the same shape, or a scalar; got \(a.description) and \(b.description)",
                      at: span)
                return nil
            }
            return merge(deps, deps, type: ValueType(.real, rank: max(a.rank, b.rank)))
        case .reduce(let keepsInt):
            guard arity(1) else { return nil }
            guard xs[0].type.rank >= 1 else {
                error("reduce-scalar", "'\(name)' takes an array, but this is \(xs[0].type.description)", at: args[0].value.span)
                return nil
            }
            return merge(deps, deps, type: ValueType(keepsInt ? xs[0].type.base : .real))
        case .reduceOrPair(let keepsInt):
            if xs.count == 1 {
                guard xs[0].type.rank >= 1 else {
                    error("reduce-scalar", "'\(name)' of one argument takes an array", at: args[0].value.span,
                          hint: "or give two scalars: \(name)(a, b)")
                    return nil
                }
                return merge(deps, deps, type: ValueType(keepsInt ? xs[0].type.base : .real))
            }
            guard xs.count == 2 else {
                error("arity", "'\(name)' takes one array or two scalars, but \(xs.count) arguments were given", at: span)
                return nil
            }
            guard xs[0].type.rank == 0, xs[1].type.rank == 0 else {
                error("shape-mismatch", "'\(name)' of two arguments takes two scalars", at: span)
                return nil
            }
            let base: BaseType = keepsInt && xs[0].type.base == .int && xs[1].type.base == .int ? .int : .real
            return merge(deps, deps, type: ValueType(base))
        case .dotProduct:
            guard arity(2) else { return nil }
            guard xs[0].type.rank == 1, xs[1].type.rank == 1 else {
                error("shape-mismatch", "'dot_product' takes two arrays", at: span)
                return nil
            }
            return merge(deps, deps, type: .real)
        case .size:
            guard arity(1) else { return nil }
            guard xs[0].type.rank >= 1 else {
                error("reduce-scalar", "'size' takes an array", at: args[0].value.span)
                return nil
            }
            return ExprInfo(type: .int, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        case .elementwiseToInt:
            guard arity(1) else { return nil }
            return merge(deps, deps, type: ValueType(.int, rank: xs[0].type.rank))
        case .elementwiseN(let n, let ints):
            guard arity(n) else { return nil }
            for k in ints.sorted() where xs[k].type.base != .int {
                error("int-argument", "argument \(k + 1) of '\(name)' must be an int, but this is \(xs[k].type.description)",
                      at: args[k].value.span, hint: builtinFunctionUsage[name].map { "write \($0)" })
                return nil
            }
            let ranks = Set(xs.map(\.type.rank).filter { $0 > 0 })
            guard ranks.count <= 1 else {
                error("shape-mismatch", "'\(name)' needs arguments of the same shape, or scalars; got \(xs.map(\.type.description).joined(separator: ", "))",
                      at: span)
                return nil
            }
            return merge(deps, deps, type: ValueType(.real, rank: ranks.first ?? 0))
        case .arrayMap(let keepsInt):
            guard arity(1) else { return nil }
            guard xs[0].type.rank == 1 else {
                error("array-argument", "'\(name)' takes an array, but this is \(xs[0].type.description)", at: args[0].value.span,
                      hint: builtinFunctionUsage[name].map { "write \($0)" })
                return nil
            }
            return merge(deps, deps, type: ValueType(keepsInt ? xs[0].type.base : .real, rank: 1))
        case .rank:
            guard arity(2) else { return nil }
            guard xs[0].type.rank == 1, xs[1].type == .int else {
                error("argument-type", "'rank' takes an array and an int index, but got \(xs[0].type.description) and \(xs[1].type.description)",
                      at: span, hint: "write rank(v, s): how many elements of v are less than v[s]")
                return nil
            }
            return merge(deps, deps, type: .int)
        case .intFunction(let n):
            guard arity(n) else { return nil }
            for (k, x) in xs.enumerated() where x.type.base != .int {
                error("int-argument", "argument \(k + 1) of '\(name)' must be an int, but this is \(x.type.description)",
                      at: args[k].value.span, hint: builtinFunctionUsage[name].map { "write \($0)" })
                return nil
            }
            let ranks = Set(xs.map(\.type.rank).filter { $0 > 0 })
            guard ranks.count <= 1 else {
                error("shape-mismatch", "'\(name)' needs arguments of the same shape, or scalars", at: span)
                return nil
            }
            return merge(deps, deps, type: ValueType(.int, rank: ranks.first ?? 0))
        }
    }

    /// `normal_rng(mu, sigma)`: a draw (an array of draws for array arguments), int for a
    /// discrete distribution; only in a top-level let or a predict node's arguments.
    func checkRandomCall(_ dist: DistributionSignature, name: String, nameSpan: SourceSpan, args: [Argument],
                         conditioned: Bool, span: SourceSpan) -> ExprInfo? {
        guard randomAllowed else {
            if let f = functionState.current {
                error("rng-in-function", "'\(name)' draws at random, so '\(f.name)' cannot use it", at: nameSpan,
                      hint: "only a function whose name ends in `_rng` may draw: rename it '\(f.name)_rng' (and call it only in a top-level let or a predict node's arguments)")
                for a in args { _ = checkExpr(a.value) }
                return nil
            }
            error("rng-in-model", "'\(name)' draws at random, so the model cannot use it", at: nameSpan,
                  hint: "use it in a top-level `let` (reported with each draw) or in a predict node's arguments; for the model write `~ \(dist.usage)`")
            for a in args { _ = checkExpr(a.value) }
            return nil
        }
        if conditioned {
            error("conditioned-call", "'|' is not used in \(name): write \(name)(\(dist.parameters.joined(separator: ", ")))",
                  at: span)
            return nil
        }
        if let mv = multivariateSignatures[dist.name] {
            guard let info = checkMultivariateArguments(dist, mv, args: args, rng: true, span: span) else { return nil }
            randomUsed = true
            return info
        }
        guard let info = checkDistributionArguments(dist, args: args, span: span) else { return nil }
        randomUsed = true
        return ExprInfo(type: ValueType(dist.isDiscrete ? .int : .real, rank: info.type.rank),
                        dependsOnParameters: info.dependsOnParameters, mentionsSynthetic: info.mentionsSynthetic,
                        mentionsParameter: info.mentionsParameter)
    }

    /// `normal_lpdf` → (normal, "lpdf"); also the `_lcdf`, `_lccdf` and `_cdf` suffixes, and
    /// Stan's `_lupdf`/`_lupmf` (which may drop constants; synm keeps them: the same value).
    func densityFunction(_ name: String) -> (DistributionSignature, String)? {
        for suffix in ["_lpdf", "_lpmf", "_lupdf", "_lupmf", "_lcdf", "_lccdf", "_cdf"] where name.hasSuffix(suffix) {
            if let d = builtinDistributions[String(name.dropLast(suffix.count))] {
                return (d, String(suffix.dropFirst()).replacingOccurrences(of: "lup", with: "lp"))
            }
        }
        return nil
    }

    func checkDensityCall(_ dist: DistributionSignature, suffix: String, nameSpan: SourceSpan, args: [Argument],
                          conditioned: Bool, span: SourceSpan) -> ExprInfo? {
        let right = dist.isDiscrete ? "lpmf" : "lpdf"
        let isCumulative = ["lcdf", "lccdf", "cdf"].contains(suffix)
        if isCumulative, !cdfDistributions.contains(dist.name) {
            error("cdf-unavailable", "\(dist.name)_\(suffix) is not available", at: nameSpan,
                  hint: "the CDF functions are those of \(cdfDistributions.sorted().joined(separator: ", "))")
            return nil
        }
        if !isCumulative, suffix != right {
            error("density-suffix", "'\(dist.name)' is \(dist.isDiscrete ? "discrete" : "continuous"); use \(dist.name)_\(right)",
                  at: nameSpan)
            return nil
        }
        let shown = isCumulative ? suffix : right
        guard !args.isEmpty else {
            error("arity", "\(dist.name)_\(shown) needs a variate: \(dist.name)_\(shown)(y | \(dist.parameters.joined(separator: ", ")))",
                  at: span)
            return nil
        }
        if !conditioned, args.count > 1 {
            error("density-bar", "separate the variate with '|': \(dist.name)_\(shown)(y | \(dist.parameters.joined(separator: ", ")))",
                  at: span)
            return nil
        }
        guard let y = checkExpr(args[0].value) else { return nil }
        guard let rest = checkDistributionArguments(dist, args: Array(args.dropFirst()), span: span) else { return nil }
        if let mv = multivariateSignatures[dist.name] {
            checkMultivariateVariate(dist, mv, y, at: args[0].value.span)
            return merge(y, rest, type: .real)
        }
        if dist.isDiscrete, y.type.base != .int {
            error("discrete-variate", "\(dist.name) is a distribution over integers, but the variate is \(y.type.description)",
                  at: args[0].value.span)
            return nil
        }
        return merge(y, rest, type: .real)
    }

    /// Checks arity and argument types of a distribution's parameters; returns the merged
    /// dependency information and the largest rank among them.
    func checkDistributionArguments(_ dist: DistributionSignature, args: [Argument], span: SourceSpan)
        -> ExprInfo?
    {
        if let mv = multivariateSignatures[dist.name] {
            return checkMultivariateArguments(dist, mv, args: args, rng: false, span: span)
        }
        if let label = args.first(where: { $0.label != nil }) {
            error("named-argument", "distribution arguments are positional: \(dist.usage)", at: label.labelSpan)
            return nil
        }
        if args.count != dist.parameters.count {
            error("arity", "'\(dist.name)' takes \(dist.parameters.count) argument\(dist.parameters.count == 1 ? "" : "s") (\(dist.parameters.joined(separator: ", "))), but \(args.count) \(args.count == 1 ? "was" : "were") given",
                  at: span, hint: "write \(dist.usage)")
            for a in args { _ = checkExpr(a.value) }
            return nil
        }
        var result = ExprInfo(type: .real, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        var ok = true
        for (k, a) in args.enumerated() {
            guard let info = checkExpr(a.value) else {
                ok = false
                continue
            }
            if dist.vectorParameters.contains(k) {
                if info.type.rank != 1 {
                    error("distribution-argument-shape", "argument '\(dist.parameters[k])' of \(dist.name) must be an array, but this is \(info.type.description)",
                          at: a.value.span, hint: dist.name.hasPrefix("ordered_")
                            ? "c holds the K − 1 ordered cutpoints, e.g. `param c: real[K - 1]` with c ~ … and ordered values"
                            : "\(dist.parameters[k]) holds one value per category: \(dist.usage)")
                    ok = false
                }
                result = merge(result, info, type: result.type)
                continue
            }
            if info.type.rank > 1 {
                error("distribution-argument-shape", "argument '\(dist.parameters[k])' of \(dist.name) must be a scalar or an array, not a matrix",
                      at: a.value.span)
                ok = false
            }
            if dist.intParameters.contains(k), info.type.base != .int {
                error("int-argument", "argument '\(dist.parameters[k])' of \(dist.name) must be an int, but this is \(info.type.description)",
                      at: a.value.span)
                ok = false
            }
            result = merge(result, info, type: ValueType(.real, rank: max(result.type.rank, info.type.rank)))
        }
        return ok ? result : nil
    }

    /// Checks `dist(args)` on the right of `~` or `predict`; reports unknown names.
    func checkDistribution(_ call: DistCall) -> (DistributionSignature, ExprInfo)? {
        guard let dist = builtinDistributions[call.name] else {
            if builtinFunctions[call.name] != nil || densityFunction(call.name) != nil {
                error("not-a-distribution", "'\(call.name)' is a function, not a distribution", at: call.nameSpan,
                      hint: densityFunction(call.name).map { "write `~ \($0.0.usage)`" } ?? "use `target += …` to add a term")
            } else {
                let hint = closestMatch(to: call.name, among: builtinDistributions.keys.sorted()).map { "did you mean '\($0)'?" }
                error("unknown-distribution", "unknown distribution '\(call.name)'", at: call.nameSpan,
                      hint: hint ?? "the distributions are \(builtinDistributions.keys.sorted().joined(separator: ", "))")
            }
            for a in call.args { _ = checkExpr(a.value) }
            return nil
        }
        if call.conditioned {
            error("conditioned-call", "'|' is not used after `~`", at: call.span, hint: "write `~ \(dist.usage)`")
            return nil
        }
        guard var info = checkDistributionArguments(dist, args: call.args, span: call.span) else { return nil }
        if let t = call.truncation {
            guard let bounds = checkTruncation(t, dist) else { return nil }
            info = merge(info, bounds, type: info.type)
        }
        return (dist, info)
    }

    /// `T[L, U]`: the distribution must have a CDF; the bounds are scalars (ints for a
    /// discrete distribution), data or parameters. Returns their merged dependencies.
    func checkTruncation(_ t: Truncation, _ dist: DistributionSignature) -> ExprInfo? {
        guard cdfDistributions.contains(dist.name) else {
            error("truncation-unavailable", "\(dist.name) cannot be truncated: truncation needs its CDF", at: t.span,
                  hint: "the distributions that can be truncated are \(cdfDistributions.sorted().joined(separator: ", "))")
            return nil
        }
        guard t.lower != nil || t.upper != nil else {
            error("truncation-bounds", "T[, ] gives no bound", at: t.span, hint: "write T[L, U], T[L, ] or T[, U]")
            return nil
        }
        var result = ExprInfo(type: .real, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        var ok = true
        for bound in [t.lower, t.upper].compactMap({ $0 }) {
            guard let info = checkExpr(bound) else {
                ok = false
                continue
            }
            if info.type.rank != 0 {
                error("truncation-bounds", "a truncation bound must be a scalar, but this is \(info.type.description)",
                      at: bound.span)
                ok = false
            } else if dist.isDiscrete, info.type.base != .int {
                error("truncation-bounds", "the bounds of a truncated \(dist.name) must be ints, but this is \(info.type.description)",
                      at: bound.span)
                ok = false
            }
            result = merge(result, info, type: .real)
        }
        return ok ? result : nil
    }
}
