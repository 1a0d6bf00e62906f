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
        case .log1mExp: UnaryReference(plain: SynmMath.log1mExp, derivative: { -Foundation.exp($0) / (1 - Foundation.exp($0)) },
                                       domain: -5 ... -0.05, edges: [-0.01, -0.6931, -40])
        case .log2: UnaryReference(plain: { Foundation.log($0) / Foundation.log(2.0) }, derivative: { 1 / ($0 * Foundation.log(2.0)) },
                                   domain: 0.05 ... 10, edges: [1, 8, 0.01])
        case .log10: UnaryReference(plain: { Foundation.log($0) / Foundation.log(10.0) }, derivative: { 1 / ($0 * Foundation.log(10.0)) },
                                    domain: 0.05 ... 10, edges: [1, 1000, 0.01])
        case .exp2: UnaryReference(plain: { Foundation.exp($0 * Foundation.log(2.0)) }, derivative: { Foundation.exp($0 * Foundation.log(2.0)) * Foundation.log(2.0) },
                                   domain: -5 ... 5, edges: [0, -30, 30])
        case .cbrt: UnaryReference(plain: Foundation.cbrt, derivative: { 1 / (3 * Foundation.cbrt($0) * Foundation.cbrt($0)) },
                                   domain: 0.05 ... 10, edges: [-8, 27, -0.01])
        case .invSqrt: UnaryReference(plain: { 1 / Foundation.sqrt($0) }, derivative: { -0.5 / ($0 * Foundation.sqrt($0)) },
                                      domain: 0.05 ... 10, edges: [1, 1e6, 0.01])
        case .invSquare: UnaryReference(plain: { 1 / ($0 * $0) }, derivative: { -2 / ($0 * $0 * $0) },
                                        domain: 0.2 ... 10, edges: [1, -3, 100])
        case .sin: UnaryReference(plain: Foundation.sin, derivative: Foundation.cos, domain: -5 ... 5, edges: [0, 100, -1e-8])
        case .cos: UnaryReference(plain: Foundation.cos, derivative: { -Foundation.sin($0) }, domain: -5 ... 5, edges: [0, 100, 3])
        case .tan: UnaryReference(plain: Foundation.tan, derivative: { 1 / (Foundation.cos($0) * Foundation.cos($0)) },
                                  domain: -1.4 ... 1.4, edges: [0, 1e-8, -1])
        case .asin: UnaryReference(plain: Foundation.asin, derivative: { 1 / (1 - $0 * $0).squareRoot() }, domain: -0.9 ... 0.9,
                                   edges: [0, 0.5, -0.99])
        case .acos: UnaryReference(plain: Foundation.acos, derivative: { -1 / (1 - $0 * $0).squareRoot() }, domain: -0.9 ... 0.9,
                                   edges: [0, 0.5, -0.99])
        case .sinh: UnaryReference(plain: Foundation.sinh, derivative: Foundation.cosh, domain: -5 ... 5, edges: [0, 1e-9, -20])
        case .cosh: UnaryReference(plain: Foundation.cosh, derivative: Foundation.sinh, domain: -5 ... 5, edges: [0, 1e-9, -20])
        case .asinh: UnaryReference(plain: Foundation.asinh, derivative: { 1 / ($0 * $0 + 1).squareRoot() }, domain: -5 ... 5,
                                    edges: [0, 1e6, -1e-9])
        case .acosh: UnaryReference(plain: Foundation.acosh, derivative: { 1 / ($0 * $0 - 1).squareRoot() }, domain: 1.1 ... 10,
                                    edges: [1.01, 1e6, 3])
        case .atanh: UnaryReference(plain: Foundation.atanh, derivative: { 1 / (1 - $0 * $0) }, domain: -0.9 ... 0.9,
                                    edges: [0, 0.99, -1e-9])
        case .trunc: UnaryReference(plain: { $0.rounded(.towardZero) }, derivative: { _ in 0 }, domain: 2.1 ... 2.9,
                                    edges: [-1.5, 3.5, -0.5])
        case .invPhi: UnaryReference(plain: SynmMath.normalQuantile,
                                     derivative: { (2 * Double.pi).squareRoot() * Foundation.exp(0.5 * pow(SynmMath.normalQuantile($0), 2)) },
                                     domain: 0.05 ... 0.95, edges: [0.5, 0.02, 0.98])
        case .tgamma: UnaryReference(plain: Foundation.tgamma, derivative: { Foundation.tgamma($0) * SynmMath.digamma($0) },
                                     domain: 0.2 ... 6, edges: [1, 2, 10])
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
