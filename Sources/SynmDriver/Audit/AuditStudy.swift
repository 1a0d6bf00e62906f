// The simulation study behind `synm audit` (issue 6; the paper, Theorems 5 and 8 and §5):
// at a point θ₀, R replicates, each
//   1. simulates the real data of the real sizes at θ₀: every data node with a `~`
//      statement is drawn from its likelihood (random stream 0xA0D_0000 + r of the seed);
//   2. regenerates every synthetic node by its generator:
//      - bootstrap, reweight, periodic (and generators that fit): from the simulated real
//        data, with the replicate's synthetic seed seed + 0x9E3779B97F4A7C15·(r + 1);
//      - external(source_n = N, overlap = K), m rows: the third party's N source units are
//        units 0..<K = the first K rows of OUR simulated real data (the real node whose
//        likelihood statement uses the same distribution), and units K..<N drawn at θ₀ from
//        the external node's own likelihood statement (unit K + j is row j mod m of a
//        simulation of the node, block ⌊j/m⌋); the m rows are a with-replacement resample
//        of the N units (the third party's generator is taken to be a bootstrap of its
//        source sample, so rows are treated as exchangeable);
//   3. fits every footing variant (FootingVariants) by maximum likelihood — L-BFGS from θ₀
//      on the unconstrained scale, Newton polish on the exact Hessian — with standard errors
//      √diag(J⁻¹) from the observed information on the constrained scale, and records, per
//      parameter element, the estimate, the SE and whether θ₀ lies in θ̂ ± 1.959964·SE.
// A fit that does not converge, ends on a boundary, has no positive definite information,
// or cannot be made (an error) is counted as failed under its reason and left out of that
// variant's summaries. Replicates run on parallel threads; every random draw of replicate r
// comes from streams and seeds of (seed, r) alone, so the results do not depend on the
// number of threads.
import Dispatch
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmMath
import SynmRuntime

/// One variant's fit on one replicate.
struct AuditFit: Sendable {
    var estimate: [Double] = []
    var se: [Double] = []
    /// Why the fit is not used: "not converged", "boundary", "no standard errors", "error".
    var failure: String?
    /// The error, for failure "error".
    var message: String?
}

/// How an external node is regenerated.
struct ExternalPlan: Sendable {
    var node: String
    var sourceN: Int
    var overlap: Int
    /// The real node whose first `overlap` rows are shared units.
    var counterpart: String?
}

/// Everything the study needs, fixed before the replicates run.
struct AuditStudy: Sendable {
    var model: CheckedModel
    var source: SourceFile
    var base: CompiledModel
    var variants: [FootingVariant]
    var at: [String: [Double]]
    var theta: [Double]
    var names: [String]
    var externals: [ExternalPlan]
    var reps: Int
    var seed: UInt64

    static let z95 = 1.959963984540054

    init(model: CheckedModel, source: SourceFile, base: CompiledModel, theta: [Double], reps: Int, seed: UInt64) throws {
        self.model = model
        self.source = source
        self.base = base
        self.theta = theta
        self.reps = reps
        self.seed = seed
        names = base.parameterNames
        var at: [String: [Double]] = [:]
        for p in base.parameters { at[p.name] = Array(theta[p.offset..<p.offset + p.count]) }
        self.at = at
        variants = FootingVariants.variants(of: model)
        externals = try FootingVariants.syntheticTerms(model).filter { $0.generator == .external }.map { s in
            let (n, k) = try InformationAccounting.externalSource(s, data: base.data)
            guard n >= 1, k >= 0, k <= n, n == n.rounded(), k == k.rounded() else {
                throw RuntimeError("external node '\(s.name)': source_n and overlap must be whole numbers with 0 ≤ overlap ≤ source_n",
                                   span: s.span)
            }
            var counterpart: String?
            if k > 0 {
                guard let c = AuditStudy.counterpart(of: s, in: model) else {
                    throw RuntimeError("external node '\(s.name)' shares \(Int(k)) units with our sample, but no real data node has a likelihood with the same distribution to take them from",
                                       span: s.span, hint: "the audit takes the shared units to be the first `overlap` rows of that real node")
                }
                let rows = base.data[c]?.shape.first ?? 0
                guard Int(k) <= rows else {
                    throw RuntimeError("external node '\(s.name)': overlap = \(Int(k)) exceeds the \(rows) rows of '\(c)'", span: s.span)
                }
                counterpart = c
            }
            return ExternalPlan(node: s.name, sourceN: Int(n), overlap: Int(k), counterpart: counterpart)
        }
    }

    /// The real data node whose top-level likelihood uses the same distribution as the
    /// external node's (identical arguments preferred, else the first).
    static func counterpart(of node: SymbolInfo, in model: CheckedModel) -> String? {
        var call: DistCall?
        var real: [(String, DistCall)] = []
        for s in model.program.statements {
            guard case .tilde(let lhs, let dist, _) = s.kind, let (name, _) = lhs.rootName,
                  let symbol = model.symbol(named: name) else { continue }
            if name == node.name { call = call ?? dist }
            if symbol.role == .data { real.append((name, dist)) }
        }
        guard let call else { return nil }
        let same = real.filter { $0.1.name == call.name }
        func text(_ d: DistCall) -> String { "\(d.args.map { "\($0.label ?? ""):\($0.value)" })" }
        return (same.first { text($0.1) == text(call) } ?? same.first)?.0
    }

