// Data binding errors (DataBinder): each names the variable and, where there is one, the
// element; JSON problems are located in the file. Runtime errors (index out of range, an
// unassigned `var` element, a domain error) name what went wrong and where.
import SynmDiagnostics
import SynmIO
import Testing
@testable import SynmRuntime

/// Binds `json` (Stan JSON text) to `model`, with locations, and returns the issues.
func bindingIssues(_ modelText: String, json: String) throws -> (table: DataTable?, issues: [DataIssue]) {
    let (model, _) = try checked(modelText)
    let bytes = Array(json.utf8)
    let values = try StanJSONData.decode(bytes)
    let source = DataSource(values: values) { name, index in
        JSONParser().location(of: [.key(name)] + index.map { .index($0 - 1) }, in: bytes)
    }
    var binder = DataBinder(model: model, source: source)
    let table = binder.bind()
    return (table, binder.issues)
}

/// Expects exactly one error, whose message contains every fragment, for `variable`.
func expectOneError(_ issues: [DataIssue], variable: String, containing fragments: [String],
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) -> DataIssue? {
    let errors = issues.filter { $0.severity == .error }
    #expect(errors.count == 1, "expected one error, got \(errors.map(\.message))", sourceLocation: sourceLocation)
    guard let e = errors.first else { return nil }
    #expect(e.variable == variable, "the error concerns \(e.variable ?? "nothing"), not \(variable)",
            sourceLocation: sourceLocation)
    for f in fragments {
        #expect(e.message.contains(f), "'\(e.message)' does not mention \(f)", sourceLocation: sourceLocation)
    }
    return e
}

@Suite struct DataBindingErrorTests {
    let sized = """
        data N: int<lower=0>
        data y: real[N]
        param mu: real
        y ~ normal(mu, 1)
        """

