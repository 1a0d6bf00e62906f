// The harness for tiny inline models: each is checked, bound and compiled, then its exact
// gradient is compared with finite differences, its exact Hessian with finite differences
// of the exact gradient, and the Dual path (the Hessian's value) with the Double path, at
// 20 seeded random points plus edge points (far tails, which for bounded parameters means
// close to the bounds).
import Foundation
import SynmMath
import Testing
@testable import SynmRuntime

/// A tiny model with its points.
struct InlineCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    /// Scale of the random unconstrained coordinates.
    var scale: Double = 1.5
    /// Magnitude of the edge coordinates (all +E, all −E, alternating).
    var edge: Double = 6
    /// Unconstrained coordinate values where the model has a kink (an `if` on a parameter,
    /// a comparison): a point closer than 0.01 to one is moved 0.02 away, so the
    /// finite-difference stencil (reaching 2h ≈ 1.5e-3·max(|x|, 1)) never straddles it.
    var kinks: [Double] = []

    init(_ name: String, scale: Double = 1.5, edge: Double = 6, kinks: [Double] = [], _ text: String) {
        self.name = name
        self.text = text
        self.scale = scale
        self.edge = edge
        self.kinks = kinks
    }

    var testDescription: String { name }

    /// Eight schools, non-centred (models/eight_schools.synm without its predict node): a data
    /// variate with a variable location and a data scale, a bounded scale, a non-centred let.
    static let eightSchools = InlineCase("eight schools", """
        data y: real[8] = [28, 8, -3, 7, -1, 1, 18, 12]
        data sigma: real<lower=0>[8] = [15, 10, 16, 11, 9, 11, 10, 18]
        param mu: real
        param tau: real<lower=0>
        param eta: real[8]
        let theta = mu + tau * eta
        mu ~ normal(0, 5)
        tau ~ cauchy(0, 5)
        eta ~ normal(0, 1)
        y ~ normal(theta, sigma)
        """)

    /// Constant bounds of every kind: lower, upper, both, on arrays and scalars.
    static let constantBounds = InlineCase("constant bounds", """
        param a: real<lower=-1>[3]
        param b: real<upper=2>
        param c: real<lower=0, upper=3>[2]
        a ~ normal(0, 1)
        b ~ normal(0, 1)
        c ~ normal(1, 1)
        """)

    /// 20 seeded points and three edge points (all near +E, all near −E, alternating). Edge
    /// coordinates differ slightly (E·(1 − 0.07k)) so that no two tie: `min`, `max` and
    /// `sd` are not differentiable where elements are equal.
    func points(dimension n: Int) -> [[Double]] {
        var seed: UInt64 = 0x5EED
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        let random = randomPoints(dimension: n, count: 20, seed: seed, scale: scale)
        let magnitude = (0..<n).map { edge * (1 - 0.07 * Double($0 % 12)) }
        let edges = [magnitude, magnitude.map { -$0 }, magnitude.enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element }]
        return (random + edges).map { point in
            point.map { xi in
                guard let k = kinks.first(where: { Swift.abs(xi - $0) < 0.01 }) else { return xi }
                return xi < k ? k - 0.02 : k + 0.02
            }
        }
    }
}

/// Gradient, Hessian and Dual-versus-Double checks of one inline model.
func checkInlineModel(_ c: InlineCase, hessian checkHessian: Bool = true,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    var model = try compile(c.text)
    let n = model.dimension
    #expect(n > 0, "\(c.name): no parameters", sourceLocation: sourceLocation)
    for x in c.points(dimension: n) {
        let double: (value: Double, gradient: [Double])
        do { double = try model.evaluate(x) } catch {
            // The Dual path must throw too (iff), then there is nothing else to compare.
            #expect(throws: RuntimeError.self, "\(c.name): the Double path threw (\(error)) but the Dual path did not",
                    sourceLocation: sourceLocation) { _ = try model.hessian(x) }
            Issue.record("\(c.name): evaluation failed at \(x): \(error)", sourceLocation: sourceLocation)
            continue
        }
        #expect(double.value.isFinite, "\(c.name): value \(double.value) at \(x)", sourceLocation: sourceLocation)
        expectModelGradientMatchesFiniteDifferences(&model, at: x, c.name, sourceLocation: sourceLocation)
        guard checkHessian else { continue }
        let dual = try model.hessian(x)
        // The same program on Dual numbers: value and gradient equal the Double path's, bit for bit
        // (the Dual value part runs the same Double operations).
        #expect(dual.value == double.value,
                "\(c.name): Dual value \(dual.value), Double value \(double.value) at \(x)", sourceLocation: sourceLocation)
        #expect(dual.gradient == double.gradient,
                "\(c.name): Dual gradient \(dual.gradient), Double gradient \(double.gradient) at \(x)",
                sourceLocation: sourceLocation)
        expectHessianMatchesFiniteDifferences(&model, dual.hessian, at: x, c.name, sourceLocation: sourceLocation)
    }
}

/// Expects `hessian` (exact, at `x`) to be symmetric and to match central differences of
/// the model's exact gradient, column by column.
func expectHessianMatchesFiniteDifferences(_ model: inout CompiledModel, _ hessian: [[Double]], at x: [Double],
                                           _ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let n = x.count
    // Symmetry: forward-over-reverse computes Hᵢⱼ and Hⱼᵢ by different passes.
    for i in 0..<n {
        for j in 0..<i where relativeError(hessian[i][j], hessian[j][i]) > 1e-9 {
            Issue.record("\(label): H[\(i)][\(j)] = \(hessian[i][j]) but H[\(j)][\(i)] = \(hessian[j][i]) at \(x)",
                         sourceLocation: sourceLocation)
        }
    }
    // Column j of H against finite differences of the exact gradient along xⱼ (one
    // stencil gives the whole column). An entry below 1e-9 of the matrix's largest is
    // compared absolutely: gᵢ is itself a sum whose rounding (relative to its largest
    // terms) swamps such an entry's finite difference.
    var copy = model
    let scale = hessian.joined().map { Swift.abs($0) }.max() ?? 0
    for j in 0..<n {
        let (column, roundoff) = centralDifference({ (try? copy.evaluate($0).gradient) ?? [Double](repeating: .nan, count: n) },
                                                   at: x, coordinate: j)
        for i in 0..<n {
            let (ok, allowed) = derivativeMatches(hessian[i][j], column[i], roundoff: roundoff[i], relTol: 1e-6,
                                                  absTol: 1e-9 * scale)
            if !ok {
                Issue.record("\(label): H[\(i)][\(j)] = \(hessian[i][j]), finite difference of the gradient \(column[i]), allowed \(allowed), at \(x)",
                             sourceLocation: sourceLocation)
            }
        }
    }
}
