import Stats
import Values
/// One application as the barometer sees it: which test, which arm, what answer.
/// The CLI builds these from the ledger; the Barometer knows nothing of SQL.
public struct Observation: Sendable, Equatable {
    public let test: String
    public let arm: String
    public let replicate: Int
    /// The answer's position on the scale (0 = lowest), or `nil` while pending.
    public let levelIndex: Int?
    public let sendOrder: Int?
    public let tester: String?
    public let organization: String?
    /// Slice values (target attributes, or the application's own).
    public let attributes: [String: String]
    /// Numeric measures recorded with the answer (units shown, delay in hours, …).
    public let measures: [String: Double]

    public init(test: String, arm: String, replicate: Int = 1, levelIndex: Int?, sendOrder: Int? = nil, tester: String? = nil,
                organization: String? = nil, attributes: [String: String] = [:], measures: [String: Double] = [:]) {
        self.measures = measures
        self.test = test
        self.arm = arm
        self.replicate = replicate
        self.levelIndex = levelIndex
        self.sendOrder = sendOrder
        self.tester = tester
        self.organization = organization
        self.attributes = attributes
    }
}

/// What to analyse and how.
public struct AnalysisRequest: Sendable {
    public typealias SourceKind = Values.SourceKind

    public var kind: SourceKind
    public var id: String
    public var referenceArm: String
    /// The outcome scale, lowest first, and the index of the positive threshold on it.
    public var scale: [String]
    public var thresholdIndex: Int
    /// Columns to slice by (each value of each column is a slice).
    public var slices: [String]
    public var level: Double
    /// Compare every pair of arms, not only the reference against each tested arm.
    public var allPairs: Bool
    /// Seed of the bootstrap for cumulated net discrimination.
    public var seed: UInt64
    /// Organizations may be named in the output (else pseudonyms).
    public var organizationsNamed: Bool
    /// Fewest tests for an organization (or a slice) to get its own test.
    public var minimumCellSize: Int
    /// True when outcomes were simulated: every output says so.
    public var simulated: Bool
    /// The tested arms whose comparison with the reference (all tests, at the positive
    /// threshold) forms the confirmatory family; nil: every tested arm (METHODS.md §3).
    public var primary: [String]?
    /// A declared placebo arm (a second copy of the reference profile): compared with the
    /// reference as the placebo, never as a finding.
    public var placeboArm: String?
    /// Organization name → pseudonym, keyed by the ledger's secret (the CLI passes them);
    /// nil: numbered in a seeded random order.
    public var organizationLabels: [String: String]?
    /// The organizations' empirical-Bayes report card (METHODS.md §4); nil: not computed.
    public var reportCard: ReportCardRequest? = ReportCardRequest()

    public init(kind: SourceKind, id: String, referenceArm: String, scale: [String], thresholdIndex: Int, slices: [String] = [],
                level: Double = 0.95, allPairs: Bool = false, seed: UInt64 = 1, organizationsNamed: Bool = false,
                minimumCellSize: Int = 5, simulated: Bool = false, primary: [String]? = nil) {
        self.primary = primary
        self.kind = kind
        self.id = id
        self.referenceArm = referenceArm
        self.scale = scale
        self.thresholdIndex = thresholdIndex
        self.slices = slices
        self.level = level
        self.allPairs = allPairs
        self.seed = seed
        self.organizationsNamed = organizationsNamed
        self.minimumCellSize = minimumCellSize
        self.simulated = simulated
    }
}

/// How the report card is built: who is in it and how grades are chosen.
public struct ReportCardRequest: Sendable, Equatable {
    /// Fewest tests (of the pair compared) for an organization to be in the report card.
    public var minimumTests: Int
    /// Fewest organizations for a report card at all (a distribution needs several).
    public var minimumOrganizations: Int
    /// λ (default 0.25, the value Kline, Rose & Walters report first) or a DR bound.
    public var objective: GradingObjective
    /// Points of the prior's grid.
    public var gridPoints: Int
    /// Most organizations for a report card inside `analyze`: the pairwise probabilities are
    /// an F × F matrix (5,000 organizations: about 300 MB and 10 s); above, a note points to
    /// `barometre stats report-card`.
    public var maximumOrganizations: Int = 5000

    public init(minimumTests: Int = 10, minimumOrganizations: Int = 5, objective: GradingObjective = .lambda(0.25), gridPoints: Int = 1000) {
        self.minimumTests = minimumTests
        self.minimumOrganizations = minimumOrganizations
        self.objective = objective
        self.gridPoints = gridPoints
    }
}

extension ApplicationColumns {
    /// The columns of a list of observations (kept for callers that build observations).
    public init(_ observations: [Observation]) {
        self.init()
        var tests = TextPositions(), arms = TextPositions(), testers = TextPositions(), organizations = TextPositions()
        var attributeSets = Positions<[String: String]>(), measureSets = Positions<[String: Double]>()
        _ = attributeSets.position([:])
        _ = measureSets.position([:])
        for o in observations {
            test.append(tests.position(o.test))
            arm.append(arms.position(o.arm))
            level.append(o.levelIndex.map { Int32(clamping: $0) } ?? -1)
            sendOrder.append(o.sendOrder.map { Int32(clamping: $0) } ?? -1)
            tester.append(o.tester.map { testers.position($0) } ?? -1)
            organization.append(o.organization.map { organizations.position($0) } ?? -1)
            attributes.append(attributeSets.position(o.attributes))
            measures.append(measureSets.position(o.measures))
        }
        self.tests = tests.values
        self.arms = arms.values
        self.testers = testers.values
        self.organizations = organizations.values
        self.attributeSets = attributeSets.values
        self.measureSets = measureSets.values
    }
}
