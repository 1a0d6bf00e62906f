// The normalised power prior (Duan, Ye & Smith 2006; docs/STATISTICS.md §3):
// π(θ, a | D₀) = L(θ | D₀)^a π₀(θ) / c(a) · π(a), with c(a) = ∫ L(θ | D₀)^a π₀(θ) dθ.
// A `~ … footing power(a) normalized` term adds a·log L(θ | D₀) (the weighted density) and
// −log c(a), here. c(a) has a closed form when π₀ is conjugate to the term's likelihood:
// beta for bernoulli/binomial, gamma for poisson, normal for a normal mean with known σ.
import SynmDiagnostics
import SynmDistributions
import SynmFrontend
import SynmMath

/// What log c(a) needs: the prior's constants and the data's sufficient statistics.
enum NormalizingConstant: Sendable {
    /// π₀ = beta(α, β); D₀: k successes in N trials; Σ log C(Nᵢ, yᵢ).
    case beta(alpha: Double, beta: Double, successes: Double, trials: Double, logBinomial: Double)
    /// π₀ = gamma(α, β) (rate β); D₀: n counts with sum S; Σ log yᵢ!.
    case gamma(alpha: Double, beta: Double, sum: Double, count: Double, logFactorials: Double)
    /// π₀ = normal(m₀, s₀) on μ, σ known; D₀: n values with mean ȳ and Σ(y − ȳ)².
    case normal(mean0: Double, sd0: Double, sigma: Double, count: Double, mean: Double, sumOfSquares: Double)

    /// log c(a) and d/da log c(a), in T arithmetic (so Hessians through Dual are exact).
    func logC<T: RealScalar>(_ a: T) -> (T, T) {
        switch self {
        case .beta(let al, let be, let k, let n, let logBinomial):
            let x = T(al) + a * T(k), y = T(be) + a * T(n - k)
            let value = a * T(logBinomial) + T.lgamma(x) + T.lgamma(y) - T.lgamma(x + y) - T(logBeta(al, be))
            let d = T(logBinomial) + T(k) * T.digamma(x) + T(n - k) * T.digamma(y) - T(n) * T.digamma(x + y)
            return (value, d)
        case .gamma(let al, let be, let s, let n, let logFactorials):
            let x = T(al) + a * T(s), r = T(be) + a * T(n)
            let value = -a * T(logFactorials) + T(al * naturalLog(be)) - T(logGamma(al)) + T.lgamma(x) - x * T.log(r)
            let d = -T(logFactorials) + T(s) * T.digamma(x) - T(s) * T.log(r) - x * T(n) / r
            return (value, d)
        case .normal(let m0, let s0, let sigma, let n, let ybar, let ss):
            // ∫ exp(−A(μ − ȳ)²/2) N(μ | m₀, s₀²) dμ = (1 + A s₀²)^(−1/2) exp(−A (ȳ − m₀)² / (2(1 + A s₀²))),
            // A = a n / σ²; the rest of L^a is (2πσ²)^(−an/2) exp(−a Σ(y − ȳ)²/(2σ²)).
            let s2 = sigma * sigma, v0 = s0 * s0, dev = (ybar - m0) * (ybar - m0)
            let A = a * T(n / s2)
            let q = 1 + A * T(v0)
            let log2piS2 = naturalLog(2 * Double.pi * s2)
            let value = -a * T(n / 2 * log2piS2) - a * T(ss / (2 * s2)) - 0.5 * T.log(q) - A * T(dev) / (2 * q)
            let dA = T(n / s2)
            let d = -T(n / 2 * log2piS2) - T(ss / (2 * s2)) - 0.5 * T(v0) * dA / q - dA * T(dev) / (2 * q * q)
            return (value, d)
        }
    }
}

/// Natural log of a Double (through RealScalar, so this file needs no Foundation).
@inline(__always) func naturalLog(_ x: Double) -> Double { Double.log(x) }

