// Posterior expressions in the REPL: an expression of the model's own syntax, evaluated
// element-wise over every draw, and the reductions that turn draws into numbers with Monte
// Carlo standard errors.
//
// Values are per-draw arrays (chain structure kept, for ESS-based MCSEs), constants (literals,
// data), or estimates (a reduction's result with its MCSE). MCSEs:
//   mean(x), E(x), P(cond)  mcseMean of the per-draw values (sd / √ESS_mean, Vehtari et al. 2021)
//   sd(x)                   mcseSD (Stan's delta method)
//   quantile(x, p), median  mcseQuantile (the Beta-interval method of `posterior`)
//   corr(a, b)              delta method: r is, to first order, r + mean of the influence
//                           values zₐz_b − r(zₐ² + z_b²)/2 (z standardised over all draws);
//                           the MCSE is the mcseMean of those per-draw values, so
//                           autocorrelation counts through their ESS.
// A reduction's result may appear inside another reduction's argument (`P(p > mean(p))`),
// where it is a constant; arithmetic on a reduction's result at the top level is refused
// (its error would not be propagated): write the arithmetic inside, `E(p * 100)`.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmInference
import SynmMath

/// An error in a posterior expression, at a span of the input line.
struct ReplError: Error {
    var message: String
    var span: SourceSpan?
    var hint: String?
    init(_ message: String, at span: SourceSpan? = nil, hint: String? = nil) {
        self.message = message
        self.span = span
        self.hint = hint
    }
}

/// Per-draw values of one quantity (scalar, array or matrix), chain by chain.
struct DrawArray {
    var shape: [Int]
    /// elements[k][chain][draw], k row-major over shape.
    var elements: [[[Double]]]
}

/// A reduction's result: values with their Monte Carlo standard errors.
struct Estimate {
    var shape: [Int]
    var values: [Double]
    var mcse: [Double]
}

/// The value of a posterior expression.
enum PosteriorValue {
    case draws(DrawArray)
    case constant(shape: [Int], values: [Double])
    case estimate(Estimate)
    case text(String)
}

/// What the evaluator can see: the draws by name, and the data.
struct PosteriorScope {
    /// Base name → per-draw values (parameters, lets, predict nodes, lp__).
    var draws: [String: DrawArray] = [:]
    /// Data names → constant values.
    var data: [String: (shape: [Int], values: [Double])] = [:]
    /// Names of quantities the model reports but that have no draws yet (before :sample).
    var undrawn: Set<String> = []
    /// The number of chains and draws per chain.
    var chains = 0
    var drawsPerChain = 0

    /// Builds the scope from column names like `theta[1, 2]` and values[chain][column][draw].
    static func from(names: [String], values: [[[Double]]]) -> PosteriorScope {
        var scope = PosteriorScope()
        scope.chains = values.count
        scope.drawsPerChain = values.first?.first?.count ?? 0
        var order: [String] = []
        var indices: [String: [(column: Int, index: [Int])]] = [:]
        for (k, name) in names.enumerated() {
            var base = name
            var index: [Int] = []
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                base = String(name[..<open])
                let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
                index = inner.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            }
            if indices[base] == nil { order.append(base) }
            indices[base, default: []].append((k, index))
        }
        for base in order {
            let cols = indices[base]!
            let rank = cols.first!.index.count
            var shape = [Int](repeating: 0, count: rank)
            for c in cols { for d in 0..<min(rank, c.index.count) { shape[d] = max(shape[d], c.index[d]) } }
            // Columns come row-major from the runtime; keep their order.
            let elements = cols.map { c in values.map { $0[c.column] } }
            scope.draws[base] = DrawArray(shape: shape, elements: elements)
        }
        return scope
    }
}

/// Evaluates parsed expressions over a scope.
struct PosteriorEvaluator {
    let scope: PosteriorScope
    /// > 0 while evaluating a reduction's argument (estimates become constants there).
    private var reductionDepth = 0

    init(scope: PosteriorScope) { self.scope = scope }

