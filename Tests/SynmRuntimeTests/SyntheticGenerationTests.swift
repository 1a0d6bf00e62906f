// The synthetic-data generators (the paper's Examples 2–4; grammar/synm.ebnf) checked against
// their distributions, with tolerances from the binomial law of each count: a count of
// events of probability p among m independent draws has mean m·p and sd sqrt(m·p·(1 − p)),
// and every count is held to 4.5 sd (a false alarm per comparison ≈ 7e-6, so ≈ 1e-3 over
// the few hundred comparisons below; the seeds are fixed, so a pass is reproducible).
// Then determinism from the run's seed, and the located errors of bad generators.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import Testing
@testable import SynmRuntime
@testable import SynmSynthetic

/// Expects `count` to be within 4.5 binomial sd of m·p.
func expectBinomial(_ count: Int, m: Int, p: Double, _ what: String,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let mean = Double(m) * p, sd = (Double(m) * p * (1 - p)).squareRoot()
    #expect(abs(Double(count) - mean) <= 4.5 * sd,
            "\(what): \(count) of \(m), expected \(mean) ± 4.5 × \(sd)", sourceLocation: sourceLocation)
}

/// Stan JSON text of one real array.
func jsonArray(_ name: String, _ values: [Double]) -> String {
    "\"\(name)\": [" + values.map { String($0) }.joined(separator: ", ") + "]"
}

@Suite struct SyntheticGenerationTests {
    // MARK: bootstrap (Example 2)

    /// Every original row is drawn with probability 1/n: its frequency among m bootstrap rows
    /// is Binomial(m, 1/n). Rows of distinct values identify themselves.
    @Test(arguments: [UInt64(1), 2, 3])
    func bootstrapFrequencies(seed: UInt64) throws {
        let n = 10, m = 20_000
        let y = (1...n).map { Double($0) * 1.5 }
        let model = try compile("""
            data y: real[n]
            synthetic yb: real[\(m)] = bootstrap(y)
            param mu: real
            mu ~ normal(0, 1)
            yb ~ normal(mu, 1) footing cap
            """, json: "{\(jsonArray("y", y))}", seed: seed)
        let yb = try #require(model.data["yb"])
        #expect(yb.shape == [m])
        for (i, v) in y.enumerated() {
            expectBinomial(yb.values.filter { $0 == v }.count, m: m, p: 1 / Double(n), "row \(i + 1), seed \(seed)")
        }
        #expect(yb.values.allSatisfy { y.contains($0) }, "every bootstrap value is a row of y")
    }

