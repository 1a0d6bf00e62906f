// The simulation study behind `synm audit` (the paper, Theorems 5 and 8 and §5):
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
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// One variant's fit on one replicate.
public struct AuditFit: Sendable {
    public var estimate: [Double] = []
    public var se: [Double] = []
    /// Why the fit is not used: "not converged", "boundary", "no standard errors", "error".
    public var failure: String?
    /// The error, for failure "error".
    public var message: String?
    public init(estimate: [Double] = [], se: [Double] = [], failure: String? = nil, message: String? = nil) {
        self.estimate = estimate
        self.se = se
        self.failure = failure
        self.message = message
    }
}

/// How an external node is regenerated.
public struct ExternalPlan: Sendable {
    public var node: String
    public var sourceN: Int
    public var overlap: Int
    /// The real node whose first `overlap` rows are shared units.
    public var counterpart: String?
}

/// How replicate data sets are drawn at a point: the real data simulated from the
/// simulating model, external rows rebuilt as a resample of the third party's source units,
/// generated synthetic nodes redrawn by their generators from the simulated real data.
public struct ReplicateDesign: Sendable {
    public var model: CheckedModel
    public var source: SourceFile
    /// The model compiled on the data as given (its terms fix the variants' term ids).
    public var base: CompiledModel
    /// The model the real data are simulated from (the model itself, or `--truth`).
    public var truth: CompiledModel
    /// The point, by parameter name (of `truth`).
    public var at: [String: [Double]]
    public var externals: [ExternalPlan]
    public var seed: UInt64
    /// Weights of cap and calibrated nodes, fixed for every replicate.
    public var nodeWeights: [String: Double]

    public init(model: CheckedModel, source: SourceFile, base: CompiledModel, truth: CompiledModel? = nil,
                at: [String: [Double]], seed: UInt64, nodeWeights: [String: Double]) throws {
        self.model = model
        self.source = source
        self.base = base
        self.truth = truth ?? base
        self.at = at
        self.seed = seed
        self.nodeWeights = nodeWeights
        externals = try model.symbols.filter { $0.role == .synthetic && $0.generator == .external }.map { s in
            let node = try SyntheticNode.resolve(s, data: base.data)
            guard case .external(let n, let k) = node.kind else { fatalError("unreachable") }
            var counterpart: String?
            if k > 0 {
                guard let c = ReplicateDesign.counterpart(of: s, in: model) else {
                    throw RuntimeError("external node '\(s.name)' shares \(k) units with our sample, but no real data node has a likelihood with the same distribution to take them from",
                                       span: s.span, hint: "the simulation takes the shared units to be the first `overlap` rows of that real node")
                }
                let rows = base.data[c]?.shape.first ?? 0
                guard k <= rows else {
                    throw RuntimeError("external node '\(s.name)': overlap = \(k) exceeds the \(rows) rows of '\(c)'", span: s.span)
                }
                counterpart = c
            }
            return ExternalPlan(node: s.name, sourceN: n, overlap: k, counterpart: counterpart)
        }
    }

    /// The real data node whose top-level likelihood uses the same distribution as the
    /// external node's (identical arguments preferred, else the first).
    public static func counterpart(of node: SymbolInfo, in model: CheckedModel) -> String? {
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
    public func syntheticSeed(_ r: Int, stream: UInt64 = 0) -> UInt64 {
        (seed ^ stream) &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1)
    }

