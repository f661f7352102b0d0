import Foundation
import GRDB
import Testing
import Values
import TestSupport
@testable import Ledger

/// The columns blob's two formats (issue #17): format 2 is written, format 1 (written before)
/// is still read, byte for byte as each was described, and a ledger holding format 1 rows is
/// migrated without touching them.
@Suite("the columns blob: format 2 written, format 1 still read")
struct StudyColumnsFormatTests {
    /// A small study whose every column is written out by hand below, in both formats.
    static var small: StudyColumns {
        var columns = StudyColumns()
        columns.targets = ["", "t"]
        columns.testSize = [1, 1]
        columns.testOrganization = [-1, -1]
        columns.testAttributes = [0, 0]
        columns.arms = ["R"]
        columns.attributeTexts = ["{}"]
        columns.arm = [0, 0]
        columns.sendOrder = [70_000, -1]
        columns.attributes = [0, 0]
        columns.positive = [1, 0]
        return columns
    }

    /// Format 1 of `columns`, written from the format's description (StudyColumns+Format1.swift),
    /// as barometre wrote it before format 2: the ledgers of that time hold these bytes.
    static func format1(_ c: StudyColumns) -> Data {
        var out: [UInt8] = Array("BRSC".utf8) + [1]
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        for table in [c.targets, c.arms, c.organizations, c.attributeTexts] {
            u32(table.count)
            for text in table { u32(text.utf8.count); out += Array(text.utf8) }
        }
        func column(_ values: [Int64]) {
            let top = (values.max() ?? -1) + 1, width = top <= 0xFF ? 1 : top <= 0xFFFF ? 2 : 4
            u32(values.count)
            out.append(UInt8(width))
            for v in values {
                var x = UInt64(v + 1)
                for _ in 0..<width { out.append(UInt8(x & 0xFF)); x >>= 8 }
            }
        }
        for values in [c.testSize, c.testOrganization, c.testAttributes, c.arm, c.sendOrder, c.attributes] { column(values.map(Int64.init)) }
        column(c.positive.map(Int64.init))
        return Data(out)
    }

    /// The stored format must not drift (ledgers written before must stay readable).
    @Test("format 1, byte for byte: string tables, then columns of 1-, 2- and 4-byte values + 1")
    func format1Bytes() {
        let expected: [UInt8] = Array("BRSC".utf8) + [1]
            + [2, 0, 0, 0] + [0, 0, 0, 0] + [1, 0, 0, 0, 0x74]       // targets "", "t"
            + [1, 0, 0, 0] + [1, 0, 0, 0, 0x52]                      // arms "R"
            + [0, 0, 0, 0]                                           // organizations
            + [1, 0, 0, 0] + [2, 0, 0, 0, 0x7B, 0x7D]                // attribute texts "{}"
            + [2, 0, 0, 0, 1, 2, 2]                                  // testSize
            + [2, 0, 0, 0, 1, 0, 0]                                  // testOrganization (−1 → 0)
            + [2, 0, 0, 0, 1, 1, 1]                                  // testAttributes
            + [2, 0, 0, 0, 1, 1, 1]                                  // arm
            + [2, 0, 0, 0, 4, 0x71, 0x11, 0x01, 0x00, 0, 0, 0, 0]    // sendOrder: 70 001 in 4 bytes
            + [2, 0, 0, 0, 1, 1, 1]                                  // attributes
            + [2, 0, 0, 0, 1, 2, 1]                                  // positive
        #expect(Array(Self.format1(Self.small)) == expected)
        #expect(StudyColumns(Data(expected)) == Self.small)
        #expect(StudyColumns(Data(expected.dropLast())) == nil)
    }

