// Stan's and NumPyro's gradient timings measured in the same run, through the peers harness's
// gradient benchmark (`bench.py --peer stan|numpyro --model M --grad`, NumPyro in float64), when
// the harness (--peers DIR or $SYNM_PEERS) and its Python environment ($PEERS_VENV, else
// ~/.cache/synm-peers-venv) exist; otherwise the fixed reference figures of BenchModel are
// printed, marked as such. Results go to a temporary directory, never into the harness.
import Foundation

/// A peer's µs per gradient and whether this run measured it.
struct PeerTiming {
    var microseconds: Double
    var measured: Bool
}

/// The harness's interpreter, or nil when it is not set up.
func peersPython() -> String? {
    let env = ProcessInfo.processInfo.environment
    let venv = env["PEERS_VENV"] ?? (NSHomeDirectory() + "/.cache/synm-peers-venv")
    let python = venv + "/bin/python"
    return FileManager.default.isExecutableFile(atPath: python) ? python : nil
}

/// Runs `bench.py --grad` for one peer and model; nil (with a warning) when it fails.
func measurePeer(_ peer: String, model: BenchModel, harness: String, python: String, scratch: String,
                 seconds: Double) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    var arguments = [harness + "/bench.py", "--peer", peer, "--model", model.peerName, "--grad",
                     "--grad-time", String(seconds), "--out", scratch]
    if peer == "numpyro" { arguments.append("--x64") }
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
        report("synm-bench: warning: cannot run \(python): \(error)")
        return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    guard let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
          let seconds = object["sec_per_grad"] as? Double, seconds > 0 else {
        report("synm-bench: warning: \(peer) --grad on \(model.peerName) gave no timing (exit \(process.terminationStatus)); using the reference figure")
        return nil
    }
    return seconds * 1e6
}

/// Stan's and NumPyro f64's timings for `model`: measured when the harness is available.
func peerTimings(_ model: BenchModel, options: BenchOptions) -> (stan: PeerTiming, numpyro: PeerTiming) {
    var stan = PeerTiming(microseconds: model.stanMicroseconds, measured: false)
    var numpyro = PeerTiming(microseconds: model.numpyroMicroseconds, measured: false)
    // The loop models are not in the harness: their Stan figures come from
    // scripts/peers/stan_grad.py. Nor is the linear-algebra model (no peer figure at all).
    guard !options.referencePeers, !model.isLoopBenchmark, model.stanMicroseconds.isFinite, let harness = options.peersDirectory,
          FileManager.default.fileExists(atPath: harness + "/bench.py"), let python = peersPython() else {
        return (stan, numpyro)
    }
    let scratch = NSTemporaryDirectory() + "/synm-bench-peers-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    report("synm-bench: measuring Stan and NumPyro f64 on \(model.peerName) (bench.py --grad) …")
    if let us = measurePeer("stan", model: model, harness: harness, python: python, scratch: scratch,
                            seconds: options.peerSeconds) {
        stan = PeerTiming(microseconds: us, measured: true)
    }
    if let us = measurePeer("numpyro", model: model, harness: harness, python: python, scratch: scratch,
                            seconds: options.peerSeconds) {
        numpyro = PeerTiming(microseconds: us, measured: true)
    }
    return (stan, numpyro)
}
