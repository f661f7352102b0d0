/// One study: a domain, a territory, a wave, one criterion and its arms, the documents,
/// the targets and the design (DESIGN.md "Vocabulary"). Decoded from a campaign file only
/// after ``CampaignValidator`` found nothing wrong with it.
public struct Campaign: Codable, Sendable, Equatable {
    /// Optional pointer to the JSON Schema, for editors (`"$schema"`).
    public var schema: String?
    /// Stable identifier: lowercase letters, digits and hyphens (used in file names and ids).
    public var id: String
    public var title: String
    public var domain: Domain
    /// The city or area tested, e.g. "Métropole de Lille".
    public var territory: String
    /// The repetition of the campaign (1, 2, ...): the barometer compares waves.
    public var wave: Int
    public var period: Period
    /// True when the targets are invented (examples, training): every output says so.
    public var fictitious: Bool
    public var criterion: Criterion
    public var arms: [Arm]
    /// The shared profile skeleton: qualifications, experience, income or school level.
    /// Every arm presents exactly these; only the criterion differs.
    public var profile: [String: String]
    public var templates: [Template]
    public var targets: Targets
    public var design: Design
    public var outcomes: OutcomeSettings?
    public var analysis: AnalysisSettings?
    public var publication: PublicationPolicy?
    /// The language the campaign's own texts are written in (`fr` by default).
    public var language: String?
    /// The campaign's human texts in other languages, for reports in those languages.
    public var translations: [String: CampaignTranslation]?

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case id, title, domain, territory, wave, period, fictitious, criterion, arms, profile, templates, targets, design
        case outcomes, analysis, publication, language, translations
    }

    /// The language of the campaign's own texts.
    public var textLanguage: String { language ?? "fr" }

    /// The reference arm (validation guarantees exactly one).
    public var referenceArm: Arm { arms.first { $0.role == .reference }! }
    /// The tested arms, in file order.
    public var testedArms: [Arm] { arms.filter { $0.role == .tested } }
    /// The placebo arm, if the campaign declares one.
    public var placeboArm: Arm? { arms.first { $0.role == .placebo } }

    /// The outcome scale, lowest to highest: the campaign's own or the domain's default.
    public var scale: [String] { outcomes?.scale ?? domain.defaultScale }
    /// The lowest level counted as positive.
    public var positiveThreshold: String { outcomes?.positiveThreshold ?? domain.defaultThreshold }
}

/// The campaign's period, as calendar dates `YYYY-MM-DD` (inclusive).
public struct Period: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
}

/// The protected ground(s) tested and how the arms signal them.
public struct Criterion: Codable, Sendable, Equatable {
    /// One ground, or several for combined arms (e.g. sex × origin).
    public var grounds: [Ground]
    /// How the arms signal the criterion, in plain words (names, address, ...).
    public var description: String
}

public enum ArmRole: String, Codable, Sendable {
    /// The group least exposed to discrimination, against which the others are compared.
    case reference
    case tested
    /// A second arm signalling what the reference signals (HUD's triad tests): compared with
    /// the reference as a placebo, never as a finding (issue #16 item 3).
    case placebo
}

/// A group of fictitious applicants signalling one value of the criterion.
public struct Arm: Codable, Sendable, Equatable {
    public var id: String
    public var label: String
    public var role: ArmRole
    /// The value signalled for each ground of the criterion, e.g. `{"origin": "maghrebine"}`.
    public var signals: [String: String]
    /// The identities this arm's applications are drawn from.
    public var identities: [Identity]
    /// Profile values that differ from the shared skeleton because of the criterion
    /// (e.g. a school in a QPV for place of residence). Only criterion grounds may differ.
    public var profile: [String: String]?
}

/// One fictitious person's identity.
public struct Identity: Codable, Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var email: String?
    public var phone: String?
    public var address: Address?
    /// Further identity details used by the templates (birth year, nationality, ...).
    public var attributes: [String: String]?
}

public struct Address: Codable, Sendable, Equatable {
    public var street: String
    public var postalCode: String
    public var city: String
    /// True for an address in a quartier prioritaire de la politique de la ville.
    public var qpv: Bool?
}

/// A wording/layout variant of one channel's document, as a Mustache template.
public struct Template: Codable, Sendable, Equatable {
    public var id: String
    public var channel: Channel
    public var subject: String?
    public var body: String
}

/// The offers tested: listed inline, or in a CSV file next to the campaign.
public enum Targets: Codable, Sendable, Equatable {
    case inline([Target])
    case file(String)

    private enum CodingKeys: String, CodingKey { case file }

    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([Target].self) {
            self = .inline(list)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self = .file(try container.decode(String.self, forKey: .file))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .inline(list):
            var container = encoder.singleValueContainer()
            try container.encode(list)
        case let .file(path):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .file)
        }
    }
}

/// One offer: a job ad, a flat listing, an internship offer.
public struct Target: Codable, Sendable, Equatable {
    public var id: String
    /// The employer, agency or landlord (pseudonymised in reports by default).
    public var organization: String
    public var sector: String
    public var city: String
    public var district: String?
    public var channel: Channel
    /// The offer's title, e.g. "Comptable H/F".
    public var title: String?
    /// Where applications go (an address, an email, a phone number).
    public var contact: String?

