// StanJSONData: Stan's JSON data format ⇄ [DataValue] — scalars, rectangular nested arrays,
// "inf"/"NaN" strings; errors name the variable and element and point into the file.

/// Converts between Stan's JSON data format and `DataValue`s.
///
/// The top level must be an object; each member is one variable, kept in file order. A value
/// is a number, a non-finite string (`"inf"`, `"+inf"`, `"Infinity"`, `"-inf"`, `"-Infinity"`,
/// `"NaN"`, `"nan"`, any case), or a rectangular nested array of those. Element names in
/// messages use Stan's 1-based indices: `y[3]`, `y[2, 1]`.
public enum StanJSONData {
    /// Reads a JSON data document from UTF-8 bytes; errors carry the file location.
    public static func decode(_ bytes: [UInt8]) throws(DataError) -> [DataValue] {
        let parser = JSONParser()
        let document: JSONValue
        do throws(JSONError) {
            document = try parser.parse(bytes)
        } catch {
            throw DataError(error)
        }
        do throws(ConversionFailure) {
            return try convert(document)
        } catch {
            let location = parser.location(of: error.path, in: bytes)
            throw DataError(message: error.message, variable: error.variable, location: location)
        }
    }

    /// Reads a JSON data document from a string.
    public static func decode(_ text: String) throws(DataError) -> [DataValue] {
        try decode(Array(text.utf8))
    }

    /// Converts an already parsed document; errors have no location.
    public static func decode(_ document: JSONValue) throws(DataError) -> [DataValue] {
        do throws(ConversionFailure) {
            return try convert(document)
        } catch {
            throw DataError(message: error.message, variable: error.variable)
        }
    }

    /// The JSON object for `values`: integer-flagged values as integer literals, non-finite
    /// values as `"inf"`/`"-inf"`/`"NaN"` (via `JSONWriter`), arrays nested by shape.
    public static func encode(_ values: [DataValue]) -> JSONValue {
        .object(values.map { JSONMember($0.name, encode($0)) })
    }

    private static func encode(_ value: DataValue) -> JSONValue {
        func build(_ dim: Int, _ offset: Int) -> JSONValue {
            guard dim < value.shape.count else {
                return .number(value.values[offset], isInteger: value.isInteger)
            }
            let stride = value.shape[(dim + 1)...].reduce(1, *)
            return .array((0..<value.shape[dim]).map { build(dim + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }

    /// A conversion error before a location is attached.
    struct ConversionFailure: Error {
        var message: String
        var variable: String?
        var path: [JSONPathComponent]
    }

    static func convert(_ document: JSONValue) throws(ConversionFailure) -> [DataValue] {
        guard case .object(let members) = document else {
            throw ConversionFailure(
                message: "data must be a JSON object at the top level, found \(document.kindDescription)",
                variable: nil, path: [])
        }
        let (values, invalid) = convertMembers(members)
        if let first = invalid.first { throw first }
        return values
    }

    /// Each member converted on its own: the values that convert, and the failures of those
    /// that do not (a string, an object, a ragged array), in file order.
    static func convertMembers(_ members: [JSONMember]) -> ([DataValue], [ConversionFailure]) {
        var result: [DataValue] = []
        var invalid: [ConversionFailure] = []
        result.reserveCapacity(members.count)
        for member in members {
            var converter = Converter(name: member.key)
            do throws(ConversionFailure) {
                try converter.convert(member.value)
            } catch {
                invalid.append(error)
                continue
            }
            var value = DataValue(name: member.key, shape: converter.shape, values: converter.values,
                                  isInteger: converter.isInteger)
            value.firstRealLiteral = converter.firstRealLiteral
            result.append(value)
        }
        return (result, invalid)
    }

    /// Reads a JSON data document, keeping going past variables whose values are not data
    /// (a string such as a comment, an object): those come back as located errors, so the
    /// caller can refuse them when the model declares them and ignore them otherwise. A
    /// document that is not JSON, or not an object, still throws.
    public static func decodeEach(_ bytes: [UInt8]) throws(DataError) -> (values: [DataValue], invalid: [DataError]) {
        let parser = JSONParser()
        let document: JSONValue
        do throws(JSONError) {
            document = try parser.parse(bytes)
        } catch {
            throw DataError(error)
        }
        guard case .object(let members) = document else {
            throw DataError(message: "data must be a JSON object at the top level, found \(document.kindDescription)",
                            variable: nil, location: parser.location(of: [], in: bytes))
        }
        let (values, failures) = convertMembers(members)
        return (values, failures.map {
            DataError(message: $0.message, variable: $0.variable, location: parser.location(of: $0.path, in: bytes))
        })
    }

    /// Flattens one variable's value, checking that it is rectangular.
    struct Converter {
        let name: String
        var shape: [Int] = []
        var values: [Double] = []
        var isInteger = true
        var firstRealLiteral: Int?

        init(name: String) {
            self.name = name
        }

        mutating func convert(_ value: JSONValue) throws(ConversionFailure) {
            // The shape is read off the first-element chain; everything else must match it.
            var probe = value
            while case .array(let elements) = probe {
                shape.append(elements.count)
                guard let first = elements.first else { break }
                probe = first
            }
            values.reserveCapacity(shape.reduce(1, *))
            var index: [Int] = []
            try walk(value, &index)
        }

        private mutating func walk(_ value: JSONValue, _ index: inout [Int]) throws(ConversionFailure) {
            let depth = index.count
            if depth < shape.count {
                guard case .array(let elements) = value else {
                    throw failure(index, "\(here(index)) is \(value.kindDescription), expected an array like \(reference(depth))")
                }
                guard elements.count == shape[depth] else {
                    let noun = elements.count == 1 ? "element" : "elements"
                    throw failure(index, "ragged array: \(here(index)) has \(elements.count) \(noun), expected \(shape[depth]) like \(reference(depth))")
                }
                for (k, element) in elements.enumerated() {
                    index.append(k)
                    try walk(element, &index)
                    index.removeLast()
                }
                return
            }
            switch value {
            case .number(let x, let integerLiteral):
                if !integerLiteral, firstRealLiteral == nil { firstRealLiteral = values.count }
                values.append(x)
                if !integerLiteral { isInteger = false }
            case .string(let s):
                guard let x = NumberLexer.nonFinite(s.utf8) else {
                    throw failure(index, "\(here(index)) is the string \(quoted(s)), expected a number (or \"inf\", \"-inf\", \"NaN\")")
                }
                values.append(x)
                isInteger = false
            case .array where depth > 0:
                throw failure(index, "ragged array: \(here(index)) is an array, expected a number like \(reference(depth))")
            case .object:
                throw failure(index, "\(here(index)) is an object, expected a number or an array")
            default:
                throw failure(index, "\(here(index)) is \(value.kindDescription), expected a number or an array")
            }
        }

        /// The element at a 0-based index path, named with 1-based indices.
        private func here(_ index: [Int]) -> String { formatElementName(name, index.map { $0 + 1 }) }

        /// The first element at `depth`, whose shape set the expectation: `y[1, 1]`.
        private func reference(_ depth: Int) -> String { formatElementName(name, Array(repeating: 1, count: depth)) }

        private func failure(_ index: [Int], _ message: String) -> ConversionFailure {
            ConversionFailure(message: message, variable: name, path: [.key(name)] + index.map { .index($0) })
        }
    }
}
