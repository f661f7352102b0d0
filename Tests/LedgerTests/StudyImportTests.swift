import Foundation
import Testing
import TestSupport
@testable import Ledger

/// One real TEPP study (../shared/data/tepp) with the figures it must import to.
struct TEPPStudy: Sendable, CustomTestStringConvertible {
    let file: String
    let arms: [String]
    let reference: [String]
    let slices: [String]
    let order: String?
    let tests: Int
    let armCount: Int
    let applications: Int
    let positives: Int
    var testDescription: String { file }

    var options: StudyImportOptions {
        StudyImportOptions(id: file, targetColumn: "offer", armColumns: arms, reference: reference, outcomeColumn: "callback",
                           positiveValues: ["TRUE"], sliceColumns: slices, orderColumn: order)
    }

    static let all: [TEPPStudy] = [
        TEPPStudy(file: "inter1", arms: ["gender", "origin"], reference: ["Man", "F"], slices: ["paris"], order: "sentorder",
                  tests: 310, armCount: 8, applications: 2480, positives: 422),
        TEPPStudy(file: "address1", arms: ["gender", "origin", "mediaexp"], reference: ["Man", "F", "No"], slices: ["reput"], order: "sentorder",
                  tests: 307, armCount: 8, applications: 3684, positives: 679),
        TEPPStudy(file: "mobility1", arms: ["gender", "licenses"], reference: ["Man", "Yes"], slices: ["paris", "cont"], order: "sentorder",
                  tests: 300, armCount: 4, applications: 1200, positives: 116),
        TEPPStudy(file: "labour1", arms: ["hist"], reference: ["LTC"], slices: ["paris", "cont"], order: "sentorder",
                  tests: 295, armCount: 5, applications: 1475, positives: 288),
        TEPPStudy(file: "labour2", arms: ["hist"], reference: ["LTC"], slices: ["paris", "cont"], order: "sentorder",
                  tests: 294, armCount: 5, applications: 1470, positives: 270),
        TEPPStudy(file: "gender1", arms: ["gender", "age", "child"], reference: ["Man", "25", "0"], slices: ["qual", "cv"], order: nil,
                  tests: 157, armCount: 6, applications: 942, positives: 722),
        TEPPStudy(file: "gender2", arms: ["gender", "educ"], reference: ["Man", "CAP"], slices: ["zip", "recgender"], order: "sentorder",
                  tests: 141, armCount: 6, applications: 564, positives: 94),
        TEPPStudy(file: "gender3", arms: ["gender", "educ"], reference: ["Man", "CAP"], slices: ["zip", "recgender"], order: "sentorder",
                  tests: 133, armCount: 6, applications: 532, positives: 59),
        TEPPStudy(file: "gender4", arms: ["gender", "educ"], reference: ["Man", "CAP"], slices: ["zip", "recgender"], order: "sentorder",
                  tests: 288, armCount: 6, applications: 1152, positives: 214),
        TEPPStudy(file: "origin1", arms: ["nation", "lnation", "fnation"], reference: ["F", "F", "F"], slices: ["educ", "reput"], order: nil,
                  tests: 141, armCount: 4, applications: 1097, positives: 34),
        TEPPStudy(file: "origin2", arms: ["nation", "lnation", "fnation"], reference: ["F", "F", "F"], slices: ["educ", "reput"], order: nil,
                  tests: 117, armCount: 4, applications: 936, positives: 89),
    ]
}

@Suite("Importing existing studies (TEPP)")
struct StudyImportTests {
    static let folder = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp")

    @Test("each TEPP file imports with its arms and counts", arguments: TEPPStudy.all)
    func tepp(_ study: TEPPStudy) throws {
        let ledger = Ledger.inMemory()
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(study.file).csv"))
        let summary = try ledger.importStudy(data, fileName: "\(study.file).csv", options: study.options, now: LedgerFixture.now)
        #expect(summary.tests == study.tests)
        #expect(summary.arms.count == study.armCount)
        #expect(summary.applications == study.applications)
        #expect(summary.positives == study.positives)
        #expect(summary.arms[study.reference.joined(separator: ".")] != nil)
        // Importing the same file again writes nothing.
        #expect(throws: LedgerError.self) { try ledger.importStudy(data, fileName: "\(study.file).csv", options: study.options, now: LedgerFixture.now) }
        #expect(try ledger.applications(campaign: study.file).count == study.applications)
        // Stored as columns: one row for the study, no row per application.
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM studyColumns") == 1)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 0)
    }

    @Test("inter1's paired tables are those of the TEPP README")
    func inter1Tables() throws {
        let ledger = Ledger.inMemory()
        let study = TEPPStudy.all[0]
        _ = try ledger.importStudy(try Data(contentsOf: Self.folder.appendingPathComponent("inter1.csv")), fileName: "inter1.csv",
                                   options: study.options, now: LedgerFixture.now)
        let rows = try ledger.applications(campaign: "inter1")
        var positive: [String: [String: Bool]] = [:]
        for row in rows { positive[row.test, default: [:]][row.arm] = row.positive }
        func table(_ tested: String) -> [Int] {
            var cells = [0, 0, 0, 0]  // both, reference only, tested only, neither
            for arms in positive.values {
                let r = arms["Man.F"]!, t = arms[tested]!
                cells[r && t ? 0 : r ? 1 : t ? 2 : 3] += 1
            }
            return cells
        }
        #expect(table("Woman.F") == [43, 43, 27, 197])
        #expect(table("Man.M") == [45, 41, 20, 204])
        #expect(table("Woman.S") == [15, 71, 11, 213])
        // Send order comes from sentorder; slices from paris.
        #expect(rows.allSatisfy { $0.attributes["paris"] != nil })
    }

    @Test("several applications of one arm to one target are kept as replicates")
    func replicates() throws {
        let ledger = Ledger.inMemory()
        let study = TEPPStudy.all[1]  // address1: two per arm and offer for some arms
        _ = try ledger.importStudy(try Data(contentsOf: Self.folder.appendingPathComponent("address1.csv")), fileName: "address1.csv",
                                   options: study.options, now: LedgerFixture.now)
        let rows = try ledger.applications(campaign: "address1")
        #expect(rows.contains { $0.replicate == 2 })
        #expect(rows.filter { $0.replicate == 2 }.count == 3684 - 307 * 8)
    }

    @Test("wrong options are explained", arguments: [
        (StudyImportOptions(id: "x", targetColumn: "ofer", armColumns: ["hist"], reference: ["LTC"], outcomeColumn: "callback"), "no such column (did you mean \"offer\"?)"),
        (StudyImportOptions(id: "x", targetColumn: "offer", armColumns: ["hist"], reference: ["XYZ"], outcomeColumn: "callback"), "no application belongs to the reference arm \"XYZ\""),
        (StudyImportOptions(id: "x", targetColumn: "offer", armColumns: ["hist", "paris"], reference: ["LTC"], outcomeColumn: "callback"), "--reference gives 1 value for 2 arm columns"),
    ])
    func wrongOptions(options: StudyImportOptions, message: String) throws {
        let ledger = Ledger.inMemory()
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("labour1.csv"))
        do {
            _ = try ledger.importStudy(data, fileName: "labour1.csv", options: options)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM campaign") == 0)
    }
}
