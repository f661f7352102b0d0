import Barometer
import Stats

/// The report's language.
public enum Language: String, Sendable, CaseIterable {
    case fr, en
}

/// Who a report is for. The public report (what `--publish` and the web app show officials)
/// carries no per-organization row unless the campaign names organizations and the row meets
/// the evidence bar; the staff report carries every organization under its pseudonym.
public enum Audience: String, Sendable, CaseIterable {
    case `public`
    case staff
}

/// What the report needs beyond the findings: labels and the publication policy.
public struct ReportContext: Sendable {
    public var title: String
    public var territory: String?
    /// `housing`, `employment`, `internship`, or nil for an imported study.
    public var domain: String?
    /// How the arms signal the criterion, in words.
    public var criterion: String?
    /// Arm id → label for people ("Prénom et nom d'origine maghrébine").
    public var armLabels: [String: String]
    public var wave: Int?
    public var organizationsNamed: Bool
    /// The evidence an organization must meet to be named.
    public var namingMaxQ: Double?
    public var namingMinTests: Int?
    /// Cells (slices, organizations) with fewer tests are suppressed.
    public var minimumCellSize: Int
    /// The date printed on the report (passed in, so that reports are reproducible).
    public var date: String
    public var audience: Audience = .public
    /// When the tests were sent (`YYYY-MM-DD…`, first and last), from the ledger; nil when
    /// unknown (an imported study).
    public var sentFrom: String?
    public var sentTo: String?
    /// Outcome level → label in the report's language (a campaign's translations).
    public var levelLabels: [String: String] = [:]
    /// The campaign texts shown untranslated (`title`, `criterion`, `arms`): the report says so.
    public var untranslated: [String] = []
    /// Changes made to the campaign's non-design fields after its plan was registered
    /// (`barometre amend`), oldest first: the methods annex lists them.
    public var amendments: [AmendmentNote] = []

    /// The registered pre-analysis plan and how the analysis departs from it (issue #16).
    public var preregistration: PreregistrationNote?
    /// Names of organizations whose response to their evidence file is on file
    /// (`barometre evidence --respond`): the public report says so beside a named one.
    public var responsesOnFile: Set<String> = []

    /// One recorded amendment, as the methods annex states it.
    public struct AmendmentNote: Sendable {
        public var date: String
        public var by: String
        public var answersBefore: Int
        /// JSON path, value before, value after (compact JSON).
        public var changes: [(path: String, before: String?, after: String?)]

        public init(date: String, by: String, answersBefore: Int, changes: [(path: String, before: String?, after: String?)]) {
            self.date = date
            self.by = by
            self.answersBefore = answersBefore
            self.changes = changes
        }
    }

    public init(title: String, territory: String? = nil, domain: String? = nil, criterion: String? = nil, armLabels: [String: String] = [:],
                wave: Int? = nil, organizationsNamed: Bool = false, namingMaxQ: Double? = nil, namingMinTests: Int? = nil,
                minimumCellSize: Int = 5, date: String, audience: Audience = .public, sentFrom: String? = nil, sentTo: String? = nil) {
        self.audience = audience
        self.sentFrom = sentFrom
        self.sentTo = sentTo
        self.title = title
        self.territory = territory
        self.domain = domain
        self.criterion = criterion
        self.armLabels = armLabels
        self.wave = wave
        self.organizationsNamed = organizationsNamed
        self.namingMaxQ = namingMaxQ
        self.namingMinTests = namingMinTests
        self.minimumCellSize = minimumCellSize
        self.date = date
    }

    public func label(_ arm: String) -> String { armLabels[arm] ?? arm }

    /// An organization may be named: the campaign names organizations and this one meets
    /// the evidence bar (q ≤ maxQValue with at least minTests tests).
    func mayName(_ o: OrganizationFinding) -> Bool {
        guard organizationsNamed, o.name != nil, let maxQ = namingMaxQ, let minTests = namingMinTests, let q = o.q else { return false }
        return q <= maxQ && o.tests >= minTests && o.tests >= minimumCellSize
    }
}

/// How a comparison's result reads.
public enum Verdict: String, Sendable {
    /// The tested group received significantly fewer positive answers (after adjustment).
    case against
    /// The tested group received significantly more.
    case favour
    /// No difference detected (never "no discrimination").
    case notDetected = "not-detected"
    /// Not enough data to say anything.
    case insufficient
}

/// One comparison as the report states it.
public struct Headline: Sendable {
    public let reference: String
    public let tested: String
    public let tests: Int
    /// 1 − p_T/p_R: the share of positive answers the tested group did not get.
    public let relativeGap: Double?
    public let relativeGapInterval: ConfidenceInterval?
    public let net: Double?
    public let netInterval: ConfidenceInterval?
    public let referenceRate: Double?
    public let testedRate: Double?
    public let holm: Double?
    public let verdict: Verdict
    public let sentence: String
}

/// A report: the findings, the context, and every text, in one language.
public struct Report: Sendable {
    public let findings: Findings
    public let context: ReportContext
    public let language: Language
    public let headlines: [Headline]
    public let texts: Texts
    /// Slice comparisons under the minimum cell size (not shown).
    public let suppressedSlices: Int

