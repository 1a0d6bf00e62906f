// The two builds of the GLM kernels (SynmGLMKernels for the baseline, SynmGLMKernelsHaswell for
// AVX2; GLMKernelDispatch.swift chooses): where this machine can run both, they give the same
// bits for every family and predictor form over sizes that exercise the padded last block and
// the two-block steps, at ordinary and extreme linear predictors; and the choice reads
// /proc/cpuinfo's flags correctly.
import Foundation
import SynmGLMKernels
import SynmGLMKernelsHaswell
import Testing
@testable import SynmRuntime

@Suite struct GLMKernelBuildTests {
    /// Panels of `rows` rows and `columns` columns of deterministic data in [−scale, scale).
    struct Data {
        var y: [SynmGLMKernels.GLMVector]
        var x: [SynmGLMKernels.GLMVector]
        var indices: [Int32]
        var beta: [Double]

        init(family: UInt8, rows n: Int, columns k: Int, scale: Double, seed: UInt64) {
            var d = CaseData(seed)
            let w = SynmGLMKernels.glmWidth, blocks = (n + w - 1) / w
            y = [SynmGLMKernels.GLMVector](repeating: .init(repeating: 0), count: blocks)
            x = [SynmGLMKernels.GLMVector](repeating: .init(repeating: 0), count: blocks * k)
            indices = [Int32](repeating: 0, count: blocks * w)
            for i in 0..<n {
                let u = d.next()
                var value = 3 * u
                if family == SynmGLMKernels.GLMKernelFamily.bernoulliLogit { value = u > 0 ? 1 : -1 }
                if family == SynmGLMKernels.GLMKernelFamily.poissonLog { value = Double(Int((u + 1) * 4)) }
                y[i / w][i % w] = value
                for j in 0..<k { x[(i / w) * k + j][i % w] = d.next() }
                indices[i] = Int32(i % k)
            }
            beta = (0..<k).map { _ -> Double in scale * d.next() }
        }
    }

    static let families: [UInt8] = [SynmGLMKernels.GLMKernelFamily.bernoulliLogit, SynmGLMKernels.GLMKernelFamily.poissonLog, SynmGLMKernels.GLMKernelFamily.normal]

    func bits(_ s: SynmGLMKernels.GLMSums) -> [UInt64] { [s.lp, s.d, s.du, s.e, s.check].map(\.bitPattern) }

    @Test(.enabled(if: GLMKernelDispatch.machineSupportsHaswell, "this processor cannot run the Haswell build"),
          arguments: [1, 7, 8, 9, 16, 23, 40, 203])
    func bothBuildsGiveTheSameBits(rows n: Int) {
        for family in Self.families {
            for (k, scale) in [(1, 1.0), (5, 1.0), (10, 1.0), (3, 40.0), (4, 400.0)] {
                let data = Data(family: family, rows: n, columns: k, scale: scale, seed: UInt64(1000 * n + 10 * k) + UInt64(family))
                var results: [[UInt64]] = []
                for haswell in [false, true] {
                    var lanes = [SynmGLMKernels.GLMVector](repeating: .init(repeating: 0), count: k)
                    var gradient = [Double](repeating: 0, count: k)
                    var gathered = [Double](repeating: 0, count: k)
                    let sums = data.y.withUnsafeBufferPointer { y in
                        data.x.withUnsafeBufferPointer { x in
                            data.beta.withUnsafeBufferPointer { b in
                                lanes.withUnsafeMutableBufferPointer { l in
                                    gradient.withUnsafeMutableBufferPointer { g in
                                        GLMKernelDispatch.matrix(haswell: haswell, family: family, y: y.baseAddress!,
                                                                 x: x.baseAddress!, rows: n, columns: k, beta: b.baseAddress!,
                                                                 offset: 0.25, invSigma: 0.8, lanes: l.baseAddress!,
                                                                 gradient: g.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                    let gatherSums = data.y.withUnsafeBufferPointer { y in
                        data.indices.withUnsafeBufferPointer { idx in
                            data.beta.withUnsafeBufferPointer { b in
                                gathered.withUnsafeMutableBufferPointer { g in
                                    GLMKernelDispatch.gather(haswell: haswell, family: family, y: y.baseAddress!,
                                                             indices: idx.baseAddress!, rows: n, vector: b.baseAddress!,
                                                             count: k, offset: -0.5, scale: 1.5, invSigma: 0.8,
                                                             gradient: g.baseAddress!)
                                }
                            }
                        }
                    }
                    #expect(sums.lp.isFinite || scale > 100, "family \(family), N = \(n), K = \(k): value \(sums.lp)")
                    results.append(bits(sums) + gradient.map(\.bitPattern) + bits(gatherSums) + gathered.map(\.bitPattern))
                }
                #expect(results[0] == results[1], "family \(family), N = \(n), K = \(k), scale \(scale): the builds differ")
            }
        }
    }

    /// The vector elementary functions of both builds, bit for bit, over their whole ranges.
    @Test(.enabled(if: GLMKernelDispatch.machineSupportsHaswell, "this processor cannot run the Haswell build"))
    func elementaryFunctionsAgree() {
        var d = CaseData(3)
        for _ in 0..<5_000 {
            var v = SynmGLMKernels.GLMVector(), u = v
            for l in 0..<SynmGLMKernels.glmWidth {
                v[l] = 720 * d.next()
                u[l] = (d.next() + 1) / 2
            }
            #expect(SynmGLMKernels.vectorExp(v) == SynmGLMKernelsHaswell.vectorExp(v))
            #expect(SynmGLMKernels.vectorLog1pUnit(u) == SynmGLMKernelsHaswell.vectorLog1pUnit(u))
        }
    }

    @Test func cpuinfoFlagsDecideTheBuild() {
        let all = "avx avx2 fma bmi1 bmi2 movbe f16c popcnt abm"
        let text = { (flags: String) in
            "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse sse2 \(flags) xsave\nbogomips\t: 4000\n\nprocessor\t: 1\nflags\t\t: fpu\n"
        }
        #expect(GLMKernelDispatch.supportsHaswell(cpuinfo: text(all)))
        for missing in all.split(separator: " ") {
            let flags = all.split(separator: " ").filter { $0 != missing }.joined(separator: " ")
            #expect(!GLMKernelDispatch.supportsHaswell(cpuinfo: text(flags)), "without \(missing)")
        }
        #expect(!GLMKernelDispatch.supportsHaswell(cpuinfo: ""))
        #expect(!GLMKernelDispatch.supportsHaswell(cpuinfo: "processor\t: 0\nmodel name\t: x\n"))
        #expect(!GLMKernelDispatch.supportsHaswell(cpuinfo: "flags avx avx2\n"))
    }
}
