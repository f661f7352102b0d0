import Testing
import TestSupport
@testable import Barometer
@testable import Stats
import Values

/// The report card inside `analyze`: who is graded, what it is computed from, and that a
/// report card that cannot be computed never stops the rest of the findings.
@Suite("Analyzer: organizations' report card")
struct ReportCardAnalysisTests {
    static func request() -> AnalysisRequest { AnalyzerTests.request() }

    @Test("θ̂ and s come from each organization's paired table; organizations under the minimum are left out and counted")
    func inputs() throws {
        var observations: [Observation] = []
        // Eight organizations with 12 tests and different discordances, two with 4 tests.
        let tables = [(2, 6, 0, 4), (3, 4, 1, 4), (2, 3, 1, 6), (4, 2, 2, 4), (1, 1, 1, 9), (2, 5, 1, 4), (3, 1, 3, 5), (1, 7, 0, 4)]
        for (k, t) in tables.enumerated() { observations += AnalyzerTests.pairs(t.0, t.1, t.2, t.3, organization: "org\(k)") }
        observations += AnalyzerTests.pairs(1, 2, 0, 1, organization: "small1") + AnalyzerTests.pairs(0, 1, 1, 2, organization: "small2")
        let findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request())
        let card = try #require(findings.reportCards.first)
        #expect(card.rows.count == 8)
        #expect(card.leftOut == 2)
        let (estimates, errors, _) = try OrganizationEstimates.from(try tables.map { try PairedTable(both: $0.0, referenceOnly: $0.1, testedOnly: $0.2, neither: $0.3) })
        #expect(Set(card.rows.map(\.posterior.estimate)) == Set(estimates))
        #expect(Set(card.rows.map(\.posterior.standardError)) == Set(errors))
        // Same inputs, same card, whatever the pseudonyms.
        var other = Self.request()
        other.seed = 99
        let again = try #require(try Analyzer.analyze(ApplicationColumns(observations), other).reportCards.first)
        #expect(again.rows.map(\.posterior.mean).sorted() == card.rows.map(\.posterior.mean).sorted())
        #expect(again.grades.value == card.grades.value)
    }

    @Test("θ̂ = (b − c)/n and s² = (b + c − nθ̂²)/((n − 1)n); no variation gets the pooled SD")
    func estimates() throws {
        let (e, s, pooled) = try OrganizationEstimates.from([try PairedTable(both: 2, referenceOnly: 6, testedOnly: 0, neither: 4),
                                                              try PairedTable(both: 5, referenceOnly: 0, testedOnly: 0, neither: 7)])
        #expect(e == [0.5, 0])
        expectClose(s[0], ((6 - 12 * 0.25) / 11 / 12).squareRoot(), relativeTolerance: 1e-12)
        // The second has no discordant test: the pooled SD √(3/22) over √12.
        #expect(pooled == [1])
        expectClose(s[1], ((3.0 / 22).squareRoot()) / 12.0.squareRoot(), relativeTolerance: 1e-12)
    }

    @Test("too few organizations, or nothing to deconvolve: a note, and every other finding")
    func notes() throws {
        var few: [Observation] = []
        for k in 0..<3 { few += AnalyzerTests.pairs(3, 4 + k, 1, 4, organization: "o\(k)") }
        let a = try Analyzer.analyze(ApplicationColumns(few), Self.request())
        #expect(a.reportCards.isEmpty && !a.comparisons.isEmpty)
        #expect(a.notes.contains { $0.contains("3 organization(s) have at least 10 tests; it needs 5") })
        var same: [Observation] = []
        for k in 0..<6 { same += AnalyzerTests.pairs(6, 0, 0, 6, organization: "s\(k)") }
        let b = try Analyzer.analyze(ApplicationColumns(same), Self.request())
        #expect(b.reportCards.isEmpty && !b.comparisons.isEmpty)
        #expect(b.notes.contains { $0.hasPrefix("Report card (R vs T)") })
        var capped = Self.request()
        capped.reportCard?.maximumOrganizations = 5
        var many: [Observation] = []
        for k in 0..<6 { many += AnalyzerTests.pairs(3, 4 + k, 1, 4, organization: "m\(k)") }
        let c = try Analyzer.analyze(ApplicationColumns(many), capped)
        #expect(c.reportCards.isEmpty && c.notes.contains { $0.contains("6 organizations have at least 10 tests, more than 5") })
        var off = Self.request()
        off.reportCard = nil
        #expect(try Analyzer.analyze(ApplicationColumns(few), off).notes.allSatisfy { !$0.contains("Report card") })
    }
}
