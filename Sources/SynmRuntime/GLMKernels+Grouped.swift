// poisson_log over a gathered predictor, `y ~ poisson_log(a + s * b[group])`, by group: every
// row of group j has the same η_j = a + s·b[j], so Σᵢ (yᵢ ηᵢ − e^{ηᵢ}) = Σ_j (S_j η_j − n_j e^{η_j})
// with n_j the rows of group j and S_j the sum of their y (sufficient statistics, computed once
// when the data are packed), and ∂/∂η_j = S_j − n_j e^{η_j}. One exp per group instead of one
// per row: hier_poisson's 200 rows in 10 groups cost 10 exps. Used when there are at most half
// as many groups as rows; the values agree with the row loop's up to the order of summation.
import Foundation
import SynmGLMKernels

extension GLMPanel {
    /// n_j and S_j of a poisson_log term over a gathered predictor (empty for other terms, or
    /// when grouping would not pay: more than half as many groups as rows).
    static func groups(_ indices: [Int32], rows n: Int, variate: ConstRef, pool: [Double]) -> (count: [Double], sum: [Double]) {
        guard n > 0, let top = indices.prefix(n).max(), Int(top) + 1 <= n / 2 else { return ([], []) }
        var count = [Double](repeating: 0, count: Int(top) + 1), sum = count
        let y0 = Int(variate.start)
        for i in 0..<n {
            let j = Int(indices[i])
            count[j] += 1
            sum[j] += pool[y0 + i]
        }
        return (count, sum)
    }
}

extension GLMKernelDispatch {
    /// The grouped poisson_log kernel: fills `gradient[0..<count]` with ∂ℓ/∂u_j (zero for groups
    /// no row reads) and returns the sums the row kernel returns.
    static func groupedPoissonLog(groupCount: UnsafePointer<Double>, groupSum: UnsafePointer<Double>, groups: Int,
                                  vector v: UnsafePointer<Double>, count: Int, offset: Double, scale: Double,
                                  gradient: UnsafeMutablePointer<Double>) -> GLMSums {
        gradient.update(repeating: 0, count: count)
        var sums = GLMSums()
        for j in 0..<groups where groupCount[j] > 0 {
            let u = v[j]
            let eta = offset + scale * u
            let lambda = Foundation.exp(eta)
            let d = groupSum[j] - groupCount[j] * lambda
            sums.lp += groupSum[j] * eta - groupCount[j] * lambda
            sums.d += d
            sums.du += d * u
            sums.check += eta - eta
            gradient[j] = d
        }
        return sums
    }
}
