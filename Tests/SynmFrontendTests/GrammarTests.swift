// The grammar of record and the parser stay in step, and every model in models/ parses and
// checks cleanly.
import Foundation
import SynmDiagnostics
import Testing
@testable import SynmFrontend

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `data_decl` → `parseDataDecl`.
func parseFunctionName(_ rule: String) -> String {
    "parse" + rule.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

@Suite struct GrammarTests {
    /// Rule names defined in grammar/synm.ebnf (lower-case rules; upper-case names are tokens).
    func grammarRules() throws -> [String] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("grammar/synm.ebnf"), encoding: .utf8)
        // Drop comments, then take `name =` at the start of a line.
        let noComments = text.replacingOccurrences(of: #"\(\*[\s\S]*?\*\)"#, with: "", options: .regularExpression)
        return noComments.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0 == "_" }) else { return nil }
            return name
        }
    }

    func parserFunctions() throws -> Set<String> {
        let dir = repositoryRoot.appendingPathComponent("Sources/SynmFrontend/Parser")
        var names: Set<String> = []
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: #"func (parse[A-Z][A-Za-z]*)\("#)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        return names
    }

    @Test func everyGrammarRuleHasAParseFunction() throws {
        let rules = try grammarRules()
        #expect(rules.count > 30)
        let functions = try parserFunctions()
        for rule in rules {
            #expect(functions.contains(parseFunctionName(rule)), "rule \(rule) has no \(parseFunctionName(rule))")
        }
    }

    @Test func everyParseFunctionIsAGrammarRule() throws {
        let rules = Set(try grammarRules().map(parseFunctionName))
        // Helpers that are not rules of their own.
        let helpers: Set<String> = ["parseItemRecovering", "parseCallTail", "parseLeftAssociative", "parseLambdaOrExpression"]
        for f in try parserFunctions() where !helpers.contains(f) {
            #expect(rules.contains(f), "\(f) is not named after a rule of grammar/synm.ebnf")
        }
    }

    @Test func everyParseFunctionQuotesItsRule() throws {
        let dir = repositoryRoot.appendingPathComponent("Sources/SynmFrontend/Parser")
        var text = ""
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".swift") {
            text += try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
        }
        for rule in try grammarRules() where !["INT", "REAL"].contains(rule) {
            #expect(text.contains("/// \(rule) ="), "the parse function for \(rule) does not quote its rule")
        }
    }

    /// models/*.synm and the posteriordb translations, models/posteriordb/*.synm.
    static let models: [String] = {
        let dir = repositoryRoot.appendingPathComponent("models")
        func synm(_ sub: String) -> [String] {
            let path = sub.isEmpty ? dir.path : dir.appendingPathComponent(sub).path
            let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return files.filter { $0.hasSuffix(".synm") }.map { sub.isEmpty ? $0 : "\(sub)/\($0)" }
        }
        return (synm("") + synm("posteriordb")).sorted()
    }()

    /// Models that demonstrate a warned-about practice, with the warnings they must give.
    static let modelsWarningOnPurpose: [String: [String]] = [
        // Example 9 done the naive way: made-up heads on equal footing.
        "censored_coin_augmented.synm": ["sema.equal-footing"],
    ]

    @Test func theRequiredModelsExist() {
        for name in ["eight_schools", "coin", "normal", "linear_regression", "logistic_regression", "hier_poisson",
                     "synthetic_normal", "censored_coin"] {
            #expect(Self.models.contains("\(name).synm"), "models/\(name).synm is missing")
        }
    }

    @Test(arguments: models)
    func modelChecksCleanly(name: String) throws {
        let url = repositoryRoot.appendingPathComponent("models").appendingPathComponent(name)
        let result = checkModel(SourceFile(name: name, text: try String(contentsOf: url, encoding: .utf8)))
        #expect(!result.diagnostics.hasErrors, "\(name): \(result.diagnostics.map(\.message))")
        #expect(result.model != nil)
        // Warnings only where a model shows a bad practice on purpose (and says so).
        let warnings = result.diagnostics.filter { $0.severity == .warning }.map(\.code)
        #expect(warnings.isEmpty || Self.modelsWarningOnPurpose[name] == warnings,
                "\(name): unexpected warnings \(warnings)")
    }
}
