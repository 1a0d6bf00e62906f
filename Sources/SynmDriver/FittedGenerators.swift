// Synthetic generators that need a fitted model: `parametric_bootstrap(y)` simulates y's
// likelihood at the maximum-likelihood estimate, `posterior_predictive(y)` at one draw θ*
// from the posterior (one θ* per block, as the reflection principle requires). Both fits
// use the real data only: every synthetic term is set to weight 0 for them.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmInference
import SynmMath
import SynmRuntime

enum FittedGenerators {
    /// Compiles a model, first drawing any parametric-bootstrap or posterior-predictive
    /// nodes that the data do not already hold.
    static func compile(_ model: CheckedModel, source: SourceFile, data: DataTable, seed: UInt64) throws -> CompiledModel {
        let fitted = model.symbols.filter {
            $0.role == .synthetic && ($0.generator == .parametricBootstrap || $0.generator == .posteriorPredictive)
                && data[$0.name] == nil
        }
        guard !fitted.isEmpty else { return try CompiledModel(model: model, source: source, data: data, seed: seed) }
        // The real-data fit: synthetic terms weighted 0; the fitted nodes hold placeholder
        // rows (resampled real rows, so every value is in the support) until drawn.
        var table = data
        for s in fitted {
            let (rows, _) = try declaredRows(s, table)
            let sourceName = try sourceNode(s)
            guard let real = table[sourceName], let n = real.shape.first, n > 0 else {
                throw RuntimeError("\(s.generator!.rawValue): '\(sourceName)' has no rows to fit", span: s.span)
            }
            let width = real.count / n
            let values = (0..<rows).flatMap { r in real.values[(r % n) * width..<(r % n + 1) * width] }
            table.set(s.name, DataArray(shape: real.shape.count > 1 ? [rows, width] : [rows], values: Array(values),
                                        isInteger: real.isInteger))
        }
        var base = try CompiledModel(model: withoutSynthetic(model), source: source, data: table, seed: seed)
        for (k, s) in fitted.enumerated() {
            let theta = try s.generator == .parametricBootstrap
                ? maximumLikelihood(&base, model, seed: seed)
                : posteriorDraw(base, seed: seed &+ UInt64(k))
            table.set(s.name, try simulateRows(s, base: base, at: theta, table: table,
                                               rng: Xoshiro256StarStar(seed: seed, stream: 0xF17_0000 + UInt64(k))))
        }
        return try CompiledModel(model: model, source: source, data: table, seed: seed)
    }

    /// The declared number of rows of a synthetic node.
    static func declaredRows(_ s: SymbolInfo, _ data: DataTable) throws -> (Int, [Int]) {
        guard let d = s.declaredType?.dims.first, case .intLiteral(let m) = d.kind else {
            if let d = s.declaredType?.dims.first, case .name(let n) = d.kind, let v = data[n]?.values.first {
                return (Int(v), [Int(v)])
            }
            throw RuntimeError("the size of '\(s.name)' must be a number or a data size", span: s.span)
        }
        return (m, [m])
    }

    /// The data node a fitted generator simulates (its single argument).
    static func sourceNode(_ s: SymbolInfo) throws -> String {
        guard let arg = s.generatorCall?.args.first, case .name(let n) = arg.value.kind else {
            throw RuntimeError("\(s.generator?.rawValue ?? "generator") needs a data node", span: s.span)
        }
        return n
    }

    /// The model with every `~` on a synthetic node weighted 0 (`footing power(0)`).
    static func withoutSynthetic(_ model: CheckedModel) -> CheckedModel {
        var m = model
        m.program.statements = m.program.statements.map { s in
            guard case .tilde(let lhs, let dist, let footing) = s.kind, let (name, _) = lhs.rootName,
                  model.symbol(named: name)?.role == .synthetic else { return s }
            let span = footing?.span ?? lhs.span
            var t = s
            t.kind = .tilde(lhs: lhs, dist: dist, footing: Footing(kind: .power(Expr(.intLiteral(0), span: span),
                                                                                normalized: false), span: span))
            return t
        }
        return m
    }

    /// The MLE on the real data (constrained values by parameter name).
    static func maximumLikelihood(_ base: inout CompiledModel, _ model: CheckedModel, seed: UInt64) throws
        -> [String: [Double]]
    {
        let start = try ModelOptimizer.start(&base, kind: .mle, seed: seed)
        let result = try ModelOptimizer.optimize(&base, bounds: ModelOptimizer.bounds(model, base), kind: .mle, start: start)
        guard result.converged, result.estimate.allSatisfy(\.isFinite) else {
            throw RuntimeError("parametric_bootstrap: the maximum-likelihood fit did not converge (\(result.warnings.joined(separator: "; ")))")
        }
        return byName(result.estimate, base)
    }

    /// One posterior draw θ* (NUTS, one chain, on the real data).
    static func posteriorDraw(_ base: CompiledModel, seed: UInt64) throws -> [String: [Double]] {
        var config = SamplerConfiguration(sampler: .nuts, warmup: 500, draws: 100, chains: 1, seed: seed)
        config.threads = 1
        let result: SamplingResult
        do {
            result = try SynmInference.sample(base, configuration: config)
        } catch {
            throw RuntimeError("posterior_predictive: the posterior fit failed: \(error.description)")
        }
        var m = base
        guard let u = result.chains[0].draws.last else { throw RuntimeError("posterior_predictive: no posterior draw") }
        return byName(try m.constrain(u), base)
    }

    static func byName(_ flat: [Double], _ model: CompiledModel) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, Array(flat[$0.offset..<$0.offset + $0.count])) })
    }

    /// m rows of the source node's likelihood at θ: whole simulated copies of the node,
    /// concatenated, then cut to m (exact for iid rows; with row-specific arguments the
    /// covariates are cycled in order).
    static func simulateRows(_ s: SymbolInfo, base: CompiledModel, at theta: [String: [Double]], table: DataTable,
                             rng: Xoshiro256StarStar) throws -> DataArray {
        var rng = rng
        let sourceName = try sourceNode(s)
        let (m, _) = try declaredRows(s, table)
        var values: [Double] = []
        var rowCount = 0
        var shape: [Int] = []
        var isInteger = false
        var copy: UInt64 = 0
        while rowCount < m {
            // Each copy from its own stream, so copies are independent.
            let stream = Xoshiro256StarStar(seed: rng.next(), stream: copy)
            copy += 1
            let sim = try base.simulate(rng: stream, parameters: theta)
            guard let rows = sim.data[sourceName], let n = rows.shape.first, n > 0 else {
                throw RuntimeError("\(s.generator!.rawValue)(\(sourceName)): no `~` statement simulates '\(sourceName)'", span: s.span)
            }
            shape = rows.shape
            isInteger = rows.isInteger
            values += rows.values
            rowCount += n
        }
        let width = shape.count > 1 ? shape[1] : 1
        return DataArray(shape: shape.count > 1 ? [m, width] : [m], values: Array(values.prefix(m * width)),
                         isInteger: isInteger)
    }
}
