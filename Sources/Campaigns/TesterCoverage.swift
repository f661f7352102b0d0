/// Whether a campaign's declared testers can conduct a call or visit test (issue #14): each
/// application of such a test needs its own tester, one who can play that application's arm.
/// This is a bipartite matching of the test's application slots to testers (Kuhn's
/// augmenting paths; a test has a handful of slots).
public enum TesterCoverage {
    /// The slots (one arm id per application of a test) that cannot all be given distinct
    /// eligible testers, or `nil` when they can. The returned arms are those left without a
    /// tester in a maximum matching.
    public static func uncovered(slots: [String], testers: [TesterDeclaration]) -> [String]? {
        var owner = [Int?](repeating: nil, count: testers.count)  // tester → slot
        func augment(_ slot: Int, _ seen: inout [Bool]) -> Bool {
            for t in testers.indices where testers[t].plays(slots[slot]) && !seen[t] {
                seen[t] = true
                if owner[t] == nil || augment(owner[t]!, &seen) {
                    owner[t] = slot
                    return true
                }
            }
            return false
        }
        var missing: [String] = []
        for slot in slots.indices {
            var seen = [Bool](repeating: false, count: testers.count)
            if !augment(slot, &seen) { missing.append(slots[slot]) }
        }
        return missing.isEmpty ? nil : missing
    }
}
