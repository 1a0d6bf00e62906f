// `synm simulate MODEL [--data F] (--params P.json | --prior) [--seed S]`: forward-simulates
// every data node that has a `~` statement (and a third party's rows), at given parameters
// or at parameters drawn from the prior. Prints a data file for the same model (Stan JSON).
import SynmSynthetic
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmMath
import SynmRuntime

enum SimulateCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "simulate", flags: ["json", "help", "prior"], options: ["data", "params", "seed", "output"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        let fromPrior = parsed.flags.contains("prior")
        guard fromPrior != (parsed.options["params"] != nil) else {
            return Driver.usageError(UsageError("give exactly one of --params P.json and --prior"), command: "simulate",
                                     console: console)
        }
        let seed: UInt64
        do {
            seed = try RunCommand.seedOrDrawn(parsed.options["seed"])
        } catch let e as UsageError {
            return Driver.usageError(e, command: "simulate", console: console)
        } catch { return .usage }
        let prepared: PreparedModel
        switch Pipeline.prepare(modelPath: parsed.positionals[0], dataPaths: parsed.dataFiles, seed: seed,
                                console: console, command: "simulate") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        var given: [String: [Double]]?
        if let path = parsed.options["params"] {
            switch DataLoader.read(path, console: console, command: "simulate", kind: "parameter file") {
            case .failure(let code): return code
            case .success(let s): given = Dictionary(s.values.map { ($0.name, $0.values) }, uniquingKeysWith: { a, _ in a })
            }
        }
        do {
            // Simulation has its own stream, apart from chains and synthetic nodes.
            let sim = try prepared.compiled.simulate(rng: Xoshiro256StarStar(seed: seed, stream: 0x51_0000), parameters: given)
            let doc = dataDocument(sim.table, model: prepared.model)
            let text = JSONWriter(style: .pretty).string(from: doc) + "\n"
            if let out = parsed.options["output"] {
                try writeFileAtomically(text, to: out)
            } else {
                console.out.write(text)
            }
            if fromPrior {
                let shown = prepared.compiled.parameters.map { p in
                    "\(p.name) = " + (sim.parameters[p.name] ?? []).map { RunSummary.number($0) }.joined(separator: ", ")
                }
                console.err.write("parameters drawn from the prior (seed \(seed)): \(shown.joined(separator: "; "))\n")
            }
            let userDensities = prepared.model.userDensityTerms.filter { prepared.model.symbol(named: $0.variate)?.role == .data }
            for (variate, function) in userDensities {
                console.err.write("warning: '\(variate)' is modelled by the user-defined density \(function), which synm cannot draw from; it keeps its data values (write its term with a built-in distribution to simulate it)\n")
            }
            if sim.data.isEmpty, userDensities.isEmpty {
                console.err.write("warning: no data node has a `~` statement; nothing was simulated\n")
            }
            return .ok
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .modelError
        } catch {
            console.err.write("synm simulate: error: \(error)\n")
            return .cannotCreate
        }
    }

    /// The data table as a Stan JSON document, in the model's declaration order (generated
    /// synthetic nodes are left out: they are drawn afresh by each run).
    static func dataDocument(_ table: DataTable, model: CheckedModel) -> JSONValue {
        var values: [DataValue] = []
        for s in model.symbols where [.data, .size].contains(s.role) || (s.role == .synthetic && s.generator == .external) {
            guard let a = table[s.name] else { continue }
            values.append(DataValue(name: s.name, shape: a.shape, values: a.values, isInteger: a.isInteger))
        }
        return StanJSONData.encode(values)
    }
}
