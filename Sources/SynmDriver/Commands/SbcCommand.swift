// `synm sbc MODEL [--reps N] [--seed S] …`: simulation-based
// calibration (Talts et al. 2018). Each replicate draws θ̃ from the prior and data from the
// likelihood, refits with one chain, and ranks θ̃ among L thinned posterior draws; if inference is
// correct every rank is uniform on 0…L. A text histogram and a χ² test per parameter.
import SynmSynthetic
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmInference
import SynmIO
import SynmMath
import SynmRuntime

enum SbcCommand {
    /// Draws kept per replicate after thinning: ranks take L + 1 = 100 values.
    static let keptDraws = 99

    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "sbc", flags: ["json", "help"], options: ["data", "reps", "seed", "sampler", "warmup", "draws", "bins", "threads", "shard", "shard-output"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        var config: SamplerConfiguration
        var seed: UInt64
        let reps: Int, bins: Int
        let shard: ShardSpec?
        do {
            (config, seed) = try RunCommand.makeConfiguration(parsed)
            reps = try RunCommand.integer(parsed, "reps", default: 100, minimum: 2)
            bins = try RunCommand.integer(parsed, "bins", default: 10, minimum: 2)
            config.warmup = try RunCommand.integer(parsed, "warmup", default: 500, minimum: 0)
            config.draws = try RunCommand.integer(parsed, "draws", default: 1000, minimum: keptDraws)
            guard (keptDraws + 1) % bins == 0 else {
                throw UsageError("--bins must divide \(keptDraws + 1) (the number of possible ranks)", hint: "try 10, 20, 25 or 50")
            }
            shard = try ShardRun.parse(parsed, command: "sbc", reps: reps, needsSeed: true)
        } catch let e as UsageError {
            return Driver.usageError(e, command: "sbc", console: console)
        } catch { return .usage }
        config.chains = 1
        config.threads = 1
        let prepared: PreparedModel
        switch Pipeline.prepare(modelPath: parsed.positionals[0], dataPaths: parsed.dataFiles, seed: seed,
                                console: console, command: "sbc") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        // SBC simulates from the model's `~` statements; a `target +=` term adds density that
        // nothing draws from, so the simulated data (or parameters) would not follow the model
        // and the ranks would look "not uniform" for no fault of the sampler.
        if let t = prepared.compiled.terms.first(where: { $0.label == "target" && $0.isLikelihood }) {
            Pipeline.report(RuntimeError("sbc cannot simulate this model: its likelihood is a `target +=` term, which adds to the log density directly, so nothing can draw the data it describes",
                                         span: t.span,
                                         hint: "write this term as a `~` statement to use sbc; simulated from the `~` statements alone, the replicates would not follow the model and the ranks would not be uniform"),
                            file: prepared.loaded.file, console: console)
            return .modelError
        }
        for t in prepared.compiled.terms where t.label == "target" {
            let l = prepared.loaded.file.location(of: t.span.start)
            console.err.write("\(prepared.loaded.file.name):\(l.line):\(l.column): warning: this `target +=` term is fitted but not simulated: the ranks test the fit against the model's `~` statements alone\n")
        }
        do {
            try RunCommand.verifyMemory(config, dimension: prepared.compiled.dimension)
            try RunCommand.requireMemory(Double(reps) * Double(prepared.compiled.dimension + 1) * 8 * 4,
                                         for: "\(reps) replicates", hint: "lower --reps")
        } catch let e as UsageError {
            return Driver.usageError(e, command: "sbc", console: console)
        } catch { return .usage }
        let names = prepared.compiled.parameterNames
        // The replicates to run (counted from 0): all, or one shard's (Shards/Shard.swift).
        let replicates = shard?.replicates(of: reps) ?? Array(0..<reps)
        let threads = max(1, min(Int(parsed.options["threads"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount), replicates.count))
        let ranks = Mutex<[[Int]?]>(Array(repeating: nil, count: replicates.count))
        let failures = Mutex<[String]>([])
        let compiled = prepared.compiled
        let model = prepared.model, source = prepared.loaded.file
        let fixedConfig = config
        let fixedSeed = seed
        let bar = ProgressBar.replicates(console: console, label: "sbc", total: replicates.count)
        let done = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for k in stride(from: worker, to: replicates.count, by: threads) {
                let r = replicates[k]
                defer { bar.countCallback(done.withLock { d in d += 1; return d }) }
                do {
                    let result = try replicate(r, compiled: compiled, model: model, source: source, config: fixedConfig,
                                               seed: fixedSeed)
                    ranks.withLock { $0[k] = result }
                } catch let e as RuntimeError {
                    failures.withLock { $0.append("replicate \(r + 1): \(e.message)") }
                } catch {
                    failures.withLock { $0.append("replicate \(r + 1): \(error)") }
                }
            }
        }
        bar.finish()
        let problems = failures.withLock { $0 }.sorted { a, b in
            // In replicate order, whatever the order the threads finished in.
            let n = { (s: String) in Int(s.dropFirst("replicate ".count).prefix { $0.isNumber }) ?? 0 }
            return n(a) < n(b)
        }
        var run: ShardRun?
        if let shard {
            run = ShardRun(shard, command: "sbc", parsed: parsed, prepared: prepared, seed: seed,
                           options: [
                               JSONMember("reps", .integer(reps)), JSONMember("bins", .integer(bins)),
                               JSONMember("sampler", .string(config.sampler.rawValue)),
                               JSONMember("warmup", .integer(config.warmup)), JSONMember("draws", .integer(config.draws)),
                               JSONMember("max_depth", .integer(config.maxDepth)),
                               JSONMember("adapt_delta", .real(config.adaptDelta)),
                               JSONMember("int_time", .real(config.integrationTime)),
                           ],
                           reps: reps)
        }
        let context = SbcShard.context(names: names, bins: bins, maxRank: keptDraws, sampler: config.sampler.rawValue,
                                       warmup: config.warmup, draws: config.draws)
        if !problems.isEmpty {
            for p in problems.prefix(5) { console.err.write("synm sbc: error: \(p)\n") }
            // A failed shard leaves a file that says so, for `synm merge` to report by number.
            if let run {
                let code = run.write(context: context, replicates: replicates, results: [],
                                     error: problems.prefix(5).joined(separator: "; "), console: console)
                if code != .ok { return code }
            }
            return .runtime
        }
        let all = ranks.withLock { $0.map { $0! } }
        if let run {
            return run.write(context: context, replicates: replicates, results: all.map(SbcShard.encode), console: console)
        }
        let report = SbcReport(names: names, ranks: all, bins: bins, maxRank: keptDraws, seed: seed, config: fixedConfig)
        console.out.write(parsed.flags.contains("json") ? report.json() + "\n" : report.text())
        return .ok
    }

