// One type per distribution, so the row loop of a `~` term is specialised per distribution
// (the distribution is switched on once per term, not once per row).
import SynmDistributions
import SynmMath

/// A distribution's kernel as a type.
protocol RowKernel {
    static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T
}

enum NormalRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.normal(y, a, b, &p)
    }
}
enum StudentTRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.studentT(y, a, b, c, &p)
    }
}
enum CauchyRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.cauchy(y, a, b, &p)
    }
}
enum DoubleExponentialRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.doubleExponential(y, a, b, &p)
    }
}
enum LogisticRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.logistic(y, a, b, &p)
    }
}
enum LognormalRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.lognormal(y, a, b, &p)
    }
}
enum ExponentialRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.exponential(y, a, &p)
    }
}
enum GammaRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.gamma(y, a, b, &p)
    }
}
enum InvGammaRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.invGamma(y, a, b, &p)
    }
}
enum WeibullRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.weibull(y, a, b, &p)
    }
}
enum BetaRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.beta(y, a, b, &p)
    }
}
enum UniformRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.uniform(y, a, b, &p)
    }
}
enum BernoulliRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.bernoulli(y, a, &p)
    }
}
enum BernoulliLogitRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.bernoulliLogit(y, a, &p)
    }
}
enum BinomialRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.binomial(y, a, b, &p)
    }
}
enum BinomialLogitRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.binomialLogit(y, a, b, &p)
    }
}
enum PoissonRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.poisson(y, a, &p)
    }
}
enum PoissonLogRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.poissonLog(y, a, &p)
    }
}
enum NegBinomial2Row: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.negBinomial2(y, a, b, &p)
    }
}

enum BetaBinomialRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.betaBinomial(y, a, b, c, &p)
    }
}
enum NegBinomialRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.negBinomial(y, a, b, &p)
    }
}
enum VonMisesRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.vonMises(y, a, b, &p)
    }
}
enum SkewNormalRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.skewNormal(y, a, b, c, &p)
    }
}
enum GumbelRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.gumbel(y, a, b, &p)
    }
}
enum ParetoRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.pareto(y, a, b, &p)
    }
}
enum ScaledInvChiSquareRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.scaledInvChiSquare(y, a, b, &p)
    }
}
enum ChiSquareRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.chiSquare(y, a, &p)
    }
}
enum InvChiSquareRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.invChiSquare(y, a, &p)
    }
}
enum FrechetRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.frechet(y, a, b, &p)
    }
}
enum RayleighRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.rayleigh(y, a, &p)
    }
}

enum StdNormalRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.stdNormal(y, &p)
    }
}
enum BetaProportionRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ a: T, _ b: T, _ c: T, _ p: inout DensityPartials<T>) -> T {
        Kernels.betaProportion(y, a, b, &p)
    }
}

/// normal with σ a scalar: the caller passes 1/σ as `b` and log σ as `c`, computed once per
/// term instead of once per row (the formula is `Kernels.normal`'s; ∂/∂σ is still
/// (z² − 1)/σ, written to `p.b`).
enum NormalHoistedSigmaRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ mu: T, _ invSigma: T, _ logSigma: T,
                                                     _ p: inout DensityPartials<T>) -> T {
        let z = (y - mu) * invSigma
        p.variate = -z * invSigma
        p.a = z * invSigma
        p.b = (z * z - 1) * invSigma
        p.c = 0
        return -0.5 * z * z - logSigma - T(halfLog2Pi)
    }
}

/// poisson_log without −log y!, which the caller adds once (Σ log yᵢ! of constant data).
enum PoissonLogCoreRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ alpha: T, _ b: T, _ c: T,
                                                     _ p: inout DensityPartials<T>) -> T {
        let lambda = T.exp(alpha)
        p.variate = 0
        p.a = y - lambda
        p.b = 0
        p.c = 0
        return y * alpha - lambda
    }
}

/// poisson without −log y!, which the caller adds once.
enum PoissonCoreRow: RowKernel {
    @inline(__always) static func row<T: RealScalar>(_ y: T, _ lambda: T, _ b: T, _ c: T,
                                                     _ p: inout DensityPartials<T>) -> T {
        p.variate = 0
        p.b = 0
        p.c = 0
        if y.value > 0 {
            p.a = y / lambda - 1
            return y * T.log(lambda) - lambda
        }
        p.a = -1
        return -lambda
    }
}

/// ½ log 2π.
let halfLog2Pi = 0.918_938_533_204_672_741_78
