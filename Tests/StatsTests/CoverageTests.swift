import Testing
@testable import Stats

@Suite("Coverage simulation")
struct CoverageTests {
    @Test("Newcombe holds its level where Wald does not (rare outcomes, small n); reproducible by seed")
    func rareOutcomes() throws {
        // p_R = 0.05, p_T = 0.0375, 50 tests: Wald's difference interval is known to under-cover.
        let design = try Coverage.Design(tests: 50, referenceRate: 0.05, testedRate: 0.0375, discordance: 0.3)
        let results = try Coverage.run(design, simulations: 4000, seed: 11)
        func coverage(_ method: String) -> Double { results.first { $0.family == "difference" && $0.method == method }!.coverage }
        #expect(coverage("newcombe") > 0.94)
        #expect(coverage("wald") < 0.90)
        #expect(try Coverage.run(design, simulations: 4000, seed: 11) == results)
    }

    @Test("an impossible design is explained")
    func impossible() {
        #expect(throws: StatisticsError.self) { try Coverage.Design(tests: 10, referenceRate: 0.1, testedRate: 0.9, discordance: 0) }
    }
}
