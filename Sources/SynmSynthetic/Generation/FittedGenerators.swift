// Synthetic generators that need a fitted model: `parametric_bootstrap(y)` simulates y's
// likelihood at the maximum-likelihood estimate, `posterior_predictive(y)` at one draw θ*
// from the posterior (one θ* per block, as the reflection principle requires). Both fits
// use the real data only: every synthetic term is set to weight 0 for them.
// SyntheticCompiler is the entry point every command and the REPL compile through.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// The one way to compile a model with synthetic nodes: draw the generated nodes, then set
/// the weights of `cap` and `calibrated` footings.
public enum SyntheticCompiler {
    /// Draws every generated synthetic node the data do not already hold (resamples from
    /// the run's seed; parametric-bootstrap and posterior-predictive rows from a fit of the
    /// real data), compiles, and sets the footing weights that depend on the generator.
    /// `nodeWeights` fixes the weights of cap and calibrated nodes (replicates of a study
    /// use the weights of the data as given); `redraw` draws generated nodes afresh even when
    /// `data` holds rows for them (a simulated data set).
    public static func compile(_ model: CheckedModel, source: SourceFile, data: DataTable, seed: UInt64,
                               nodeWeights: [String: Double]? = nil, redraw: Bool = false) throws -> CompiledModel {
        var table = data
        if redraw {
            for s in model.symbols where s.role == .synthetic && s.generator != .external { table.remove(s.name) }
        }
        let fitted = model.symbols.filter {
            $0.role == .synthetic && $0.generator?.isFitted == true && table[$0.name] == nil
        }
        if fitted.isEmpty {
            try SyntheticGeneration.generate(model, into: &table, seed: seed)
        } else {
            // Nodes are drawn in declaration order, so a node built from another is drawn after
            // it. A fitted node's source is real data, but resamples may be built from a fitted
            // node: they are drawn once from its placeholder rows (so the real-data fit compiles),
            // then again, from the same streams, once the fitted rows are drawn.
            try placeholders(fitted, table: &table)
            try SyntheticGeneration.generate(model, into: &table, seed: seed)
            try drawFitted(fitted, model: model, source: source, table: &table, seed: seed)
            try SyntheticGeneration.generate(model, into: &table, seed: seed)
        }
        let compiled = try CompiledModel(model: model, source: source, data: table)
        return try FootingWeights.apply(compiled, model: model, source: source, seed: seed, fixed: nodeWeights)
    }

    /// The real-data fit: synthetic terms weighted 0; the fitted nodes hold placeholder rows
    /// (resampled real rows, so every value is in the support) until drawn.
    static func placeholders(_ fitted: [SymbolInfo], table: inout DataTable) throws {
        for s in fitted {
            let rows = try SyntheticGeneration.size(s, table)
            let sourceName = try sourceNode(s)
            guard let real = table[sourceName], let n = real.shape.first, n > 0 else {
                throw RuntimeError("\(s.generator!.rawValue): '\(sourceName)' has no rows to fit", span: s.span)
            }
            let width = real.count / n
            let values = (0..<rows).flatMap { r in real.values[(r % n) * width..<(r % n + 1) * width] }
            table.set(s.name, DataArray(shape: real.shape.count > 1 ? [rows, width] : [rows], values: Array(values),
                                        isInteger: real.isInteger))
        }
    }

    static func drawFitted(_ fitted: [SymbolInfo], model: CheckedModel, source: SourceFile, table: inout DataTable,
                           seed: UInt64) throws {
        var base = realOnly(try CompiledModel(model: model, source: source, data: table))
        for (k, s) in fitted.enumerated() {
            if s.generator == .model {
                table.set(s.name, try drawFromGeneratorModel(s, table: table, source: source, seed: seed, k: k))
                continue
            }
            let theta = try s.generator == .parametricBootstrap
                ? maximumLikelihood(&base, model, seed: seed)
                : posteriorDraw(base, seed: seed &+ UInt64(k))
            table.set(s.name, try simulateRows(s, base: base, at: theta, table: table,
                                               rng: Xoshiro256StarStar(seed: seed, stream: 0xF17_0000 + UInt64(k))))
        }
    }

    /// The model with every synthetic likelihood term (at any depth) weighted 0.
    public static func realOnly(_ compiled: CompiledModel) -> CompiledModel {
        compiled.reweighted(Dictionary(uniqueKeysWithValues: compiled.terms.filter { $0.syntheticNode != nil }.map { ($0.id, 0.0) }))
    }

