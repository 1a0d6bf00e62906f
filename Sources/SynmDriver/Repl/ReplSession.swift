// One REPL session: the model, its data (a file plus values set with `:set NAME = VALUE`), the
// sampling options, the last draws, and the handling of one input line — a `:command` or a
// posterior expression. Results go to standard output, one per line; errors to standard
// error with a caret under the spot and a hint. Nothing typed ends the session except
// `:quit` (and Ctrl-D, handled by the caller).
import SynmSynthetic
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmInference
import SynmIO
import SynmMath
import SynmRuntime

final class ReplSession {
    let console: Console
    let interrupt: InterruptFlag
    private(set) var modelPath: String?
    private(set) var dataPath: String?
    /// Data values set with `:set`, applied over the data file, in the order set.
    private(set) var overrides: [DataValue] = []
    private(set) var prepared: PreparedModel?
    private(set) var result: RunResult?
    private(set) var scope = PosteriorScope()
    /// Sampling options set with `:set` (the names of `synm run`'s options).
    private(set) var options: [String: String] = [:]
    /// Called from the sampler's threads after every iteration (tests use it to interrupt).
    var progressHook: SamplingProgress?
    /// The values of `overrides` as typed.
    private var overrideTexts: [String: String] = [:]

    static let settable = ["seed", "chains", "warmup", "draws", "sampler", "adapt-delta", "max-depth", "threads", "int-time"]
    static let commands = [":load", ":data", ":set", ":sample", ":summary", ":optimize", ":fisher", ":reflect", ":audit",
                           ":model", ":help", ":quit"]

    init(console: Console, interrupt: InterruptFlag = InterruptFlag()) {
        self.console = console
        self.interrupt = interrupt
    }

    // MARK: - Lines

    /// Handles one input line; returns false when the session should end.
    @discardableResult
    func handle(_ rawLine: String) -> Bool {
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { return true }
        guard line.hasPrefix(":") else {
            evaluate(line)
            return true
        }
        let body = line.dropFirst()
        let word = String(body.prefix { !$0.isWhitespace })
        let rest = String(body.dropFirst(word.count)).trimmingCharacters(in: .whitespaces)
        switch word {
        case "quit", "q", "exit": return false
        case "help", "h", "?": out(Self.helpText)
        case "load": load(rest)
        case "data": data(rest)
        case "set": set(rest)
        case "sample": sample(rest)
        case "summary": summary()
        case "model": model()
        case "optimize", "fisher", "audit": passThrough(word, rest)
        case "reflect": reflect(rest)
        default:
            let hint = closestMatch(to: ":" + word, among: Self.commands).map { "did you mean '\($0)'?" }
                ?? "':help' lists the commands"
            error("unknown command ':\(word)'", hint: hint)
        }
        return true
    }

    private func out(_ text: String) { console.out.write(text.hasSuffix("\n") ? text : text + "\n") }

    private func error(_ message: String, hint: String? = nil) {
        console.err.write("error: \(message)\n")
        if let hint { console.err.write("hint: \(hint)\n") }
    }

    // MARK: - Model and data

    /// Loads a model (and its data); on failure the previous model stays.
    func load(_ argument: String, data: String? = nil) {
        let words = Self.split(argument)
        guard words.count == 1 else {
            error(words.isEmpty ? ":load needs a model file" : ":load takes one model file", hint: "usage: :load MODEL")
            return
        }
        guard let p = prepare(model: words[0], data: data, overrides: []) else { return }
        modelPath = words[0]
        dataPath = data
        overrides = []
        install(p)
        let params = p.model.symbols(.param).map(\.name)
        out("loaded \(words[0])" + (p.dataPath.map { " with data \($0)" } ?? "") + "; parameters: "
            + (params.isEmpty ? "none" : params.joined(separator: ", ")))
    }

    private func data(_ argument: String) {
        let words = Self.split(argument)
        guard words.count == 1 else { error(":data takes one data file", hint: "usage: :data F (Stan JSON or CSV)"); return }
        guard let modelPath else { error("no model loaded", hint: "load one first: :load MODEL"); return }
        guard let p = prepare(model: modelPath, data: words[0], overrides: []) else { return }
        dataPath = words[0]
        let hadOverrides = !overrides.isEmpty
        overrides = []
        install(p)
        out("data from \(words[0])" + (hadOverrides ? " (values set with :set are dropped)" : ""))
    }

