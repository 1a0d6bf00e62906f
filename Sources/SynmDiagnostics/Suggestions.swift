// "Did you mean …?" suggestions by edit distance.

/// The candidate closest to `name` by Damerau–Levenshtein distance (adjacent transpositions
/// count one edit), if it is close enough to be a plausible typo: at most 1 edit for names of
/// up to 3 characters, 2 up to 6, and 3 beyond, and always fewer edits than the name has
/// characters. Ties go to the earlier candidate.
public func closestMatch(to name: String, among candidates: [String]) -> String? {
    let a = Array(name.unicodeScalars)
    // Never more edits than leave one character standing: `x` suggests nothing.
    let limit = min(a.count <= 3 ? 1 : a.count <= 6 ? 2 : 3, a.count - 1)
    var best: (String, Int)?
    for c in candidates where c != name {
        let d = editDistance(a, Array(c.unicodeScalars))
        if d <= limit, best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
}

/// Optimal-string-alignment distance between two scalar arrays.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    if abs(a.count - b.count) > 3 { return abs(a.count - b.count) }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}
