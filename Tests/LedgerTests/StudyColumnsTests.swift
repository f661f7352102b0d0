import Foundation
import GRDB
import Testing
import Values
import TestSupport
@testable import Campaigns
@testable import Ledger

/// Studies stored as columns (migration v3): the same ledger, as seen by every reader, as
/// a row-by-row import; imported answers keep event ids and can be corrected.
@Suite("imported studies stored as columns")
struct StudyColumnsTests {
    static let folder = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp")

    func inter1() throws -> (Ledger, StudySummary) {
        let ledger = Ledger.inMemory()
        let summary = try ledger.importStudy(try Data(contentsOf: Self.folder.appendingPathComponent("inter1.csv")), fileName: "inter1.csv",
                                             options: TEPPStudy.all[0].options, now: LedgerFixture.now)
        return (ledger, summary)
    }

    @Test("the columns survive encoding, and a damaged blob is refused")
    func roundTrip() throws {
        var columns = StudyColumns()
        columns.targets = ["a", "b-2", "é"]
        columns.testSize = [2, 1, 300]
        columns.testOrganization = [-1, 0, 0]
        columns.testAttributes = [0, 1, 0]
        columns.arms = ["R", "T"]
        columns.organizations = ["org"]
        columns.attributeTexts = ["{}", "{\"region\":\"nord\"}"]
        columns.arm = (0..<303).map { Int32($0 % 2) }
        columns.sendOrder = (0..<303).map { $0 == 5 ? -1 : Int32($0 + 1) }  // 2-byte values, one unknown
        columns.attributes = (0..<303).map { Int32($0 % 2) }
        columns.positive = (0..<303).map { UInt8($0 % 3 == 0 ? 1 : 0) }
        let data = columns.encoded()
        #expect(StudyColumns(data) == columns)
        #expect(StudyColumns(data.dropLast()) == nil)
        #expect(StudyColumns(Data("BRSC".utf8) + Data([1]) + data.dropFirst(5)) == nil)  // format 2's bytes are not format 1
        #expect(StudyColumns(Data("BRSC".utf8) + Data([3]) + data.dropFirst(5)) == nil)  // no format 3
        // Decoded where the bytes are (as SQLite's row holds them): the same, and the same refusals.
        #expect(data.withUnsafeBytes { StudyColumns($0) } == columns)
        #expect(data.dropLast().withUnsafeBytes { StudyColumns($0) } == nil)
    }

