// Which build of the fused GLM kernels this process runs. SynmGLMKernels is compiled for the
// baseline of the target (SSE2 on x86-64); SynmGLMKernelsHaswell is the same source compiled for
// x86-64 with AVX2 (Package.swift), which does each SIMD8<Double> operation in two instructions
// instead of four: the logistic regression benchmark's gradient takes about 5.4 µs instead of
// 9.5 (docs/PERFORMANCE.md, "The SIMD width"). The Haswell build runs only when the processor
// has every feature that target lets the compiler use (Linux: /proc/cpuinfo's flags); otherwise,
// on other systems, or with SYNM_GLM_KERNELS=baseline in the environment, the baseline build
// runs. Both builds do the same arithmetic in the same order without fused multiply-adds, so
// they give the same bits (GLMKernelTests checks this where both can run).
import Foundation
import SynmGLMKernels
import SynmGLMKernelsHaswell

enum GLMKernelDispatch {
    /// The processor features of LLVM's `haswell` target that compiled code may use, as Linux
    /// names them in /proc/cpuinfo (`abm` is LZCNT).
    static let haswellFeatures: Set<Substring> = ["avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "f16c", "popcnt", "abm"]

    /// Whether `cpuinfo` (the text of /proc/cpuinfo) lists every Haswell feature on its first
    /// `flags` line (every processor of a machine has the same).
    static func supportsHaswell(cpuinfo: String) -> Bool {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { return false }
            let flags = Set(line[line.index(after: colon)...].split(separator: " "))
            return haswellFeatures.isSubset(of: flags)
        }
        return false
    }

    /// Whether this machine can run the Haswell build.
    static let machineSupportsHaswell: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return supportsHaswell(cpuinfo: text)
        #else
        return false
        #endif
    }()

    /// Whether this process runs the Haswell build.
    static let usesHaswell: Bool =
        machineSupportsHaswell && ProcessInfo.processInfo.environment["SYNM_GLM_KERNELS"] != "baseline"

    static func matrix(
        haswell: Bool = usesHaswell, family: UInt8, y: UnsafePointer<SynmGLMKernels.GLMVector>, x: UnsafePointer<SynmGLMKernels.GLMVector>,
        rows: Int, columns: Int, beta: UnsafePointer<Double>, offset: Double, invSigma: Double,
        lanes: UnsafeMutablePointer<SynmGLMKernels.GLMVector>, gradient: UnsafeMutablePointer<Double>
    ) -> SynmGLMKernels.GLMSums {
        if haswell {
            return SynmGLMKernels.GLMSums(SynmGLMKernelsHaswell.glmMatrixKernel(
                family: family, y: y, x: x, rows: rows, columns: columns, beta: beta, offset: offset,
                invSigma: invSigma, lanes: lanes, gradient: gradient))
        }
        return SynmGLMKernels.glmMatrixKernel(
            family: family, y: y, x: x, rows: rows, columns: columns, beta: beta, offset: offset,
            invSigma: invSigma, lanes: lanes, gradient: gradient)
    }

    static func gather(
        haswell: Bool = usesHaswell, family: UInt8, y: UnsafePointer<SynmGLMKernels.GLMVector>, indices: UnsafePointer<Int32>,
        rows: Int, vector: UnsafePointer<Double>, count: Int, offset: Double, scale: Double, invSigma: Double,
        gradient: UnsafeMutablePointer<Double>
    ) -> SynmGLMKernels.GLMSums {
        if haswell {
            return SynmGLMKernels.GLMSums(SynmGLMKernelsHaswell.glmGatherKernel(
                family: family, y: y, indices: indices, rows: rows, vector: vector, count: count, offset: offset,
                scale: scale, invSigma: invSigma, gradient: gradient))
        }
        return SynmGLMKernels.glmGatherKernel(
            family: family, y: y, indices: indices, rows: rows, vector: vector, count: count, offset: offset,
            scale: scale, invSigma: invSigma, gradient: gradient)
    }
}

extension SynmGLMKernels.GLMSums {
    /// The same sums from the Haswell build (a distinct type with the same fields).
    init(_ s: SynmGLMKernelsHaswell.GLMSums) {
        self.init(lp: s.lp, d: s.d, du: s.du, e: s.e, check: s.check)
    }
}

extension GLMShape.Family {
    /// The kernels' code for this family (`GLMKernelFamily`).
    var kernelCode: UInt8 {
        switch self {
        case .bernoulliLogit: return SynmGLMKernels.GLMKernelFamily.bernoulliLogit
        case .poissonLog: return SynmGLMKernels.GLMKernelFamily.poissonLog
        case .normal: return SynmGLMKernels.GLMKernelFamily.normal
        }
    }
}
