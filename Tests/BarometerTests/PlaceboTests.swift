import Stats
import Testing
import TestSupport
import Values
@testable import Barometer

/// The placebo comparison (issue #16 item 3): the reference arm's first application against
/// its second, in tests that received two.
@Suite("Placebo: the reference profile against itself")
struct PlaceboTests {
    /// SIMULATED: `tests` tests, two applications of each arm (k = 2), every application
    /// positive with the same probability given the offer's own disposition (no discrimination).
    static func noDiscrimination(tests: Int, seed: UInt64) -> [Observation] {
        let generator = SeededGenerator(seed: seed)
        var observations: [Observation] = []
        for test in 0..<tests {
            let p = generator.uniform() < 0.4 ? 0.6 : 0.1  // a responsive offer or not
            for (arm, replicate) in [("R", 1), ("R", 2), ("T", 1), ("T", 2)] {
                observations.append(Observation(test: "t\(test)", arm: arm, replicate: replicate, levelIndex: generator.uniform() < p ? 1 : 0))
            }
        }
        return observations
    }

    @Test("with no discrimination, the placebo and the main comparison agree within their intervals", arguments: [1, 2, 3] as [UInt64])
    func agree(seed: UInt64) throws {
        let findings = try Analyzer.analyze(ApplicationColumns(Self.noDiscrimination(tests: 600, seed: seed)),
                                            AnalysisRequest(kind: .campaign, id: "simulated", referenceArm: "R", scale: ["negative", "positive"],
                                                            thresholdIndex: 1, slices: []))
        let placebo = try #require(findings.placebo)
        #expect(placebo.tests == 600 && placebo.arm == "R")
        let noise = try #require(placebo.paired.difference.interval(.newcombe)?.value)
        let main = try #require(findings.comparisons.first { $0.slice.isEmpty }?.paired?.difference.interval(.newcombe)?.value)
        #expect(noise.lower <= 0 && 0 <= noise.upper, "placebo \(noise)")
        #expect(max(noise.lower, main.lower) <= min(noise.upper, main.upper), "placebo \(noise), main \(main)")
        // The two applications disagree in a share of tests that the offers' mixture predicts:
        // 0.4·2·0.6·0.4 + 0.6·2·0.1·0.9 = 0.30.
        #expect(abs(placebo.discordance - 0.30) < 0.05, "\(placebo.discordance)")
    }

    @Test("one application per arm: no placebo, and the JSON has no placebo key")
    func none() throws {
        let observations = Self.noDiscrimination(tests: 50, seed: 9).filter { $0.replicate == 1 }
        let findings = try Analyzer.analyze(ApplicationColumns(observations),
                                            AnalysisRequest(kind: .campaign, id: "simulated", referenceArm: "R", scale: ["negative", "positive"],
                                                            thresholdIndex: 1, slices: []))
        #expect(findings.placebo == nil)
        #expect(!findings.json.rendered().contains("\"placebo\""))
    }
}
