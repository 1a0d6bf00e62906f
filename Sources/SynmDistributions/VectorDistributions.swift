// Distributions over {1, …, K} whose arguments include an array: categorical(theta),
// categorical_logit(beta) and ordered_logistic(eta, c) (Stan Functions Reference,
// "Multinomial / Categorical" and "Ordered Logistic Distribution"). Their densities are
// summed by the runtime over the rows of y with the array shared; here are the per-row log
// masses with partials in `T` arithmetic, the argument checks (Stan's simplex tolerance
// 1e-8, strictly increasing cutpoints) and the samplers.
import Foundation
import SynmMath

/// A distribution over {1, …, K} with an array argument.
public enum VectorDistribution: String, CaseIterable, Sendable, Hashable {
    /// categorical(theta), theta a simplex of K probabilities.
    case categorical
    /// categorical_logit(beta): categorical(softmax(beta)).
    case categoricalLogit = "categorical_logit"
    /// ordered_logistic(eta, c): y = 1 + #{k : c_k < eta + logistic noise}, c ordered (K − 1 cutpoints).
    case orderedLogistic = "ordered_logistic"
    /// ordered_probit(eta, c): as ordered_logistic with standard normal noise.
    case orderedProbit = "ordered_probit"

    /// The Stan name.
    public var name: String { rawValue }
    /// Argument names in Stan's order.
    public var arguments: [String] {
        switch self {
        case .categorical: ["theta"]
        case .categoricalLogit: ["beta"]
        case .orderedLogistic, .orderedProbit: ["eta", "c"]
        }
    }
    /// The index of the array argument (shared by every row).
    public var vectorArgument: Int { isOrdinal ? 1 : 0 }

    /// ordered_logistic and ordered_probit: a row argument eta and K − 1 cutpoints.
    public var isOrdinal: Bool { self == .orderedLogistic || self == .orderedProbit }

    /// The number of outcomes K for an array argument of `n` elements.
    public func outcomes(_ n: Int) -> Int { isOrdinal ? n + 1 : n }

    /// Why the array argument is invalid (nil when valid): a simplex for categorical
    /// (elements ≥ 0, sum within 1e-8 of 1, as Stan's check_simplex), finite elements for
    /// categorical_logit, finite and strictly increasing cutpoints for ordered_logistic.
    public func validateVector(_ v: [Double]) -> String? {
        guard !v.isEmpty else { return "\(name): \(arguments[vectorArgument]) must have at least one element" }
        let arg = arguments[vectorArgument]
        if let k = v.firstIndex(where: { !$0.isFinite }) {
            return "\(name): \(arg)[\(k + 1)] must be finite, got \(formatValue(v[k]))"
        }
        switch self {
        case .categorical:
            if let k = v.firstIndex(where: { $0 < 0 }) {
                return "categorical: theta is not a simplex: theta[\(k + 1)] = \(formatValue(v[k])) is negative"
            }
            let sum = v.reduce(0, +)
            if Swift.abs(sum - 1) > 1e-8 {
                return "categorical: theta is not a simplex: its elements sum to \(sum), not 1"
            }
        case .categoricalLogit:
            break
        case .orderedLogistic, .orderedProbit:
            for k in 1..<v.count where !(v[k] > v[k - 1]) {
                return "\(name): c is not ordered: c[\(k + 1)] = \(formatValue(v[k])) is not greater than c[\(k)] = \(formatValue(v[k - 1]))"
            }
        }
        return nil
    }

    /// Why a row's scalar argument (ordered_logistic's eta) is invalid, or nil.
    public func validateScalar(_ x: Double) -> String? {
        isOrdinal && !x.isFinite ? "\(name): eta must be finite, got \(formatValue(x))" : nil
    }

    /// One draw in {1, …, K} (as an integral Double). Arguments must be valid.
    public func sample(eta: Double, vector v: [Double], rng: inout some RandomNumberGenerator) -> Double {
        switch self {
        case .categorical:
            return Samplers.categorical(v, total: v.reduce(0, +), &rng)
        case .categoricalLogit:
            let m = v.max()!
            let w = v.map { Foundation.exp($0 - m) }
            return Samplers.categorical(w, total: w.reduce(0, +), &rng)
        case .orderedLogistic:
            // The latent form: z = eta + logistic noise, y = 1 + #{k : c_k < z}.
            let u = rng.uniform01()
            let z = eta + Foundation.log(u) - Foundation.log1p(-u)
            return Double(1 + v.filter { $0 < z }.count)
        case .orderedProbit:
            let z = eta + Samplers.standardNormal(&rng)
            return Double(1 + v.filter { $0 < z }.count)
        }
    }
}

