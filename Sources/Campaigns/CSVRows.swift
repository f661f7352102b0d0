import Foundation
import Values

/// RFC 4180 CSV read straight from the file's bytes: fields separated by commas, records by
/// LF or CRLF, double quotes around fields that hold commas, quotes or line breaks (a quote
/// inside is doubled). A UTF-8 byte-order mark is skipped. Fields are trimmed of spaces and
/// tabs around them, a record is numbered by the line it starts on, and records whose fields
/// are all empty are left out. The first record is the header.
///
/// It is the one CSV reader (targets files, outcome and study imports). It is hand-written
/// because a study of 10^6 tests
/// is 3.75 million records: a field is kept as where its bytes are (no String, no array per
/// record), only non-ASCII fields are checked as UTF-8, and a large file without quotes is
/// read on two cores (bench/README.md). ``string(_:_:)`` makes a field's String on demand.
/// Field access is `@inlinable`: the Ledger's imports call it for every field.
public struct CSVRows: Sendable {
    public enum Failure: Error, Equatable {
        case notUTF8(line: Int)
        case unclosedQuote(line: Int)
        case textAfterQuote(line: Int)
        /// A field holds a control character (C0 other than tab and, in a quoted field, line
        /// breaks; DEL; C1): `column` is its position in the record (0-based).
        case controlCharacter(line: Int, column: Int, scalar: UInt32)
        case tooLarge
    }

    public let header: [String]
    /// The file's bytes, then the unquoted text of quoted fields.
    @usableFromInline let storage: [UInt8]
    /// Where each field of the well-formed records is in `storage` (record after record,
    /// `width` fields each): its first byte and its length.
    @usableFromInline let offsets: [UInt32]
    @usableFromInline let lengths: [UInt32]
    /// The line of each record that has as many fields as the header.
    public let lines: [Int]
    /// The records with another number of fields: their line and field count.
    public let malformed: [(line: Int, count: Int)]

    @inlinable public var count: Int { lines.count }
    @inlinable public var width: Int { header.count }

