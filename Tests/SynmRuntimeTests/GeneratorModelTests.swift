// `model("gen.synm", fit = y)`: rows simulated from a generator model of its own, fitted by
// maximum likelihood to y. For a normal generator the MLE is (ȳ, the 1/n standard
// deviation σ̂), so m simulated rows have mean ȳ ± σ̂/√m and variance σ̂² ± σ̂²·√(2/(m − 1));
// each is held to 4.5 of those standard errors. Worth: Theorem 5 when y is in the
// likelihood, else at most y's N units (docs/STATISTICS.md §2).
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import Testing
@testable import SynmRuntime
@testable import SynmSynthetic

@Suite struct GeneratorModelTests {
    static let y: [Double] = (0..<40).map { (k: Int) -> Double in
        let t = Double(k)
        let wave: Double = 2 * sin(t * 1.7)
        return 3 + wave + 0.1 * Double(k % 7)
    }
    static let normalGenerator = """
        data y: real[n]
        param mu: real
        param sigma: real<lower=0>
        y ~ normal(mu, sigma)
        """

    /// Writes the model and its generator into a fresh directory and compiles the model
    /// there (the generator's path is relative to the model's file).
    func compileWithGenerator(_ text: String, generator: String?, seed: UInt64 = 1, generatorName: String = "gen.synm")
        throws -> (CompiledModel, CheckedModel, SourceFile)
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        if let generator { try generator.write(to: dir.appendingPathComponent(generatorName), atomically: true, encoding: .utf8) }
        let file = SourceFile(name: dir.appendingPathComponent("main.synm").path, text: text)
        let result = checkModel(file)
        guard let model = result.model, !result.diagnostics.hasErrors else {
            throw PrepareError(description: result.diagnostics.map(\.message).joined(separator: "; "))
        }
        let (table, issues) = try bind(model, json: "{\(jsonArray("y", Self.y))}")
        guard let table else { throw PrepareError(description: issues.map(\.message).joined(separator: "; ")) }
        return (try SyntheticCompiler.compile(model, source: file, data: table, seed: seed), model, file)
    }

    func meanAndMLESD(_ v: [Double]) -> (Double, Double) {
        let mean = v.reduce(0, +) / Double(v.count)
        return (mean, (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot())
    }

    @Test(arguments: [UInt64(1), 2])
    func rowsComeFromTheFittedGenerator(seed: UInt64) throws {
        let m = 20_000
        let (compiled, _, _) = try compileWithGenerator("""
            data y: real[n]
            synthetic yg: real[\(m)] = model("gen.synm", fit = y)
            param mu: real
            y ~ normal(mu, 1)
            yg ~ normal(mu, 1) footing cap
            """, generator: Self.normalGenerator, seed: seed)
        let yg = try #require(compiled.data["yg"])
        #expect(yg.shape == [m])
        let (ybar, sigma) = meanAndMLESD(Self.y)
        let (mean, sd) = meanAndMLESD(yg.values)
        #expect(abs(mean - ybar) <= 4.5 * sigma / Double(m).squareRoot(), "mean \(mean) against ȳ = \(ybar)")
        let varianceSE = sigma * sigma * (2 / Double(m - 1)).squareRoot()
        #expect(abs(sd * sd - sigma * sigma) <= 4.5 * varianceSE, "variance \(sd * sd) against σ̂² = \(sigma * sigma)")
        #expect(!yg.values.contains { Self.y.contains($0) }, "fresh draws, not copies")
    }

    /// Theorem 5 when y is in the likelihood; else at most N = 40 units, the fresh-draws cap
    /// weight N/(N + m).
    @Test func worth() throws {
        let (inLikelihood, model, _) = try compileWithGenerator("""
            data y: real[n]
            synthetic yg: real[60] = model("gen.synm", fit = y)
            param mu: real
            y ~ normal(mu, 1)
            yg ~ normal(mu, 1) footing cap
            """, generator: Self.normalGenerator)
        let w = try #require(try SyntheticWorth.all(model, compiled: inLikelihood)["yg"])
        #expect(w.lower == 0 && w.upper == 0 && w.capWeight == 0 && w.sourceUnits == 40, "\(w)")
        let (alone, model2, _) = try compileWithGenerator("""
            data y: real[n]
            synthetic yg: real[60] = model("gen.synm", fit = y)
            param mu: real
            yg ~ normal(mu, 1) footing cap
            """, generator: Self.normalGenerator)
        let v = try #require(try SyntheticWorth.all(model2, compiled: alone)["yg"])
        #expect(v.lower == 0 && v.upper == 40 && v.sourceUnits == 40, "\(v)")
        #expect(v.capWeight == 40.0 / (40 + 60))
    }

    /// A replicate refits the generator to its own simulated y.
    @Test func replicatesRefitTheGenerator() throws {
        let m = 20_000
        let (base, model, file) = try compileWithGenerator("""
            data y: real[n]
            synthetic yg: real[\(m)] = model("gen.synm", fit = y)
            param mu: real
            y ~ normal(mu, 1)
            yg ~ normal(mu, 1) footing cap
            """, generator: Self.normalGenerator)
        // The generator's file must exist while replicates compile: write it again beside `file`.
        let dir = URL(fileURLWithPath: file.name).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.normalGenerator.write(to: dir.appendingPathComponent("gen.synm"), atomically: true, encoding: .utf8)
        let design = try ReplicateDesign(model: model, source: file, base: base, at: ["mu": [-5]], seed: 3, nodeWeights: [:])
        let replicate = try design.compile(try design.data(0), 0)
        let y = try #require(replicate.data["y"]).values, yg = try #require(replicate.data["yg"]).values
        let (ybar, sigma) = meanAndMLESD(y), (mean, _) = meanAndMLESD(yg)
        #expect(abs(ybar + 5) < 1, "the replicate's y is simulated at μ = −5: ȳ = \(ybar)")
        #expect(abs(mean - ybar) <= 4.5 * sigma / Double(m).squareRoot(), "yg mean \(mean) against the replicate's ȳ \(ybar)")
    }

    func failure(_ generator: String?, name: String = "gen.synm") -> String {
        do {
            _ = try compileWithGenerator("""
                data y: real[n]
                synthetic yg: real[10] = model("\(name)", fit = y)
                param mu: real
                y ~ normal(mu, 1)
                yg ~ normal(mu, 1) footing cap
                """, generator: generator, generatorName: name)
            return ""
        } catch let e as RuntimeError {
            return e.message + (e.isMissingInput ? " [missing input]" : "")
        } catch {
            return "\(error)"
        }
    }

    @Test func unusableGeneratorsAreRefused() {
        #expect(failure(nil).contains("cannot read the generator model \"gen.synm\""))
        #expect(failure(nil).hasSuffix("[missing input]"), "a missing generator model is missing input (exit 66)")
        #expect(!failure("data y: real[n]\nparam mu: real\nmu ~ normal(0, 1)").hasSuffix("[missing input]"))
        #expect(failure("data y: real[n]\nparam mu: real\nmu ~ normal(0, 1)").contains("must have a data node 'y' with a `~` statement"))
        #expect(failure("data y: real[n]\nparam mu: real\ny ~ normal(mu, )").contains("does not check"))
        #expect(failure("data y: real[n]\ndata x: real[3]\nparam mu: real\ny ~ normal(mu + x[1], 1)").contains("cannot take 'y' alone"))
        #expect(failure("data y: real[n]\nsynthetic yb: real[5] = bootstrap(y)\nparam mu: real\ny ~ normal(mu, 1)\nyb ~ normal(mu, 1) footing cap")
            .contains("has a synthetic node 'yb'"))
    }
}