    /// Reads, checks, binds (the data file, then the `:set` values over it, in process) and
    /// compiles.
    private func prepare(model: String, data: String?, overrides: [DataValue]) -> PreparedModel? {
        let seed = options["seed"].flatMap(UInt64.init) ?? 0
        switch Pipeline.prepare(modelPath: model, dataPaths: data.map { [$0] } ?? [], seed: seed, console: console,
                                command: "repl", overrides: overrides) {
        case .failure: return nil
        case .success(var p):
            if !overrides.isEmpty { p.dataPath = (data ?? DataLoader.siblingDataFile(of: model) ?? "embedded data") + " + :set values" }
            return p
        }
    }

    private func install(_ p: PreparedModel) {
        if result != nil { out("(the previous draws are dropped: the model or its data changed)") }
        prepared = p
        result = nil
        scope = Self.baseScope(p)
    }

    static func baseScope(_ p: PreparedModel) -> PosteriorScope {
        var scope = PosteriorScope()
        for s in p.model.symbols where s.role == .data || s.role == .size || s.role == .synthetic {
            if let a = p.compiled.data[s.name] { scope.data[s.name] = (a.shape, a.values) }
        }
        for s in p.model.symbols where s.role == .param || s.role == .let || s.role == .predict {
            scope.undrawn.insert(s.name)
        }
        scope.undrawn.insert("lp__")
        return scope
    }

    // MARK: - :set