    /// The seed of replicate r's generated synthetic nodes.
    func syntheticSeed(_ r: Int) -> UInt64 { seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1) }

    /// Runs every replicate on `threads` threads; result[r][v] is variant v on replicate r.
    func run(threads: Int) -> [[AuditFit]] {
        let results = Mutex<[[AuditFit]?]>(Array(repeating: nil, count: reps))
        let workers = max(1, min(threads, reps))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for r in stride(from: worker, to: reps, by: workers) {
                let fits: [AuditFit]
                do {
                    fits = try replicate(r)
                } catch {
                    let message = (error as? RuntimeError)?.message ?? "\(error)"
                    fits = variants.map { _ in AuditFit(failure: "error", message: message) }
                }
                results.withLock { $0[r] = fits }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Replicate r's data table: real data simulated at the point, external rows rebuilt;
    /// generated synthetic nodes are left for compilation to draw.
    func replicateData(_ r: Int) throws -> DataTable {
        let sim = try base.simulate(rng: Xoshiro256StarStar(seed: seed, stream: 0xA0D_0000 + UInt64(r)), parameters: at)
        var table = DataTable()
        for name in sim.table.names {
            if let s = model.symbol(named: name), s.role == .synthetic, s.generator != .external { continue }
            table.set(name, sim.table[name]!)
        }
        for (e, plan) in externals.enumerated() {
            guard let drawn = sim.data[plan.node], let m = drawn.shape.first, m > 0 else { continue }
            let width = drawn.count / m
            var units: [Double] = []
            units.reserveCapacity(plan.sourceN * width)
            if let c = plan.counterpart, let ours = sim.table[c] {
                let w = ours.count / max(1, ours.shape.first ?? 1)
                guard w == width else {
                    throw RuntimeError("external node '\(plan.node)' has rows of \(width) values but '\(c)' has rows of \(w)")
                }
                units.append(contentsOf: ours.values[0..<plan.overlap * width])
            }
            let unitSeed = seed &+ 0xA0E_5EED &* UInt64(r + 1)
            var block = 0
            while units.count < plan.sourceN * width {
                let s = try base.simulate(rng: Xoshiro256StarStar(seed: unitSeed, stream: UInt64(e) << 32 | UInt64(block)),
                                          parameters: at)
                guard let rows = s.data[plan.node] else { break }
                units.append(contentsOf: rows.values.prefix(plan.sourceN * width - units.count))
                block += 1
            }
            var rng = Xoshiro256StarStar(seed: unitSeed, stream: 0xFFFF_0000_0000 + UInt64(e))
            var values: [Double] = []
            values.reserveCapacity(m * width)
            for _ in 0..<m {
                let u = Int(rng.next() % UInt64(plan.sourceN))
                values.append(contentsOf: units[u * width..<(u + 1) * width])
            }
            table.set(plan.node, DataArray(shape: drawn.shape, values: values, isInteger: drawn.isInteger))
        }
        return table
    }

    /// One replicate: its data, then an MLE per footing variant.
    func replicate(_ r: Int) throws -> [AuditFit] {
        let table = try replicateData(r)
        return variants.map { v in
            do {
                var compiled = try compile(v.model, table, r)
                return try fit(&compiled, model: v.model)
            } catch {
                return AuditFit(failure: "error", message: "\(v.name): \((error as? RuntimeError)?.message ?? "\(error)")")
            }
        }
    }

    /// Compiles a variant against replicate r's data, drawing its generated synthetic nodes
    /// (fitted ones — parametric bootstrap, posterior predictive — from a fit of this
    /// replicate's real data).
    func compile(_ model: CheckedModel, _ table: DataTable, _ r: Int) throws -> CompiledModel {
        var fresh = table
        for s in model.symbols where s.generator == .parametricBootstrap || s.generator == .posteriorPredictive {
            fresh.remove(s.name)
        }
        return try FittedGenerators.compile(model, source: source, data: fresh, seed: syntheticSeed(r))
    }

    /// The MLE from the point, with its standard errors, or the reason it is not used.
    func fit(_ compiled: inout CompiledModel, model: CheckedModel) throws -> AuditFit {
        let bounds = ModelOptimizer.bounds(model, compiled)
        let start = try compiled.unconstrain(at)
        let r = try ModelOptimizer.optimize(&compiled, bounds: bounds, kind: .mle, start: start)
        if !r.boundary.isEmpty { return AuditFit(estimate: r.estimate, failure: "boundary") }
        if !r.converged { return AuditFit(estimate: r.estimate, failure: "not converged") }
        guard let se = r.standardErrors, se.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            return AuditFit(estimate: r.estimate, failure: "no standard errors")
        }
        return AuditFit(estimate: r.estimate, se: se)
    }
}
