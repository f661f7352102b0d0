import Foundation
import Ledger
import Stats
import Testing
import TestSupport
import Values
@testable import Barometer

/// Applicant attributes as slices (issue #16 item 2), against R on TEPP inter1 with the
/// origin as the arm and the applicant's sex as the slice (generate-applicant-slices.R).
@Suite("Applicant attributes as slices (TEPP inter1 by sex, against R)")
struct ApplicantSliceTests {
    /// gender → tested → key → value
    static let reference: [String: [String: [String: Double]]] = {
        let url = Bundle.module.url(forResource: "applicant-slices-reference", withExtension: "csv")!
        var result: [String: [String: [String: Double]]] = [:]
        for line in try! String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("gender,") {
            let f = line.split(separator: ",").map(String.init)
            result[f[0], default: [:]][f[1], default: [:]][f[2]] = Double(f[3])!
        }
        return result
    }()

    static func findings(slices: [String]) throws -> Findings {
        let ledger = Ledger.inMemory()
        let folder = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp")
        _ = try ledger.importStudy(try Data(contentsOf: folder.appendingPathComponent("inter1.csv")), fileName: "inter1.csv",
                                   options: StudyImportOptions(id: "inter1", targetColumn: "offer", armColumns: ["origin"], reference: ["F"],
                                                               outcomeColumn: "callback", positiveValues: ["TRUE"], sliceColumns: ["gender", "paris"]))
        return try Analyzer.analyze(try ledger.applicationColumns(campaign: "inter1"),
                                    AnalysisRequest(kind: .study, id: "inter1", referenceArm: "F", scale: Ledger.studyScale, thresholdIndex: 1,
                                                    slices: slices, level: 0.95))
    }

    @Test("rates over every application with the value, the paired table within tests, mid-p, χ² and Fisher equal R")
    func againstR() throws {
        let findings = try Self.findings(slices: ["gender"])
        for (gender, byTested) in Self.reference {
            for (tested, values) in byTested {
                let c = try #require(findings.comparisons.first { $0.tested == tested && $0.slice == ["gender": gender] })
                #expect(c.sliceKind == .applicant)
                #expect(Double(c.applications.reference) == values["applications.reference"] && Double(c.applications.tested) == values["applications.tested"])
                #expect(Double(c.positives.reference) == values["positives.reference"] && Double(c.positives.tested) == values["positives.tested"])
                let rates = try #require(c.applicationRates)
                expectClose(rates.reference.estimate.value, values["rate.reference"]!, relativeTolerance: 1e-12)
                expectClose(rates.tested.estimate.value, values["rate.tested"]!, relativeTolerance: 1e-12)
                let table = try #require(c.paired?.table)
                #expect(Double(c.tests) == values["tests"])
                #expect([table.both, table.referenceOnly, table.testedOnly, table.neither].map(Double.init)
                        == [values["both"]!, values["referenceOnly"]!, values["testedOnly"]!, values["neither"]!])
                expectClose(try #require(c.primaryP), values["midp.p"]!, relativeTolerance: 1e-9)
                expectClose(try #require(c.chiSquare.value?.pValue), values["chisq.p"]!, relativeTolerance: 1e-9)
                expectClose(try #require(c.independentFisher.value?.pValue), values["fisher.p"]!, relativeTolerance: 1e-8)
            }
        }
        #expect(!findings.notes.contains { $0.contains("left out of the gender slices") })
    }

    @Test("a target attribute (one value per test) keeps its test-level slices, as before")
    func targetSlicesUnchanged() throws {
        let both = try Self.findings(slices: ["gender", "paris"])
        let alone = try Self.findings(slices: ["paris"])
        for c in alone.comparisons where !c.slice.isEmpty {
            let same = try #require(both.comparisons.first { $0.tested == c.tested && $0.slice == c.slice })
            #expect(same.sliceKind == .target && c.sliceKind == .target)
            #expect(same.tests == c.tests && same.paired?.table == c.paired?.table && same.primaryP == c.primaryP)
        }
    }
}
