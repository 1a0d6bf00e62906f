// Every command the dispatcher knows has a help text that the overview lists, `--help`,
// `-h` and `synm help COMMAND` print it (exit 0, on standard output), and the list of
// commands is read from the dispatcher itself, so a new command without help fails here.
import Testing
@testable import SynmDriver

@Suite struct HelpTests {
    static let dispatched = Driver.commands.map(\.name)

    @Test func theDispatcherHasCommands() {
        #expect(Self.dispatched.count >= 11, "the dispatcher lists \(Self.dispatched)")
        #expect(Set(Self.dispatched).count == Self.dispatched.count, "a command is listed twice")
        #expect(Self.dispatched == Help.commandNames, "Help.commandNames and the dispatcher disagree")
    }

    @Test(arguments: Driver.commands.map(\.name))
    func everyCommandHasHelp(command: String) {
        #expect(Help.command(command) != nil, "no help text for \(command)")
        #expect(Help.overview.contains("  \(command) "), "the overview does not list \(command)")
        for form in [[command, "--help"], [command, "-h"], ["help", command]] {
            let out = StringSink(), err = StringSink()
            let code = Driver.run(form, console: Console(out: out, err: err))
            #expect(code == 0, "\(form): exit \(code): \(err.text)")
            #expect(out.text.hasPrefix("usage: synm \(command)"), "\(form): \(out.text.prefix(80))")
            #expect(out.text.contains("\n  -h, --help") || command == "repl" || out.text.contains("--help"),
                    "\(form): the help does not say how to get help")
            #expect(err.text.isEmpty, "\(form): \(err.text)")
        }
    }

    @Test func unknownCommandsAreUsageErrors() {
        for (name, hint) in [("rnu", "did you mean 'run'?"), ("zzzzzz", "'synm --help' lists the commands")] {
            let out = StringSink(), err = StringSink()
            let code = Driver.run([name], console: Console(out: out, err: err))
            #expect(code == 64)
            #expect(err.text.contains("unknown command '\(name)'") && err.text.contains(hint), "\(err.text)")
            #expect(out.text.isEmpty)
        }
    }

    @Test func plannedCommandsAreNotDispatched() {
        // A command is either built (dispatched, with help) or planned (answered clearly).
        #expect(Set(Help.plannedCommands).isDisjoint(with: Self.dispatched))
        for command in Help.plannedCommands {
            let out = StringSink(), err = StringSink()
            #expect(Driver.run([command], console: Console(out: out, err: err)) == 64)
            #expect(err.text.contains("not available"))
        }
    }
}
