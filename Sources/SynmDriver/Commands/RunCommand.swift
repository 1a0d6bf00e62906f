// `synm run MODEL …`: MCMC (NUTS by default), then a stansummary-style table, warnings,
// optional CmdStan CSV files and a JSON document.
import SynmSynthetic
import Foundation
import SynmDiagnostics
import SynmInference
import SynmIO
import SynmMath
import SynmRuntime

/// A finished run: draws of every reported quantity, per chain.
struct RunResult {
    /// Column names: lp__ then parameters, lets and predict nodes (`theta[1]` style).
    var names: [String]
    /// values[chain][column][draw]
    var values: [[[Double]]]
    var sampling: SamplingResult
    var seed: UInt64
    var modelName: String
    /// Wall-clock seconds of the whole sampling phase (all chains, warmup and draws).
    var wallSeconds: Double = 0
    /// How much each synthetic node's rows counted (docs/STATISTICS.md §2), and the values the run used.
    var synthetic: [SyntheticAccounting] = []
    var syntheticValues: [DataValue] = []
    /// With save_warmup: warmupValues[chain][column][warmup draw], columns as `values`.
    var warmupValues: [[[Double]]] = []
    /// The CmdStan arguments the draws files record besides the sampler's configuration.
    var output = OutputSettings()
    /// Set by `synm merge`: the number of shards the chains came from (`wallSeconds` is then
    /// the slowest shard's).
    var shards: Int?
    /// The synthetic nodes' lines as a shard file recorded them (`synm merge` has no model
    /// to account them again); nil: from `synthetic`.
    var recordedSynthetic: SyntheticLines?

    /// What the table, JSON and report say about the synthetic nodes.
    var syntheticLines: SyntheticLines { recordedSynthetic ?? SyntheticLines(synthetic) }
}

/// The synthetic-data accounting as the run prints it: per entry the node, its generator and
/// the accounting text, and the JSON object of `--json`.
struct SyntheticLines {
    var entries: [(node: String, generator: String, text: String)]
    var json: JSONValue?

    init(_ accounting: [SyntheticAccounting]) {
        entries = accounting.map { ($0.node, $0.generator?.rawValue ?? "?", $0.text) }
        // Not `c ? nil : value`: JSONValue is ExpressibleByNilLiteral, so that would be .null.
        json = accounting.isEmpty ? Optional<JSONValue>.none : .some(SyntheticAccounting.json(accounting))
    }

    init(entries: [(node: String, generator: String, text: String)], json: JSONValue?) {
        self.entries = entries
        self.json = json
    }
}

/// CmdStan's arguments that shape the output rather than the sampler (each recorded in the
/// CSV configuration block).
struct OutputSettings {
    /// Keep every thin-th iteration (CmdStan's `thin`), of the draws and of saved warmup.
    var thin = 1
    /// Write the warmup iterations' draws before the adaptation block (`save_warmup`).
    var saveWarmup = false
    /// Progress every `refresh` iterations; 0 for none (`refresh`).
    var refresh = 100
    /// Significant digits in the CSV files (`sig_figs`); nil: shortest round-trip digits.
    var sigFigs: Int?
    /// CmdStan's `init`: "2" (uniform(−2, 2) on the unconstrained scale), a radius, or files.
    var initDescription = "2"
    /// The data files read (empty: the model's embedded values).
    var dataFiles: [String] = []
    /// `--metric-file` (CmdStan's `metric_file`), nil when none was given.
    var metricFile: String?
    /// The warmup asked for when the run became fixed_param (which runs none): CmdStan echoes
    /// the argument in the configuration block, and cmdstanpy reads num_warmup = 0 only
    /// with adaptation off.
    var requestedWarmup: Int?
}

