import Foundation
import Testing
@testable import Campaigns
@testable import Ledger

/// Issue #18 item 0: `CSVRows` reads a large unquoted file in two halves on two threads.
/// The halves once shared one array that both threads wrote into, a data race that could
/// lose a half and crash `import-study`. Run this suite under ThreadSanitizer
/// (`swift test --sanitize=thread --filter CSVConcurrency`): it must report nothing.
@Suite("a large unquoted CSV read on two threads, again and again")
struct CSVConcurrencyTests {
    /// About 2 MiB without a quote, so that the two-halves path is taken.
    static let file: Data = {
        var text = "offer,arm,callback,city\n"
        for k in 0..<60_000 {
            text += "T\(k / 3),\(["A", "B", "C"][k % 3]),\(k % 7 == 0 ? "TRUE" : "FALSE"),city-with-a-long-name-\(k % 20)\n"
        }
        return Data(text.utf8)
    }()

    @Test("every read finds every record in order (the file takes the two-halves path)")
    func repeatedReads() throws {
        #expect(Self.file.count > 1 << 20)
        for _ in 0..<40 {
            let rows = try CSVRows(Self.file)
            #expect(rows.count == 60_000)
            #expect(rows.malformed.isEmpty)
            #expect(rows.lines.first == 2 && rows.lines.last == 60_001)
            #expect(rows.string(59_999, 0) == "T19999" && rows.string(30_000, 1) == "A")
        }
    }

    @Test("import-study of the same large unquoted file, many times, into fresh ledgers")
    func repeatedImports() throws {
        let options = StudyImportOptions(id: "large", targetColumn: "offer", armColumns: ["arm"], reference: ["A"],
                                         outcomeColumn: "callback", sliceColumns: ["city"])
        for _ in 0..<8 {
            let summary = try Ledger.inMemory().importStudy(Self.file, fileName: "large.csv", options: options)
            #expect(summary.tests == 20_000)
            #expect(summary.applications == 60_000)
        }
    }
}
