// CSVData: a data file in CSV form, each column one 1-D DataValue.

/// Reads data from CSV: a required header row of names, then one numeric row per
/// observation. Each column becomes a 1-D `DataValue` of shape `[rows]`, integer when every
/// entry is an integer literal. `#` lines (CmdStan style) and blank lines are skipped;
/// fields may be quoted; LF or CRLF; `inf`/`-inf`/`NaN` spellings are accepted.
///
/// Errors carry line and column and name the data row (1-based, header not counted), e.g.
/// `row 7 has 3 fields but the header has 4` or `column "y", row 3: "abc" is not a number`.
public enum CSVData {
    /// Reads a CSV data file from UTF-8 bytes.
    public static func decode(_ bytes: [UInt8]) throws(DataError) -> [DataValue] {
        let table = try CSVTable(bytes)
        return table.names.indices.map { k in
            DataValue(
                name: table.names[k], shape: [table.rowCount], values: table.columns[k],
                isInteger: table.integerColumns[k])
        }
    }

    /// Reads a CSV data file from a string.
    public static func decode(_ text: String) throws(DataError) -> [DataValue] {
        try decode(Array(text.utf8))
    }
}
