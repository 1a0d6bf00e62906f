// The posteriordb translations (models/posteriordb/): every model against a hand-written Swift
// log density and gradient, as ModelCatalogueTests does for models/, plus the generic checks
// (finite differences, exact Hessian, terms adding up) and the completeness of each model's
// files. Their agreement with posteriordb's reference posteriors is checked in release mode by
// scripts/posteriordb/check.sh (docs/POSTERIORDB.md).
//
// All 21 are normal linear regressions y ~ normal(X β, σ) with σ declared <lower=0> (sampled
// as u = log σ, log-Jacobian u) and flat priors on β, some with σ ~ cauchy(0, 2.5): the
// hand-written side builds each model's design matrix X from the data file, repeating the Stan
// program's transformed data in Swift.
import Foundation
import SynmIO
import Testing
@testable import SynmRuntime

/// One posteriordb regression: response, design columns (the intercept included) and whether
/// σ has a cauchy(0, 2.5) prior.
struct PosteriordbRegression {
    let y: [Double]
    let columns: [[Double]]
    let cauchySigma: Bool

    /// log p(β, u) on the unconstrained scale, x = [β…, u], and its gradient.
    func density(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let k = columns.count
        let u = x[k], sigma = Foundation.exp(u)
        var g = [Double](repeating: 0, count: k + 1)
        var lp = u  // log-Jacobian of σ = exp(u)
        var dsigma = 0.0
        for i in 0..<y.count {
            var mu = 0.0
            for j in 0..<k { mu += x[j] * columns[j][i] }
            let t = normalTerm(y[i], mu, sigma)
            lp += t.lp
            for j in 0..<k { g[j] += t.dmu * columns[j][i] }
            dsigma += t.dsigma
        }
        if cauchySigma {
            let c = cauchyTerm(sigma, 0, 2.5)
            lp += c.lp
            dsigma += c.dy
        }
        g[k] = dsigma * sigma + 1
        return (lp, g)
    }
}

enum PosteriordbCatalogue {
    static func data(_ name: String) throws -> [String: [Double]] {
        try catalogueData("posteriordb/\(name)").mapValues(\.values)
    }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// The sample standard deviation (divisor n − 1), as Stan's and synm's `sd`.
    static func sd(_ v: [Double]) -> Double {
        let m = mean(v)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
    }

    static func times(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 * $1 } }

    /// The regression each model writes, built from its data file.
    static func regression(_ name: String) throws -> PosteriordbRegression {
        let d = try data(name)
        func col(_ key: String) -> [Double] { d[key]! }
        let n = Int(d["N"]![0])
        let one = [Double](repeating: 1, count: n)
        let log = { (v: [Double]) in v.map { Foundation.log($0) } }
        switch name {
        case "kidscore_momhs":
            return .init(y: col("kid_score"), columns: [one, col("mom_hs")], cauchySigma: true)
        case "kidscore_momiq":
            return .init(y: col("kid_score"), columns: [one, col("mom_iq")], cauchySigma: true)
        case "kidscore_momhsiq":
            return .init(y: col("kid_score"), columns: [one, col("mom_hs"), col("mom_iq")], cauchySigma: true)
        case "kidscore_interaction":
            return .init(y: col("kid_score"), columns: [one, col("mom_hs"), col("mom_iq"), times(col("mom_hs"), col("mom_iq"))],
                         cauchySigma: true)
        case "kidscore_interaction_c":
            let hs = col("mom_hs").map { $0 - mean(col("mom_hs")) }, iq = col("mom_iq").map { $0 - mean(col("mom_iq")) }
            return .init(y: col("kid_score"), columns: [one, hs, iq, times(hs, iq)], cauchySigma: false)
        case "kidscore_interaction_c2":
            let hs = col("mom_hs").map { $0 - 0.5 }, iq = col("mom_iq").map { $0 - 100 }
            return .init(y: col("kid_score"), columns: [one, hs, iq, times(hs, iq)], cauchySigma: false)
        case "kidscore_interaction_z":
            let hs = col("mom_hs"), iq = col("mom_iq")
            let zhs = hs.map { ($0 - mean(hs)) / (2 * sd(hs)) }, ziq = iq.map { ($0 - mean(iq)) / (2 * sd(iq)) }
            return .init(y: col("kid_score"), columns: [one, zhs, ziq, times(zhs, ziq)], cauchySigma: false)
        case "kidscore_mom_work":
            let w = col("mom_work")
            let ind = { (k: Double) in w.map { $0 == k ? 1.0 : 0.0 } }
            return .init(y: col("kid_score"), columns: [one, ind(2), ind(3), ind(4)], cauchySigma: false)
        case "mesquite":
            return .init(y: col("weight"), columns: [one] + ["diam1", "diam2", "canopy_height", "total_height", "density", "group"].map(col),
                         cauchySigma: false)
        case "logmesquite":
            return .init(y: log(col("weight")),
                         columns: [one] + ["diam1", "diam2", "canopy_height", "total_height", "density"].map { log(col($0)) } + [col("group")],
                         cauchySigma: false)
        case "logmesquite_logva", "logmesquite_logvas", "logmesquite_logvash", "logmesquite_logvolume":
            let area = times(col("diam1"), col("diam2"))
            let volume = log(times(area, col("canopy_height")))
            let shape = log(zip(col("diam1"), col("diam2")).map { $0 / $1 })
            let columns: [[Double]]
            switch name {
            case "logmesquite_logva": columns = [one, volume, log(area), col("group")]
            case "logmesquite_logvas":
                columns = [one, volume, log(area), shape, log(col("total_height")), log(col("density")), col("group")]
            case "logmesquite_logvash": columns = [one, volume, log(area), shape, log(col("total_height")), col("group")]
            default: columns = [one, volume]
            }
            return .init(y: log(col("weight")), columns: columns, cauchySigma: false)
        case "earn_height":
            return .init(y: col("earn"), columns: [one, col("height")], cauchySigma: false)
        case "log10earn_height":
            return .init(y: col("earn").map { Foundation.log10($0) }, columns: [one, col("height")], cauchySigma: false)
        case "logearn_height":
            return .init(y: log(col("earn")), columns: [one, col("height")], cauchySigma: false)
        case "logearn_height_male":
            return .init(y: log(col("earn")), columns: [one, col("height"), col("male")], cauchySigma: false)
        case "logearn_interaction":
            return .init(y: log(col("earn")), columns: [one, col("height"), col("male"), times(col("height"), col("male"))],
                         cauchySigma: false)
        case "logearn_interaction_z":
            let h = col("height")
            let z = h.map { ($0 - mean(h)) / sd(h) }
            return .init(y: log(col("earn")), columns: [one, z, col("male"), times(z, col("male"))], cauchySigma: false)
        case "logearn_logheight_male":
            return .init(y: log(col("earn")), columns: [one, log(col("height")), col("male")], cauchySigma: false)
        default:
            throw PrepareError(description: "no hand-written regression for \(name)")
        }
    }
}

