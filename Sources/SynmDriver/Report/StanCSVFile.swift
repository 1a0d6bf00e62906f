// One chain's CmdStan-format CSV file (synm's or CmdStan's), read and checked before any
// summary is computed: the configuration comments, the adaptation block, the number of
// draws the configuration promises, and the sampler columns' values. Every refusal names
// the file and line (`P_1.csv:41: error: …`); the report never traps on a damaged file.
//
// The layout is CmdStan's (CmdStan User's Guide, "Stan CSV File Format"): the
// `method = sample` configuration block as `# key = value` comments, "(Default)" after a
// value left at its default; the header; after warmup `# Adaptation terminated`,
// `# Step size = …`, `# Diagonal elements of inverse mass matrix:` (or `# Elements of
// inverse mass matrix:` for a dense metric) and the metric's rows; the draws; the timing.
import Foundation
import SynmIO

struct StanCSVFile {
    var path: String
    var csv: DrawsCSV
    /// The configuration comments before the header, in order, "(Default)" removed.
    var configuration: [(String, String)]
    /// The configuration comments, verbatim.
    var configurationLines: [String]
    /// Line number (1-based) of every draw row, in order; `headerLine` of the header.
    var rowLines: [Int]
    var headerLine: Int

    /// A refusal at a place in one file.
    struct Failure: Error {
        var path: String
        var line: Int?
        var message: String
        var hint: String?
        var column: Int?

        init(path: String, line: Int?, message: String, hint: String? = nil, column: Int? = nil) {
            self.path = path
            self.line = line
            self.message = message
            self.hint = hint
            self.column = column
        }

        /// `FILE:LINE[:COL]: error: message`, then the hint.
        var text: String {
            let place = path + (line.map { ":\($0)" } ?? "") + (column.map { ":\($0)" } ?? "")
            return "\(place): error: \(message)\n" + (hint.map { "hint: \($0)\n" } ?? "")
        }
    }

    func value(_ key: String) -> String? { configuration.first { $0.0 == key }?.1 }

    var warmup: Int { value("num_warmup").flatMap(Int.init) ?? 0 }
    var thin: Int { max(1, value("thin").flatMap(Int.init) ?? 1) }
    var savesWarmup: Bool { ["1", "true"].contains(value("save_warmup") ?? "0") }
    /// Rows of saved warmup draws at the top of the file.
    var savedWarmupRows: Int { savesWarmup && !isFixedParam ? (warmup + thin - 1) / thin : 0 }
    /// A run without Hamiltonian sampler columns: CmdStan's fixed_param sampler (which it
    /// also chooses by itself for a model without parameters, leaving `algorithm = hmc`).
    var isFixedParam: Bool { value("algorithm") == "fixed_param" || !csv.names.contains("stepsize__") }
    var isHamiltonian: Bool { !isFixedParam && value("algorithm") != "metropolis" && value("engine") != "rwm" }
    /// The chain's id (`id = 2`), and the run's seed.
    var chainID: String? { value("id") }
    var seed: String? { value("seed") }
    var model: String? { value("model") }

