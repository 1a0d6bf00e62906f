// Up-front checks of sizes and counts against the machine's memory, so that a request that
// cannot fit is refused with a message before anything is allocated, rather than aborting
// the process on allocation (or trapping on an Int32 conversion).
import Foundation

/// The memory available to one synm process and the largest array it indexes.
public enum MemoryBudget {
    /// The machine's physical memory in bytes (ProcessInfo).
    public static var physicalBytes: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// The largest number of elements one array (a parameter, a data node, a local) may hold:
    /// the compiled program indexes arrays with 32-bit integers.
    public static let maxElements = Int(Int32.max)

    /// Whether `bytes` exceed the physical memory.
    public static func exceeds(_ bytes: Double) -> Bool {
        !(bytes <= physicalBytes)
    }

    /// `12 GB`, `3.5 TB`: a byte count for messages.
    public static func describe(_ bytes: Double) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var v = bytes, k = 0
        while v >= 1000, k < units.count - 1 {
            v /= 1000
            k += 1
        }
        if !v.isFinite || v >= 1000 { return "more than 1000 EB" }
        let text = v >= 100 || k == 0 ? String(Int(v.rounded())) : String(format: "%.1f", v)
        return "\(text) \(units[k])"
    }

    /// "needs about X, but this machine has Y of memory".
    public static func shortfall(_ bytes: Double) -> String {
        "needs about \(describe(bytes)), but this machine has \(describe(physicalBytes)) of memory"
    }
}
