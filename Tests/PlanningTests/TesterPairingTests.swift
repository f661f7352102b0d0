import Foundation
import Testing
import TestSupport
@testable import Campaigns
@testable import Planning

/// Calls and visits (issue #14 item 2): one tester per application of a test, playing only
/// the arms declared; teams rotate, who goes first is balanced, the plan is reproducible.
@Suite("Tester pairs for calls and visits")
struct TesterPairingTests {
    /// The all-channels fixture with every target by phone (k = 1, 3 arms), 10 organizations,
    /// and testers who play declared arms: two for the reference arm, three for the others.
    static func phoneCampaign() -> LoadedCampaign {
        let base = Fixture.allChannels(applicationsPerArm: 1)
        var campaign = base.campaign
        let arms = campaign.arms.map(\.id)
        campaign.design.testers = [
            TesterDeclaration(name: "Réf 1", arms: [arms[0]]), TesterDeclaration(name: "Réf 2", arms: [arms[0]]),
            TesterDeclaration(name: "Test 1", arms: [arms[1], arms[2]]), TesterDeclaration(name: "Test 2", arms: [arms[1], arms[2]]),
            TesterDeclaration(name: "Test 3", arms: [arms[1], arms[2]]),
        ]
        let targets = (0..<60).map { i in
            Target(id: "P\(i)", organization: "Agence \(i % 10)", sector: "agence", city: "Amiens", district: nil, channel: .phone,
                   title: "T\(i % 4 + 1) — \(500 + i) €", contact: "03 22 00 00 \(String(format: "%02d", i))")
        }
        for a in campaign.arms.indices {
            campaign.arms[a].identities = (0..<8).map { n in
                Identity(firstName: "P\(a)-\(n)", lastName: "N\(a)", email: nil, phone: "06 00 00 00 0\(n)", address: nil, attributes: nil)
            }
        }
        return LoadedCampaign(campaign: campaign, targets: targets, source: base.source, targetsSource: nil, url: base.url)
    }

    @Test("no test has one tester on two arms; each tester plays only their arms", arguments: [1, 2, 3, 20_261_130])
    func distinct(seed: UInt64) {
        let loaded = Self.phoneCampaign()
        let plan = Planner.plan(loaded, seed: seed)
        let declared = Dictionary(uniqueKeysWithValues: loaded.campaign.design.testers.map { ($0.name, $0) })
        for test in plan.tests {
            #expect(Set(test.applications.map(\.tester)).count == test.applications.count, "\(test.id)")
            for a in test.applications { #expect(declared[a.tester]?.plays(a.arm) == true, "\(a.id): \(a.tester) plays \(a.arm)") }
        }
    }

    @Test("teams rotate, who goes first is balanced, work is spread, a tester rarely meets an agency twice", arguments: [11, 12, 13, 14, 15, 16])
    func rotation(seed: UInt64) {
        let loaded = Self.phoneCampaign()
        let plan = Planner.plan(loaded, seed: seed)
        var teams: [String: Int] = [:], firsts: [String: Int] = [:], load: [String: Int] = [:], met: [String: Int] = [:]
        for test in plan.tests {
            teams[test.applications.map(\.tester).sorted().joined(separator: "+"), default: 0] += 1
            firsts[test.applications[0].tester, default: 0] += 1
            for a in test.applications {
                load[a.tester, default: 0] += 1
                met["\(a.tester)|\(a.organization)", default: 0] += 1
            }
        }
        // 2 reference testers × C(3, 2)·2 orderings of the tested ones: 12 teams as sets
        // {réf, test i, test j} → 2 × 3 = 6 sets, 60 tests: 10 each (within 2).
        #expect(teams.count == 6, "\(teams)")
        #expect(teams.values.max()! - teams.values.min()! <= 2, "\(teams)")
        // The reference testers play 60 calls between them, the tested ones 120.
        #expect(abs(load["Réf 1"]! - load["Réf 2"]!) <= 1, "\(load)")
        let tested = ["Test 1", "Test 2", "Test 3"].map { load[$0]! }
        #expect(tested.max()! - tested.min()! <= 1, "\(load)")
        // First in send order: each arm a third of the tests (balanced policy); within the
        // reference arm's 20 tests the two reference testers share the first calls (within 2).
        let referenceFirsts = [firsts["Réf 1"] ?? 0, firsts["Réf 2"] ?? 0]
        #expect(referenceFirsts.reduce(0, +) == 20 && abs(referenceFirsts[0] - referenceFirsts[1]) <= 2, "\(firsts) \(teams) \(load)")
        let testedFirsts = ["Test 1", "Test 2", "Test 3"].map { firsts[$0] ?? 0 }
        #expect(testedFirsts.max()! - testedFirsts.min()! <= 2, "\(firsts)")
        // Six tests per agency: each reference tester calls it 3 times, each tested one 4.
        for (key, count) in met {
            #expect(count <= (key.hasPrefix("Réf") ? 3 : 4), "\(key) \(count)")
        }
    }

    @Test("same campaign and seed: byte-identical plan; written tests keep one tester per test")
    func reproducible() {
        let loaded = Self.phoneCampaign()
        #expect(PlanWriter.csv(Planner.plan(loaded, seed: 5)) == PlanWriter.csv(Planner.plan(loaded, seed: 5)))
        #expect(PlanWriter.csv(Planner.plan(loaded, seed: 5)) != PlanWriter.csv(Planner.plan(loaded, seed: 6)))
    }

    @Test("coverage: one tester cannot run a phone test; restricted arms are checked by matching")
    func coverage() {
        let arms = ["a", "b", "c"]
        #expect(TesterCoverage.uncovered(slots: arms, testers: ["Seul"]) != nil)
        #expect(TesterCoverage.uncovered(slots: arms, testers: ["X", "Y", "Z"]) == nil)
        // Two testers can play only "a": "b" and "c" need two more.
        let restricted = [TesterDeclaration(name: "X", arms: ["a"]), TesterDeclaration(name: "Y", arms: ["a"]), TesterDeclaration(name: "Z")]
        #expect(TesterCoverage.uncovered(slots: arms, testers: restricted)?.count == 1)
        // A matching exists only if "Z" takes "c" and "W" takes "b".
        let tight = [TesterDeclaration(name: "X", arms: ["a", "b"]), TesterDeclaration(name: "W", arms: ["b"]), TesterDeclaration(name: "Z", arms: ["a", "c"])]
        #expect(TesterCoverage.uncovered(slots: arms, testers: tight) == nil)
    }
}