    @Test("a stored blob that cannot be decoded is reported by the ledger, not read as an empty study")
    func damagedStoredBlob() throws {
        let (ledger, _) = try inter1()
        try ledger.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER studyColumns_noUpdate")
            try db.execute(sql: "UPDATE studyColumns SET data = x'4252534302' WHERE campaignId = 'inter1'")
        }
        do {
            _ = try ledger.applicationColumns(campaign: "inter1")
            Issue.record("a damaged blob was read")
        } catch {
            #expect(error.description.contains("the stored columns of study inter1 cannot be read"))
        }
    }

    @Test("an imported answer has an event id; record refuses a second first answer; a correction supersedes it")
    func correction() throws {
        let (ledger, summary) = try inter1()
        // The analysis's columns leave the targets unnamed (it never names a test): the
        // tests are counted by where they start, the same columns otherwise.
        let unnamed = try ledger.applicationColumns(campaign: "inter1")
        let stored = try #require(try ledger.read { db in try StoredStudy.load(db, campaign: "inter1") })
        let named = stored.analysisColumns(scale: Ledger.studyScale, overlays: [])
        #expect(unnamed.tests.isEmpty && named.tests.count == summary.tests && unnamed.testCount == summary.tests)
        #expect(unnamed.testStarts == named.testStarts && unnamed.testStarts?.count == summary.tests + 1)
        #expect(unnamed.arm == named.arm && unnamed.level == named.level && unnamed.test == named.test && unnamed.attributes == named.attributes
                && unnamed.organization == named.organization && unnamed.attributeSets == named.attributeSets)
        let before = try ledger.applications(campaign: "inter1")
        let first = before[0]
        #expect(first.application == "1-1" && first.outcome != nil && first.eventID != nil)
        // history names the imported answer by its id, without writing anything.
        let history = try ledger.history(application: first.application, campaign: "inter1")
        #expect(history.count == 1 && history[0].id == first.eventID && history[0].source == "study" && history[0].recordedBy == "import-study")
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 0)
        // A first answer is refused (the file gave one), and nothing is written.
        #expect(throws: LedgerError.self) {
            try ledger.record(OutcomeRequest(application: first.application, campaign: "inter1", level: "negative", observedAt: "2026-01-05", recordedBy: "me"),
                              now: LedgerFixture.now)
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 0)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 0)
        // A correction keeps the imported answer, under its id, and supersedes it.
        let flipped = first.outcome == "positive" ? "negative" : "positive"
        let correction = try ledger.correct(eventID: first.eventID!, with: OutcomeRequest(application: first.application, campaign: "inter1", level: flipped,
                                                                                             observedAt: "2026-01-05", recordedBy: "me", note: "typo in the file"),
                                            now: LedgerFixture.now)
        #expect(correction.supersedes == first.eventID)
        let after = try ledger.history(application: first.application, campaign: "inter1")
        #expect(after.map(\.id) == [first.eventID!, correction.id])
        #expect(after[0].level == first.outcome && after[0].supersededBy == correction.id)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 1)
        // Every reader sees the answer in force, and nothing else changed.
        let rows = try ledger.applications(campaign: "inter1")
        #expect(rows.count == before.count)
        #expect(rows[0].outcome == flipped && rows[0].eventID == correction.id && rows[0].observedAt == "2026-01-05")
        #expect(Array(rows.dropFirst()) == Array(before.dropFirst()))
        let columns = try ledger.applicationColumns(campaign: "inter1")
        #expect(columns.count == summary.applications)
        #expect(columns.level[0] == Int32(Ledger.studyScale.firstIndex(of: flipped)!))
        // A corrected answer is found by its code: the targets were read this time.
        #expect(columns.tests.count == summary.tests && columns.testCount == summary.tests)
        let events = try ledger.events(campaign: "inter1")
        #expect(events.count == summary.applications + 1)
        #expect(events.map(\.id) == events.map(\.id).sorted())
        let status = try #require(try ledger.status().first { $0.campaign == "inter1" })
        #expect(status.planned == summary.applications && status.answered == summary.applications)
        // Correcting the same imported answer twice is refused.
        #expect(throws: LedgerError.self) {
            try ledger.correct(eventID: first.eventID!, with: OutcomeRequest(application: first.application, level: "negative", recordedBy: "me"),
                               now: LedgerFixture.now)
        }
    }

    @Test("the imported answers' ids are reserved: later events take ids after them")
    func reservedIDs() throws {
        let (ledger, summary) = try inter1()
        let rows = try ledger.applications(campaign: "inter1")
        let ids = rows.compactMap(\.eventID)
        #expect(Set(ids).count == summary.applications)
        #expect(ids.min()! >= 1 && ids.max()! == ids.min()! + Int64(summary.applications) - 1)
        let last = rows[rows.count - 1]
        let correction = try ledger.correct(eventID: last.eventID!, with: OutcomeRequest(application: last.application, campaign: "inter1", level: "negative",
                                                                                            observedAt: "2026-01-05", recordedBy: "me"),
                                            now: LedgerFixture.now)
        #expect(correction.id > ids.max()!)
        // A second study gets the next block.
        let second = try ledger.importStudy(try Data(contentsOf: Self.folder.appendingPathComponent("labour1.csv")), fileName: "labour1.csv",
                                            options: TEPPStudy.all[3].options, now: LedgerFixture.now)
        let secondIDs = try ledger.applications(campaign: "labour1").compactMap(\.eventID)
        #expect(secondIDs.count == second.applications && secondIDs.min()! > correction.id)
    }

    @Test("distinct fields get positions in order of first appearance, through table growth")
    func fieldPositions() {
        var positions = TextPositions()
        let words = (0..<5000).map { "w\($0 % 1700)" } + ["", "é", "w1"]
        let got = words.map { positions.position($0) }
        var expected: [String: Int32] = [:]
        for word in words where expected[word] == nil { expected[word] = Int32(expected.count) }
        #expect(got == words.map { expected[$0]! })
        #expect(positions.values.count == expected.count && positions.values.first == "w0")
        // Looked up without adding: every value found at its position, absent ones not found.
        func lookup(_ word: String) -> Int32? { var word = word; return word.withUTF8 { positions.lookup($0) } }
        #expect(expected.allSatisfy { lookup($0.key) == $0.value })
        #expect(lookup("w1700") == nil && lookup("w") == nil && lookup("e") == nil)
        #expect(positions.values.count == expected.count)
    }

    /// A test's slice values are those all its applications share; the applications keep
    /// their own. Sets are numbered as they are first met, test after test (the tests are
    /// written in two halves, the shared sets of mixed tests afterwards, in test order).
    @Test("a test whose applications differ on a slice keeps the values they share; sets are numbered in order of first use")
    func mixedSlices() throws {
        var lines = ["offer,arm,callback,region,gender"]
        for k in 0..<40 {
            // Tests 7 and 31 (one in each half) mix genders; every other test has one.
            let mixed = k == 7 || k == 31
            lines.append("o\(k),A,TRUE,r\(k % 3),\(mixed ? "F" : "M")")
            lines.append("o\(k),B,FALSE,r\(k % 3),M")
        }
        let ledger = Ledger.inMemory()
        let options = StudyImportOptions(id: "mixed", targetColumn: "offer", armColumns: ["arm"], reference: ["A"], outcomeColumn: "callback",
                                         sliceColumns: ["region", "gender"])
        _ = try ledger.importStudy(Data((lines.joined(separator: "\n") + "\n").utf8), fileName: "mixed.csv", options: options, now: LedgerFixture.now)
        let stored = try #require(try ledger.read { db in try StoredStudy.load(db, campaign: "mixed") }).columns
        let texts = stored.testAttributes.map { stored.attributeTexts[Int($0)] }
        #expect(texts[7] == #"{"region":"r1"}"# && texts[31] == #"{"region":"r1"}"#)
        #expect(texts[0] == #"{"gender":"M","region":"r0"}"# && texts[8] == #"{"gender":"M","region":"r2"}"#)
        // The file's sets in order of first use, then the shared one of test 7.
        #expect(stored.attributeTexts == ["{}", #"{"gender":"M","region":"r0"}"#, #"{"gender":"M","region":"r1"}"#,
                                         #"{"gender":"M","region":"r2"}"#, #"{"gender":"F","region":"r1"}"#, #"{"region":"r1"}"#])
        #expect(stored.attributes[14] == 4 && stored.attributes[15] == 2)
    }

    @Test("a new ledger's file has 16 KiB pages; one created with 4 KiB pages keeps them and holds the same study")
    func pageSize() throws {
        try withScratchFolder("page-size") { folder in
            let fresh = folder.appendingPathComponent("fresh.sqlite").path, older = folder.appendingPathComponent("older.sqlite").path
            // A ledger file from before: SQLite's default page size.
            try DatabaseQueue(path: older).writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE earlier (x)")
            }
            var read: [[Int32]] = []
            for (path, expected) in [(fresh, Ledger.pageSize), (older, 4096)] {
                let ledger = try Ledger.open(path: path)
                _ = try StudyColumnsFormatTests.inter1(into: ledger)
                #expect(try ledger.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == expected)
                let columns = try ledger.applicationColumns(campaign: "inter1")
                read.append(columns.arm + columns.level + columns.test)
            }
            #expect(Ledger.pageSize == 16_384 && read[0] == read[1] && read[0].count > 1000)
        }
    }

    @Test("a study with no slice, organization or order column")
    func bare() throws {
        let ledger = Ledger.inMemory()
        let csv = "offer,arm,callback\nx,A,TRUE\nx,B,FALSE\ny,B,TRUE\ny,A,TRUE\ny,A,NO\n"
        let summary = try ledger.importStudy(Data(csv.utf8), fileName: "bare.csv",
                                             options: StudyImportOptions(id: "bare", targetColumn: "offer", armColumns: ["arm"], reference: ["A"], outcomeColumn: "callback"),
                                             now: LedgerFixture.now)
        #expect(summary.tests == 2 && summary.applications == 5 && summary.positives == 3 && summary.arms == ["A": 3, "B": 2])
        let rows = try ledger.applications(campaign: "bare")
        #expect(rows.map(\.application) == ["x-1", "x-2", "y-1", "y-2", "y-3"])
        #expect(rows.map(\.replicate) == [1, 1, 1, 1, 2])
        #expect(rows.allSatisfy { $0.attributes.isEmpty && $0.organization == nil && $0.sendOrder == nil })
    }

    @Test("the stored columns cannot be changed or deleted")
    func appendOnly() throws {
        let (ledger, _) = try inter1()
        for sql in ["UPDATE studyColumns SET positives = 0", "DELETE FROM studyColumns"] {
            #expect(throws: DatabaseError.self) { try ledger.writer.write { db in try db.execute(sql: sql) } }
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM studyColumns") == 1)
    }

    @Test("quoted fields, CRLF, a byte-order mark and blank lines read as RFC 4180 says")
    func csv() throws {
        let text = "\u{FEFF}a, b ,c\r\n1,\"x, \"\"y\"\"\",  z \r\n\r\n,,\n2,\"two\nlines\",w\n3,q,r"
        let rows = try CSVRows(Data(text.utf8))
        #expect(rows.header == ["a", "b", "c"])
        #expect(rows.lines == [2, 5, 7])
        #expect((0..<rows.count).map { rows.fields($0) } == [["1", "x, \"y\"", "z"], ["2", "two\nlines", "w"], ["3", "q", "r"]])
        let short = try CSVRows(Data("a,b\n1,2\n3\n4,5,6\n".utf8))
        #expect(short.count == 1 && short.malformed.map(\.line) == [3, 4] && short.malformed.map(\.count) == [1, 3])
        #expect(throws: CSVRows.Failure.unclosedQuote(line: 2)) { try CSVRows(Data("a\n\"open\n".utf8)) }
        #expect(throws: CSVRows.Failure.notUTF8(line: 2)) { try CSVRows(Data([0x61, 0x0A, 0xFF, 0xFE])) }
        // Non-ASCII text is kept (and checked), quoted or not.
        let accents = try CSVRows(Data("ville,nom\nCréteil,\"Noël, Zoé\"\n".utf8))
        #expect(accents.fields(0) == ["Créteil", "Noël, Zoé"])
        // A large file without quotes is read in two halves: same records, same lines.
        var big = "t,arm,y\n"
        for k in 0..<80_000 { big += "T\(k),\(k % 3),\(k % 2 == 0 ? "TRUE" : "FALSE")\n" }
        let halves = try CSVRows(Data(big.utf8))
        #expect(halves.count == 80_000)
        #expect((0..<halves.count).allSatisfy { halves.lines[$0] == $0 + 2 && halves.string($0, 0) == "T\($0)" })
    }
}
