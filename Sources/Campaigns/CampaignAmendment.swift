import Foundation

/// What changed between the campaign file a plan was drawn from and a new version of it,
/// and which changes may be made once answers exist (issue #14 item 5).
///
/// Allowed (they do not touch the design): the title, the territory, the criterion's
/// description, the arms' labels, `language` and `translations`, the response window, the
/// publication policy, the analysis options, and where the targets file is (not what it
/// holds: `barometre amend` checks its contents against the plan's hash). The title and the territory only while no
/// template prints them (`{{campaign.title}}`, `{{campaign.territory}}`): documents already
/// sent carry them. Everything else is the design the answers belong to and stays refused,
/// each difference with its reason.
public struct CampaignAmendment: Sendable, Equatable {
    /// One difference, at a JSON path, with the values before and after as compact JSON.
    public struct Change: Sendable, Equatable, Codable {
        public let path: String
        public let before: String?
        public let after: String?
        /// Why it may not be amended, or nil when it may.
        public let refusal: String?

        public init(path: String, before: String?, after: String?, refusal: String?) {
            self.path = path
            self.before = before
            self.after = after
            self.refusal = refusal
        }
    }

    public let changes: [Change]

    public init(changes: [Change]) {
        self.changes = changes
    }

    public var allowed: [Change] { changes.filter { $0.refusal == nil } }
    public var refused: [Change] { changes.filter { $0.refusal != nil } }

    /// Compares the registered file with the new one (both already valid campaign files).
    public static func compare(registered: Data, amended: Data) throws -> CampaignAmendment {
        let old = try JSONSerialization.jsonObject(with: registered, options: [.fragmentsAllowed])
        let new = try JSONSerialization.jsonObject(with: amended, options: [.fragmentsAllowed])
        var differences: [(path: [String], before: Any?, after: Any?)] = []
        diff(old, new, path: [], into: &differences)
        let templates = ((new as? [String: Any])?["templates"] as? [[String: Any]] ?? []) + ((old as? [String: Any])?["templates"] as? [[String: Any]] ?? [])
        let printed = Set(templates.flatMap { template in
            [template["subject"] as? String, template["body"] as? String].compactMap { $0 }.flatMap(TemplateVariables.used(in:))
        })
        return CampaignAmendment(changes: differences.map { difference in
            Change(path: "$" + difference.path.map { $0.hasPrefix("[") ? $0 : ".\($0)" }.joined(),
                   before: difference.before.map(compact), after: difference.after.map(compact),
                   refusal: refusal(difference.path, printed: printed))
        })
    }

    /// Why a change at `path` may not be made once answers exist; nil when it may.
    static func refusal(_ path: [String], printed: Set<String>) -> String? {
        guard let first = path.first else { return "the whole file differs" }
        switch first {
        case "title", "territory":
            return printed.contains("campaign.\(first)")
                ? "the templates print {{campaign.\(first)}}: the documents already sent carry the old \(first)" : nil
        case "$schema", "language", "translations", "publication", "analysis":
            return nil
        case "criterion":
            return path.count >= 2 && path[1] == "description" ? nil : "the criterion's grounds define what is tested"
        case "arms":
            if path.count >= 3 && path[2] == "label" { return nil }
            if path.count >= 3 && path[2] == "identities" { return "applications were sent under these identities" }
            return "the arms define who applied: the answers belong to these profiles"
        case "design":
            if path.count >= 2 && path[1] == "responseWindowDays" { return nil }
            return "the plan (order, schedule, testers, seed) was drawn from the design"
        case "targets":
            // Where the targets file is may change (its contents may not: the caller compares
            // them with what the plan was drawn from).
            return path.count == 2 && path[1] == "file" ? nil : "the tests were drawn for these targets"
        case "templates": return "the documents sent were rendered from these templates"
        case "outcomes": return "answers were recorded on this scale and threshold"
        case "profile": return "every profile presents this skeleton"
        case "id": return "the id names the campaign in the ledger: a new id is a new campaign"
        case "domain", "period", "wave", "fictitious": return "it defines the campaign the answers belong to"
        default: return "it is part of the campaign's design"
        }
    }

    private static func diff(_ a: Any?, _ b: Any?, path: [String], into differences: inout [(path: [String], before: Any?, after: Any?)]) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() { diff(x[key], y[key], path: path + [key], into: &differences) }
        case let (x as [Any], y as [Any]) where x.count == y.count:
            for index in x.indices { diff(x[index], y[index], path: path + ["[\(index)]"], into: &differences) }
        default:
            if !same(a, b) { differences.append((path, a, b)) }
        }
    }

    private static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        default: return compact(a!) == compact(b!)
        }
    }

    /// Compact JSON with sorted keys (`14`, `"Titre"`, `{"a":1}`).
    static func compact(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) else {
            return String(describing: value)
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}