    /// A variable that fails is reported once: sizes and bounds that read it stay quiet.
    @Test func noCascadeFromAFailedSize() throws {
        let (_, missing) = try bindingIssues(sized, json: #"{"y": [1, 2]}"#)
        _ = expectOneError(missing, variable: "N", containing: ["'N'", "missing"])
        let inferred = "data y: real[n]\nparam mu: real\ny ~ normal(mu, 1)"
        let (_, noY) = try bindingIssues(inferred, json: "{}")
        _ = expectOneError(noY, variable: "y", containing: ["'y'", "missing"])
        let bounded = "data K: int<lower=1>\ndata g: int<lower=1, upper=K>[3]\nparam mu: real\nmu ~ normal(sum(g), 1)"
        let (_, badK) = try bindingIssues(bounded, json: #"{"K": 0, "g": [1, 1, 1]}"#)
        _ = expectOneError(badK, variable: "K", containing: ["K is 0", "lower bound 1"])
    }

    @Test func missingVariable() throws {
        let (table, issues) = try bindingIssues(sized, json: #"{"N": 3}"#)
        #expect(table == nil)
        let e = expectOneError(issues, variable: "y", containing: ["'y'", "missing"])
        #expect(e?.hint?.contains("\"y\"") == true)
        #expect(e?.modelSpan != nil, "points at the declaration")
    }

    @Test func wrongRank() throws {
        let (_, issues) = try bindingIssues(sized, json: #"{"N": 3, "y": 1.5}"#)
        _ = expectOneError(issues, variable: "y", containing: ["'y'", "an array", "a scalar"])
        let (_, matrix) = try bindingIssues(sized, json: #"{"N": 2, "y": [[1, 2], [3, 4]]}"#)
        _ = expectOneError(matrix, variable: "y", containing: ["'y'", "an array", "2-dimensional"])
        let (_, scalarGivenArray) = try bindingIssues(sized, json: #"{"N": [3], "y": [1, 2, 3]}"#)
        _ = expectOneError(scalarGivenArray, variable: "N", containing: ["'N'", "a scalar", "an array"])
    }

    @Test func sizeMismatch() throws {
        let (_, issues) = try bindingIssues(sized, json: """
            {"N": 3,
             "y": [1, 2, 3, 4]}
            """)
        let e = expectOneError(issues, variable: "y", containing: ["'y' has 4 elements", "declares 3", "N = 3"])
        #expect(e?.dataLocation?.line == 2, "located at y's value in the file")
    }

    @Test func inferredSizesDisagree() throws {
        let model = """
            data y: real[n]
            data z: real[n]
            param mu: real
            y ~ normal(mu, 1)
            """
        let (table, ok) = try bindingIssues(model, json: #"{"y": [1, 2, 3], "z": [4, 5, 6]}"#)
        #expect(ok.isEmpty)
        #expect(table?["n"]?.values == [3], "n is inferred from y")
        let (_, issues) = try bindingIssues(model, json: #"{"y": [1, 2, 3], "z": [4, 5, 6, 7]}"#)
        let e = expectOneError(issues, variable: "z", containing: ["'z' has 4 elements", "'y' has 3", "sized by n"])
        #expect(e?.hint?.contains("same length") == true)
    }

    @Test func intDeclaredButRealGiven() throws {
        let model = "data k: int[3]\nparam mu: real\nk ~ poisson(exp(mu))"
        let (_, issues) = try bindingIssues(model, json: """
            {"k": [1,
                   1.5,
                   2]}
            """)
        let e = expectOneError(issues, variable: "k", containing: ["k[2] is 1.5", "declared int"])
        #expect(e?.dataLocation?.line == 2)
        #expect(e?.dataLocation?.column == 8)
    }

    @Test func boundViolations() throws {
        let counts = "data c: int<lower=0>[3]\nparam mu: real\nc ~ poisson(exp(mu))"
        let (_, negative) = try bindingIssues(counts, json: #"{"c": [1, -2, 3]}"#)
        _ = expectOneError(negative, variable: "c", containing: ["c[2] is -2", "below", "lower bound 0"])
        let unit = "data p: real<lower=0, upper=1>[2]\nparam mu: real\nmu ~ normal(sum(p), 1)"
        let (_, above) = try bindingIssues(unit, json: #"{"p": [0.5, 2]}"#)
        _ = expectOneError(above, variable: "p", containing: ["p[2] is 2", "above", "upper bound 1"])
        // A bound that depends on other data.
        let dependent = "data K: int<lower=1>\ndata g: int<lower=1, upper=K>[3]\nparam mu: real\nmu ~ normal(sum(g), 1)"
        let (_, group) = try bindingIssues(dependent, json: #"{"K": 2, "g": [1, 3, 2]}"#)
        _ = expectOneError(group, variable: "g", containing: ["g[2] is 3", "upper bound 2"])
    }

    @Test func nonFiniteValues() throws {
        let (_, inf) = try bindingIssues(sized, json: #"{"N": 3, "y": [1, "inf", 2]}"#)
        _ = expectOneError(inf, variable: "y", containing: ["y[2] is inf", "finite"])
        let (_, nan) = try bindingIssues(sized, json: #"{"N": 2, "y": ["NaN", 0]}"#)
        _ = expectOneError(nan, variable: "y", containing: ["y[1] is NaN", "finite"])
    }

    @Test func unknownVariableIsAWarning() throws {
        let (table, issues) = try bindingIssues(sized, json: #"{"N": 1, "y": [0.5], "extra": [1, 2]}"#)
        #expect(table != nil, "a warning does not stop binding")
        #expect(issues.count == 1)
        #expect(issues.first?.severity == .warning)
        #expect(issues.first?.variable == "extra")
        #expect(issues.first?.message.contains("'extra'") == true)
    }

    @Test func malformedJSONIsLocated() throws {
        let text = "{\"N\": 3,\n  \"y\": [1, 2,, 3]}"
        do {
            _ = try StanJSONData.decode(Array(text.utf8))
            Issue.record("malformed JSON was accepted")
        } catch {
            #expect(error.location?.line == 2)
            #expect(error.location?.column == 14)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func csvColumnsBecomeArrays() throws {
        let model = "data y: real[n]\ndata k: int<lower=0>[n]\nparam mu: real\ny ~ normal(mu, 1)\nk ~ poisson(exp(mu))"
        let values = try CSVData.decode("y,k\n1.5,2\n-0.25,0\n3,7\n")
        let (m, _) = try checked(model)
        var binder = DataBinder(model: m, source: DataSource(values: values))
        let bound = binder.bind()
        let table = try #require(bound)
        #expect(table["y"]?.values == [1.5, -0.25, 3])
        #expect(table["k"]?.values == [2, 0, 7])
        #expect(table["n"]?.values == [3])
        // A real in an int column is named like any JSON element.
        var bad = DataBinder(model: m, source: DataSource(values: try CSVData.decode("y,k\n1.5,2\n-0.25,0.5\n")))
        #expect(bad.bind() == nil)
        _ = expectOneError(bad.issues, variable: "k", containing: ["k[2] is 0.5", "declared int"])
    }

    @Test func malformedCSVRow() throws {
        do {
            _ = try CSVData.decode("y,k\n1.5,2\n-0.25\n3,7\n")
            Issue.record("a short CSV row was accepted")
        } catch {
            #expect(error.location?.line == 3, "the short row is line 3: \(error)")
            #expect(error.message.contains("row 2") && error.message.contains("1 field"), "\(error.message)")
        }
    }

    @Test func embeddedDefaultIsOverriddenByTheFile() throws {
        let model = "data y: real[3] = [1, 2, 3]\nparam mu: real\ny ~ normal(mu, 1)"
        let (table, issues) = try bindingIssues(model, json: #"{"y": [4, 5, 6]}"#)
        #expect(issues.isEmpty)
        #expect(table?["y"]?.values == [4, 5, 6])
    }
}

@Suite struct RuntimeErrorTests {
    func failure(_ text: String, at x: [Double]) throws -> RuntimeError? {
        var model = try compile(text)
        do {
            _ = try model.evaluate(x)
            return nil
        } catch let e as RuntimeError {
            // The Dual path fails the same way.
            #expect(throws: RuntimeError.self) { _ = try model.hessian(x) }
            // And the sampler interface sees −∞ and an explanation.
            var g = [Double](repeating: 0, count: model.dimension)
            #expect(model.logDensityAndGradient(x, gradient: &g) == -.infinity)
            #expect(model.explainNonFinite(x) == e.message)
            return e
        }
    }

    @Test func indexOutOfRange() throws {
        let text = "data i: int = 4\nparam v: real[3]\ntarget += v[i]"
        let e = try #require(try failure(text, at: [0, 0, 0]))
        #expect(e.message.contains("index 4"), "\(e.message)")
        #expect(e.message.contains("1..3"), "\(e.message)")
        #expect(e.message == "index 4 is out of range for 'v' (1..3)", "\(e.message)")
        let span = try #require(e.span)
        #expect(SourceFile(name: "t", text: text).text(of: span) == "v[i]")
    }

    @Test func multiIndexOutOfRange() throws {
        let text = "data g: int[3] = [1, 4, 2]\nparam v: real[3]\ntarget += sum(v[g])"
        let e = try #require(try failure(text, at: [0, 0, 0]))
        #expect(e.message == "index 4 is out of range for 'v' (1..3)", "\(e.message)")
        // Indexing data by a data index is folded at compile time, and fails there.
        let folded = "data y: real[2] = [1, 2]\ndata i: int = 3\nparam a: real\na ~ normal(y[i], 1)"
        #expect(throws: RuntimeError.self) { _ = try compile(folded) }
        do { _ = try compile(folded) } catch let f as RuntimeError {
            #expect(f.message.contains("index 3") && f.message.contains("'y'"), "\(f.message)")
        }
    }

    @Test func indexOutOfRangeInALoop() throws {
        let text = "param v: real[3]\nvar m: real[3]\nfor t in 1..4 {\n  m[t] = v[1]\n}"
        let e = try #require(try failure(text, at: [0, 0, 0]))
        #expect(e.message.contains("index 4 is out of range for 'm' (1..3)"), "\(e.message)")
    }

    @Test func unassignedVarElement() throws {
        let text = "param a: real\nvar m: real[3]\nm[1] = a\nm[3] = a\ntarget += m[1] + m[2]"
        let e = try #require(try failure(text, at: [0.5]))
        #expect(e.message.contains("'m[2]'"), "\(e.message)")
        #expect(e.message.contains("before it is assigned"), "\(e.message)")
    }

    @Test func domainErrorNamesDistributionAndArgument() throws {
        let text = "data y: real[2] = [1, 2]\nparam a: real\ny ~ normal(0, a - 5)"
        #expect(try failure(text, at: [6]) == nil)
        let e = try #require(try failure(text, at: [2]))
        #expect(e.message.contains("normal"), "\(e.message)")
        #expect(e.message.contains("sigma"), "\(e.message)")
        #expect(e.message.contains("-3"), "\(e.message)")
        // Over rows, the message says which row.
        let rows = "data y: real[3] = [1, 2, 3]\nparam s: real[3]\ny ~ normal(0, s)"
        let r = try #require(try failure(rows, at: [1, -1, 1]))
        #expect(r.message.contains("sigma") && r.message.contains("row 2"), "\(r.message)")
    }

    @Test func parameterOutsideItsBounds() throws {
        var model = try compile("param p: real<lower=0, upper=1>\nparam s: real<lower=p>\np ~ beta(2, 2)")
        #expect(throws: RuntimeError.self) { _ = try model.unconstrain(["p": [1.5], "s": [2]]) }
        do {
            _ = try model.unconstrain(["p": [0.5], "s": [0.25]])
            Issue.record("s below its parameter-dependent bound was accepted")
        } catch let e as RuntimeError {
            #expect(e.message.contains("s is 0.25") && e.message.contains("lower bound 0.5"), "\(e.message)")
        }
    }
}
