import Stats

/// Everything `analyze` found: the barometer's content.
public struct Findings: Sendable {
    public let request: AnalysisRequest
    public let arms: [String]
    public let comparisons: [ComparisonFinding]
    public let stratified: [StratifiedFinding]
    public let ordinal: [OrdinalFinding]
    public let sendOrder: [CheckFinding]
    public let testers: [CheckFinding]
    public let organizations: [OrganizationFinding]
    /// Applications without an answer yet (left out of every analysis).
    public let pending: Int
    public let notes: [String]
    /// The reference arm against itself, when tests hold two of its applications: how much
    /// answers disagree by chance (nil when no test does).
    public var placebo: PlaceboFinding? = nil
    /// The organizations' report cards, one per comparison of the reference with a tested arm.
    public var reportCards: [OrganizationReportCard] = []
}

/// A placebo comparison (issue #16 item 3): in tests that received two applications of the
/// reference arm (k ≥ 2), the first sent against the second, as a paired table. With no
/// discrimination between identical profiles, its net difference measures how much answers
/// disagree by chance (and by the order they were sent): the measured discrimination is read
/// next to it. The design is HUD's triad tests, two testers of the majority profile and one
/// of the minority profile (Turner et al. 2013, *Housing Discrimination Against Racial and
/// Ethnic Minorities 2012*, Urban Institute for HUD, ch. 2); the comparison is the paired
/// analysis of METHODS.md §2 on the two majority applications.
public struct PlaceboFinding: Sendable {
    /// The reference arm, or the declared placebo arm.
    public let arm: String
    /// True for a declared placebo arm (the reference against it); false for the reference
    /// arm's two applications in one test.
    public let declared: Bool
    /// Tests with two answered applications of the arm.
    public let tests: Int
    /// both, first only, second only, neither (the first sent in the role of "reference").
    public let paired: PairedAnalysis
    /// Share of tests whose two applications got different answers: (b + c)/n.
    public var discordance: Double {
        let t = paired.table
        return Double(t.referenceOnly + t.testedOnly) / Double(max(1, t.both + t.referenceOnly + t.testedOnly + t.neither))
    }
}

/// The two multiplicity families of METHODS.md §3.
public enum AnalysisFamily: String, Sendable, CaseIterable {
    /// The campaign's primary comparisons, stated in advance: Holm within the family; only
    /// these make headlines and colour the barometer.
    case confirmatory
    /// Everything else (slices, all-pairs, non-primary arms): Benjamini–Hochberg within the
    /// family, labelled exploratory, never a headline.
    case exploratory
}

/// One comparison (reference R against tested T) in one slice.
public struct ComparisonFinding: Sendable {
    public let reference: String
    public let tested: String
    /// `[:]` for the whole sample, else `[column: value]`.
    public let slice: [String: String]
    /// Targets to which both arms applied (with answers): the paired analysis.
    public let tests: Int
    public let applications: (reference: Int, tested: Int)
    public let positives: (reference: Int, tested: Int)
    public let patterns: [PositivePattern: Int]
    /// The paired indicators on the test-level table ("max" rule when k > 1).
    public let paired: PairedAnalysis?
    public let applicationRates: (reference: Indicator<ProportionIntervalMethod>, tested: Indicator<ProportionIntervalMethod>)?
    /// Pearson χ² at application level, ignoring the pairing.
    public let chiSquare: Defined<HypothesisTest>
    /// positive ~ reference + test fixed effects, cluster-robust by test.
    public let regression: Defined<RobustCoefficient>
    public let regressionNested: Defined<RobustCoefficient>
    /// Application level as two independent samples (ignoring the pairing).
    public let independentDifference: Defined<ConfidenceInterval>
    public let independentFisher: Defined<HypothesisTest>
    /// Targets that received only one of the two arms: analysed as independent samples.
    public let between: BetweenFinding?
    /// The p-value entered in the multiplicity adjustment, and which test gave it.
    public let primaryP: Double?
    public let primaryTest: PrimaryTest
    /// Confirmatory (a primary comparison: headlines, the barometer's verdicts) or
    /// exploratory (slices, all-pairs, other arms) — METHODS.md §3.
    public var family: AnalysisFamily = .exploratory
    /// Holm-adjusted p within the confirmatory family (confirmatory comparisons only).
    public var holm: Double?
    /// Benjamini–Hochberg q within the exploratory family (exploratory comparisons only).
    public var benjaminiHochberg: Double?
    /// Tests left out of this slice because the slice value varies within them (no longer
    /// happens: such a column is an applicant attribute, see `sliceKind`).
    public let excludedTests: Int
    /// What the slice's column describes (nil for the whole sample): the targets (one value
    /// per test), or the applicants (the value varies within tests: METHODS.md §2).
    public var sliceKind: SliceKind? = nil
    /// Paired comparisons of each numeric measure recorded with the answers.
    public let measures: [MeasureFinding]
}

/// A numeric measure (e.g. delay in hours) compared within tests: d = x_R − x_T, each
/// arm's value being the mean over its applications in the test.
public struct MeasureFinding: Sendable {
    public let name: String
    /// Tests where both arms have the measure.
    public let pairs: Int
    public let meanDifference: Defined<Double>
    public let interval: Defined<ConfidenceInterval>
    public let wilcoxon: Defined<HypothesisTest>
    public let hodgesLehmann: Defined<Double>
}