    @Test("format 2, byte for byte: front-coded string tables with their byte length, then bit-packed columns of values + 1")
    func format2Bytes() {
        let expected: [UInt8] = Array("BRSC".utf8) + [2]
            + [2, 0, 0, 0] + [5, 0, 0, 0] + [0, 0] + [0, 1, 0x74]    // targets "", "t": (shared, length, bytes) each
            + [1, 0, 0, 0] + [3, 0, 0, 0] + [0, 1, 0x52]             // arms "R"
            + [0, 0, 0, 0] + [0, 0, 0, 0]                            // organizations
            + [1, 0, 0, 0] + [4, 0, 0, 0] + [0, 2, 0x7B, 0x7D]       // attribute texts "{}"
            + [2, 0, 0, 0, 2, 0b1010]                                // testSize: 2, 2 in 2 bits each
            + [2, 0, 0, 0, 0]                                        // testOrganization: −1, −1 → 0 bits
            + [2, 0, 0, 0, 1, 0b11]                                  // testAttributes: 1, 1 in 1 bit
            + [2, 0, 0, 0, 1, 0b11]                                  // arm
            + [2, 0, 0, 0, 17, 0x71, 0x11, 0x01, 0x00, 0x00]         // sendOrder: 70 001 then 0, 17 bits each
            + [2, 0, 0, 0, 1, 0b11]                                  // attributes
            + [2, 0, 0, 0, 2, 0b0110]                                // positive: 2 then 1
        #expect(Array(Self.small.encoded()) == expected)
        #expect(StudyColumns(Data(expected)) == Self.small)
        // Without the targets' names: the same columns, and no target.
        var unnamed = Self.small
        unnamed.targets = []
        #expect(expected.withUnsafeBytes { StudyColumns($0, names: false) } == unnamed)
        // A test without an application is refused (an import never writes one).
        var empty = Self.small
        empty.testSize = [2, 0]
        #expect(StudyColumns(empty.encoded()) == nil && StudyColumns(Self.format1(empty)) == nil)
        #expect(StudyColumns(Data(expected.dropLast())) == nil)
        #expect(StudyColumns.hasTarget(Data(expected), "t") && StudyColumns.hasTarget(Data(expected), "") && !StudyColumns.hasTarget(Data(expected), "u"))
    }

    @Test("a string table shares each string's leading bytes with the one before; damaged entries are refused")
    func frontCoding() {
        var out: [UInt8] = []
        StudyColumns.appendTable(["T0001", "T0002", "T0010", "U", "é", "éa"], to: &out)
        let entries: [UInt8] = [0, 5] + Array("T0001".utf8) + [4, 1, 0x32] + [3, 2, 0x31, 0x30] + [0, 1, 0x55]
            + [0, 2, 0xC3, 0xA9] + [2, 1, 0x61]
        #expect(out == [6, 0, 0, 0, UInt8(entries.count), 0, 0, 0] + entries)
        var strings: [String] = []
        let whole = entries.withUnsafeBytes { StudyColumns.forEachString($0, count: 6) { strings.append(String(decoding: $0, as: UTF8.self)); return true } }
        #expect(whole && strings == ["T0001", "T0002", "T0010", "U", "é", "éa"])
        // A string sharing more bytes than the one before has, one cut short, a count too high.
        for damaged in [[0, 1, 0x41] + [2, 1, 0x42], [0, 3, 0x41], [0, 1, 0x41]] as [[UInt8]] {
            #expect(!damaged.withUnsafeBytes { StudyColumns.forEachString($0, count: 2) { _ in true } })
        }
    }

    @Test("bit-packed columns of every width from 0 to 32 bits, at every count up to 70, read back as written")
    func packedWidths() {
        var random = SplitMix(state: 5)
        for bits in 0...32 {
            for count in 0...70 {
                // Values −1 … Int32.max: value + 1 at most 2³¹, which takes 32 bits.
                let top = bits == 0 ? 0 : min((Int64(1) << Int64(bits)) - 1, Int64(Int32.max) + 1)
                var values = (0..<count).map { _ in Int32(Int64.random(in: 0...top, using: &random) - 1) }
                if count > 0 { values[count - 1] = Int32(top - 1) }  // the width is the greatest value's
                var out: [UInt8] = []
                StudyColumns.appendPacked(values, to: &out)
                #expect(out.count == 5 + (count * (count > 0 ? bits : 0) + 7) / 8)
                let read = out.withUnsafeBytes { raw -> [Int32]? in
                    var reader = StudyColumns.Reader(bytes: raw)
                    return reader.packedColumn()?.values(as: Int32.self)
                }
                #expect(read == values, "bits \(bits), count \(count)")
            }
        }
    }

    /// TEPP inter1 imported into a fresh ledger, as stored.
    static func inter1(into ledger: Ledger = Ledger.inMemory()) throws -> StoredStudy {
        _ = try ledger.importStudy(try Data(contentsOf: StudyColumnsTests.folder.appendingPathComponent("inter1.csv")), fileName: "inter1.csv",
                                   options: TEPPStudy.all[0].options, now: LedgerFixture.now)
        return try #require(try ledger.read { db in try StoredStudy.load(db, campaign: "inter1") })
    }

