// `synm reflect MODEL --synthetic-n M [--node y] [--reps R] [--footing F] [--iid-theta] …`:
// the reflection principle on the user's own model (the paper's §4).
import SynmSynthetic
import Foundation
import SynmDiagnostics
import SynmInference
import SynmIO
import SynmRuntime

enum ReflectCommand {
    /// Runs the command; `given` is a model already prepared in process (the REPL's session:
    /// its data, `:set` values and synthetic rows), used instead of reading MODEL and --data.
    static func run(_ args: [String], console: Console, prepared given: PreparedModel? = nil) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "reflect", flags: ["json", "help", "iid-theta"], options: ["data", "synthetic-n", "node", "reps", "footing", "seed", "chains", "warmup", "draws", "threads", "report", "steps", "shard", "shard-output"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        var config: SamplerConfiguration
        let seed: UInt64
        let m: Int, reps: Int
        var steps: Int?
        do {
            (config, seed) = try RunCommand.makeConfiguration(parsed)
            guard parsed.options["synthetic-n"] != nil else {
                throw UsageError("missing --synthetic-n M", hint: "the number of synthetic rows in each block, e.g. --synthetic-n 20")
            }
            m = try RunCommand.integer(parsed, "synthetic-n", default: 1, minimum: 1)
            if parsed.options["steps"] != nil {
                steps = try RunCommand.integer(parsed, "steps", default: 20, minimum: 1)
                reps = try RunCommand.integer(parsed, "reps", default: 20, minimum: 2)
            } else {
                reps = try RunCommand.integer(parsed, "reps", default: 200, minimum: 2)
            }
        } catch let e as UsageError {
            return Driver.usageError(e, command: "reflect", console: console)
        } catch { return .usage }
        let shard: ShardSpec?
        do {
            shard = try ShardRun.parse(parsed, command: "reflect", reps: reps, needsSeed: true)
            if shard != nil, steps != nil {
                throw UsageError("--shard does not split --steps paths", hint: "shard the reflection study without --steps")
            }
        } catch let e as UsageError {
            return Driver.usageError(e, command: "reflect", console: console)
        } catch { return .usage }
        let footing = parsed.options["footing"] ?? "equal"
        var prepared: PreparedModel
        switch Pipeline.prepare(parsed, given: given, seed: seed, console: console, command: "reflect") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        if let code = Pipeline.refuseConstrainedTypes(prepared, command: "reflect", console: console) { return code }
        if let code = Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: console) {
            return code
        }
        guard let node = parsed.options["node"] ?? Reflection.defaultNode(prepared.model) else {
            console.err.write("synm reflect: error: no data node with a `~` statement of its own; name one with --node\n")
            return .modelError
        }
        let threads = max(1, min(parsed.options["threads"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount, reps))
        do {
            // Each replicate refits with the block in its data: every chain of every worker
            // holds the block's rows in its pool, buffers and tape (about 8 copies).
            try RunCommand.verifyMemory(config, dimension: prepared.compiled.dimension)
            try RunCommand.requireMemory(Double(m) * 8 * 8 * Double(config.chains) * Double(threads),
                                         for: "blocks of \(m) synthetic rows (\(config.chains) chains on \(threads) thread\(threads == 1 ? "" : "s"))",
                                         hint: "lower --synthetic-n")
        } catch let e as UsageError {
            return Driver.usageError(e, command: "reflect", console: console)
        } catch { return .usage }
        if let steps {
            return runPaths(prepared, node: node, m: m, steps: steps, paths: reps, footing: footing, config: config, seed: seed,
                            threads: threads, json: parsed.flags.contains("json"), console: console)
        }
        let settings = ReflectSettings(node: node, syntheticN: m, reps: reps, footing: footing,
                                       iidTheta: parsed.flags.contains("iid-theta"), seed: seed, sampling: config,
                                       threads: threads)
        let modelSource = String(decoding: prepared.loaded.file.bytes, as: UTF8.self)
        var run: ShardRun?
        if let shard {
            run = ShardRun(shard, command: "reflect", parsed: parsed, prepared: prepared, seed: seed,
                           options: [
                               JSONMember("reps", .integer(reps)), JSONMember("synthetic_n", .integer(m)),
                               JSONMember("node", .string(node)), JSONMember("footing", .string(footing)),
                               JSONMember("iid_theta", .bool(parsed.flags.contains("iid-theta"))),
                               JSONMember("sampler", .string(config.sampler.rawValue)),
                               JSONMember("chains", .integer(config.chains)), JSONMember("warmup", .integer(config.warmup)),
                               JSONMember("draws", .integer(config.draws)), JSONMember("max_depth", .integer(config.maxDepth)),
                               JSONMember("adapt_delta", .real(config.adaptDelta)),
                               JSONMember("int_time", .real(config.integrationTime)),
                           ],
                           reps: reps)
        }
        do {
            let replicates = shard?.replicates(of: reps)
            let progress = ProgressBar.replicates(console: console, label: "reflect", total: replicates?.count ?? reps)
            let result: ReflectionResult
            do {
                result = try Reflection.run(model: prepared.model, source: prepared.loaded.file, compiled: prepared.compiled,
                                            settings: settings, replicates: replicates, progress: progress.countCallback)
            } catch let e as RuntimeError where run != nil {
                // A failed shard leaves a file that says so, for `synm merge` to report by number.
                progress.finish()
                Pipeline.report(e, file: prepared.loaded.file, console: console)
                let code = run!.write(context: .object([]), replicates: replicates ?? [], results: [], error: e.message,
                                      console: console)
                return code == .ok ? .runtime : code
            }
            progress.finish()
            if let run, let replicates {
                return run.write(context: ReflectShard.context(result, modelPath: parsed.positionals[0], modelSource: modelSource),
                                 replicates: replicates, results: result.updates.map(ReflectShard.encode), console: console)
            }
            return Self.emit(ReflectReport(result: result), json: parsed.flags.contains("json"),
                             reportPath: parsed.options["report"], modelSource: modelSource,
                             modelPath: parsed.positionals[0], console: console)
        } catch {
            return failure(error, prepared, console: console)
        }
    }

