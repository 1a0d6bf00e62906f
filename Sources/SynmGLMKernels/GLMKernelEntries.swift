// The kernels' entry points: one public, non-generic, non-inlinable function per predictor
// form, so that the generic kernels are specialised inside this module (in each of its two
// builds) and a caller runs this build's machine code. `family` is a `GLMKernelFamily` code.

/// The likelihood families the kernels implement, as codes the entry points take (the same in
/// both builds of this file, whose types are distinct).
public enum GLMKernelFamily {
    public static let bernoulliLogit: UInt8 = 0
    public static let poissonLog: UInt8 = 1
    public static let normal: UInt8 = 2
}

/// η = offset + X·b over the panel `x` (`rows` rows, `columns` columns, in blocks of
/// `glmWidth`); `gradient[k]` receives Σᵢ X[i, k]·∂ℓ/∂ηᵢ; `lanes` is scratch of `columns`
/// vectors. `y` holds the variate in blocks (bernoulli_logit: the sign 2y − 1).
public func glmMatrixKernel(
    family: UInt8, y: UnsafePointer<GLMVector>, x: UnsafePointer<GLMVector>, rows: Int, columns: Int,
    beta: UnsafePointer<Double>, offset: Double, invSigma: Double,
    lanes: UnsafeMutablePointer<GLMVector>, gradient: UnsafeMutablePointer<Double>
) -> GLMSums {
    let c = GLMConstants(invSigma: invSigma)
    switch family {
    case GLMKernelFamily.bernoulliLogit:
        return GLMKernels.matrix(BernoulliLogitLanes.self, y: y, x: x, rows: rows, columns: columns, beta: beta,
                                 offset: offset, constants: c, lanes: lanes, gradient: gradient)
    case GLMKernelFamily.poissonLog:
        return GLMKernels.matrix(PoissonLogLanes.self, y: y, x: x, rows: rows, columns: columns, beta: beta,
                                 offset: offset, constants: c, lanes: lanes, gradient: gradient)
    default:
        return GLMKernels.matrix(NormalLanes.self, y: y, x: x, rows: rows, columns: columns, beta: beta,
                                 offset: offset, constants: c, lanes: lanes, gradient: gradient)
    }
}

/// η = offset + scale·v[indices] (`rows` indices, padded to whole blocks, each in 0 ..< `count`:
/// the caller has checked them); `gradient[j]` receives Σ_{i: indices[i] = j} ∂ℓ/∂ηᵢ.
public func glmGatherKernel(
    family: UInt8, y: UnsafePointer<GLMVector>, indices: UnsafePointer<Int32>, rows: Int,
    vector: UnsafePointer<Double>, count: Int, offset: Double, scale: Double, invSigma: Double,
    gradient: UnsafeMutablePointer<Double>
) -> GLMSums {
    let c = GLMConstants(invSigma: invSigma)
    switch family {
    case GLMKernelFamily.bernoulliLogit:
        return GLMKernels.gather(BernoulliLogitLanes.self, y: y, indices: indices, rows: rows, vector: vector,
                                 count: count, offset: offset, scale: scale, constants: c, gradient: gradient)
    case GLMKernelFamily.poissonLog:
        return GLMKernels.gather(PoissonLogLanes.self, y: y, indices: indices, rows: rows, vector: vector,
                                 count: count, offset: offset, scale: scale, constants: c, gradient: gradient)
    default:
        return GLMKernels.gather(NormalLanes.self, y: y, indices: indices, rows: rows, vector: vector,
                                 count: count, offset: offset, scale: scale, constants: c, gradient: gradient)
    }
}
