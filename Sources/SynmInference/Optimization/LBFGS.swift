// Limited-memory BFGS for smooth minimisation: the two-loop recursion of Nocedal & Wright,
// *Numerical Optimization* (2nd ed., 2006), Algorithm 7.4/7.5, with a line search satisfying
// the strong Wolfe conditions (Algorithms 3.5 and 3.6, cubic interpolation in the zoom).
// Non-finite objective values are treated as "too far": the step is shortened.

/// Why L-BFGS stopped.
public enum LBFGSStop: Equatable, Sendable {
    /// ‖∇f‖∞ fell below the gradient tolerance.
    case gradient
    /// The objective stopped changing (relative change below tolerance, several times).
    case stalled
    /// A coordinate ran beyond its limit (an optimum at infinity on this scale).
    case runaway
    /// The objective fell below `-1e300` (unbounded below).
    case unbounded
    /// No step along the search direction decreased f.
    case lineSearchFailed
    case maxIterations
}

/// The result of a minimisation.
public struct LBFGSResult: Sendable {
    public var x: [Double]
    public var value: Double
    public var gradient: [Double]
    public var iterations: Int
    public var evaluations: Int
    public var stop: LBFGSStop
}

/// L-BFGS minimiser (Nocedal & Wright 2006, §7.2).
public struct LBFGS {
    /// Number of correction pairs kept (m in Nocedal & Wright; 3–20 is usual).
    public var memory = 8
    public var maxIterations = 5000
    /// Stop when ‖∇f‖∞ ≤ gradientTolerance · max(1, |f|).
    public var gradientTolerance = 1e-9
    /// Stop after 5 successive iterations with |Δf| ≤ relativeTolerance · max(1, |f|).
    public var relativeTolerance = 1e-14
    /// Stop when a coordinate's magnitude exceeds its limit (a boundary or divergent
    /// optimum); coordinates without an entry are unlimited.
    public var coordinateLimits: [Double] = []

    public init() {}

    /// The objective: value and gradient, or nil where it cannot be evaluated.
    public typealias Objective = ([Double]) -> (value: Double, gradient: [Double])?

    /// Minimises `f` from `x0`, which must be a point where f is finite.
    public func minimize(_ x0: [Double], _ f: Objective) -> LBFGSResult {
        var evaluations = 1
        guard var (fx, g) = f(x0), fx.isFinite else {
            return LBFGSResult(x: x0, value: .nan, gradient: [], iterations: 0, evaluations: 1, stop: .lineSearchFailed)
        }
        var x = x0
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var stalls = 0
        for iteration in 0..<maxIterations {
            if infNorm(g) <= gradientTolerance * max(1, abs(fx)) {
                return LBFGSResult(x: x, value: fx, gradient: g, iterations: iteration, evaluations: evaluations, stop: .gradient)
            }
            // Two-loop recursion (Algorithm 7.4): d = −H g.
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[i] = rho[i] * dot(s[i], q)
                axpy(-alpha[i], y[i], &q)
            }
            let gamma = s.isEmpty ? 1 / max(1, infNorm(g)) : dot(s.last!, y.last!) / dot(y.last!, y.last!)
            var r = q.map { $0 * gamma }
            for i in 0..<s.count {
                let beta = rho[i] * dot(y[i], r)
                axpy(alpha[i] - beta, s[i], &r)
            }
            var d = r.map { -$0 }
            if dot(d, g) >= 0 {  // not a descent direction: restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                d = g.map { -$0 / max(1, infNorm(g)) }
            }
            guard let step = lineSearch(x: x, fx: fx, g: g, d: d, f: f, evaluations: &evaluations) else {
                if !s.isEmpty {  // retry once from steepest descent before giving up
                    s.removeAll(); y.removeAll(); rho.removeAll()
                    continue
                }
                return LBFGSResult(x: x, value: fx, gradient: g, iterations: iteration, evaluations: evaluations,
                                   stop: .lineSearchFailed)
            }
            let sk = zip(step.x, x).map { $0 - $1 }, yk = zip(step.gradient, g).map { $0 - $1 }
            let previous = fx
            (x, fx, g) = (step.x, step.value, step.gradient)
            let sy = dot(sk, yk)
            if sy > 1e-12 * dot(yk, yk).squareRoot() * dot(sk, sk).squareRoot() {  // keep H positive definite
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            if fx < -1e300 {
                return LBFGSResult(x: x, value: fx, gradient: g, iterations: iteration + 1, evaluations: evaluations, stop: .unbounded)
            }
            if zip(x, coordinateLimits).contains(where: { abs($0) > $1 }) {
                return LBFGSResult(x: x, value: fx, gradient: g, iterations: iteration + 1, evaluations: evaluations, stop: .runaway)
            }
            stalls = abs(previous - fx) <= relativeTolerance * max(1, abs(fx)) ? stalls + 1 : 0
            if stalls >= 5 {
                return LBFGSResult(x: x, value: fx, gradient: g, iterations: iteration + 1, evaluations: evaluations, stop: .stalled)
            }
        }
        return LBFGSResult(x: x, value: fx, gradient: g, iterations: maxIterations, evaluations: evaluations, stop: .maxIterations)
    }