    @Test("a real study's columns read the same from format 1 as from format 2")
    func realStudy() throws {
        let stored = try Self.inter1()
        let format2 = stored.columns.encoded(), format1 = Self.format1(stored.columns)
        #expect(format2.count * 2 < format1.count && format2[4] == 2 && format1[4] == 1)
        #expect(StudyColumns(format1) == stored.columns && StudyColumns(format2) == stored.columns)
        #expect(stored.columns.targets.count > 100 && StudyColumns.hasTarget(format1, stored.columns.targets[57])
                && StudyColumns.hasTarget(format2, stored.columns.targets[57]))
    }

    /// A damaged ledger file must give an error, never a crash: every read stays within the
    /// blob, whatever its bytes say.
    @Test("a format 2 blob with bytes changed or cut off anywhere is read without a crash, and refused when it does not hold together")
    func damagedBytes() throws {
        let stored = try Self.inter1()
        let blob = Array(stored.columns.encoded())
        var random = SplitMix(state: 11)
        var refused = 0
        for trial in 0..<400 {
            var bytes = blob
            if trial % 2 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<blob.count, using: &random)))
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &random) { bytes[Int.random(in: 5..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            }
            if let read = StudyColumns(Data(bytes)) { #expect(read.validated() != nil) } else { refused += 1 }
            _ = StudyColumns.hasTarget(Data(bytes), "x")
        }
        #expect(refused >= 200)  // every cut blob at least
    }

    /// A ledger of the version before format 2 (migrations up to v9) holding a study in format
    /// 1: opening it migrates the table, keeps the row's bytes, and reads the study as before.
    @Test("a ledger holding format 1 is migrated with its rows untouched, and still reads them")
    func migration() throws {
        try withScratchFolder("format-migration") { folder in
            let current = folder.appendingPathComponent("current.sqlite").path, older = folder.appendingPathComponent("older.sqlite").path
            let ledger = try Ledger.open(path: current)
            let stored = try Self.inter1(into: ledger)
            let expected = try ledger.applicationColumns(campaign: "inter1")
            let format1 = Self.format1(stored.columns)
            // The older ledger: its schema up to v9, the same rows, the columns in format 1.
            let queue = try DatabaseQueue(path: older)
            try Migrations.migrator.migrate(queue, upTo: "v9-organization-response")
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS current", arguments: [current])
                try db.inTransaction {
                    for table in ["campaign", "import", "study"] { try db.execute(sql: "INSERT INTO \(table) SELECT * FROM current.\(table)") }
                    try db.execute(sql: """
                        INSERT INTO studyColumns (campaignId, importId, format, tests, applications, positives, firstEvent, observedAt, recordedAt, data)
                        SELECT campaignId, importId, 1, tests, applications, positives, firstEvent, observedAt, recordedAt, ? FROM current.studyColumns
                        """, arguments: [format1])
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE current")
            }
            try queue.close()
            let migrated = try Ledger.open(path: older)
            #expect(try migrated.read { db in try Data.fetchOne(db, sql: "SELECT data FROM studyColumns") } == format1)
            let read = try migrated.applicationColumns(campaign: "inter1")
            #expect(read.arm == expected.arm && read.level == expected.level && read.test == expected.test && read.attributes == expected.attributes
                    && read.organization == expected.organization && read.testStarts == expected.testStarts && read.count > 1000)
            // Every stored column, the targets' names included, as imported.
            #expect(try migrated.read { db in try StoredStudy.load(db, campaign: "inter1") }?.columns == stored.columns)
            // The new table keeps the old one's guards: format 1 or 2 only, and no change to a row.
            #expect(throws: (any Error).self) {
                try migrated.writer.write { db in try db.execute(sql: "UPDATE studyColumns SET format = 2") }
            }
            #expect(throws: (any Error).self) {
                try migrated.writer.write { db in try db.execute(sql: "DELETE FROM studyColumns") }
            }
            let check = try migrated.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'studyColumns'") }
            #expect(check?.contains("CHECK (format IN (1, 2))") == true)
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a seeded generator for the tests' values.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
