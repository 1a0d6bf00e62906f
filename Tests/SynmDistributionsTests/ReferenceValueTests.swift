// Log densities against scipy.stats / mpmath reference values (ReferenceValues.swift).
import Testing
@testable import SynmDistributions

@Suite("Reference log densities")
struct ReferenceValueTests {
    @Test("every distribution has reference values")
    func coverage() {
        let covered = Set(referenceCases.map(\.distribution))
        #expect(covered == Set(Distribution.allCases))
    }

    @Test("log density matches the reference", arguments: referenceCases)
    func matchesReference(_ r: ReferenceCase) {
        let (lp, _) = evaluate(r.distribution, r.y, r.args)
        let convenience = Distribution.logDensity(r.distribution, r.y, args: r.args)
        #expect(lp == convenience || (lp.isNaN && convenience.isNaN))
        if r.value.isInfinite {
            #expect(lp == r.value, "\(r): got \(lp)")
        } else {
            // relative tolerance, with the absolute floor 1e-300 only to allow value 0
            let err = abs(lp - r.value) / max(abs(r.value), 1e-300)
            #expect(r.value == lp || err <= r.relTol,
                    "\(r): got \(lp), want \(r.value) (\(r.source)), rel err \(err)")
        }
    }

    @Test("outside the support the partials are zero")
    func outsidePartials() {
        for r in referenceCases where r.value == -.infinity {
            let (_, p) = evaluate(r.distribution, r.y, r.args)
            #expect(p.variate == 0 && p.a == 0 && p.b == 0 && p.c == 0, "\(r)")
        }
    }
}
