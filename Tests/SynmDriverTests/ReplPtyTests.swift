// The built `synm repl` at a real pseudo-terminal (openpty): the prompt, line editing and
// history through the terminal, Ctrl-C on a line, SIGINT during :sample, Ctrl-D to leave,
// and the terminal's settings restored afterwards. Skipped when the binary is not built
// next to the test bundle.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ReplPtyTests {
    /// `synm` beside the test bundle (.build/debug/synm).
    static var binary: String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("synm").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    final class PtySession {
        var master: Int32 = -1
        var slave: Int32 = -1
        let process = Process()
        var output: [UInt8] = []

        init(binary: String, arguments: [String]) throws {
            #if canImport(Glibc)
            var ws = winsize(ws_row: 24, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
            guard openpty(&master, &slave, nil, nil, &ws) == 0 else { throw CocoaError(.featureUnsupported) }
            #endif
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env["TERM"] = "xterm"
            process.environment = env
            let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
            process.standardInput = handle
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        func send(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress!, $0.count) }
                if n <= 0 { return }
                offset += n
            }
        }

        func send(_ s: String) { send(Array(s.utf8)) }

        /// Reads until `text` has appeared (after `from`) or the deadline passes.
        @discardableResult
        func wait(for text: String, after from: Int = 0, seconds: Double = 20) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if String(decoding: output.dropFirst(from), as: UTF8.self).contains(text) { return true }
                var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                if poll(&fds, 1, 100) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let n = read(master, &buffer, buffer.count)
                    if n <= 0 { return String(decoding: output.dropFirst(from), as: UTF8.self).contains(text) }
                    output += buffer[0..<n]
                }
            }
            return false
        }

        var text: String { String(decoding: output, as: UTF8.self) }

        /// Waits for the next fresh prompt (a rendering of the line starts with "\r" instead).
        @discardableResult
        func waitForPrompt(after from: Int) -> Bool { wait(for: "\nsynm> ", after: from) }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }  // signals may be blocked
            close(master)
            close(slave)
        }
    }

    @Test(.enabled(if: binary != nil)) func aSessionAtATerminal() throws {
        let model = ReplHarness.model("coin.synm")
        let pty = try PtySession(binary: Self.binary!, arguments: ["repl", model])
        #expect(pty.waitForPrompt(after: 0), "\(pty.text)")
        var mark = pty.output.count
        pty.send(":sample --seed 1 --chains 2 --warmup 200 --draws 300\r")
        #expect(pty.wait(for: "sampled 2 chains", after: mark), "\(pty.text)")
        #expect(pty.waitForPrompt(after: mark))
        // A line typed with a mistake, fixed with ← and Backspace; Enter.
        mark = pty.output.count
        pty.send("mean(x)")
        pty.send([0x1B, 0x5B, 0x44, 0x7F])  // ←, Backspace
        pty.send("p\r")
        #expect(pty.wait(for: " ± ", after: mark), "\(pty.text)")
        #expect(pty.waitForPrompt(after: mark))
        // History: ↑ brings back mean(p); Home, then edit to E(p).
        mark = pty.output.count
        pty.send([0x1B, 0x5B, 0x41])
        pty.send([0x01, 0x1B, 0x5B, 0x33, 0x7E, 0x1B, 0x5B, 0x33, 0x7E, 0x1B, 0x5B, 0x33, 0x7E, 0x1B, 0x5B, 0x33, 0x7E])
        pty.send("E\r")
        #expect(pty.wait(for: " ± ", after: mark), "\(pty.text)")
        #expect(pty.waitForPrompt(after: mark))
        // Ctrl-C cancels a half-typed line; the session goes on.
        mark = pty.output.count
        pty.send("garbage")
        pty.send([0x03])
        #expect(pty.wait(for: "^C", after: mark))
        pty.send("P(p > 0.5)\r")
        #expect(pty.wait(for: " ± ", after: mark), "\(pty.text)")
        #expect(pty.waitForPrompt(after: mark))
        #expect(!String(decoding: pty.output.dropFirst(mark), as: UTF8.self).contains("garbage\r\n"))
        // SIGINT while :sample runs stops it and keeps the previous draws.
        mark = pty.output.count
        pty.send(":sample --seed 2 --chains 1 --warmup 1000000 --draws 1000000\r")
        #expect(pty.wait(for: "ETA", after: mark), "\(pty.text)")  // the progress line is up
        pty.process.interrupt()
        #expect(pty.wait(for: "interrupted: sampling stopped; the previous draws are kept", after: mark), "\(pty.text)")
        #expect(pty.waitForPrompt(after: mark))
        // Ctrl-D leaves; raw mode was undone. Sent once the line editor has the terminal in raw
        // mode again: a ^D that reaches a terminal still in canonical mode is taken by the tty as
        // end-of-file and does not survive the switch to raw mode (seen on a loaded machine).
        let rawDeadline = Date().addingTimeInterval(20)
        var mode = termios()
        while Date() < rawDeadline, tcgetattr(pty.slave, &mode) == 0, mode.c_lflag & tcflag_t(ICANON) != 0 { usleep(2_000) }
        pty.send([0x04])
        // Bounded: a session that does not leave fails the test instead of hanging CI.
        let deadline = Date().addingTimeInterval(60)
        while pty.process.isRunning, Date() < deadline { usleep(20_000) }
        #expect(!pty.process.isRunning, "Ctrl-D did not end the session: \(pty.text)")
        guard !pty.process.isRunning else { return }
        #expect(pty.process.terminationStatus == 0)
        var t = termios()
        #expect(tcgetattr(pty.slave, &t) == 0)
        #expect(t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0)
    }
}
