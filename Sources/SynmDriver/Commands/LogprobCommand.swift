// `synm logprob MODEL [--data F] --params P.json [--unconstrained] [--hessian] [--json]`:
// the log density, its gradient and (optionally) its exact Hessian at a point, like
// CmdStan's log_prob method.
import SynmSynthetic
import Foundation
import SynmDiagnostics
import SynmIO
import SynmRuntime

enum LogprobCommand {
    static func run(_ args: [String], console: Console) -> ExitCode {
        let parsed: Arguments
        switch CommandStart(args, command: "logprob", flags: ["json", "help", "unconstrained", "hessian"], options: ["data", "params"], console: console) {
        case .exit(let code): return code
        case .proceed(let arguments, _): parsed = arguments
        }
        guard let paramsPath = parsed.options["params"] else {
            return Driver.usageError(UsageError("missing --params P.json", hint: "give the point as JSON: {\"mu\": 0.5, \"beta\": [1, 2]}"),
                                     command: "logprob", console: console)
        }
        var prepared: PreparedModel
        switch Pipeline.prepare(modelPath: parsed.positionals[0], dataPaths: parsed.dataFiles, seed: 0,
                                console: console, command: "logprob") {
        case .failure(let code): return code
        case .success(let p): prepared = p
        }
        let unconstrained = parsed.flags.contains("unconstrained")
        // The point, by parameter name.
        let source: DataSource
        switch DataLoader.read(paramsPath, console: console, command: "logprob", kind: "parameter file") {
        case .failure(let code): return code
        case .success(let s): source = s
        }
        var byName: [String: [Double]] = [:]
        for v in source.values { byName[v.name] = v.values }
        // On the unconstrained scale a parameter of a constrained type (simplex[K], …) has its
        // unconstrained coordinates (K − 1 for a simplex), flat; on the constrained scale its values.
        let parameters = prepared.compiled.parameters.map { p in
            var q = p
            if unconstrained {
                (q.offset, q.count) = (p.freeOffset, p.freeCount)
                if p.constrainedType != nil { q.shape = [p.freeCount] }
            }
            return q
        }
        for v in source.values where !parameters.contains(where: { $0.name == v.name }) {
            console.err.write("\(paramsPath): warning: '\(v.name)' is not a parameter of the model; it is ignored\n")
        }
        for p in parameters {
            guard let v = byName[p.name] else {
                console.err.write("\(paramsPath): error: parameter '\(p.name)' is missing\n")
                return .modelError
            }
            guard v.count == p.count else {
                console.err.write("\(paramsPath): error: parameter '\(p.name)' needs \(p.count) value\(p.count == 1 ? "" : "s") (shape \(p.shape)), got \(v.count)\n")
                return .modelError
            }
        }
        var x = [Double](repeating: 0, count: unconstrained ? prepared.compiled.dimension
                                                            : prepared.compiled.constrainedDimension)
        for p in parameters { for k in 0..<p.count { x[p.offset + k] = byName[p.name]![k] } }
        var compiled = prepared.compiled
        do {
            if !unconstrained { _ = try compiled.unconstrain(byName) }  // validates the bounds
            let options = CompiledModel.Options(unconstrained: unconstrained, jacobian: unconstrained)
            let value: Double, gradient: [Double], hessian: [[Double]]?
            if parsed.flags.contains("hessian") {
                let r = try compiled.hessian(x, options: options)
                (value, gradient, hessian) = (r.value, r.gradient, r.hessian)
            } else {
                let r = try compiled.evaluate(x, options: options)
                (value, gradient, hessian) = (r.value, r.gradient, nil)
            }
            write(value: value, gradient: gradient, hessian: hessian, parameters: parameters,
                  names: unconstrained ? compiled.unconstrainedNames : compiled.parameterNames, unconstrained: unconstrained, json: parsed.flags.contains("json"),
                  console: console)
            return .ok
        } catch let e as RuntimeError {
            Pipeline.report(e, file: prepared.loaded.file, console: console)
            return .modelError
        } catch {
            console.err.write("synm logprob: error: \(error)\n")
            return .runtime
        }
    }

    static func write(value: Double, gradient: [Double], hessian: [[Double]]?, parameters: [ParameterInfo],
                      names: [String], unconstrained: Bool, json: Bool, console: Console) {
        if json {
            var grad: [JSONMember] = []
            for p in parameters {
                let g = Array(gradient[p.offset..<p.offset + p.count])
                grad.append(JSONMember(p.name, p.shape.isEmpty ? .real(g[0]) : nested(g, shape: p.shape)))
            }
            var doc: [JSONMember] = [JSONMember("lp", .real(value)), JSONMember("gradient", .object(grad))]
            if let hessian {
                doc.append(JSONMember("hessian", .object([
                    JSONMember("names", .array(names.map { .string($0) })),
                    JSONMember("matrix", .array(hessian.map { .array($0.map { .real($0) }) })),
                ])))
            }
            doc.append(JSONMember("scale", .string(unconstrained ? "unconstrained" : "constrained")))
            console.out.write(JSONWriter(style: .pretty).string(from: .object(doc)) + "\n")
            return
        }
        let scale = unconstrained ? "unconstrained scale, log-Jacobian included" : "constrained scale, no Jacobian"
        console.out.write("lp = \(format(value))   (\(scale))\n")
        let width = max(9, names.map(\.count).max() ?? 0)
        console.out.write("gradient\n")
        for (n, g) in zip(names, gradient) {
            console.out.write("  \(n.padding(toLength: width, withPad: " ", startingAt: 0))  \(format(g))\n")
        }
        if let hessian {
            console.out.write("hessian\n")
            for (n, row) in zip(names, hessian) {
                console.out.write("  \(n.padding(toLength: width, withPad: " ", startingAt: 0))  "
                                  + row.map { format($0) }.joined(separator: "  ") + "\n")
            }
        }
    }

    /// Row-major values as nested JSON arrays.
    static func nested(_ values: [Double], shape: [Int]) -> JSONValue {
        guard shape.count > 1 else { return .array(values.map { .real($0) }) }
        let width = shape.dropFirst().reduce(1, *)
        return .array((0..<shape[0]).map { i in
            nested(Array(values[i * width..<(i + 1) * width]), shape: Array(shape.dropFirst()))
        })
    }

    /// Full precision, shortest round-trip form.
    static func format(_ x: Double) -> String { "\(x)" }
}
