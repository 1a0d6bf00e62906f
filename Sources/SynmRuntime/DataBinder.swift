// Binds data to a checked model: values from the data file or the model's embedded
// defaults, sizes inferred from the data, and validation of shape, type, bounds and
// finiteness, with messages that name the variable and the element.
import SynmDiagnostics
import SynmFrontend
import SynmIO

/// Where data values come from.
public struct DataSource: Sendable {
    /// The values read from the data file, in file order (empty when there is none).
    public var values: [DataValue]
    /// Locates a variable (and optional 1-based element index) in the file, for messages.
    public var locate: @Sendable (_ name: String, _ index: [Int]) -> TextLocation?
    /// Variables of the file whose values are not data (a string, an object): an error when
    /// the model declares them, a warning otherwise (Stan ignores keys it does not use).
    public var invalid: [DataError]

    public init(values: [DataValue], invalid: [DataError] = [],
                locate: @escaping @Sendable (String, [Int]) -> TextLocation? = { _, _ in nil }) {
        self.values = values
        self.invalid = invalid
        self.locate = locate
    }

    /// No data file.
    public static let none = DataSource(values: [])
}

/// Binds a model's data; collects every problem rather than stopping at the first.
public struct DataBinder {
    let model: CheckedModel
    let source: DataSource
    var table = DataTable()
    public private(set) var issues: [DataIssue] = []
    /// Variables that failed to bind: a size or bound that reads one is not reported again.
    var failedNames: Set<String> = []
    /// The array each inferred size was read from, for messages.
    var inferredFrom: [String: String] = [:]

    public init(model: CheckedModel, source: DataSource) {
        self.model = model
        self.source = source
    }

