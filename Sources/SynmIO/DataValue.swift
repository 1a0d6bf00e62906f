// DataValue: one named data variable (scalar or rectangular array) read from a data file.

/// A named data variable: a shape and its elements in row-major order.
///
/// A scalar has shape `[]` and one value; `[[1, 2, 3], [4, 5, 6]]` has shape `[2, 3]`;
/// an empty array has shape `[0]`. `isInteger` is true when every element was written as an
/// integer literal (vacuously true for empty arrays). A real literal such as `1.0` makes it
/// false, but the value may still be used as an int: `integerValues()` checks the values.
public struct DataValue: Sendable, Equatable {
    /// The variable's name (JSON key or CSV column header).
    public var name: String
    /// Dimensions, outermost first; `[]` for a scalar.
    public var shape: [Int]
    /// Elements in row-major order; `values.count` is the product of `shape`.
    public var values: [Double]
    /// True when every element was an integer literal.
    public var isInteger: Bool
    /// The row-major index of the first element written as a real literal (`200.0`, `2e2`),
    /// when read from a JSON file; nil otherwise. An int variable refuses such a value, as
    /// CmdStan does, even when it is whole.
    public var firstRealLiteral: Int? = nil

    /// Creates a data value. `values.count` should equal the product of `shape`.
    public init(name: String, shape: [Int], values: [Double], isInteger: Bool) {
        self.name = name
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
    }

    /// Equal names, shapes, values and int-ness (how the file spelt them does not matter).
    public static func == (a: DataValue, b: DataValue) -> Bool {
        a.name == b.name && a.shape == b.shape && a.values == b.values && a.isInteger == b.isInteger
    }

    /// A scalar.
    public init(name: String, scalar: Double, isInteger: Bool) {
        self.init(name: name, shape: [], values: [scalar], isInteger: isInteger)
    }

    /// True for a scalar (shape `[]`).
    public var isScalar: Bool { shape.isEmpty }

    /// The 1-based multi-index of a row-major position: `[2, 3]` for the element `y[2, 3]`.
    public func multiIndex(ofFlatIndex flat: Int) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            index[d] = rest % shape[d] + 1
            rest /= shape[d]
        }
        return index
    }

    /// How messages name the element at a row-major position: `y[2, 3]`, or `y` for a scalar.
    public func elementName(flatIndex: Int) -> String {
        formatElementName(name, multiIndex(ofFlatIndex: flatIndex))
    }

    /// The values as integers, for a variable declared `int`.
    ///
    /// Accepts real literals with integral values (`1.0`) and requires every value to lie in
    /// Stan's 32-bit int range. Throws naming the first offending element, e.g.
    /// `y[2] is 1.5 but y is declared int`.
    public func integerValues() throws(DataError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for (k, x) in values.enumerated() {
            guard x.isFinite && x.rounded(.towardZero) == x else {
                let shown = x.isNaN ? "NaN" : "\(x)"
                throw DataError(
                    message: "\(elementName(flatIndex: k)) is \(shown) but \(name) is declared int", variable: name)
            }
            guard x >= Double(Int32.min) && x <= Double(Int32.max) else {
                throw DataError(
                    message: "\(elementName(flatIndex: k)) is \(Int(x)), outside the range of an int", variable: name)
            }
            result.append(Int(x))
        }
        return result
    }
}

/// `y`, or `y[2, 3]` for 1-based indices.
func formatElementName(_ name: String, _ index: [Int]) -> String {
    index.isEmpty ? name : name + "[" + index.map(String.init).joined(separator: ", ") + "]"
}
