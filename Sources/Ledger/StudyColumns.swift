import Foundation
import Values

/// An imported study as columns: what `import-study` stores in one `studyColumns` row
/// instead of one `test`, `application` and `outcomeEvent` row per line of the file. At
/// 10^6 tests that is the difference between minutes and seconds, for writing and for
/// reading back (bench/README.md).
///
/// Tests are in the order of the file (first row of each target); each test's applications
/// follow it, in send order when known (unknown positions last), else file order: the same
/// order, codes (`TARGET-POSITION`) and replicates as the relational import.
struct StudyColumns: Equatable {
    /// Per test: its target (also the test's code), applications, organization and the
    /// slice values all its applications share (positions in `attributeTexts`).
    var targets: [String] = []
    var testSize: [Int32] = []
    var testOrganization: [Int32] = []
    var testAttributes: [Int32] = []
    var arms: [String] = []
    var organizations: [String] = []
    /// Distinct slice-value sets as JSON objects with sorted keys; 0 is `{}`.
    var attributeTexts: [String] = ["{}"]
    /// Per application, test after test.
    var arm: [Int32] = []
    /// Position in the test's send order; −1 when unknown.
    var sendOrder: [Int32] = []
    /// The application's slice values (position in `attributeTexts`).
    var attributes: [Int32] = []
    /// 1 when the imported answer is positive, else 0.
    var positive: [UInt8] = []

    var applications: Int { arm.count }

    /// Where each test's applications start; one more entry than there are tests.
    func starts() -> [Int] {
        var starts = [Int](repeating: 0, count: targets.count + 1)
        for t in targets.indices { starts[t + 1] = starts[t] + Int(testSize[t]) }
        return starts
    }

    /// Each application's code (`TARGET-POSITION`) and replicate (its rank within its arm in the test).
    func forEachApplication(_ body: (_ index: Int, _ test: Int, _ position: Int, _ replicate: Int) throws -> Void) rethrows {
        var index = 0
        var replicate = [Int](repeating: 0, count: arms.count)
        for test in targets.indices {
            for a in 0..<arms.count { replicate[a] = 0 }
            for position in 0..<Int(testSize[test]) {
                replicate[Int(arm[index])] += 1
                try body(index, test, position, replicate[Int(arm[index])])
                index += 1
            }
        }
    }

    // MARK: Encoding (format 1)
    //
    //   "BRSC" 1 · string tables (targets, arms, organizations, attributeTexts) · integer
    //   columns (testSize, testOrganization, testAttributes, arm, sendOrder, attributes,
    //   positive). A string table is a count then length-prefixed UTF-8; an integer column
    //   is a count, a byte width (1, 2 or 4) and its values + 1 (so that −1 is 0), little-endian.

    static let magic: [UInt8] = Array("BRSC".utf8) + [1]

    /// The blob, written in place: its size is known first, then the targets' table (half
    /// of it at 10⁶ tests) is written on one core while the rest is written on the other.
    func encoded() -> Data {
        let widths = integerColumns.map(Self.width), positiveWidth = Self.width(positive)
        let first = Self.magic.count + Self.size(targets)
        let rest = [arms, organizations, attributeTexts].reduce(0) { $0 + Self.size($1) }
            + zip(integerColumns, widths).reduce(0) { $0 + 5 + $1.0.count * $1.1 } + 5 + positive.count * positiveWidth
        var data = Data(count: first + rest)
        data.withUnsafeMutableBytes { raw in
            let base = UncheckedSendable(raw.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 {
                    var out = BlobWriter(base.value)
                    out.bytes(Self.magic)
                    out.table(targets)
                } else {
                    var out = BlobWriter(base.value + first)
                    for table in [arms, organizations, attributeTexts] { out.table(table) }
                    for (column, width) in zip(integerColumns, widths) { out.column(column, width: width) }
                    out.column(positive, width: positiveWidth)
                }
            }
        }
        return data
    }

    /// testSize, testOrganization, testAttributes, arm, sendOrder, attributes (then positive).
    private var integerColumns: [[Int32]] { [testSize, testOrganization, testAttributes, arm, sendOrder, attributes] }