    /// Binds every data, size and external synthetic node. Returns nil when there were errors
    /// (see `issues`); warnings (unknown variables) are in `issues` either way.
    public mutating func bind() -> DataTable? {
        let byName = Dictionary(source.values.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let declared = Set(model.symbols.filter { [.data, .size, .synthetic].contains($0.role) }.map(\.name))
        for v in source.values where !declared.contains(v.name) {
            issues.append(DataIssue(.warning, "the data file has '\(v.name)', which the model does not declare",
                                    variable: v.name, dataLocation: source.locate(v.name, []),
                                    hint: "it is ignored"))
        }
        for e in source.invalid {
            guard let name = e.variable else { continue }
            if let s = model.symbol(named: name), declared.contains(name) {
                failedNames.insert(name)
                issues.append(DataIssue(e.message, variable: name, dataLocation: e.location, modelSpan: s.span))
            } else {
                issues.append(DataIssue(.warning, "the data file has '\(name)', which the model does not declare (\(e.message))",
                                        variable: name, dataLocation: e.location, hint: "it is ignored"))
            }
        }
        let invalidNames = Set(source.invalid.compactMap(\.variable))
        for s in model.symbols {
            switch s.role {
            case _ where invalidNames.contains(s.name): break  // reported above
            case .data: bindData(s, given: byName[s.name])
            case .synthetic where s.generator == .external: bindData(s, given: byName[s.name])
            case .size:
                // Sizes are bound when the first array using them is bound; a size given
                // explicitly in the data file is bound now and then checked against arrays.
                if let v = byName[s.name] { bindData(s, given: v) }
            default: break
            }
        }
        for s in model.symbols where s.role == .size && table[s.name] == nil {
            // An array sized by it failed to bind: its own error explains.
            let users = model.symbols.filter { ($0.declaredType?.dims ?? []).contains { reads($0, [s.name]) } }
            if users.contains(where: { failedNames.contains($0.name) }) { continue }
            issues.append(DataIssue("size '\(s.name)' could not be inferred: no data array uses it", variable: s.name,
                                    modelSpan: s.span))
        }
        return issues.contains { $0.severity == .error } ? nil : table
    }

    mutating func fail(_ message: String, _ s: SymbolInfo, index: [Int] = [], hint: String? = nil) {
        failedNames.insert(s.name)
        issues.append(DataIssue(message, variable: s.name, dataLocation: source.locate(s.name, index),
                                modelSpan: s.span, hint: hint))
    }

    mutating func bindData(_ s: SymbolInfo, given: DataValue?) {
        var value: DataArray
        if let given {
            value = DataArray(shape: given.shape, values: given.values, isInteger: given.isInteger)
        } else if let d = s.defaultValue {
            do {
                let c = try ConstantExpression.evaluate(d, data: table)
                value = DataArray(shape: c.shape, values: c.values, isInteger: c.isInteger)
            } catch let e as RuntimeError {
                report(e, s, reading: d)
                return
            } catch { return }
        } else {
            let what = s.role == .synthetic ? "the third party's rows '\(s.name)' are missing from the data"
                : "data variable '\(s.name)' is missing"
            fail(what, s, hint: s.role == .synthetic ? "external rows are supplied in the data file, like real data"
                : "add \"\(s.name)\" to the data file, or give the model an embedded default")
            return
        }
        guard verifyShape(s, &value) else { return }
        verifyElements(s, value, realLiteralAt: given?.firstRealLiteral)
        table.set(s.name, value)
    }

    /// Checks rank and sizes against the declaration, inferring undeclared sizes.
    mutating func verifyShape(_ s: SymbolInfo, _ value: inout DataArray) -> Bool {
        let dims = s.declaredType?.dims ?? []
        // An empty JSON array has shape [0] whatever its declared rank; accept it for a
        // matrix with zero rows.
        // An empty JSON array has shape [0] whatever its declared rank: a matrix with zero
        // rows (`real[0, 5]` given as `[]`, as Stan accepts); its other sizes come from the
        // declaration, since the data cannot say them.
        let emptyRows = dims.count >= 2 && value.shape == [0]
        if emptyRows { value.shape = Array(repeating: 0, count: dims.count) }
        guard value.shape.count == dims.count else {
            let want = dims.isEmpty ? "a scalar" : dims.count == 1 ? "an array"
                : dims.count == 2 ? "a matrix (array of arrays)" : "a \(dims.count)-dimensional array"
            let got = value.shape.isEmpty ? "a scalar" : value.shape.count == 1 ? "an array" : "a \(value.shape.count)-dimensional array"
            fail("'\(s.name)' should be \(want), but the data has \(got)", s)
            return false
        }
        // A square constrained type (cov_matrix[K], …) names its one size twice.
        if let c = s.declaredType?.constrained, c.isMatrix, s.declaredType?.writtenDims.count == 1,
           value.shape.count == 2, value.shape[0] != value.shape[1] {
            fail("'\(s.name)' is \(c.name), a square matrix, but the data is \(value.shape[0]) × \(value.shape[1])", s)
            return false
        }
        for (k, d) in dims.enumerated() {
            if emptyRows && k > 0 {
                if case .name(let n) = d.kind, let sizeSymbol = model.symbol(named: n), sizeSymbol.role == .size,
                   table[n] == nil {
                    table.set(n, DataArray(scalar: 0, isInteger: true))
                    inferredFrom[n] = s.name
                    continue
                }
                if let v = try? ConstantExpression.evaluate(d, data: table).scalar, v >= 0, v == v.rounded(),
                   v <= Double(Int32.max) {
                    value.shape[k] = Int(v)
                    continue
                }
            }
            let actual = value.shape[k]
            if reads(d, failedNames) {
                failedNames.insert(s.name)
                return false
            }
            if case .name(let n) = d.kind, let sizeSymbol = model.symbol(named: n), sizeSymbol.role == .size,
               table[n] == nil {
                table.set(n, DataArray(scalar: Double(actual), isInteger: true))
                inferredFrom[n] = s.name
                continue
            }
            let expected: Double
            do {
                guard let v = try ConstantExpression.evaluate(d, data: table).scalar else {
                    fail("the size of '\(s.name)' is not a scalar", s)
                    return false
                }
                expected = v
            } catch let e as RuntimeError {
                report(e, s, reading: d)
                return false
            } catch { return false }
            if expected < 0 {
                fail("the size of '\(s.name)' is \(formatNumber(expected)); sizes cannot be negative", s)
                return false
            }
            if Double(actual) != expected, case .name(let n) = d.kind, let first = inferredFrom[n] {
                let dimText = dims.count == 1 ? "" : " in dimension \(k + 1)"
                fail("'\(s.name)' has \(actual) element\(actual == 1 ? "" : "s")\(dimText), but '\(first)' has \(formatNumber(expected)); both are sized by \(n)",
                     s, hint: "every array sized by \(n) must have the same length")
                return false
            }
            if Double(actual) != expected {
                let dimText = dims.count == 1 ? "" : " in dimension \(k + 1)"
                let sizeName: String = {
                    if case .name(let n) = d.kind { return " (\(n) = \(formatNumber(expected)))" }
                    return ""
                }()
                fail("'\(s.name)' has \(actual) element\(actual == 1 ? "" : "s")\(dimText), but the model declares \(formatNumber(expected))\(sizeName)",
                     s, hint: "the data and the declared size must agree")
                return false
            }
        }
        return true
    }

    /// Checks int-ness, finiteness and bounds of every element.
    mutating func verifyElements(_ s: SymbolInfo, _ value: DataArray, realLiteralAt realLiteral: Int? = nil) {
        let isInt = s.type.base == .int
        var lower: Double?, upper: Double?
        // A bound reading a variable that failed would only echo that variable's error.
        if [s.declaredType?.lower, s.declaredType?.upper].contains(where: { $0.map { reads($0, failedNames) } ?? false }) {
            failedNames.insert(s.name)
            return
        }
        do {
            if let l = s.declaredType?.lower { lower = try ConstantExpression.evaluate(l, data: table).scalar }
            if let u = s.declaredType?.upper { upper = try ConstantExpression.evaluate(u, data: table).scalar }
        } catch let e as RuntimeError {
            report(e, s, reading: nil)
            return
        } catch { return }
        var reported = 0
        for (k, x) in value.values.enumerated() where reported < 3 {
            let name = elementName(s.name, shape: value.shape, flat: k)
            let index = multiIndex(value.shape, flat: k)
            var problem: String?
            var hint: String?
            if !x.isFinite {
                problem = "\(name) is \(formatNumber(x)); data must be finite"
            } else if isInt, x != x.rounded() {
                problem = "\(name) is \(formatNumber(x)), but '\(s.name)' is declared int"
                hint = "declare it real, or give whole numbers"
            } else if isInt, k == realLiteral {
                problem = "\(name) is \(formatNumber(x)) written as a real number (with a decimal point or exponent), but '\(s.name)' is declared int"
                hint = "write it as an integer, \(formatNumber(x)); CmdStan refuses a real literal for an int too"
            } else if isInt, Swift.abs(x) > 2_147_483_647 {
                problem = "\(name) is \(formatNumber(x)), outside the range of an int"
            } else if let lower, x < lower {
                problem = "\(name) is \(formatNumber(x)), below the declared lower bound \(formatNumber(lower))"
            } else if let upper, x > upper {
                problem = "\(name) is \(formatNumber(x)), above the declared upper bound \(formatNumber(upper))"
            }
            if let problem {
                failedNames.insert(s.name)
                issues.append(DataIssue(problem, variable: s.name, dataLocation: source.locate(s.name, index),
                                        modelSpan: s.span, hint: hint))
                reported += 1
            }
        }
        // Stan's constrained types: the value as a whole (a simplex sums to 1 within 1e-8, …).
        if reported == 0, let kind = s.declaredType?.constrained,
           let (problem, k) = ConstrainedValues.violation(kind, value.values, shape: value.shape, name: s.name) {
            failedNames.insert(s.name)
            issues.append(DataIssue(problem, variable: s.name,
                                    dataLocation: source.locate(s.name, multiIndex(value.shape, flat: k)),
                                    modelSpan: s.span, hint: "'\(s.name)' is declared \(kind.name)"))
        }
    }
}

extension DataBinder {
    /// Reports a failure evaluating a size, bound or default of `s`, unless the expression
    /// reads a variable that already failed (its own error says what is wrong).
    mutating func report(_ e: RuntimeError, _ s: SymbolInfo, reading expression: Expr?) {
        defer { failedNames.insert(s.name) }
        if let expression, reads(expression, failedNames) { return }
        issues.append(DataIssue(e.message, variable: s.name, modelSpan: e.span))
    }
}

/// Whether `e` mentions any of `names`.
func reads(_ e: Expr, _ names: Set<String>) -> Bool {
    switch e.kind {
    case .name(let n): return names.contains(n)
    case .unary(_, let x): return reads(x, names)
    case .binary(_, let l, let r): return reads(l, names) || reads(r, names)
    case .call(_, _, let args, _): return args.contains { reads($0.value, names) }
    case .index(let b, let ix): return reads(b, names) || ix.contains { reads($0, names) }
    case .array(let es): return es.contains { reads($0, names) }
    case .intLiteral, .realLiteral, .string, .error: return false
    case .lambda(let p, _, let body): return reads(body, names.subtracting([p]))
    }
}

/// 1-based multi-index of a flat row-major position.
func multiIndex(_ shape: [Int], flat: Int) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d] + 1
        rest /= shape[d]
    }
    return index
}