extension Samplers {
    /// An index in 1…K drawn with probabilities w/total (inversion; a roundoff overrun picks
    /// the last index with positive weight).
    public static func categorical(_ w: [Double], total: Double, _ rng: inout some RandomNumberGenerator) -> Double {
        var u = rng.uniform01() * total
        for (k, x) in w.enumerated() {
            if u < x { return Double(k + 1) }
            u -= x
        }
        return Double((w.lastIndex { $0 > 0 } ?? w.count - 1) + 1)
    }
}

extension Kernels {
    /// log(1 − eˣ) for x < 0 in `T` arithmetic (Mächler 2012: log(−expm1 x) for x > −log 2,
    /// log1p(−eˣ) below).
    @inlinable static func log1mExp<T: RealScalar>(_ x: T) -> T {
        x.value > -0.693_147_180_559_945_3 ? T.log(-T.expm1(x)) : T.log1p(-T.exp(x))
    }

    /// ordered_probit(y | η, c): log Φ(c₁ − η) for y = 1, log Φ(η − c_{K−1}) for y = K, and
    /// log(Φ(u) − Φ(l)) with u = c_y − η > l = c_{y−1} − η otherwise, from the lower tails
    /// (log Φ(u) + log(1 − e^{log Φ(l) − log Φ(u)})) or, when l > 0, from the upper ones
    /// (Φ(−l) − Φ(−u)), so neither tail cancels. ∂/∂u = φ(u)/P, ∂/∂l = −φ(l)/P.
    @inlinable public static func orderedProbit<T: RealScalar>(
        _ y: Int, _ eta: T, below: T?, above: T?
    ) -> (value: T, eta: T, below: T, above: T) {
        switch (below, above) {
        case (nil, let c?):
            let (l, r) = logPhi(c - eta)
            return (l, -r, 0, r)
        case (let c?, nil):
            let (l, r) = logPhi(eta - c)
            return (l, r, -r, 0)
        case (let lo?, let hi?):
            let u = hi - eta, l = lo - eta
            let value: T
            if l.value > 0 {
                let a = logPhi(-l).value, b = logPhi(-u).value
                value = a + log1mExp(b - a)
            } else {
                let a = logPhi(u).value, b = logPhi(l).value
                value = a + log1mExp(b - a)
            }
            let du = T.exp(-0.5 * u * u - T(halfLog2Pi) - value)
            let dl = -T.exp(-0.5 * l * l - T(halfLog2Pi) - value)
            return (value, -(du + dl), dl, du)
        case (nil, nil):
            return (0, 0, 0, 0)
        }
    }

    /// `log1mExp` for other modules: log(1 − eˣ), x < 0.
    @inlinable public static func log1mExpPublic<T: RealScalar>(_ x: T) -> T { log1mExp(x) }

    /// ordered_logistic(y | η, c) for y in 1…K (K − 1 = c.count cutpoints, validated):
    /// log(1 − σ(η − c₁)) for y = 1, log σ(η − c_{K−1}) for y = K, and otherwise, with
    /// a = η − c_{y−1} > b = η − c_y, log(σ(a) − σ(b)) = a − log1p(eᵃ) + log(1 − e^{b−a}) −
    /// log1p(eᵇ) (Stan's log_inv_logit_diff). Returns the value and ∂/∂η, ∂/∂c_{y−1}, ∂/∂c_y
    /// (0 where the cutpoint does not exist).
    @inlinable public static func orderedLogistic<T: RealScalar>(
        _ y: Int, _ eta: T, below: T?, above: T?
    ) -> (value: T, eta: T, below: T, above: T) {
        switch (below, above) {
        case (nil, let c?):
            let x = eta - c
            let s = invLogit(x)
            return (-log1pExp(x), -s, 0, s)
        case (let c?, nil):
            let x = eta - c
            let s = invLogit(-x)
            return (-log1pExp(-x), s, -s, 0)
        case (let lo?, let hi?):
            let a = eta - lo, b = eta - hi
            let r = 1 / T.expm1(a - b)
            let da = invLogit(-a) + r
            let db = -invLogit(b) - r
            let value = a - log1pExp(a) + log1mExp(b - a) - log1pExp(b)
            return (value, da + db, -da, -db)
        case (nil, nil):
            return (0, 0, 0, 0)
        }
    }
}
