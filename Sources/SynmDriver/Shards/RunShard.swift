// What a `run` shard file holds beyond the common header (Shard.swift), written and read back:
// the context (what the table, JSON, CSV files and report print that does not depend on the
// chains: the model, the column names, the sampler's configuration, CmdStan's output
// arguments, the synthetic data) and per chain its raw results (the reported columns per
// draw, the seven sampler columns, saved warmup, the adapted step size and metric, the
// restarts, the times). Every double is written with its shortest round-trip digits, so
// `synm merge` rebuilds the run's RunResult bit for bit and prints what `synm run` prints.
import SynmInference
import SynmIO

enum RunShard {
    static func doubles(_ x: [Double]) -> JSONValue { .array(x.map(ShardNumber.encode)) }

    static func columns(_ c: [[Double]]) -> JSONValue { .array(c.map(doubles)) }

    /// The sampler columns, column by column (CmdStan's names).
    static func stats(_ s: [SamplerStats]) -> JSONValue {
        .object(SamplerStats.columnNames.indices.map { j in
            JSONMember(SamplerStats.columnNames[j], doubles(s.map { $0.columns[j] }))
        })
    }

    /// `setupMessages`: what the shard printed on standard error while preparing the model.
    static func context(_ r: RunResult, modelPath: String, modelSource: String, dataPath: String?,
                        setupMessages: String) -> JSONValue {
        let c = r.sampling.configuration
        let a = c.adaptation
        let o = r.output
        let lines = r.syntheticLines
        return .object([
            JSONMember("model_name", .string(r.modelName)),
            JSONMember("model_path", .string(modelPath)),
            JSONMember("data_path", dataPath.map { .string($0) } ?? .null),
            JSONMember("names", .array(r.names.map { .string($0) })),
            JSONMember("configuration", .object([
                JSONMember("sampler", .string(c.sampler.rawValue)), JSONMember("chains", .integer(c.chains)),
                JSONMember("warmup", .integer(c.warmup)), JSONMember("draws", .integer(c.draws)),
                JSONMember("max_depth", .integer(c.maxDepth)), JSONMember("adapt_delta", ShardNumber.encode(c.adaptDelta)),
                JSONMember("int_time", ShardNumber.encode(c.integrationTime)),
                JSONMember("init_radius", ShardNumber.encode(c.initRadius)),
                JSONMember("initial_step_size", ShardNumber.encode(c.initialStepSize)),
                JSONMember("dense_metric", .bool(c.denseMetric)),
                JSONMember("stepsize_jitter", ShardNumber.encode(c.stepSizeJitter)),
                JSONMember("adaptation", .object([
                    JSONMember("delta", ShardNumber.encode(a.delta)), JSONMember("gamma", ShardNumber.encode(a.gamma)),
                    JSONMember("kappa", ShardNumber.encode(a.kappa)), JSONMember("t0", ShardNumber.encode(a.t0)),
                    JSONMember("init_buffer", .integer(a.initBuffer)), JSONMember("window", .integer(a.window)),
                    JSONMember("term_buffer", .integer(a.termBuffer)), JSONMember("dense_metric", .bool(a.denseMetric)),
                    JSONMember("adapt_metric", .bool(a.adaptMetric)),
                ])),
            ])),
            JSONMember("output", .object([
                JSONMember("thin", .integer(o.thin)), JSONMember("save_warmup", .bool(o.saveWarmup)),
                JSONMember("refresh", .integer(o.refresh)), JSONMember("sig_figs", o.sigFigs.map { .integer($0) } ?? .null),
                JSONMember("init", .string(o.initDescription)),
                JSONMember("data_files", .array(o.dataFiles.map { .string($0) })),
                JSONMember("metric_file", o.metricFile.map { .string($0) } ?? .null),
                JSONMember("requested_warmup", o.requestedWarmup.map { .integer($0) } ?? .null),
            ])),
            JSONMember("synthetic", .object([
                JSONMember("entries", .array(lines.entries.map { .array([.string($0.node), .string($0.generator), .string($0.text)]) })),
                JSONMember("json", lines.json ?? .null),
                JSONMember("values", .array(r.syntheticValues.map { v in
                    .object([
                        JSONMember("name", .string(v.name)), JSONMember("shape", .array(v.shape.map { .integer($0) })),
                        JSONMember("values", doubles(v.values)), JSONMember("integer", .bool(v.isInteger)),
                    ])
                })),
            ])),
            JSONMember("setup_messages", .string(setupMessages)),
            JSONMember("model_source", .string(modelSource)),
        ])
    }

