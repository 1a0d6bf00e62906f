// Synthetic nodes built from other synthetic nodes (`yb = bootstrap(yr)` of
// `yr = reweight(y, by = g)`): drawn after their sources, from the rows actually drawn;
// worth exactly 0 when the root real node is in the likelihood (Theorem 5 for the composite
// generator, docs/STATISTICS.md §2), else bounded by the root's N; and redrawn, whole
// chain, from each replicate's simulated real data. Frequencies are held to 4.5 binomial sd
// (expectBinomial, as in SyntheticGenerationTests).
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import Testing
@testable import SynmRuntime
@testable import SynmSynthetic

@Suite struct NestedSyntheticTests {
    /// y has two classes of 6 and 2 rows with distinct values.
    static let y = (1...8).map { Double($0) + 0.25 }
    static let g = [1, 1, 1, 1, 1, 1, 2, 2]
    static var json: String {
        "{\(jsonArray("y", y)), \"g\": [\(g.map(String.init).joined(separator: ", "))]}"
    }

    /// Given the drawn yr, bootstrap(yr) picks each of yr's rows with probability 1/m_r: a
    /// value that appears c times among yr's rows appears Binomial(m_b, c/m_r) times in yb.
    /// Drawing yb before yr, or from y, would fail the counts (or the run).
    @Test(arguments: [UInt64(1), 2])
    func bootstrapOfAReweightedNode(seed: UInt64) throws {
        let mr = 40, mb = 20_000
        let model = try compile("""
            data y: real[n]
            data g: int[n]
            synthetic yr: real[\(mr)] = reweight(y, by = g)
            synthetic yb: real[\(mb)] = bootstrap(yr)
            param mu: real
            mu ~ normal(0, 10)
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing cap
            """, json: Self.json, seed: seed)
        let yr = try #require(model.data["yr"]), yb = try #require(model.data["yb"])
        #expect(yr.shape == [mr] && yb.shape == [mb])
        var counts: [Double: Int] = [:]
        for v in yr.values { counts[v, default: 0] += 1 }
        #expect(yb.values.allSatisfy { counts[$0] != nil }, "every row of yb is a row of yr")
        for (v, c) in counts.sorted(by: { $0.key < $1.key }) {
            expectBinomial(yb.values.filter { $0 == v }.count, m: mb, p: Double(c) / Double(mr), "value \(v), seed \(seed)")
        }
        // Reweighting holds within yr: about half its rows from the class of 2.
        let minority = yr.values.filter { $0 > 6.5 }.count
        expectBinomial(minority, m: mr, p: 0.5, "yr rows of the small class, seed \(seed)")
    }

