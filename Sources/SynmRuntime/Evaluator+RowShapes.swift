// The row loop of a density term for the common operand kinds (docs/PERFORMANCE.md, "Small
// models: fixed costs per gradient"): `beta ~ normal(0, 5)` (a variable variate, scalar
// arguments), `y ~ normal(theta, sigma)` (a data variate, a variable location, a data or
// scalar scale). `rows` hands these to `rowsLoop` with the kinds as constants, so each lane's
// kind is not tested per row; the loop computes and writes exactly what `rows` does (the
// same values, sums in the same order, the same edge slots), so results are bit for bit
// the same. Double only: the Dual path keeps the generic loop (code size).
import SynmAutodiff
import SynmDistributions
import SynmMath

extension Evaluator {
    /// The row loop for the operand kinds it covers; nil for the others (and for offsets).
    @inline(__always)
    static func rowsByKind<K: RowKernel>(
        _ kernel: K.Type, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T, _ domains: [ArgumentDomain],
        _ arity: Int, _ writer: NodeWriter<T>, _ failed: inout RowFailure
    ) -> T? {
        guard T.self == Double.self, l.1.offsetBase < 0, l.2.offsetBase < 0, l.3.offsetBase < 0 else { return nil }
        switch (l.0.kind, l.1.kind, l.2.kind, l.3.kind) {
        case (.variables, .scalar, .scalar, .scalar):
            return rowsLoop(K.self, l, n, w, domains, arity, writer, &failed, VariablesLane.self, ScalarLane.self,
                            ScalarLane.self, ScalarLane.self)
        case (.constants, .variables, .constants, .scalar):
            return rowsLoop(K.self, l, n, w, domains, arity, writer, &failed, ConstantsLane.self, VariablesLane.self,
                            ConstantsLane.self, ScalarLane.self)
        case (.constants, .variables, .scalarVariable, .scalar):
            return rowsLoop(K.self, l, n, w, domains, arity, writer, &failed, ConstantsLane.self, VariablesLane.self,
                            ScalarVariableLane.self, ScalarLane.self)
        case (.constants, .variables, .scalar, .scalar):
            return rowsLoop(K.self, l, n, w, domains, arity, writer, &failed, ConstantsLane.self, VariablesLane.self,
                            ScalarLane.self, ScalarLane.self)
        default:
            return nil
        }
    }

    /// `rows` with the lanes' kinds given as types (so each combination is its own
    /// specialisation, its kind tests constants) and no offsets.
    static func rowsLoop<K: RowKernel, S0: LaneShape, S1: LaneShape, S2: LaneShape, S3: LaneShape>(
        _ kernel: K.Type, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T, _ domains: [ArgumentDomain],
        _ arity: Int, _ writer: NodeWriter<T>, _ failed: inout RowFailure,
        _ s0: S0.Type, _ s1: S1.Type, _ s2: S2.Type, _ s3: S3.Type
    ) -> T {
        @inline(__always) func value<S: LaneShape>(_ x: Lane<T>, _ shape: S.Type, _ k: Int) -> T {
            if S.kind == .constants { return writer.constant(x.base + Int32(truncatingIfNeeded: k)) + x.offset }
            if S.kind == .variables { return writer.value(x.base + Int32(truncatingIfNeeded: k)) + x.offset }
            return x.scalar
        }
        let k0 = S0.kind, k1 = S1.kind, k2 = S2.kind, k3 = S3.kind
        var total = T(0)
        var p = DensityPartials<T>()
        var sy = T(0), sa = T(0), sb = T(0), sc = T(0)
        let checkRows = k1 == .constants || k1 == .variables || k2 == .constants || k2 == .variables
            || k3 == .constants || k3 == .variables
        // Edge slot offsets of the array operands (as `rows`).
        let oy = 0
        let oa = oy + (k0 == .variables ? n : 0)
        let ob = oa + (k1 == .variables ? n : 0)
        let oc = ob + (k2 == .variables ? n : 0)
        var scalarSlot = oc + (k3 == .variables ? n : 0)
        let da = arity > 0 ? domains[0] : .finite, db = arity > 1 ? domains[1] : .finite
        let dc = arity > 2 ? domains[2] : .finite
        for k in 0..<n {
            let yk = value(l.0, S0.self, k), ak = value(l.1, S1.self, k), bk = value(l.2, S2.self, k), ck = value(l.3, S3.self, k)
            if checkRows, !((arity < 1 || satisfies(da, ak.value, previous: 0))
                            && (arity < 2 || satisfies(db, bk.value, previous: ak.value))
                            && (arity < 3 || satisfies(dc, ck.value, previous: bk.value))) {
                failed = .invalidArguments(k)
                return T(-.infinity)
            }
            total += K.row(yk, ak, bk, ck, &p)
            if k0 == .variables { writer.edge(oy + k, from: l.0.base + Int32(k), toOutput: 0, partial: p.variate * w) }
            else if k0 == .scalarVariable { sy += p.variate }
            if k1 == .variables { writer.edge(oa + k, from: l.1.base + Int32(k), toOutput: 0, partial: p.a * w) }
            else if k1 == .scalarVariable { sa += p.a }
            if k2 == .variables { writer.edge(ob + k, from: l.2.base + Int32(k), toOutput: 0, partial: p.b * w) }
            else if k2 == .scalarVariable { sb += p.b }
            if k3 == .variables { writer.edge(oc + k, from: l.3.base + Int32(k), toOutput: 0, partial: p.c * w) }
            else if k3 == .scalarVariable { sc += p.c }
        }
        if !total.value.isFinite {
            // Find the row (rare path: the sum is −∞ or NaN).
            for k in 0..<n {
                let v = K.row(value(l.0, S0.self, k), value(l.1, S1.self, k), value(l.2, S2.self, k), value(l.3, S3.self, k), &p)
                if !v.value.isFinite {
                    failed = .notFinite(k)
                    break
                }
            }
            if case .none = failed { failed = .notFinite(0) }
            return total
        }
        if k0 == .scalarVariable { writer.edge(scalarSlot, from: l.0.base, toOutput: 0, partial: sy * w); scalarSlot += 1 }
        if k1 == .scalarVariable { writer.edge(scalarSlot, from: l.1.base, toOutput: 0, partial: sa * w); scalarSlot += 1 }
        if k2 == .scalarVariable { writer.edge(scalarSlot, from: l.2.base, toOutput: 0, partial: sb * w); scalarSlot += 1 }
        if k3 == .scalarVariable { writer.edge(scalarSlot, from: l.3.base, toOutput: 0, partial: sc * w); scalarSlot += 1 }
        return total
    }
}

/// A lane kind as a type (`Evaluator.rowsLoop`).
protocol LaneShape {
    static var kind: LaneKind { get }
}
/// `Lane.Kind`, outside the generic `Lane`.
enum LaneKind { case scalar, scalarVariable, constants, variables }
enum ScalarLane: LaneShape { static var kind: LaneKind { .scalar } }
enum ScalarVariableLane: LaneShape { static var kind: LaneKind { .scalarVariable } }
enum ConstantsLane: LaneShape { static var kind: LaneKind { .constants } }
enum VariablesLane: LaneShape { static var kind: LaneKind { .variables } }
