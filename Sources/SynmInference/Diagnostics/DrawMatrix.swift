// DrawMatrix: the draws of one scalar quantity as equal-length chains in one flat buffer,
// with Stan's chain split and the validity check shared by every diagnostic in this folder.
//
// [1] Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and
//     localization: an improved R-hat for assessing convergence of MCMC", Bayesian Analysis
//     16(2):667–718, arXiv:1903.08008, §4.1 (split chains).
// [2] Stan, src/stan/analyze/mcmc/split_chains.hpp and check_chains.hpp.

/// Splits each chain into two halves of ⌊N/2⌋ draws, giving twice as many chains: chain c
/// becomes `[0, h)` and `[h, 2h)`, h = ⌊N/2⌋, in the order (c₀ head, c₀ tail, c₁ head, …).
///
/// When N is odd the **last** draw of each chain is dropped, as Stan's `split_chains.hpp`
/// does ("the last draw is ignored"); R `posterior` and ArviZ drop the middle draw instead.
/// Chains of unequal length are first truncated to the shortest (see `summarize(chains:)`).
public func splitChains(_ chains: [[Double]]) -> [[Double]] {
    DrawMatrix(chains).split().chainArrays
}

/// Chain-major draws: `values[c * draws + i]` is draw i of chain c.
struct DrawMatrix: Sendable {
    /// All draws, chain after chain.
    var values: [Double]
    /// Number of chains C.
    let chains: Int
    /// Draws per chain N.
    let draws: Int

    /// Copies `chains`, truncating every chain to the shortest one's length.
    init(_ chains: [[Double]]) {
        let n = chains.map(\.count).min() ?? 0
        var values: [Double] = []
        values.reserveCapacity(n * chains.count)
        for chain in chains { values.append(contentsOf: chain.prefix(n)) }
        self.init(values: values, chains: chains.count, draws: n)
    }

    /// Wraps a chain-major buffer of `chains * draws` values.
    init(values: [Double], chains: Int, draws: Int) {
        precondition(values.count == chains * draws, "DrawMatrix: buffer size mismatch")
        self.values = values
        self.chains = chains
        self.draws = draws
    }

    /// Total number of draws S = C·N.
    var count: Int { values.count }

    /// The draws of chain `c`.
    func chain(_ c: Int) -> ArraySlice<Double> { values[(c * draws)..<((c + 1) * draws)] }

    /// The chains as separate arrays.
    var chainArrays: [[Double]] { (0..<chains).map { Array(chain($0)) } }

    /// Stan's split [2]: 2C chains of ⌊N/2⌋ draws; an odd N loses each chain's last draw.
    func split() -> DrawMatrix {
        let half = draws / 2
        var out: [Double] = []
        out.reserveCapacity(2 * chains * half)
        for c in 0..<chains {
            let start = c * draws
            out.append(contentsOf: values[start..<(start + 2 * half)])
        }
        return DrawMatrix(values: out, chains: 2 * chains, draws: half)
    }

    /// The same shape with `transform` applied to every draw.
    func map(_ transform: (Double) -> Double) -> DrawMatrix {
        DrawMatrix(values: values.map(transform), chains: chains, draws: draws)
    }

    /// True when every draw is finite and not all draws are equal; every R-hat, ESS and MCSE
    /// is NaN otherwise. Deliberately simpler than Stan's `is_finite_and_varies` [2], which
    /// also gives NaN when any single (split) chain is constant, or when all chains share the
    /// same first draw (approximately, by Eigen's `isApproxToConstant`). `posterior` returns
    /// R-hat 1 and ArviZ returns ESS = S for constant draws; synm reports NaN, because a
    /// constant quantity has no convergence to assess.
    var isFiniteAndVaries: Bool {
        guard let first = values.first, first.isFinite else { return false }
        var varies = false
        for v in values {
            if !v.isFinite { return false }
            if v != first { varies = true }
        }
        return varies
    }

    /// The mean of each chain.
    var chainMeans: [Double] {
        (0..<chains).map { c in chain(c).reduce(0, +) / Double(draws) }
    }
}