    /// Replicate r's data table: real data simulated at the point, external rows rebuilt;
    /// generated synthetic nodes are left for compilation to draw. `stream` separates the
    /// replicates of different studies on the same seed.
    public func data(_ r: Int, stream: UInt64 = 0) throws -> DataTable {
        let sim = try truth.simulate(rng: Xoshiro256StarStar(seed: seed ^ stream, stream: 0xA0D_0000 + UInt64(r)), parameters: at)
        var table = base.data
        for s in model.symbols where s.role == .synthetic && s.generator != .external { table.remove(s.name) }
        for s in model.symbols where s.role == .data {
            if let v = sim.data[s.name] {
                table.set(s.name, v)
                continue
            }
            guard s.hasLikelihood else { continue }
            guard let v = sim.table[s.name] else {
                throw RuntimeError("the simulating model does not draw '\(s.name)'", span: s.span,
                                   hint: "the model given with --truth must have a `~` statement for every real data node of the model")
            }
            table.set(s.name, v)
        }
        for (e, plan) in externals.enumerated() {
            guard let drawn = base.data[plan.node], let m = drawn.shape.first, m > 0 else { continue }
            let width = drawn.count / m
            var units: [Double] = []
            units.reserveCapacity(plan.sourceN * width)
            if let c = plan.counterpart, let ours = table[c] {
                let w = ours.count / max(1, ours.shape.first ?? 1)
                guard w == width else {
                    throw RuntimeError("external node '\(plan.node)' has rows of \(width) values but '\(c)' has rows of \(w)")
                }
                units.append(contentsOf: ours.values[0..<plan.overlap * width])
            }
            let unitSeed = (seed ^ stream) &+ 0xA0E_5EED &* UInt64(r + 1)
            var block = 0
            while units.count < plan.sourceN * width {
                let s = try truth.simulate(rng: Xoshiro256StarStar(seed: unitSeed, stream: UInt64(e) << 32 | UInt64(block)),
                                           parameters: at)
                guard let rows = s.data[plan.node] ?? s.data[plan.counterpart ?? ""], !rows.values.isEmpty else {
                    throw RuntimeError("the simulating model draws neither '\(plan.node)' nor a real node with its distribution, so the third party's source units cannot be simulated")
                }
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

    /// Compiles the model against replicate r's data, drawing its generated synthetic nodes
    /// (fitted ones from a fit of this replicate's real data), with the fixed node weights.
    public func compile(_ table: DataTable, _ r: Int, stream: UInt64 = 0) throws -> CompiledModel {
        var fresh = table
        for s in model.symbols where s.generator?.isFitted == true {
            fresh.remove(s.name)
        }
        return try SyntheticCompiler.compile(model, source: source, data: fresh, seed: syntheticSeed(r, stream: stream),
                                             nodeWeights: nodeWeights)
    }
}

/// Everything the study needs, fixed before the replicates run.
public struct AuditStudy: Sendable {
    public var design: ReplicateDesign
    public var variants: [FootingVariant]
    /// The truth the estimates are compared with, flat in layout order.
    public var theta: [Double]
    public var names: [String]
    public var reps: Int
    public var seed: UInt64 { design.seed }
    public var model: CheckedModel { design.model }
    public var externals: [ExternalPlan] { design.externals }

    public static let z95 = 1.959963984540054

    public init(design: ReplicateDesign, variants: [FootingVariant], theta: [Double], reps: Int) {
        self.design = design
        self.variants = variants
        self.theta = theta
        self.reps = reps
        names = design.base.parameterNames
    }

    /// Runs every replicate on `threads` threads; result[r][v] is variant v on replicate r.
    /// `progress` is called with the number of replicates done (from any thread).
    public func run(threads: Int, progress: (@Sendable (Int) -> Void)? = nil) -> [[AuditFit]] {
        run(replicates: Array(0..<reps), threads: threads, progress: progress)
    }

    /// Runs the given replicates (counted from 0) only — one shard of the study; result[k]
    /// is replicate `replicates[k]`, the same fits the whole study computes for it.
    public func run(replicates: [Int], threads: Int, progress: (@Sendable (Int) -> Void)? = nil) -> [[AuditFit]] {
        let results = Mutex<[[AuditFit]?]>(Array(repeating: nil, count: replicates.count))
        let done = Mutex(0)
        let workers = max(1, min(threads, replicates.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: replicates.count, by: workers) {
                let r = replicates[k]
                let fits: [AuditFit]
                do {
                    fits = try replicate(r)
                } catch {
                    let message = (error as? RuntimeError)?.message ?? "\(error)"
                    fits = variants.map { _ in AuditFit(failure: "error", message: message) }
                }
                results.withLock { $0[k] = fits }
                let n = done.withLock { c in
                    c += 1
                    return c
                }
                progress?(n)
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// One replicate: its data, then an MLE per footing variant.
    public func replicate(_ r: Int) throws -> [AuditFit] {
        let table = try design.data(r)
        var compiled = try design.compile(table, r)
        let start = try compiled.unconstrain(compiled.byName(theta))
        return variants.map { v in
            do {
                var m = compiled.reweighted(v.weights)
                return try fit(&m, start: start)
            } catch {
                return AuditFit(failure: "error", message: "\(v.name): \((error as? RuntimeError)?.message ?? "\(error)")")
            }
        }
    }

    /// The MLE from the point, with its standard errors, or the reason it is not used.
    public func fit(_ compiled: inout CompiledModel, start: [Double]) throws -> AuditFit {
        let bounds = ModelOptimizer.bounds(design.model, compiled)
        let r = try ModelOptimizer.optimize(&compiled, bounds: bounds, kind: .mle, start: start)
        if !r.boundary.isEmpty { return AuditFit(estimate: r.estimate, failure: "boundary") }
        if !r.converged { return AuditFit(estimate: r.estimate, failure: "not converged") }
        guard let se = r.standardErrors, se.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            return AuditFit(estimate: r.estimate, failure: "no standard errors")
        }
        return AuditFit(estimate: r.estimate, se: se)
    }
}
