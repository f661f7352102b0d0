import Foundation
import Values

/// Checks a JSON document against the campaign JSON Schema, collecting every problem.
///
/// Interprets the keywords the campaign schema uses (JSON Schema 2020-12): `type`,
/// `properties`, `required`, `additionalProperties`, `items`, `minItems`, `uniqueItems`,
/// `enum`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`,
/// `pattern`, `format: date`, `oneOf` and local `$ref`s. Annotations (`title`,
/// `description`, `$id`) are ignored.
struct SchemaValidator {
    let schema: JSONNode
    let file: String

    init(file: String, schemaText: String = CampaignSchema.text) {
        // The schemas are compiled into the program: failing to parse one is a programming error.
        schema = try! JSONDecoder().decode(JSONNode.self, from: Data(schemaText.utf8))
        self.file = file
    }

    func validate(_ document: JSONNode) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        check(document, against: schema, at: .root, into: &issues)
        return issues
    }

    private func resolve(_ node: JSONNode) -> JSONNode {
        guard let ref = node["$ref"]?.string, ref.hasPrefix("#/$defs/") else { return node }
        return schema["$defs"]?[String(ref.dropFirst("#/$defs/".count))] ?? node
    }

    private func issue(_ path: JSONPath, _ message: String, _ hint: String? = nil) -> ValidationIssue {
        ValidationIssue(file: file, location: path.description, message: message, hint: hint)
    }

    private func check(_ value: JSONNode, against rawSchema: JSONNode, at path: JSONPath, into issues: inout [ValidationIssue]) {
        let schema = resolve(rawSchema)
        if let options = schema["oneOf"]?.array {
            // Report against the alternative of the matching type, or name the alternatives.
            let matching = options.map(resolve).filter { typeMatches(value, $0["type"]?.string) }
            if let only = matching.first {
                check(value, against: only, at: path, into: &issues)
            } else {
                let kinds = options.map(resolve).compactMap { $0["type"]?.string }.joined(separator: " or ")
                issues.append(issue(path, "expected \(kinds), found \(value.typeName)", schema["description"]?.string))
            }
            return
        }
        if let allowed = schema["enum"]?.array {
            if !allowed.contains(value) {
                let names = allowed.compactMap(\.string)
                let text = value.string.map { "\"\($0)\"" } ?? value.typeName
                issues.append(issue(path, "\(text) is not one of: \(names.joined(separator: ", "))",
                                    value.string.flatMap { suggestion(for: $0, among: names) }))
            }
            return
        }
        if let type = schema["type"]?.string, !typeMatches(value, type) {
            issues.append(issue(path, "expected \(type == "integer" ? "an integer" : "a\(type.first.map { "aeiou".contains($0) } == true ? "n" : "") \(type)"), found \(value.typeName)"))
            return
        }
        switch value {
        case let .object(members):
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                issues.append(issue(path + name, "required key \"\(name)\" is missing", properties[name]?["description"]?.string))
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[key] {
                    check(member, against: propertySchema, at: path + key, into: &issues)
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        issues.append(issue(path + key, "unknown key \"\(key)\"",
                                            suggestion(for: key, among: properties.keys) ?? "allowed keys: \(properties.keys.sorted().joined(separator: ", "))"))
                    } else if additional.object != nil {
                        check(member, against: additional, at: path + key, into: &issues)
                    }
                }
            }
        case let .array(items):
            if let minimum = schema["minItems"]?.int, items.count < minimum {
                issues.append(issue(path, "needs at least \(minimum) item\(minimum == 1 ? "" : "s"), found \(items.count)"))
            }
            if let maximum = schema["maxItems"]?.int, items.count > maximum {
                issues.append(issue(path, "allows at most \(maximum) items, found \(items.count)"))
            }
            if schema["uniqueItems"]?.bool == true {
                for (index, item) in items.enumerated() where items[..<index].contains(item) {
                    issues.append(issue(path + index, "duplicate of an earlier item", "each item may appear once"))
                }
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { check(item, against: itemSchema, at: path + index, into: &issues) }
            }
        case let .string(text):
            if let minimum = schema["minLength"]?.int, text.count < minimum {
                issues.append(issue(path, minimum == 1 ? "must not be empty" : "must have at least \(minimum) characters"))
            }
            if schema["format"]?.string == "date", CalendarDate(text) == nil {
                issues.append(issue(path, "\"\(text)\" is not a calendar date", "write dates as YYYY-MM-DD, e.g. 2026-03-02"))
            } else if let pattern = schema["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                issues.append(issue(path, "\"\(text)\" does not have the expected form", Self.patternHint(pattern)))
            }
        case let .number(number):
            if let minimum = schema["minimum"]?.number, number < minimum {
                issues.append(issue(path, "must be at least \(format(minimum)), found \(format(number))"))
            }
            if let maximum = schema["maximum"]?.number, number > maximum {
                issues.append(issue(path, "must be at most \(format(maximum)), found \(format(number))"))
            }
            if let bound = schema["exclusiveMinimum"]?.number, number <= bound {
                issues.append(issue(path, "must be greater than \(format(bound)), found \(format(number))"))
            }
            if let bound = schema["exclusiveMaximum"]?.number, number >= bound {
                issues.append(issue(path, "must be less than \(format(bound)), found \(format(number))"))
            }
        default:
            break
        }
    }

    private func typeMatches(_ value: JSONNode, _ type: String?) -> Bool {
        switch (type, value) {
        case (nil, _): true
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .number): true
        case let ("integer", .number(n)): n == n.rounded()
        default: false
        }
    }

    private func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    static func patternHint(_ pattern: String) -> String {
        switch pattern {
        case "^[a-z0-9][a-z0-9-]*$": "use lowercase letters, digits and hyphens, e.g. \"emploi-origine-2026\""
        case "^[0-9]{5}$": "a French postal code has five digits"
        case "^([01][0-9]|2[0-3]):[0-5][0-9]$": "write times as HH:MM on a 24-hour clock, e.g. 09:00"
        case "^[a-z][a-z0-9_]*$": "use lowercase letters, digits and underscores, e.g. visit_offered"
        default: pattern.contains("@") ? "an email address such as prenom.nom@example.org" : "expected to match \(pattern)"
        }
    }
}

