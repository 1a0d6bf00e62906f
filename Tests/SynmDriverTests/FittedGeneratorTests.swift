// parametric_bootstrap and posterior_predictive: rows simulated from a fit of the real data.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmMath
import Testing
@testable import SynmDriver
@testable import SynmSynthetic
@testable import SynmRuntime

@Suite struct FittedGeneratorTests {
    static let text = """
        data y: real[n] = [1.2, 0.3, 2.2, 1.9, 0.7, 1.1, 1.6, 0.4, 1.0, 1.3]
        synthetic yp: real[4000] = parametric_bootstrap(y)
        synthetic ypp: real[30] = posterior_predictive(y)
        param mu: real
        param sigma: real<lower=0>
        mu ~ normal(0, 10)
        sigma ~ exponential(1)
        y ~ normal(mu, sigma)
        yp ~ normal(mu, sigma) footing power(0.5)
        ypp ~ normal(mu, sigma) footing cap
        """

    func compile(seed: UInt64) throws -> CompiledModel {
        let file = SourceFile(name: "pb.synm", text: Self.text)
        let result = checkModel(file)
        let model = try #require(result.model)
        var binder = DataBinder(model: model, source: .none)
        let bound = binder.bind()
        let data = try #require(bound)
        return try SyntheticCompiler.compile(model, source: file, data: data, seed: seed)
    }

    /// The parametric bootstrap simulates normal(μ̂, σ̂) at the MLE of the real rows alone:
    /// μ̂ = ȳ, σ̂ = √(Σ(y − ȳ)²/n). Its m = 4000 rows have mean μ̂ within 4.5 σ̂/√m and
    /// variance σ̂² within 4.5 σ̂²√(2/(m − 1)) (the sample variance's sd for normal rows).
    @Test func parametricBootstrapMatchesTheMLE() throws {
        let compiled = try compile(seed: 11)
        let y = [1.2, 0.3, 2.2, 1.9, 0.7, 1.1, 1.6, 0.4, 1.0, 1.3]
        let muHat = y.reduce(0, +) / Double(y.count)
        let sigmaHat = (y.reduce(0) { $0 + ($1 - muHat) * ($1 - muHat) } / Double(y.count)).squareRoot()
        let rows = try #require(compiled.data["yp"]).values
        #expect(rows.count == 4000)
        let m = Double(rows.count)
        let mean = rows.reduce(0, +) / m
        let variance = rows.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
        #expect(abs(mean - muHat) < 4.5 * sigmaHat / m.squareRoot())
        #expect(abs(variance - sigmaHat * sigmaHat) < 4.5 * sigmaHat * sigmaHat * (2 / (m - 1)).squareRoot())
    }

    @Test func posteriorPredictiveRowsExistAndAreDeterministic() throws {
        let a = try compile(seed: 5), b = try compile(seed: 5), c = try compile(seed: 6)
        let rowsA = try #require(a.data["ypp"]).values
        #expect(rowsA.count == 30)
        #expect(rowsA.allSatisfy { $0.isFinite })
        #expect(rowsA == b.data["ypp"]?.values)
        #expect(rowsA != c.data["ypp"]?.values)
        #expect(a.data["yp"]?.values == b.data["yp"]?.values)
    }

    /// Both generators build from our own sample: `cap` weighs them 0 (Theorem 5).
    @Test func capWeighsOwnSampleGeneratorsZero() throws {
        let compiled = try compile(seed: 1)
        let ypp = try #require(compiled.terms.first { $0.syntheticNode == "ypp" })
        #expect(ypp.weight == 0)
        let yp = try #require(compiled.terms.first { $0.syntheticNode == "yp" })
        #expect(yp.weight == 0.5)
    }
}
