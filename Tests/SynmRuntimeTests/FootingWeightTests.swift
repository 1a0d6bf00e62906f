// A footing weight that depends on parameters is checked where it is evaluated: outside
// [0, 1] the log density fails with an error at the term (constant weights are refused
// earlier, when the data bind).
import Foundation
import Testing
@testable import SynmRuntime

@Suite struct FootingWeightTests {
    static let model = """
    data y: real[3] = [1, 2, 3]
    synthetic s: real[3] = bootstrap(y)
    param mu: real
    param a: real<lower=0, upper=2>
    mu ~ normal(0, 5)
    y ~ normal(mu, 1)
    s ~ normal(mu, 1) footing weight(a)
    """

    @Test("a parameter weight above 1 is a located error; within [0, 1] the density evaluates")
    func parameterWeight() throws {
        var model = try compile(Self.model, seed: 1)
        // a = 2 · inv_logit(u): u = log 3 gives a = 1.5, u = −log 3 gives a = 0.5.
        try expectLocatedRuntimeError("the footing weight is 1.5; it must be in [0, 1]") {
            _ = try model.evaluate([0.5, log(3.0)])
        }
        let lp = try model.evaluate([0.5, -log(3.0)])
        #expect(lp.value.isFinite)
    }
}