    private func set(_ argument: String) {
        if argument.isEmpty {
            var lines = ["sampling: " + Self.settable.compactMap { k in options[k].map { "\(k) = \($0)" } }.joined(separator: ", ")]
            if options.isEmpty { lines[0] = "sampling: defaults (seed random, chains 4, warmup 1000, draws 1000, sampler nuts)" }
            for o in overrides { lines.append("data: \(o.name) = " + (overrideTexts[o.name] ?? "…")) }
            out(lines.joined(separator: "\n"))
            return
        }
        guard let eq = argument.firstIndex(of: "=") else {
            error(":set needs NAME = VALUE", hint: "e.g. :set seed = 1, :set draws = 500, or a data value :set y = [1, 0, 1]")
            return
        }
        var name = argument[..<eq].trimmingCharacters(in: .whitespaces)
        let value = argument[argument.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("--") { name = String(name.dropFirst(2)) }
        guard !name.isEmpty, !value.isEmpty else { error(":set needs NAME = VALUE"); return }
        if Self.settable.contains(name) {
            var trial = options
            trial[name] = value
            do {
                _ = try Self.configuration(trial)
            } catch let e as UsageError {
                error(e.message.replacingOccurrences(of: "--\(name)", with: name), hint: e.hint)
                return
            } catch { return }
            options = trial
            out("\(name) = \(value)")
            return
        }
        guard let prepared, let modelPath else {
            let hint = closestMatch(to: name, among: Self.settable).map { "did you mean '\($0)'?" }
                ?? "options: \(Self.settable.joined(separator: ", ")); data values need a model (:load MODEL)"
            error("unknown option '\(name)'", hint: hint)
            return
        }
        let dataNames = prepared.model.symbols.filter { $0.role == .data || $0.role == .size || $0.role == .synthetic }.map(\.name)
        guard dataNames.contains(name) else {
            let hint = closestMatch(to: name, among: dataNames + Self.settable).map { "did you mean '\($0)'?" }
                ?? "data: \(dataNames.joined(separator: ", ")); options: \(Self.settable.joined(separator: ", "))"
            let what = prepared.model.symbols.first { $0.name == name }.map { "'\(name)' is a \($0.role.rawValue), not data" }
            error(what ?? "'\(name)' is neither a data name of the model nor an option", hint: hint)
            return
        }
        let decoded: DataValue
        do {
            guard let v = try StanJSONData.decode("{\"\(name)\": \(value)}").first else { throw ReplError("no value") }
            decoded = v
        } catch let e as DataError {
            error("cannot read the value of '\(name)': \(e.message)", hint: "give a JSON value: a number, or an array like [1, 2, 3]")
            return
        } catch {
            self.error("cannot read the value of '\(name)'", hint: "give a JSON value: a number, or an array like [1, 2, 3]")
            return
        }
        var next = overrides.filter { $0.name != name }
        next.append(decoded)
        guard let p = prepare(model: modelPath, data: dataPath, overrides: next) else {
            console.err.write("note: '\(name)' keeps its previous value\n")
            return
        }
        overrides = next
        overrideTexts[name] = value
        install(p)
        out("\(name) = \(value)")
    }

    /// The run configuration from option values (as `synm run` reads them).
    static func configuration(_ options: [String: String]) throws -> (SamplerConfiguration, UInt64) {
        var parsed = try Arguments([], flags: [], options: [])
        parsed.options = options
        return try RunCommand.makeConfiguration(parsed)
    }

    // MARK: - :sample and :summary

    private func sample(_ argument: String) {
        guard var prepared, let modelPath else { error("no model loaded", hint: "load one first: :load MODEL"); return }
        var merged = options
        do {
            let parsed = try Arguments(Self.split(argument), flags: [], options: Set(Self.settable))
            if let extra = parsed.positionals.first {
                throw UsageError("unexpected '\(extra)'", hint: "options as in run, e.g. :sample --draws 500 --seed 1")
            }
            merged.merge(parsed.options) { $1 }
        } catch let e as UsageError {
            error(e.message, hint: e.hint)
            return
        } catch { return }
        var configuration: SamplerConfiguration, seed: UInt64
        do {
            (configuration, seed) = try Self.configuration(merged)
            try RunCommand.verifyMemory(configuration, dimension: prepared.compiled.dimension)
            if prepared.compiled.dimension == 0 {
                configuration.sampler = .fixedParam  // nothing to sample: only predict nodes are drawn
                configuration.warmup = 0
            }
        } catch let e as UsageError {
            error(e.message, hint: e.hint)
            return
        } catch { return }
        if Pipeline.verifyEvaluable(&prepared.compiled, file: prepared.loaded.file, console: console) != nil { return }
        let config = configuration
        interrupt.clear()
        // This run's own flag: set for good when the session is interrupted, so an abandoned
        // run stays cheap even after the session's flag is cleared.
        let stop = InterruptFlag()
        let model = InterruptibleModel(base: prepared.compiled, interrupt: stop)
        let bar = ProgressBar.sampling(console: console, chains: config.chains, warmup: config.warmup, draws: config.draws, refresh: 1)
        let barCallback = bar.isActive ? bar.callback : nil
        let hook = progressHook
        let progress: SamplingProgress = { c, i, t in
            if !stop.isSet { barCallback?(c, i, t) }
            hook?(c, i, t)
        }
        let started = Date()
        // The sampler runs on its own thread; this one waits, watching for Ctrl-C. Once
        // interrupted, the model's density is −∞ (every remaining iteration is one cheap
        // rejected step) and the run is abandoned: the prompt returns at once.
        let box = SamplingBox()
        let thread = Thread {
            let outcome: Result<SamplingResult, SamplingError>
            do throws(SamplingError) {
                outcome = .success(try SynmInference.sample(model, configuration: config, progress: progress))
            } catch {
                outcome = .failure(error)
            }
            box.finish(outcome)
        }
        thread.stackSize = 1 << 24
        thread.start()
        var outcome: Result<SamplingResult, SamplingError>?
        while outcome == nil {
            outcome = box.wait(seconds: 0.05)
            if outcome == nil, interrupt.isSet {
                stop.set()
                break
            }
        }
        let sampling: SamplingResult
        switch outcome {
        case nil:
            bar.finish()
            interrupted()
            return
        case .failure(let error)?:
            bar.finish()
            if interrupt.isSet { interrupted() } else { self.error("sampling failed: \(error.description)") }
            return
        case .success(let s)?:
            sampling = s
        }
        bar.finish()
        if interrupt.isSet {
            interrupted()
            return
        }
        do {
            var r = try RunCommand.collect(sampling, model: &prepared.compiled, seed: seed,
                                           name: URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent)
            r.synthetic = SyntheticAccounting.actual(prepared.model, file: prepared.loaded.file, data: prepared.compiled.data,
                                                     terms: prepared.compiled.terms)
            result = r
            self.prepared = prepared
            var s = Self.baseScope(prepared)
            let drawn = PosteriorScope.from(names: r.names, values: r.values)
            s.draws = drawn.draws
            s.chains = drawn.chains
            s.drawsPerChain = drawn.drawsPerChain
            s.undrawn = []
            scope = s
            let summary = RunSummary(r)
            let seconds = Date().timeIntervalSince(started)
            out("sampled \(config.chains) chain\(config.chains == 1 ? "" : "s") × \(config.draws) draws (warmup \(config.warmup), "
                + "\(config.sampler.rawValue), seed \(seed)) in \(String(format: "%.2f", seconds)) s; "
                + "\(summary.divergences) divergence\(summary.divergences == 1 ? "" : "s")")
            for w in summary.warnings() { console.err.write("warning: \(w)\n") }
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
        } catch {
            self.error("sampling failed: \(error)")
        }
    }

    private func interrupted() {
        interrupt.clear()
        console.err.write("interrupted: sampling stopped; " + (result == nil ? "there are no draws yet\n" : "the previous draws are kept\n"))
    }

    private func summary() {
        guard let result else { noDraws(); return }
        let s = RunSummary(result)
        out(s.table())
        for w in s.warnings() { console.err.write("warning: \(w)\n") }
    }

    private func noDraws() {
        error(prepared == nil ? "no model loaded" : "no draws yet",
              hint: prepared == nil ? "load one first: :load MODEL" : "run :sample first")
    }

    private func model() {
        guard let prepared else { error("no model loaded", hint: "load one first: :load MODEL"); return }
        out("# \(prepared.loaded.file.name)" + (prepared.dataPath.map { " (data: \($0))" } ?? ""))
        out(String(decoding: prepared.loaded.file.bytes, as: UTF8.self))
    }

    // MARK: - The other commands

    /// `:optimize`, `:fisher`, `:audit` with their own options, on the session's model, data,
    /// `:set` values and synthetic rows — run in process on the session's compiled model.
    private func passThrough(_ command: String, _ argument: String) {
        guard let modelPath, let prepared else { error("no model loaded", hint: "load one first: :load MODEL"); return }
        var args = [modelPath]
        let words = Self.split(argument)
        if let seed = options["seed"], !words.contains(where: { $0.hasPrefix("--seed") }) { args += ["--seed", seed] }
        args += words
        runCommand(command, args, prepared)
    }

    private func reflect(_ argument: String) {
        guard let modelPath, let prepared else { error("no model loaded", hint: "load one first: :load MODEL"); return }
        var words = Self.split(argument)
        guard let m = words.first, !m.hasPrefix("-") else {
            error(":reflect needs the number of synthetic rows per block", hint: "usage: :reflect M [options of synm reflect]")
            return
        }
        words.removeFirst()
        var args = [modelPath, "--synthetic-n", m]
        for k in ["seed", "chains", "warmup", "draws"] where !words.contains(where: { $0.hasPrefix("--\(k)") }) {
            if let v = options[k] { args += ["--\(k)", v] }
        }
        runCommand("reflect", args + words, prepared)
    }

    private func runCommand(_ command: String, _ args: [String], _ prepared: PreparedModel) {
        if args.contains("--data") || args.contains(where: { $0.hasPrefix("--data=") }) {
            error(":\(command) works on the session's data; change it with :data FILE or :set NAME VALUE")
            return
        }
        switch command {
        case "optimize": _ = OptimizeCommand.run(args, console: console, prepared: prepared)
        case "fisher": _ = FisherCommand.run(args, console: console, prepared: prepared)
        case "audit": _ = AuditCommand.run(args, console: console, prepared: prepared)
        default: _ = ReflectCommand.run(args, console: console, prepared: prepared)
        }
        if interrupt.watchesSignal, replSigintReceived.load(ordering: .relaxed) {
            console.err.write("note: :\(command) cannot be interrupted; it ran to the end\n")
            interrupt.clear()
        }
    }

    // MARK: - Expressions

    func evaluate(_ line: String) {
        do {
            let value = try PosteriorEvaluator.evaluate(line, scope: scope)
            out(Self.format(value))
        } catch let e as ReplError {
            console.err.write("error: \(e.message)\n")
            if let span = e.span, span.start <= line.utf8.count {
                let start = line.utf8.prefix(span.start).count
                let prefix = String(decoding: line.utf8.prefix(start), as: UTF8.self)
                let width = max(1, String(decoding: line.utf8.dropFirst(span.start).prefix(max(0, span.end - span.start)), as: UTF8.self).count)
                console.err.write("  \(line)\n  \(String(repeating: " ", count: prefix.count))\(String(repeating: "^", count: width))\n")
            }
            if let hint = e.hint {
                console.err.write("hint: \(hint)\n")
            } else if prepared == nil {
                console.err.write("hint: load a model with :load MODEL\n")
            }
        } catch {
            self.error("\(error)")
        }
    }

    // MARK: - Formatting

    static func format(_ value: PosteriorValue) -> String {
        switch value {
        case .text(let t): return t
        case .constant(let shape, let values):
            let items = values.map(constant)
            return shape.isEmpty ? items[0] : "[" + items.joined(separator: ", ") + "]"
        case .estimate(let e):
            let items = zip(e.values, e.mcse).map { plusMinus($0, $1) }
            return e.shape.isEmpty ? items[0] : "[" + items.joined(separator: ", ") + "]"
        case .draws(let d):
            let lines = d.elements.enumerated().map { k, chains -> String in
                let all = chains.flatMap { $0 }
                let label = d.shape.isEmpty ? "" : "[\(k + 1)] "
                if all.contains(where: \.isNaN) { return label + "nan (some draws are not numbers)" }
                let m = SynmMath.mean(all), se = mcseMean(chains: chains)
                let sorted = all.sorted()
                return label + "mean \(plusMinus(m, se))  sd \(RunSummary.number(SynmMath.standardDeviation(all)))"
                    + "  90% [\(RunSummary.number(SynmMath.quantile(sorted: sorted, 0.05))), \(RunSummary.number(SynmMath.quantile(sorted: sorted, 0.95)))]"
            }
            return lines.joined(separator: "\n")
        }
    }

    static func constant(_ x: Double) -> String {
        if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int(x)) }
        return RunSummary.number(x)
    }

    /// `0.6812 ± 0.0021`: the MCSE to two significant digits, the value to at least four and
    /// to the MCSE's last digit.
    static func plusMinus(_ v: Double, _ e: Double) -> String {
        guard v.isFinite else { return RunSummary.number(v) }
        guard e.isFinite else { return RunSummary.number(v) + " ± nan" }
        if e == 0 { return RunSummary.number(v) + " ± 0" }
        let a = Swift.abs(v)
        let ed = 1 - Int(Foundation.floor(Foundation.log10(e)))
        if a >= 1e6 || e < 1e-8 || e >= 1e6 { return String(format: "%.4e ± %.1e", v, e) }
        let vd = a == 0 ? 0 : 3 - Int(Foundation.floor(Foundation.log10(a)))
        let d = max(0, min(10, max(vd, ed)))
        return String(format: "%.\(d)f ± %.\(max(0, min(10, ed)))f", v, e)
    }

    /// Splits an argument string at white space; quotes ("…" or '…') group.
    static func split(_ s: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static let helpText = """
    commands:
      :load MODEL          read, check and compile a model (its NAME.data.json is the default data)
      :data F              use data file F (Stan JSON or CSV)
      :set NAME = VALUE    a data value (JSON: 3, [1, 0, 1]) or a sampling option:
                           seed, chains, warmup, draws, sampler, adapt-delta, max-depth, threads
      :set                 show what is set
      :sample [OPTIONS]    sample the posterior (options as in synm run: --draws 500 --seed 1 …)
      :summary             the summary table of the draws
      :optimize [OPTIONS]  posterior mode or MLE with standard errors (as synm optimize)
      :fisher [OPTIONS]    Fisher information, claimed vs warranted (as synm fisher)
      :reflect M [OPTIONS] the reflection principle with M synthetic rows (as synm reflect)
      :audit [OPTIONS]     a simulation study of the footings (as synm audit)
      :model               print the model
      :help                this help
      :quit                leave (also Ctrl-D)
    posterior expressions, in the model's syntax, over every draw:
      p^2 + 1, theta[1] - theta[2], exp(mu), inv_logit(alpha)    summary of the draws
      mean(x)  sd(x)  median(x)  quantile(x, 0.95)  E(expr)  P(cond)  corr(a, b)
                           each with its Monte Carlo standard error: 0.6812 ± 0.0021
      hist(x)              a text histogram
      functions: exp log log1p expm1 sqrt square abs inv_logit logit pow Phi tanh inv lgamma
      log1m log_inv_logit log1p_exp min max sum (per draw, over elements)
    Ctrl-C cancels the line, or stops a running :sample (the other commands run to the end).

    """
}

/// The outcome of a sampling run on its own thread.
final class SamplingBox: @unchecked Sendable {
    private let lock = NSCondition()
    private var outcome: Result<SamplingResult, SamplingError>?

    func finish(_ o: Result<SamplingResult, SamplingError>) {
        lock.lock()
        outcome = o
        lock.broadcast()
        lock.unlock()
    }

    /// The outcome, or nil if the run has not finished within `seconds`.
    func wait(seconds: Double) -> Result<SamplingResult, SamplingError>? {
        lock.lock()
        defer { lock.unlock() }
        if outcome == nil { _ = lock.wait(until: Date().addingTimeInterval(seconds)) }
        return outcome
    }
}
