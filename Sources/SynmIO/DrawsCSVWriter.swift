// DrawsCSVWriter: writes CmdStan-compatible draws CSV text (comments, header, rows, the
// adaptation and timing blocks). Files are written by `writeFilesAtomically` (FileOutput.swift).
//
// [1] CmdStan User's Guide, "Stan CSV File Format" (header names `theta.1`, `X.2.3`; the
//     `# Adaptation terminated` block; the `#  Elapsed Time:` block).
// [2] Stan, src/stan/services/util/mcmc_writer.hpp (adaptation and timing block layouts).
import Foundation

/// Builds the text of one chain's draws file in CmdStan's layout [1]:
///
///     # model = eight_schools            ← comments (config), `comment(_:)`
///     lp__,accept_stat__,...,theta.1     ← `header(_:)`
///     # Adaptation terminated            ← `adaptation(stepSize:inverseMetricDiagonal:)`
///     -4.5,0.9,...,1.25                  ← `row(_:)`, one per draw
///     #  Elapsed Time: 0.01 seconds (Warm-up)  ← `timing(warmupSeconds:samplingSeconds:)`
///
/// Numbers are written in Swift's shortest round-trip form (`0.1`, `1e-05`, `-2.5e+300`),
/// integral values below 10¹⁵ without a fraction (`3`, `0`), and non-finite values as `nan`,
/// `inf`, `-inf`, which `DrawsCSV` reads back bit-for-bit (NaN payloads aside). CmdStan itself
/// prints `%g` with 6 significant digits by default (`sig_figs`); round-trip digits are chosen
/// so that summaries computed from a file equal those computed in memory.
public struct DrawsCSVWriter: Sendable {
    /// The text written so far (every line ends in `\n`).
    public private(set) var text = ""
    /// Significant digits of the values in rows (CmdStan's `sig_figs`, 1…18, printed as
    /// `%.Ng`); nil writes shortest round-trip digits (see `format(_:)`).
    public var significantDigits: Int?

    /// The order the columns of each row are written in, when it is not the given one: the
    /// elements of a matrix or an array of rank 2 or more in CmdStan's column-major order (set
    /// by `header`).
    public private(set) var columnOrder: [Int]?

    /// Starts an empty file.
    public init() {}

