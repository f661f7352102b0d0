/// One problem found in a campaign file: where, what, and how to fix it.
public struct ValidationIssue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file the problem is in (the campaign, or a targets CSV it points to).
    public var file: String
    /// The JSON path (`$.design.gapHours.max`) or CSV location (`line 7, column city`).
    public var location: String
    public var message: String
    public var hint: String?

    public init(file: String, location: String, message: String, hint: String? = nil) {
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(file): \(location): \(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }
}

/// A campaign file with at least one problem; every problem found is listed.
public struct CampaignValidationError: Error, Sendable, CustomStringConvertible {
    public var issues: [ValidationIssue]
    /// True when the campaign file itself could not be read (sysexits 66, not 65).
    public var missingInput: Bool

    public init(issues: [ValidationIssue], missingInput: Bool = false) {
        self.issues = issues
        self.missingInput = missingInput
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// "Did you mean …?" for a misspelt key or value: the closest candidate within an edit
/// distance of a third of the word (at least 2).
public func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
    let limit = max(2, word.count / 3)
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(word.lowercased(), candidate.lowercased())
        if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
    }
    return best.map { "did you mean \"\($0.0)\"?" }
}

/// Levenshtein distance (case-sensitive; lowercase both sides to ignore case).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
