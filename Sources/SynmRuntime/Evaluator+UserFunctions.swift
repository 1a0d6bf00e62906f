// Calls of user-defined functions: the inlined body runs on the same tape as the rest of the
// model (Compiler+Functions.swift), then the result slot is read.
import SynmAutodiff
import SynmDiagnostics

extension Evaluator {
    mutating func inlined(_ call: InlinedCall) -> RV {
        guard failure == nil else { return .scalar(.nan) }
        execute(call.body)
        if failure != nil {
            // A failure inside the body: located there, and saying which call met it.
            failure!.message = withCallSite(failure!.message, call.callSite)
            return .scalar(.nan)
        }
        return lets[call.result]
    }
}
