// DrawsCSV: reads back CmdStan-style draws files — comment lines kept, header, numeric columns.

/// A `#` comment line of a draws file and where it sat.
public struct DrawsComment: Sendable, Equatable {
    /// The whole line including the leading `#`, without its line terminator.
    public var text: String
    /// 1-based line number in the file.
    public var line: Int
    /// How many draw rows preceded this comment (0 for comments before the header or first row).
    public var rowsBefore: Int

    /// Creates a comment record.
    public init(text: String, line: Int, rowsBefore: Int) {
        self.text = text
        self.line = line
        self.rowsBefore = rowsBefore
    }
}

/// The contents of a CmdStan-compatible draws CSV file (one chain): comment lines (sampler
/// configuration, adaptation, timing), column names such as `lp__` and `theta.1`, and each
/// column's values in draw order. Non-finite values may be written `inf`, `-inf`, `nan`.
public struct DrawsCSV: Sendable, Equatable {
    /// Every `#` line, in file order.
    public var comments: [DrawsComment]
    /// Column names from the header, in order.
    public var names: [String]
    /// One array per column, each with `rowCount` values.
    public var columns: [[Double]]

    /// Creates draws from parts; every column should have the same length.
    public init(comments: [DrawsComment], names: [String], columns: [[Double]]) {
        self.comments = comments
        self.names = names
        self.columns = columns
    }

    /// Number of draws (rows).
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// The values of the column named `name`, or nil.
    public func column(named name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// Reads a draws file from UTF-8 bytes. Errors as in `CSVData` (line, column, row).
    public static func parse(_ bytes: [UInt8]) throws(DataError) -> DrawsCSV {
        let table = try CSVTable(bytes)
        return DrawsCSV(comments: table.comments, names: table.names, columns: table.columns)
    }

    /// Reads a draws file from a string.
    public static func parse(_ text: String) throws(DataError) -> DrawsCSV {
        try parse(Array(text.utf8))
    }
}
