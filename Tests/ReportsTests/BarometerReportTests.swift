import Testing
import TestSupport
@testable import Barometer
@testable import Reports
@testable import Stats
import Values

@Suite("Barometer reports")
struct BarometerReportTests {
    static func report(_ cells: (Int, Int, Int, Int), wave: Int) throws -> Report {
        var observations: [Observation] = []
        var n = 0
        for (count, r, t) in [(cells.0, 1, 1), (cells.1, 1, 0), (cells.2, 0, 1), (cells.3, 0, 0)] {
            for _ in 0..<count {
                n += 1
                observations.append(Observation(test: "\(n)", arm: "R", levelIndex: r))
                observations.append(Observation(test: "\(n)", arm: "T", levelIndex: t))
            }
        }
        let findings = try Analyzer.analyze(ApplicationColumns(observations), AnalysisRequest(kind: .campaign, id: "w\(wave)", referenceArm: "R",
                                                                          scale: ["negative", "positive"], thresholdIndex: 1))
        return Report(findings: findings, context: ReportContext(title: "Vague \(wave)", armLabels: ["T": "Profil testé"], wave: wave, date: "2026-11-22"),
                      language: .fr)
    }

    @Test("the change between waves: estimate, Wald interval as stated, bootstrap around it")
    func waves() throws {
        let one = try Self.report((10, 40, 10, 40), wave: 1), two = try Self.report((20, 20, 10, 50), wave: 2)
        let barometer = try BarometerReport(title: "B", territory: "T", date: "2026-11-22", language: .fr, entries: [
            BarometerEntry(domain: "employment", criterion: "origine", wave: 2, report: two),
            BarometerEntry(domain: "employment", criterion: "origine", wave: 1, report: one),
        ])
        let change = try #require(barometer.changes.first)
        // net₁ = (40 − 10)/60 = 0.5, net₂ = (20 − 10)/50 = 0.2.
        expectClose(change.fromNet, 0.5)
        expectClose(change.toNet, 0.2)
        let v1 = (40.0 / 60 + 10.0 / 60 - 0.25) / 60, v2 = (20.0 / 50 + 10.0 / 50 - 0.04) / 50
        let z = try Normal.twoSidedCritical(level: 0.95)
        expectClose(change.wald.lower, -0.3 - z * (v1 + v2).squareRoot())
        expectClose(change.wald.upper, -0.3 + z * (v1 + v2).squareRoot())
        #expect(change.bootstrap.contains(-0.3) && abs(change.bootstrap.lower - change.wald.lower) < 0.08)
        #expect(change.fromWave == 1 && change.toWave == 2)
        let html = BarometerRenderer.html(barometer)
        #expect(html.contains("Évolution entre vagues") && html.contains("1 → 2"))
        #expect(html.contains("Emploi — origine — vague 1 : Vague 1"))
        for entry in barometer.entries { for h in entry.report.headlines { #expect(html.contains(escape(h.sentence))) } }
        #expect(BarometerRenderer.markdown(barometer).contains("## Évolution entre vagues"))
        #expect(BarometerRenderer.json(barometer).contains("\"changes\""))
    }
}
