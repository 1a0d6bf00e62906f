// CmdStan-style draws CSV: comments kept with positions, header names, numeric columns.
import Testing
@testable import SynmIO

@Suite struct DrawsCSVTests {
    static let file = """
        # model = eight_schools
        # method = sample (Default)
        lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1,theta.2
        # Adaptation terminated
        # Step size = 0.42
        -4.5,0.9,0.42,3,7,0,6.1,1.25,-0.5,2
        -5.25,1,0.42,2,3,0,7,nan,inf,-inf
        -3,0.75,0.42,3,7,1,5.5,1e-05,3.5,4

        #  Elapsed Time: 0.01 seconds (Warm-up)
        """

    @Test func readsHeaderColumnsAndComments() throws {
        let draws = try DrawsCSV.parse(Self.file)
        #expect(draws.names.count == 10 && draws.names.first == "lp__" && draws.names.last == "theta.2")
        #expect(draws.rowCount == 3)
        #expect(draws.column(named: "lp__") == [-4.5, -5.25, -3])
        #expect(draws.column(named: "divergent__") == [0, 0, 1])
        let mu = try #require(draws.column(named: "mu"))
        #expect(mu[0] == 1.25 && mu[1].isNaN && mu[2] == 1e-5)
        #expect(draws.column(named: "theta.1")?[1] == .infinity)
        #expect(draws.column(named: "theta.2")?[1] == -.infinity)
        #expect(draws.column(named: "theta.3") == nil)
        #expect(draws.comments == [
            DrawsComment(text: "# model = eight_schools", line: 1, rowsBefore: 0),
            DrawsComment(text: "# method = sample (Default)", line: 2, rowsBefore: 0),
            DrawsComment(text: "# Adaptation terminated", line: 4, rowsBefore: 0),
            DrawsComment(text: "# Step size = 0.42", line: 5, rowsBefore: 0),
            DrawsComment(text: "#  Elapsed Time: 0.01 seconds (Warm-up)", line: 10, rowsBefore: 3),
        ])
    }

    @Test func crlfFilesReadTheSame() throws {
        let crlf = Self.file.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try DrawsCSV.parse(crlf)
        let b = try DrawsCSV.parse(Self.file)
        #expect(a.names == b.names && a.comments == b.comments)
        // Compare bit patterns: the file holds a NaN, and NaN != NaN.
        #expect(a.columns.map { $0.map(\.bitPattern) } == b.columns.map { $0.map(\.bitPattern) })
    }

    @Test func badRowsAreLocated() throws {
        let short = try #require(dataError { try DrawsCSV.parse("lp__,mu\n-1,2\n-1\n") })
        #expect(short.description == "3:1: row 2 has 1 field but the header has 2")
        let text = try #require(dataError { try DrawsCSV.parse("# c\nlp__,theta.1\n-1,oops\n") })
        #expect(text.description == #"3:4: column "theta.1", row 1: "oops" is not a number"#)
    }
}
