import Foundation
import Testing
import TestSupport
@testable import Barometer
@testable import Ledger
@testable import Stats
import Values

/// `analyze` on real TEPP studies against R (Fixtures/generate-analysis.R).
@Suite("Analysis of TEPP studies against R")
struct TEPPAnalysisTests {
    struct Study: Sendable, CustomTestStringConvertible {
        let id: String, arms: [String], reference: [String], slice: String, order: String?
        var testDescription: String { id }
    }

    static let studies = [
        Study(id: "inter1", arms: ["gender", "origin"], reference: ["Man", "F"], slice: "paris", order: "sentorder"),
        Study(id: "labour1", arms: ["hist"], reference: ["LTC"], slice: "paris", order: "sentorder"),
        Study(id: "mobility1", arms: ["gender", "licenses"], reference: ["Man", "Yes"], slice: "paris", order: "sentorder"),
        Study(id: "origin1", arms: ["nation", "lnation", "fnation"], reference: ["F", "F", "F"], slice: "reput", order: nil),
    ]

    /// study → "reference|tested" → key → value
    static let reference: [String: [String: [String: Double?]]] = {
        let url = Bundle.module.url(forResource: "analysis-reference", withExtension: "csv")!
        var result: [String: [String: [String: Double?]]] = [:]
        for line in try! String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("study,") {
            let f = line.split(separator: ",").map(String.init)
            result[f[0], default: [:]]["\(f[1])|\(f[2])", default: [:]][f[3]] = f[4] == "NA" ? nil : Double(f[4])!
        }
        return result
    }()

    /// Imports the study into a fresh ledger and analyses it as `barometre analyze` does.
    static func findings(_ study: Study, slices: [String]) throws -> Findings {
        let ledger = Ledger.inMemory()
        let folder = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp")
        _ = try ledger.importStudy(try Data(contentsOf: folder.appendingPathComponent("\(study.id).csv")), fileName: "\(study.id).csv",
                                   options: StudyImportOptions(id: study.id, targetColumn: "offer", armColumns: study.arms, reference: study.reference,
                                                               outcomeColumn: "callback", positiveValues: ["TRUE"], sliceColumns: [study.slice],
                                                               orderColumn: study.order))
        let records = try ledger.applications(campaign: study.id)
        let observations = records.map {
            Observation(test: $0.test, arm: $0.arm, replicate: $0.replicate, levelIndex: $0.positive.map { $0 ? 1 : 0 },
                        sendOrder: $0.sendOrder, attributes: $0.attributes)
        }
        return try Analyzer.analyze(ApplicationColumns(observations), AnalysisRequest(kind: .study, id: study.id, referenceArm: study.reference.joined(separator: "."),
                                                                  scale: Ledger.studyScale, thresholdIndex: 1, slices: slices))
    }

    @Test("every comparison equals R: table, rates, McNemar, regression, unpaired tests, Mantel–Haenszel, Breslow–Day", arguments: studies)
    func againstR(_ study: Study) throws {
        let findings = try Self.findings(study, slices: [study.slice])
        let expected = try #require(Self.reference[study.id])
        #expect(findings.comparisons.filter { $0.slice.isEmpty }.count == expected.count)
        for (key, values) in expected {
            let parts = key.split(separator: "|").map(String.init)
            let c = try #require(findings.comparisons.first { $0.reference == parts[0] && $0.tested == parts[1] && $0.slice.isEmpty })
            let p = try #require(c.paired)
            let t = p.table
            func check(_ name: String, _ actual: Double?, relative: Double = 1e-6) {
                guard let value = values[name] else { return }
                if let value { expectClose(actual, value, relativeTolerance: relative, "\(study.id) \(key) \(name)") }
            }
            check("tests", Double(c.tests)); check("both", Double(t.both)); check("referenceOnly", Double(t.referenceOnly))
            check("testedOnly", Double(t.testedOnly)); check("neither", Double(t.neither))
            check("rate.reference", p.referenceRate.estimate.value); check("rate.tested", p.testedRate.estimate.value)
            check("rate.reference.cp.lower", p.referenceRate.interval(.clopperPearson)?.value?.lower)
            check("rate.reference.cp.upper", p.referenceRate.interval(.clopperPearson)?.value?.upper)
            check("rate.tested.cp.lower", p.testedRate.interval(.clopperPearson)?.value?.lower)
            check("rate.tested.cp.upper", p.testedRate.interval(.clopperPearson)?.value?.upper)
            check("mcnemar.p", p.significance[.asymptotic]?.pValue)
            check("mcnemar-corrected.p", p.significance[.corrected]?.pValue)
            check("exact.p", p.significance[.exact]?.pValue)
            check("regression.estimate", c.regression.value?.estimate)
            check("regression.se", c.regression.value?.standardError)
            check("applications.reference", Double(c.applications.reference)); check("applications.tested", Double(c.applications.tested))
            check("positives.reference", Double(c.positives.reference)); check("positives.tested", Double(c.positives.tested))
            check("chisq.p", c.chiSquare.value?.pValue)
            check("fisher.p", c.independentFisher.value?.pValue)
            let stratified = try #require(findings.stratified.first { $0.reference == parts[0] && $0.tested == parts[1] && $0.by == study.slice })
            check("mh.or", stratified.mantelHaenszel?.oddsRatio.value)
            check("mh.lower", stratified.mantelHaenszel?.interval.value?.lower)
            check("mh.upper", stratified.mantelHaenszel?.interval.value?.upper)
            check("mh.p", stratified.mantelHaenszel?.test.pValue)
            check("bd.statistic", stratified.mantelHaenszel?.homogeneity.value?.statistic)
            check("bd.p", stratified.mantelHaenszel?.homogeneity.value?.pValue)
        }
    }

    @Test("inter1's paired counts are those of the TEPP README")
    func inter1README() throws {
        let findings = try Self.findings(Self.studies[0], slices: [])
        func table(_ tested: String) -> [Int]? {
            findings.comparisons.first { $0.tested == tested }?.paired.map { [$0.table.testedPositives + $0.table.referenceOnly, $0.table.referencePositives,
                                                                               $0.table.testedPositives, $0.table.neither, $0.table.referenceOnly,
                                                                               $0.table.testedOnly, $0.table.both] }
        }
        // ≥1 callback, R callbacks, T callbacks, neither, R only, T only, both
        #expect(table("Woman.F") == [113, 86, 70, 197, 43, 27, 43])
        #expect(table("Man.M") == [106, 86, 65, 204, 41, 20, 45])
        #expect(table("Woman.S") == [97, 86, 26, 213, 71, 11, 15])
        #expect(findings.comparisons.count == 7)
        // The 7 tested arms against Man.F are the primary family, Holm within it.
        #expect(findings.comparisons.allSatisfy { $0.family == .confirmatory && $0.holm != nil && $0.benjaminiHochberg == nil })
        #expect(findings.comparisons.map { $0.holm! } == (try Multiplicity.holm(findings.comparisons.map { $0.primaryP! })))
    }

    @Test("origin1 has two applications per arm to some offers: the max rule and the pattern tally")
    func maxRule() throws {
        let findings = try Self.findings(Self.studies[3], slices: [])
        let c = try #require(findings.comparisons.first { $0.tested == "M.M.M" })
        #expect(c.applications.reference > c.tests)  // several applications of one arm to one offer
        #expect(c.patterns.values.reduce(0, +) == c.tests)
        #expect(c.patterns.keys.contains { $0.reference == 2 || $0.tested == 2 } || c.applications.reference == c.tests)
    }
}
