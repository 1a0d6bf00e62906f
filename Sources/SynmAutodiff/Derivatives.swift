// Gradient and Hessian drivers: run a tape-building function at a point, sweep backward.
// Second order is forward-over-reverse: the same tape over Dual, one pass per Hessian column.
import SynmMath

/// The value and gradient of `f` at `x`, by one reverse sweep on a fresh `Tape<Double>`.
///
/// `f` receives the tape and the inputs (one variable per coordinate of `x`, contiguous)
/// and returns the variable holding its scalar result.
public func gradient(
    of f: (inout Tape<Double>, VarRange) -> VarIndex, at x: [Double]
) -> (value: Double, gradient: [Double]) {
    var tape = Tape<Double>()
    return gradient(of: f, at: x, using: &tape)
}

/// As `gradient(of:at:)`, reusing `tape` (reset first), so repeated calls allocate only
/// the returned array.
public func gradient(
    of f: (inout Tape<Double>, VarRange) -> VarIndex, at x: [Double],
    using tape: inout Tape<Double>
) -> (value: Double, gradient: [Double]) {
    tape.reset()
    let inputs = tape.inputs(x)
    let output = f(&tape, inputs)
    tape.backward(from: output)
    return (tape.value(of: output), tape.adjoints(of: inputs))
}

/// The value, gradient and Hessian of `f` at `x`, exact to rounding, by forward-over-reverse.
///
/// For each column j, the tape is rebuilt over `Dual` with input j's tangent seeded to 1
/// (all others 0). Every value then carries its directional derivative along eⱼ, every
/// local partial is computed in `Dual` arithmetic, so after the reverse sweep the adjoint
/// of input i is `∂f/∂xᵢ + ε·∂²f/∂xᵢ∂xⱼ`: its value part is the gradient and its tangent
/// part is column j of the Hessian. Cost: d forward-and-reverse passes on `Dual`.
///
/// `hessian[i][j]` comes from pass j; the two triangles are computed by different
/// sequences of roundings, so the matrix is symmetric only to rounding (a few ulps relative
/// to the entries summed); it is returned as computed, not symmetrised. For d = 0 one pass
/// gives the value.
public func hessian(
    of f: (inout Tape<Dual>, VarRange) -> VarIndex, at x: [Double]
) -> (value: Double, gradient: [Double], hessian: [[Double]]) {
    var tape = Tape<Dual>()
    return hessian(of: f, at: x, using: &tape)
}

/// As `hessian(of:at:)`, reusing `tape` across the d passes (and across calls).
public func hessian(
    of f: (inout Tape<Dual>, VarRange) -> VarIndex, at x: [Double],
    using tape: inout Tape<Dual>
) -> (value: Double, gradient: [Double], hessian: [[Double]]) {
    let d = x.count
    var value = 0.0
    var grad = [Double](repeating: 0, count: d)
    var hess = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for j in 0 ..< Swift.max(d, 1) {
        tape.reset()
        var first = VarIndex(raw: 0)
        for (i, xi) in x.enumerated() {
            let v = tape.input(Dual(xi, tangent: i == j ? 1 : 0))
            if i == 0 { first = v }
        }
        let inputs = VarRange(start: first.raw, length: Int32(d))
        let output = f(&tape, inputs)
        value = tape.value(of: output).value
        guard d > 0 else { break }
        tape.backward(from: output)
        for i in 0 ..< d {
            let a = tape.adjoint(of: inputs[i])
            if j == 0 { grad[i] = a.value }
            hess[i][j] = a.tangent
        }
    }
    return (value, grad, hess)
}
