/// A JSON document with ordered keys, for output whose layout is part of the contract
/// (Foundation's `JSONEncoder` does not keep key order on Linux).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A double; non-finite values are written as `null` (JSON has no NaN or ∞).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(l), .bool(r)): return l == r
        case let (.int(l), .int(r)): return l == r
        case let (.number(l), .number(r)): return l == r || (l.isNaN && r.isNaN)
        case let (.string(l), .string(r)): return l == r
        case let (.array(l), .array(r)): return l == r
        case let (.object(l), .object(r)):
            return l.count == r.count && zip(l, r).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// Pretty-printed text with two-space indentation; arrays of scalars stay on one line.
    public func rendered(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: indent)
        return out
    }

    /// ``rendered(indent:)`` appended to `out`: one string grows, rather than one per value
    /// joined at every level (a million-test study's findings are a megabyte of JSON).
    public func render(into out: inout String, indent: Int = 0) {
        switch self {
        case .null: out += "null"
        case let .bool(value): out += value ? "true" : "false"
        case let .int(value): out += String(value)
        case let .number(value): out += Self.format(value)
        case let .string(value): Self.quote(value, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (k, item) in items.enumerated() {
                    if k > 0 { out += ", " }
                    item.render(into: &out)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (k, item) in items.enumerated() {
                if k > 0 { out += ",\n" }
                Self.pad(&out, indent + 1)
                item.render(into: &out, indent: indent + 1)
            }
            out += "\n"
            Self.pad(&out, indent)
            out += "]"
        case let .object(pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (k, pair) in pairs.enumerated() {
                if k > 0 { out += ",\n" }
                Self.pad(&out, indent + 1)
                Self.quote(pair.0, into: &out)
                out += ": "
                pair.1.render(into: &out, indent: indent + 1)
            }
            out += "\n"
            Self.pad(&out, indent)
            out += "}"
        }
    }

    private static func pad(_ out: inout String, _ level: Int) {
        for _ in 0..<level { out += "  " }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"  // shortest representation that round-trips
    }

    /// A JSON string literal (RFC 8259 escaping).
    public static func quote(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }

    /// ``quote(_:)`` appended to `out`: the text between two characters to escape is
    /// appended whole (a document's body has a newline every line, and appending it scalar
    /// by scalar was a tenth of a 10,000-target `plan`). Only ASCII bytes are escaped, and no
    /// byte of a multi-byte UTF-8 sequence is ASCII, so each run ends on a character.
    public static func quote(_ text: String, into out: inout String) {
        out += "\""
        let utf8 = text.utf8
        var run = utf8.startIndex, i = run
        while i != utf8.endIndex {
            let byte = utf8[i]
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else {
                i = utf8.index(after: i)
                continue
            }
            if run != i { out += text[run..<i] }
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            default: out += String(format: UInt32(byte))
            }
            i = utf8.index(after: i)
            run = i
        }
        if run == utf8.startIndex { out += text } else if run != i { out += text[run..<i] }
        out += "\""
    }
}

private extension String {
    init(format value: UInt32) {
        let hex = String(value, radix: 16)
        self = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