    /// A step length satisfying the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9), by
    /// Algorithm 3.5 (bracketing) and 3.6 (zoom). Returns the new point, or nil.
    public func lineSearch(x: [Double], fx: Double, g: [Double], d: [Double], f: Objective, evaluations: inout Int)
        -> (x: [Double], value: Double, gradient: [Double])?
    {
        let c1 = 1e-4, c2 = 0.9
        let dg0 = dot(g, d)
        // Cap the first trial so that no coordinate moves more than 10 units at once.
        var a = min(1, 10 / max(infNorm(d), 1e-300))
        var aPrev = 0.0, fPrev = fx, dgPrev = dg0
        func at(_ t: Double) -> (x: [Double], value: Double, gradient: [Double], dg: Double)? {
            evaluations += 1
            let xt = zip(x, d).map { $0 + t * $1 }
            guard let (v, gt) = f(xt), v.isFinite, gt.allSatisfy(\.isFinite) else { return nil }
            return (xt, v, gt, dot(gt, d))
        }
        func zoom(_ lo0: Double, _ flo0: Double, _ dglo0: Double, _ hi0: Double, _ fhi0: Double, _ dghi0: Double)
            -> (x: [Double], value: Double, gradient: [Double])?
        {
            var (lo, flo, dglo, hi, fhi, dghi) = (lo0, flo0, dglo0, hi0, fhi0, dghi0)
            for _ in 0..<40 {
                var t = cubicMinimizer(lo, flo, dglo, hi, fhi, dghi)
                let (left, right) = (min(lo, hi), max(lo, hi))
                if !t.isFinite || t <= left + 0.1 * (right - left) || t >= right - 0.1 * (right - left) { t = (lo + hi) / 2 }
                guard let p = at(t) else { (hi, fhi, dghi) = (t, .infinity, .nan); continue }
                if p.value > fx + c1 * t * dg0 || p.value >= flo {
                    (hi, fhi, dghi) = (t, p.value, p.dg)
                } else {
                    if abs(p.dg) <= -c2 * dg0 { return (p.x, p.value, p.gradient) }
                    if p.dg * (hi - lo) >= 0 { (hi, fhi, dghi) = (lo, flo, dglo) }
                    (lo, flo, dglo) = (t, p.value, p.dg)
                }
                if abs(hi - lo) < 1e-16 * max(1, abs(lo)) { break }
            }
            // Accept the best sufficient-decrease point found, if any.
            if lo > 0, flo < fx, let p = at(lo) { return (p.x, p.value, p.gradient) }
            return nil
        }
        for i in 0..<60 {
            guard let p = at(a) else {  // too far: shorten
                a = aPrev + (a - aPrev) / 4
                if a - aPrev < 1e-20 { return nil }
                continue
            }
            if p.value > fx + c1 * a * dg0 || (i > 0 && p.value >= fPrev) {
                return zoom(aPrev, fPrev, dgPrev, a, p.value, p.dg)
            }
            if abs(p.dg) <= -c2 * dg0 { return (p.x, p.value, p.gradient) }
            if p.dg >= 0 { return zoom(a, p.value, p.dg, aPrev, fPrev, dgPrev) }
            (aPrev, fPrev, dgPrev) = (a, p.value, p.dg)
            a *= 2
        }
        return nil
    }

    /// The minimiser of the cubic interpolating f and f′ at a and b (Nocedal & Wright eq. 3.59).
    public func cubicMinimizer(_ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double) -> Double {
        guard fb.isFinite, db.isFinite else { return .nan }
        let d1 = da + db - 3 * (fa - fb) / (a - b)
        let disc = d1 * d1 - da * db
        guard disc >= 0 else { return .nan }
        let d2 = (b > a ? 1.0 : -1.0) * disc.squareRoot()
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2)
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += a * x[i] }
}

/// max |vᵢ|.
public func infNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
