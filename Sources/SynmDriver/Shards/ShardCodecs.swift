// What audit and sbc shard files hold beyond the common header (Shard.swift): the fixed parts
// of the report ("context") and each replicate's raw results, written and read back.
import SynmIO
import SynmInference
import SynmSynthetic

/// A shard file that does not hold what it should; `path` locates the member.
struct ShardFormatError: Error {
    var message: String
}

extension JSONValue {
    /// The member, or a format error naming it.
    func require(_ key: String) throws(ShardFormatError) -> JSONValue {
        guard let v = self[key] else { throw ShardFormatError(message: "no '\(key)'") }
        return v
    }

    func requireString(_ key: String) throws(ShardFormatError) -> String {
        guard let s = try require(key).stringValue else { throw ShardFormatError(message: "'\(key)' is not a string") }
        return s
    }

    func requireInt(_ key: String) throws(ShardFormatError) -> Int {
        guard let d = try require(key).doubleValue, let i = Int(exactly: d) else {
            throw ShardFormatError(message: "'\(key)' is not a whole number")
        }
        return i
    }

    func requireArray(_ key: String) throws(ShardFormatError) -> [JSONValue] {
        guard let a = try require(key).arrayValue else { throw ShardFormatError(message: "'\(key)' is not an array") }
        return a
    }

    func requireDoubles(_ key: String) throws(ShardFormatError) -> [Double] {
        var out: [Double] = []
        for v in try requireArray(key) {
            guard let d = ShardNumber.decode(v) else { throw ShardFormatError(message: "'\(key)' holds a value that is not a number") }
            out.append(d)
        }
        return out
    }

    func requireStrings(_ key: String) throws(ShardFormatError) -> [String] {
        var out: [String] = []
        for v in try requireArray(key) {
            guard let s = v.stringValue else { throw ShardFormatError(message: "'\(key)' holds a value that is not a string") }
            out.append(s)
        }
        return out
    }
}

enum AuditShard {
    static func context(modelName: String, modelPath: String, modelSource: String, names: [String], theta: [Double],
                        atMLE: Bool, design: [String], variants: [String],
                        weights: [[(node: String, weight: Double?)]]) -> JSONValue {
        .object([
            JSONMember("model_name", .string(modelName)),
            JSONMember("model_path", .string(modelPath)),
            JSONMember("names", .array(names.map { .string($0) })),
            JSONMember("theta", .array(theta.map(ShardNumber.encode))),
            JSONMember("at_mle", .bool(atMLE)),
            JSONMember("design", .array(design.map { .string($0) })),
            JSONMember("variants", .array(zip(variants, weights).map { name, w in
                .object([
                    JSONMember("name", .string(name)),
                    JSONMember("weights", .array(w.map { .array([.string($0.node), $0.weight.map(ShardNumber.encode) ?? .null]) })),
                ])
            })),
            JSONMember("model_source", .string(modelSource)),
        ])
    }

    /// One replicate: per variant its estimate, standard errors, failure and message.
    static func encode(_ fits: [AuditFit]) -> JSONValue {
        .array(fits.map { f in
            .object([
                JSONMember("estimate", .array(f.estimate.map(ShardNumber.encode))),
                JSONMember("se", .array(f.se.map(ShardNumber.encode))),
                JSONMember("failure", f.failure.map { .string($0) } ?? .null),
                JSONMember("message", f.message.map { .string($0) } ?? .null),
            ])
        })
    }

    static func decode(_ v: JSONValue, variants: Int) throws(ShardFormatError) -> [AuditFit] {
        guard let a = v.arrayValue, a.count == variants else {
            throw ShardFormatError(message: "a replicate's results are not one fit per footing variant")
        }
        var fits: [AuditFit] = []
        for f in a {
            fits.append(AuditFit(estimate: try f.requireDoubles("estimate"), se: try f.requireDoubles("se"),
                                 failure: f["failure"]?.stringValue, message: f["message"]?.stringValue))
        }
        return fits
    }

