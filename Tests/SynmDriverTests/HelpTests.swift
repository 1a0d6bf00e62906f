// Every command the overview lists has a help text, and `--help` works for each.
import Testing
@testable import SynmDriver

@Suite struct HelpTests {
    @Test(arguments: Help.commandNames)
    func everyCommandHasHelp(command: String) {
        #expect(Help.command(command) != nil, "no help text for \(command)")
        #expect(Help.overview.contains("  \(command) "), "the overview does not list \(command)")
        let out = StringSink(), err = StringSink()
        let code = Driver.run([command, "--help"], console: Console(out: out, err: err))
        #expect(code == 0)
        #expect(out.text.hasPrefix("usage: synm \(command)"))
    }

    @Test func plannedCommandsAnswerClearly() {
        for command in Help.plannedCommands {
            let out = StringSink(), err = StringSink()
            let code = Driver.run([command], console: Console(out: out, err: err))
            #expect(code == 64)
            #expect(err.text.contains("not available"))
        }
    }
}
