import Foundation
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

/// "Did you mean …?" for a misspelt key or value: the French (or plain English) word for a
/// value the file format spells in English (`logement` → `housing`, `téléphone` → `phone`),
/// else the closest candidate within an edit distance of a third of the word (at least 2).
public func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
    let candidates = Array(candidates)
    if let meant = VocabularySynonyms.value(for: word), candidates.contains(meant) {
        return "did you mean \"\(meant)\"? (values are written in English)"
    }
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

/// The words people write for the format's English values, in the languages the docs use
/// (French, and English variants): domains, grounds, channels, roles, weekdays, policies.
enum VocabularySynonyms {
    static let table: [String: String] = [
        // Domains.
        "logement": "housing", "location": "housing", "emploi": "employment", "travail": "employment", "job": "employment",
        "stage": "internship", "alternance": "internship", "apprentissage": "internship",
        // Grounds.
        "origine": "origin", "sexe": "sex", "genre": "sex", "identité-de-genre": "gender-identity", "apparence": "physical-appearance", "apparence-physique": "physical-appearance",
        "patronyme": "surname", "nom": "surname", "santé": "health", "sante": "health", "langue": "language", "orientation-sexuelle": "sexual-orientation",
        "opinions-politiques": "political-opinions", "activités-syndicales": "trade-union-activities", "domiciliation-bancaire": "bank-domiciliation",
        "vulnérabilité-économique": "economic-vulnerability", "moeurs": "morals", "mœurs": "morals", "ethnie": "ethnicity", "âge": "age", "handicap": "disability",
        "religion": "religion", "adresse": "place-of-residence", "lieu-de-residence": "place-of-residence",
        "lieu-de-résidence": "place-of-residence", "residence": "place-of-residence", "résidence": "place-of-residence",
        "situation-de-famille": "family-situation", "grossesse": "pregnancy", "nationalité": "nationality", "nationalite": "nationality",
        // Channels.
        "courriel": "email", "mail": "email", "e-mail": "email", "mél": "email", "message": "email",
        "téléphone": "phone", "telephone": "phone", "tel": "phone", "tél": "phone", "appel": "phone", "call": "phone",
        "lettre": "letter", "courrier": "letter", "cv": "letter", "visite": "visit",
        // Roles and policies.
        "référence": "reference", "reference-arm": "reference", "témoin": "reference", "teste": "tested", "testé": "tested",
        "aléatoire": "random", "aleatoire": "random", "équilibré": "balanced", "equilibre": "balanced",
        "pseudonyme": "pseudonymous", "pseudonymes": "pseudonymous", "anonyme": "pseudonymous", "nommé": "named", "nommés": "named", "nominatif": "named",
        // Weekdays.
        "lun": "mon", "lundi": "mon", "monday": "mon", "mar": "tue", "mardi": "tue", "tuesday": "tue", "mer": "wed", "mercredi": "wed",
        "wednesday": "wed", "jeu": "thu", "jeudi": "thu", "thursday": "thu", "ven": "fri", "vendredi": "fri", "friday": "fri",
        "sam": "sat", "samedi": "sat", "saturday": "sat", "dim": "sun", "dimanche": "sun", "sunday": "sun",
        // Outcome levels.
        "pas-de-réponse": "no_response", "sans-réponse": "no_response", "refus": "refusal", "entretien": "interview", "visite-proposée": "visit_offered", "visite_proposee": "visit_offered",
        "dossier-accepté": "file_accepted", "demande-d'information": "information_request", "offre": "offer",
    ]

    static func value(for word: String) -> String? {
        table[word.lowercased().trimmingCharacters(in: .whitespaces)]
    }
}