    /// `model("gen.synm", fit = y)`: the generator model (a .synm file beside the model)
    /// checked, bound to y alone (its sizes inferred), fitted by maximum likelihood, and m
    /// rows of its y simulated at the MLE — the stand-in for a fitted generative model.
    static func drawFromGeneratorModel(_ s: SymbolInfo, table: DataTable, source: SourceFile, seed: UInt64, k: Int) throws
        -> DataArray
    {
        guard let call = s.generatorCall, let fileArg = call.args.first(where: { $0.label == nil }),
              case .string(let path) = fileArg.value.kind else {
            throw RuntimeError("model(\"gen.synm\", fit = y) needs the generator model's file", span: s.span)
        }
        let fitName = try sourceNode(s)
        let directory = URL(fileURLWithPath: source.name).deletingLastPathComponent()
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            var e = RuntimeError("cannot read the generator model \"\(path)\" (looked for \(url.path))", span: fileArg.value.span,
                                 hint: "the path is relative to the model's own file")
            e.isMissingInput = true
            throw e
        }
        let file = SourceFile(name: url.path, bytes: [UInt8](bytes))
        let checked = checkModel(file)
        guard let gen = checked.model, !checked.diagnostics.hasErrors else {
            let first = checked.diagnostics.first { $0.severity == .error }
            let rendered = first.map { DiagnosticRenderer(file: file).render($0) }?.split(separator: "\n").first.map(String.init) ?? ""
            throw RuntimeError("the generator model \"\(path)\" does not check: \(rendered)", span: fileArg.value.span,
                               hint: "run `synm check` on it")
        }
        guard let target = gen.symbol(named: fitName), target.role == .data, target.hasLikelihood else {
            throw RuntimeError("the generator model \"\(path)\" must have a data node '\(fitName)' with a `~` statement: its rows are simulated from it",
                               span: fileArg.value.span)
        }
        if let synthetic = gen.symbols.first(where: { $0.role == .synthetic }) {
            throw RuntimeError("the generator model \"\(path)\" has a synthetic node '\(synthetic.name)'; a generator model has real data only",
                               span: fileArg.value.span)
        }
        guard let y = table[fitName] else { throw RuntimeError("'\(fitName)' has no rows to fit", span: s.span) }
        var binder = DataBinder(model: gen, source: DataSource(values: [
            DataValue(name: fitName, shape: y.shape, values: y.values, isInteger: y.isInteger),
        ]))
        guard let genData = binder.bind() else {
            let why = binder.issues.first.map(\.message) ?? "its data do not bind"
            throw RuntimeError("the generator model \"\(path)\" cannot take '\(fitName)' alone as its data: \(why)",
                               span: fileArg.value.span, hint: "its other data must be sizes inferred from '\(fitName)'")
        }
        var base = try CompiledModel(model: gen, source: file, data: genData)
        let theta: [String: [Double]]
        do {
            theta = try maximumLikelihood(&base, gen, seed: seed)
        } catch let e as RuntimeError {
            throw RuntimeError("model(\"\(path)\"): \(e.message.replacingOccurrences(of: "parametric_bootstrap: ", with: ""))",
                               span: fileArg.value.span)
        }
        return try simulateRows(s, base: base, at: theta, table: table,
                                rng: Xoshiro256StarStar(seed: seed, stream: 0xF17_0000 + UInt64(k)))
    }

    /// The data node a fitted generator simulates (its single argument; `fit = y` of
    /// `model(…)`).
    public static func sourceNode(_ s: SymbolInfo) throws -> String {
        if s.generator == .model, let fit = s.generatorCall?.args.first(where: { $0.label == "fit" }),
           case .name(let n) = fit.value.kind {
            return n
        }
        guard let arg = s.generatorCall?.args.first, case .name(let n) = arg.value.kind else {
            throw RuntimeError("\(s.generator?.rawValue ?? "generator") needs a data node", span: s.span)
        }
        return n
    }

    /// The MLE on the real data (constrained values by parameter name).
    public static func maximumLikelihood(_ base: inout CompiledModel, _ model: CheckedModel, seed: UInt64) throws
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
    public static func posteriorDraw(_ base: CompiledModel, seed: UInt64) throws -> [String: [Double]] {
        var config = SamplerConfiguration(sampler: .nuts, warmup: 500, draws: 100, chains: 1, seed: seed)
        config.threads = 1
        let result: SamplingResult
        do {
            result = try SynmInference.sample(base, configuration: config)
        } catch {
            throw RuntimeError("posterior_predictive: the posterior fit failed: \("\(error)")")
        }
        var m = base
        guard let u = result.chains[0].draws.last else { throw RuntimeError("posterior_predictive: no posterior draw") }
        return byName(try m.constrain(u), base)
    }

    public static func byName(_ flat: [Double], _ model: CompiledModel) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, Array(flat[$0.offset..<$0.offset + $0.count])) })
    }

    /// m rows of the source node's likelihood at θ: whole simulated copies of the node,
    /// concatenated, then cut to m (exact for iid rows; with row-specific arguments the
    /// covariates are cycled in order).
    public static func simulateRows(_ s: SymbolInfo, base: CompiledModel, at theta: [String: [Double]], table: DataTable,
                             rng: Xoshiro256StarStar) throws -> DataArray {
        var rng = rng
        let sourceName = try sourceNode(s)
        let m = try SyntheticGeneration.size(s, table)
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
