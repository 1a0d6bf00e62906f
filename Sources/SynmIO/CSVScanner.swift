// CSVScanner: splits RFC 4180-style CSV bytes into records, comment lines and blank lines,
// and CSVTable: a header plus numeric columns, shared by data CSV and CmdStan draws CSV.

/// One field of a record: the byte range of its content (unquoted, trimmed of spaces and
/// tabs unless quoted), or the decoded bytes when a quoted field contained `""` escapes.
struct CSVField {
    var offset: Int
    var range: Range<Int>
    var unescaped: [UInt8]?
}

/// One record (row) of fields.
struct CSVRecord {
    var offset: Int
    var line: Int
    var fields: [CSVField]
}

/// What the scanner found next.
enum CSVItem {
    case comment(String, line: Int)
    case record(CSVRecord)
}

/// Splits CSV bytes: comma separated, optional `"` quoting with `""` escapes (quoted fields
/// may span lines), `#` comment lines, CRLF or LF, optional final newline, blank lines skipped.
/// Works on a buffer pointer (valid only inside `withUnsafeBufferPointer`) so that debug
/// builds stay fast on large draws files.
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private(set) var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
    }

    func error(at offset: Int, _ message: String, variable: String? = nil) -> DataError {
        DataError(message: message, variable: variable, location: TextLocation(offset: offset, in: bytes))
    }

    /// The next comment or record, or nil at the end of input.
    mutating func next() throws(DataError) -> CSVItem? {
        let n = bytes.count
        while i < n {
            var j = i
            while j < n && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
            if j == n { i = n; return nil }
            if bytes[j] == 0x0A || (bytes[j] == 0x0D && j + 1 < n && bytes[j + 1] == 0x0A) {
                i = bytes[j] == 0x0A ? j + 1 : j + 2
                line += 1
                continue
            }
            if bytes[j] == UInt8(ascii: "#") {
                var end = j
                while end < n && bytes[end] != 0x0A { end += 1 }
                let textEnd = end > j && bytes[end - 1] == 0x0D ? end - 1 : end
                let item = CSVItem.comment(text(j..<textEnd), line: line)
                i = min(end + 1, n)
                line += 1
                return item
            }
            return .record(try record())
        }
        return nil
    }

    private mutating func record() throws(DataError) -> CSVRecord {
        let n = bytes.count
        let result = CSVRecord(offset: i, line: line, fields: [])
        var fields: [CSVField] = []
        while true {
            while i < n && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            let fieldStart = i
            if i < n && bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var content: [UInt8]?
                var segment = i
                while true {
                    guard i < n else { throw error(at: fieldStart, "unterminated quoted field") }
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                            content = (content ?? []) + bytes[segment...i]
                            i += 2
                            segment = i
                            continue
                        }
                        break
                    }
                    if bytes[i] == 0x0A { line += 1 }
                    i += 1
                }
                fields.append(CSVField(offset: fieldStart, range: segment..<i, unescaped: content.map { $0 + bytes[segment..<i] }))
                i += 1
                while i < n && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
                if i < n && !atRecordEnd() && bytes[i] != UInt8(ascii: ",") {
                    throw error(at: i, "unexpected \(describeByte(bytes[i])) after a closing quote")
                }
            } else {
                while i < n && bytes[i] != UInt8(ascii: ",") && !atRecordEnd() {
                    if bytes[i] == UInt8(ascii: "\"") { throw error(at: i, "quote inside an unquoted field") }
                    i += 1
                }
                var end = i
                while end > fieldStart && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
                fields.append(CSVField(offset: fieldStart, range: fieldStart..<end))
            }
            if i < n && bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if i < n && bytes[i] == 0x0D { i += 1 }
            if i < n && bytes[i] == 0x0A {
                i += 1
                line += 1
            }
            var complete = result
            complete.fields = fields
            return complete
        }
    }

    /// The text of a byte range.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The text of a field.
    func text(_ field: CSVField) -> String {
        field.unescaped.map { String(decoding: $0, as: UTF8.self) } ?? text(field.range)
    }

    /// A field read as a number (lenient syntax or a non-finite spelling).
    func number(_ field: CSVField) -> NumberLexer.FieldValue {
        if let unescaped = field.unescaped { return NumberLexer.field(unescaped[...]) }
        let r = field.range
        if case .success(let n) = NumberLexer.lex(bytes, from: r.lowerBound, to: r.upperBound, strict: false),
            n.end == r.upperBound
        {
            return n.value.isFinite ? .number(n.value, isInteger: n.isInteger) : .outOfRange
        }
        if let x = NumberLexer.nonFinite(UnsafeBufferPointer(rebasing: bytes[r])) { return .number(x, isInteger: false) }
        return .invalid
    }

    private func atRecordEnd() -> Bool {
        bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A)
    }
}