@Suite struct PosteriordbCatalogueTests {
    static let directory = repositoryRoot.appendingPathComponent("models/posteriordb")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".synm") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// At least the twenty translations the README counts, each with its data and its
    /// reference posterior, whose parameters are exactly the model's.
    @Test func everyModelHasDataAndReference() throws {
        #expect(Self.names.count >= 20)
        for name in Self.names {
            let fm = FileManager.default
            #expect(fm.fileExists(atPath: Self.directory.appendingPathComponent("\(name).data.json").path), "\(name): no data file")
            let url = Self.directory.appendingPathComponent("\(name).reference.json")
            guard let bytes = fm.contents(atPath: url.path),
                  let ref = try JSONSerialization.jsonObject(with: bytes) as? [String: Any],
                  let params = ref["parameters"] as? [[String: Any]] else {
                Issue.record("\(name): no readable reference file")
                continue
            }
            let model = try compileCatalogueModel("posteriordb/\(name)")
            #expect(params.compactMap { $0["name"] as? String } == model.parameterNames, "\(name): reference parameters")
            for p in params {
                let sd = p["sd"] as? Double ?? .nan
                #expect(sd > 0 && (p["mean"] as? Double)?.isFinite == true, "\(name): reference \(p)")
            }
        }
    }

    /// The compiled density and gradient against the hand-written regression, at seeded points.
    @Test(arguments: names)
    func handWritten(name: String) throws {
        let regression = try PosteriordbCatalogue.regression(name)
        try ModelCatalogueTests().compare("posteriordb/\(name)", regression.density)
    }

    /// The AD gradient against finite differences of the model's own value.
    @Test(arguments: names)
    func finiteDifferences(name: String) throws {
        var model = try compileCatalogueModel("posteriordb/\(name)")
        for x in randomPoints(dimension: model.dimension, count: 2, seed: 0xFD, scale: 1.0) {
            expectModelGradientMatchesFiniteDifferences(&model, at: x, name)
        }
    }

    /// The exact Hessian: symmetric, equal to finite differences of the gradient, and its
    /// value and gradient bit for bit those of the Double path.
    @Test(arguments: names)
    func hessian(name: String) throws {
        var model = try compileCatalogueModel("posteriordb/\(name)")
        let x = randomPoints(dimension: model.dimension, count: 1, seed: 0x4E55, scale: 1.0)[0]
        let double = try model.evaluate(x)
        let dual = try model.hessian(x)
        #expect(dual.value == double.value, "\(name): Dual \(dual.value), Double \(double.value)")
        #expect(dual.gradient == double.gradient, "\(name): Dual \(dual.gradient), Double \(double.gradient)")
        expectHessianMatchesFiniteDifferences(&model, dual.hessian, at: x, name)
    }
}
