// MAP and maximum likelihood for a compiled model: L-BFGS on the unconstrained scale with
// the objective taken on the constrained scale (no log-Jacobian, like CmdStan's optimize
// with jacobian=0), then a Newton polish with the exact Hessian (Nocedal & Wright 2006,
// §3.3 with backtracking), standard errors from the inverse observed information at the
// optimum, and diagnoses: an optimum on a boundary, an unbounded objective, a Hessian that
// is not negative definite.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// What is maximised.
public enum OptimizationKind: String, Sendable {
    /// Log density (priors and likelihood), no Jacobian.
    case map
    /// Log-likelihood only (terms on data, with their footing weights).
    case mle

    public var options: CompiledModel.Options {
        CompiledModel.Options(unconstrained: true, jacobian: false, prior: self == .map, likelihood: true)
    }
    /// The same objective with constrained-scale inputs.
    public var constrainedOptions: CompiledModel.Options {
        CompiledModel.Options(unconstrained: false, jacobian: false, prior: self == .map, likelihood: true)
    }
}

/// A parameter element that ran to the edge of its space.
public struct BoundaryFinding: Sendable {
    public var name: String
    /// "lower bound", "upper bound", "+infinity" or "-infinity".
    public var edge: String
    public var value: Double
    /// The objective still grows there (no maximum at all).
    public var unbounded: Bool
}

/// An optimum with its standard errors and diagnoses.
public struct OptimizationResult: Sendable {
    public var kind: OptimizationKind
    public var names: [String]
    public var unconstrained: [Double]
    /// Constrained values, flat in layout order.
    public var estimate: [Double]
    /// The objective at the optimum (constrained scale, no Jacobian).
    public var lp: Double
    public var iterations: Int
    public var newtonSteps: Int
    public var stop: LBFGSStop
    public var converged: Bool
    /// Hessian of the objective with respect to the constrained values.
    public var hessian: Matrix
    public var eigen: SymmetricEigen
    /// √diag((−H)⁻¹), nil when −H is not positive definite.
    public var standardErrors: [Double]?
    public var boundary: [BoundaryFinding]
    public var warnings: [String]
    /// The model has parameters of constrained types (simplex, …): `hessian`, `eigen` and the
    /// boundary findings are on the unconstrained coordinates, and there are no standard errors.
    public var onUnconstrainedCoordinates = false
}

public enum ModelOptimizer {
    /// Whether each parameter element has a lower and an upper bound, from the declarations.
    public static func bounds(_ model: CheckedModel, _ compiled: CompiledModel) -> [(lower: Bool, upper: Bool)] {
        compiled.parameters.flatMap { p -> [(lower: Bool, upper: Bool)] in
            let t = model.symbol(named: p.name)?.declaredType
            // One entry per unconstrained coordinate (a constrained type's have no bounds).
            return Array(repeating: (t?.lower != nil, t?.upper != nil), count: p.freeCount)
        }
    }

