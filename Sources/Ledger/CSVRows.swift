import Foundation

/// RFC 4180 CSV read straight from the file's bytes: fields separated by commas, records by
/// LF or CRLF, double quotes around fields that hold commas, quotes or line breaks (a quote
/// inside is doubled). A UTF-8 byte-order mark is skipped. Fields are trimmed of spaces and
/// tabs around them, a record is numbered by the line it starts on, and records whose fields
/// are all empty are left out. The first record is the header.
///
/// It replaces a general CSV library on the ledger's imports because a study of 10^6 tests
/// is 3.75 million records: the fields are kept in one flat array (no array per record),
/// an ASCII field becomes a String with no intermediate copy, and a large file without
/// quotes is read on two cores (bench/README.md).
struct CSVRows {
    enum Failure: Error, Equatable {
        case notUTF8
        case unclosedQuote(line: Int)
        case textAfterQuote(line: Int)
    }

    let header: [String]
    /// The fields of the records that have as many fields as the header, record after record.
    let cells: [String]
    /// The line of each of those records.
    let lines: [Int]
    /// The records with another number of fields: their line and field count.
    let malformed: [(line: Int, count: Int)]

    var count: Int { lines.count }
    var width: Int { header.count }

    /// The fields of record `k` (of those with as many fields as the header).
    func fields(_ k: Int) -> ArraySlice<String> { cells[(k * width)..<((k + 1) * width)] }


    private struct Part {
        var cells: [String] = []
        var lines: [Int] = []
        var malformed: [(line: Int, count: Int)] = []
    }

    init(_ data: Data) throws(Failure) {
        let outcome = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<([String], Part), Failure> in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            return Result { () throws(Failure) in
                // The header: the first record.
                var header: [String] = []
                let bodyStart = try Self.parse(bytes, firstLine: 1, width: nil) { line, fields in header = fields; _ = line }
                let body = UnsafeBufferPointer(rebasing: bytes[bodyStart...])
                let bodyLine = 1 + bytes[..<bodyStart].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                // A large file with no quote at all is cut in two at a line break and read on
                // two cores; a quoted field may hold a line break, so one with quotes is read in one go.
                if body.count > 1 << 20, !body.contains(UInt8(ascii: "\"")), let cut = body[(body.count / 2)...].firstIndex(of: UInt8(ascii: "\n")) {
                    nonisolated(unsafe) let parts = [UnsafeBufferPointer(rebasing: body[..<(cut + 1)]), UnsafeBufferPointer(rebasing: body[(cut + 1)...])]
                    let firstLines = [bodyLine, bodyLine + parts[0].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }]
                    nonisolated(unsafe) var results: [Result<Part, Failure>?] = [nil, nil]
                    let width = header.count
                    DispatchQueue.concurrentPerform(iterations: 2) { k in
                        results[k] = Result { () throws(Failure) in try Self.records(parts[k], firstLine: firstLines[k], width: width) }
                    }
                    var first = try results[0]!.get()
                    let second = try results[1]!.get()
                    first.cells += second.cells
                    first.lines += second.lines
                    first.malformed += second.malformed
                    return (header, first)
                }
                return (header, try Self.records(body, firstLine: bodyLine, width: header.count))
            }
        }
        let (header, part) = try outcome.get()
        self.header = header
        cells = part.cells
        lines = part.lines
        malformed = part.malformed
    }

    private static func records(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, width: Int) throws(Failure) -> Part {
        var part = Part()
        part.cells.reserveCapacity(buffer.count / 8)
        _ = try parse(buffer, firstLine: firstLine, width: width) { line, fields in
            if fields.count == width {
                part.cells += fields
                part.lines.append(line)
            } else {
                part.malformed.append((line, fields.count))
            }
        }
        return part
    }

    /// Reads records from `buffer`, calling `record` with each one's line and fields (blank
    /// records left out); with `width` nil, stops after the first record. Returns where it stopped.
    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, width: Int?,
                              _ record: (Int, [String]) -> Void) throws(Failure) -> Int {
        var fields: [String] = []
        fields.reserveCapacity(width ?? 16)
        var line = firstLine, recordLine = firstLine
        var i = 0
        let n = buffer.count
        var done = false
        func finishRecord() {
            if width == nil { record(recordLine, fields); done = true }
            else if !fields.allSatisfy(\.isEmpty) { record(recordLine, fields) }
            fields.removeAll(keepingCapacity: true)
        }
        // ASCII needs no validation (most fields of most files); other bytes are checked.
        func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
            var high: UInt8 = 0
            for byte in bytes { high |= byte }
            if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
            guard let value = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
            return value
        }
        while i <= n && !done {
            // One field.
            if i < n && buffer[i] == UInt8(ascii: "\"") {
                var value: [UInt8] = []
                i += 1
                while true {
                    guard i < n else { throw .unclosedQuote(line: recordLine) }
                    let byte = buffer[i]
                    if byte == UInt8(ascii: "\"") {
                        if i + 1 < n && buffer[i + 1] == UInt8(ascii: "\"") { value.append(byte); i += 2; continue }
                        i += 1
                        break
                    }
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    value.append(byte)
                    i += 1
                }
                // Only spaces may follow the closing quote.
                while i < n && (buffer[i] == UInt8(ascii: " ") || buffer[i] == UInt8(ascii: "\t")) { i += 1 }
                if i < n && buffer[i] != UInt8(ascii: ",") && buffer[i] != UInt8(ascii: "\n") && buffer[i] != UInt8(ascii: "\r") {
                    throw .textAfterQuote(line: line)
                }
                fields.append(trimmed(try value.withUnsafeBufferPointer { (v: UnsafeBufferPointer<UInt8>) throws(Failure) in try text(v) }))
            } else {
                let start = i
                while i < n && buffer[i] != UInt8(ascii: ",") && buffer[i] != UInt8(ascii: "\n") && buffer[i] != UInt8(ascii: "\r") { i += 1 }
                var low = start, high = i
                while low < high && (buffer[low] == UInt8(ascii: " ") || buffer[low] == UInt8(ascii: "\t")) { low += 1 }
                while high > low && (buffer[high - 1] == UInt8(ascii: " ") || buffer[high - 1] == UInt8(ascii: "\t")) { high -= 1 }
                fields.append(try text(UnsafeBufferPointer(rebasing: buffer[low..<high])))
            }
            // What ends it.
            if i >= n { finishRecord(); i = n; break }
            switch buffer[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "\r"):
                i += 1
                if i < n && buffer[i] == UInt8(ascii: "\n") { i += 1 }
                line += 1
                finishRecord(); recordLine = line
                if i >= n { i = n; done = true }
            default:  // "\n"
                i += 1
                line += 1
                finishRecord(); recordLine = line
                if i >= n { i = n; done = true }
            }
        }
        return i
    }

    private static func trimmed(_ field: String) -> String {
        guard let first = field.utf8.first, let last = field.utf8.last,
              first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") else { return field }
        return field.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }
}
