// E-BFMI, the energy Bayesian fraction of missing information of an HMC chain.
//
// [1] Betancourt 2016, "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte
//     Carlo", arXiv:1604.00695, eq. (13) (the empirical estimator).
// [2] CmdStan, src/cmdstan/diagnose.cpp (threshold 0.3; pools all chains' energies).
// [3] ArviZ, arviz/stats/diagnostics.py: bfmi() (per chain; equal to the formula below).

/// The E-BFMI below which a chain is flagged: 0.3, as in CmdStan's `diagnose` [2].
public let energyBFMIThreshold = 0.3

/// E-BFMI of one chain's energies E₁…E_N [1]: Σ_{n≥2}(E_n − E_{n−1})² / Σ_n (E_n − Ē)².
/// Values below `energyBFMIThreshold` suggest the momentum resampling explores the energy
/// distribution poorly. NaN for fewer than 2 draws, a non-finite energy, or constant energy.
public func energyBFMI(energy: [Double]) -> Double {
    guard energy.count >= 2, energy.allSatisfy(\.isFinite) else { return .nan }
    let center = energy.reduce(0, +) / Double(energy.count)
    var numerator = 0.0, denominator = 0.0
    for (i, e) in energy.enumerated() {
        if i > 0 {
            let step = e - energy[i - 1]
            numerator += step * step
        }
        denominator += (e - center) * (e - center)
    }
    guard denominator > 0 else { return .nan }
    return numerator / denominator
}

/// E-BFMI of each chain separately, as ArviZ and MCMCDiagnosticTools report it [3].
/// CmdStan's `diagnose` [2] pools all chains into one energy vector; per chain is kept here
/// because one badly adapted chain should not be averaged away.
public func energyBFMI(chains: [[Double]]) -> [Double] {
    chains.map { energyBFMI(energy: $0) }
}
