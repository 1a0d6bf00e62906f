// Arrays of rank 3 and more in files: Stan JSON nested to depth 3 and 4 (and ragged ones
// refused at the element), and CmdStan's column-major order for their CSV columns — the first
// index fastest, as CmdStan's "Stan CSV File Format" says of every container and as its own
// files show (a `z.1.1, z.2.1, …` header in cmdstanpy's lotka-volterra output).
import Testing
@testable import SynmIO

@Suite struct HigherRankIOTests {
    @Test func jsonOfDepth3And4() throws {
        let data = try StanJSONData.decode("""
            {"a": [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]],
             "b": [[[[1.5, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]]}
            """)
        #expect(data[0] == DataValue(name: "a", shape: [2, 2, 3], values: (1...12).map(Double.init), isInteger: true))
        #expect(data[1].shape == [1, 3, 2, 2])
        #expect(data[1].values == [1.5] + (2...12).map(Double.init))
        #expect(!data[1].isInteger)
        // Written back nested by shape.
        #expect(JSONWriter().string(from: StanJSONData.encode([data[0]])) == #"{"a":[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]]}"#)
    }

    @Test func raggedDepth4IsNamedByItsIndexPath() throws {
        let text = #"{"w": [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[1, 2], [3, 4]], [[5, 6], [7, 8, 9]]]]}"#
        do {
            _ = try StanJSONData.decode(text)
            Issue.record("no error")
        } catch {
            #expect(error.message == "ragged array: w[2, 2, 2] has 3 elements, expected 2 like w[1, 1, 1]")
            #expect(error.variable == "w")
            #expect(error.location?.line == 1 && error.location?.column == 74)
        }
        do {
            _ = try StanJSONData.decode(#"{"w": [[[1, 2], [3, 4]], [[5, 6], 7]]}"#)
            Issue.record("no error")
        } catch {
            #expect(error.message == "w[2, 2] is a number, expected an array like w[1, 1]")
        }
    }

    /// Matrices and arrays of rank 2 or more are written column-major, as CmdStan writes them
    /// (cmdstanpy's stan_variable reshapes a variable's columns in that order).
    @Test func rank3ColumnsInCmdStanOrder() throws {
        var names = ["lp__", "mu", "X[1, 1]", "X[1, 2]", "X[2, 1]", "X[2, 2]"]
        var values: [Double] = [-1, 0.5, 11, 12, 21, 22]
        // z: 2 × 3 × 2, row-major as synm reports it, valued 100i + 10j + k.
        for i in 1...2 { for j in 1...3 { for k in 1...2 {
            names.append("z[\(i), \(j), \(k)]")
            values.append(Double(100 * i + 10 * j + k))
        } } }
        names.append("sigma")
        values.append(3)
        var w = DrawsCSVWriter()
        w.header(names)
        w.row(values)
        let lines = w.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "lp__,mu,X.1.1,X.2.1,X.1.2,X.2.2,"
                + "z.1.1.1,z.2.1.1,z.1.2.1,z.2.2.1,z.1.3.1,z.2.3.1,z.1.1.2,z.2.1.2,z.1.2.2,z.2.2.2,z.1.3.2,z.2.3.2,sigma")
        #expect(lines[1] == "-1,0.5,11,21,12,22,111,211,121,221,131,231,112,212,122,222,132,232,3")
        // Read back: every column by its name holds its own value.
        let file = try DrawsCSV.parse(w.text)
        for i in 1...2 { for j in 1...3 { for k in 1...2 {
            #expect(file.column(named: "z.\(i).\(j).\(k)") == [Double(100 * i + 10 * j + k)])
        } } }
        for i in 1...2 { for j in 1...2 { #expect(file.column(named: "X.\(i).\(j)") == [Double(10 * i + j)]) } }
        // Scalars and arrays keep their order; without a matrix there is nothing to reorder.
        #expect(DrawsCSVWriter.cmdStanOrder(["a", "b[1]", "X[1, 1]", "X[1, 2]", "X[2, 1]", "X[2, 2]"]) == [0, 1, 2, 4, 3, 5])
        #expect(DrawsCSVWriter.cmdStanOrder(["a", "b[1]", "b[2]"]) == nil)
    }
}