    /// One chain of the run: `k` indexes `result.sampling.chains` and `result.values`.
    static func encode(_ r: RunResult, chain k: Int) -> JSONValue {
        let ch = r.sampling.chains[k]
        return .object([
            JSONMember("chain", .integer(ch.chain + 1)),
            JSONMember("initial_position", doubles(ch.initialPosition)),
            JSONMember("step_size", ShardNumber.encode(ch.stepSize)),
            JSONMember("inverse_metric", doubles(ch.inverseMetric)),
            JSONMember("dense_inverse_metric", ch.denseInverseMetric.map(doubles) ?? .null),
            JSONMember("restarts", .array(ch.restarts.map { x in
                var copied: JSONValue = .null
                if case .copiedFrom(let donor) = x.origin { copied = .integer(donor + 1) }
                return .object([
                    JSONMember("step_size", ShardNumber.encode(x.stepSize)),
                    JSONMember("others_step_size", ShardNumber.encode(x.othersStepSize)),
                    JSONMember("copied_from", copied),
                ])
            })),
            JSONMember("warmup_seconds", ShardNumber.encode(ch.warmupSeconds)),
            JSONMember("sampling_seconds", ShardNumber.encode(ch.samplingSeconds)),
            JSONMember("stats", stats(ch.stats)),
            JSONMember("values", columns(r.values[k])),
            JSONMember("warmup_stats", stats(ch.warmupStats)),
            JSONMember("warmup_values", r.warmupValues.indices.contains(k) ? columns(r.warmupValues[k]) : .array([])),
        ])
    }

    static func numbers(_ v: JSONValue, _ what: String) throws(ShardFormatError) -> [Double] {
        guard let a = v.arrayValue else { throw ShardFormatError(message: "'\(what)' is not an array") }
        var out: [Double] = []
        out.reserveCapacity(a.count)
        for x in a {
            guard let d = ShardNumber.decode(x) else { throw ShardFormatError(message: "'\(what)' holds a value that is not a number") }
            out.append(d)
        }
        return out
    }

    static func columns(_ v: JSONValue, _ what: String, count: Int) throws(ShardFormatError) -> [[Double]] {
        guard let a = v.arrayValue else { throw ShardFormatError(message: "'\(what)' is not an array") }
        guard a.isEmpty || a.count == count else {
            throw ShardFormatError(message: "'\(what)' has \(a.count) columns for \(count) names")
        }
        var out: [[Double]] = []
        for c in a { out.append(try numbers(c, what)) }
        return out
    }

    static func stats(_ v: JSONValue, _ what: String) throws(ShardFormatError) -> [SamplerStats] {
        var cols: [[Double]] = []
        for name in SamplerStats.columnNames {
            guard let c = v[name] else { throw ShardFormatError(message: "'\(what)' has no '\(name)'") }
            cols.append(try numbers(c, "\(what).\(name)"))
        }
        let n = cols[0].count
        guard cols.allSatisfy({ $0.count == n }) else { throw ShardFormatError(message: "the columns of '\(what)' differ in length") }
        var out: [SamplerStats] = []
        out.reserveCapacity(n)
        for d in 0..<n {
            guard let depth = Int(exactly: cols[3][d]), let leapfrog = Int(exactly: cols[4][d]),
                  cols[5][d] == 0 || cols[5][d] == 1 else {
                throw ShardFormatError(message: "'\(what)' holds a tree depth, leapfrog count or divergence that is not a whole number")
            }
            out.append(SamplerStats(lp: cols[0][d], acceptStat: cols[1][d], stepSize: cols[2][d], treeDepth: depth,
                                    nLeapfrog: leapfrog, divergent: cols[5][d] == 1, energy: cols[6][d]))
        }
        return out
    }

