// Footings as weights of the compiled model (docs/STATISTICS.md, "Footings"). A footing
// variant is a map from term id to weight applied with `CompiledModel.reweighted`, so every
// synthetic term is re-weighted wherever it is written — at top level, in loops, in
// conditionals — and no source text is edited:
//   real-only    every synthetic term at weight 0: the real data alone;
//   as-written   the model unchanged;
//   equal        every synthetic term at weight 1, as if its rows were real ("equal footing");
//   cap          every synthetic term at its node's cap weight (SyntheticWorth.capWeight);
//   calibrated   every synthetic term at its node's weight calibrated by simulation
//                (Calibration).
// A model without synthetic likelihood terms has only real-only and as-written (the same).
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// One footing variant of a model: weights by term id.
public struct FootingVariant: Sendable {
    public var name: String
    public var weights: [Int: Double]
    public init(name: String, weights: [Int: Double]) {
        self.name = name
        self.weights = weights
    }
}

public enum FootingVariants {
    public static let names = ["real-only", "as-written", "equal", "cap", "calibrated"]

    /// The synthetic likelihood terms of a compiled model (at any depth).
    public static func syntheticTerms(_ compiled: CompiledModel) -> [TermSummary] {
        compiled.terms.filter { $0.isLikelihood && $0.syntheticNode != nil }
    }

    /// The synthetic nodes with a likelihood term, in statement order.
    public static func syntheticNodes(_ compiled: CompiledModel) -> [String] {
        var seen: [String] = []
        for t in syntheticTerms(compiled) where !seen.contains(t.syntheticNode!) { seen.append(t.syntheticNode!) }
        return seen
    }

    /// Every synthetic term of `compiled` at its node's weight from `byNode`.
    public static func weights(_ compiled: CompiledModel, byNode: (String) -> Double) -> [Int: Double] {
        Dictionary(uniqueKeysWithValues: syntheticTerms(compiled).map { ($0.id, byNode($0.syntheticNode!)) })
    }

    /// The variants of `compiled`: all five when it has synthetic likelihood terms, else
    /// real-only and as-written. `cap` and `calibrated` are the nodes' weights.
    public static func variants(of compiled: CompiledModel, cap: [String: Double], calibrated: [String: Double]?)
        -> [FootingVariant]
    {
        var out = [FootingVariant(name: "real-only", weights: weights(compiled) { _ in 0 }),
                   FootingVariant(name: "as-written", weights: [:])]
        guard !syntheticTerms(compiled).isEmpty else { return out }
        out.append(FootingVariant(name: "equal", weights: weights(compiled) { _ in 1 }))
        out.append(FootingVariant(name: "cap", weights: weights(compiled) { cap[$0] ?? 0 }))
        if let calibrated {
            out.append(FootingVariant(name: "calibrated", weights: weights(compiled) { calibrated[$0] ?? 0 }))
        }
        return out
    }
}

/// Sets the weights of `cap` and `calibrated` terms.
public enum FootingWeights {
    /// The terms written with footing cap, and with footing calibrated.
    static func terms(_ compiled: CompiledModel) -> (cap: [TermSummary], calibrated: [TermSummary]) {
        var cap: [TermSummary] = [], calibrated: [TermSummary] = []
        for t in compiled.terms {
            switch t.footing {
            case .cap?: cap.append(t)
            case .calibrated?: calibrated.append(t)
            default: break
            }
        }
        return (cap, calibrated)
    }

    /// The weights of the cap and calibrated nodes of a compiled model (node → weight), to
    /// fix them for the replicates of a study.
    public static func nodeWeights(_ compiled: CompiledModel) -> [String: Double] {
        var out: [String: Double] = [:]
        for t in compiled.terms {
            switch t.footing {
            case .cap?, .calibrated?: if let n = t.syntheticNode { out[n] = t.weight ?? 0 }
            default: break
            }
        }
        return out
    }

    /// Gives every cap and calibrated term its weight: `fixed` (node → weight) where given,
    /// else the node's cap weight, and for calibrated nodes the weight of a calibration by
    /// simulation at the model's maximum-likelihood estimate.
    public static func apply(_ compiled: CompiledModel, model: CheckedModel, source: SourceFile, seed: UInt64,
                             fixed: [String: Double]? = nil) throws -> CompiledModel {
        let (capTerms, calibratedTerms) = terms(compiled)
        guard !capTerms.isEmpty || !calibratedTerms.isEmpty else { return compiled }
        let worth = try SyntheticWorth.all(model, compiled: compiled)
        var weights: [Int: Double] = [:]
        for t in capTerms + calibratedTerms {
            let node = t.syntheticNode!
            weights[t.id] = fixed?[node] ?? worth[node]?.capWeight ?? 0
        }
        var out = compiled.reweighted(weights)
        let open = Set(calibratedTerms.map { $0.syntheticNode! }).filter { fixed?[$0] == nil }
        guard !open.isEmpty else { return out }
        let calibration = try Calibration.run(out, model: model, source: source, nodes: open.sorted(), seed: seed)
        var calibrated: [Int: Double] = [:]
        for t in calibratedTerms where open.contains(t.syntheticNode!) {
            calibrated[t.id] = calibration.weights[t.syntheticNode!]?.weight ?? 0
        }
        out = out.reweighted(calibrated)
        return out
    }
}