    /// The merged report: the context of the shards and every replicate's fits in order.
    static func report(context c: JSONValue, seed: UInt64, reps: Int,
                       results: [JSONValue]) throws(ShardFormatError) -> (AuditReport, source: String?, path: String?) {
        let names = try c.requireStrings("names")
        let theta = try c.requireDoubles("theta")
        guard names.count == theta.count else { throw ShardFormatError(message: "'names' and 'theta' differ in length") }
        var variantNames: [String] = []
        var weights: [[(node: String, weight: Double?)]] = []
        for v in try c.requireArray("variants") {
            variantNames.append(try v.requireString("name"))
            var w: [(node: String, weight: Double?)] = []
            for pair in try v.requireArray("weights") {
                guard let p = pair.arrayValue, p.count == 2, let node = p[0].stringValue else {
                    throw ShardFormatError(message: "a variant's weights are not [node, weight] pairs")
                }
                w.append((node, p[1] == .null ? nil : ShardNumber.decode(p[1])))
            }
            weights.append(w)
        }
        var fits: [[AuditFit]] = []
        for r in results {
            let row = try decode(r, variants: variantNames.count)
            for f in row where f.failure == nil && (f.estimate.count != names.count || f.se.count != names.count) {
                throw ShardFormatError(message: "a fit has \(f.estimate.count) estimates for \(names.count) parameter values")
            }
            fits.append(row)
        }
        let atMLE: Bool
        if case .bool(let b)? = c["at_mle"] { atMLE = b } else { throw ShardFormatError(message: "no 'at_mle'") }
        let report = AuditReport.summarize(names: names, theta: theta, seed: seed, reps: reps, variants: variantNames,
                                           fits: fits, weights: weights, model: try c.requireString("model_name"),
                                           atMLE: atMLE, design: try c.requireStrings("design"))
        return (report, c["model_source"]?.stringValue, c["model_path"]?.stringValue)
    }
}

enum SbcShard {
    static func context(names: [String], bins: Int, maxRank: Int, sampler: String, warmup: Int, draws: Int) -> JSONValue {
        .object([
            JSONMember("names", .array(names.map { .string($0) })),
            JSONMember("bins", .integer(bins)), JSONMember("max_rank", .integer(maxRank)),
            JSONMember("sampler", .string(sampler)), JSONMember("warmup", .integer(warmup)),
            JSONMember("draws", .integer(draws)),
        ])
    }

    static func encode(_ ranks: [Int]) -> JSONValue { .array(ranks.map { .integer($0) }) }

    static func report(context c: JSONValue, seed: UInt64, results: [JSONValue]) throws(ShardFormatError) -> SbcReport {
        let names = try c.requireStrings("names")
        let bins = try c.requireInt("bins"), maxRank = try c.requireInt("max_rank")
        guard bins >= 1, maxRank >= 0, (maxRank + 1) % bins == 0 else { throw ShardFormatError(message: "'bins' does not divide the ranks") }
        guard let sampler = SamplerKind(rawValue: try c.requireString("sampler")) else {
            throw ShardFormatError(message: "unknown sampler")
        }
        var config = SamplerConfiguration()
        config.sampler = sampler
        config.warmup = try c.requireInt("warmup")
        config.draws = try c.requireInt("draws")
        var ranks: [[Int]] = []
        for r in results {
            guard let a = r.arrayValue, a.count == names.count else {
                throw ShardFormatError(message: "a replicate has not one rank per parameter value")
            }
            var row: [Int] = []
            for v in a {
                guard let d = v.doubleValue, let k = Int(exactly: d), k >= 0, k <= maxRank else {
                    throw ShardFormatError(message: "a rank is not a whole number in 0…\(maxRank)")
                }
                row.append(k)
            }
            ranks.append(row)
        }
        return SbcReport(names: names, ranks: ranks, bins: bins, maxRank: maxRank, seed: seed, config: config)
    }
}

enum ReflectShard {
    static func doubles(_ x: [Double]) -> JSONValue { .array(x.map(ShardNumber.encode)) }