    /// A string table's bytes: its count, then each string's length and UTF-8.
    private static func size(_ table: [String]) -> Int { table.reduce(4) { $0 + 4 + $1.utf8.count } }

    /// The byte width of a column's values + 1 (1, 2 or 4).
    private static func width<T: BinaryInteger>(_ column: [T]) -> Int {
        let top = column.max().map { Int64($0) + 1 } ?? 0
        return top <= 0xFF ? 1 : top <= 0xFFFF ? 2 : 4
    }

    init() {}

    /// Decodes a stored blob; `nil` when it is not format 1 or is cut short. The targets'
    /// texts (one per test: a million for a large study) are decoded on one core while the
    /// rest is decoded on another.
    init?(_ data: Data) {
        // The blob's bytes are only read by the two decoding threads, while `data` keeps them.
        guard let decoded = data.withUnsafeBytes({ Self.decode(UncheckedSendable($0)) }) else { return nil }
        self = decoded
    }

    /// Decodes a stored blob from bytes that stay valid while this runs (SQLite's row).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard let decoded = Self.decode(UncheckedSendable(bytes)) else { return nil }
        self = decoded
    }

    private static func decode(_ bytes: UncheckedSendable<UnsafeRawBufferPointer>) -> StudyColumns? {
        // Where each string table starts (its strings are walked, not decoded) and where the
        // integer columns start.
        var reader = Reader(bytes: bytes.value)
        guard reader.take(Self.magic.count).map(Array.init) == Self.magic else { return nil }
        var layout: [(count: Int, start: Int)] = []
        for _ in 0..<4 {
            guard let count = reader.uint32() else { return nil }
            let start = reader.offset
            for _ in 0..<count {
                guard let length = reader.uint32(), reader.take(Int(length)) != nil else { return nil }
            }
            layout.append((Int(count), start))
        }
        let tables = layout, columnsStart = reader.offset
        let (targets, decodedRest) = bothAtOnce({
            Self.strings(bytes.value, count: tables[0].count, from: tables[0].start)
        }, { () -> (tables: [[String]], columns: [[Int32]], positive: [UInt8], atEnd: Bool)? in
            var rest = Reader(bytes: bytes.value, offset: columnsStart)
            var columns: [[Int32]] = []
            for _ in 0..<6 {
                guard let column = rest.column() else { return nil }
                columns.append(column)
            }
            guard let positive = rest.byteColumn() else { return nil }
            return ((1..<4).map { Self.strings(bytes.value, count: tables[$0].count, from: tables[$0].start) }, columns, positive, rest.atEnd)
        })
        guard let (tableValues, columns, positive, atEnd) = decodedRest else { return nil }
        var c = StudyColumns()
        c.targets = targets; c.arms = tableValues[0]; c.organizations = tableValues[1]; c.attributeTexts = tableValues[2]
        c.testSize = columns[0]; c.testOrganization = columns[1]; c.testAttributes = columns[2]
        c.arm = columns[3]; c.sendOrder = columns[4]; c.attributes = columns[5]; c.positive = positive
        let n = c.arm.count
        guard atEnd, c.testSize.count == targets.count, c.testOrganization.count == targets.count, c.testAttributes.count == targets.count,
              c.sendOrder.count == n, c.attributes.count == n, c.positive.count == n, c.testSize.reduce(0, { $0 + Int($1) }) == n,
              c.arm.allSatisfy({ $0 >= 0 && Int($0) < c.arms.count }),
              c.attributes.allSatisfy({ $0 >= 0 && Int($0) < c.attributeTexts.count }),
              c.testAttributes.allSatisfy({ $0 >= 0 && Int($0) < c.attributeTexts.count }),
              c.testOrganization.allSatisfy({ $0 >= -1 && Int($0) < c.organizations.count }) else { return nil }
        return c
    }

    /// `count` length-prefixed strings from `start` (already checked to be within `bytes`).
    private static func strings(_ bytes: UnsafeRawBufferPointer, count: Int, from start: Int) -> [String] {
        var reader = Reader(bytes: bytes, offset: start)
        var table: [String] = []
        table.reserveCapacity(count)
        for _ in 0..<count {
            guard let length = reader.uint32(), let text = reader.take(Int(length)) else { break }
            table.append(String(decoding: text, as: UTF8.self))
        }
        return table
    }

    /// Whether a stored blob has a test with this target, read from its bytes without
    /// decoding the rest (so that `record` and `history` stay quick beside a large study).
    static func hasTarget(_ data: Data, _ target: String) -> Bool {
        let wanted = Array(target.utf8)
        return data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            guard reader.take(magic.count).map(Array.init) == magic, let count = reader.uint32() else { return false }
            for _ in 0..<count {
                guard let length = reader.uint32(), let bytes = reader.take(Int(length)) else { return false }
                if bytes.elementsEqual(wanted) { return true }
            }
            return false
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        }

        mutating func uint32() -> UInt32? {
            guard let b = take(4) else { return nil }
            return UInt32(littleEndian: b.loadUnaligned(as: UInt32.self))
        }

        mutating func column() -> [Int32]? {
            guard let count = uint32().map(Int.init), let width = take(1)?.first, [1, 2, 4].contains(width),
                  let body = take(count * Int(width)) else { return nil }
            return [Int32](unsafeUninitializedCapacity: count) { values, initialized in
                switch width {
                case 1: for k in 0..<count { values[k] = Int32(body[k]) - 1 }
                case 2: for k in 0..<count { values[k] = Int32(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))) - 1 }
                default:
                    for k in 0..<count { values[k] = Int32(bitPattern: UInt32(littleEndian: body.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))) &- 1 }
                }
                initialized = count
            }
        }

        /// A column of values 0…255 (`positive`), straight to bytes: one byte per
        /// application instead of four (a wider stored column is narrowed, as before).
        mutating func byteColumn() -> [UInt8]? {
            var peek = self
            guard let count = peek.uint32().map(Int.init), let width = peek.take(1)?.first else { return nil }
            guard width == 1 else { return column().map { $0.map { UInt8(truncatingIfNeeded: $0) } } }
            guard let body = peek.take(count) else { return nil }
            self = peek
            return [UInt8](unsafeUninitializedCapacity: count) { values, initialized in
                for k in 0..<count { values[k] = body[k] &- 1 }
                initialized = count
            }
        }
    }
}


