/// The field a campaign tests access to.
public enum Domain: String, Codable, Sendable, CaseIterable {
    /// Logement: rental listings, agencies, landlords.
    case housing
    /// Emploi: job ads, employers.
    case employment
    /// Stage: internship offers (e.g. the compulsory one-week 3e observation internship).
    case internship

    /// The default ordinal outcome scale (METHODS.md §1), lowest to highest.
    public var defaultScale: [String] {
        switch self {
        case .housing: ["no_response", "refusal", "information_only", "visit_offered", "file_accepted"]
        case .employment: ["no_response", "refusal", "information_request", "interview"]
        case .internship: ["no_response", "refusal", "information_request", "interview", "offer"]
        }
    }

    /// The default positive threshold: the first answer that keeps the applicant in the race.
    public var defaultThreshold: String {
        switch self {
        case .housing: "visit_offered"
        case .employment: "interview"
        case .internship: "interview"
        }
    }

    public var frenchName: String {
        switch self {
        case .housing: "logement"
        case .employment: "emploi"
        case .internship: "stage"
        }
    }
}

/// The protected grounds of French law (Code pénal, art. 225-1): the criteria a campaign
/// can test. The raw value is the campaign-file spelling.
public enum Ground: String, Codable, Sendable, CaseIterable {
    case origin
    case sex
    case familySituation = "family-situation"
    case pregnancy
    case physicalAppearance = "physical-appearance"
    case economicVulnerability = "economic-vulnerability"
    case surname
    case placeOfResidence = "place-of-residence"
    case health
    case lossOfAutonomy = "loss-of-autonomy"
    case disability
    case geneticCharacteristics = "genetic-characteristics"
    case morals
    case sexualOrientation = "sexual-orientation"
    case genderIdentity = "gender-identity"
    case age
    case politicalOpinions = "political-opinions"
    case tradeUnionActivities = "trade-union-activities"
    case whistleblowerStatus = "whistleblower-status"
    case language
    case ethnicity
    case nationality
    case race
    case religion
    case bankDomiciliation = "bank-domiciliation"

    public var frenchName: String {
        switch self {
        case .origin: "origine"
        case .sex: "sexe"
        case .familySituation: "situation de famille"
        case .pregnancy: "grossesse"
        case .physicalAppearance: "apparence physique"
        case .economicVulnerability: "particulière vulnérabilité économique"
        case .surname: "patronyme"
        case .placeOfResidence: "lieu de résidence"
        case .health: "état de santé"
        case .lossOfAutonomy: "perte d'autonomie"
        case .disability: "handicap"
        case .geneticCharacteristics: "caractéristiques génétiques"
        case .morals: "mœurs"
        case .sexualOrientation: "orientation sexuelle"
        case .genderIdentity: "identité de genre"
        case .age: "âge"
        case .politicalOpinions: "opinions politiques"
        case .tradeUnionActivities: "activités syndicales"
        case .whistleblowerStatus: "qualité de lanceur d'alerte"
        case .language: "capacité à s'exprimer dans une autre langue que le français"
        case .ethnicity: "appartenance à une ethnie"
        case .nationality: "appartenance à une nation"
        case .race: "appartenance à une prétendue race"
        case .religion: "appartenance à une religion"
        case .bankDomiciliation: "domiciliation bancaire"
        }
    }
}

/// How an application reaches the target.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case email
    /// A letter with a CV (sent by post or as attachments).
    case letter
    /// A telephone call following a script.
    case phone
    /// A request to visit (housing).
    case visit

    /// Calls and visits: the tester's own voice and appearance carry the profile, so one
    /// tester must not play two profiles at one target (paired testing).
    public var isSpoken: Bool { self == .phone || self == .visit }
}
