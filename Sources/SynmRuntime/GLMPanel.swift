// The fused GLM terms' data laid out for the kernels (SynmGLMKernels, GLMKernels.swift): the
// variate and X in blocks of `glmWidth` rows, packed once per term from the constant pool.
import SynmGLMKernels

/// A term's data laid out for the kernels: the variate (bernoulli_logit: its sign 2y − 1) in
/// blocks of eight, and X in eight-row panels or the gather indices padded to whole blocks.
struct GLMPanel: Sendable {
    /// The term it belongs to and the pool version it was packed from.
    var key: ObjectIdentifier
    var version: Int
    var rows: Int
    var columns: Int
    var y: [GLMVector]
    /// Block b, column k at b·columns + k (matrix form).
    var x: [GLMVector]
    /// Padded with index 0 (gather form).
    var indices: [Int32]
    /// poisson_log over a gathered predictor: rows and Σy per group (GLMKernels+Grouped.swift);
    /// empty when the term runs row by row.
    var groupCount: [Double] = []
    var groupSum: [Double] = []

    init(key: ObjectIdentifier, version: Int, shape: GLMShape, pool: [Double]) {
        self.key = key
        self.version = version
        let n = Int(shape.variate.count)
        let blocks = (n + glmWidth - 1) / glmWidth
        rows = n
        y = [GLMVector](repeating: GLMVector(repeating: 0), count: blocks)
        let y0 = Int(shape.variate.start)
        for i in 0..<n {
            let v = pool[y0 + i]
            y[i / glmWidth][i % glmWidth] = shape.family == .bernoulliLogit ? 2 * v - 1 : v
        }
        switch shape.predictor {
        case .matrix(let m, _):
            let k = Int(m.columns)
            columns = k
            x = [GLMVector](repeating: GLMVector(repeating: 0), count: blocks * k)
            let x0 = Int(m.start)
            for i in 0..<n {
                for j in 0..<k { x[(i / glmWidth) * k + j][i % glmWidth] = pool[x0 + i * k + j] }
            }
            indices = []
        case .gather(_, let idx, _):
            columns = 0
            x = []
            indices = idx + [Int32](repeating: 0, count: blocks * glmWidth - n)
            if shape.family == .poissonLog {
                (groupCount, groupSum) = Self.groups(idx, rows: n, variate: shape.variate, pool: pool)
            }
        }
    }

    /// The panels of every fused term of `statements` (a `~`, or `target +=` of a density
    /// call, at any depth of loops and branches), packed from `pool`.
    static func packAll(_ statements: [IRStmt], pool: [Double]) -> [GLMPanel] {
        var panels: [GLMPanel] = []
        func visit(_ call: DensityCall) {
            guard let shape = call.glm, !panels.contains(where: { $0.key == ObjectIdentifier(call) }) else { return }
            panels.append(GLMPanel(key: ObjectIdentifier(call), version: 0, shape: shape, pool: pool))
        }
        func walk(_ statements: [IRStmt]) {
            for s in statements {
                switch s {
                case .tilde(_, let call, _): visit(call)
                case .target(_, .density(let call)): visit(call)
                case .forLoop(_, _, _, let body, _): walk(body)
                case .ifElse(_, let a, let b):
                    walk(a)
                    walk(b)
                default: break
                }
            }
        }
        walk(statements)
        return panels
    }

    /// X[i, j] (matrix form).
    @inline(__always) func x(_ i: Int, _ j: Int) -> Double { x[(i / glmWidth) * columns + j][i % glmWidth] }
    /// The variate as the kernels see it, row i.
    @inline(__always) func y(_ i: Int) -> Double { y[i / glmWidth][i % glmWidth] }
}
