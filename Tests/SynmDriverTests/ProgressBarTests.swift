// The progress line: it fits the terminal (no wrapping), names the phase and the time left,
// and is drawn only at a terminal. End to end at a pseudo-terminal 80 and 40 columns wide,
// and the line itself for every width from 12 to 200.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SynmDriver

@Suite struct ProgressBarTests {
    static func bar(tasks: Int, label: String = "", warmup: Int = 1000, draws: Int = 1000) -> ProgressBar {
        // A console that is not a terminal: the bar is inactive but renders for tests.
        ProgressBar(console: Console(out: StringSink(), err: StringSink()), label: label, tasks: tasks, total: warmup + draws,
                    phases: [.init("warmup", until: warmup), .init("sampling", until: warmup + draws)])
    }

    @Test func everyLineFitsItsWidth() {
        let states: [(Int, [Int], Double)] = [(4, [0, 0, 0, 0], 0), (4, [1999, 2000, 150, 1001], 31), (1, [7], 0.2),
                                                (16, Array(repeating: 1500, count: 16), 3600 * 50), (4, [2000, 2000, 2000, 2000], 9)]
        for (tasks, done, elapsed) in states {
            for label in ["", "fisher --expected"] {
                let b = Self.bar(tasks: tasks, label: label)
                for width in 12...200 {
                    let line = b.render(done: done, elapsed: elapsed, width: width)
                    #expect(line.count <= width - 1, "\(width): \(line)")
                    #expect(line.contains("%"), "\(width): \(line)")
                }
            }
        }
    }

    @Test func phaseAndETA() {
        let b = Self.bar(tasks: 2)
        let early = b.render(done: [500, 1200], elapsed: 10, width: 200)
        #expect(early.contains("warmup") && !early.contains("sampling"), "\(early)")
        // 1700 of 4000 steps in 10 s: 2300 left at 170 a second, 13.5 s.
        #expect(early.contains("ETA 14s") && early.contains("42%"), "\(early)")
        #expect(early.contains("chain 1: 500/2000") && early.contains("chain 2: 1200/2000"), "\(early)")
        let late = b.render(done: [1000, 1500], elapsed: 100, width: 200)
        #expect(late.contains("sampling") && late.contains("ETA 1m00s"), "\(late)")
        #expect(ProgressBar.eta(fraction: 0.001, elapsed: 5) == "--")
        #expect(ProgressBar.eta(fraction: 0.25, elapsed: 3600) == "3h00m")
        // At 80 columns four chains' counts do not fit: the total does.
        let narrow = Self.bar(tasks: 4).render(done: [100, 200, 300, 400], elapsed: 1, width: 80)
        #expect(narrow.contains("4 chains: 1000/8000") && narrow.contains("warmup") && narrow.contains("ETA"), "\(narrow)")
    }

    @Test func widthFromTheEnvironmentWhenNotATerminal() {
        #expect(ProgressBar.terminalWidth(fd: -1, environment: ["COLUMNS": "57"]) == 57)
        #expect(ProgressBar.terminalWidth(fd: -1, environment: ["COLUMNS": "wide"]) == 80)
        #expect(ProgressBar.terminalWidth(fd: -1, environment: [:]) == 80)
    }

    @Test func nothingIsDrawnWhenStandardErrorIsNotATerminal() {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "1", "--chains", "2", "--warmup", "300",
                                 "--draws", "300"])
        #expect(r.code == 0)
        #expect(!r.err.contains("\r") && !r.err.contains("█") && !r.err.contains("ETA"))
    }

    /// `synm run` at a pseudo-terminal `columns` wide: every redraw of the line fits.
    @Test(.enabled(if: ReplPtyTests.binary != nil), arguments: [80, 40])
    func atATerminalTheLineFits(columns: Int) throws {
        #if canImport(Glibc)
        var master: Int32 = -1, slave: Int32 = -1
        var ws = winsize(ws_row: 24, ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &ws) == 0)
        defer { close(master) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReplPtyTests.binary!)
        process.arguments = ["run", RunHarness.model("coin.synm"), "--seed", "1", "--chains", "4", "--warmup", "1000",
                             "--draws", "1000", "--refresh", "1", "--threads", "2"]
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["COLUMNS"] = "300"  // the terminal's own width wins
        process.environment = env
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        try process.run()
        close(slave)
        var output: [UInt8] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                output += buffer[0..<n]
            } else if !process.isRunning {
                break
            }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = String(decoding: output, as: UTF8.self)
            .replacingOccurrences(of: "\u{1B}[2K", with: "").replacingOccurrences(of: "\u{1B}[K", with: "")
        let lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).filter { $0.contains("%") }
        #expect(lines.count >= 2, "\(text.prefix(500))")
        for line in lines { #expect(line.count <= columns - 1, "\(line.count) columns: \(line)") }
        #expect(lines.contains { $0.contains("warmup") } && lines.contains { $0.contains("sampling") })
        #expect(lines.contains { $0.contains("ETA") } || columns < 50)
        #endif
    }
}
