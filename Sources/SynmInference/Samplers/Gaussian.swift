// Standard normal draws for the samplers: Marsaglia's polar method with no cached second
// value, so a draw depends only on the generator's state (determinism, STYLE habit 10).
//
// [1] Marsaglia & Bray 1964, "A convenient method for generating normal variables", SIAM Rev. 6(3).

import Foundation
import SynmMath

extension RandomNumberGenerator {
    /// One N(0, 1) draw by the polar method [1]: draw (u, v) uniform on the square [−1, 1]²
    /// until 0 < s = u² + v² < 1, return u·√(−2 log s / s). The companion v·√(…) is discarded
    /// rather than cached, so the generator is the only state. Uses on average 2.55 uniforms.
    @inlinable public mutating func standardNormal() -> Double {
        while true {
            let u = 2 * uniform01() - 1
            let v = 2 * uniform01() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * log(s) / s).squareRoot()
            }
        }
    }
}