/// A CSV file read as a header of names and numeric columns, with its comment lines.
struct CSVTable {
    var names: [String] = []
    var columns: [[Double]] = []
    var integerColumns: [Bool] = []
    var rowCount = 0
    var comments: [DrawsComment] = []
    var headerLine = 0

    /// Reads a header row then numeric rows; `#` lines are kept in `comments`.
    init(_ bytes: [UInt8]) throws(DataError) {
        let result: Result<CSVTable, DataError> = bytes.withUnsafeBufferPointer { p in
            var table = CSVTable()
            do throws(DataError) {
                try table.read(p)
                return .success(table)
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    private init() {}

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(DataError) {
        var scanner = CSVScanner(bytes)
        var headerSeen = false
        while let item = try scanner.next() {
            switch item {
            case .comment(let text, let line):
                comments.append(DrawsComment(text: text, line: line, rowsBefore: rowCount))
            case .record(let record) where !headerSeen:
                headerSeen = true
                headerLine = record.line
                try readHeader(record, scanner)
            case .record(let record):
                try readRow(record, scanner)
            }
        }
        guard headerSeen else { throw scanner.error(at: bytes.count, "missing header row") }
    }

    private mutating func readHeader(_ record: CSVRecord, _ scanner: CSVScanner) throws(DataError) {
        var seen = Set<String>()
        for (k, field) in record.fields.enumerated() {
            let name = scanner.text(field)
            guard !name.isEmpty else { throw scanner.error(at: field.offset, "empty column name in header (column \(k + 1))") }
            guard seen.insert(name).inserted else {
                throw scanner.error(at: field.offset, "duplicate column name \(quoted(name))", variable: name)
            }
            names.append(name)
        }
        columns = Array(repeating: [], count: names.count)
        integerColumns = Array(repeating: true, count: names.count)
    }

    private mutating func readRow(_ record: CSVRecord, _ scanner: CSVScanner) throws(DataError) {
        rowCount += 1
        guard record.fields.count == names.count else {
            let noun = record.fields.count == 1 ? "field" : "fields"
            throw scanner.error(
                at: record.offset, "row \(rowCount) has \(record.fields.count) \(noun) but the header has \(names.count)")
        }
        for (k, field) in record.fields.enumerated() {
            switch scanner.number(field) {
            case .number(let x, let isInteger):
                columns[k].append(x)
                if !isInteger { integerColumns[k] = false }
            case .outOfRange:
                throw cellError(field, k, "\(quoted(scanner.text(field))) is out of range", scanner)
            case .invalid:
                let text = scanner.text(field)
                throw cellError(field, k, text.isEmpty ? "missing value" : "\(quoted(text)) is not a number", scanner)
            }
        }
    }

    private func cellError(_ field: CSVField, _ k: Int, _ problem: String, _ scanner: CSVScanner) -> DataError {
        scanner.error(at: field.offset, "column \(quoted(names[k])), row \(rowCount): \(problem)", variable: names[k])
    }
}
