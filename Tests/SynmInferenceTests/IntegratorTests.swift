// The leapfrog integrator against physics: the harmonic oscillator's closed-form trajectory,
// a bounded O(ε²) energy error, and exact time reversibility (BlackJAX's integrator tests).

import Foundation
import SynmMath
import Testing
@testable import SynmInference

/// H = q²/2 + p²/2: q(t) = q₀ cos t + p₀ sin t, p(t) = p₀ cos t − q₀ sin t.
private func oscillatorStart() -> (PhasePoint, GaussianTarget) {
    var model = GaussianTarget(mean: [0], scales: [1])
    var g = [0.0]
    let lp = model.logDensityAndGradient([1.0], gradient: &g)
    return (PhasePoint(q: [1.0], p: [0.5], logDensity: lp, gradient: g), model)
}

@Test func leapfrogFollowsHarmonicOscillator() {
    var (z, model) = oscillatorStart()
    let epsilon = 0.01, steps = 300
    Leapfrog.integrate(&z, model: &model, metric: .unit(1), stepSize: epsilon, count: steps)
    let t = epsilon * Double(steps)
    #expect(abs(z.q[0] - (cos(t) + 0.5 * sin(t))) < 1e-4)
    #expect(abs(z.p[0] - (0.5 * cos(t) - sin(t))) < 1e-4)
}

/// The largest |H − H₀| along `steps` steps of size ε.
private func maxEnergyError(_ epsilon: Double, steps: Int) -> Double {
    var (z, model) = oscillatorStart()
    let metric = Metric.unit(1)
    let h0 = z.hamiltonian(metric)
    var worst = 0.0
    for _ in 0..<steps {
        Leapfrog.integrate(&z, model: &model, metric: metric, stepSize: epsilon, count: 1)
        worst = max(worst, abs(z.hamiltonian(metric) - h0))
    }
    return worst
}

@Test func leapfrogEnergyErrorIsBoundedAndSecondOrder() {
    // Over ~16 periods the error does not drift (symplectic), and halving ε quarters it.
    let coarse = maxEnergyError(0.1, steps: 1000)
    let fine = maxEnergyError(0.05, steps: 2000)
    #expect(coarse < 0.01)
    #expect(abs(coarse / fine - 4) < 0.2, "ratio \(coarse / fine)")
}

@Test func leapfrogIsReversible() {
    var model = GaussianTarget(mean: [0.3, -1], covariance: [1, 0.8, 0.8, 2])
    var g = [0.0, 0.0]
    let lp = model.logDensityAndGradient([1.0, 2.0], gradient: &g)
    let start = PhasePoint(q: [1, 2], p: [0.7, -0.4], logDensity: lp, gradient: g)
    let metric = Metric(diagonal: [0.5, 2])
    var z = start
    Leapfrog.integrate(&z, model: &model, metric: metric, stepSize: 0.2, count: 25)
    z.p = z.p.map { -$0 }
    Leapfrog.integrate(&z, model: &model, metric: metric, stepSize: 0.2, count: 25)
    for i in 0..<2 {
        #expect(abs(z.q[i] - start.q[i]) < 1e-12)
        #expect(abs(-z.p[i] - start.p[i]) < 1e-12)
    }
}

@Test func denseMetricMomentumHasCovarianceM() {
    // p = L⁻ᵀz has covariance M = (M⁻¹)⁻¹; check the empirical covariance of 20000 draws.
    let inverse = Matrix(rows: 2, cols: 2, storage: [2, 0.6, 0.6, 1])
    let metric = Metric(dense: inverse)!
    let m = inverse.cholesky()!.inverseSPDFromCholesky()
    var rng = Xoshiro256StarStar(seed: 7)
    var s = [0.0, 0.0, 0.0]
    let n = 20000
    for _ in 0..<n {
        let p = metric.sampleMomentum(using: &rng)
        s[0] += p[0] * p[0]; s[1] += p[0] * p[1]; s[2] += p[1] * p[1]
    }
    #expect(abs(s[0] / Double(n) - m[0, 0]) < 0.03)
    #expect(abs(s[1] / Double(n) - m[0, 1]) < 0.03)
    #expect(abs(s[2] / Double(n) - m[1, 1]) < 0.03)
    #expect(abs(metric.kineticEnergy([1, 2]) - 0.5 * (2 + 2 * 1.2 + 4)) < 1e-12)
}