/// Writes the blob's parts, little-endian, from an address (the size was counted first).
private struct BlobWriter {
    var at: UnsafeMutableRawPointer

    init(_ at: UnsafeMutableRawPointer) { self.at = at }

    mutating func bytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { at.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        at += bytes.count
    }

    mutating func u32(_ value: UInt32) {
        at.storeBytes(of: value.littleEndian, as: UInt32.self)
        at += 4
    }

    mutating func table(_ table: [String]) {
        u32(UInt32(table.count))
        for var text in table {
            text.withUTF8 { utf8 in
                u32(UInt32(utf8.count))
                if let source = utf8.baseAddress { at.copyMemory(from: source, byteCount: utf8.count) }
                at += utf8.count
            }
        }
    }

    /// A column: its count, its byte width, then each value + 1 (so that −1 is 0).
    mutating func column<T: BinaryInteger>(_ column: [T], width: Int) {
        u32(UInt32(column.count))
        at.storeBytes(of: UInt8(width), as: UInt8.self)
        at += 1
        switch width {
        case 1: for (k, v) in column.enumerated() { at.storeBytes(of: UInt8(truncatingIfNeeded: Int64(v) + 1), toByteOffset: k, as: UInt8.self) }
        case 2: for (k, v) in column.enumerated() { at.storeBytes(of: UInt16(truncatingIfNeeded: Int64(v) + 1).littleEndian, toByteOffset: 2 * k, as: UInt16.self) }
        default: for (k, v) in column.enumerated() { at.storeBytes(of: UInt32(truncatingIfNeeded: Int64(v) + 1).littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
        at += column.count * width
    }
}