    /// The start: uniform(−2, 2) on the unconstrained scale from `seed` (as Stan's default
    /// initialisation), redrawn up to 100 times until the objective and gradient are finite.
    public static func start(_ model: inout CompiledModel, kind: OptimizationKind, seed: UInt64) throws -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x0F7_0000)
        for _ in 0..<100 {
            let u = (0..<model.dimension).map { _ in -2 + 4 * rng.uniform01() }
            if let r = try? model.evaluate(u, options: kind.options), r.value.isFinite, r.gradient.allSatisfy(\.isFinite) {
                return u
            }
        }
        throw RuntimeError("no starting point with a finite objective in 100 draws of uniform(-2, 2) on the unconstrained scale",
                           span: nil, hint: "check the data and the support of the likelihood; try another --seed")
    }

    /// Maximises the objective of `kind` from `start` (unconstrained).
    public static func optimize(_ model: inout CompiledModel, bounds: [(lower: Bool, upper: Bool)], kind: OptimizationKind,
                         start: [Double]) throws -> OptimizationResult {
        let options = kind.options
        var lbfgs = LBFGS()
        // Bounded coordinates beyond ±60 mean a value within e⁻⁶⁰ of its bound; free ones may be large.
        lbfgs.coordinateLimits = bounds.map { $0.lower || $0.upper ? 60 : 1e15 }
        var m = model
        let first = lbfgs.minimize(start) { u in
            guard let r = try? m.evaluate(u, options: options), r.value.isFinite else { return nil }
            return (-r.value, r.gradient.map { -$0 })
        }
        var u = first.x
        var newtonSteps = 0
        if first.stop != .runaway && first.stop != .unbounded {
            newtonSteps = polish(&m, &u, options: options)
        }
        model = m
        let (lp, gradient) = try model.evaluate(u, options: options)
        let theta = try model.constrain(u)
        // With a parameter of a constrained type (simplex, …) the constrained values are not
        // coordinates: the Hessian, the boundary diagnosis and the curvature warnings are then
        // on the unconstrained coordinates (named theta.free[k]), and no standard errors are given.
        let structured = model.hasConstrainedTypes
        let h = structured ? try model.hessian(u, options: options).hessian
            : try model.hessian(theta, options: kind.constrainedOptions).hessian
        let hessian = Matrix(rows: h.count, cols: h.count, storage: h.flatMap { $0 })
        let eigen = hessian.symmetricEigen()
        let names = model.parameterNames
        let coordinateNames = structured ? model.unconstrainedNames : names
        var warnings: [String] = []
        let boundary = findBoundary(&model, u: u, lp: lp, bounds: bounds, names: coordinateNames,
                                    theta: structured ? u : theta, options: options)
        let unbounded = first.stop == .unbounded || !lp.isFinite
            || boundary.contains { $0.unbounded || $0.edge.hasSuffix("infinity") }
        let small = infNorm(gradient) <= 1e-6 * max(1, abs(lp))
        let converged = !unbounded && first.stop != .runaway && first.stop != .maxIterations && (small || !boundary.isEmpty)
        for b in boundary {
            if b.edge.hasSuffix("infinity") && !b.unbounded {
                warnings.append("there is no finite optimum: \(b.name) runs off to \(b.edge) (\(b.name) = \(fourDigits(b.value)) when the search stopped) while the objective keeps rising ever more slowly toward its supremum (in a logistic regression: separated data)")
            } else if b.unbounded {
                warnings.append("the objective is unbounded: it keeps growing as \(b.name) → \(b.edge) (\(b.name) = \(fourDigits(b.value)), lp = \(fourDigits(lp))); there is no \(kind == .mle ? "MLE" : "MAP estimate")")
            } else {
                warnings.append("the optimum is on the boundary: \(b.name) is at its \(b.edge) (\(b.name) = \(fourDigits(b.value))); the objective is flat or still rising toward it, so this is not an interior maximum and standard errors from the Hessian are not valid there")
            }
        }
        if first.stop == .maxIterations { warnings.append("L-BFGS did not converge in \(lbfgs.maxIterations) iterations") }
        if first.stop == .lineSearchFailed && !small && !unbounded {
            warnings.append("the line search failed before the gradient vanished (|gradient| = \(fourDigits(infNorm(gradient)))); the result may not be an optimum")
        }
        let se = boundary.isEmpty && !structured ? seFromInformation(hessian.scaled(-1)) : nil
        if structured {
            warnings.append("standard errors are not given for a model with parameters of constrained types (\(model.parameters.filter { $0.constrainedType != nil }.map(\.name).joined(separator: ", "))); sample it with synm run for their uncertainty")
        }
        if boundary.isEmpty, !eigen.isNegativeDefinite {
            warnings.append(notNegativeDefinite(eigen, names: coordinateNames))
        } else if eigen.isNegativeDefinite, eigen.conditionNumber > 1e12 {
            warnings.append("the Hessian is nearly singular (condition number \(fourDigits(eigen.conditionNumber))); some parameters are barely identified and their standard errors are unreliable")
        }
        return OptimizationResult(kind: kind, names: names, unconstrained: u, estimate: theta, lp: lp,
                                  iterations: first.iterations, newtonSteps: newtonSteps, stop: first.stop,
                                  converged: converged, hessian: hessian, eigen: eigen, standardErrors: se,
                                  boundary: boundary, warnings: warnings, onUnconstrainedCoordinates: structured)
    }

    /// Newton's method on the exact Hessian with backtracking, while −H is positive definite.
    /// Returns the number of steps taken.
    public static func polish(_ model: inout CompiledModel, _ u: inout [Double], options: CompiledModel.Options) -> Int {
        var steps = 0
        for _ in 0..<20 {
            guard let (v, g, h) = try? model.hessian(u, options: options), v.isFinite else { break }
            if infNorm(g) <= 1e-13 * max(1, abs(v)) { break }
            let negative = Matrix(rows: u.count, cols: u.count, storage: h.flatMap { $0.map { -$0 } })
            guard let l = negative.cholesky() else { break }
            let d = l.choleskySolve(g)
            var t = 1.0
            var accepted = false
            while t > 1e-10 {
                let trial = zip(u, d).map { $0 + t * $1 }
                if let r = try? model.evaluate(trial, options: options), r.value.isFinite, r.value >= v - 1e-12 * max(1, abs(v)) {
                    u = trial
                    accepted = true
                    break
                }
                t /= 2
            }
            guard accepted else { break }
            steps += 1
            if infNorm(d) * t <= 1e-14 * max(1, infNorm(u)) { break }
        }
        return steps
    }

    /// Elements whose maximum is at the edge of their space: pushing the element further
    /// out (5 units on the unconstrained scale for a bounded one, beyond |u| > 8; to twice
    /// its value for a free one) does not lower the objective. If it rises by more than 1
    /// there, the objective is unbounded.
    public static func findBoundary(_ model: inout CompiledModel, u: [Double], lp: Double, bounds: [(lower: Bool, upper: Bool)],
                             names: [String], theta: [Double], options: CompiledModel.Options) -> [BoundaryFinding] {
        var found: [BoundaryFinding] = []
        for k in u.indices {
            let bounded = bounds[k].lower || bounds[k].upper
            if bounded && abs(u[k]) <= 8 { continue }
            var pushed = u
            pushed[k] += (u[k] < 0 ? -1 : 1) * (bounded ? 5 : max(5, abs(u[k])))
            let further = (try? model.evaluate(pushed, options: options).value) ?? -.infinity
            guard further.isNaN || further >= lp - 1e-6 * max(1, abs(lp)) else { continue }
            let edge: String
            switch (bounds[k].lower, bounds[k].upper) {
            case (true, true): edge = u[k] < 0 ? "lower bound" : "upper bound"
            case (true, false): edge = u[k] < 0 ? "lower bound" : "+infinity"
            case (false, true): edge = u[k] < 0 ? "upper bound" : "-infinity"
            case (false, false): edge = u[k] < 0 ? "-infinity" : "+infinity"
            }
            found.append(BoundaryFinding(name: names[k], edge: edge, value: theta[k], unbounded: further > lp + 1))
        }
        return found
    }

    /// √diag(I⁻¹) for a positive definite information matrix, else nil.
    public static func seFromInformation(_ information: Matrix) -> [Double]? {
        guard information.rows > 0, let inverse = information.inverseSPD() else { return information.rows == 0 ? [] : nil }
        return (0..<information.rows).map { inverse[$0, $0].squareRoot() }
    }

    /// The message for a Hessian that is not negative definite: its eigenvalues and the
    /// directions (eigenvectors, largest components named) along which it is not.
    public static func notNegativeDefinite(_ eigen: SymmetricEigen, names: [String]) -> String {
        let values = eigen.values.map { fourDigits($0) }.joined(separator: ", ")
        var directions: [String] = []
        for (j, v) in eigen.values.enumerated() where v >= 0 || v > -1e-12 * (eigen.values.map(abs).max() ?? 1) {
            directions.append("\(direction(eigen, j, names)) (eigenvalue \(fourDigits(v)))")
        }
        return "the Hessian of the objective is not negative definite at the optimum (eigenvalues \(values)); it is flat or curves upward along \(directions.joined(separator: "; ")): this is a saddle point or a ridge, not a strict maximum, and standard errors are not available"
    }

    /// An eigenvector as a combination of named parameters (components above 0.1).
    public static func direction(_ eigen: SymmetricEigen, _ j: Int, _ names: [String]) -> String {
        let parts = names.indices.compactMap { i -> String? in
            let c = eigen.vectors[i, j]
            return abs(c) < 0.1 ? nil : "\(c < 0 ? "-" : "+")\(String(format: "%.2f", abs(c)))·\(names[i])"
        }
        let s = parts.joined(separator: " ")
        return s.hasPrefix("+") ? String(s.dropFirst()) : s
    }
}

extension Matrix {
    /// Every entry times `c`.
    public func scaled(_ c: Double) -> Matrix { Matrix(rows: rows, cols: cols, storage: storage.map { $0 * c }) }
    /// Rows as arrays.
    public var rowArrays: [[Double]] { (0..<rows).map { i in (0..<cols).map { self[i, $0] } } }
}