    static let elementwiseFunctions: [String: @Sendable (Double) -> Double] = [
        "exp": { Foundation.exp($0) }, "log": { Foundation.log($0) }, "log1p": { Foundation.log1p($0) },
        "expm1": { Foundation.expm1($0) }, "sqrt": { $0.squareRoot() }, "square": { $0 * $0 },
        "abs": { Swift.abs($0) }, "fabs": { Swift.abs($0) }, "inv_logit": { invLogit($0) }, "logit": { logit($0) },
        "Phi": { normalCDF($0) }, "tanh": { Foundation.tanh($0) }, "inv": { 1 / $0 }, "lgamma": { logGamma($0) },
        "log1m": { Foundation.log1p(-$0) }, "log_inv_logit": { logInvLogit($0) }, "log1p_exp": { log1pExp($0) },
        "sin": { Foundation.sin($0) }, "cos": { Foundation.cos($0) }, "floor": { Foundation.floor($0) },
        "ceil": { Foundation.ceil($0) }, "round": { $0.rounded() }, "step": { $0 < 0 ? 0 : 1 },
    ]
    static let binaryFunctions: [String: @Sendable (Double, Double) -> Double] = [
        "pow": { Foundation.pow($0, $1) }, "fmin": { Swift.min($0, $1) }, "fmax": { Swift.max($0, $1) },
        "min": { Swift.min($0, $1) }, "max": { Swift.max($0, $1) },
    ]
    static let reductions = ["mean", "E", "P", "sd", "quantile", "median", "corr", "hist"]
    static var functionNames: [String] {
        Array(elementwiseFunctions.keys) + Array(binaryFunctions.keys) + reductions + ["sum"]
    }

    /// Parses and evaluates one line.
    static func evaluate(_ source: String, scope: PosteriorScope) throws -> PosteriorValue {
        let file = SourceFile(name: "<input>", text: source)
        let parsed = Parser.parseStandaloneExpression(file)
        guard let e = parsed.expression else {
            let d = parsed.error
            throw ReplError(d?.message ?? "cannot parse the expression", at: d?.span, hint: d?.hint)
        }
        var evaluator = PosteriorEvaluator(scope: scope)
        return try evaluator.eval(e)
    }

    mutating func eval(_ e: Expr) throws -> PosteriorValue {
        switch e.kind {
        case .intLiteral(let n): return .constant(shape: [], values: [Double(n)])
        case .realLiteral(let x): return .constant(shape: [], values: [x])
        case .name(let n): return try lookup(n, span: e.span)
        case .unary(let op, let x):
            let v = try operand(eval(x), span: x.span)
            switch op {
            case .plus: return v
            case .negate: return map(v) { -$0 }
            case .not: return map(v) { $0 == 0 ? 1 : 0 }
            }
        case .binary(let op, let l, let r):
            let a = try operand(eval(l), span: l.span), b = try operand(eval(r), span: r.span)
            return try combine(a, b, span: e.span, Self.binary(op))
        case .call(let name, let nameSpan, let args, let conditioned):
            if conditioned { throw ReplError("densities (f(y | …)) are not available in posterior expressions", at: e.span) }
            if let label = args.first(where: { $0.label != nil }) {
                throw ReplError("'\(name)' takes no named arguments", at: label.labelSpan ?? e.span)
            }
            return try call(name, nameSpan: nameSpan, args: args.map(\.value), span: e.span)
        case .index(let base, let ix):
            let b = try operand(eval(base), span: base.span)
            var positions: [Int] = []
            for i in ix {
                guard case .constant(let s, let v) = try operand(eval(i), span: i.span), s.isEmpty, v[0] == v[0].rounded(),
                      Swift.abs(v[0]) < 1e9 else {
                    throw ReplError("an index must be a whole number", at: i.span)
                }
                positions.append(Int(v[0]))
            }
            return try index(b, positions, span: e.span, baseSpan: base.span)
        case .array(let items):
            var values: [Double] = []
            for i in items {
                guard case .constant(let s, let v) = try operand(eval(i), span: i.span), s.isEmpty else {
                    throw ReplError("an array literal takes numbers only", at: i.span)
                }
                values.append(v[0])
            }
            return .constant(shape: [values.count], values: values)
        case .error: throw ReplError("cannot parse the expression", at: e.span)
        case .string: throw ReplError("a string is not a posterior expression", at: e.span)
        case .lambda: throw ReplError("a function `v -> …` is only the operator of periodic", at: e.span)
        }
    }

