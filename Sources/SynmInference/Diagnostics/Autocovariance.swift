// Chain autocovariances for the ESS estimator, computed lazily: lag by lag directly while
// Geyer's sequence stays short (the usual case), all lags by FFT once it runs long.
//
// [1] Vehtari et al. 2021, arXiv:1903.08008, §3.2 (biased autocovariance estimator).
// [2] Stan Math, prim/fun/autocovariance.hpp and autocorrelation.hpp (FFT with zero padding
//     to at least 2N, biased estimator: divisor N at every lag).
// [3] Cooley & Tukey 1965, Math. Comp. 19:297–301 (radix-2 FFT).
import Foundation

/// γ̂_t = (1/N) Σ_{i<N−t} (x_i − x̄)(x_{i+t} − x̄) for each chain of a matrix, averaged over
/// chains on request. Direct sums cost C·N per lag; past `directLagLimit` lags every lag is
/// computed at once by FFT in O(C·N log N), so a slowly mixing chain cannot cost O(N²).
struct Autocovariances {
    /// Lags served by direct summation before switching to the FFT (break-even is ~80 lags
    /// for N = 500, and the Geyer sum of a well-mixing chain ends within ~10).
    static let directLagLimit = 64

    private let centered: DrawMatrix
    private var table: [Double]?  // mean over chains at each lag, once computed by FFT

    /// Centres each chain of `m` at its own mean.
    init(_ m: DrawMatrix) {
        let means = m.chainMeans
        var values = m.values
        for c in 0..<m.chains {
            for i in (c * m.draws)..<((c + 1) * m.draws) { values[i] -= means[c] }
        }
        centered = DrawMatrix(values: values, chains: m.chains, draws: m.draws)
    }

    /// γ̂_t of each chain (lag 0: the biased variance of each chain).
    func perChain(lag t: Int) -> [Double] {
        (0..<centered.chains).map { directSum(chain: $0, lag: t) / Double(centered.draws) }
    }

    /// mean_c γ̂_{t,c}, the average autocovariance at lag `t` < N.
    mutating func mean(lag t: Int) -> Double {
        if let table { return table[t] }
        if t <= Self.directLagLimit {
            return perChain(lag: t).reduce(0, +) / Double(centered.chains)
        }
        let all = fftTable()
        table = all
        return all[t]
    }

    private func directSum(chain c: Int, lag t: Int) -> Double {
        let base = c * centered.draws
        var sum = 0.0
        centered.values.withUnsafeBufferPointer { x in
            for i in base..<(base + centered.draws - t) { sum += x[i] * x[i + t] }
        }
        return sum
    }

    /// Every lag's chain-averaged autocovariance by FFT [2]: zero-pad to m ≥ 2N (so circular
    /// correlation equals linear), |FFT|², and transform back.
    func fftTable() -> [Double] {
        let n = centered.draws
        var m = 1
        while m < 2 * n { m <<= 1 }
        var result = [Double](repeating: 0, count: n)
        for c in 0..<centered.chains {
            var re = [Double](repeating: 0, count: m), im = re
            for i in 0..<n { re[i] = centered.values[c * n + i] }
            fft(&re, &im)
            for k in 0..<m {
                re[k] = re[k] * re[k] + im[k] * im[k]
                im[k] = 0
            }
            // The power spectrum is real and even, so the forward transform equals m times
            // the inverse one.
            fft(&re, &im)
            for t in 0..<n { result[t] += re[t] / Double(m) / Double(n) }
        }
        return result.map { $0 / Double(centered.chains) }
    }
}

/// In-place iterative radix-2 decimation-in-time FFT [3], X_k = Σ x_j e^{−2πijk/m};
/// `re.count` must be a power of two.
func fft(_ re: inout [Double], _ im: inout [Double]) {
    let m = re.count
    precondition(m > 0 && m & (m - 1) == 0 && im.count == m, "fft: size must be a power of 2")
    // Bit-reversal permutation.
    var j = 0
    for i in 1..<Swift.max(m, 1) {
        var bit = m >> 1
        while j & bit != 0 {
            j ^= bit
            bit >>= 1
        }
        j |= bit
        if i < j {
            re.swapAt(i, j)
            im.swapAt(i, j)
        }
    }
    // Butterflies, with twiddles e^{−2πik/len} from a table for the largest stage.
    let half = m / 2
    let cosTable = (0..<half).map { cos(-2 * Double.pi * Double($0) / Double(m)) }
    let sinTable = (0..<half).map { sin(-2 * Double.pi * Double($0) / Double(m)) }
    var len = 2
    while len <= m {
        let stride = m / len
        for start in Swift.stride(from: 0, to: m, by: len) {
            for k in 0..<(len / 2) {
                let wr = cosTable[k * stride], wi = sinTable[k * stride]
                let a = start + k, b = a + len / 2
                let tr = re[b] * wr - im[b] * wi
                let ti = re[b] * wi + im[b] * wr
                re[b] = re[a] - tr
                im[b] = im[a] - ti
                re[a] += tr
                im[a] += ti
            }
        }
        len <<= 1
    }
}