    /// reweight of a synthetic node needs labels drawn jointly with it: given (yb, gb), a
    /// label uniformly among those gb holds, then a row of it.
    @Test func reweightOfAJointBootstrap() throws {
        let m = 20_000
        let model = try compile("""
            data y: real[n]
            data g: int[n]
            synthetic yb, gb: real[30] = bootstrap(y, g)
            synthetic yr: real[\(m)] = reweight(yb, by = gb)
            param mu: real
            mu ~ normal(0, 10)
            y ~ normal(mu, 1)
            yr ~ normal(mu, 1) footing cap
            """, json: Self.json, seed: 3)
        let yb = try #require(model.data["yb"]), gb = try #require(model.data["gb"]), yr = try #require(model.data["yr"])
        #expect(zip(yb.values, gb.values).allSatisfy { y, g in Self.g[Self.y.firstIndex(of: y)!] == Int(g) },
                "rows and labels drawn together")
        let classes = Set(gb.values)
        for c in classes {
            let members = yb.values.indices.filter { gb.values[$0] == c }
            let inClass = yr.values.filter { v in members.contains { yb.values[$0] == v } }.count
            expectBinomial(inClass, m: m, p: 1 / Double(classes.count), "class \(c)")
            // Within the class, each of yb's rows with probability 1/(K·n_c).
            for v in Set(members.map { yb.values[$0] }) {
                let c_v = members.filter { yb.values[$0] == v }.count
                expectBinomial(yr.values.filter { $0 == v }.count, m: m,
                               p: Double(c_v) / Double(members.count * classes.count), "value \(v)")
            }
        }
    }

    /// A resample of a fitted node is drawn from the fitted rows, not from their placeholders.
    @Test func bootstrapOfAParametricBootstrap() throws {
        let model = try compile("""
            data y: real[n]
            synthetic yp: real[50] = parametric_bootstrap(y)
            synthetic yb: real[400] = bootstrap(yp)
            param mu: real
            mu ~ normal(0, 10)
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing cap
            """, json: "{\(jsonArray("y", Self.y))}", seed: 5)
        let yp = try #require(model.data["yp"]), yb = try #require(model.data["yb"])
        #expect(!yp.values.contains { Self.y.contains($0) }, "yp holds simulated rows, not the real ones")
        let fitted = Set(yp.values)
        #expect(yb.values.allSatisfy { fitted.contains($0) }, "every row of yb is a row of yp")
    }

    /// Same seed, same chain, bit for bit.
    @Test func chainIsDeterministic() throws {
        let text = """
            data y: real[n]
            data g: int[n]
            synthetic yr: real[30] = reweight(y, by = g)
            synthetic yq: real[30] = periodic(yr, op = reflect, period = 2)
            synthetic yb: real[30] = bootstrap(yq)
            param mu: real
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing power(0.1)
            """
        let a = try compile(text, json: Self.json, seed: 9), b = try compile(text, json: Self.json, seed: 9)
        #expect(a.data["yb"] == b.data["yb"])
        let yr = Set(try #require(a.data["yr"]).values)
        #expect(try #require(a.data["yq"]).values.allSatisfy { yr.contains($0) || yr.contains(-$0) })
    }

    // MARK: worth

    func worth(_ text: String, json: String = NestedSyntheticTests.json) throws -> [String: SyntheticWorth] {
        let (model, file) = try checked(text)
        let (table, _) = try bind(model, json: json)
        let compiled = try SyntheticCompiler.compile(model, source: file, data: try #require(table), seed: 1)
        return try SyntheticWorth.all(model, compiled: compiled)
    }

    /// Theorem 5 for the composite: the root y is in the likelihood, so every node of the
    /// chain is worth exactly 0 and its cap weight is 0, whatever the links.
    @Test func chainFromALikelihoodSampleIsWorthNothing() throws {
        let w = try worth("""
            data y: real[n]
            data g: int[n]
            synthetic yr: real[300] = reweight(y, by = g)
            synthetic yb: real[200] = bootstrap(yr)
            param mu: real
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing power(0.5)
            """)
        for name in ["yr", "yb"] {
            let v = try #require(w[name])
            #expect(v.lower == 0 && v.upper == 0 && v.capWeight == 0, "\(name): \(v)")
            #expect(v.sourceUnits == 8 && v.countedUnits == 8, "N is the root's 8 rows: \(v)")
        }
    }

    /// The root not in the likelihood: N is the root's 8 units, not the intermediate node's
    /// 300 rows; an all-bootstrap chain keeps Example 7's lower bound (distinct rows), a
    /// chain through reweight does not; a chain through a fitted generator is not a resample
    /// (upper N, cap w = N/(N + m)).
    @Test func chainFromASampleOutsideTheLikelihood() throws {
        let w = try worth("""
            data x: real[n]
            data y: real[n]
            data g: int[n]
            synthetic yc: real[300] = bootstrap(y)
            synthetic yd: real[5] = bootstrap(yc)
            synthetic yr: real[300] = reweight(y, by = g)
            synthetic yb: real[200] = bootstrap(yr)
            synthetic xp: real[40] = parametric_bootstrap(x)
            synthetic xb: real[100] = bootstrap(xp)
            param mu: real
            x ~ normal(mu, 1)
            yd ~ normal(mu, 1) footing cap
            yb ~ normal(mu, 1) footing cap
            xb ~ normal(mu, 1) footing power(0.1)
            """, json: "{\(jsonArray("x", Self.y)), \(jsonArray("y", Self.y)), \"g\": [1, 1, 1, 1, 1, 1, 2, 2]}")
        let yd = try #require(w["yd"]), yb = try #require(w["yb"]), xb = try #require(w["xb"])
        #expect(yd.sourceUnits == 8 && yd.upper == 5 && yd.lower >= 1 && yd.lower <= 5, "\(yd)")
        #expect(yd.capWeight == SyntheticWorth.honestWeight(sourceUnits: 8, counted: 0, rows: 5, resample: true))
        #expect(yb.sourceUnits == 8 && yb.lower == 0 && yb.upper == 8, "\(yb)")
        #expect(yb.capWeight == 8.0 / (8 + 200 - 1))
        // xb: built (through xp) from x, which is in the likelihood: Theorem 5.
        #expect(xb.upper == 0 && xb.capWeight == 0, "\(xb)")
    }

    /// A fitted link with its root outside the likelihood: fresh draws, not copies.
    @Test func chainThroughAFittedGeneratorIsNotAResample() throws {
        let node = SyntheticNode(name: "xb", generator: .bootstrap, kind: .bootstrap(sources: ["xp"]), rows: 100)
        let w = SyntheticWorth.of(node, sourceRows: 8, sourceInLikelihood: false, realInLikelihood: true, distinctRows: 30,
                                  upstream: [.parametricBootstrap])
        #expect(w.lower == 0 && w.upper == 8)
        #expect(w.capWeight == 8.0 / (8 + 100))
    }

    // MARK: replicates

    /// An audit replicate redraws the whole chain from its simulated real data.
    @Test func replicatesRegenerateTheChain() throws {
        let (model, file) = try checked("""
            data y: real[n]
            data g: int[n]
            synthetic yr: real[30] = reweight(y, by = g)
            synthetic yb: real[30] = bootstrap(yr)
            param mu: real
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing cap
            """)
        let (table, _) = try bind(model, json: Self.json)
        let base = try SyntheticCompiler.compile(model, source: file, data: try #require(table), seed: 1)
        let design = try ReplicateDesign(model: model, source: file, base: base, at: ["mu": [0.5]], seed: 2, nodeWeights: [:])
        for r in 0..<3 {
            let replicate = try design.compile(try design.data(r), r)
            let y = try #require(replicate.data["y"]), yr = Set(try #require(replicate.data["yr"]).values)
            #expect(y.values != Self.y, "replicate \(r) simulates y")
            #expect(yr.allSatisfy { y.values.contains($0) }, "replicate \(r): yr from the simulated y")
            #expect(try #require(replicate.data["yb"]).values.allSatisfy { yr.contains($0) }, "replicate \(r): yb from yr")
        }
    }

    // MARK: errors

    @Test func refusedSources() {
        func codes(_ body: String) -> [String] {
            let file = SourceFile(name: "t.synm", text: "data y: real[n]\ndata g: int[n]\nparam mu: real\ny ~ normal(mu, 1)\n" + body)
            return checkModel(file).diagnostics.filter { $0.severity == .error }.map(\.code)
        }
        #expect(codes("synthetic yb: real[9] = bootstrap(yr)\nsynthetic yr: real[9] = bootstrap(y)") == ["sema.generator-order"])
        #expect(codes("synthetic yb: real[9] = bootstrap(y)\nsynthetic yr: real[9] = reweight(yb, by = g)") == ["sema.reweight-labels"])
        #expect(codes("synthetic gb: int[9] = bootstrap(g)\nsynthetic yr: real[9] = reweight(y, by = gb)") == ["sema.reweight-labels"])
        #expect(codes("synthetic yb: real[9] = bootstrap(y)\nsynthetic yp: real[9] = posterior_predictive(yb)") == ["sema.generator-source"])
        #expect(codes("synthetic yb, gb: real[9] = bootstrap(y, g)\nsynthetic yr: real[9] = reweight(yb, by = gb)").isEmpty)
        // periodic's operator: a parameter named like a declared node is one error, not a cascade.
        #expect(codes("synthetic yr: real[9] = periodic(y, op = y -> -y, period = 2)") == ["sema.periodic-operator"])
        #expect(codes("synthetic yr: real[9] = periodic(y, op = v -> -v, period = 2)").isEmpty)
    }
}
