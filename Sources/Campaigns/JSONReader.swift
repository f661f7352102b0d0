import Foundation

/// Reads a JSON file (RFC 8259) into a ``JSONNode``, with errors written for people: where
/// (line and column, or the JSON path of a value), what is wrong, and how to fix it — never a
/// decoder's internal text (issue #18 item 3).
///
/// - Not UTF-8: the byte offset and line of the first bad byte, and "save the file as UTF-8".
/// - Syntax: the line and column, and what was expected there.
/// - Numbers too large for a double (`1e999`): the JSON path (`$.wave`).
/// - A key repeated in one object: its path (the file is ambiguous).
/// - An empty file: says it is empty.
/// Strings may hold any character JSON allows; control characters are then judged by the
/// campaign validator, field by field.
public struct JSONReader {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// `line L, column C`, a JSON path such as `$.wave`, or `file`.
        public let location: String
        public let message: String
        public let hint: String?
        public var description: String { "\(location): \(message)" + (hint.map { " (\($0))" } ?? "") }
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static func read(_ data: Data) throws(Failure) -> JSONNode {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count
            throw Failure(location: "line \(line)", message: "is not UTF-8 text (byte \(offset + 1) is not valid UTF-8; the file may be saved as Latin-1 or Windows-1252)",
                          hint: "save the file as UTF-8 (in most editors: Save as… › Encoding › UTF-8)")
        }
        var reader = JSONReader(bytes)
        reader.skipSpace()
        guard reader.index < bytes.count else {
            throw Failure(location: "file", message: "is empty", hint: "a campaign file is a JSON object: start from one of the files in campaigns/")
        }
        let node = try reader.value(path: "$")
        reader.skipSpace()
        guard reader.index == bytes.count else {
            throw reader.failure("unexpected text after the end of the JSON value", hint: "remove it, or check for an extra closing brace")
        }
        return node
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return bytes.count
    }

    // MARK: Positions

    private var lineAndColumn: (Int, Int) {
        var line = 1, lineStart = 0
        for k in 0..<min(index, bytes.count) where bytes[k] == UInt8(ascii: "\n") { line += 1; lineStart = k + 1 }
        let column = String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    private func failure(_ message: String, hint: String? = nil) -> Failure {
        let (line, column) = lineAndColumn
        return Failure(location: "line \(line), column \(column)", message: message, hint: hint)
    }

    private func found() -> String {
        guard index < bytes.count else { return "the end of the file" }
        let character = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).first.map(String.init) ?? "?"
        return "“\(character)”"
    }

    // MARK: Grammar

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value(path: String) throws(Failure) -> JSONNode {
        skipSpace()
        guard index < bytes.count else { throw failure("the file ends where a value was expected", hint: "the file looks cut short: check the last lines") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(path: path)
        case UInt8(ascii: "["): return try array(path: path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(path: path)
        default:
            throw failure("expected a value (text in double quotes, a number, true, false, null, an object or a list) but found \(found())",
                          hint: bytes[index] == UInt8(ascii: "'") ? "JSON text uses double quotes, not single quotes" : "check the line above for a missing or extra comma")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw failure("expected \(word) but found \(found())", hint: "text values need double quotes")
        }
        index += expected.count
    }

    private mutating func object(path: String) throws(Failure) -> JSONNode {
        index += 1
        var members: [String: JSONNode] = [:]
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a key in double quotes but found \(found())",
                              hint: index < bytes.count && bytes[index] == UInt8(ascii: "}") ? "remove the comma before “}”" : "write keys in double quotes, e.g. \"title\"")
            }
            let keyStart = index
            let key = try string()
            let memberPath = Self.path(path, key: key)
            if members[key] != nil {
                index = keyStart
                throw failure("the key \"\(key)\" appears twice in the same object (\(memberPath))", hint: "keep one of them")
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected “:” after the key \"\(key)\" but found \(found())") }
            index += 1
            members[key] = try value(path: memberPath)
            skipSpace()
            guard index < bytes.count else { throw failure("the file ends inside an object: a “}” is missing") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw failure("expected “,” or “}” after the value of \"\(key)\" but found \(found())", hint: "a comma is probably missing at the end of the previous line")
        }
    }

    private mutating func array(path: String) throws(Failure) -> JSONNode {
        index += 1
        var items: [JSONNode] = []
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") { throw failure("a value is missing before “]”", hint: "remove the comma before “]”") }
            items.append(try value(path: "\(path)[\(items.count)]"))
            skipSpace()
            guard index < bytes.count else { throw failure("the file ends inside a list: a “]” is missing") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw failure("expected “,” or “]” in the list but found \(found())", hint: "a comma is probably missing between two items")
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw failure("the file ends inside a text value: a closing \" is missing") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw failure("the file ends inside a text value") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A surrogate pair: \uD83D\uDE00.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("a \\u escape starts a surrogate pair that is not completed")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u escape starts a surrogate pair that is not completed") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw failure("a \\u escape is half of a surrogate pair")
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default:
                    index -= 1
                    throw failure("\\\(String(decoding: [escaped], as: UTF8.self)) is not a JSON escape", hint: "write a backslash as \\\\")
                }
            case 0x00...0x1F:
                throw failure("a text value holds a raw control character or line break", hint: "write a line break as \\n inside the quotes, and remove other invisible characters")
            default:
                out.append(byte)
                index += 1
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
            throw failure("\\u must be followed by four hexadecimal digits")
        }
        index += 4
        return value
    }

    private mutating func number(path: String) throws(Failure) -> JSONNode {
        let start = index
        func digits() -> Int { let from = index; while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }; return index - from }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integer = digits()
        guard integer > 0 else { throw failure("a number is expected after “-”") }
        if integer > 1 && bytes[index - integer] == UInt8(ascii: "0") {
            index = start
            throw failure("a number cannot start with 0 (found at \(path))", hint: "write it without leading zeros")
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure("digits are expected after the decimal point", hint: "JSON numbers use a point, e.g. 0.95") }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { throw failure("digits are expected after the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Failure(location: path, message: "the number \(text) is too large to be read", hint: "give an ordinary number")
        }
        return .number(value)
    }

    static func path(_ parent: String, key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !key.first!.isNumber
        return plain ? "\(parent).\(key)" : "\(parent)[\"\(key)\"]"
    }
}
