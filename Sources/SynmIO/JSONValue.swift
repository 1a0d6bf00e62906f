// JSONValue: an in-memory JSON document that remembers integer literals and key order.
// Built by `JSONParser`, printed by `JSONWriter`, converted to Stan data by `StanJSONData`.

/// One member of a JSON object: a key and its value. Objects keep members in document order.
public struct JSONMember: Sendable, Equatable {
    /// The member's key.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member with the given key and value.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON value.
///
/// Numbers are stored as `Double` together with `isInteger`, which is true when the literal
/// had neither a fraction nor an exponent (`3`, `-0`), so `3` and `3.0` stay distinguishable.
/// Objects are ordered member lists; the parser rejects duplicate keys.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number and whether its literal was an integer.
    case number(Double, isInteger: Bool)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object([JSONMember])

    /// An integer-literal number.
    public static func integer(_ value: Int) -> JSONValue { .number(Double(value), isInteger: true) }

    /// A real-literal number (printed with a fraction or exponent, e.g. `1.0`).
    public static func real(_ value: Double) -> JSONValue { .number(value, isInteger: false) }

    /// The value of the first member named `key` if this is an object, else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The numeric value if this is a number, else nil.
    public var doubleValue: Double? {
        if case .number(let x, _) = self { return x }
        return nil
    }

    /// The string if this is a string, else nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements if this is an array, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members if this is an object, else nil.
    public var objectMembers: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// A short lowercase name of the value's kind for messages: "null", "a boolean", "a number",
    /// "a string", "an array", "an object".
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal becomes an integer-flagged number.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A float literal becomes a real number.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A dictionary literal becomes an object with members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
}

/// One step of a path into a JSON document: an object key or a 0-based array index.
public enum JSONPathComponent: Sendable, Hashable {
    /// An object member's key.
    case key(String)
    /// An array element's 0-based index.
    case index(Int)
}
