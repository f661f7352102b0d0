/// A parsed JSON document, kept loose so that validation can walk a file that does not
/// (yet) fit the model and report every problem in it.
public indirect enum JSONNode: Decodable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONNode].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONNode].self)) }
    }

    public subscript(key: String) -> JSONNode? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    public var string: String? { if case let .string(s) = self { return s }; return nil }
    public var number: Double? { if case let .number(n) = self { return n }; return nil }
    public var int: Int? { number.flatMap { $0 == $0.rounded() && abs($0) < 9e15 ? Int($0) : nil } }
    public var bool: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var array: [JSONNode]? { if case let .array(a) = self { return a }; return nil }
    public var object: [String: JSONNode]? { if case let .object(o) = self { return o }; return nil }

    /// The JSON type name used in messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case let .number(n): n == n.rounded() ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON path as printed in messages: `$.arms[1].identities[0].email`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, Comparable {
    public private(set) var components: [Component]

    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public static let root = JSONPath(components: [])

    public static func + (path: JSONPath, key: String) -> JSONPath {
        JSONPath(components: path.components + [.key(key)])
    }

    public static func + (path: JSONPath, index: Int) -> JSONPath {
        JSONPath(components: path.components + [.index(index)])
    }

    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case let .key(key):
                let plain = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !key.isEmpty
                text += plain ? ".\(key)" : "[\"\(key)\"]"
            case let .index(index): text += "[\(index)]"
            }
        }
        return text
    }

    public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool {
        lhs.description < rhs.description
    }
}
