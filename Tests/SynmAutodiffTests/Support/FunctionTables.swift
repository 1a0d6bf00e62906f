// Test tables: for every elementwise function, a plain Double reference, its closed-form
// derivative, a sampling domain kept away from singularities, and edge points.
import Foundation
import SynmAutodiff
import SynmMath

/// Reference data for one `UnaryFunction`.
struct UnaryReference {
    /// The plain Double function the tape value must equal.
    var plain: (Double) -> Double
    /// Its derivative, in closed form.
    var derivative: (Double) -> Double
    /// Random points are drawn from here; at least 0.01 from any singularity, so the finite
    /// difference step (≈ 6e-6) is small against the distance to it.
    var domain: ClosedRange<Double>
    /// Extra points: zeros, tails, near-boundary values.
    var edges: [Double]
}

extension UnaryFunction {
    /// The reference data for this function.
    var reference: UnaryReference {
        switch self {
        case .negate: UnaryReference(plain: { -$0 }, derivative: { _ in -1 }, domain: -5 ... 5,
                                     edges: [0, 1e-300, 1e300])
        case .exp: UnaryReference(plain: Foundation.exp, derivative: Foundation.exp,
                                  domain: -5 ... 5, edges: [0, -30, 30])
        case .log: UnaryReference(plain: Foundation.log, derivative: { 1 / $0 },
                                  domain: 0.05 ... 10, edges: [0.01, 1, 1e6])
        case .log1p: UnaryReference(plain: Foundation.log1p, derivative: { 1 / (1 + $0) },
                                    domain: -0.9 ... 10, edges: [0, -0.5, 1e6])
        case .expm1: UnaryReference(plain: Foundation.expm1, derivative: Foundation.exp,
                                    domain: -5 ... 5, edges: [0, -30, 20])
        case .sqrt: UnaryReference(plain: Foundation.sqrt, derivative: { 0.5 / Foundation.sqrt($0) },
                                   domain: 0.05 ... 10, edges: [0.01, 1, 1e6])
        case .square: UnaryReference(plain: { $0 * $0 }, derivative: { 2 * $0 }, domain: -5 ... 5,
                                     edges: [0, 1e3, -1e3])
        case .abs: UnaryReference(plain: Swift.abs, derivative: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) },
                                  domain: -5 ... 5, edges: [0, 1e-3, -1e3])
        case .invLogit: UnaryReference(plain: SynmMath.invLogit,
                                       derivative: { SynmMath.invLogit($0) * SynmMath.invLogit(-$0) },
                                       domain: -10 ... 10, edges: [0, -30, 30, -700])
        case .logit: UnaryReference(plain: SynmMath.logit, derivative: { 1 / ($0 * (1 - $0)) },
                                    domain: 0.05 ... 0.95, edges: [0.5, 0.25, 0.75, 0.01, 0.99])
        case .lgamma: UnaryReference(plain: logGamma, derivative: SynmMath.digamma,
                                     domain: 0.05 ... 20, edges: [0.01, 1, 2, 100])
        case .log1pExp: UnaryReference(plain: SynmMath.log1pExp, derivative: SynmMath.invLogit,
                                       domain: -20 ... 20, edges: [0, -40, 40, -700, 700])
        case .tanh: UnaryReference(plain: Foundation.tanh, derivative: { 1 - Foundation.pow(Foundation.tanh($0), 2) },
                                   domain: -3 ... 3, edges: [0, -20, 20])
        case .atan: UnaryReference(plain: Foundation.atan, derivative: { 1 / (1 + $0 * $0) },
                                   domain: -5 ... 5, edges: [0, -1e3, 1e3])
        case .erf: UnaryReference(plain: Foundation.erf, derivative: { 2 / Double.pi.squareRoot() * Foundation.exp(-$0 * $0) },
                                  domain: -3 ... 3, edges: [0, 1e-10, -5])
        case .erfc: UnaryReference(plain: Foundation.erfc, derivative: { -2 / Double.pi.squareRoot() * Foundation.exp(-$0 * $0) },
                                   domain: -3 ... 3, edges: [0, 10, -5])
        // Stan's Phi_approx(x) = inv_logit(0.07056x³ + 1.5976x).
        case .phiApprox: UnaryReference(plain: { SynmMath.invLogit(0.07056 * $0 * $0 * $0 + 1.5976 * $0) },
                                        derivative: { x in
                                            let u = 0.07056 * x * x * x + 1.5976 * x
                                            return SynmMath.invLogit(u) * SynmMath.invLogit(-u) * (3 * 0.07056 * x * x + 1.5976) },
                                        domain: -4 ... 4, edges: [0, -10, 10])
        case .invCloglog: UnaryReference(plain: { -Foundation.expm1(-Foundation.exp($0)) },
                                         derivative: { Foundation.exp($0 - Foundation.exp($0)) },
                                         domain: -4 ... 3, edges: [0, -40, 5])
        // Piecewise constant: domains inside one piece, derivative 0 as Stan.
        case .floor: UnaryReference(plain: { Foundation.floor($0) }, derivative: { _ in 0 }, domain: 2.1 ... 2.9,
                                    edges: [-1.5, 3.5, 0.5])
        case .ceil: UnaryReference(plain: { Foundation.ceil($0) }, derivative: { _ in 0 }, domain: -2.9 ... -2.1,
                                   edges: [-1.5, 3.5, 0.5])
        case .round: UnaryReference(plain: { Foundation.round($0) }, derivative: { _ in 0 }, domain: 0.6 ... 1.4,
                                    edges: [-2.7, 2.2, 0.1])
        case .step: UnaryReference(plain: { $0 < 0 ? 0 : 1 }, derivative: { _ in 0 }, domain: 0.1 ... 5,
                                   edges: [-1, 3])
        case .intStep: UnaryReference(plain: { $0 > 0 ? 1 : 0 }, derivative: { _ in 0 }, domain: -5 ... -0.1,
                                      edges: [-1, 3])
        }
    }
}

extension BinaryFunction {
    /// The plain Double function the tape value must equal.
    var plain: (Double, Double) -> Double {
        switch self {
        case .add: { $0 + $1 }
        case .subtract: { $0 - $1 }
        case .multiply: { $0 * $1 }
        case .divide: { $0 / $1 }
        case .pow: { Foundation.pow($0, $1) }
        }
    }

    /// ∂f/∂a and ∂f/∂b in closed form.
    var partials: (Double, Double) -> (Double, Double) {
        switch self {
        case .add: { _, _ in (1, 1) }
        case .subtract: { _, _ in (1, -1) }
        case .multiply: { a, b in (b, a) }
        case .divide: { a, b in (1 / b, -a / (b * b)) }
        case .pow: { a, b in (b * Foundation.pow(a, b - 1), Foundation.pow(a, b) * Foundation.log(a)) }
        }
    }
}