extension Compiler {
    /// Recognises a conjugate pair for `footing power(a) normalized` and gathers what log c(a)
    /// needs; refuses anything else with the reason.
    mutating func normalizingConstant(_ call: DensityCall, dist: DistCall, footing: Footing) throws -> NormalizingConstant {
        func refuse(_ why: String) -> RuntimeError {
            RuntimeError("the normalised power prior needs a closed-form c(a): \(why)", span: footing.span,
                         hint: "use a fixed power(a), or weight(expr) knowing it is the unnormalised power prior")
        }
        guard case .constArray(let ref) = call.variate, let stats = call.variateStatistics else {
            throw refuse("the left side must be data or synthetic rows")
        }
        let y = Array(pool[Int(ref.start)..<Int(ref.start + ref.count)])
        func parameterName(_ e: Expr) -> String? {
            if case .name(let n) = e.kind, case .parameter(let p)? = lookup(n), parameters[p].shape.isEmpty { return n }
            return nil
        }
        func prior(of name: String, _ family: String) throws -> [Double] {
            for s in model.program.statements {
                guard case .tilde(let lhs, let d, _) = s.kind, case .name(let n) = lhs.kind, n == name else { continue }
                guard d.name == family else { throw refuse("'\(name)' has a \(d.name) prior; c(a) is closed-form with a \(family) prior") }
                return try d.args.map { arg in
                    guard case .constScalar(let v) = try expression(arg.value) else {
                        throw refuse("the \(family) prior of '\(name)' must have fixed arguments")
                    }
                    return v
                }
            }
            throw refuse("'\(name)' needs a \(family) prior statement `\(name) ~ \(family)(…)`")
        }
        switch call.distribution {
        case .bernoulli:
            guard let p = parameterName(dist.args[0].value) else { throw refuse("bernoulli's θ must be a scalar parameter") }
            guard stats.isBinary else { throw refuse("bernoulli rows must be 0 or 1") }
            let ab = try prior(of: p, "beta")
            return .beta(alpha: ab[0], beta: ab[1], successes: stats.sum, trials: Double(stats.count), logBinomial: 0)
        case .binomial:
            guard let p = parameterName(dist.args[1].value) else { throw refuse("binomial's θ must be a scalar parameter") }
            let nIR = try expression(dist.args[0].value)
            let trials: [Double]
            switch nIR {
            case .constScalar(let v): trials = Array(repeating: v, count: y.count)
            case .constArray(let c) where Int(c.count) == y.count: trials = Array(pool[Int(c.start)..<Int(c.start + c.count)])
            default: throw refuse("binomial's N must be fixed data")
            }
            let ab = try prior(of: p, "beta")
            let logBinomial = zip(trials, y).reduce(0) { $0 + logChoose($1.0, $1.1) }
            return .beta(alpha: ab[0], beta: ab[1], successes: stats.sum, trials: trials.reduce(0, +), logBinomial: logBinomial)
        case .poisson:
            guard let l = parameterName(dist.args[0].value) else { throw refuse("poisson's λ must be a scalar parameter") }
            guard let logFactorials = stats.sumLogFactorial else { throw refuse("poisson rows must be counts") }
            let ab = try prior(of: l, "gamma")
            return .gamma(alpha: ab[0], beta: ab[1], sum: stats.sum, count: Double(stats.count), logFactorials: logFactorials)
        case .normal:
            guard let m = parameterName(dist.args[0].value) else { throw refuse("normal's μ must be a scalar parameter") }
            guard case .constScalar(let sigma) = try expression(dist.args[1].value) else {
                throw refuse("normal's σ must be known (fixed data or a number)")
            }
            let ms = try prior(of: m, "normal")
            return .normal(mean0: ms[0], sd0: ms[1], sigma: sigma, count: Double(stats.count), mean: stats.mean,
                           sumOfSquares: stats.sumOfSquares)
        default:
            throw refuse("\(call.distribution.name) has no conjugate prior here (normal, bernoulli, binomial, poisson do)")
        }
    }
}

extension Evaluator {
    /// −log c(a) as a term, with its derivative in a.
    mutating func normalizingTerm(_ a: RV, _ constant: NormalizingConstant, span: SourceSpan) -> RV {
        let (value, d) = constant.logC(element(a, 0))
        guard value.value.isFinite else {
            fail("the normalised power prior's log c(a) is not finite at a = \(formatNumber(elementValue(a, 0)))", span)
            return .scalar(.nan)
        }
        guard case .variable(let i) = a else { return .scalar(-value.value) }
        let out = tape.newVariable(-value)
        tape.addEdge(from: i, to: out, partial: -d)
        return .variable(out)
    }
}
