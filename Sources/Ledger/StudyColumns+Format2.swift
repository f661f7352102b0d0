import Foundation
import Values

// Format 2 of the columns blob (issue #17), a third of format 1's size at 10⁶ tests (10 MB
// instead of 30): the ledger writes it, and reads it back, in a third of the time.
//
//   "BRSC" 2 · string tables (targets, arms, organizations, attributeTexts) · integer
//   columns (testSize, testOrganization, testAttributes, arm, sendOrder, attributes,
//   positive).
//   A string table is its count (u32), the byte length of its entries (u32), then per
//   string: how many leading bytes it shares with the string before it, how many follow
//   (both unsigned LEB128) and those bytes (UTF-8). Targets named in sequence (T0001,
//   T0002, …) take three bytes each instead of eleven.
//   An integer column is its count (u32), a bit width w (u8, 0…32), then its values + 1
//   (so that −1 is 0) in w bits each, packed least significant bit first: value k is bits
//   k·w ..< (k+1)·w of the little-endian bit string, ⌈count·w / 8⌉ bytes. A column of three
//   arms takes 2 bits per application instead of a byte.
//   u32 numbers are little-endian.

extension StudyColumns {
    static let format2: [UInt8] = signature + [2]

    /// The blob, in format 2. The targets' table (most of the work at 10⁶ tests) is encoded
    /// on one core while the rest is encoded on the other.
    func encoded() -> Data {
        let (targetsTable, rest) = bothAtOnce({ () -> [UInt8] in
            var out: [UInt8] = []
            Self.appendTable(targets, to: &out)
            return out
        }, { () -> [UInt8] in
            var out: [UInt8] = []
            for table in [arms, organizations, attributeTexts] { Self.appendTable(table, to: &out) }
            for column in integerColumns { Self.appendPacked(column, to: &out) }
            Self.appendPacked(positive, to: &out)
            return out
        })
        var data = Data(capacity: Self.format2.count + targetsTable.count + rest.count)
        data.append(contentsOf: Self.format2)
        data.append(contentsOf: targetsTable)
        data.append(contentsOf: rest)
        return data
    }

    // MARK: Writing

    static func appendUInt32(_ value: Int, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { out.append(contentsOf: $0) }
    }

