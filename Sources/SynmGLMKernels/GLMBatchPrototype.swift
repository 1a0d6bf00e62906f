// A measurement prototype for docs/PERFORMANCE.md ("chains in lock-step?"), used by synm-bench
// --batching only: the logistic-regression log likelihood and gradient at several points, either
// one point at a time with rows in the SIMD lanes (what the fused kernel does per chain) or all
// points in one pass with the points (chains) in the lanes, each row of X read once for all of
// them (what a vectorised, lock-step evaluation of the chains would do). Same arithmetic, same
// elementary functions; only the data reuse differs.

/// Logistic regression data packed for both layouts.
public struct GLMBatchPrototype {
    let n: Int
    let k: Int
    /// Row-major X (the batched layout reads one row for every lane).
    let rowMajor: [Double]
    /// 2y − 1.
    let sign: [Double]
    /// Panels and signs as GLMPanel lays them out (the per-point layout).
    let panel: [GLMVector]
    let signBlocks: [GLMVector]

    /// Points per batched call (the SIMD width).
    public static var width: Int { glmWidth }

    /// `x` is N × K row-major, `y` in {0, 1}.
    public init(x: [Double], y: [Double], rows n: Int, columns k: Int) {
        self.n = n
        self.k = k
        rowMajor = x
        sign = y.map { 2 * $0 - 1 }
        let blocks = (n + glmWidth - 1) / glmWidth
        var p = [GLMVector](repeating: GLMVector(repeating: 0), count: blocks * k)
        var s = [GLMVector](repeating: GLMVector(repeating: 0), count: blocks)
        for i in 0..<n {
            for j in 0..<k { p[(i / glmWidth) * k + j][i % glmWidth] = x[i * k + j] }
            s[i / glmWidth][i % glmWidth] = 2 * y[i] - 1
        }
        panel = p
        signBlocks = s
    }

    /// One point (intercept, then K coefficients): rows in the lanes. Returns the log
    /// likelihood; `gradient` (K + 1) receives its gradient.
    public func single(_ point: [Double], gradient: inout [Double], lanes: inout [GLMVector]) -> Double {
        let sums = signBlocks.withUnsafeBufferPointer { y in
            panel.withUnsafeBufferPointer { x in
                lanes.withUnsafeMutableBufferPointer { l in
                    point.withUnsafeBufferPointer { b in
                        gradient.withUnsafeMutableBufferPointer { gp in
                            GLMKernels.matrix(BernoulliLogitLanes.self, y: y.baseAddress!, x: x.baseAddress!, rows: n,
                                              columns: k, beta: b.baseAddress! + 1, offset: point[0],
                                              constants: GLMConstants(), lanes: l.baseAddress!,
                                              gradient: gp.baseAddress! + 1)
                        }
                    }
                }
            }
        }
        gradient[0] = sums.d
        return sums.lp
    }

    /// `width` points at once, the points in the lanes: row i's η for every point from one read of
    /// X[i, ·]. `points[c]` is point c; `gradients[c]` receives its gradient; returns the log
    /// likelihoods.
    public func batched(_ points: [[Double]], gradients: inout [[Double]], scratch: inout [GLMVector]) -> [Double] {
        precondition(points.count == glmWidth, "one point per lane")
        // Coefficient j of every point, as one vector; gradient accumulators likewise.
        for j in 0...k {
            var v = GLMVector()
            for c in 0..<glmWidth { v[c] = points[c][j] }
            scratch[j] = v
            scratch[k + 1 + j] = GLMVector(repeating: 0)
        }
        var lp = GLMVector(repeating: 0)
        rowMajor.withUnsafeBufferPointer { xs in
            scratch.withUnsafeMutableBufferPointer { s in
                let coefficients = s.baseAddress!, grad = s.baseAddress! + k + 1
                for i in 0..<n {
                    let row = xs.baseAddress! + i * k
                    var eta = coefficients[0]
                    for j in 0..<k { eta += coefficients[j + 1] * row[j] }
                    let (l, d, _) = BernoulliLogitLanes.lanes(eta, GLMVector(repeating: sign[i]), GLMConstants())
                    lp += l
                    grad[0] += d
                    for j in 0..<k { grad[j + 1] += d * row[j] }
                }
            }
        }
        var out = [Double](repeating: 0, count: glmWidth)
        for c in 0..<glmWidth {
            out[c] = lp[c]
            for j in 0...k { gradients[c][j] = scratch[k + 1 + j][c] }
        }
        return out
    }

    /// Scratch for `single` (K vectors) and `batched` (2(K + 1) vectors).
    public var scratch: [GLMVector] { [GLMVector](repeating: GLMVector(repeating: 0), count: 2 * (k + 1)) }
}