    /// bootstrap(x, y) resamples rows jointly: the pairs stay pairs, each row with frequency
    /// Binomial(m, 1/n); a matrix is resampled by whole rows.
    @Test func jointBootstrapKeepsRowsTogether() throws {
        let n = 8, m = 16_000
        let x = (1...n).map(Double.init), y = x.map { 10 * $0 + 0.5 }
        let z = (0..<n).map { "[\($0), \(-$0)]" }.joined(separator: ", ")
        let model = try compile("""
            data x: real[n]
            data y: real[n]
            data z: real[n, 2]
            synthetic xb, yb: real[\(m)] = bootstrap(x, y)
            synthetic zb: real[\(m), 2] = bootstrap(z)
            param mu: real
            mu ~ normal(0, 1)
            yb ~ normal(mu, 1) footing power(0.5)
            """, json: "{\(jsonArray("x", x)), \(jsonArray("y", y)), \"z\": [\(z)]}", seed: 7)
        let xb = try #require(model.data["xb"]), yb = try #require(model.data["yb"]), zb = try #require(model.data["zb"])
        #expect(zip(xb.values, yb.values).allSatisfy { $1 == 10 * $0 + 0.5 }, "rows of x and y drawn together")
        for k in 1...n { expectBinomial(xb.values.filter { $0 == Double(k) }.count, m: m, p: 1 / Double(n), "row \(k)") }
        #expect(zb.shape == [m, 2])
        for r in 0..<m { #expect(zb.values[2 * r + 1] == -zb.values[2 * r], "row \(r) of zb is a row of z") }
    }

    // MARK: reweight (Example 3)

    /// A class uniformly among the K observed labels, then a row of it uniformly: each class
    /// has frequency Binomial(m, 1/K), and each row of class c Binomial(m, 1/(K·n_c)).
    @Test func reweightBalancesClasses() throws {
        let sizes = [70, 20, 10], m = 30_000
        var y: [Double] = [], g: [Double] = []
        for (c, size) in sizes.enumerated() {
            for r in 0..<size { y.append(Double(100 * (c + 1) + r)); g.append(Double(c + 1)) }
        }
        let model = try compile("""
            data y: real[n]
            data g: int<lower=1>[n]
            synthetic yr: real[\(m)] = reweight(y, by = g)
            param mu: real
            mu ~ normal(0, 1)
            yr ~ normal(mu, 1) footing cap
            """, json: "{\(jsonArray("y", y)), \"g\": [\(g.map { String(Int($0)) }.joined(separator: ", "))]}", seed: 11)
        let yr = try #require(model.data["yr"])
        var counts: [Double: Int] = [:]
        for v in yr.values { counts[v, default: 0] += 1 }
        #expect(Set(counts.keys).isSubset(of: Set(y)), "every value is a row of y")
        let K = Double(sizes.count)
        for (c, size) in sizes.enumerated() {
            let members = (0..<size).map { Double(100 * (c + 1) + $0) }
            expectBinomial(members.reduce(0) { $0 + (counts[$1] ?? 0) }, m: m, p: 1 / K, "class \(c + 1)")
            for v in members { expectBinomial(counts[v] ?? 0, m: m, p: 1 / (K * Double(size)), "row \(v) of class \(c + 1)") }
        }
    }

    // MARK: periodic (Example 4)

    /// rotate90 has period 4: each synthetic row is R^j x_r with j uniform in 0..<4 and r
    /// uniform, so each of the 4·n images has frequency Binomial(m, 1/(4n)) and every value
    /// is exactly an image (rotation by 90° only swaps and negates: no rounding).
    @Test func rotate90OrbitIsUniform() throws {
        let x: [[Double]] = [[1, 0.25], [2, -3], [0.5, 4], [-1.5, 2.5], [3, 1]]
        let m = 40_000
        let model = try compile("""
            data x: real[n, 2]
            synthetic xr: real[\(m), 2] = periodic(x, rotate90, 4)
            param mu: real
            mu ~ normal(0, 1)
            """, json: "{\"x\": [\(x.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", "))]}", seed: 5)
        let xr = try #require(model.data["xr"])
        #expect(xr.shape == [m, 2])
        // The orbit of each row: R(a, b) = (−b, a).
        var images: [[Double]: (row: Int, iterate: Int)] = [:]
        for (r, row) in x.enumerated() {
            var v = row
            for j in 0..<4 {
                images[v] = (r, j)
                v = [-v[1], v[0]]
            }
            #expect(v == row, "four turns are the identity")
        }
        #expect(images.count == 4 * x.count, "the test rows have distinct images")
        var counts: [[Double]: Int] = [:]
        var iterates = [0, 0, 0, 0]
        for k in 0..<m {
            let v = [xr.values[2 * k], xr.values[2 * k + 1]]
            guard let image = images[v] else {
                Issue.record("row \(k + 1) of xr, \(v), is not an image of a row of x")
                continue
            }
            counts[v, default: 0] += 1
            iterates[image.iterate] += 1
        }
        for (v, _) in images { expectBinomial(counts[v] ?? 0, m: m, p: 1 / Double(4 * x.count), "image \(v)") }
        for j in 0..<4 { expectBinomial(iterates[j], m: m, p: 0.25, "iterate \(j)") }
    }

    /// reflect (x → −x, period 2) on an array, and shift (cyclic, period = row width) on a
    /// matrix: the images are exact and the iterates uniform.
    @Test func reflectAndShiftOrbits() throws {
        let y: [Double] = [0.5, 1.25, 2, 3.5], m = 20_000
        let z: [[Double]] = [[1, 2, 3], [4, 5, 6]]
        let model = try compile("""
            data y: real[n]
            data z: real[k, 3]
            synthetic yr: real[\(m)] = periodic(y, reflect, 2)
            synthetic zs: real[\(m), 3] = periodic(z, shift, 6)
            param mu: real
            mu ~ normal(0, 1)
            """, json: "{\(jsonArray("y", y)), \"z\": [[1, 2, 3], [4, 5, 6]]}", seed: 9)
        let yr = try #require(model.data["yr"])
        for v in y {
            expectBinomial(yr.values.filter { $0 == v }.count, m: m, p: 1 / 8, "+\(v)")
            expectBinomial(yr.values.filter { $0 == -v }.count, m: m, p: 1 / 8, "−\(v)")
        }
        #expect(yr.values.allSatisfy { y.contains(abs($0)) })
        // Period 6 on width 3: iterates 0..5 map to shifts 0, 1, 2, 0, 1, 2 — each of the three
        // distinct images of a row has probability 2/6 · 1/2 = 1/6.
        let zs = try #require(model.data["zs"])
        var counts: [[Double]: Int] = [:]
        for k in 0..<m { counts[Array(zs.values[3 * k..<3 * k + 3]), default: 0] += 1 }
        var images: Set<[Double]> = []
        for row in z {
            var v = row
            for _ in 0..<3 { images.insert(v); v = [v[2], v[0], v[1]] }
        }
        #expect(Set(counts.keys) == images, "every row of zs is a cyclic shift of a row of z")
        for v in images { expectBinomial(counts[v] ?? 0, m: m, p: 1 / 6, "shift \(v)") }
    }

    // MARK: determinism

    /// The rows are a function of the seed: the same seed gives the same rows, another seed
    /// other rows; and each node has its own stream (two identical declarations differ).
    @Test func rowsAreDeterministicFromTheSeed() throws {
        let text = """
            data y: real[n]
            data g: int[n]
            synthetic a: real[50] = bootstrap(y)
            synthetic b: real[50] = bootstrap(y)
            synthetic r: real[50] = reweight(y, by = g)
            param mu: real
            mu ~ normal(0, 1)
            """
        let json = "{\(jsonArray("y", (1...20).map(Double.init))), \"g\": [\((1...20).map { String($0 % 3) }.joined(separator: ", "))]}"
        let first = try compile(text, json: json, seed: 42), again = try compile(text, json: json, seed: 42)
        let other = try compile(text, json: json, seed: 43)
        for name in ["a", "b", "r"] {
            #expect(first.data[name] == again.data[name], "\(name): same seed, same rows")
            #expect(first.data[name] != other.data[name], "\(name): another seed, other rows")
        }
        #expect(first.data["a"] != first.data["b"], "each node draws from its own stream")
    }

    // MARK: errors

    func compileError(_ text: String, json: String) -> String {
        do {
            _ = try compile(text, json: json)
            return "no error"
        } catch let e as RuntimeError {
            return e.message + (e.hint.map { " | hint: " + $0 } ?? "")
        } catch {
            return "\(error)"
        }
    }

    func checkErrors(_ text: String) -> [String] {
        checkModel(SourceFile(name: "t.synm", text: text)).diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    @Test func bootstrapOfAnEmptyArray() {
        let message = compileError("""
            data y: real[n]
            synthetic yb: real[10] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1) footing cap
            """, json: #"{"y": []}"#)
        #expect(message.contains("bootstrap of an empty sample") && message.contains("'y' has no rows"), "\(message)")
        let reweight = compileError("""
            data y: real[n]
            data g: int[n]
            synthetic yr: real[10] = reweight(y, by = g)
            param mu: real
            yr ~ normal(mu, 1) footing cap
            """, json: #"{"y": [], "g": []}"#)
        #expect(reweight.contains("empty"), "\(reweight)")
    }

    @Test func labelsOfTheWrongLength() {
        let message = compileError("""
            data y: real[n]
            data g: int[k]
            synthetic yr: real[10] = reweight(y, by = g)
            param mu: real
            yr ~ normal(mu, 1) footing cap
            """, json: #"{"y": [1, 2, 3], "g": [1, 2]}"#)
        #expect(message.contains("the labels 'g' have 2 entries but 'y' has 3 rows"), "\(message)")
        #expect(message.contains("give one label per row"), "\(message)")
    }

    @Test func externalRowsMissingOrOfTheWrongLength() throws {
        let text = """
            data y: real[n]
            synthetic yt: real[5] = external(source_n = 40, overlap = 0)
            param mu: real
            yt ~ normal(mu, 1) footing cap
            """
        let (model, _) = try checked(text)
        let (missing, issues) = try bind(model, json: #"{"y": [1, 2]}"#)
        #expect(missing == nil)
        #expect(issues.contains { $0.message.contains("the third party's rows 'yt' are missing from the data") },
                "\(issues.map(\.message))")
        #expect(issues.contains { $0.hint?.contains("external rows are supplied in the data file") == true })
        let (short, shortIssues) = try bind(model, json: #"{"y": [1, 2], "yt": [1, 2, 3]}"#)
        #expect(short == nil)
        let e = try #require(shortIssues.first { $0.severity == .error })
        #expect(e.variable == "yt" && e.message.contains("yt") && e.message.contains("3") && e.message.contains("5"),
                "\(e.message)")
    }

    /// overlap > source_n: refused by the checker when both are literals, and at compile time
    /// when they come from the data.
    @Test func overlapExceedsSourceN() throws {
        #expect(checkErrors("""
            data y: real[n]
            synthetic yt: real[m] = external(source_n = 10, overlap = 20)
            param mu: real
            yt ~ normal(mu, 1) footing cap
            """).contains("overlap (20) cannot exceed source_n (10)"))
        let message = compileError("""
            data y: real[n]
            data N: int
            data K: int
            synthetic yt: real[m] = external(source_n = N, overlap = K)
            param mu: real
            yt ~ normal(mu, 1) footing cap
            """, json: #"{"y": [1, 2], "N": 3, "K": 5, "yt": [1, 2, 3]}"#)
        #expect(message.contains("overlap (5) exceeds source_n (3)"), "\(message)")
    }

    @Test func capOnANodeWithNoProvenance() {
        let errors = checkErrors("""
            data y: real[n]
            param mu: real
            y ~ normal(mu, 1) footing cap
            """)
        #expect(errors.contains { $0.contains("`footing cap` needs a synthetic node with provenance") }, "\(errors)")
    }

    /// A weight outside [0, 1]: literal (checker) and from the data (compile time).
    @Test func weightOutsideTheUnitInterval() {
        let literal = checkErrors("""
            data y: real[n]
            synthetic yb: real[10] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1) footing weight(2)
            """)
        #expect(literal.contains { $0.contains("the weight must be in [0, 1], but it is 2") }, "\(literal)")
        let power = checkErrors("""
            data y: real[n]
            synthetic yb: real[10] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1) footing power(1.5)
            """)
        #expect(power.contains { $0.contains("the power must be in [0, 1], but it is 1.5") }, "\(power)")
        let fromData = compileError("""
            data y: real[n]
            data w: real
            synthetic yb: real[10] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1) footing weight(w)
            """, json: #"{"y": [1, 2, 3], "w": 1.5}"#)
        #expect(fromData.contains("the weight is 1.5; it must be in [0, 1]"), "\(fromData)")
    }

    @Test func footingOnAParameter() {
        let errors = checkErrors("""
            data y: real[n]
            param mu: real
            mu ~ normal(0, 1) footing power(0.5)
            y ~ normal(mu, 1)
            """)
        #expect(errors.contains { $0.contains("footing applies to data, not to parameters") }, "\(errors)")
    }

    /// A synthetic term with no footing is refused with an explanation.
    @Test func missingFootingIsRefused() {
        let errors = checkErrors("""
            data y: real[n]
            synthetic yb: real[10] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1)
            """)
        #expect(errors.count == 1 && errors[0].contains("footing"), "\(errors)")
    }
}