    /// Field `column` of record `record`, as text.
    @inlinable
    public func string(_ record: Int, _ column: Int) -> String {
        withBytes(record, column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of field `column` of record `record`.
    @inlinable
    public func withBytes<T>(_ record: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let k = record * width + column
        let start = Int(offsets[k]), length = Int(lengths[k])
        return storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + length)])) }
    }

    /// The fields of record `record`, as text.
    public func fields(_ record: Int) -> [String] { (0..<width).map { string(record, $0) } }

    /// What ``CSVRows/init(_:)`` keeps of each record.
    private struct Stored: Sendable {
        var offsets: [UInt32] = []
        var lengths: [UInt32] = []
        var lines: [Int] = []
    }

    public init(_ data: Data) throws(Failure) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var arena: [UInt8] = []
        let scan = try bytes.withUnsafeBufferPointer { (all) throws(Failure) in
            try Self.scan(all, arena: &arena, makePart: { _, _ in Stored() }) { stored, record in
                for (start, length) in record.fields { stored.offsets.append(start); stored.lengths.append(length) }
                stored.lines.append(record.line)
            }
        }
        var stored = scan.parts[0]
        for part in scan.parts.dropFirst() {
            stored.offsets += part.offsets
            stored.lengths += part.lengths
            stored.lines += part.lines
        }
        header = scan.header
        bytes += arena
        storage = bytes
        offsets = stored.offsets
        lengths = stored.lengths
        lines = stored.lines
        malformed = scan.malformed
    }

    /// The header of a CSV file (its first record), without reading the rest.
    public static func header(of data: Data) throws(Failure) -> [String] {
        try data.withUnsafeBytes { raw in
            Result { () throws(Failure) in
                let all = Self.withoutByteOrderMark(raw.bindMemory(to: UInt8.self))
                var arena: [UInt8] = [], fields: [String] = []
                var unusedMalformed: [(line: Int, count: Int)] = []
                _ = try parse(all, from: 0, to: all.count, firstLine: 1, width: nil, into: &fields, malformed: &unusedMalformed, arena: &arena,
                              checkControls: true) { fields, record in fields = (0..<record.count).map { record.string($0) } }
                return fields
            }
        }.get()
    }

    /// Reads a CSV file record by record without keeping it (the study import's path: no
    /// field offsets for millions of records). Each record with as many fields as the
    /// header is handed to `visit` with a part of the result (made by `makePart` from its
    /// index, 0 for the first, and the number of bytes it will read, to size its tables);
    /// records with another number
    /// of fields are returned in `malformed`, blank ones left out. A large file without
    /// quotes is read in two halves on two cores, each into its own part (``CSVScan/parts``
    /// are in file order); `visit` must therefore only touch its part.
    public static func scan<Part: Sendable>(_ data: Data, makePart: @escaping @Sendable (_ part: Int, _ bytes: Int) -> Part,
                                            visit: @escaping @Sendable (inout Part, CSVRecord) -> Void) throws(Failure) -> CSVScan<Part> {
        try data.withUnsafeBytes { raw in
            Result { () throws(Failure) in
                var arena: [UInt8] = []
                return try scan(Self.withoutByteOrderMark(raw.bindMemory(to: UInt8.self)), arena: &arena, makePart: makePart, visit: visit)
            }
        }.get()
    }

    static func withoutByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: bytes[3...]) : bytes
    }

    /// The scan of `all` (no byte-order mark): the header, then the body in one or two parts.
    /// Quoted fields are unquoted into `arena` (a file with quotes is read in one part).
    private static func scan<Part: Sendable>(_ all: UnsafeBufferPointer<UInt8>, arena: inout [UInt8], makePart: @escaping @Sendable (_ part: Int, _ bytes: Int) -> Part,
                                             visit: @escaping @Sendable (inout Part, CSVRecord) -> Void) throws(Failure) -> CSVScan<Part> {
        guard all.count < Int(UInt32.max) / 2 else { throw .tooLarge }
        // Control characters are rare: one pass over the bytes (vectorized) says whether the
        // parser must look for them field by field, to name their line and column.
        let controls = Self.containsControl(all)
        // The header: the first record.
        var header: [String] = []
        var malformed: [(line: Int, count: Int)] = []
        let bodyStart = try Self.parse(all, from: 0, to: all.count, firstLine: 1, width: nil, into: &header, malformed: &malformed, arena: &arena,
                                       checkControls: controls) { header, record in header = (0..<record.count).map { record.string($0) } }
        let bodyLine = 1 + Self.lineBreaks(UnsafeBufferPointer(rebasing: all[..<bodyStart]))
        // A large file with no quote at all is cut in two at a line break and read on
        // two cores; a quoted field may hold a line break, so one with quotes is read in one go.
        let body = all[bodyStart...]
        let width = header.count
        if body.count > 1 << 20, !body.contains(UInt8(ascii: "\"")),
           let cut = body[(bodyStart + body.count / 2)...].firstIndex(of: UInt8(ascii: "\n")) {
            let ranges = [(bodyStart, cut + 1), (cut + 1, all.count)]
            let firstLines = [bodyLine, bodyLine + Self.lineBreaks(UnsafeBufferPointer(rebasing: all[bodyStart...cut]))]
            // Each half is parsed into its own slot of a locked box: the threads share
            // no mutable state, and the results are read after both have finished.
            let halves = HalfResults<(Part, [(line: Int, count: Int)]), Failure>()
            let input = UncheckedSendable(all)
            let readHalf: @Sendable (Int) -> Result<(Part, [(line: Int, count: Int)]), Failure> = { k in
                Result { () throws(Failure) in
                    var part = makePart(k, ranges[k].1 - ranges[k].0), malformed: [(line: Int, count: Int)] = [], unused: [UInt8] = []
                    _ = try Self.parse(input.value, from: ranges[k].0, to: ranges[k].1, firstLine: firstLines[k], width: width, into: &part,
                                       malformed: &malformed, arena: &unused, checkControls: controls, visit: visit)
                    return (part, malformed)
                }
            }
            DispatchQueue.concurrentPerform(iterations: 2) { k in halves.set(k, readHalf(k)) }
            // (A missing half cannot happen; were it so, it is read again here rather than trusted.)
            let first = try (halves.get(0) ?? readHalf(0)).get()
            let second = try (halves.get(1) ?? readHalf(1)).get()
            return CSVScan(header: header, parts: [first.0, second.0], malformed: first.1 + second.1)
        }
        var part = makePart(0, all.count - bodyStart)
        _ = try Self.parse(all, from: bodyStart, to: all.count, firstLine: bodyLine, width: width, into: &part, malformed: &malformed,
                           arena: &arena, checkControls: controls, visit: visit)
        return CSVScan(header: header, parts: [part], malformed: malformed)
    }

    /// Reads the records of `buffer[from..<to]` into `part` (blank records left out); with
    /// `width` nil, reads only the first record into `part.fields`. Quoted fields are unquoted
    /// into `arena`, whose offsets follow the buffer's. Returns where it stopped.
    private static func parse<Part>(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to n: Int, firstLine: Int, width: Int?,
                                    into part: inout Part, malformed: inout [(line: Int, count: Int)], arena: inout [UInt8], checkControls: Bool,
                                    visit: (inout Part, CSVRecord) -> Void) throws(Failure) -> Int {
        // The record's fields (first byte, length), in storage reused from record to record.
        var capacity = max(width ?? 16, 1), count = 0
        var fields = UnsafeMutablePointer<(UInt32, UInt32)>.allocate(capacity: capacity)
        defer { fields.deallocate() }
        var line = firstLine, recordLine = firstLine
        var i = from
        var done = false
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        // (It takes the line and column as arguments: capturing the mutable record state here
        // would make Swift check exclusive access dynamically in the whole loop.)
        func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, column: Int) throws(Failure) {
            guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8(line: line) }
            // C1 controls (U+0080–U+009F) are 0xC2 0x80…0x9F in UTF-8.
            if bytes.count >= 2 {
                for k in 0..<(bytes.count - 1) where bytes[k] == 0xC2 && bytes[k + 1] >= 0x80 && bytes[k + 1] <= 0x9F {
                    throw .controlCharacter(line: line, column: column, scalar: UInt32(bytes[k + 1]))
                }
            }
        }
        while i <= n && !done {
            // One field.
            if i < n && buffer[i] == quote {
                var value: [UInt8] = []
                i += 1
                while true {
                    guard i < n else { throw .unclosedQuote(line: recordLine) }
                    let byte = buffer[i]
                    if byte == quote {
                        if i + 1 < n && buffer[i + 1] == quote { value.append(byte); i += 2; continue }
                        i += 1
                        break
                    }
                    if byte == lf { line += 1 }
                    else if checkControls && ((byte < 0x20 && byte != tab && byte != cr) || byte == 0x7F) {
                        throw .controlCharacter(line: line, column: count, scalar: UInt32(byte))
                    }
                    value.append(byte)
                    i += 1
                }
                // Only spaces may follow the closing quote.
                while i < n && (buffer[i] == space || buffer[i] == tab) { i += 1 }
                if i < n && buffer[i] != comma && buffer[i] != lf && buffer[i] != cr { throw .textAfterQuote(line: line) }
                var low = 0, high = value.count
                while low < high && (value[low] == space || value[low] == tab) { low += 1 }
                while high > low && (value[high - 1] == space || value[high - 1] == tab) { high -= 1 }
                let kept = value[low..<high]
                if kept.contains(where: { $0 >= 0x80 }) {
                    let (at, column) = (recordLine, count)
                    try kept.withUnsafeBufferPointer { (b) throws(Failure) in try checkUTF8(b, line: at, column: column) }
                }
                if count == capacity { fields = grow(fields, count: count, to: &capacity) }
                fields[count] = (UInt32(buffer.count + arena.count), UInt32(kept.count))
                count += 1
                arena += kept
            } else {
                let start = i
                var high8: UInt8 = 0
                while i < n {
                    let byte = buffer[i]
                    if byte == comma || byte == lf || byte == cr { break }
                    high8 |= byte
                    i += 1
                }
                if checkControls {
                    for k in start..<i where (buffer[k] < 0x20 && buffer[k] != tab) || buffer[k] == 0x7F {
                        throw .controlCharacter(line: recordLine, column: count, scalar: UInt32(buffer[k]))
                    }
                }
                var low = start, high = i
                while low < high && (buffer[low] == space || buffer[low] == tab) { low += 1 }
                while high > low && (buffer[high - 1] == space || buffer[high - 1] == tab) { high -= 1 }
                if high8 >= 0x80 { try checkUTF8(UnsafeBufferPointer(rebasing: buffer[low..<high]), line: recordLine, column: count) }
                if count == capacity { fields = grow(fields, count: count, to: &capacity) }
                fields[count] = (UInt32(low), UInt32(high - low))
                count += 1
            }
            // What ends it: a comma goes on to the next field; a line break or the end of the
            // input ends the record.
            if i >= n {
                i = n
                done = true
            } else {
                switch buffer[i] {
                case comma:
                    i += 1
                    continue
                case cr:
                    i += 1
                    if i < n && buffer[i] == lf { i += 1 }
                default:  // LF
                    i += 1
                }
                line += 1
                if i >= n { i = n; done = true }
            }
            // The record is complete. (Finished here in the loop, not in a nested function:
            // one capturing the record state and the part would make Swift check exclusive
            // access dynamically, and retain, for every record.)
            var blank = true
            for k in 0..<count where fields[k].1 != 0 { blank = false; break }
            if width == nil || (count == width && !blank) {
                let record = UnsafeBufferPointer(start: fields, count: count)
                if arena.isEmpty {
                    visit(&part, CSVRecord(line: recordLine, buffer: buffer, arena: UnsafeBufferPointer(start: nil, count: 0), fields: record))
                } else {
                    arena.withUnsafeBufferPointer { arena in visit(&part, CSVRecord(line: recordLine, buffer: buffer, arena: arena, fields: record)) }
                }
                if width == nil { done = true }
            } else if !blank {
                malformed.append((recordLine, count))
            }
            count = 0
            recordLine = line
        }
        return i
    }

    /// The fields' storage, twice as large (a record wider than expected: malformed, but its
    /// fields are still counted).
    private static func grow(_ fields: UnsafeMutablePointer<(UInt32, UInt32)>, count: Int, to capacity: inout Int) -> UnsafeMutablePointer<(UInt32, UInt32)> {
        capacity *= 2
        let larger = UnsafeMutablePointer<(UInt32, UInt32)>.allocate(capacity: capacity)
        larger.moveInitialize(from: fields, count: count)
        fields.deallocate()
        return larger
    }
}