    /// The merged run: the shards' context, every chain in order (`results[k]` is chain k + 1)
    /// and the slowest shard's wall time.
    static func result(context c: JSONValue, seed: UInt64, results: [JSONValue], wallSeconds: Double,
                       shards: Int) throws(ShardFormatError)
        -> (RunResult, source: String?, path: String?, dataPath: String?, setupMessages: String)
    {
        let names = try c.requireStrings("names")
        let k = try c.require("configuration")
        guard let sampler = SamplerKind(rawValue: try k.requireString("sampler")) else {
            throw ShardFormatError(message: "unknown sampler")
        }
        func number(_ v: JSONValue, _ key: String) throws(ShardFormatError) -> Double {
            guard let d = ShardNumber.decode(try v.require(key)) else { throw ShardFormatError(message: "'\(key)' is not a number") }
            return d
        }
        func flag(_ v: JSONValue, _ key: String) throws(ShardFormatError) -> Bool {
            guard case .bool(let b)? = v[key] else { throw ShardFormatError(message: "'\(key)' is not true or false") }
            return b
        }
        var config = SamplerConfiguration(sampler: sampler, warmup: try k.requireInt("warmup"), draws: try k.requireInt("draws"),
                                          chains: try k.requireInt("chains"), seed: seed,
                                          adaptDelta: try number(k, "adapt_delta"), maxDepth: try k.requireInt("max_depth"),
                                          initRadius: try number(k, "init_radius"))
        config.integrationTime = try number(k, "int_time")
        config.initialStepSize = try number(k, "initial_step_size")
        config.denseMetric = try flag(k, "dense_metric")
        config.stepSizeJitter = try number(k, "stepsize_jitter")
        let a = try k.require("adaptation")
        config.adaptation.delta = try number(a, "delta")
        config.adaptation.gamma = try number(a, "gamma")
        config.adaptation.kappa = try number(a, "kappa")
        config.adaptation.t0 = try number(a, "t0")
        config.adaptation.initBuffer = try a.requireInt("init_buffer")
        config.adaptation.window = try a.requireInt("window")
        config.adaptation.termBuffer = try a.requireInt("term_buffer")
        config.adaptation.denseMetric = try flag(a, "dense_metric")
        config.adaptation.adaptMetric = try flag(a, "adapt_metric")
        config.saveWarmup = try flag(try c.require("output"), "save_warmup")
        guard results.count == config.chains else {
            throw ShardFormatError(message: "\(results.count) chains for a run of \(config.chains)")
        }
        var chains: [ChainResult] = []
        var values: [[[Double]]] = []
        var warmupValues: [[[Double]]] = []
        for (i, v) in results.enumerated() {
            guard try v.requireInt("chain") == i + 1 else { throw ShardFormatError(message: "chain \(i + 1) is not where it should be") }
            let drawStats = try stats(try v.require("stats"), "stats")
            let cols = try columns(try v.require("values"), "values", count: names.count)
            guard cols.count == names.count, cols.allSatisfy({ $0.count == drawStats.count }) else {
                throw ShardFormatError(message: "chain \(i + 1) has not one value per name and draw")
            }
            let warmupStats = try stats(try v.require("warmup_stats"), "warmup_stats")
            let warmupCols = try columns(try v.require("warmup_values"), "warmup_values", count: names.count)
            guard warmupCols.allSatisfy({ $0.count == warmupStats.count }) else {
                throw ShardFormatError(message: "chain \(i + 1)'s saved warmup has not one value per name and draw")
            }
            var restarts: [ChainRestart] = []
            for x in try v.requireArray("restarts") {
                var origin = ChainRestart.Origin.randomInit
                if let donor = x["copied_from"], donor != .null {
                    guard let d = donor.doubleValue, let k = Int(exactly: d), k >= 1 else {
                        throw ShardFormatError(message: "'copied_from' is not a chain number")
                    }
                    origin = .copiedFrom(chain: k - 1)
                }
                restarts.append(ChainRestart(stepSize: try number(x, "step_size"), othersStepSize: try number(x, "others_step_size"),
                                             origin: origin))
            }
            // The unconstrained draws are not kept: every output is built from the reported
            // columns and the sampler columns.
            var chain = ChainResult(chain: i, initialPosition: try numbers(try v.require("initial_position"), "initial_position"),
                                    draws: [], stats: drawStats, stepSize: try number(v, "step_size"),
                                    inverseMetric: try numbers(try v.require("inverse_metric"), "inverse_metric"),
                                    warmupSeconds: try number(v, "warmup_seconds"), samplingSeconds: try number(v, "sampling_seconds"))
            if let dense = v["dense_inverse_metric"], dense != .null {
                let m = try numbers(dense, "dense_inverse_metric")
                guard m.count == chain.inverseMetric.count * chain.inverseMetric.count else {
                    throw ShardFormatError(message: "chain \(i + 1)'s dense inverse metric is not a square of its dimension")
                }
                chain.denseInverseMetric = m
            }
            chain.restarts = restarts
            chain.warmupStats = warmupStats
            chains.append(chain)
            values.append(cols)
            warmupValues.append(warmupCols)
        }
        var result = RunResult(names: names, values: values, sampling: SamplingResult(configuration: config, chains: chains),
                               seed: seed, modelName: try c.requireString("model_name"))
        if warmupValues.contains(where: { !$0.isEmpty }) { result.warmupValues = warmupValues }
        result.wallSeconds = wallSeconds
        result.shards = shards
        let o = try c.require("output")
        result.output.thin = try o.requireInt("thin")
        result.output.saveWarmup = config.saveWarmup
        result.output.refresh = try o.requireInt("refresh")
        if let s = o["sig_figs"], s != .null {
            guard let d = s.doubleValue, let n = Int(exactly: d) else { throw ShardFormatError(message: "'sig_figs' is not a whole number") }
            result.output.sigFigs = n
        }
        result.output.initDescription = try o.requireString("init")
        result.output.dataFiles = try o.requireStrings("data_files")
        if let f = o["metric_file"], f != .null {
            guard let path = f.stringValue else { throw ShardFormatError(message: "'metric_file' is not a string") }
            result.output.metricFile = path
        }
        if let w = o["requested_warmup"], w != .null {
            guard let d = w.doubleValue, let n = Int(exactly: d) else {
                throw ShardFormatError(message: "'requested_warmup' is not a whole number")
            }
            result.output.requestedWarmup = n
        }
        let s = try c.require("synthetic")
        var entries: [(node: String, generator: String, text: String)] = []
        for e in try s.requireArray("entries") {
            guard let t = e.arrayValue, t.count == 3, let node = t[0].stringValue, let g = t[1].stringValue,
                  let text = t[2].stringValue else {
                throw ShardFormatError(message: "a synthetic entry is not [node, generator, text]")
            }
            entries.append((node, g, text))
        }
        let json = try s.require("json")
        result.recordedSynthetic = SyntheticLines(entries: entries, json: json == .null ? Optional<JSONValue>.none : .some(json))
        for v in try s.requireArray("values") {
            var shape: [Int] = []
            for d in try v.requireArray("shape") {
                guard let x = d.doubleValue, let n = Int(exactly: x), n >= 0 else {
                    throw ShardFormatError(message: "a synthetic value's shape is not whole numbers")
                }
                shape.append(n)
            }
            result.syntheticValues.append(DataValue(name: try v.requireString("name"), shape: shape,
                                                    values: try v.requireDoubles("values"), isInteger: try flag(v, "integer")))
        }
        return (result, c["model_source"]?.stringValue, c["model_path"]?.stringValue, c["data_path"]?.stringValue,
                try c.requireString("setup_messages"))
    }
}
