// Argument validation, kept apart from the density kernels: a runtime validates the
// arguments (and, for data, the variate) and reports a clear error; the kernels assume validity.

/// Why a distribution argument (or variate) is invalid, with a ready-to-print message such as
/// `normal: sigma must be > 0, got -1`.
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The distribution whose argument failed.
    public let distribution: Distribution
    /// 0-based argument index, or nil when the variate itself is out of support.
    public let argument: Int?
    /// The argument's Stan name, or "y" for the variate.
    public let name: String
    /// The requirement that failed, as a phrase ("must be > 0").
    public let requirement: String
    /// The offending value.
    public let value: Double

    /// `"normal: sigma must be > 0, got -1"`.
    public var description: String {
        "\(distribution.name): \(name) \(requirement), got \(formatValue(value))"
    }
}

/// Prints integral values without a trailing ".0" (so messages read "got -1").
func formatValue(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
    return String(x)
}

extension Distribution {
    /// Checks the arguments `a`, `b`, `c` (unused slots ignored) against `info.arguments`.
    ///
    /// Convention: the density kernels (`logDensity`) assume valid arguments and do not check
    /// them; call `validate` first (once per distinct argument value) and turn a non-nil result
    /// into a user-facing error. NaN fails every domain.
    public static func validate(_ d: Distribution, _ a: Double, _ b: Double = 0, _ c: Double = 0)
        -> DomainError?
    {
        let args = (a, b, c)
        for (i, arg) in d.info.arguments.enumerated() {
            let x = i == 0 ? args.0 : (i == 1 ? args.1 : args.2)
            let previous = i == 1 ? args.0 : args.1
            if let requirement = violation(of: arg.domain, x, previous: previous) {
                return DomainError(
                    distribution: d, argument: i, name: arg.name, requirement: requirement, value: x)
            }
        }
        return nil
    }

    /// Checks an argument array (its count must equal `d.arity`; a wrong count is reported
    /// as a precondition failure since the checker guarantees arity).
    public static func validate(_ d: Distribution, args: [Double]) -> DomainError? {
        precondition(args.count == d.arity, "\(d.name) takes \(d.arity) arguments")
        return validate(d, args.first ?? 0, args.count > 1 ? args[1] : 0, args.count > 2 ? args[2] : 0)
    }

    /// Checks that a data variate lies in the support (given valid arguments); nil if it does.
    /// Densities return −∞ outside the support; this gives the runtime a message instead
    /// (Stan rejects out-of-support integer data, e.g. `poisson: n is -1, but must be >= 0`).
    public static func validateVariate(
        _ d: Distribution, _ y: Double, _ a: Double, _ b: Double = 0, _ c: Double = 0
    ) -> DomainError? {
        func fail(_ requirement: String) -> DomainError {
            DomainError(distribution: d, argument: nil, name: "y", requirement: requirement, value: y)
        }
        let isInt = y == y.rounded()
        switch d.info.variate {
        case .real: return y.isFinite ? nil : fail("must be finite")
        case .positive: return y > 0 && y.isFinite ? nil : fail("must be finite and > 0")
        case .nonNegative: return y >= 0 && y.isFinite ? nil : fail("must be finite and >= 0")
        case .unitInterval: return y > 0 && y < 1 ? nil : fail("must be in (0, 1)")
        case .interval:
            return y >= a && y <= b ? nil : fail("must be in [\(formatValue(a)), \(formatValue(b))]")
        case .atLeastFirst:
            return y >= a && y.isFinite ? nil : fail("must be finite and >= y_min (\(formatValue(a)))")
        case .binary: return y == 0 || y == 1 ? nil : fail("must be 0 or 1")
        case .count: return isInt && y >= 0 && y.isFinite ? nil : fail("must be an integer >= 0")
        case .boundedCount:
            return isInt && y >= 0 && y <= a ? nil : fail("must be an integer in 0...\(formatValue(a))")
        }
    }

    /// The failed requirement of `domain` at `x`, or nil when `x` is valid.
    static func violation(of domain: ArgumentDomain, _ x: Double, previous: Double) -> String? {
        switch domain {
        case .finite:
            return x.isFinite ? nil : "must be finite"
        case .positive:
            if !(x > 0) { return "must be > 0" }
            return x.isFinite ? nil : "must be finite"
        case .nonNegative:
            if !(x >= 0) { return "must be >= 0" }
            return x.isFinite ? nil : "must be finite"
        case .probability:
            return x >= 0 && x <= 1 ? nil : "must be in [0, 1]"
        case .openUnitInterval:
            return x > 0 && x < 1 ? nil : "must be in (0, 1)"
        case .nonNegativeInteger:
            return x >= 0 && x.isFinite && x == x.rounded() ? nil : "must be an integer >= 0"
        case .greaterThanPrevious:
            if !x.isFinite { return "must be finite" }
            return x > previous ? nil : "must be > alpha (\(formatValue(previous)))"
        }
    }
}