    /// One replicate: simulate, refit, rank each parameter element.
    static func replicate(_ r: Int, compiled: CompiledModel, model: CheckedModel, source: SourceFile,
                          config: SamplerConfiguration, seed: UInt64) throws -> [Int] {
        let sim = try compiled.simulate(rng: Xoshiro256StarStar(seed: seed, stream: 0x5BC_0000 + UInt64(r)))
        var fit = try SyntheticCompiler.compile(model, source: source, data: sim.table, seed: seed &+ UInt64(r), redraw: true)
        var c = config
        c.seed = seed &+ 0x1_0000 &+ UInt64(r)
        let result: SamplingResult
        do {
            result = try SynmInference.sample(fit, configuration: c)
        } catch {
            throw RuntimeError("\(error)")
        }
        let truth = compiled.parameters.flatMap { sim.parameters[$0.name] ?? [] }
        let draws = result.chains[0].draws
        // Thin to L draws, evenly spaced.
        var ranks = [Int](repeating: 0, count: truth.count)
        for k in 0..<keptDraws {
            let u = draws[k * draws.count / keptDraws]
            let x = try fit.constrain(u)
            for j in truth.indices where x[j] < truth[j] { ranks[j] += 1 }
        }
        return ranks
    }
}

/// Rank histograms and χ² uniformity tests.
struct SbcReport {
    let names: [String]
    let ranks: [[Int]]
    let bins: Int
    let maxRank: Int
    let seed: UInt64
    let config: SamplerConfiguration

    func counts(_ j: Int) -> [Int] {
        var c = [Int](repeating: 0, count: bins)
        for r in ranks { c[r[j] * bins / (maxRank + 1)] += 1 }
        return c
    }

    /// χ² statistic against the uniform and its p-value (B − 1 degrees of freedom).
    func chiSquare(_ j: Int) -> (statistic: Double, p: Double) {
        let expected = Double(ranks.count) / Double(bins)
        let x2 = counts(j).reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        return (x2, regularizedGammaQ(a: Double(bins - 1) / 2, x: x2 / 2))
    }

    func text() -> String {
        var out = "Simulation-based calibration: \(ranks.count) replicates, \(config.sampler.rawValue), warmup=\(config.warmup), draws=\(config.draws) thinned to \(maxRank); seed=\(seed)\n"
        out += "Ranks of the true value among \(maxRank) posterior draws should be uniform on 0…\(maxRank); \(bins) bins.\n\n"
        for j in names.indices {
            let c = counts(j)
            let (x2, p) = chiSquare(j)
            let top = max(c.max() ?? 1, 1)
            out += "\(names[j])  χ²(\(bins - 1)) = \(String(format: "%.1f", x2)), p = \(String(format: "%.3g", p))\(p < 0.01 ? "  ← not uniform" : "")\n"
            let bars = " ▁▂▃▄▅▆▇█"
            out += "  |" + c.map { v in
                let level = Int((Double(v) / Double(top) * 8).rounded())
                return String(bars[bars.index(bars.startIndex, offsetBy: level)])
            }.joined() + "|  counts " + c.map(String.init).joined(separator: " ") + "\n"
        }
        let alpha = 0.01
        let failing = names.indices.filter { chiSquare($0).p < alpha }
        out += "\n" + (failing.isEmpty ? "All \(names.count) rank distributions are consistent with uniform (p ≥ \(alpha)).\n"
            : "\(failing.count) of \(names.count) rank distributions look non-uniform (p < \(alpha)): \(failing.map { names[$0] }.joined(separator: ", ")). With many parameters a few small p-values are expected by chance.\n")
        return out
    }

    func json() -> String {
        let params: [JSONMember] = names.indices.map { j in
            let (x2, p) = chiSquare(j)
            return JSONMember(names[j], .object([
                JSONMember("ranks", .array(ranks.map { .integer($0[j]) })),
                JSONMember("counts", .array(counts(j).map { .integer($0) })),
                JSONMember("chi_square", .real(x2)), JSONMember("p_value", .real(p)),
            ]))
        }
        return JSONWriter(style: .pretty).string(from: .object([
            JSONMember("reps", .integer(ranks.count)), JSONMember("max_rank", .integer(maxRank)),
            JSONMember("bins", .integer(bins)), JSONMember("seed", .integer(Int(seed))),
            JSONMember("sampler", .string(config.sampler.rawValue)), JSONMember("parameters", .object(params)),
        ]))
    }
}
