import Foundation
import Testing
@testable import Campaigns

@Suite("CSVRows: records wider than expected")
struct CSVRowsTests {
    /// The fields of a record are kept in storage sized for the header (16 for the header
    /// itself) and grown when a record is wider: nothing is lost or misreported.
    @Test("a 40-column header is read whole; records wider than it, quoted or not, are reported with their field count")
    func wideRecords() throws {
        let header = (0..<40).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<40).map { "v\($0)" }.joined(separator: ",")
        let wide = (0..<70).map { "w\($0)" }.joined(separator: ",")
        let quotedWide = (0..<70).map { "\"q,\($0)\"" }.joined(separator: ",")
        let text = [header, row, wide, row, quotedWide, ""].joined(separator: "\n")
        #expect(try CSVRows.header(of: Data(text.utf8)) == (0..<40).map { "c\($0)" })
        let rows = try CSVRows(Data(text.utf8))
        #expect(rows.count == 2)
        #expect(rows.malformed.map(\.line) == [3, 5] && rows.malformed.map(\.count) == [70, 70])
        #expect(rows.string(0, 0) == "v0" && rows.string(1, 39) == "v39")
    }
}
