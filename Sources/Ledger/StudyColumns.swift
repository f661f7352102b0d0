import Foundation

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

    func encoded() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(targets.count * 12 + arm.count * 5 + 1024)
        out += Self.magic
        for table in [targets, arms, organizations, attributeTexts] {
            Self.put(UInt32(table.count), &out)
            for var text in table {
                text.withUTF8 { bytes in
                    Self.put(UInt32(bytes.count), &out)
                    out.append(contentsOf: bytes)
                }
            }
        }
        for column in [testSize, testOrganization, testAttributes, arm, sendOrder, attributes] { Self.put(column, &out) }
        Self.put(positive.map { Int32($0) }, &out)
        return Data(out)
    }

    init() {}

    /// Decodes a stored blob; `nil` when it is not format 1 or is cut short. The targets'
    /// texts (one per test: a million for a large study) are decoded on one core while the
    /// rest is decoded on another.
    init?(_ data: Data) {
        let bytes = [UInt8](data)
        // Where each string table starts (its strings are walked, not decoded) and where the
        // integer columns start.
        var reader = Reader(bytes: bytes)
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
        let decoded = DecodedParts()
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                decoded.set(targets: Self.strings(bytes, count: tables[0].count, from: tables[0].start))
                return
            }
            var rest = Reader(bytes: bytes, offset: columnsStart)
            var columns: [[Int32]] = []
            for _ in 0..<7 {
                guard let column = rest.column() else { return }
                columns.append(column)
            }
            decoded.set(rest: ((1..<4).map { Self.strings(bytes, count: tables[$0].count, from: tables[$0].start) }, columns, rest.atEnd))
        }
        guard let targets = decoded.targets, let (tableValues, columns, atEnd) = decoded.rest else { return nil }
        self.targets = targets; arms = tableValues[0]; organizations = tableValues[1]; attributeTexts = tableValues[2]
        testSize = columns[0]; testOrganization = columns[1]; testAttributes = columns[2]
        arm = columns[3]; sendOrder = columns[4]; attributes = columns[5]; positive = columns[6].map { UInt8(truncatingIfNeeded: $0) }
        let n = arm.count
        guard atEnd, testSize.count == targets.count, testOrganization.count == targets.count, testAttributes.count == targets.count,
              sendOrder.count == n, attributes.count == n, positive.count == n, testSize.reduce(0, { $0 + Int($1) }) == n,
              arm.allSatisfy({ $0 >= 0 && Int($0) < arms.count }),
              attributes.allSatisfy({ $0 >= 0 && Int($0) < attributeTexts.count }),
              testAttributes.allSatisfy({ $0 >= 0 && Int($0) < attributeTexts.count }),
              testOrganization.allSatisfy({ $0 >= -1 && Int($0) < organizations.count }) else { return nil }
    }

    /// `count` length-prefixed strings from `start` (already checked to be within `bytes`).
    private static func strings(_ bytes: [UInt8], count: Int, from start: Int) -> [String] {
        var reader = Reader(bytes: bytes, offset: start)
        var table: [String] = []
        table.reserveCapacity(count)
        for _ in 0..<count {
            guard let length = reader.uint32(), let text = reader.take(Int(length)) else { break }
            table.append(String(decoding: text, as: UTF8.self))
        }
        return table
    }

    /// The two halves of a decode, each set once by its own thread under a lock and read
    /// after both have finished.
    private final class DecodedParts: @unchecked Sendable {
        private let lock = NSLock()
        private var _targets: [String]?
        private var _rest: ([[String]], [[Int32]], Bool)?
        var targets: [String]? { lock.withLock { _targets } }
        var rest: ([[String]], [[Int32]], Bool)? { lock.withLock { _rest } }
        func set(targets: [String]) { lock.withLock { _targets = targets } }
        func set(rest: ([[String]], [[Int32]], Bool)) { lock.withLock { _rest = rest } }
    }

    /// Whether a stored blob has a test with this target, read from its bytes without
    /// decoding the rest (so that `record` and `history` stay quick beside a large study).
    static func hasTarget(_ data: Data, _ target: String) -> Bool {
        let wanted = Array(target.utf8)
        var reader = Reader(bytes: [UInt8](data))
        guard reader.take(magic.count).map(Array.init) == magic, let count = reader.uint32() else { return false }
        for _ in 0..<count {
            guard let length = reader.uint32(), let bytes = reader.take(Int(length)) else { return false }
            if bytes.elementsEqual(wanted) { return true }
        }
        return false
    }

    private static func put(_ value: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private static func put(_ column: [Int32], _ out: inout [UInt8]) {
        put(UInt32(column.count), &out)
        let top = column.max().map { Int64($0) + 1 } ?? 0
        let width: UInt8 = top <= 0xFF ? 1 : top <= 0xFFFF ? 2 : 4
        out.append(width)
        // The values written in place (one growth of `out`, no append per byte).
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: column.count * Int(width)))
        out.withUnsafeMutableBufferPointer { buffer in
            let body = UnsafeMutableRawPointer(buffer.baseAddress! + start)
            switch width {
            case 1: for (k, v) in column.enumerated() { body.storeBytes(of: UInt8(truncatingIfNeeded: v + 1), toByteOffset: k, as: UInt8.self) }
            case 2: for (k, v) in column.enumerated() { body.storeBytes(of: UInt16(truncatingIfNeeded: v + 1).littleEndian, toByteOffset: 2 * k, as: UInt16.self) }
            default: for (k, v) in column.enumerated() { body.storeBytes(of: UInt32(bitPattern: v &+ 1).littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
            }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func uint32() -> UInt32? {
            guard let b = take(4) else { return nil }
            let i = b.startIndex
            return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        }

        mutating func column() -> [Int32]? {
            guard let count = uint32().map(Int.init), let width = take(1)?.first, [1, 2, 4].contains(width),
                  let body = take(count * Int(width)) else { return nil }
            return body.withUnsafeBytes { raw in
                [Int32](unsafeUninitializedCapacity: count) { values, initialized in
                    switch width {
                    case 1: for k in 0..<count { values[k] = Int32(raw[k]) - 1 }
                    case 2: for k in 0..<count { values[k] = Int32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))) - 1 }
                    default:
                        for k in 0..<count { values[k] = Int32(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))) &- 1 }
                    }
                    initialized = count
                }
            }
        }
    }
}