    /// A string table: count, byte length, then each string as (shared, suffix length, suffix).
    /// Written through pointers into room reserved first (at most 10 bytes per string beyond
    /// its own): a million targets, one append each, cost more than the rest of the blob.
    static func appendTable(_ table: [String], to out: inout [UInt8]) {
        appendUInt32(table.count, to: &out)
        let lengthAt = out.count
        appendUInt32(0, to: &out)
        var room = 0, longest = 0
        for text in table {
            let count = text.utf8.count
            room += 10 + count
            longest = max(longest, count)
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: room))
        let previous = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, longest))
        defer { previous.deallocate() }
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            // Plain locals and a function of its arguments only: a nested function capturing
            // `at` made Swift check exclusive access at run time on every byte.
            let base = buffer.baseAddress!
            var at = start, previousCount = 0
            for var text in table {
                text.withUTF8 { bytes in
                    var shared = 0
                    let most = min(previousCount, bytes.count)
                    while shared < most && previous[shared] == bytes[shared] { shared += 1 }
                    at = Self.writeVarint(shared, base, at)
                    at = Self.writeVarint(bytes.count - shared, base, at)
                    if let source = bytes.baseAddress, bytes.count > shared {
                        (base + at).update(from: source + shared, count: bytes.count - shared)
                        at += bytes.count - shared
                        (previous + shared).update(from: source + shared, count: bytes.count - shared)
                    }
                    previousCount = bytes.count
                }
            }
            return at - start
        }
        out.removeLast(room - written)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: written).littleEndian) { bytes in
            for k in 0..<4 { out[lengthAt + k] = bytes[k] }
        }
    }

    /// Writes `value` as unsigned LEB128 at `base + at`; returns where it ends.
    @inline(__always)
    static func writeVarint(_ value: Int, _ base: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
        var v = UInt(value), at = at
        while v >= 0x80 {
            base[at] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            at += 1
        }
        base[at] = UInt8(v)
        return at + 1
    }

    /// The fewest bits that hold every value + 1 of a column (0 when every value is −1).
    static func bitWidth<T: BinaryInteger>(_ column: [T]) -> Int {
        let top = UInt64(max(0, column.max().map { Int64($0) + 1 } ?? 0))
        return 64 - top.leadingZeroBitCount
    }

    /// An integer column: count, bit width, then the values + 1 packed.
    static func appendPacked<T: BinaryInteger>(_ column: [T], to out: inout [UInt8]) {
        let bits = bitWidth(column)
        appendUInt32(column.count, to: &out)
        out.append(UInt8(bits))
        let start = out.count, byteCount = (column.count * bits + 7) / 8
        out.append(contentsOf: repeatElement(0, count: byteCount))
        guard bits > 0 else { return }
        out.withUnsafeMutableBufferPointer { buffer in
            column.withUnsafeBufferPointer { values in
                var pending: UInt64 = 0, filled = 0, at = start
                for v in values {
                    pending |= UInt64(truncatingIfNeeded: Int64(v) + 1) << filled
                    filled += bits
                    while filled >= 8 {
                        buffer[at] = UInt8(truncatingIfNeeded: pending)
                        pending >>= 8
                        filled -= 8
                        at += 1
                    }
                }
                if filled > 0 { buffer[at] = UInt8(truncatingIfNeeded: pending) }
            }
        }
    }

    // MARK: Reading

    /// Decodes a format 2 blob, in two halves side by side: the targets' table and the
    /// columns per test, then the other tables and the columns per application (their
    /// places found first from their counts and widths; nothing is decoded twice).
    static func decodeFormat2(_ bytes: UncheckedSendable<UnsafeRawBufferPointer>, names: Bool) -> StudyColumns? {
        var reader = Reader(bytes: bytes.value, offset: 5)
        var tables: [(count: Int, entries: UnsafeRawBufferPointer)] = []
        for _ in 0..<4 {
            guard let count = reader.uint32(), let length = reader.uint32(), let entries = reader.take(Int(length)) else { return nil }
            tables.append((Int(count), entries))
        }
        var packed: [PackedColumn] = []
        for _ in 0..<7 {
            guard let column = reader.packedColumn() else { return nil }
            packed.append(column)
        }
        guard reader.atEnd else { return nil }
        let layout = UncheckedSendable((tables: tables, packed: packed))
        let (first, second) = bothAtOnce({ () -> (targets: [String], perTest: [[Int32]], arm: [Int32])? in
            let (tables, packed) = layout.value
            guard let targets = names ? Self.strings(tables[0].entries, count: tables[0].count) : [] else { return nil }
            return (targets, packed[0..<3].map { $0.values(as: Int32.self) }, packed[3].values(as: Int32.self))
        }, { () -> (tables: [[String]], perApplication: [[Int32]], positive: [UInt8])? in
            let (tables, packed) = layout.value
            var decoded: [[String]] = []
            for k in 1..<4 {
                guard let table = Self.strings(tables[k].entries, count: tables[k].count) else { return nil }
                decoded.append(table)
            }
            return (decoded, packed[4..<6].map { $0.values(as: Int32.self) }, packed[6].values(as: UInt8.self))
        })
        guard let first, let second else { return nil }
        var c = StudyColumns()
        c.targets = first.targets; c.arms = second.tables[0]; c.organizations = second.tables[1]; c.attributeTexts = second.tables[2]
        c.testSize = first.perTest[0]; c.testOrganization = first.perTest[1]; c.testAttributes = first.perTest[2]
        c.arm = first.arm; c.sendOrder = second.perApplication[0]; c.attributes = second.perApplication[1]; c.positive = second.positive
        return c.validated(names: names)
    }

    /// Calls `body` with each string of a table's entries, as bytes; false when the entries
    /// are damaged (a shared prefix longer than the string before, a string cut short) or
    /// are not exactly `count` strings.
    static func forEachString(_ entries: UnsafeRawBufferPointer, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var reader = Reader(bytes: entries)
        var current: [UInt8] = []
        current.reserveCapacity(64)
        for _ in 0..<count {
            guard let shared = reader.varint(), shared <= current.count, let length = reader.varint(),
                  let suffix = reader.take(length) else { return false }
            current.removeSubrange(shared...)
            current.append(contentsOf: suffix)
            let goOn = current.withUnsafeBufferPointer { body($0) }
            if !goOn { return true }
        }
        return reader.atEnd
    }

    private static func strings(_ entries: UnsafeRawBufferPointer, count: Int) -> [String]? {
        var table: [String] = []
        table.reserveCapacity(count)
        guard forEachString(entries, count: count, { bytes in
            table.append(String(decoding: bytes, as: UTF8.self))
            return true
        }) else { return nil }
        return table
    }

    static func hasTargetFormat2(_ raw: UnsafeRawBufferPointer, _ wanted: [UInt8]) -> Bool {
        var reader = Reader(bytes: raw, offset: 5)
        guard let count = reader.uint32(), let length = reader.uint32(), let entries = reader.take(Int(length)) else { return false }
        var found = false
        _ = forEachString(entries, count: Int(count)) { bytes in
            found = bytes.elementsEqual(wanted)
            return !found
        }
        return found
    }
}

/// A format 2 integer column's place in the blob: its count, bit width and packed bytes.
struct PackedColumn {
    let count: Int, bits: Int
    let body: UnsafeRawBufferPointer

    /// Each value − 1 (as `T`, truncated).
    func values<T: FixedWidthInteger>(as: T.Type) -> [T] {
        let count = count, bits = bits, body = body
        return [T](unsafeUninitializedCapacity: count) { values, initialized in
            initialized = count
            guard bits > 0 else {
                for k in 0..<count { values[k] = T(truncatingIfNeeded: -1) }
                return
            }
            let mask = (UInt64(1) << UInt64(bits)) &- 1
            // Values whose eight bytes from their first are all in the body: read as one word
            // (no bounds check in the loop); the last few byte by byte.
            let whole = body.count >= 8 ? min(count, ((body.count - 8) * 8 + 7) / bits + 1) : 0
            for k in 0..<whole {
                let bit = k &* bits
                let word = UInt64(littleEndian: body.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                values[k] = T(truncatingIfNeeded: Int64((word >> UInt64(bit & 7)) & mask) - 1)
            }
            for k in whole..<count {
                let bit = k * bits, at = bit >> 3
                var word: UInt64 = 0
                for b in 0..<min(8, body.count - at) { word |= UInt64(body[at + b]) << UInt64(8 * b) }
                values[k] = T(truncatingIfNeeded: Int64((word >> UInt64(bit & 7)) & mask) - 1)
            }
        }
    }
}

extension StudyColumns.Reader {
    /// A format 2 integer column's place (its bytes are decoded later, by ``PackedColumn/values(as:)``).
    mutating func packedColumn() -> PackedColumn? {
        guard let count = uint32().map(Int.init), let bits = byte().map(Int.init), bits <= 32,
              let body = take((count * bits + 7) / 8) else { return nil }
        return PackedColumn(count: count, bits: bits, body: body)
    }
}
