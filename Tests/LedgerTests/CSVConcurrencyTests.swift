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

    /// Issue #17: the study import reads each half into its own tables and merges them. A
    /// file with one quoted field is read in one part: both must give the same study.
    @Test("a study read in two halves equals the same study read in one part")
    func halvesMergeLikeOnePart() throws {
        // Targets whose rows straddle the cut, arms, organizations and regions first seen in
        // the second half, a send order, a missing organization.
        var rows: [String] = []
        for k in 0..<90_000 {
            let target = k < 45_000 ? k / 3 : (k * 7919) % 30_000
            let late = k > 60_000 ? "-late" : ""
            rows.append("T\(target),\(["A", "B", "C"][k % 3])\(k > 80_000 && k % 3 == 1 ? "x" : ""),\(k % 5 == 0 ? "TRUE" : "FALSE"),"
                        + "region-\(target % 20)\(late),\(target % 11 == 0 ? "" : "org\(target % 97)"),\(k % 3 + 1)")
        }
        let header = "offer,arm,callback,region,organization,sentorder\n"
        let plain = Data((header + rows.joined(separator: "\n") + "\n").utf8)
        rows[5] = rows[5].replacingOccurrences(of: "TRUE", with: "\"TRUE\"").replacingOccurrences(of: "FALSE", with: "\"FALSE\"")
        let quoted = Data((header + rows.joined(separator: "\n") + "\n").utf8)
        #expect(plain.count > 1 << 20)
        let options = StudyImportOptions(id: "halves", targetColumn: "offer", armColumns: ["arm"], reference: ["A"], outcomeColumn: "callback",
                                         sliceColumns: ["region"], organizationColumn: "organization", orderColumn: "sentorder")
        #expect(try CSVRows.scan(plain, makePart: { _, _ in 0 }) { count, _ in count += 1 }.parts.count == 2)
        #expect(try CSVRows.scan(quoted, makePart: { _, _ in 0 }) { count, _ in count += 1 }.parts.count == 1)
        let halves = try StudyImport.parse(plain, fileName: "plain.csv", options: options)
        let whole = try StudyImport.parse(quoted, fileName: "quoted.csv", options: options)
        #expect(halves.rows.count == 90_000)
        // The two parts' rows stay in two arrays; read in order, they are the one part's.
        #expect(!halves.rows.tail.isEmpty && whole.rows.tail.isEmpty)
        #expect(Array(halves.rows) == Array(whole.rows))
        #expect(halves.targets == whole.targets && halves.arms == whole.arms)
        #expect(halves.organizations == whole.organizations && halves.sliceValues == whole.sliceValues)
        #expect(halves.sliceSets == whole.sliceSets)
        #expect(halves.arms == ["A", "B", "C", "Bx"])
        let encodedHalves = try StudyImport.encode(halves, halves.grouped(), options: options)
        let encodedWhole = try StudyImport.encode(whole, whole.grouped(), options: options)
        #expect(encodedHalves.columns.encoded() == encodedWhole.columns.encoded())
    }
}

/// Issue #17: the control-character and line-break scans read sixteen bytes at a time; they
/// must say what a byte-by-byte reading says, wherever the byte falls.
@Suite("CSV byte scans, sixteen at a time")
struct CSVByteScanTests {
    @Test("line breaks and control characters at every position of blocks and tails")
    func scans() {
        for length in [0, 1, 15, 16, 17, 31, 33, 4_100, 70_000] {
            var bytes = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            for k in stride(from: 0, to: length, by: 7) { bytes[k] = UInt8(ascii: "\n") }
            bytes.withUnsafeBufferPointer { b in
                #expect(CSVRows.lineBreaks(b) == bytes.filter { $0 == UInt8(ascii: "\n") }.count)
                #expect(!CSVRows.containsControl(b))
            }
            // Tab, CR and LF are allowed; any other C0 control or DEL is found wherever it is.
            for allowed: UInt8 in [0x09, 0x0D] where length > 0 {
                var copy = bytes
                copy[length - 1] = allowed
                copy.withUnsafeBufferPointer { #expect(!CSVRows.containsControl($0)) }
            }
            for position in [0, length / 2, length - 1] where length > 0 {
                for control: UInt8 in [0x00, 0x01, 0x1F, 0x7F] {
                    var copy = bytes
                    copy[position] = control
                    copy.withUnsafeBufferPointer { #expect(CSVRows.containsControl($0), "\(control) at \(position) of \(length)") }
                }
            }
        }
    }
}