/// One record met by ``CSVRows/scan(_:makePart:visit:)``: its line and its fields, valid only
/// during the visit. Field access is `@inlinable` (the study import reads every field).
public struct CSVRecord {
    public let line: Int
    /// The file's bytes, and the unquoted text of quoted fields (offsets from `buffer.count` on).
    @usableFromInline let buffer: UnsafeBufferPointer<UInt8>
    @usableFromInline let arena: UnsafeBufferPointer<UInt8>
    /// Each field's first byte and length.
    @usableFromInline let fields: UnsafeBufferPointer<(UInt32, UInt32)>

    @inlinable public var count: Int { fields.count }

    /// Calls `body` with the bytes of field `column`.
    @inlinable
    public func withBytes<T>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let start = Int(fields[column].0), length = Int(fields[column].1)
        if start >= buffer.count {
            let inArena = start - buffer.count
            return body(UnsafeBufferPointer(rebasing: arena[inArena..<(inArena + length)]))
        }
        return body(UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]))
    }

    /// Field `column` as text.
    public func string(_ column: Int) -> String { withBytes(column) { String(decoding: $0, as: UTF8.self) } }
}

/// What ``CSVRows/scan(_:makePart:visit:)`` returns: the header, the parts the records were
/// read into (in file order), and the records with another number of fields than the header.
public struct CSVScan<Part> {
    public let header: [String]
    public var parts: [Part]
    public let malformed: [(line: Int, count: Int)]
}

/// The two halves' results of a concurrent read, each set once by its own thread under a
/// lock and read after `concurrentPerform` returns (no unsynchronized shared write).
final class HalfResults<Value, Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, Failure>?] = [nil, nil]

    func set(_ index: Int, _ result: Result<Value, Failure>) { lock.withLock { slots[index] = result } }

    /// The result of half `index`; `concurrentPerform` returns only after every iteration
    /// has run, so it is set (nil would mean an iteration never ran).
    func get(_ index: Int) -> Result<Value, Failure>? { lock.withLock { slots[index] } }
}
