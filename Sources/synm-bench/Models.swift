// The benchmark models (the five of the peers harness and four loop-heavy time series): where
// their files are, the parameter layout the hand-written densities assume, the point they are
// timed at, the peers' reference timings, and how a model is read, checked, bound to its data
// and compiled.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmMath
import SynmRuntime
import SynmSynthetic

/// One parameter of a model's unconstrained vector, as the hand-written density lays it out.
struct ParameterSpec {
    var name: String
    var count: Int
    /// Declared `<lower=0>`: unconstrained coordinate = log of the value.
    var positive: Bool
}

/// A benchmark model: files, layout, timing point and the peers' numbers.
struct BenchModel: Sendable {
    /// The repository's name (`models/NAME.synm`).
    var name: String
    /// The peers harness's name (its `models/synm/PEER.synm`).
    var peerName: String
    /// Whether `NAME.data.json` is read (eight schools embeds its data).
    var hasDataFile: Bool
    var layout: [ParameterSpec]
    /// The timing point on the constrained scale: Stan's posterior means from the peers
    /// harness's `reference/stan_posterior.json` (4000 draws), one per element of `layout`.
    var posteriorMeans: [Double]
    /// µs per log density + gradient, one thread (the peers README's table); for the
    /// loop benchmarks, `scripts/peers/stan_grad.py` (see `loopReferenceNote`).
    var stanMicroseconds: Double
    /// NaN when not measured (the loop benchmarks).
    var numpyroMicroseconds: Double
    /// Builds the hand-written density from the bound data.
    var handWritten: @Sendable (DataTable) throws -> any LogDensityModel
    /// A loop benchmark (time series written with scalar loops), not one of the peers' five.
    var isLoopBenchmark = false
    /// The timing point on the constrained scale computed from the bound data, when the model
    /// has no Stan posterior means here (`posteriorMeans` is then ignored).
    var pointFromData: (@Sendable (DataTable) throws -> [Double])? = nil

    /// The timing point on the unconstrained scale (log for `<lower=0>` parameters).
    var point: [Double] { unconstrained(posteriorMeans) }

    /// A constrained point on the unconstrained scale (log for `<lower=0>` parameters; a
    /// parameter with both bounds is given unconstrained already).
    func unconstrained(_ values: [Double]) -> [Double] {
        var x: [Double] = []
        var k = 0
        for p in layout {
            for _ in 0..<p.count {
                x.append(p.positive ? Foundation.log(values[k]) : values[k])
                k += 1
            }
        }
        return x
    }

    /// The model with this repository or peer name.
    static func named(_ name: String) -> BenchModel? {
        all.first { $0.name == name || $0.peerName == name }
    }

    /// The five models of the peers harness, in its order.
    static let all: [BenchModel] = [
        BenchModel(
            name: "normal", peerName: "normal_mean_sd", hasDataFile: true,
            layout: [.init(name: "mu", count: 1, positive: false), .init(name: "sigma", count: 1, positive: true)],
            posteriorMeans: [1.614, 2.0315],
            stanMicroseconds: 2.0, numpyroMicroseconds: 2.8,
            handWritten: { try NormalMeanSD(data: $0) }),
        BenchModel(
            name: "eight_schools", peerName: "eight_schools_noncentered", hasDataFile: false,
            layout: [.init(name: "mu", count: 1, positive: false), .init(name: "tau", count: 1, positive: true),
                     .init(name: "eta", count: 8, positive: false)],
            posteriorMeans: [4.3125, 3.6089, 0.3085, 0.1031, -0.0776, 0.0713, -0.174, -0.053, 0.3663, 0.0662],
            stanMicroseconds: 0.62, numpyroMicroseconds: 0.16,
            handWritten: { try EightSchools(data: $0) }),
        BenchModel(
            name: "logistic_regression", peerName: "logistic_regression", hasDataFile: true,
            layout: [.init(name: "alpha", count: 1, positive: false), .init(name: "beta", count: 10, positive: false)],
            posteriorMeans: [0.4375, -1.2926, -0.25, 0.6947, -1.7956, -0.8603, -1.4228, -1.2516, -1.2218, -0.5041,
                             0.3392],
            stanMicroseconds: 33, numpyroMicroseconds: 13.6,
            handWritten: { try LogisticRegression(data: $0) }),
        BenchModel(
            name: "linear_regression", peerName: "linear_regression", hasDataFile: true,
            layout: [.init(name: "alpha", count: 1, positive: false), .init(name: "beta", count: 5, positive: false),
                     .init(name: "sigma", count: 1, positive: true)],
            posteriorMeans: [1.0161, 1.6141, -0.2786, -0.7689, -0.6903, -0.0036, 0.7793],
            stanMicroseconds: 17, numpyroMicroseconds: 4.9,
            handWritten: { try LinearRegression(data: $0) }),
        BenchModel(
            name: "hier_poisson", peerName: "hier_poisson", hasDataFile: true,
            layout: [.init(name: "mu", count: 1, positive: false), .init(name: "tau", count: 1, positive: true),
                     .init(name: "eta", count: 20, positive: false)],
            posteriorMeans: [0.8875, 0.6773, 0.2723, 1.0607, 1.4548, 0.2193, -0.5903, -1.0471, -0.9411, 0.5408,
                             1.286, -0.0519, 0.3152, -1.9732, 0.529, -1.6451, -0.3711, 0.1178, 0.7685, -0.7646,
                             0.6175, 0.2707],
            stanMicroseconds: 5.3, numpyroMicroseconds: 2.6,
            handWritten: { try HierarchicalPoisson(data: $0) }),
    ] + loopBenchmarks + linearAlgebraBenchmarks

