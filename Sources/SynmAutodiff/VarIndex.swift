// Handles into a Tape: variables are indices into its value buffer, arrays are contiguous
// ranges, constants live in the tape's persistent constant pool. Plain values, no references.
import SynmMath

/// A variable on a `Tape`: an index into its value buffer. Valid until the tape's `reset()`.
public struct VarIndex: Hashable, Sendable {
    /// Position in the tape's value (and adjoint) buffer.
    public var raw: Int32
    /// The variable at position `raw`.
    @inlinable public init(raw: Int32) { self.raw = raw }
}

/// A contiguous run of variables, `start ..< start + count`: how arrays live on a `Tape`.
public struct VarRange: RandomAccessCollection, Hashable, Sendable {
    /// Position of the first element in the tape's value buffer.
    public var start: Int32
    /// Number of elements (stored as `Int32`; `count` gives it as `Int`).
    public var length: Int32

    /// The range of `length` variables starting at `start`.
    @inlinable public init(start: Int32, length: Int32) {
        self.start = start
        self.length = length
    }

    /// A one-element range holding `variable`.
    @inlinable public init(_ variable: VarIndex) { self.init(start: variable.raw, length: 1) }

    /// Element positions are 0-based offsets into the range.
    @inlinable public var startIndex: Int { 0 }
    /// One past the last offset.
    @inlinable public var endIndex: Int { Int(length) }
    /// The variable at offset `i`.
    @inlinable public subscript(i: Int) -> VarIndex {
        assert(i >= 0 && i < Int(length), "VarRange offset out of range")
        return VarIndex(raw: start + Int32(truncatingIfNeeded: i))
    }
}

/// A contiguous run of constants registered on a tape with `registerConstants(_:)`.
/// Constants survive `reset()`: register data once, use it in every evaluation.
public struct ConstantRange: Hashable, Sendable {
    /// Position of the first element in the tape's constant pool.
    public var start: Int32
    /// Number of elements.
    public var count: Int32
    /// The constants `start ..< start + count` of the pool.
    @inlinable public init(start: Int32, count: Int32) {
        self.start = start
        self.count = count
    }
}

/// A constant row-major `rows × columns` matrix registered with `registerConstantMatrix`.
public struct ConstantMatrix: Hashable, Sendable {
    /// Its entries, row-major, in the constant pool.
    public var storage: ConstantRange
    /// Number of rows (the length of `X·β`).
    public var rows: Int32
    /// Number of columns (the length of `β`).
    public var columns: Int32
    /// The matrix whose row-major entries are `storage`.
    @inlinable public init(storage: ConstantRange, rows: Int32, columns: Int32) {
        precondition(Int(rows) * Int(columns) == Int(storage.count), "matrix shape mismatch")
        self.storage = storage
        self.rows = rows
        self.columns = columns
    }
}

/// An argument of an elementwise tape operation: a scalar or an array, constant or variable.
///
/// Scalars broadcast against arrays (`x .* 2`, `mu + sigma .* z`); two arrays must have the
/// same length. Constant operands contribute no edges: only variables are differentiated.
/// Scalar constants are `T` (so `Dual` constants are allowed); array constants are `Double`
/// data registered once on the tape, so no evaluation copies or allocates them.
public enum Operand<T: RealScalar>: Sendable {
    /// A scalar constant, broadcast.
    case constant(T)
    /// A scalar variable, broadcast.
    case variable(VarIndex)
    /// An array of registered constants.
    case constants(ConstantRange)
    /// An array of variables.
    case variables(VarRange)
}
