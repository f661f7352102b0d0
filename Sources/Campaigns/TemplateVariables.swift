/// The names a document template may use (`{{applicant.firstName}}`, ...), and a check that
/// a template uses only those.
public enum TemplateVariables {
    /// Fixed names. `profile.<key>` (the shared skeleton) and `applicant.<attribute>`
    /// (an identity's attributes) are added per campaign.
    public static let fixed: [String] = [
        "applicant.firstName", "applicant.lastName", "applicant.fullName", "applicant.email", "applicant.phone",
        "applicant.address.street", "applicant.address.postalCode", "applicant.address.city",
        "target.id", "target.organization", "target.sector", "target.city", "target.district",
        "target.title", "target.contact",
        "campaign.title", "campaign.territory",
        "send.date", "send.time", "tester",
    ]

    /// The variables used by a Mustache template: `{{name}}`, `{{{name}}}`, `{{&name}}`.
    /// Section tags (`#`, `^`, `/`), comments, partials and delimiters are not values.
    static func used(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = trimmed(rest[..<close.lowerBound])
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag = String(tag.dropFirst()); if rest.hasPrefix("}") { rest = rest.dropFirst() } }
            guard let first = tag.first else { continue }
            if "#^/!>=%<$".contains(first) { continue }
            if first == "&" { tag = trimmed(tag.dropFirst()) }
            if !tag.isEmpty, tag != "." { names.append(tag) }
        }
        return names
    }
}

/// The text without surrounding spaces and tabs.
private func trimmed(_ text: some StringProtocol) -> String {
    var text = Substring(text)
    while let c = text.first, c == " " || c == "\t" { text = text.dropFirst() }
    while let c = text.last, c == " " || c == "\t" { text = text.dropLast() }
    return String(text)
}