    /// Appends one comment line: `line` as is if it starts with `#`, else `# ` + `line`.
    /// An empty `line` writes `#` alone. Line breaks inside `line` start new comment lines.
    public mutating func comment(_ line: String) {
        for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
            if part.hasPrefix("#") {
                text += part + "\n"
            } else {
                text += part.isEmpty ? "#\n" : "# " + part + "\n"
            }
        }
    }

    /// Appends each of `lines` as by `comment(_:)`.
    public mutating func comments(_ lines: [String]) {
        for line in lines { comment(line) }
    }

    /// Appends the header row; each name is converted by `columnName(_:)`
    /// (`theta[1]` → `theta.1`), so sampler columns (`lp__`) and CmdStan names pass unchanged.
    /// The elements of a matrix or an array of rank 2 or more (`A[1, 2]`, `z[1, 2, 3]`,
    /// consecutive as synm reports them, row-major) are written in CmdStan's order,
    /// column-major — the first index fastest: `A.1.1, A.2.1, …`, `z.1.1.1, z.2.1.1, …` [1] —
    /// and `row(_:)` writes the values in the same order. cmdstanpy's `stan_variable` reshapes
    /// a variable's columns in that order, so a row-major file would read transposed.
    /// Scalars and arrays keep the order given.
    public mutating func header(_ names: [String]) {
        columnOrder = Self.cmdStanOrder(names)
        let ordered = columnOrder.map { $0.map { names[$0] } } ?? names
        text += ordered.map(Self.columnName).joined(separator: ",") + "\n"
    }

    /// The permutation that puts the elements of each matrix or array of rank 2 or more among
    /// `names` (runs of `base[i, j, …]` with one base and rank) in column-major order; nil when
    /// no name has two or more indices.
    public static func cmdStanOrder(_ names: [String]) -> [Int]? {
        let parsed = names.map(indexedName)
        guard parsed.contains(where: { ($0?.indices.count ?? 0) >= 2 }) else { return nil }
        var order: [Int] = []
        order.reserveCapacity(names.count)
        var k = 0
        while k < names.count {
            guard let p = parsed[k], p.indices.count >= 2 else {
                order.append(k)
                k += 1
                continue
            }
            var end = k + 1
            while end < names.count, let q = parsed[end], q.base == p.base, q.indices.count == p.indices.count { end += 1 }
            // Column-major: compare the last index first.
            let run = (k..<end).sorted { a, b in
                let x = parsed[a]!.indices, y = parsed[b]!.indices
                for d in stride(from: x.count - 1, through: 0, by: -1) where x[d] != y[d] { return x[d] < y[d] }
                return a < b
            }
            order += run
            k = end
        }
        return order
    }

    /// `z[1, 2, 3]` as ("z", [1, 2, 3]); nil for a name without indices.
    static func indexedName(_ name: String) -> (base: Substring, indices: [Int])? {
        guard name.hasSuffix("]"), let open = name.firstIndex(of: "[") else { return nil }
        let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
        var indices: [Int] = []
        for part in inner.split(separator: ",") {
            guard let i = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            indices.append(i)
        }
        return (name[..<open], indices)
    }

    /// Appends one draw (in the header's column order).
    public mutating func row(_ values: [Double]) {
        if let order = columnOrder, order.count == values.count {
            let ordered = order.map { values[$0] }
            columnOrder = nil
            defer { columnOrder = order }
            row(ordered)
            return
        }
        if let digits = significantDigits {
            text += values.map { Self.format($0, significantDigits: digits) }.joined(separator: ",") + "\n"
        } else {
            text += values.map(Self.format).joined(separator: ",") + "\n"
        }
    }

    /// One value with `digits` significant digits (`%.Ng`: `0.333333`, `1.5e+10`, `3`);
    /// `nan`, `inf`, `-inf` as in `format(_:)`.
    public static func format(_ x: Double, significantDigits digits: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.\(Swift.max(1, Swift.min(digits, 18)))g", x)
    }

    /// Appends CmdStan's adaptation block [2] (between the header and the first draw):
    /// `# Adaptation terminated`, `# Step size = …`, `# Diagonal elements of inverse mass
    /// matrix:` and `# v1, v2, …`. Pass nil for a sampler without a metric.
    public mutating func adaptation(stepSize: Double, inverseMetricDiagonal: [Double]?) {
        comment("Adaptation terminated")
        comment("Step size = " + Self.format(stepSize))
        if let diagonal = inverseMetricDiagonal {
            comment("Diagonal elements of inverse mass matrix:")
            comment(diagonal.map(Self.format).joined(separator: ", "))
        }
    }

    /// Appends CmdStan's timing block [2] after the last draw:
    /// `#  Elapsed Time: 0.005 seconds (Warm-up)`, then the `(Sampling)` and `(Total)` lines
    /// aligned under the first number, framed by `# ` lines. Seconds are printed as given
    /// (shortest round-trip), not rounded.
    public mutating func timing(warmupSeconds: Double, samplingSeconds: Double) {
        let indent = "#" + String(repeating: " ", count: "  Elapsed Time: ".count)
        text += "# \n"
        text += "#  Elapsed Time: \(Self.format(warmupSeconds)) seconds (Warm-up)\n"
        text += indent + "\(Self.format(samplingSeconds)) seconds (Sampling)\n"
        text += indent + "\(Self.format(warmupSeconds + samplingSeconds)) seconds (Total)\n"
        text += "# \n"
    }

    /// CmdStan's column name for an indexed name: `theta[1]` → `theta.1`, `X[2,3]` →
    /// `X.2.3`, `a[1][2]` → `a.1.2`; spaces inside brackets are dropped. Names without
    /// brackets are returned unchanged.
    public static func columnName(_ name: String) -> String {
        guard name.contains("[") else { return name }
        var out = ""
        for ch in name {
            switch ch {
            case "[", ",": out.append(".")
            case "]", " ": continue
            default: out.append(ch)
            }
        }
        return out
    }

    /// One value as written in a row: shortest round-trip digits; integral values with
    /// |x| < 10¹⁵ without a fraction (`-0` for negative zero); `nan`, `inf`, `-inf`.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 1e15 {
            let digits = String(Int64(x))
            return x == 0 && x.sign == .minus ? "-0" : digits
        }
        return "\(x)"
    }
}
