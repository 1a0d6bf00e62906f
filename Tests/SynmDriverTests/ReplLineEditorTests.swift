// The line editor driven byte by byte, as a terminal sends keys.
import Testing
@testable import SynmDriver

@Suite struct ReplLineEditorTests {
    let esc: UInt8 = 0x1B
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    func csi(_ s: String) -> [UInt8] { [0x1B] + Array(("[" + s).utf8) }

    func submitted(_ events: [EditorEvent]) -> [String] {
        events.compactMap { if case .submit(let s) = $0 { return s } else { return nil } }
    }

    @Test func typingAndEditing() {
        var e = LineEditor(prompt: "> ")
        // "mean(x)" ← ← backspace "p" End then Enter: mean(p)
        var events = e.feed(bytes("mean(x)") + csi("D") + [0x7F] + bytes("p") + csi("F") + bytes("\r"))
        #expect(submitted(events) == ["mean(p)"])
        // Ctrl-A inserts at the start, Ctrl-E returns to the end; Home/End in their ~ forms.
        events = e.feed(bytes("(p)") + [0x01] + bytes("mean") + [0x05] + bytes(" + 1") + bytes("\r"))
        #expect(submitted(events) == ["mean(p) + 1"])
        events = e.feed(bytes("bc") + csi("1~") + bytes("a") + csi("4~") + bytes("d") + csi("H") + csi("3~") + bytes("\n"))
        #expect(submitted(events) == ["bcd"])
        // → at the end and ← at the start do nothing; Ctrl-B/Ctrl-F move too.
        events = e.feed(csi("D") + bytes("xz") + [0x02] + bytes("y") + [0x06] + csi("C") + bytes("\r"))
        #expect(submitted(events) == ["xyz"])
        // Ctrl-K and Ctrl-U.
        events = e.feed(bytes("abcdef") + csi("D") + csi("D") + [0x0B] + bytes("\r"))
        #expect(submitted(events) == ["abcd"])
        events = e.feed(bytes("abcdef") + csi("D") + csi("D") + [0x15] + bytes("\r"))
        #expect(submitted(events) == ["ef"])
        // UTF-8 input, one character per scalar.
        events = e.feed(bytes("σ²") + [0x7F] + bytes("\r"))
        #expect(submitted(events) == ["σ"])
    }

    @Test func historyWalksUpAndDownAndKeepsTheDraft() {
        var e = LineEditor(prompt: "> ")
        _ = e.feed(bytes("first\r") + bytes("second\r") + bytes("second\r") + bytes("   \r"))
        #expect(e.history == ["first", "second"])
        _ = e.feed(bytes("dra") + csi("A"))
        #expect(e.line == "second")
        _ = e.feed(csi("A") + csi("A"))
        #expect(e.line == "first")
        _ = e.feed(csi("B"))
        #expect(e.line == "second")
        _ = e.feed(csi("B"))
        #expect(e.line == "dra")
        _ = e.feed([0x10, 0x10])  // Ctrl-P
        let events = e.feed(bytes(" again") + [0x0D])
        #expect(submitted(events) == ["first again"])
    }

    @Test func controlKeys() {
        var e = LineEditor(prompt: "> ")
        #expect(e.feed(bytes("abc") + [0x03]).last == .cancel)
        #expect(e.line.isEmpty)
        #expect(e.feed(0x04) == .endOfInput)
        _ = e.feed(bytes("ab") + [0x01])
        #expect(e.feed(0x04) == .redraw)  // Ctrl-D on a non-empty line deletes under the cursor
        #expect(e.line == "b")
        // SS3 arrows (application cursor mode) and a lone ESC followed by a letter.
        e.reset()
        _ = e.feed(bytes("ab") + [esc] + bytes("OD") + bytes("X") + [esc] + bytes("q"))
        #expect(e.line == "aXb")
        // Rendering: carriage return, prompt, text, clear, cursor back one.
        #expect(e.rendering == "\r> aXb\u{1B}[K\u{1B}[1D")
    }

    @Test func randomBytesNeverCrashTheEditor() {
        var e = LineEditor(prompt: "> ")
        var state: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = e.feed(UInt8(truncatingIfNeeded: state >> 56))
            #expect(e.cursor >= 0 && e.cursor <= e.buffer.count)
        }
    }
}
