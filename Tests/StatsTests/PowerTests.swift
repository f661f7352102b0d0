import Testing
import TestSupport
@testable import Stats

@Suite("Sample size and power for pairs")
struct PowerTests {
    @Test("Connor's pairs and exact mid-p power against R", arguments: ReferenceValues.shared.cases(in: "power").map(\.0))
    func againstR(_ fixture: ReferenceValues.Case) throws {
        for (key, expected) in ReferenceValues.shared.cases[fixture]! {
            let parts = key.split(separator: "|").map { Double($0) }
            if key.hasPrefix("pairs|") {
                let n = try PairedPower.pairsNeeded(p10: parts[1]!, p01: parts[2]!, alpha: fixture.level, power: parts[3]!)
                #expect(Double(n) == expected!, "\(key)")
            } else {
                let power = try PairedPower.midPPower(pairs: fixture.counts[0], p10: parts[1]!, p01: parts[2]!, alpha: fixture.level)
                expectClose(power, expected!, key)
            }
        }
    }

    @Test("power grows with the number of pairs")
    func monotone() throws {
        var previous = 0.0
        for n in [50, 100, 200, 400, 800] {
            let asymptotic = try PairedPower.asymptoticPower(pairs: n, p10: 0.1, p01: 0.05)
            #expect(asymptotic > previous)
            previous = asymptotic
        }
        // The exact power is saw-toothed in n (discreteness), but rises over doublings.
        let exact = try [100, 200, 400, 800].map { try PairedPower.midPPower(pairs: $0, p10: 0.1, p01: 0.05) }
        #expect(exact == exact.sorted())
    }

    @Test("Monte-Carlo simulation with the seeded GSL generator agrees with the exact power")
    func simulationAgrees() throws {
        // Given 469 pairs with p10 = 0.10, p01 = 0.05 (simulated data, seed 20261122),
        let n = 469, replications = 4000
        let generator = SeededGenerator(seed: 20261122)
        var rejections = 0
        for _ in 0..<replications {
            let discordant = generator.binomial(trials: n, probability: 0.15)
            let b = generator.binomial(trials: discordant, probability: 0.10 / 0.15)
            if McNemar.midP(b: b, c: discordant - b) <= 0.05 { rejections += 1 }
        }
        // Then the rejection rate is within 4 standard errors of the exact power.
        let exact = try PairedPower.midPPower(pairs: n, p10: 0.10, p01: 0.05)
        let rate = Double(rejections) / Double(replications)
        let se = (exact * (1 - exact) / Double(replications)).squareRoot()
        #expect(abs(rate - exact) < 4 * se, "simulated \(rate), exact \(exact)")
    }

    @Test("no difference to detect is an explained error")
    func equalProbabilities() {
        #expect(throws: StatisticsError.self) { try PairedPower.pairsNeeded(p10: 0.1, p01: 0.1) }
        #expect(throws: StatisticsError.self) { try PairedPower.pairsNeeded(p10: 0.7, p01: 0.5) }
        #expect(throws: StatisticsError.probabilityOutOfRange(name: "p10", value: 1.2)) {
            try PairedPower.pairsNeeded(p10: 1.2, p01: 0.1)
        }
    }
}
