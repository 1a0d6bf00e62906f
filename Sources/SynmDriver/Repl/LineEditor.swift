// The REPL's line editor: a pure state machine fed one byte at a time (so tests can drive it
// with the byte sequences a terminal sends), and the text that redraws the line.
//
// Keys: printable characters (UTF-8) insert; ← → (also Ctrl-B, Ctrl-F) move; Home, End,
// Ctrl-A, Ctrl-E jump; Backspace deletes before the cursor, Delete (and Ctrl-D on a non-empty
// line) under it; Ctrl-K and Ctrl-U delete to the end and the start; ↑ ↓ (also Ctrl-P, Ctrl-N)
// walk the history; Enter submits; Ctrl-C cancels the line; Ctrl-D on an empty line ends the
// session. Escape sequences: CSI (`ESC [ …`) and SS3 (`ESC O …`) forms.

/// What one byte did.
enum EditorEvent: Equatable {
    /// Nothing visible (inside an escape or UTF-8 sequence, or an ignored key).
    case none
    /// The line changed or the cursor moved: redraw.
    case redraw
    /// Enter: the finished line.
    case submit(String)
    /// Ctrl-C: the line is dropped.
    case cancel
    /// Ctrl-D on an empty line.
    case endOfInput
}

struct LineEditor {
    var prompt: String
    private(set) var buffer: [Unicode.Scalar] = []
    private(set) var cursor = 0
    private(set) var history: [String] = []
    /// Position in the history while walking it; history.count means the line being typed.
    private var historyIndex = 0
    private var draft: [Unicode.Scalar] = []
    private var escape: [UInt8]? = nil
    private var utf8: [UInt8] = []
    /// History entries kept.
    static let historyLimit = 1000

    init(prompt: String) { self.prompt = prompt }

    var line: String { String(String.UnicodeScalarView(buffer)) }

    /// Adds a submitted line to the history (not blank, not a repeat of the last one).
    mutating func remember(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), history.last != line else { return }
        history.append(line)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// Starts a new line.
    mutating func reset() {
        buffer = []
        cursor = 0
        historyIndex = history.count
        draft = []
        escape = nil
        utf8 = []
    }

    /// Feeds a sequence of bytes; returns the events in order.
    mutating func feed(_ bytes: [UInt8]) -> [EditorEvent] { bytes.map { feed($0) } }

    mutating func feed(_ byte: UInt8) -> EditorEvent {
        if var seq = escape {
            seq.append(byte)
            escape = seq
            return finishEscape(seq)
        }
        if !utf8.isEmpty || byte >= 0x80 { return feedUTF8(byte) }
        switch byte {
        case 0x1B: escape = []; return .none
        case 0x0D, 0x0A:
            let text = line
            remember(text)
            reset()
            return .submit(text)
        case 0x03:
            reset()
            return .cancel
        case 0x04:
            if buffer.isEmpty { return .endOfInput }
            return deleteForward()
        case 0x01: return move(to: 0)
        case 0x05: return move(to: buffer.count)
        case 0x02: return move(to: cursor - 1)
        case 0x06: return move(to: cursor + 1)
        case 0x7F, 0x08: return deleteBackward()
        case 0x0B:
            guard cursor < buffer.count else { return .none }
            buffer.removeSubrange(cursor...)
            return .redraw
        case 0x15:
            guard cursor > 0 else { return .none }
            buffer.removeSubrange(..<cursor)
            cursor = 0
            return .redraw
        case 0x10: return historyStep(-1)
        case 0x0E: return historyStep(1)
        case 0x09: return insert(" ")
        case 0x20...0x7E: return insert(Unicode.Scalar(byte))
        default: return .none
        }
    }

    private mutating func feedUTF8(_ byte: UInt8) -> EditorEvent {
        utf8.append(byte)
        let lead = utf8[0]
        let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        if lead < 0xC0 || lead > 0xF4 || (utf8.count > 1 && byte & 0xC0 != 0x80) {
            utf8 = []  // not UTF-8: drop it
            return .none
        }
        guard utf8.count == needed else { return .none }
        let bytes = utf8
        utf8 = []
        var decoder = UTF8()
        var it = bytes.makeIterator()
        if case .scalarValue(let s) = decoder.decode(&it), s.value >= 0xA0 { return insert(s) }
        return .none
    }

    private mutating func finishEscape(_ seq: [UInt8]) -> EditorEvent {
        guard let first = seq.first else { return .none }
        if first != UInt8(ascii: "[") && first != UInt8(ascii: "O") {
            escape = nil  // Alt-key or a lone ESC followed by something: ignore both
            return .none
        }
        guard seq.count >= 2 else { return .none }
        let last = seq[seq.count - 1]
        // CSI parameters are digits and ';'; the final byte is in 0x40…0x7E.
        if last >= 0x30 && last <= 0x3F {
            if seq.count > 8 { escape = nil }
            return .none
        }
        escape = nil
        let params = String(decoding: seq.dropFirst().dropLast(), as: UTF8.self)
        switch last {
        case UInt8(ascii: "A"): return historyStep(-1)
        case UInt8(ascii: "B"): return historyStep(1)
        case UInt8(ascii: "C"): return move(to: cursor + 1)
        case UInt8(ascii: "D"): return move(to: cursor - 1)
        case UInt8(ascii: "H"): return move(to: 0)
        case UInt8(ascii: "F"): return move(to: buffer.count)
        case UInt8(ascii: "~"):
            switch params {
            case "1", "7": return move(to: 0)
            case "4", "8": return move(to: buffer.count)
            case "3": return deleteForward()
            default: return .none
            }
        default: return .none
        }
    }

    private mutating func insert(_ s: Unicode.Scalar) -> EditorEvent {
        buffer.insert(s, at: cursor)
        cursor += 1
        return .redraw
    }

    private mutating func move(to position: Int) -> EditorEvent {
        let p = max(0, min(buffer.count, position))
        guard p != cursor else { return .none }
        cursor = p
        return .redraw
    }

    private mutating func deleteBackward() -> EditorEvent {
        guard cursor > 0 else { return .none }
        buffer.remove(at: cursor - 1)
        cursor -= 1
        return .redraw
    }

    private mutating func deleteForward() -> EditorEvent {
        guard cursor < buffer.count else { return .none }
        buffer.remove(at: cursor)
        return .redraw
    }

    private mutating func historyStep(_ delta: Int) -> EditorEvent {
        let target = historyIndex + delta
        guard target >= 0, target <= history.count, target != historyIndex else { return .none }
        if historyIndex == history.count { draft = buffer }
        historyIndex = target
        buffer = target == history.count ? draft : Array(history[target].unicodeScalars)
        cursor = buffer.count
        return .redraw
    }

    /// The bytes that redraw the line at the terminal: carriage return, prompt, text, clear to
    /// the end of the line, then the cursor moved back to its place.
    var rendering: String {
        var s = "\r" + prompt + line + "\u{1B}[K"
        let back = buffer.count - cursor
        if back > 0 { s += "\u{1B}[\(back)D" }
        return s
    }
}
