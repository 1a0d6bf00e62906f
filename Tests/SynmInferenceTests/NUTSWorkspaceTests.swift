// The buffer-based NUTS transition (NUTS+Workspace.swift) against the reference transcription
// of Stan's recursive build_tree (ReferenceNUTS.swift): from the same state and generator,
// every transition must give the same state and sampler columns, bit for bit — with diagonal
// and dense metrics, at the depth limit, through divergences and regions of zero density, and
// with one workspace reused across kernels of different sizes, and with any generator.

import Foundation
import SynmMath
import Testing
@testable import SynmInference

/// Runs `count` transitions of `kernels[i % kernels.count]` with the reference and with one
/// shared workspace; returns the number of divergent transitions and of transitions at the
/// depth limit, after checking that both implementations agree exactly at every step.
private func compareTransitions<M: LogDensityModel, R: RandomNumberGenerator>(
    _ model: M, kernels: [NUTS], start: [Double], generator: R, count: Int
) -> (divergent: Int, atMaxDepth: Int) {
    var referenceModel = model, model = model
    var referenceRNG = generator, rng = generator
    var referenceState = HMCState(position: start, model: &referenceModel)
    var state = referenceState
    var workspace = TransitionWorkspace()
    var divergent = 0, atMaxDepth = 0
    for i in 0..<count {
        let kernel = kernels[i % kernels.count]
        let (r, rInfo) = ReferenceNUTS(kernel: kernel).step(referenceState, model: &referenceModel, rng: &referenceRNG)
        let (s, sInfo) = kernel.step(state, model: &model, rng: &rng, workspace: &workspace)
        #expect(s == r, "transition \(i): state differs")
        #expect(sInfo == rInfo, "transition \(i): \(sInfo) vs \(rInfo)")
        #expect(rng.next() == referenceRNG.next(), "transition \(i): generators diverged")
        if s != r || sInfo != rInfo { return (divergent, atMaxDepth) }
        if sInfo.divergent { divergent += 1 }
        if sInfo.treeDepth == kernel.maxDepth { atMaxDepth += 1 }
        referenceState = r
        state = s
    }
    return (divergent, atMaxDepth)
}

@Test func workspaceTransitionMatchesReferenceWithDiagonalMetric() {
    let model = GaussianTarget(mean: [1, -2, 0.5, 3, 0], scales: [1, 0.1, 2, 0.5, 5])
    let kernel = NUTS(stepSize: 0.08, metric: Metric(diagonal: [1, 0.01, 4, 0.3, 20]))
    _ = compareTransitions(model, kernels: [kernel], start: [0.3, -1, 2, 1, -3], generator: Xoshiro256StarStar(seed: 11), count: 300)
}

@Test func workspaceTransitionMatchesReferenceWithDenseMetric() {
    let covariance: [Double] = [1, 0.9, 0.2,
                                0.9, 1, 0.1,
                                0.2, 0.1, 2]
    let model = GaussianTarget(mean: [0, 1, -1], covariance: covariance)
    let metric = Metric(dense: Matrix(rows: 3, cols: 3, storage: covariance))!
    let kernel = NUTS(stepSize: 0.4, metric: metric)
    _ = compareTransitions(model, kernels: [kernel], start: [0.5, 0.5, 0.5], generator: Xoshiro256StarStar(seed: 12), count: 300)
}

@Test func workspaceTransitionMatchesReferenceThroughDivergencesAndDepthLimits() {
    // The funnel at a large step size diverges; a tiny step size runs every tree to depth 3;
    // the kernels alternate on one workspace, so it is resized between transitions.
    let wide = NUTS(stepSize: 1.2, metric: .unit(8))
    let shallow = NUTS(stepSize: 1e-3, metric: .unit(8), maxDepth: 3)
    let deep = NUTS(stepSize: 0.2, metric: Metric(diagonal: [2, 1, 1, 1, 0.5, 1, 1, 1]), maxDepth: 12)
    let counts = compareTransitions(Funnel(dimension: 8), kernels: [wide, shallow, deep],
                                    start: [0.5, 0.1, -0.2, 0.3, 0, 1, -1, 0.2], generator: Xoshiro256StarStar(seed: 13), count: 300)
    #expect(counts.divergent > 0)
    #expect(counts.atMaxDepth > 0)
}

/// A standard normal on the half-space x₀ > 0: log π = −∞ outside, with the gradient left as
/// the caller passed it (the protocol leaves it unspecified there).
private struct HalfSpaceNormal: LogDensityModel {
    var dimension: Int { 3 }
    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        guard x[0] > 0 else { return -.infinity }
        for i in 0..<3 { gradient[i] = -x[i] }
        return -0.5 * (x[0] * x[0] + x[1] * x[1] + x[2] * x[2])
    }
}

@Test func workspaceTransitionMatchesReferenceAtTheEdgeOfTheSupport() {
    let kernel = NUTS(stepSize: 0.5, metric: .unit(3))
    let counts = compareTransitions(HalfSpaceNormal(), kernels: [kernel], start: [0.2, 0, 0], generator: Xoshiro256StarStar(seed: 14), count: 300)
    #expect(counts.divergent > 0)
}

@Test func workspaceTransitionMatchesReferenceWithAnotherGenerator() {
    // Any generator other than the chains' xoshiro256** is drawn from through a closure.
    let model = GaussianTarget(mean: [1, -1, 0], scales: [1, 2, 0.5])
    let kernel = NUTS(stepSize: 0.3, metric: Metric(diagonal: [1, 4, 0.25]))
    _ = compareTransitions(model, kernels: [kernel], start: [0, 0, 0], generator: SplitMix64(seed: 15), count: 200)
}
