import Foundation

/// RFC 4180 CSV read straight from the file's bytes: fields separated by commas, records by
/// LF or CRLF, double quotes around fields that hold commas, quotes or line breaks (a quote
/// inside is doubled). A UTF-8 byte-order mark is skipped. Fields are trimmed of spaces and
/// tabs around them, a record is numbered by the line it starts on, and records whose fields
/// are all empty are left out (the first record is the header).
///
/// It replaces a general CSV library on the ledger's imports because a study of 10^6 tests
/// is 3.75 million records: here a field that needs no unquoting or trimming becomes a
/// String with no intermediate copy (bench/README.md).
struct CSVRows {
    enum Failure: Error, Equatable {
        case notUTF8
        case unclosedQuote(line: Int)
        case textAfterQuote(line: Int)
    }

    let header: [String]
    /// Each record's line and fields.
    let records: [(line: Int, fields: [String])]

    init(_ data: Data) throws(Failure) {
        typealias Parsed = (header: [String]?, records: [(line: Int, fields: [String])])
        let outcome = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<Parsed, Failure> in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            // A large file with no quote at all is cut in two at a line break and read on two
            // cores; a quoted field may hold a line break, so a file with quotes is read in one go.
            let half = bytes.count / 2
            if bytes.count > 1 << 20, !bytes.contains(UInt8(ascii: "\"")), let cut = bytes[half...].firstIndex(of: UInt8(ascii: "\n")) {
                nonisolated(unsafe) let parts = [UnsafeBufferPointer(rebasing: bytes[..<(cut + 1)]), UnsafeBufferPointer(rebasing: bytes[(cut + 1)...])]
                let firstLines = parts[0].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                nonisolated(unsafe) var results: [Result<(header: [String]?, records: [(line: Int, fields: [String])]), Failure>?] = [nil, nil]
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    results[k] = Result { () throws(Failure) in try Self.parse(parts[k], firstLine: k == 0 ? 1 : firstLines + 1, withHeader: k == 0) }
                }
                guard case .success(var first) = results[0]! else { return results[0]! }
                guard case .success(let second) = results[1]! else { return results[1]! }
                first.records += second.records
                return .success(first)
            }
            return Result { () throws(Failure) in try Self.parse(bytes, firstLine: 1, withHeader: true) }
        }
        let result = try outcome.get()
        self.header = result.header ?? []
        self.records = result.records
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, withHeader: Bool) throws(Failure)
        -> (header: [String]?, records: [(line: Int, fields: [String])]) {
        var records: [(line: Int, fields: [String])] = []
        var header: [String]?
        var expectHeader = withHeader
        var fields: [String] = []
        var line = firstLine, recordLine = firstLine
        var i = 0
        let n = buffer.count
        func finishRecord() {
            if expectHeader { header = fields; expectHeader = false } else if !fields.allSatisfy(\.isEmpty) { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
            guard let value = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
            return value
        }
        while i <= n {
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
            if i >= n { finishRecord(); break }
            switch buffer[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "\r"):
                i += 1
                if i < n && buffer[i] == UInt8(ascii: "\n") { i += 1 }
                finishRecord(); line += 1; recordLine = line
                if i >= n { i = n + 1 }
            default:  // "\n"
                i += 1
                finishRecord(); line += 1; recordLine = line
                if i >= n { i = n + 1 }
            }
        }
        return (header, records)
    }

    private static func trimmed(_ field: String) -> String {
        guard let first = field.utf8.first, let last = field.utf8.last,
              first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") else { return field }
        return field.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }
}