    /// Reads and checks `path`; throws a `Failure` naming the line.
    static func read(_ path: String) throws(Failure) -> StanCSVFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw Failure(path: path, line: nil, message: "cannot read the file")
        }
        let bytes = Array(data)
        let csv: DrawsCSV
        do {
            csv = try DrawsCSV.parse(bytes)
        } catch {
            throw Failure(path: path, line: error.location?.line, message: error.message, column: error.location?.column)
        }
        // Lines of the header and of each draw: the non-comment, non-blank lines.
        var rowLines: [Int] = []
        var line = 1
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            let content = bytes[start..<i].filter { $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }
            if let first = content.first, first != UInt8(ascii: "#") { rowLines.append(line) }
            line += 1
            start = i + 1
        }
        let headerLine = rowLines.first ?? 1
        rowLines = Array(rowLines.dropFirst())
        let configLines = csv.comments.filter { $0.line < headerLine }.map(\.text)
        let file = StanCSVFile(path: path, csv: csv, configuration: DrawsReport.configurationPairs(configLines),
                               configurationLines: configLines, rowLines: rowLines, headerLine: headerLine)
        try file.check()
        return file
    }

    /// The checks, in file order: the header, the adaptation block, the sampler columns, the
    /// number of draws.
    func check() throws(Failure) {
        guard csv.names.contains("lp__") else {
            throw Failure(path: path, line: headerLine, message: "no lp__ column; not a CmdStan draws file",
                          hint: "give the CSV files of `synm run --output` or of CmdStan's sample method")
        }
        for key in ["num_samples", "num_warmup", "thin", "max_depth"] {
            if let v = value(key), Int(v) == nil || Int(v)! < 0 {
                throw Failure(path: path, line: configLine(key), message: "\(key) = '\(v)' is not a whole number ≥ 0")
            }
        }
        try checkAdaptation()
        try checkSamplerColumns()
        if let n = value("num_samples").flatMap(Int.init) {
            let expected = savedWarmupRows + (n + thin - 1) / thin
            let rows = csv.rowCount
            // A fixed_param run may or may not have saved its (empty) warmup.
            let fixedParamWithWarmup = isFixedParam && savesWarmup && rows == expected + (warmup + thin - 1) / thin
            if rows != expected && !fixedParamWithWarmup {
                let what = "num_samples = \(n), thin = \(thin)" + (savesWarmup ? ", save_warmup = 1 and num_warmup = \(warmup)" : "")
                throw Failure(path: path, line: rowLines.last ?? headerLine,
                              message: "\(rows) draw\(rows == 1 ? "" : "s"), but the configuration (\(what)) promises \(expected)",
                              hint: rows < expected ? "the file is truncated: the run was interrupted or the file was cut; run the chain again"
                                  : "rows were added to the file; run the chain again")
            }
        }
    }

    /// `# Adaptation terminated`, a step size that is a positive number, and the inverse
    /// metric's rows of numbers, where adaptation ran and the sampler is Hamiltonian.
    func checkAdaptation() throws(Failure) {
        guard isHamiltonian, value("engaged") != "0", warmup > 0 else { return }
        let after = csv.comments.filter { $0.line > headerLine }
        guard let k = after.firstIndex(where: { $0.text.contains("Adaptation terminated") }) else {
            let at = rowLines.count > savedWarmupRows ? rowLines[savedWarmupRows] : headerLine + 1
            throw Failure(path: path, line: at,
                          message: "no adaptation block (# Adaptation terminated, the step size and the inverse metric) before the draws, though adaptation ran (num_warmup = \(warmup))",
                          hint: "the file is damaged; CmdStan writes the block between the warmup and the draws")
        }
        // The block ends at the draws, or (no draws) at the timing block's blank comment.
        let block = Array(after[(k + 1)...].prefix { c in
            let body = c.text.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            return c.rowsBefore == after[k].rowsBefore && !body.isEmpty && !body.hasPrefix("Elapsed Time")
        })
        guard let stepLine = block.first, let eq = stepLine.text.range(of: "Step size =") else {
            throw Failure(path: path, line: after[k].line + 1, message: "no '# Step size = …' line after '# Adaptation terminated'")
        }
        let stepText = stepLine.text[eq.upperBound...].trimmingCharacters(in: .whitespaces)
        guard let step = Double(stepText), step.isFinite, step > 0 else {
            throw Failure(path: path, line: stepLine.line, message: "the step size '\(stepText)' is not a positive number")
        }
        let metric = value("metric") ?? "diag_e"
        guard metric == "diag_e" || metric == "dense_e" else { return }
        guard let title = block.dropFirst().first, title.text.contains("inverse mass matrix") else {
            throw Failure(path: path, line: stepLine.line + 1, message: "no inverse metric ('# \(metric == "diag_e" ? "Diagonal elements" : "Elements") of inverse mass matrix:') after the step size")
        }
        let rows = Array(block.dropFirst(2))
        guard !rows.isEmpty else {
            throw Failure(path: path, line: title.line + 1, message: "the inverse metric has no values")
        }
        for r in rows {
            let cells = r.text.drop { $0 == "#" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for c in cells where Double(c).map({ !$0.isFinite }) ?? true {
                throw Failure(path: path, line: r.line, message: "the inverse metric's value '\(c)' is not a finite number")
            }
            if metric == "diag_e", rows.count > 1 {
                throw Failure(path: path, line: rows[1].line, message: "a diagonal inverse metric is one line of numbers; here are \(rows.count)")
            }
        }
    }

    /// treedepth__ and n_leapfrog__ whole numbers ≥ 0, divergent__ 0 or 1: a damaged cell is
    /// refused at its row rather than summarised.
    func checkSamplerColumns() throws(Failure) {
        func check(_ name: String, _ ok: (Double) -> Bool, _ what: String) throws(Failure) {
            guard let column = csv.column(named: name) else { return }
            if let d = column.firstIndex(where: { !ok($0) }) {
                throw Failure(path: path, line: rowLines.indices.contains(d) ? rowLines[d] : nil,
                              message: "\(name) is \(DrawsCSVWriter.format(column[d])) in draw row \(d + 1); it must be \(what)",
                              hint: "the file is damaged; run the chain again")
            }
        }
        let whole: (Double) -> Bool = { $0.isFinite && $0 >= 0 && $0 == $0.rounded() && $0 <= 1e9 }
        try check("treedepth__", whole, "a whole number from 0 to 10⁹")
        try check("n_leapfrog__", { $0.isFinite && $0 >= 0 && $0 == $0.rounded() }, "a whole number ≥ 0")
        try check("divergent__", { $0 == 0 || $0 == 1 }, "0 or 1")
    }

    /// The line of a configuration key, for messages.
    func configLine(_ key: String) -> Int? {
        csv.comments.first { c in
            c.line < headerLine && c.text.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).hasPrefix(key + " =")
        }?.line
    }
}
