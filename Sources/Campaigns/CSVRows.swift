import Foundation

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

    private struct Part {
        var offsets: [UInt32] = []
        var lengths: [UInt32] = []
        var lines: [Int] = []
        var malformed: [(line: Int, count: Int)] = []
        var fields: [(UInt32, UInt32)] = []
    }

    public init(_ data: Data) throws(Failure) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.count < Int(UInt32.max) / 2 else { throw .tooLarge }
        var arena: [UInt8] = []
        // Control characters are rare: one pass over the bytes (vectorized) says whether the
        // parser must look for them field by field, to name their line and column.
        let controls = bytes.withUnsafeBufferPointer { Self.containsControl($0) }
        let outcome = bytes.withUnsafeBufferPointer { (all: UnsafeBufferPointer<UInt8>) -> Result<([String], Part), Failure> in
            Result { () throws(Failure) in
                // The header: the first record.
                var headerPart = Part()
                let bodyStart = try Self.parse(all, from: 0, to: all.count, firstLine: 1, width: nil, into: &headerPart, arena: &arena,
                                                  checkControls: controls)
                let header = headerPart.fields.map { field in
                    String(decoding: field.0 >= UInt32(all.count) ? Array(arena[Int(field.0) - all.count..<Int(field.0) - all.count + Int(field.1)])
                                                                   : Array(all[Int(field.0)..<Int(field.0 + field.1)]), as: UTF8.self)
                }
                let bodyLine = 1 + all[..<bodyStart].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                // A large file with no quote at all is cut in two at a line break and read on
                // two cores; a quoted field may hold a line break, so one with quotes is read in one go.
                let body = all[bodyStart...]
                if body.count > 1 << 20, !body.contains(UInt8(ascii: "\"")),
                   let cut = body[(bodyStart + body.count / 2)...].firstIndex(of: UInt8(ascii: "\n")) {
                    let ranges = [(bodyStart, cut + 1), (cut + 1, all.count)]
                    let firstLines = [bodyLine, bodyLine + all[bodyStart...cut].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }]
                    // Each half is parsed into its own slot of a locked box: the threads share
                    // no mutable state, and the results are read after both have finished.
                    let halves = HalfResults<Part, Failure>()
                    let input = ReadOnlyBytes(all)
                    let width = header.count
                    let readHalf: @Sendable (Int) -> Result<Part, Failure> = { k in
                        Result { () throws(Failure) in
                            var part = Part(), unused: [UInt8] = []
                            _ = try Self.parse(input.buffer, from: ranges[k].0, to: ranges[k].1, firstLine: firstLines[k], width: width, into: &part, arena: &unused,
                                               checkControls: controls)
                            return part
                        }
                    }
                    DispatchQueue.concurrentPerform(iterations: 2) { k in halves.set(k, readHalf(k)) }
                    // (A missing half cannot happen; were it so, it is read again here rather than trusted.)
                    var first = try (halves.get(0) ?? readHalf(0)).get()
                    let second = try (halves.get(1) ?? readHalf(1)).get()
                    first.offsets += second.offsets
                    first.lengths += second.lengths
                    first.lines += second.lines
                    first.malformed += second.malformed
                    return (header, first)
                }
                var part = Part()
                _ = try Self.parse(all, from: bodyStart, to: all.count, firstLine: bodyLine, width: header.count, into: &part, arena: &arena,
                                   checkControls: controls)
                return (header, part)
            }
        }
        let (header, part) = try outcome.get()
        self.header = header
        bytes += arena
        storage = bytes
        offsets = part.offsets
        lengths = part.lengths
        lines = part.lines
        malformed = part.malformed
    }

    /// Whether any byte is a C0 control other than tab, LF and CR, or DEL (C1 controls are
    /// checked with the UTF-8 of non-ASCII fields).
    static func containsControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var found: UInt8 = 0
        for byte in bytes {
            let control = (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
            found |= control ? 1 : 0
        }
        return found != 0
    }

    /// Reads the records of `buffer[from..<to]` into `part` (blank records left out); with
    /// `width` nil, reads only the first record into `part.fields`. Quoted fields are unquoted
    /// into `arena`, whose offsets follow the buffer's. Returns where it stopped.
    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to n: Int, firstLine: Int, width: Int?,
                              into part: inout Part, arena: inout [UInt8], checkControls: Bool) throws(Failure) -> Int {
        var fields: [(UInt32, UInt32)] = []
        fields.reserveCapacity(width ?? 16)
        var line = firstLine, recordLine = firstLine
        var i = from
        var done = false
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        func finishRecord() {
            if width == nil { part.fields = fields; done = true }
            else if !fields.allSatisfy({ $0.1 == 0 }) {
                if fields.count == width {
                    for field in fields { part.offsets.append(field.0); part.lengths.append(field.1) }
                    part.lines.append(recordLine)
                } else {
                    part.malformed.append((recordLine, fields.count))
                }
            }
            fields.removeAll(keepingCapacity: true)
        }
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
                        throw .controlCharacter(line: line, column: fields.count, scalar: UInt32(byte))
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
                    let (at, column) = (recordLine, fields.count)
                    try kept.withUnsafeBufferPointer { (b) throws(Failure) in try checkUTF8(b, line: at, column: column) }
                }
                fields.append((UInt32(buffer.count + arena.count), UInt32(kept.count)))
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
                        throw .controlCharacter(line: recordLine, column: fields.count, scalar: UInt32(buffer[k]))
                    }
                }
                var low = start, high = i
                while low < high && (buffer[low] == space || buffer[low] == tab) { low += 1 }
                while high > low && (buffer[high - 1] == space || buffer[high - 1] == tab) { high -= 1 }
                if high8 >= 0x80 { try checkUTF8(UnsafeBufferPointer(rebasing: buffer[low..<high]), line: recordLine, column: fields.count) }
                fields.append((UInt32(low), UInt32(high - low)))
            }
            // What ends it.
            if i >= n { finishRecord(); i = n; break }
            switch buffer[i] {
            case comma: i += 1
            case cr:
                i += 1
                if i < n && buffer[i] == lf { i += 1 }
                line += 1
                finishRecord(); recordLine = line
                if i >= n { i = n; done = true }
            default:  // LF
                i += 1
                line += 1
                finishRecord(); recordLine = line
                if i >= n { i = n; done = true }
            }
        }
        return i
    }
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

/// A read-only view of the file's bytes handed to the reading threads; the array it points
/// into outlives them and is not mutated while they run.
struct ReadOnlyBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}