    /// Prints the study and writes its --report page: the unsharded run and `synm merge`
    /// both end here.
    static func emit(_ report: ReflectReport, json: Bool, reportPath: String?, modelSource: String?, modelPath: String?,
                     console: Console, command: String = "reflect") -> ExitCode {
        ReportCommand.emit(page: { AnalysisReports.reflect(report, modelSource: modelSource, modelPath: modelPath) },
                           reportPath: reportPath, output: json ? report.json() + "\n" : report.text(), command: command,
                           console: console)
    }

    /// `--steps K`: sequential predictive resampling, `paths` paths of K updates each.
    static func runPaths(_ prepared: PreparedModel, node: String, m: Int, steps: Int, paths: Int, footing: String,
                         config: SamplerConfiguration, seed: UInt64, threads: Int, json: Bool, console: Console) -> ExitCode {
        do {
            let (terms, weight) = try Reflection.prepare(model: prepared.model, source: prepared.loaded.file,
                                                         compiled: prepared.compiled, node: node, m: m, footing: footing)
            let (draws, _, _) = try Reflection.currentPosterior(prepared.compiled, sampling: config)
            let progress = ProgressBar.replicates(console: console, label: "reflect --steps", total: paths)
            let result = try PredictiveResampling.run(model: prepared.model, source: prepared.loaded.file, base: prepared.compiled,
                                                      node: node, terms: terms, weight: weight, draws: draws, m: m, steps: steps,
                                                      count: paths, seed: seed, threads: threads, progress: progress.countCallback)
            progress.finish()
            let report = ResamplingReport(result: result, node: node, footing: footing, seed: seed)
            console.out.write(json ? report.json() + "\n" : report.text())
            return .ok
        } catch {
            return failure(error, prepared, console: console)
        }
    }

    /// A usage error (64) or a failure at its place in the model (70).
    static func failure(_ error: Error, _ prepared: PreparedModel, console: Console) -> ExitCode {
        switch error {
        case let e as UsageError:
            return Driver.usageError(e, command: "reflect", console: console)
        case let e as RuntimeError:
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .runtime
        default:
            console.err.write("synm reflect: error: \(error)\n")
            return .runtime
        }
    }
}
