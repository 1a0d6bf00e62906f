// models/loaded_die.synm against a hand-written density: the stick-breaking transform of the
// Stan Reference Manual ("Unit simplex") written out in Double arithmetic, with its
// log-Jacobian, plus Σ n_k log θ_k for the categorical rows; the gradient by finite differences.
import Foundation
import SynmIO
import Testing

@Suite struct ConstrainedTypeCatalogueTests {
    @Test func loadedDie() throws {
        var model = try compileCatalogueModel("loaded_die")
        #expect(model.dimension == 5 && model.constrainedDimension == 6)
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models/loaded_die.synm"), encoding: .utf8)
        // The rolls, from the model's embedded default.
        let list = text[text.range(of: "= [")!.upperBound...].prefix { $0 != "]" }
        let rolls = list.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { Int($0)! }
        #expect(rolls.count == 60)
        let counts = (1...6).map { k in Double(rolls.filter { $0 == k }.count) }
        for y in randomPoints(dimension: 5, count: 10, seed: 0xD1E) {
            var stick = 1.0, logJ = 0.0
            var theta: [Double] = []
            for k in 0..<5 {
                let a = y[k] - log(Double(5 - k))
                let z = 1 / (1 + exp(-a))
                logJ += log(z) + log1p(-z) + log(stick)
                theta.append(stick * z)
                stick -= stick * z
            }
            theta.append(stick)
            let expected = logJ + zip(counts, theta).reduce(0) { $0 + $1.0 * log($1.1) }
            let value = try model.evaluate(y).value
            #expect(relativeError(value, expected) < 1e-10, "at \(y): synm \(value), hand-written \(expected)")
            expectModelGradientMatchesFiniteDifferences(&model, at: y, "loaded_die")
        }
    }
}