    static func binary(_ op: BinaryOp) -> (Double, Double) -> Double {
        switch op {
        case .add: return { $0 + $1 }
        case .subtract: return { $0 - $1 }
        case .multiply: return { $0 * $1 }
        case .divide: return { $0 / $1 }
        case .power: return { Foundation.pow($0, $1) }
        case .less: return { $0 < $1 ? 1 : 0 }
        case .lessEqual: return { $0 <= $1 ? 1 : 0 }
        case .greater: return { $0 > $1 ? 1 : 0 }
        case .greaterEqual: return { $0 >= $1 ? 1 : 0 }
        case .equal: return { $0 == $1 ? 1 : 0 }
        case .notEqual: return { $0 != $1 ? 1 : 0 }
        case .and: return { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: return { $0 != 0 || $1 != 0 ? 1 : 0 }
        }
    }

    /// A value used as an operand: estimates only inside a reduction; never text.
    func operand(_ v: PosteriorValue, span: SourceSpan) throws -> PosteriorValue {
        switch v {
        case .estimate(let est):
            guard reductionDepth > 0 else {
                throw ReplError("arithmetic on a reduction's result would lose its Monte Carlo error", at: span,
                                hint: "put the arithmetic inside the reduction, e.g. E(p * 100) rather than mean(p) * 100")
            }
            return .constant(shape: est.shape, values: est.values)
        case .text: throw ReplError("hist(…) draws a picture; it has no value to compute with", at: span)
        default: return v
        }
    }

    func lookup(_ name: String, span: SourceSpan) throws -> PosteriorValue {
        if let d = scope.draws[name] { return .draws(d) }
        if let d = scope.data[name] { return .constant(shape: d.shape, values: d.values) }
        if scope.undrawn.contains(name) {
            throw ReplError("'\(name)' has no draws yet", at: span, hint: "run :sample first")
        }
        if Self.functionNames.contains(name) {
            throw ReplError("'\(name)' is a function; call it with arguments, e.g. \(name)(…)", at: span)
        }
        let known = Array(scope.draws.keys) + Array(scope.data.keys) + Array(scope.undrawn)
        let hint = closestMatch(to: name, among: known.sorted()).map { "did you mean '\($0)'?" }
            ?? (known.isEmpty ? "load a model with :load MODEL" : "known names: " + known.sorted().joined(separator: ", "))
        throw ReplError("unknown name '\(name)'", at: span, hint: hint)
    }

    func map(_ v: PosteriorValue, _ f: (Double) -> Double) -> PosteriorValue {
        switch v {
        case .draws(let d): return .draws(DrawArray(shape: d.shape, elements: d.elements.map { $0.map { $0.map(f) } }))
        case .constant(let s, let x): return .constant(shape: s, values: x.map(f))
        default: return v
        }
    }

    func shapeOf(_ v: PosteriorValue) -> [Int] {
        switch v {
        case .draws(let d): return d.shape
        case .constant(let s, _): return s
        case .estimate(let e): return e.shape
        case .text: return []
        }
    }

    static func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "a scalar" : "an array of shape [" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// Element-wise, with a scalar broadcast to any shape.
    func combine(_ a: PosteriorValue, _ b: PosteriorValue, span: SourceSpan, _ f: (Double, Double) -> Double) throws
        -> PosteriorValue
    {
        let sa = shapeOf(a), sb = shapeOf(b)
        guard sa == sb || sa.isEmpty || sb.isEmpty else {
            throw ReplError("shapes do not match: \(Self.describe(sa)) and \(Self.describe(sb))", at: span,
                            hint: "index an element, e.g. theta[1]")
        }
        let shape = sa.isEmpty ? sb : sa
        let count = shape.reduce(1, *)
        if case .constant(_, let x) = a, case .constant(_, let y) = b {
            return .constant(shape: shape, values: (0..<count).map { f(x[x.count == 1 ? 0 : $0], y[y.count == 1 ? 0 : $0]) })
        }
        // At least one side has draws: fix the chain layout from it.
        func element(_ v: PosteriorValue, _ k: Int) -> (draws: [[Double]]?, constant: Double) {
            switch v {
            case .draws(let d): return (d.elements[d.elements.count == 1 ? 0 : k], 0)
            case .constant(_, let x): return (nil, x[x.count == 1 ? 0 : k])
            default: return (nil, .nan)
            }
        }
        var elements: [[[Double]]] = []
        elements.reserveCapacity(count)
        for k in 0..<count {
            let (da, ca) = element(a, k), (db, cb) = element(b, k)
            if let da, let db {
                elements.append(zip(da, db).map { zip($0, $1).map(f) })
            } else if let da {
                elements.append(da.map { $0.map { f($0, cb) } })
            } else if let db {
                elements.append(db.map { $0.map { f(ca, $0) } })
            }
        }
        return .draws(DrawArray(shape: shape, elements: elements))
    }

    func index(_ v: PosteriorValue, _ positions: [Int], span: SourceSpan, baseSpan: SourceSpan) throws -> PosteriorValue {
        let shape = shapeOf(v)
        guard positions.count <= shape.count else {
            throw ReplError(shape.isEmpty ? "cannot index a scalar" : "too many indices: \(Self.describe(shape)) takes at most \(shape.count)",
                            at: span)
        }
        for (d, i) in positions.enumerated() where i < 1 || i > shape[d] {
            throw ReplError("index \(i) is out of range 1…\(shape[d])", at: span)
        }
        let rest = Array(shape[positions.count...])
        let block = rest.reduce(1, *)
        var offset = 0
        for (d, i) in positions.enumerated() { offset = offset * shape[d] + (i - 1) }
        offset *= block
        let range = offset..<(offset + block)
        switch v {
        case .draws(let d): return .draws(DrawArray(shape: rest, elements: Array(d.elements[range])))
        case .constant(_, let x): return .constant(shape: rest, values: Array(x[range]))
        default: throw ReplError("cannot index this value", at: baseSpan)
        }
    }

    mutating func call(_ name: String, nameSpan: SourceSpan, args: [Expr], span: SourceSpan) throws -> PosteriorValue {
        func arity(_ n: Int, _ usage: String) throws {
            guard args.count == n else {
                throw ReplError("'\(name)' takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)", at: span,
                                hint: "usage: \(usage)")
            }
        }
        if let f = Self.elementwiseFunctions[name] {
            try arity(1, "\(name)(x)")
            return map(try operand(eval(args[0]), span: args[0].span), f)
        }
        if let f = Self.binaryFunctions[name] {
            try arity(2, "\(name)(x, y)")
            let a = try operand(eval(args[0]), span: args[0].span), b = try operand(eval(args[1]), span: args[1].span)
            return try combine(a, b, span: span, f)
        }
        switch name {
        case "sum":
            try arity(1, "sum(x) (per draw, over the elements of x)")
            let v = try operand(eval(args[0]), span: args[0].span)
            switch v {
            case .draws(let d):
                guard let first = d.elements.first else { return .constant(shape: [], values: [0]) }
                var total = first.map { $0.map { _ in 0.0 } }
                for el in d.elements { for c in el.indices { for i in el[c].indices { total[c][i] += el[c][i] } } }
                return .draws(DrawArray(shape: [], elements: [total]))
            case .constant(_, let x): return .constant(shape: [], values: [x.reduce(0, +)])
            default: return v
            }
        case "mean", "E", "P", "sd", "median":
            try arity(1, "\(name)(x)")
            let d = try drawsArgument(args[0], function: name)
            if name == "P" {
                for el in d.elements { for c in el { for x in c where x != 0 && x != 1 {
                    throw ReplError("P(…) needs a condition, a 0/1 expression such as p > 0.5", at: args[0].span,
                                    hint: "for an expectation use E(…)")
                } } }
            }
            let est: [(Double, Double)] = d.elements.map { chains in
                let all = chains.flatMap { $0 }
                if all.contains(where: \.isNaN) { return (.nan, .nan) }
                switch name {
                case "sd": return (standardDeviation(all), mcseSD(chains: chains))
                case "median": return (quantile(all, 0.5), mcseQuantile(chains: chains, probability: 0.5))
                default: return (SynmMath.mean(all), mcseMean(chains: chains))
                }
            }
            return .estimate(Estimate(shape: d.shape, values: est.map(\.0), mcse: est.map(\.1)))
        case "quantile":
            try arity(2, "quantile(x, p), p in [0, 1]")
            let d = try drawsArgument(args[0], function: name)
            reductionDepth += 1
            let pv = try operand(eval(args[1]), span: args[1].span)
            reductionDepth -= 1
            guard case .constant(let s, let pValues) = pv, s.isEmpty, pValues[0] >= 0, pValues[0] <= 1 else {
                throw ReplError("the probability of quantile(x, p) must be a number in [0, 1]", at: args[1].span)
            }
            let p = pValues[0]
            let est: [(Double, Double)] = d.elements.map { chains in
                let all = chains.flatMap { $0 }
                if all.contains(where: \.isNaN) { return (.nan, .nan) }
                return (quantile(all, p), mcseQuantile(chains: chains, probability: p))
            }
            return .estimate(Estimate(shape: d.shape, values: est.map(\.0), mcse: est.map(\.1)))
        case "corr":
            try arity(2, "corr(a, b)")
            let a = try drawsArgument(args[0], function: name), b = try drawsArgument(args[1], function: name)
            guard a.shape.isEmpty, b.shape.isEmpty else {
                throw ReplError("corr(a, b) takes two scalar quantities", at: span, hint: "index an element, e.g. corr(theta[1], tau)")
            }
            let (r, se) = Self.correlation(a.elements[0], b.elements[0])
            return .estimate(Estimate(shape: [], values: [r], mcse: [se]))
        case "hist":
            try arity(1, "hist(x)")
            let d = try drawsArgument(args[0], function: name)
            guard d.shape.isEmpty else {
                throw ReplError("hist(x) draws one scalar quantity, not \(Self.describe(d.shape))", at: args[0].span,
                                hint: "index an element, e.g. hist(theta[1])")
            }
            return .text(Self.histogram(d.elements[0].flatMap { $0 }))
        default:
            let hint = closestMatch(to: name, among: Self.functionNames.sorted()).map { "did you mean '\($0)'?" }
                ?? "functions: " + Self.functionNames.sorted().joined(separator: " ")
            throw ReplError("unknown function '\(name)'", at: nameSpan, hint: hint)
        }
    }

    /// A reduction's argument: it must vary over the draws.
    mutating func drawsArgument(_ e: Expr, function: String) throws -> DrawArray {
        reductionDepth += 1
        defer { reductionDepth -= 1 }
        let v = try operand(eval(e), span: e.span)
        guard case .draws(let d) = v else {
            throw ReplError("\(function)(…) needs a quantity that varies over the draws (a parameter, let or predict node)",
                            at: e.span)
        }
        guard !d.elements.isEmpty, d.elements[0].contains(where: { !$0.isEmpty }) else {
            throw ReplError("there are no draws", at: e.span, hint: "run :sample first")
        }
        return d
    }

    /// Pearson's correlation over all draws, and its MCSE by the delta method (see the top).
    static func correlation(_ a: [[Double]], _ b: [[Double]]) -> (Double, Double) {
        let xa = a.flatMap { $0 }, xb = b.flatMap { $0 }
        let ma = SynmMath.mean(xa), mb = SynmMath.mean(xb)
        let sa = standardDeviation(xa), sb = standardDeviation(xb)
        guard sa > 0, sb > 0, sa.isFinite, sb.isFinite else { return (.nan, .nan) }
        var cov = 0.0
        for i in xa.indices { cov += (xa[i] - ma) * (xb[i] - mb) }
        let r = cov / Double(xa.count - 1) / (sa * sb)
        let influence = zip(a, b).map { ca, cb in
            zip(ca, cb).map { x, y -> Double in
                let za = (x - ma) / sa, zb = (y - mb) / sb
                return za * zb - r * (za * za + zb * zb) / 2
            }
        }
        return (r, mcseMean(chains: influence))
    }

    /// A text histogram: 16 bins between the smallest and largest draw, bars of up to 40 cells.
    static func histogram(_ xs: [Double]) -> String {
        let finite = xs.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return "(no finite draws)\n" }
        if lo == hi { return "every draw is \(RunSummary.number(lo))\n" }
        let bins = 16
        var counts = [Int](repeating: 0, count: bins)
        for x in finite { counts[min(bins - 1, Int((x - lo) / (hi - lo) * Double(bins)))] += 1 }
        let top = counts.max() ?? 1
        let edges = (0...bins).map { RunSummary.number(lo + (hi - lo) * Double($0) / Double(bins)) }
        let w = edges.map(\.count).max() ?? 0
        var out = ""
        for k in 0..<bins {
            let cells = Double(counts[k]) / Double(top) * 40
            let full = Int(cells)
            let bar = String(repeating: "█", count: full) + (cells - Double(full) >= 0.5 ? "▌" : "")
            let left = String(repeating: " ", count: w - edges[k].count) + edges[k]
            let right = String(repeating: " ", count: w - edges[k + 1].count) + edges[k + 1]
            out += "\(left) – \(right) │\(bar) \(counts[k])\n"
        }
        out += "\(finite.count) draws" + (finite.count < xs.count ? " (\(xs.count - finite.count) not finite, left out)" : "") + "\n"
        return out
    }
}
