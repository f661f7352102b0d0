import Foundation
import Values

// Format 1 of the columns blob, written by import-study before format 2: still read.
//
//   "BRSC" 1 · string tables (targets, arms, organizations, attributeTexts) · integer
//   columns (testSize, testOrganization, testAttributes, arm, sendOrder, attributes,
//   positive). A string table is a count then length-prefixed UTF-8; an integer column
//   is a count, a byte width (1, 2 or 4) and its values + 1 (so that −1 is 0), little-endian.

extension StudyColumns {
    /// Decodes a format 1 blob. The targets' texts (one per test: a million for a large
    /// study) are decoded on one core while the rest is decoded on another.
    static func decodeFormat1(_ bytes: UncheckedSendable<UnsafeRawBufferPointer>, names: Bool) -> StudyColumns? {
        // Where each string table starts (its strings are walked, not decoded) and where the
        // integer columns start.
        var reader = Reader(bytes: bytes.value, offset: 5)
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
            names ? Self.strings(bytes.value, count: tables[0].count, from: tables[0].start) : []
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
        guard let (tableValues, columns, positive, atEnd) = decodedRest, atEnd else { return nil }
        var c = StudyColumns()
        c.targets = targets; c.arms = tableValues[0]; c.organizations = tableValues[1]; c.attributeTexts = tableValues[2]
        c.testSize = columns[0]; c.testOrganization = columns[1]; c.testAttributes = columns[2]
        c.arm = columns[3]; c.sendOrder = columns[4]; c.attributes = columns[5]; c.positive = positive
        return c.validated(names: names)
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

    static func hasTargetFormat1(_ raw: UnsafeRawBufferPointer, _ wanted: [UInt8]) -> Bool {
        var reader = Reader(bytes: raw, offset: 5)
        guard let count = reader.uint32() else { return false }
        for _ in 0..<count {
            guard let length = reader.uint32(), let bytes = reader.take(Int(length)) else { return false }
            if bytes.elementsEqual(wanted) { return true }
        }
        return false
    }
}

extension StudyColumns.Reader {
    /// A format 1 integer column.
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

    /// A format 1 column of values 0…255 (`positive`), straight to bytes: one byte per
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
