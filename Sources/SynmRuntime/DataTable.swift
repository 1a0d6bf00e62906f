// The model's data after binding: every data, size and synthetic node's values, shaped and
// validated. Row-major, ints stored as exact doubles.

/// One bound data value.
public struct DataArray: Sendable, Equatable {
    /// [] for a scalar, [n] for an array, [n, k] for a matrix.
    public var shape: [Int]
    public var values: [Double]
    public var isInteger: Bool

    public init(shape: [Int], values: [Double], isInteger: Bool) {
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
    }

    /// A scalar.
    public init(scalar: Double, isInteger: Bool) {
        self.init(shape: [], values: [scalar], isInteger: isInteger)
    }

    public var scalar: Double { values[0] }
    public var count: Int { values.count }
}

/// Bound data by name, in declaration order.
public struct DataTable: Sendable {
    public private(set) var names: [String] = []
    public private(set) var arrays: [String: DataArray] = [:]

    public init() {}

    public subscript(name: String) -> DataArray? { arrays[name] }

    public mutating func set(_ name: String, _ value: DataArray) {
        if arrays[name] == nil { names.append(name) }
        arrays[name] = value
    }

    /// Forgets a value (a node to be drawn again).
    public mutating func remove(_ name: String) {
        arrays[name] = nil
        names.removeAll { $0 == name }
    }
}

/// `y`, `y[3]`, `X[2, 4]` from a 0-based flat index.
func elementName(_ name: String, shape: [Int], flat: Int) -> String {
    guard !shape.isEmpty else { return name }
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d] + 1
        rest /= shape[d]
    }
    return name + "[" + index.map(String.init).joined(separator: ", ") + "]"
}

/// Numbers in messages: integers without ".0".
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
    return String(x)
}
