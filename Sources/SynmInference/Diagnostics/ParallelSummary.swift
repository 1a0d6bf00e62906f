// `summarize(chains:)` of many quantities at once, spread over threads. Each quantity's summary
// reads only its own draws, so the result is the same, bit for bit, for any thread count.

import Dispatch
import Synchronization

/// The summaries of `count` quantities, quantity k's draws chain by chain being `draws(k)`,
/// computed on up to `threads` threads (worker w takes every threads-th quantity) and
/// returned in quantity order: the same values as `(0..<count).map { summarize(chains: draws($0)) }`.
public func summarize(count: Int, threads: Int, draws: @escaping @Sendable (Int) -> [[Double]]) -> [ParameterSummary] {
    let workers = Swift.max(1, Swift.min(threads, count))
    if workers == 1 { return (0..<count).map { summarize(chains: draws($0)) } }
    let results = Mutex<[ParameterSummary?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for k in stride(from: worker, to: count, by: workers) {
            let s = summarize(chains: draws(k))
            results.withLock { $0[k] = s }
        }
    }
    return results.withLock { $0 }.map { $0! }
}
