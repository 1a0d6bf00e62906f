// `synm run --metric-file F.json`: CmdStan's initial inverse metric, `{"inv_metric": [...]}`,
// a vector of variances for diag_e and a d×d symmetric positive-definite matrix for dense_e
// (CmdStan User's Guide, "MCMC Sampling", metric_file; Stan's services/util/read_diag_inv_metric
// and read_dense_inv_metric, which check positive values and positive definiteness). Every
// problem is reported at its place in the file (exit 65).
import SynmIO
import SynmInference
import SynmMath

enum MetricFile {
    /// A problem with the file, at a line and column when one applies.
    struct Problem: Error {
        var location: TextLocation?
        var message: String
        var hint: String?
    }

    /// The initial inverse metric in `bytes` for a model of `dimension` unconstrained
    /// coordinates, diagonal or dense.
    static func decode(_ bytes: [UInt8], dimension d: Int, dense: Bool) throws(Problem) -> Metric {
        let doc: JSONValue
        do {
            doc = try JSONParser().parse(bytes)
        } catch {
            throw Problem(location: error.location, message: "the metric file is not valid JSON: \(error.message)")
        }
        func at(_ path: [JSONPathComponent]) -> TextLocation? {
            JSONParser().location(of: path, in: bytes) ?? (path.isEmpty ? TextLocation(line: 1, column: 1, offset: 0) : nil)
        }
        let kind = dense ? "dense_e" : "diag_e"
        guard doc.objectMembers != nil else {
            throw Problem(location: at([]), message: "the metric file holds \(doc.kindDescription), not an object",
                          hint: "write {\"inv_metric\": [...]}, as CmdStan's metric_file")
        }
        guard let value = doc["inv_metric"] else {
            throw Problem(location: at([]), message: "the metric file has no \"inv_metric\"",
                          hint: "write {\"inv_metric\": [...]}, as CmdStan's metric_file")
        }
        let key: [JSONPathComponent] = [.key("inv_metric")]
        guard let items = value.arrayValue else {
            throw Problem(location: at(key), message: "\"inv_metric\" is \(value.kindDescription), not an array")
        }
        let isMatrix = items.first?.arrayValue != nil
        func number(_ v: JSONValue, _ path: [JSONPathComponent], _ name: String) throws(Problem) -> Double {
            guard let x = v.doubleValue, x.isFinite else {
                throw Problem(location: at(path), message: "\(name) is \(v.doubleValue.map { "\($0)" } ?? v.kindDescription), not a finite number")
            }
            return x
        }
        if !dense {
            if isMatrix {
                throw Problem(location: at(key), message: "\"inv_metric\" is a matrix, but the metric is diag_e: it needs a vector of \(d) variances",
                              hint: "give --metric dense for a dense inverse metric, or write its diagonal")
            }
            guard items.count == d else {
                throw Problem(location: at(key), message: "\"inv_metric\" has \(items.count) value\(items.count == 1 ? "" : "s"); the model has \(d) unconstrained parameter\(d == 1 ? "" : "s")",
                              hint: "a diag_e metric file holds one variance per unconstrained coordinate (synm check lists the parameters)")
            }
            var values: [Double] = []
            for (i, v) in items.enumerated() {
                let x = try number(v, key + [.index(i)], "inv_metric[\(i + 1)]")
                guard x > 0 else {
                    throw Problem(location: at(key + [.index(i)]), message: "inv_metric[\(i + 1)] is \(x); a variance must be positive")
                }
                values.append(x)
            }
            return Metric(diagonal: values)
        }
        guard isMatrix || items.isEmpty else {
            throw Problem(location: at(key), message: "\"inv_metric\" is a vector, but the metric is \(kind): it needs a \(d)×\(d) matrix",
                          hint: "give --metric diag for a diagonal inverse metric")
        }
        guard items.count == d else {
            throw Problem(location: at(key), message: "\"inv_metric\" has \(items.count) row\(items.count == 1 ? "" : "s"); the model has \(d) unconstrained parameter\(d == 1 ? "" : "s")",
                          hint: "a dense_e metric file holds a \(d)×\(d) matrix")
        }
        var storage: [Double] = []
        storage.reserveCapacity(d * d)
        for (i, row) in items.enumerated() {
            guard let cells = row.arrayValue, cells.count == d else {
                throw Problem(location: at(key + [.index(i)]),
                              message: "row \(i + 1) of \"inv_metric\" has \(row.arrayValue.map { "\($0.count) values" } ?? row.kindDescription); it needs \(d)")
            }
            for (j, v) in cells.enumerated() {
                storage.append(try number(v, key + [.index(i), .index(j)], "inv_metric[\(i + 1), \(j + 1)]"))
            }
        }
        // Symmetric to rounding (Stan's check_symmetric: 1e-8 relative).
        for i in 0..<d {
            for j in 0..<i {
                let a = storage[i * d + j], b = storage[j * d + i]
                if abs(a - b) > 1e-8 * Swift.max(abs(a), abs(b)) {
                    throw Problem(location: at(key + [.index(i), .index(j)]),
                                  message: "inv_metric[\(i + 1), \(j + 1)] is \(a) but inv_metric[\(j + 1), \(i + 1)] is \(b): the matrix is not symmetric")
                }
            }
        }
        guard let metric = Metric(dense: Matrix(rows: d, cols: d, storage: storage)) else {
            throw Problem(location: at(key), message: "\"inv_metric\" is not positive definite (its Cholesky factorisation fails)",
                          hint: "an inverse metric is a covariance matrix: symmetric with positive eigenvalues")
        }
        return metric
    }
}