    static func context(_ r: ReflectionResult, modelPath: String, modelSource: String) -> JSONValue {
        .object([
            JSONMember("model_path", .string(modelPath)),
            JSONMember("names", .array(r.names.map { .string($0) })),
            JSONMember("node", .string(r.node)), JSONMember("synthetic_n", .integer(r.syntheticN)),
            JSONMember("footing", .string(r.footing)), JSONMember("iid_theta", .bool(r.iidTheta)),
            JSONMember("block_weight", ShardNumber.encode(r.blockWeight)),
            JSONMember("current_chains", .array(r.currentChains.map { .array($0.map(doubles)) })),
            JSONMember("model_source", .string(modelSource)),
        ])
    }

    static func encode(_ u: ReflectUpdate) -> JSONValue {
        .object([
            JSONMember("means", doubles(u.means)), JSONMember("variances", doubles(u.variances)),
            JSONMember("q5", doubles(u.q5)), JSONMember("q50", doubles(u.q50)), JSONMember("q95", doubles(u.q95)),
            JSONMember("histograms", .array(u.histograms.map(doubles))),
            JSONMember("ess", ShardNumber.encode(u.effectiveSampleSize)), JSONMember("mcmc", .bool(u.usedMCMC)),
            JSONMember("weights", doubles(u.weights)),
        ])
    }

    static func decode(_ v: JSONValue) throws(ShardFormatError) -> ReflectUpdate {
        var histograms: [[Double]] = []
        for h in try v.requireArray("histograms") {
            histograms.append(try JSONValue.object([JSONMember("h", h)]).requireDoubles("h"))
        }
        guard let ess = ShardNumber.decode(try v.require("ess")), case .bool(let mcmc)? = v["mcmc"] else {
            throw ShardFormatError(message: "a replicate has no 'ess' or 'mcmc'")
        }
        return ReflectUpdate(means: try v.requireDoubles("means"), variances: try v.requireDoubles("variances"),
                             q5: try v.requireDoubles("q5"), q50: try v.requireDoubles("q50"), q95: try v.requireDoubles("q95"),
                             histograms: histograms, effectiveSampleSize: ess, usedMCMC: mcmc,
                             weights: try v.requireDoubles("weights"))
    }

    static func result(context c: JSONValue, seed: UInt64,
                       results: [JSONValue]) throws(ShardFormatError) -> (ReflectionResult, source: String?, path: String?) {
        let names = try c.requireStrings("names")
        var chains: [[[Double]]] = []
        for chain in try c.requireArray("current_chains") {
            guard let elements = chain.arrayValue, elements.count == names.count else {
                throw ShardFormatError(message: "a chain of the current posterior has not one column per parameter value")
            }
            var columns: [[Double]] = []
            for e in elements { columns.append(try JSONValue.object([JSONMember("c", e)]).requireDoubles("c")) }
            chains.append(columns)
        }
        guard !chains.isEmpty else { throw ShardFormatError(message: "no draws of the current posterior") }
        var updates: [ReflectUpdate] = []
        for r in results {
            let u = try decode(r)
            guard u.means.count == names.count, u.histograms.count == names.count else {
                throw ShardFormatError(message: "a replicate has not one summary per parameter value")
            }
            updates.append(u)
        }
        guard case .bool(let iid)? = c["iid_theta"], let weight = ShardNumber.decode(try c.require("block_weight")) else {
            throw ShardFormatError(message: "no 'iid_theta' or 'block_weight'")
        }
        let (columns, summaries) = Reflection.current(chains: chains)
        let result = ReflectionResult(names: names, current: columns, currentSummaries: summaries, updates: updates,
                                      grids: Reflection.grids(columns), node: try c.requireString("node"),
                                      syntheticN: try c.requireInt("synthetic_n"), footing: try c.requireString("footing"),
                                      iidTheta: iid, seed: seed, blockWeight: weight, currentChains: chains)
        return (result, c["model_source"]?.stringValue, c["model_path"]?.stringValue)
    }
}