    /// The loop benchmarks: time series written with scalar loops, as Stan users write them.
    /// Timing points: ARMA(1, 1) at its posterior means by quadrature
    /// (Tests/SynmInferenceTests/Reference/arma11_reference.py);
    /// ar5 and garch11 at the values models/make_loop_data.py simulated from (garch11's
    /// bounded α₁ and β₁ as logits: logit 0.15, logit(0.75 / 0.85)); local_level at x = y,
    /// sigma_level = 0.3, sigma_obs = 1. Stan: µs per log_prob_grad, `scripts/peers/stan_grad.py`
    /// (see `loopReferenceNote`).
    static let loopBenchmarks: [BenchModel] = [
        BenchModel(
            name: "arma11", peerName: "arma11", hasDataFile: true,
            layout: [.init(name: "mu", count: 1, positive: false), .init(name: "phi", count: 1, positive: false),
                     .init(name: "theta", count: 1, positive: false), .init(name: "sigma", count: 1, positive: true)],
            posteriorMeans: [0.006825, 0.956850, -0.033643, 0.166584],
            stanMicroseconds: 5.24, numpyroMicroseconds: .nan,
            handWritten: { try ARMA11(data: $0) }, isLoopBenchmark: true),
        BenchModel(
            name: "ar5", peerName: "ar5", hasDataFile: true,
            layout: [.init(name: "alpha", count: 1, positive: false), .init(name: "beta", count: 5, positive: false),
                     .init(name: "sigma", count: 1, positive: true)],
            posteriorMeans: [0.3, 0.5, -0.2, 0.1, 0.05, -0.05, 0.8],
            stanMicroseconds: 54.6, numpyroMicroseconds: .nan,
            handWritten: { try ARK(data: $0) }, isLoopBenchmark: true),
        BenchModel(
            name: "garch11", peerName: "garch11", hasDataFile: true,
            layout: [.init(name: "mu", count: 1, positive: false), .init(name: "alpha0", count: 1, positive: true),
                     .init(name: "alpha1", count: 1, positive: false), .init(name: "beta1", count: 1, positive: false)],
            posteriorMeans: [0.1, 0.1, Foundation.log(0.15 / 0.85), Foundation.log(0.75 / 0.10)],
            stanMicroseconds: 47.3, numpyroMicroseconds: .nan,
            handWritten: { try GARCH11(data: $0) }, isLoopBenchmark: true),
        BenchModel(
            name: "local_level", peerName: "local_level", hasDataFile: true,
            layout: [.init(name: "x", count: 1000, positive: false),
                     .init(name: "sigma_level", count: 1, positive: true), .init(name: "sigma_obs", count: 1, positive: true)],
            posteriorMeans: [],
            stanMicroseconds: 24.1, numpyroMicroseconds: .nan,
            handWritten: { try LocalLevel(data: $0) }, isLoopBenchmark: true,
            pointFromData: { try $0.required("y", count: 1000) + [0.3, 1.0] }),
    ]
}

