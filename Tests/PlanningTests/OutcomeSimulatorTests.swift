import Foundation
import Testing
import TestSupport
@testable import Campaigns
@testable import Planning

@Suite("Simulated outcomes")
struct OutcomeSimulatorTests {
    static let scale = ["no_response", "refusal", "interview"]

    static func scenario(_ json: String) throws(CampaignValidationError) -> Scenario {
        try Scenario.parse(Data(json.utf8), file: "s.json", arms: ["R", "T"], scale: scale)
    }

    @Test("scenario mistakes are reported with their paths", arguments: [
        (#"{"outcomes": {"R": {"no_response": 1}}}"#, "$.outcomes", "gives no distribution for arm \"T\""),
        (#"{"outcomes": {"R": {"no_response": 1}, "T": {"interveiw": 1}}}"#, "$.outcomes.T.interveiw", "is not a level of the scale"),
        (#"{"outcomes": {"R": {"no_response": 0.5}, "T": {"no_response": 1}}}"#, "$.outcomes.R", "probabilities sum to 0.5, not 1"),
        (#"{"outcomes": {"R": {"no_response": 1}, "T": {"no_response": 1}, "X": {}}}"#, "$.outcomes.X", "is not an arm of the campaign"),
        (#"{"outcomes": {"R": {"no_response": 1}, "T": {"no_response": 1}}, "withinTestCorrelation": 2}"#, "$.withinTestCorrelation", "must lie between 0 and 1"),
        (#"{"outcomes": {"R": {"no_response": 1}, "T": {"no_response": 1}}, "corelation": 0.2}"#, "$.corelation", "unknown key"),
    ])
    func mistakes(json: String, path: String, message: String) {
        do {
            _ = try Self.scenario(json)
            Issue.record("accepted")
        } catch {
            #expect(error.issues.contains { $0.location == path && $0.message.contains(message) }, "\(error.issues)")
        }
    }

    @Test("draws are reproducible, follow the stated probabilities, and leave unsent applications pending")
    func draws() throws {
        let scenario = try Self.scenario(#"{"outcomes": {"R": {"no_response": 0.5, "refusal": 0.2, "interview": 0.3}, "T": {"no_response": 0.7, "interview": 0.3}}, "withinTestCorrelation": 0}"#)
        var applications: [OutcomeSimulator.Application] = []
        for test in 0..<20_000 {
            applications.append(.init(code: "T\(test)-1", test: "\(test)", arm: "R", sendAt: "2026-03-02T09:00"))
            applications.append(.init(code: "T\(test)-2", test: "\(test)", arm: "T", sendAt: test == 0 ? "2027-01-01T09:00" : "2026-03-03T10:00"))
        }
        let one = OutcomeSimulator.draw(applications, scenario: scenario, seed: 5, responseWindowDays: 14, today: "2026-11-22")
        let two = OutcomeSimulator.draw(applications, scenario: scenario, seed: 5, responseWindowDays: 14, today: "2026-11-22")
        #expect(one == two)
        #expect(one.count == applications.count - 1, "the application sent in 2027 stays pending")
        // Level frequencies of R within 4 standard errors of the stated probabilities.
        let r = one.filter { $0.code.hasSuffix("-1") }
        for (level, p) in [(0, 0.5), (1, 0.2), (2, 0.3)] {
            let share = Double(r.filter { $0.levelIndex == level }.count) / Double(r.count)
            #expect(abs(share - p) < 4 * (p * (1 - p) / Double(r.count)).squareRoot(), "level \(level): \(share)")
        }
        #expect(one.allSatisfy { $0.observedAt > "2026-03-02" && $0.observedAt <= "2026-03-17" })
    }

    @Test("within-test correlation: with ρ = 1 both arms share one draw, so the rarer outcome never splits the wrong way")
    func correlation() throws {
        let scenario = try Self.scenario(#"{"outcomes": {"R": {"no_response": 0.6, "interview": 0.4}, "T": {"no_response": 0.8, "interview": 0.2}}, "withinTestCorrelation": 1}"#)
        let applications = (0..<5000).flatMap { test in
            [OutcomeSimulator.Application(code: "\(test)-1", test: "\(test)", arm: "R", sendAt: "2026-03-02T09:00"),
             OutcomeSimulator.Application(code: "\(test)-2", test: "\(test)", arm: "T", sendAt: "2026-03-02T10:00")]
        }
        let draws = OutcomeSimulator.draw(applications, scenario: scenario, seed: 9, responseWindowDays: 7, today: "2026-11-22")
        // Comonotone draws: T positive implies R positive (u ≥ 0.8 ⇒ u ≥ 0.6).
        for pair in stride(from: 0, to: draws.count, by: 2) {
            #expect(!(draws[pair + 1].levelIndex == 1 && draws[pair].levelIndex == 0))
        }
    }

    @Test("heterogeneity shifts each organization's log-odds; none leaves the draws unchanged")
    func heterogeneity() throws {
        // The shift keeps a distribution and moves the positive mass on the log-odds scale.
        let shifted = OutcomeSimulator.shifted([0.5, 0.2, 0.3], by: log(3), threshold: 2)
        expectClose(shifted.reduce(0, +), 1)
        // logit(0.3) + log 3 → odds 0.3/0.7·3 = 9/7 → p = 9/16.
        expectClose(shifted[2], 9.0 / 16.0)
        expectClose(shifted[0] / shifted[1], 2.5)
        let plain = try Self.scenario(#"{"outcomes": {"R": {"no_response": 0.6, "interview": 0.4}, "T": {"no_response": 0.8, "interview": 0.2}}}"#)
        let hetero = try Self.scenario(#"{"outcomes": {"R": {"no_response": 0.6, "interview": 0.4}, "T": {"no_response": 0.8, "interview": 0.2}}, "organizationSD": 1, "discriminationSD": 1.5}"#)
        var applications: [OutcomeSimulator.Application] = []
        for test in 0..<2000 {
            let organization = "O\(test % 20)"
            applications.append(.init(code: "\(test)-1", test: "\(test)", arm: "R", sendAt: "2026-03-02T09:00", organization: organization))
            applications.append(.init(code: "\(test)-2", test: "\(test)", arm: "T", sendAt: "2026-03-02T10:00", organization: organization))
        }
        let a = OutcomeSimulator.draw(applications, scenario: plain, seed: 4, responseWindowDays: 7, today: "2026-11-22", reference: "R", threshold: 2)
        let b = OutcomeSimulator.draw(applications.map { .init(code: $0.code, test: $0.test, arm: $0.arm, sendAt: $0.sendAt) }, scenario: plain, seed: 4,
                                      responseWindowDays: 7, today: "2026-11-22")
        #expect(a == b, "without heterogeneity the organization changes nothing")
        let c = OutcomeSimulator.draw(applications, scenario: hetero, seed: 4, responseWindowDays: 7, today: "2026-11-22", reference: "R", threshold: 2)
        // Organizations now differ: the tested arm's positive share varies far more than binomial noise (100 tests each).
        var shares: [Double] = []
        for o in 0..<20 {
            let drawsT = zip(applications, c).filter { $0.0.organization == "O\(o)" && $0.0.arm == "T" }.map(\.1)
            shares.append(Double(drawsT.filter { $0.levelIndex == 2 }.count) / Double(drawsT.count))
        }
        let mean = shares.reduce(0, +) / 20
        let sd = (shares.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 19).squareRoot()
        #expect(sd > 0.1, "spread across organizations \(sd)")
    }
}