    public init(findings: Findings, context: ReportContext, language: Language) {
        suppressedSlices = findings.comparisons.filter { !$0.slice.isEmpty && $0.tests < context.minimumCellSize }.count
        // The public report keeps only what it may show: named organizations meeting the
        // bar, and slices with enough tests (small-cell suppression in every table, JSON too).
        self.findings = context.audience == .staff ? findings
            : findings.restricted(organizations: { context.mayName($0) },
                                  comparisons: { $0.slice.isEmpty || $0.tests >= context.minimumCellSize })
        self.context = context
        self.language = language
        let texts = Texts(language)
        self.texts = texts
        // Only the confirmatory family (the primary comparisons, Holm within them) makes
        // headlines: adding slices or all-pairs comparisons never changes one.
        self.headlines = findings.comparisons.filter { $0.family == .confirmatory }.map { Report.headline($0, context: context, texts: texts) }
    }

    /// The tested group's shortfall in positive answers relative to the reference group,
    /// 1 − p_T/p_R, with its interval from the Tang score interval of the ratio p_R/p_T
    /// (Tang, Tang & Chan 2003): [1 − 1/L, 1 − 1/U].
    static func headline(_ c: ComparisonFinding, context: ReportContext, texts: Texts) -> Headline {
        let p = c.paired
        let ratio = p?.ratio.estimate.value
        let ratioInterval = p?.ratio.interval(.tang)?.value
        let gap = ratio.map { 1 - 1 / $0 }
        // φ ↦ 1 − 1/φ is increasing; a lower ratio limit of 0 leaves the gap unbounded below.
        let gapInterval = ratioInterval.flatMap { i -> ConfidenceInterval? in
            guard i.lower > 0 else { return nil }
            return ConfidenceInterval(lower: 1 - 1 / i.lower, upper: i.upper.isFinite ? 1 - 1 / i.upper : 1, level: i.level)
        }
        let level = context.minimumCellSize
        let verdict: Verdict
        if c.tests < level || p == nil { verdict = .insufficient }
        else if let holm = c.holm, holm <= 0.05 { verdict = (p!.difference.estimate.value ?? 0) > 0 ? .against : .favour }
        else { verdict = .notDetected }
        let headline = Headline(
            reference: c.reference, tested: c.tested, tests: c.tests, relativeGap: gap, relativeGapInterval: gapInterval,
            net: p?.net.estimate.value, netInterval: p?.net.interval(.newcombe)?.value,
            referenceRate: p?.referenceRate.estimate.value, testedRate: p?.testedRate.estimate.value, holm: c.holm, verdict: verdict,
            sentence: "")
        return Headline(reference: headline.reference, tested: headline.tested, tests: headline.tests, relativeGap: headline.relativeGap,
                        relativeGapInterval: headline.relativeGapInterval, net: headline.net, netInterval: headline.netInterval,
                        referenceRate: headline.referenceRate, testedRate: headline.testedRate, holm: headline.holm, verdict: verdict,
                        sentence: texts.sentence(headline, context: context, level: p?.level ?? 0.95))
    }
}

/// A registered pre-analysis plan, as reports and `analyze --format json` state it: when,
/// its fingerprint, whether it was late, and every deviation from it.
public struct PreregistrationNote: Sendable {
    public enum Deviation: Sendable, Equatable {
        /// The campaign was amended after the registration (fields changed).
        case amendment(date: String, fields: [String])
        /// The primary comparisons used differ from those the plan announced.
        case primaryChanged(planned: [String], used: [String])
        /// Slices analysed that the plan did not announce.
        case unannouncedSlices([String])
        /// Comparisons between tested profiles (--all-pairs), which the plan did not announce.
        case allPairs
    }

    public var date: String
    public var fingerprint: String
    /// Answers already recorded when the plan was registered (more than 0: late).
    public var answersBefore: Int
    public var deviations: [Deviation]

    public init(date: String, fingerprint: String, answersBefore: Int, deviations: [Deviation]) {
        self.date = date
        self.fingerprint = fingerprint
        self.answersBefore = answersBefore
        self.deviations = deviations
    }

    /// The deviations in words.
    public func sentences(_ language: Language) -> [String] {
        let fr = language == .fr
        return deviations.map { deviation in
            switch deviation {
            case let .amendment(date, fields):
                let names = fields.map { Methods.field($0, fr: fr) }.joined(separator: ", ")
                return fr ? "campagne modifiée le \(date) (\(names))" : "campaign amended on \(date) (\(names))"
            case let .primaryChanged(planned, used):
                return fr ? "comparaisons principales changées : annoncées \(planned.joined(separator: ", ")), utilisées \(used.joined(separator: ", "))"
                          : "primary comparisons changed: announced \(planned.joined(separator: ", ")), used \(used.joined(separator: ", "))"
            case let .unannouncedSlices(slices):
                return fr ? "sous-groupes non annoncés analysés : \(slices.joined(separator: ", "))" : "subgroups analysed that were not announced: \(slices.joined(separator: ", "))"
            case .allPairs:
                return fr ? "comparaisons entre profils testés (non annoncées)" : "comparisons between tested profiles (not announced)"
            }
        }
    }

    /// The paragraph of the methods annex.
    public func paragraph(_ language: Language) -> String {
        let fr = language == .fr
        var text = fr ? "Plan d'analyse enregistré le \(date) (empreinte \(fingerprint))." : "Analysis plan registered on \(date) (fingerprint \(fingerprint))."
        if answersBefore > 0 {
            text += fr ? " Enregistrement tardif : \(answersBefore) réponse(s) étaient déjà enregistrée(s)." : " Late registration: \(answersBefore) answer(s) had already been recorded."
        }
        let listed = sentences(language)
        text += listed.isEmpty ? (fr ? " L'analyse suit le plan, sans écart." : " The analysis follows the plan, with no deviation.")
                               : (fr ? " Écarts au plan : " : " Deviations from the plan: ") + listed.joined(separator: fr ? " ; " : "; ") + "."
        return text
    }
}