    /// The CSV columns a target file must have, and the optional ones.
    public static let requiredColumns = ["id", "organization", "sector", "city", "channel"]
    public static let optionalColumns = ["district", "title", "contact"]
}

public enum OrderPolicy: String, Codable, Sendable {
    /// Send order shuffled in every test, with each arm first equally often
    /// (in half of the tests with two arms).
    case balanced
    /// Send order shuffled independently in every test.
    case random
}

public enum TemplateRotation: String, Codable, Sendable {
    /// Latin-square rotation: each arm uses each template equally often (±1) and no two
    /// applications of a test share a template.
    case latinSquare = "latin-square"
}

public enum Weekday: String, Codable, Sendable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun
}

/// How the plan is drawn.
public struct Design: Codable, Sendable, Equatable {
    /// Applications of each arm sent to one target (k).
    public var applicationsPerArm: Int
    public var order: OrderPolicy
    /// Working time between two applications of one test (hours of working time).
    public var gapHours: GapHours
    public var workingDays: [Weekday]
    public var workingHours: WorkingHours
    public var templateRotation: TemplateRotation
    /// The people who send the applications and log the answers: a name, or a name with
    /// the arms the person can play (for calls and visits, where the tester's voice and
    /// appearance are part of the signal).
    public var testers: [TesterDeclaration]
    /// The seed of every random choice; `barometre plan --seed` overrides it.
    public var seed: UInt64?
    /// Days after sending after which a missing answer counts as no response.
    public var responseWindowDays: Int
}

extension Design {
    /// The testers' names, in file order.
    public var testerNames: [String] { testers.map(\.name) }
}

/// One tester of a campaign: `"Testeuse A"`, or `{"name": "Testeuse A", "arms": ["reference"]}`.
/// Without `arms`, the tester may play any arm.
public struct TesterDeclaration: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    public var name: String
    /// The arms whose profiles this person can play (calls and visits); `nil`: any arm.
    public var arms: [String]?

    public init(name: String, arms: [String]? = nil) {
        self.name = name
        self.arms = arms
    }

    public init(stringLiteral name: String) {
        self.init(name: name)
    }

    /// Whether this tester may play `arm`.
    public func plays(_ arm: String) -> Bool { arms?.contains(arm) ?? true }

    private enum CodingKeys: String, CodingKey { case name, arms }

    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self.init(name: name)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(name: try container.decode(String.self, forKey: .name), arms: try container.decodeIfPresent([String].self, forKey: .arms))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let arms {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(arms, forKey: .arms)
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(name)
        }
    }
}

public struct GapHours: Codable, Sendable, Equatable {
    public var min: Double
    public var max: Double
}

/// Working hours each day, `HH:MM` (24-hour clock).
public struct WorkingHours: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
}

public struct OutcomeSettings: Codable, Sendable, Equatable {
    /// The ordinal scale, lowest to highest; defaults to the domain's (METHODS.md §1).
    public var scale: [String]?
    /// The lowest level counted as positive; defaults to the domain's.
    public var positiveThreshold: String?
}

public enum MultiplicityMethod: String, Codable, Sendable {
    case holm
    case benjaminiHochberg = "benjamini-hochberg"
}

/// A campaign's human texts in one other language (issue #19 item 5): what a report in that
/// language shows instead of the campaign's own texts.
public struct CampaignTranslation: Codable, Sendable, Equatable {
    public var title: String?
    /// The criterion's description (how the arms signal it).
    public var criterion: String?
    /// Arm id → label.
    public var arms: [String: String]?
    /// Outcome level → label (levels of a custom scale; the domains' scales are translated).
    public var levels: [String: String]?
}

public struct AnalysisSettings: Codable, Sendable, Equatable {
    public var level: Double?
    /// Target attributes to slice by (`sector`, `city`, `district`, `channel`, `organization`).
    public var slices: [String]?
    public var multiplicity: MultiplicityMethod?
    /// The primary comparisons: tested arm ids, each compared with the reference over all
    /// tests at the positive threshold. They form the confirmatory family (Holm within
    /// it): only they make headlines. Default: every tested arm (METHODS.md §3).
    public var primary: [String]?
    /// The organizations' report card (METHODS.md §4).
    public var reportCard: ReportCardSettings?
}

/// `analysis.reportCard`: who is graded and how grades are chosen.
public struct ReportCardSettings: Codable, Sendable, Equatable {
    public var minimumTests: Int?
    public var minimumOrganizations: Int?
    public var grades: GradingSetting?
}

/// `analysis.reportCard.grades`: `{"by": "lambda" | "discordanceRate", "value": …}`.
public struct GradingSetting: Codable, Sendable, Equatable {
    public enum By: String, Codable, Sendable { case lambda, discordanceRate }
    public var by: By
    public var value: Double
}

public enum OrganizationDisclosure: String, Codable, Sendable {
    case pseudonymous
    case named
}

public struct PublicationPolicy: Codable, Sendable, Equatable {
    public var organizations: OrganizationDisclosure?
    /// Cells with fewer tests than this are suppressed in reports.
    public var minimumCellSize: Int?
    /// The evidence an organization's result must meet before it may be named.
    public var naming: NamingBar?
}

public struct NamingBar: Codable, Sendable, Equatable {
    /// Largest Benjamini–Hochberg q-value at which an organization may be named.
    public var maxQValue: Double
    /// Fewest tests at that organization.
    public var minTests: Int
}
