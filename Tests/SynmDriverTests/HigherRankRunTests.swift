// A model with a rank-3 data array and a rank-3 parameter, end to end: `synm run` writes the
// rank-3 columns in CmdStan's order (`z.1.1.1, z.2.1.1, …`, the first index fastest), the
// same bits for a seed whatever the thread count, and `synm predict --fit` reads the columns
// back by name and recomputes the run's lets.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct HigherRankRunTests {
    let h = InfoHarness()

    static let model = """
    data y: real[2, 2, 3]
    param z: real[2, 2, 3]
    param sigma: real<lower=0>
    sigma ~ exponential(1)
    for i in 1..2 {
      for j in 1..2 {
        z[i, j] ~ normal(0, 1)
        y[i, j] ~ normal(z[i, j], sigma)
      }
    }
    let w = z + 10 * sigma
    """
    static let data = #"{"y": [[[0.5, -1, 2], [1.5, 0.25, -0.5]], [[-2, 1, 0], [0.75, -0.25, 1.25]]]}"#

    func csv(_ path: String) throws -> DrawsCSV {
        try DrawsCSV.parse(try String(contentsOfFile: path, encoding: .utf8))
    }

    @Test func runWritesCmdStanOrderDeterministicallyAndPredictReadsItBack() throws {
        let m = h.model("rank3", Self.model, data: Self.data)
        let base = ["run", m, "--seed", "4", "--chains", "2", "--warmup", "100", "--draws", "40"]
        let r1 = h.run(base + ["--threads", "1", "--output", h.dir.appendingPathComponent("a.csv").path])
        let r2 = h.run(base + ["--threads", "2", "--output", h.dir.appendingPathComponent("b.csv").path])
        try #require(r1.code == 0 && r2.code == 0, "\(r1.err)\(r2.err)")
        let a = try csv(h.dir.appendingPathComponent("a_1.csv").path)
        let b = try csv(h.dir.appendingPathComponent("b_1.csv").path)
        #expect(a.columns == b.columns && a.names == b.names)
        // CmdStan's order: first index fastest.
        var expected: [String] = []
        for k in 1...3 { for j in 1...2 { for i in 1...2 { expected.append("z.\(i).\(j).\(k)") } } }
        let zColumns = a.names.filter { $0.hasPrefix("z.") }
        #expect(zColumns == expected)
        // Each column holds its own element: w = z + 10 sigma, element by element, by name.
        let sigma = try #require(a.column(named: "sigma"))
        for name in expected {
            let z = try #require(a.column(named: name)), w = try #require(a.column(named: "w" + name.dropFirst()))
            for d in z.indices { #expect(abs(w[d] - (z[d] + 10 * sigma[d])) <= 1e-12 * max(1, abs(w[d]))) }
        }
        // predict --fit: the parameters are read back by name and the let recomputed.
        let gq = h.dir.appendingPathComponent("gq.csv").path
        let p = h.run(["predict", m, "--fit", h.dir.appendingPathComponent("a_1.csv").path, "--seed", "4", "--output", gq])
        try #require(p.code == 0, "\(p.err)")
        let g = try csv(DrawsOutput.path(prefix: gq, chain: 0))
        #expect(g.names.filter { $0.hasPrefix("w.") } == expected.map { "w" + $0.dropFirst() })
        for name in expected {
            let w = try #require(a.column(named: "w" + name.dropFirst())), v = try #require(g.column(named: "w" + name.dropFirst()))
            for d in w.indices { #expect(abs(w[d] - v[d]) <= 1e-12 * max(1, abs(w[d])), "\(name) draw \(d)") }
        }
    }
}
