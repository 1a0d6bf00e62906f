// The posteriordb translations (models/posteriordb/): every model against a hand-written Swift
// log density and gradient, as ModelCatalogueTests does for models/, plus the generic checks
// (finite differences, exact Hessian, terms adding up) and the completeness of each model's
// files. Their agreement with posteriordb's reference posteriors is checked in release mode by
// scripts/posteriordb/check.sh (docs/POSTERIORDB.md).
//
// 21 are normal linear regressions y ~ normal(X β, σ) with σ declared <lower=0> (sampled as
// u = log σ, log-Jacobian u) and flat priors on β, some with σ ~ cauchy(0, 2.5): the
// hand-written side builds each model's design matrix X from the data file, repeating the Stan
// program's transformed data in Swift. Three others (eight schools, capture–recapture M0, a
// Poisson GLM with bounded coefficients) are written out one by one, and the five with Stan's
// constrained types (mixture, HMM, GPs, dogs) in PosteriordbConstrainedCatalogueTests.swift.
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

    /// The hand-written density of each model: the regressions below, and three others.
    static func handWritten(_ name: String) throws -> HandWritten {
        switch name {
        case "eight_schools_noncentered":
            // synm's order is theta_trans[1…8], mu, log tau; Catalogue.eightSchools takes mu,
            // log tau, eta[1…8] (the same model and data).
            return { x in
                let (v, g) = Catalogue.eightSchools([x[8], x[9]] + Array(x[0..<8]))
                return (v, Array(g[2..<10]) + [g[0], g[1]])
            }
        case "M0_model": return try m0()
        case "GLM_Poisson_model": return try glmPoisson()
        default: return try regression(name).density
        }
    }

    /// M0 with data augmentation: a seen animal adds log ω + log Binomial(s | T, p), an unseen
    /// one log(ω (1 − p)^T + 1 − ω). ω and p are logit-transformed (log-Jacobian log ω(1 − ω)).
    static func m0() throws -> HandWritten {
        let d = try catalogueData("posteriordb/M0_model")
        let rows = Int(d["M"]!.values[0]), occasions = Int(d["T"]!.values[0]), y = d["y"]!.values
        let s = (0..<rows).map { i in (0..<occasions).reduce(0.0) { $0 + y[i * occasions + $1] } }
        let t = Double(occasions)
        return { x in
            let omega = logistic(x[0]), p = logistic(x[1])
            var lp = Foundation.log(omega) + Foundation.log1p(-omega) + Foundation.log(p) + Foundation.log1p(-p)
            var dOmega = 0.0, dP = 0.0
            for si in s {
                if si > 0 {
                    lp += Foundation.log(omega) + Foundation.lgamma(t + 1) - Foundation.lgamma(si + 1) - Foundation.lgamma(t - si + 1)
                        + si * Foundation.log(p) + (t - si) * Foundation.log1p(-p)
                    dOmega += 1 / omega
                    dP += si / p - (t - si) / (1 - p)
                } else {
                    let a = Foundation.log(omega) + t * Foundation.log1p(-p), b = Foundation.log1p(-omega)
                    let m = Swift.max(a, b)
                    let total = m + Foundation.log(Foundation.exp(a - m) + Foundation.exp(b - m))
                    lp += total
                    let w = Foundation.exp(a - total)
                    dOmega += w / omega - (1 - w) / (1 - omega)
                    dP += -w * t / (1 - p)
                }
            }
            return (lp, [dOmega * omega * (1 - omega) + 1 - 2 * omega, dP * p * (1 - p) + 1 - 2 * p])
        }
    }

    /// Poisson log-linear cubic in year; each coefficient θ = l + (u − l) logistic(x) with
    /// log-Jacobian log(u − l) + log logistic(x) + log(1 − logistic(x)).
    static func glmPoisson() throws -> HandWritten {
        let d = try catalogueData("posteriordb/GLM_Poisson_model")
        let counts = d["C"]!.values, year = d["year"]!.values
        let bounds: [(Double, Double)] = [(-20, 20), (-10, 10), (-10, 10), (-10, 10)]
        return { x in
            var theta = [Double](repeating: 0, count: 4), dtheta = theta, jacobian = theta
            var lp = 0.0
            for k in 0..<4 {
                let (l, u) = bounds[k], s = logistic(x[k])
                theta[k] = l + (u - l) * s
                dtheta[k] = (u - l) * s * (1 - s)
                lp += Foundation.log(u - l) + Foundation.log(s) + Foundation.log1p(-s)
                jacobian[k] = 1 - 2 * s
            }
            var g = [Double](repeating: 0, count: 4)
            for i in 0..<counts.count {
                let t = year[i], t2 = t * t
                let columns = [1, t, t2, t2 * t]
                var eta = 0.0
                for k in 0..<4 { eta += theta[k] * columns[k] }
                lp += counts[i] * eta - Foundation.exp(eta) - Foundation.lgamma(counts[i] + 1)
                let de = counts[i] - Foundation.exp(eta)
                for k in 0..<4 { g[k] += de * columns[k] }
            }
            for k in 0..<4 { g[k] = g[k] * dtheta[k] + jacobian[k] }
            return (lp, g)
        }
    }

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
            var model = try compileCatalogueModel("posteriordb/\(name)")
            // Every parameter has a reference (a reference may also hold lets: eight schools' theta),
            // except the entries a constraint fixes (a cholesky_factor_corr's first row: 1, 0, …),
            // found as the constrained values equal at two random points.
            let names = Set(params.compactMap { $0["name"] as? String })
            let points = randomPoints(dimension: model.dimension, count: 2, seed: 0xF1, scale: 1.0)
            let (a, b) = (try model.constrain(points[0]), try model.constrain(points[1]))
            let varying = zip(model.parameterNames, zip(a, b)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            #expect(varying.count >= model.dimension, "\(name): \(varying.count) varying values")
            #expect(Set(varying).isSubset(of: names), "\(name): reference parameters \(names)")
            for p in params {
                let sd = p["sd"] as? Double ?? .nan
                #expect(sd > 0 && (p["mean"] as? Double)?.isFinite == true, "\(name): reference \(p)")
            }
        }
    }

    /// The compiled density and gradient against the hand-written regression, at seeded points.
    @Test(arguments: names)
    func handWritten(name: String) throws {
        if let value = try PosteriordbConstrained.value(name) {  // constrained types: values (PosteriordbConstrainedCatalogueTests.swift)
            return try PosteriordbConstrained.compare(name, value)
        }
        try ModelCatalogueTests().compare("posteriordb/\(name)", try PosteriordbCatalogue.handWritten(name))
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
        var x = randomPoints(dimension: model.dimension, count: 1, seed: 0x4E55, scale: 1.0)[0]
        if name == "gp_pois_regr" {
            // At this seed's log rho ≈ 3 (rho ≈ 20 over x in [−10, 10]) the covariance with
            // posteriordb's 1e-10 jitter has a condition number near 1e10, and the gradient's
            // rounding swamps finite differences of it (with steps of 0.01–0.1 they converge to
            // the exact Hessian). rho = 2 keeps it well conditioned.
            x[0] = Foundation.log(2)
        }
        let double = try model.evaluate(x)
        let dual = try model.hessian(x)
        #expect(dual.value == double.value, "\(name): Dual \(dual.value), Double \(double.value)")
        #expect(dual.gradient == double.gradient, "\(name): Dual \(dual.gradient), Double \(double.gradient)")
        expectHessianMatchesFiniteDifferences(&model, dual.hessian, at: x, name)
    }
}