enum RunCommand {
    static let flags: Set<String> = ["json", "help", "save-warmup"]
    static let options: Set<String> = ["data", "sampler", "chains", "warmup", "draws", "seed", "init", "adapt-delta",
                                       "max-depth", "output", "threads", "int-time", "report", "thin", "refresh", "sig-figs",
                                       "shard", "shard-output", "metric", "metric-file", "stepsize", "jitter"]

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "run", flags: flags, options: options, console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        let configuration: SamplerConfiguration
        let seed: UInt64
        var output: OutputSettings
        let shard: ShardSpec?
        do {
            (configuration, seed) = try makeConfiguration(parsed)
            output = try outputSettings(parsed)
            // A shard computes its chains (i, i + n, …) and writes them to a shard file;
            // `synm merge` writes the run's files from every shard's.
            shard = try ShardRun.parse(parsed, command: "run", reps: configuration.chains, needsSeed: true)
            if shard != nil, parsed.options["output"] != nil {
                throw UsageError("--output is not written by a shard",
                                 hint: "give --output to synm merge, which writes every chain's CSV file as the unsharded run does")
            }
        } catch let e as UsageError {
            return Driver.usageError(e, command: "run", console: console)
        } catch { return .usage }
        let modelPath = parsed.positionals[0]
        // A shard keeps what it prints while preparing (warnings about the model, data or
        // inits), for `synm merge` to print as the unsharded run does.
        let recorder = shard.map { _ in RecordingSink(console.err) }
        let setup = recorder.map { Console(out: console.out, err: $0) } ?? console
        var prepared: PreparedModel
        switch Pipeline.prepare(modelPath: modelPath, dataPaths: parsed.dataFiles, seed: seed, console: setup,
                                command: "run") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        var config = configuration
        do {
            try verifyMemory(config, dimension: prepared.compiled.dimension)
        } catch let e as UsageError {
            return Driver.usageError(e, command: "run", console: console)
        } catch { return .usage }
        if let code = Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: setup) {
            return code
        }
        if prepared.compiled.dimension == 0 {
            // Nothing to sample: Stan's fixed_param sampler, each draw only redraws the
            // predict nodes (and evaluates the lets).
            config.sampler = .fixedParam
            output.requestedWarmup = config.warmup
            config.warmup = 0
        }
        if let metricPath = parsed.options["metric-file"] {
            switch readMetricFile(metricPath, dimension: prepared.compiled.dimension, dense: config.denseMetric, console: setup) {
            case .failure(let code): return code
            case .success(let m): config.initialInverseMetric = m
            }
            output.metricFile = metricPath
        }
        if let initArgument = parsed.options["init"] {
            // CmdStan's init: a number is a radius (0: every unconstrained value 0), else a file;
            // `pathfinder`: each chain from a distinct draw of multi-path Pathfinder.
            if initArgument == "pathfinder" {
                guard prepared.compiled.dimension > 0 else {
                    return Driver.usageError(UsageError("--init pathfinder needs a model with parameters"),
                                             command: "run", console: console)
                }
                switch pathfinderInits(&prepared, chains: config.chains, seed: seed, console: setup) {
                case .failure(let code): return code
                case .success(let x): config.inits = x
                }
            } else if let r = Double(initArgument), !initArgument.contains("/") {
                guard r.isFinite, r >= 0 else {
                    return Driver.usageError(UsageError("--init must be a radius ≥ 0 or a file, got '\(initArgument)'",
                                                        hint: "--init 0 starts every chain at 0 on the unconstrained scale; --init R draws uniform(−R, R) there"),
                                             command: "run", console: console)
                }
                if r == 0 {
                    config.inits = Array(repeating: Array(repeating: 0, count: prepared.compiled.dimension), count: config.chains)
                } else {
                    config.initRadius = r
                }
            } else {
                switch initialValues(initArgument, &prepared, chains: config.chains, console: setup) {
                case .failure(let code): return code
                case .success(let (x, given)):
                    config.inits = x
                    config.initGiven = given
                }
            }
            output.initDescription = initArgument
        }
        config.saveWarmup = output.saveWarmup
        config.onlyChains = shard?.replicates(of: config.chains)
        let json = parsed.flags.contains("json")
        let progress = ProgressBar.sampling(console: console, chains: config.chains, warmup: config.warmup, draws: config.draws,
                                            refresh: output.refresh)
        let sampling: SamplingResult
        let started = Date()
        do {
            sampling = try SynmInference.sample(prepared.compiled, configuration: config,
                                                progress: progress.isActive ? progress.callback : nil)
        } catch {
            progress.finish()
            if let term = nonFiniteTerm(error, configuration: config, model: &prepared.compiled) {
                Pipeline.report(term, file: prepared.loaded.file, console: console)
            }
            console.err.write("synm run: error: \(error.description)\n")
            if case .invalidConfiguration = error { return .usage }
            if let shard {
                // A failed shard leaves a file that says so, for `synm merge` to report by number.
                let code = shardRun(shard, parsed: parsed, prepared: prepared, seed: seed, config: config, output: output)
                    .write(context: .null, replicates: config.onlyChains ?? [], results: [], error: error.description,
                           console: console)
                if code != .ok { return code }
            }
            return .runtime
        }
        progress.finish()
        let wall = Date().timeIntervalSince(started)
        var result: RunResult
        do {
            result = try collect(thinned(sampling, by: output.thin), model: &prepared.compiled, seed: seed,
                                 name: URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent)
            result.wallSeconds = wall
        } catch {
            if let e = error as? RuntimeError {
                Pipeline.report(e, file: prepared.loaded.file, console: console)
            } else {
                console.err.write("synm run: error: \(error)\n")
            }
            if let shard {
                let message = (error as? RuntimeError)?.message ?? "\(error)"
                let code = shardRun(shard, parsed: parsed, prepared: prepared, seed: seed, config: config, output: output)
                    .write(context: .null, replicates: config.onlyChains ?? [], results: [], error: message, console: console)
                if code != .ok { return code }
            }
            return .runtime
        }
        output.dataFiles = prepared.dataPaths
        result.output = output
        result.synthetic = SyntheticAccounting.actual(prepared.model, file: prepared.loaded.file, data: prepared.compiled.data,
                                                      terms: prepared.compiled.terms)
        result.syntheticValues = prepared.model.symbols.filter { $0.role == .synthetic }.compactMap { s in
            prepared.compiled.data[s.name].map { DataValue(name: s.name, shape: $0.shape, values: $0.values, isInteger: $0.isInteger) }
        }
        let modelSource = String(decoding: prepared.loaded.file.bytes, as: UTF8.self)
        if let shard {
            let run = shardRun(shard, parsed: parsed, prepared: prepared, seed: seed, config: config, output: output)
            return run.write(context: RunShard.context(result, modelPath: modelPath, modelSource: modelSource,
                                                       dataPath: prepared.dataPath, setupMessages: recorder?.text ?? ""),
                             replicates: config.onlyChains ?? [],
                             results: result.sampling.chains.indices.map { RunShard.encode(result, chain: $0) },
                             extra: [JSONMember("wall_seconds", ShardNumber.encode(wall))], console: console)
        }
        return emit(result, json: json, outputPrefix: parsed.options["output"], reportPath: parsed.options["report"],
                    modelSource: modelSource, modelPath: modelPath, dataPath: prepared.dataPath, console: console)
    }

    /// Writes the draws files and the --report page, then prints the table or JSON and the
    /// warnings: the run and `synm merge` of its shards both end here.
    static func emit(_ result: RunResult, json: Bool, outputPrefix: String?, reportPath: String?, modelSource: String?,
                     modelPath: String?, dataPath: String?, console: Console, command: String = "run") -> ExitCode {
        if let prefix = outputPrefix {
            do {
                try DrawsOutput.write(result, prefix: prefix)
            } catch {
                console.err.write("synm \(command): error: cannot write the draws: \(error)\n")
                return .cannotCreate
            }
            // Chain files of an earlier run with more chains would be read as this run's.
            let removed = DrawsOutput.removeLeftovers(prefix: prefix, chains: result.sampling.configuration.chains)
            if !removed.isEmpty {
                console.err.write("note: removed \(RunSummary.list(removed)), left by an earlier run with more chains\n")
            }
        }
        if let reportPath {
            let report = DrawsReport(run: result, modelSource: modelSource, modelPath: modelPath, dataPath: dataPath)
            let code = ReportCommand.write(report, to: reportPath, command: command, console: console)
            if code != .ok { return code }
        }
        let summary = RunSummary(result)
        if json {
            console.out.write(summary.json() + "\n")
        } else {
            console.out.write(summary.table())
        }
        for w in summary.warnings() { console.err.write("warning: \(w)\n") }
        return .ok
    }

    /// The shard file of a run shard: every option that changes the draws or the files
    /// `synm merge` writes, with its effective value (an --init file by its hash).
    static func shardRun(_ shard: ShardSpec, parsed: Arguments, prepared: PreparedModel, seed: UInt64,
                         config: SamplerConfiguration, output: OutputSettings) -> ShardRun {
        let initOption: JSONValue
        if let i = parsed.options["init"], i != "pathfinder", Double(i) == nil || i.contains("/") {
            initOption = .string("file " + ShardRun.fileHash(i))
        } else {
            initOption = .string(output.initDescription)
        }
        return ShardRun(shard, command: "run", parsed: parsed, prepared: prepared, seed: seed,
                        options: [
                            JSONMember("sampler", .string(config.sampler.rawValue)), JSONMember("chains", .integer(config.chains)),
                            JSONMember("warmup", .integer(config.warmup)), JSONMember("draws", .integer(config.draws)),
                            JSONMember("thin", .integer(output.thin)), JSONMember("init", initOption),
                            JSONMember("adapt_delta", .real(config.adaptDelta)), JSONMember("max_depth", .integer(config.maxDepth)),
                            JSONMember("int_time", .real(config.integrationTime)),
                            JSONMember("save_warmup", .bool(output.saveWarmup)), JSONMember("refresh", .integer(output.refresh)),
                            JSONMember("sig_figs", output.sigFigs.map { .integer($0) } ?? .null),
                            JSONMember("metric", .string(DrawsOutput.metricName(config))),
                            JSONMember("stepsize", .real(config.initialStepSize)),
                            JSONMember("stepsize_jitter", .real(config.stepSizeJitter)),
                            JSONMember("metric_file", parsed.options["metric-file"].map { .string("file " + ShardRun.fileHash($0)) } ?? .null),
                        ],
                        reps: config.chains)
    }

    /// A whole-number option in [minimum, maximum]; the default maximum, 2³¹ − 1, keeps
    /// sums of counts (warmup + draws) and 32-bit indices from overflowing.
    static func integer(_ parsed: Arguments, _ name: String, default value: Int, minimum: Int,
                        maximum: Int = MemoryBudget.maxElements) throws -> Int {
        guard let text = parsed.options[name] else { return value }
        guard let v = Int(text), v >= minimum else {
            throw UsageError("--\(name) must be a whole number ≥ \(minimum), got '\(text)'")
        }
        guard v <= maximum else {
            throw UsageError("--\(name) is \(text), above its limit \(maximum)")
        }
        return v
    }

    /// --thin, --save-warmup, --refresh, --sig-figs: CmdStan's output arguments.
    static func outputSettings(_ parsed: Arguments) throws -> OutputSettings {
        var o = OutputSettings()
        o.thin = try integer(parsed, "thin", default: 1, minimum: 1)
        o.saveWarmup = parsed.flags.contains("save-warmup")
        o.refresh = try integer(parsed, "refresh", default: 100, minimum: 0)
        o.sigFigs = try sigFigs(parsed)
        return o
    }

    /// --seed S, or with no seed a drawn one (which the command reports, so the run can be
    /// repeated); shared by run, predict and simulate.
    static func seedOrDrawn(_ text: String?) throws -> UInt64 {
        guard let text else {
            var g = SystemRandomNumberGenerator()
            return g.next() % 1_000_000_000
        }
        guard let v = UInt64(text) else { throw UsageError("--seed must be a non-negative whole number, got '\(text)'") }
        return v
    }

    /// --sig-figs N (1 to 18), nil when not given (shortest round-trip digits); shared by
    /// run, predict and variational.
    static func sigFigs(_ parsed: Arguments) throws -> Int? {
        guard parsed.options["sig-figs"] != nil else { return nil }
        let n = try integer(parsed, "sig-figs", default: 6, minimum: 1)
        guard n <= 18 else { throw UsageError("--sig-figs must be from 1 to 18, got \(n)") }
        return n
    }

    /// Refuses, up front, a request whose storage cannot fit in memory: `what` says what is
    /// stored, `hint` what to lower.
    static func requireMemory(_ bytes: Double, for what: String, hint: String) throws {
        if MemoryBudget.exceeds(bytes) {
            throw UsageError("\(what) \(MemoryBudget.shortfall(bytes))", hint: hint)
        }
    }

    /// The draws of a run are kept in memory (unconstrained position and sampler statistics
    /// per draw, then every reported column, then the CSV text): refuse counts that cannot fit.
    static func verifyMemory(_ c: SamplerConfiguration, dimension: Int) throws {
        let perDraw = Double(2 * dimension + SamplerStats.columnNames.count + 1) * 8 * 2
        // Each chain also has its own evaluator, tape and buffers (about 64 KB for small models).
        let perChain = 65_536.0 + Double(dimension) * 8 * 16
        try requireMemory(Double(c.chains) * (Double(c.draws) * perDraw + perChain),
                          for: "\(c.chains) chain\(c.chains == 1 ? "" : "s") × \(c.draws) draws of \(dimension) parameter\(dimension == 1 ? "" : "s")",
                          hint: "lower --draws or --chains")
    }

    static func makeConfiguration(_ parsed: Arguments) throws -> (SamplerConfiguration, UInt64) {
        var c = SamplerConfiguration()
        if let s = parsed.options["sampler"] {
            guard let kind = SamplerKind(rawValue: s) else {
                throw UsageError("unknown sampler '\(s)'", hint: "choose nuts, hmc, metropolis or fixed_param")
            }
            c.sampler = kind
        }
        c.chains = try integer(parsed, "chains", default: 4, minimum: 1)
        c.warmup = try integer(parsed, "warmup", default: 1000, minimum: 0)
        c.draws = try integer(parsed, "draws", default: 1000, minimum: 1)
        c.maxDepth = try integer(parsed, "max-depth", default: 10, minimum: 1)
        if parsed.options["threads"] != nil { c.threads = try integer(parsed, "threads", default: 1, minimum: 1) }
        // Static HMC: integration time π/2 in the units of the adapted metric, where a
        // standardised Gaussian's position decorrelates completely (cos(π/2) = 0). Stan's
        // default, 2π, is a full period there: trajectories return to their start.
        c.integrationTime = Double.pi / 2
        if let t = parsed.options["int-time"] {
            guard let v = Double(t), v > 0, v.isFinite else { throw UsageError("--int-time must be a positive number, got '\(t)'") }
            c.integrationTime = v
        }
        if let d = parsed.options["adapt-delta"] {
            guard let v = Double(d), v > 0, v < 1 else { throw UsageError("--adapt-delta must be in (0, 1), got '\(d)'") }
            c.adaptDelta = v
        }
        // The metric and step size (CmdStan's metric, metric_file, stepsize, stepsize_jitter).
        if let m = parsed.options["metric"] {
            switch m {
            case "diag", "diag_e": c.denseMetric = false
            case "dense", "dense_e": c.denseMetric = true
            case "unit", "unit_e":
                guard c.sampler != .metropolis else {
                    throw UsageError("--metric unit is for nuts and hmc", hint: "metropolis adapts a diag or dense proposal")
                }
                c.adaptation.adaptMetric = false
            default:
                throw UsageError("unknown metric '\(m)'", hint: "choose diag (the default), dense or unit")
            }
        }
        if parsed.options["metric-file"] != nil {
            guard c.sampler == .nuts || c.sampler == .hmc else {
                throw UsageError("--metric-file is for nuts and hmc", hint: "metropolis starts from its own proposal")
            }
            guard c.adaptation.adaptMetric else {
                throw UsageError("--metric-file cannot be given with --metric unit", hint: "give --metric diag or --metric dense with the file")
            }
        }
        for name in ["stepsize", "jitter"] where parsed.options[name] != nil && !(c.sampler == .nuts || c.sampler == .hmc) {
            throw UsageError("--\(name) is for nuts and hmc, not \(c.sampler.rawValue)")
        }
        if let t = parsed.options["stepsize"] {
            guard let v = Double(t), v > 0, v.isFinite else { throw UsageError("--stepsize must be a positive number, got '\(t)'") }
            c.initialStepSize = v
        }
        if let t = parsed.options["jitter"] {
            guard let v = Double(t), v >= 0, v <= 1 else {
                throw UsageError("--jitter must be in [0, 1], got '\(t)'", hint: "each step size is drawn uniform on [(1 − j)ε, (1 + j)ε]")
            }
            c.stepSizeJitter = v
        }
        let seed = try seedOrDrawn(parsed.options["seed"])
        c.seed = seed
        return (c, seed)
    }

    /// One initial point per chain (unconstrained), each a distinct draw of multi-path
    /// Pathfinder with Stan's defaults and the run's seed: the draws are visited in an order
    /// shuffled by the seed, and a value already taken is skipped while others remain.
    static func pathfinderInits(_ prepared: inout PreparedModel, chains: Int, seed: UInt64, console: Console)
        -> Result<[[Double]], ExitCode>
    {
        var c = PathfinderConfiguration()
        c.draws = max(c.draws, chains)
        let approximation: VariationalCommand.Approximation
        switch VariationalCommand.approximate(&prepared, configuration: c, seed: seed, console: console, outputs: false) {
        case .failure(let code):
            console.err.write("hint: --init 2 starts the chains from random inits instead\n")
            return .failure(code)
        case .success(let a): approximation = a
        }
        // Only failed paths are worth a warning: the approximation only starts the chains.
        for w in approximation.warnings where w.hasPrefix("path ") { console.err.write("warning: --init pathfinder: \(w)\n") }
        let draws = approximation.result.draws, lp = approximation.result.lp
        var order = Array(draws.indices)
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x9A9_0000)
        for i in stride(from: order.count - 1, to: 0, by: -1) {  // Fisher–Yates
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var picked: [[Double]] = []
        for i in order where lp[i].isFinite && !picked.contains(draws[i]) {
            picked.append(draws[i])
            if picked.count == chains { break }
        }
        var k = 0
        while picked.count < chains, !picked.isEmpty {  // fewer distinct draws than chains
            picked.append(picked[k % picked.count])
            k += 1
        }
        guard picked.count == chains else {
            console.err.write("synm run: error: --init pathfinder: no Pathfinder draw has a finite log density\n")
            console.err.write("hint: --init 2 starts the chains from random inits instead\n")
            return .failure(.runtime)
        }
        return .success(picked)
    }

    /// After a failed initialisation, the first term of the model that is not finite at a
    /// starting point (the user's, else uniform(−R, R) draws like the sampler's), located in
    /// the source. The sampler sees only the log density, so it cannot name the statement.
    static func nonFiniteTerm(_ error: SamplingError, configuration c: SamplerConfiguration,
                              model: inout CompiledModel) -> RuntimeError? {
        let points: [[Double]]
        switch error {
        case .initializationFailed:
            var rng = Xoshiro256StarStar(seed: c.seed, stream: 0x1417_0000)
            points = (0..<10).map { _ in (0..<model.dimension).map { _ in c.initRadius * (2 * rng.uniform01() - 1) } }
        case .invalidInitialValue(let chain, _):
            guard let inits = c.inits, inits.indices.contains(chain) else { return nil }
            points = [inits[chain]]
        default:
            return nil
        }
        for x in points {
            for term in model.terms {
                do {
                    let v = try model.evaluate(x, options: CompiledModel.Options(onlyTerm: term.id)).value
                    if !v.isFinite {
                        return RuntimeError("this term is \(v.isNaN ? "NaN" : v > 0 ? "+inf" : "-inf") at the starting point",
                                            span: term.span)
                    }
                } catch let e as RuntimeError {
                    return e.span == nil ? RuntimeError(e.message, span: term.span, hint: e.hint) : e
                } catch {}
            }
        }
        return nil
    }

    /// The initial inverse metric of `--metric-file` (CmdStan's format), its problems located
    /// in the file (exit 65; 66 when it cannot be read).
    static func readMetricFile(_ path: String, dimension: Int, dense: Bool, console: Console) -> Result<Metric, ExitCode> {
        let bytes: [UInt8]
        switch InputFile.read(path) {
        case .failure(let reason):
            console.err.write("synm run: error: cannot read metric file '\(path)': \(reason)\n")
            return .failure(.noInput)
        case .success(let data): bytes = [UInt8](data)
        }
        do throws(MetricFile.Problem) {
            return .success(try MetricFile.decode(bytes, dimension: dimension, dense: dense))
        } catch {
            let place = error.location.map { "\(path):\($0.line):\($0.column)" } ?? path
            console.err.write("\(place): error: \(error.message)\n")
            if let hint = error.hint { console.err.write("hint: \(hint)\n") }
            return .failure(.modelError)
        }
    }

    /// Initial values from a JSON file of constrained parameter values (all chains). A
    /// parameter missing from the file is drawn as a random init (CmdStan's partial inits);
    /// `given` marks the coordinates the file set.
    static func initialValues(_ path: String, _ prepared: inout PreparedModel, chains: Int, console: Console)
        -> Result<([[Double]], [Bool]), ExitCode>
    {
        let source: SynmRuntime.DataSource
        switch DataLoader.read(path, console: console, command: "run", kind: "init file") {
        case .failure(let code): return .failure(code)
        case .success(let s): source = s
        }
        var byName: [String: [Double]] = [:]
        for v in source.values { byName[v.name] = v.values }
        do {
            let (u, given) = try prepared.compiled.unconstrain(byName, allowMissing: true)
            if !given.contains(true), prepared.compiled.dimension > 0 {
                console.err.write("warning: \(path) gives none of the parameters; every chain starts at random inits\n")
            }
            return .success((Array(repeating: u, count: chains), given))
        } catch let e as RuntimeError {
            console.err.write("\(path): error: \(e.message)\n")
            return .failure(.modelError)
        } catch { return .failure(.runtime) }
    }

    /// Every reported quantity for every draw: lp__, then the model's outputs.
    static func collect(_ sampling: SamplingResult, model: inout CompiledModel, seed: UInt64, name: String) throws
        -> RunResult
    {
        var names: [String] = []
        var values: [[[Double]]] = []
        for chain in sampling.chains {
            // predict nodes draw from their own stream, after the chains' streams.
            var rng = Xoshiro256StarStar(seed: seed, stream: 0x9E0_0000 + UInt64(chain.chain))
            var columns: [[Double]] = []
            for (d, u) in chain.draws.enumerated() {
                let outputs = try model.draw(u, rng: &rng)
                if names.isEmpty { names = ["lp__"] + outputs.flatMap(\.elementNames) }
                if columns.isEmpty { columns = Array(repeating: [], count: names.count) }
                columns[0].append(chain.stats[d].lp)
                var k = 1
                for o in outputs {
                    for v in o.values {
                        columns[k].append(v)
                        k += 1
                    }
                }
            }
            values.append(columns)
        }
        var result = RunResult(names: names, values: values, sampling: sampling, seed: seed, modelName: name)
        // Saved warmup draws: their predict nodes draw from streams of their own, so saving
        // warmup changes none of the kept draws' values.
        if sampling.chains.contains(where: { !$0.warmupDraws.isEmpty }) {
            result.warmupValues = try sampling.chains.map { chain in
                var rng = Xoshiro256StarStar(seed: seed, stream: 0x9E1_0000 + UInt64(chain.chain))
                var columns = Array(repeating: [Double](), count: names.count)
                for (d, u) in chain.warmupDraws.enumerated() {
                    let outputs = try model.draw(u, rng: &rng)
                    columns[0].append(chain.warmupStats[d].lp)
                    var k = 1
                    for o in outputs {
                        for v in o.values where k < columns.count {
                            columns[k].append(v)
                            k += 1
                        }
                    }
                }
                return columns
            }
        }
        return result
    }

    /// Every `thin`-th iteration of the draws and of the saved warmup, from the first
    /// (CmdStan's thinning: ⌈n/thin⌉ of n iterations kept).
    static func thinned(_ sampling: SamplingResult, by thin: Int) -> SamplingResult {
        guard thin > 1 else { return sampling }
        var s = sampling
        for k in s.chains.indices {
            func every<T>(_ a: [T]) -> [T] { stride(from: 0, to: a.count, by: thin).map { a[$0] } }
            s.chains[k].draws = every(s.chains[k].draws)
            s.chains[k].stats = every(s.chains[k].stats)
            s.chains[k].warmupDraws = every(s.chains[k].warmupDraws)
            s.chains[k].warmupStats = every(s.chains[k].warmupStats)
        }
        return s
    }
}
