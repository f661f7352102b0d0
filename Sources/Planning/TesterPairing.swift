import Campaigns
import Stats

/// Who conducts each application of a call or visit test (issue #14; paired testing as in
/// the ILO/ISM-Corum and HUD housing discrimination studies): every application of a test
/// goes to a different tester who can play its arm, and over the campaign
/// - a tester meets an organization as few times as possible (two calls to one agency in
///   one voice are how a test is noticed),
/// - the tester teams rotate (each team used as evenly as possible),
/// - who goes first is balanced across the testers of an arm,
/// - the work is spread evenly.
///
/// Each goal is a sum of squared counts (meetings per tester and organization, uses per
/// team, first sends per tester, applications per tester), weighted 8 : 4 : 4 : 1 in that
/// order. The assignment is built greedily, test by test in a seeded random order (ties
/// broken by the plan's generator), then improved by best-response passes — each test in
/// turn takes the candidate that lowers the total most — until no test can improve it
/// (at most ``passes`` passes). Everything is deterministic given the seed. Reached on the
/// tests' phone campaign (60 tests, 10 agencies, 2 + 3 testers): meetings and loads as even
/// as possible, first sends within 2 among an arm's testers, teams within 2 (9–11 of 10).
///
/// The candidate assignments of a test — injective maps from its applications to testers
/// who can play their arms — are enumerated once (a test has a handful of applications and
/// a campaign a handful of testers; at most ``limit`` are kept).
struct TesterPairing {
    static let limit = 20_000
    static let passes = 50
    static let weights = (met: 8, team: 4, first: 4, load: 1)

    let testers: [TesterDeclaration]
    let candidates: [[Int]]
    /// Sorted tester indices of each candidate, as a team number.
    private let teamOf: [Int]

    init(testers: [TesterDeclaration], slotArms: [String]) {
        self.testers = testers
        var found: [[Int]] = []
        var current: [Int] = []
        var used = [Bool](repeating: false, count: testers.count)
        func extend() {
            if found.count >= Self.limit { return }
            if current.count == slotArms.count { found.append(current); return }
            for t in testers.indices where !used[t] && testers[t].plays(slotArms[current.count]) {
                used[t] = true; current.append(t)
                extend()
                current.removeLast(); used[t] = false
            }
        }
        extend()
        // Validation refuses a campaign whose testers cannot cover a call or visit test.
        precondition(!found.isEmpty, "validation let through testers who cannot cover a call or visit test")
        candidates = found
        var teams: [[Int]: Int] = [:]
        teamOf = found.map { candidate in
            let key = candidate.sorted()
            if let team = teams[key] { return team }
            teams[key] = teams.count
            return teams.count - 1
        }
    }

    /// The tester's name for each application slot of each test. `tests` gives each test's
    /// organization and its first slot in send order; `order` the seeded order to visit them.
    func assign(_ tests: [(organization: String, firstSlot: Int)], order: [Int], generator: SeededGenerator) -> [[String]] {
        let organizations = Array(Set(tests.map(\.organization))).sorted()
        let orgIndex = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($1, $0) })
        let T = testers.count
        var met = [Int](repeating: 0, count: organizations.count * T)
        var teamUses = [Int](repeating: 0, count: (teamOf.max() ?? 0) + 1)
        var firsts = [Int](repeating: 0, count: T), load = [Int](repeating: 0, count: T)
        var chosen = [Int](repeating: -1, count: tests.count)
        let w = Self.weights

        // The increase of the total when candidate c is added to test i (counts without i).
        func cost(_ c: Int, _ i: Int) -> Int {
            let o = orgIndex[tests[i].organization]! * T
            var total = w.team * (2 * teamUses[teamOf[c]] + 1) + w.first * (2 * firsts[candidates[c][tests[i].firstSlot]] + 1)
            for t in candidates[c] { total += w.met * (2 * met[o + t] + 1) + w.load * (2 * load[t] + 1) }
            return total
        }
        func apply(_ c: Int, _ i: Int, _ sign: Int) {
            let o = orgIndex[tests[i].organization]! * T
            teamUses[teamOf[c]] += sign
            firsts[candidates[c][tests[i].firstSlot]] += sign
            for t in candidates[c] { met[o + t] += sign; load[t] += sign }
        }

        for i in order {
            var best: [Int] = [], bestCost = Int.max
            for c in candidates.indices {
                let value = cost(c, i)
                if value < bestCost { bestCost = value; best = [c] } else if value == bestCost { best.append(c) }
            }
            chosen[i] = best[best.count == 1 ? 0 : generator.integer(below: best.count)]
            apply(chosen[i], i, 1)
        }
        for _ in 0..<Self.passes {
            var improved = false
            for i in order {
                apply(chosen[i], i, -1)
                var best = chosen[i], bestCost = cost(chosen[i], i)
                for c in candidates.indices {
                    let value = cost(c, i)
                    if value < bestCost { bestCost = value; best = c }
                }
                if best != chosen[i] { improved = true }
                chosen[i] = best
                apply(best, i, 1)
            }
            if !improved { break }
        }
        return chosen.map { candidates[$0].map { testers[$0].name } }
    }
}