/// Where the loop benchmarks' Stan column comes from: `scripts/peers/stan_grad.py` on a quiet
/// machine, 2026-12-07 (load average 0.5–0.9 on the 2-vCPU AMD EPYC development VM): arma11 the
/// median of three runs (5.32, 5.02, 5.24 µs), ar5 of three (54.6, 51.8, 56.1), garch11 and
/// local_level one run each. Earlier runs under load gave up to 12.9, 130, 112 and 62 µs.
let loopReferenceNote = "loop benchmarks' Stan column: scripts/peers/stan_grad.py (Stan 2.35, httpstan 4.13, g++ -O3, log_prob_grad, one thread, median of 5), 2026-12-07 on this 2-vCPU VM, quiet; run it beside synm-bench to compare under the same load"

/// A setup failure: the message is printed as `synm-bench: error: …` and the run stops.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A model compiled by synm, with its hand-written twin, ready to time.
struct PreparedModel {
    var spec: BenchModel
    var compiled: CompiledModel
    var handWritten: any LogDensityModel
    var point: [Double]
}

extension BenchModel {
    /// Reads, checks, binds and compiles the model, builds the hand-written density and
    /// verifies that synm's parameter layout is the one the hand-written density assumes.
    func prepare(modelsDirectory: String) throws -> PreparedModel {
        let modelPath = modelsDirectory + "/" + name + ".synm"
        guard let modelBytes = FileManager.default.contents(atPath: modelPath) else {
            throw BenchError("cannot read '\(modelPath)' (run from the repository root, or pass --models DIR)")
        }
        let file = SourceFile(name: modelPath, bytes: [UInt8](modelBytes))
        let result = checkModel(file)
        if result.diagnostics.hasErrors || result.model == nil {
            let renderer = DiagnosticRenderer(file: file)
            let text = result.diagnostics.map { renderer.render($0) }.joined()
            throw BenchError("'\(modelPath)' does not check:\n\(text)")
        }
        let model = result.model!

        var source = DataSource.none
        if hasDataFile {
            let dataPath = modelsDirectory + "/" + name + ".data.json"
            guard let dataBytes = FileManager.default.contents(atPath: dataPath) else {
                throw BenchError("cannot read '\(dataPath)'")
            }
            do {
                source = DataSource(values: try StanJSONData.decode([UInt8](dataBytes)))
            } catch {
                throw BenchError("'\(dataPath)': \(error.message)")
            }
        }
        var binder = DataBinder(model: model, source: source)
        guard let table = binder.bind() else {
            let issues = binder.issues.map { "  \($0.message)" }.joined(separator: "\n")
            throw BenchError("the data of '\(name)' does not bind:\n\(issues)")
        }
        let compiled = try SyntheticCompiler.compile(model, source: file, data: table, seed: 1234)

        let actual = compiled.parameters.map { "\($0.name)[\($0.count)]" }
        let expected = layout.map { "\($0.name)[\($0.count)]" }
        guard actual == expected else {
            throw BenchError("'\(modelPath)' has parameters \(actual), but the hand-written density assumes \(expected)")
        }
        let hand = try handWritten(table)
        guard hand.dimension == compiled.dimension else {
            throw BenchError("'\(name)': hand-written dimension \(hand.dimension) ≠ synm's \(compiled.dimension)")
        }
        let x = try pointFromData.map { unconstrained(try $0(table)) } ?? point
        guard x.count == compiled.dimension else {
            throw BenchError("'\(name)': the timing point has \(x.count) coordinates, synm's dimension is \(compiled.dimension)")
        }
        return PreparedModel(spec: self, compiled: compiled, handWritten: hand, point: x)
    }
}

extension DataTable {
    /// The values of a bound data variable, or a setup error naming it.
    func required(_ name: String, count: Int? = nil) throws -> [Double] {
        guard let array = self[name] else { throw BenchError("the bound data has no '\(name)'") }
        if let count, array.count != count {
            throw BenchError("'\(name)' has \(array.count) values, expected \(count)")
        }
        return array.values
    }

    /// A bound integer scalar (a size such as N or J).
    func size(_ name: String) throws -> Int {
        let v = try required(name, count: 1)[0]
        guard v >= 0, v == v.rounded() else { throw BenchError("'\(name)' = \(v) is not a size") }
        return Int(v)
    }
}
