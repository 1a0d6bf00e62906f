// CSV data files: header, columns as 1-D data, comments, quoting, line endings, errors.
import Testing
@testable import SynmIO

@Suite struct CSVDataTests {
    @Test func basicColumns() throws {
        let data = try CSVData.decode("# made by hand\nx,y\n1,2.5\n3,4\n")
        #expect(data == [
            DataValue(name: "x", shape: [2], values: [1, 3], isInteger: true),
            DataValue(name: "y", shape: [2], values: [2.5, 4], isInteger: false),
        ])
    }

    @Test func lineEndingsBlankLinesCommentsAndQuotes() throws {
        let text = "\r\n\"count\", \"a,b\" ,z\r\n\r\n  1 , \"2\",1e3\r\n# mid-file comment\r\n\n-4,+5.5,.5"
        let data = try CSVData.decode(text)
        #expect(data.map(\.name) == ["count", "a,b", "z"])
        #expect(data[0] == DataValue(name: "count", shape: [2], values: [1, -4], isInteger: true))
        #expect(data[1] == DataValue(name: "a,b", shape: [2], values: [2, 5.5], isInteger: false))
        #expect(data[2].values == [1000, 0.5] && !data[2].isInteger)
    }

    @Test func escapedQuotesInHeader() throws {
        let data = try CSVData.decode("\"say \"\"hi\"\"\"\n1\n")
        #expect(data.first?.name == "say \"hi\"")
    }

    @Test func nonFiniteSpellings() throws {
        let data = try CSVData.decode("v\ninf\n-inf\nNaN\nInfinity\n")
        let v = data[0].values
        #expect(v[0] == .infinity && v[1] == -.infinity && v[2].isNaN && v[3] == .infinity)
        #expect(!data[0].isInteger)
    }

    @Test func headerOnlyGivesEmptyColumns() throws {
        let data = try CSVData.decode("a,b\n")
        #expect(data == [
            DataValue(name: "a", shape: [0], values: [], isInteger: true),
            DataValue(name: "b", shape: [0], values: [], isInteger: true),
        ])
    }

    /// (input, message, line, column, variable)
    static let failures: [(String, String, Int, Int, String?)] = [
        ("a,b,c,d\n1,2,3,4\n1,2,3\n", "row 2 has 3 fields but the header has 4", 3, 1, nil),
        ("a,b\n\n1,2,3\n", "row 1 has 3 fields but the header has 2", 3, 1, nil),
        ("x,y\n1,2\n3,4\n5,abc\n", #"column "y", row 3: "abc" is not a number"#, 4, 3, "y"),
        ("x,y\n1, 2x\n", #"column "y", row 1: "2x" is not a number"#, 2, 4, "y"),
        ("x,y\n1,\n", #"column "y", row 1: missing value"#, 2, 3, "y"),
        ("x\n1e400\n", #"column "x", row 1: "1e400" is out of range"#, 2, 1, "x"),
        ("a,,c\n", "empty column name in header (column 2)", 1, 3, nil),
        ("a,b,a\n", #"duplicate column name "a""#, 1, 5, "a"),
        ("# only a comment\n\n", "missing header row", 3, 1, nil),
        ("", "missing header row", 1, 1, nil),
        ("a,b\n1,\"2\n", "unterminated quoted field", 2, 3, nil),
        ("a,b\n1,\"2\"x\n", "unexpected character 'x' after a closing quote", 2, 6, nil),
        ("a,b\n1,2\"\n", "quote inside an unquoted field", 2, 4, nil),
        ("é,ü\n1,ä\n", #"column "ü", row 1: "ä" is not a number"#, 2, 3, "ü"),
    ]

    @Test func errors() throws {
        for (text, message, line, column, variable) in Self.failures {
            let error = try #require(dataError { try CSVData.decode(text) }, "\(text)")
            #expect(error.message == message, "\(text)")
            #expect(error.location?.line == line && error.location?.column == column, "\(text): \(error)")
            #expect(error.variable == variable, "\(text)")
        }
    }

    @Test func quotedFieldsMaySpanLines() throws {
        let data = try CSVData.decode("\"multi\nline\",b\n1,2\n")
        #expect(data.map(\.name) == ["multi\nline", "b"])
        // Line numbers after a multi-line field still count the embedded newline.
        let error = try #require(dataError { try CSVData.decode("\"multi\nline\",b\n1,2\n3,x\n") })
        #expect(error.description == #"4:3: column "b", row 2: "x" is not a number"#)
    }
}