/// Targets with a single arm (between-target randomization), as two independent samples.
public struct BetweenFinding: Sendable {
    public let targets: (reference: Int, tested: Int)
    public let applications: (reference: Int, tested: Int)
    public let positives: (reference: Int, tested: Int)
    public let difference: Defined<Double>
    public let newcombe: Defined<ConfidenceInterval>
    public let chiSquare: Defined<HypothesisTest>
    public let fisher: Defined<HypothesisTest>
}

/// Across the values of one slice column.
public struct StratifiedFinding: Sendable {
    public let reference: String
    public let tested: String
    public let by: String
    public let strata: Int
    /// Application level: Mantel–Haenszel with RBG interval, CMH test, Breslow–Day.
    public let mantelHaenszel: MantelHaenszelResult?
    /// Paired: the discordant split (b, c) across the slice's values (METHODS.md §3).
    public let discordantHomogeneity: Defined<HypothesisTest>
    public let pooledDiscordantShare: Defined<Double>
}

/// Ordinal outcomes: reaching each stage, and the ILO-style cumulated net rate.
public struct OrdinalFinding: Sendable {
    public let reference: String
    public let tested: String
    /// For each stage above the lowest: "reached ≥ stage" net discrimination.
    public let stages: [(stage: String, table: PairedTable, net: Defined<Double>)]
    public let cumulatedNet: Defined<Double>
    public let cumulatedInterval: Defined<ConfidenceInterval>
    public let bootstrapReplicates: Int
    public let seed: UInt64
}

/// A data-quality check: send order (LPM "sent first" term) or testers (χ² on (b, c)).
public struct CheckFinding: Sendable {
    public let reference: String
    public let tested: String
    public let description: String
    public let estimate: Double?
    public let interval: ConfidenceInterval?
    public let test: Defined<HypothesisTest>
    public let groups: Int
    /// For the tester check: true when its groups are tester pairs (calls and visits, where
    /// each application of a test has its own tester), false when they are testers.
    public var groupsArePairs = false
}

/// One organization's paired test (enough tests), with its BH q-value across organizations.
public struct OrganizationFinding: Sendable {
    public let reference: String
    public let tested: String
    /// A pseudonym (`O-007`) unless the campaign allows names.
    public let label: String
    public let name: String?
    public let tests: Int
    public let table: PairedTable
    public let midP: Double
    public var q: Double?
}

extension Findings {
    /// The same findings with only the organizations and comparisons kept by the filters
    /// (what a public report may show: named organizations that meet the evidence bar,
    /// slices with enough tests).
    public func restricted(organizations keepOrganization: (OrganizationFinding) -> Bool,
                           comparisons keepComparison: (ComparisonFinding) -> Bool) -> Findings {
        var kept = Findings(request: request, arms: arms, comparisons: comparisons.filter(keepComparison), stratified: stratified,
                            ordinal: ordinal, sendOrder: sendOrder, testers: testers,
                            organizations: organizations.filter(keepOrganization).map(\.withoutPseudonym),
                            pending: pending, notes: notes)
        kept.placebo = placebo
        // Report cards: the distribution always (SD, π̂₀, concentration); an organization's
        // row only where it may be named, by its name.
        let named = Dictionary(organizations.filter(keepOrganization).compactMap { o in o.name.map { (o.label, $0) } },
                               uniquingKeysWith: { a, _ in a })
        kept.reportCards = reportCards.map { card in
            var card = card
            card.rows = card.rows.compactMap { row in
                named[row.label].map { name in
                    ReportCardRow(label: name, name: name, tests: row.tests, posterior: row.posterior, condorcetRank: row.condorcetRank,
                                  gradeFromTop: row.gradeFromTop, standardErrorPooled: row.standardErrorPooled)
                }
            }
            return card
        }
        return kept
    }
}

extension OrganizationFinding {
    /// A named organization as a public report shows it: by its name only, so that its
    /// pseudonym (which the staff report uses for its other rows) is never printed beside it.
    public var withoutPseudonym: OrganizationFinding {
        guard let name else { return self }
        return OrganizationFinding(reference: reference, tested: tested, label: name, name: name, tests: tests, table: table, midP: midP, q: q)
    }
}

/// Which test gave a comparison's p-value (the one entered in the multiplicity adjustment).
public enum PrimaryTest: String, Sendable {
    /// Paired tests: the mid-p McNemar test on the discordant tests.
    case pairedMcNemar = "McNemar mid-p (paired tests)"
    /// No paired test, targets that received only one arm: Fisher's exact test between them.
    case fisherBetween = "Fisher exact (between targets)"
    case none = "none: no data for this comparison"
}

/// A paired test's positives: how many applications of the reference arm and of the tested
/// arm got a positive answer (with k applications per arm, 0…k each). Written `R-T` ("1-0").
public struct PositivePattern: Hashable, Sendable, CustomStringConvertible {
    public let reference: Int
    public let tested: Int

    public init(reference: Int, tested: Int) {
        self.reference = reference
        self.tested = tested
    }

    public var description: String { "\(reference)-\(tested)" }
}

/// What a slice column describes (issue #16 item 2).
public enum SliceKind: String, Sendable {
    /// A property of the target (city, sector, district): one value per test; the slice keeps
    /// the tests with that value.
    case target
    /// A property of the applicant (the resume's sex, age): the value varies within tests. The
    /// slice keeps every application with that value: application-level rates over all of
    /// them, and paired comparisons within each test among those applications (a test counts
    /// when both arms have one).
    case applicant
}
