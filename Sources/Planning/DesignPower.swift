import Campaigns
import Stats

/// Power of a campaign's design against a stated truth (issue [simulate], METHODS.md §5).
///
/// Analytic, for pairs (one application per arm): with positive probabilities p_R, p_T and
/// within-test correlation ρ (the scenario's mixture: a shared draw with probability ρ),
/// ```
/// p₁₁ = ρ·min(p_R, p_T) + (1 − ρ)·p_R·p_T,   p₁₀ = p_R − p₁₁,   p₀₁ = p_T − p₁₁
/// ```
/// then Connor's tests needed and the exact power of the mid-p McNemar test.
/// Monte Carlo, for the design as planned (k applications per arm, the max rule, slices):
/// the campaign is simulated `simulations` times from the scenario with the seeded GSL
/// generator, and the share of simulations whose mid-p test rejects at α is the power.
///
/// Power is planned for the family the report will use (METHODS.md §3): the primary
/// comparisons (`analysis.primary`, default every tested arm) are Holm-adjusted among
/// themselves in each simulated campaign, and the analytic figures use α/m for the m primary
/// comparisons (Bonferroni, Holm's first step: a lower bound on Holm's power). Exploratory
/// comparisons (arms not named primary, slices, organizations) are shown at the unadjusted α.
public enum DesignPower {
    public struct Comparison: Sendable {
        public let tested: String
        /// A primary (confirmatory) comparison: planned with the family's adjustment.
        public let primary: Bool
        /// The level its analytic figures use: α/m when primary, α when exploratory.
        public let alphaUsed: Double
        public let pReference: Double, pTested: Double
        public let p10: Double, p01: Double
        /// Connor's tests needed for the target power (nil when p₁₀ = p₀₁).
        public let testsNeeded: Int?
        /// Exact mid-p power with the campaign's number of tests, one application per arm.
        public let analyticPower: Double
        /// Share of simulated campaigns in which the mid-p test rejected.
        public let monteCarloPower: Double
        public let monteCarloStandardError: Double
        /// Per slice value: Monte-Carlo power within it.
        public let slices: [(slice: String, tests: Int, power: Double)]
        /// Exact mid-p power for one organization with `testsPerOrganization` tests.
        public let organizationPower: Double
        /// Monte Carlo: the share of (simulation, organization) pairs in which the
        /// organization's own tests reject, with the scenario's heterogeneity and the plan's
        /// number of tests per organization.
        public let organizationMonteCarloPower: Double
    }

    public struct Result: Sendable {
        public let tests: Int
        public let applicationsPerArm: Int
        public let simulations: Int
        public let seed: UInt64
        public let testsPerOrganization: Int
        /// The number m of primary comparisons (Holm's family).
        public let primaryCount: Int
        public let comparisons: [Comparison]
    }

    /// The report card's grades with n tests per organization (each n of `testsPerOrganization`),
    /// for each tested arm against the reference: the campaign's organizations (their number),
    /// the scenario's rates, within-test correlation and heterogeneity, and the campaign's
    /// grading (analysis.reportCard, default λ = 0.25). ``ReportCardPower`` says how.
    public static func grades(campaign loaded: LoadedCampaign, scenario: Scenario, testsPerOrganization: [Int], simulations: Int, seed: UInt64)
        throws(StatisticsError) -> (organizations: Int, objective: GradingObjective, arms: [(tested: String, results: [ReportCardPower.Result])]) {
        let campaign = loaded.campaign
        let threshold = campaign.scale.firstIndex(of: campaign.positiveThreshold)!
        let organizations = Set(loaded.targets.map(\.organization)).count
        var objective = GradingObjective.lambda(0.25)
        if let g = campaign.analysis?.reportCard?.grades {
            objective = g.by == .lambda ? .lambda(g.value) : .discordanceRate(g.value)
        }
        let pR = positiveProbability(scenario, arm: campaign.referenceArm.id, threshold: threshold)
        var arms: [(String, [ReportCardPower.Result])] = []
        for arm in campaign.testedArms.map(\.id) {
            let model = ReportCardPower.Scenario(referenceRate: pR, testedRate: positiveProbability(scenario, arm: arm, threshold: threshold),
                                                 withinTestCorrelation: scenario.withinTestCorrelation,
                                                 organizationSD: scenario.organizationSD, discriminationSD: scenario.discriminationSD)
            var results: [ReportCardPower.Result] = []
            for n in testsPerOrganization {
                results.append(try ReportCardPower.simulate(organizations: organizations, testsPerOrganization: n, scenario: model, objective: objective,
                                                            simulations: simulations, seed: seed))
            }
            arms.append((arm, results))
        }
        return (organizations, objective, arms)
    }

    /// The probability of a positive answer (at or above the threshold) for each arm.
    public static func positiveProbability(_ scenario: Scenario, arm: String, threshold: Int) -> Double {
        scenario.probabilities[arm]!.enumerated().filter { $0.offset >= threshold }.reduce(0) { $0 + $1.element }
    }

    public static func compute(
        campaign loaded: LoadedCampaign, scenario: Scenario, simulations: Int, seed: UInt64, alpha: Double = 0.05, targetPower: Double = 0.8,
        testsPerOrganization: Int? = nil, progress: (Int) -> Void = { _ in }
    ) throws(StatisticsError) -> Result {
        let campaign = loaded.campaign
        let threshold = campaign.scale.firstIndex(of: campaign.positiveThreshold)!
        let plan = Planner.plan(loaded, seed: campaign.design.seed ?? seed)
        let applications = plan.applications.map {
            OutcomeSimulator.Application(code: $0.id, test: $0.testID, arm: $0.arm, sendAt: $0.sendAt.description, organization: $0.organization)
        }
        let tests = plan.tests.count
        var perOrganization: [String: Int] = [:]
        for target in loaded.targets { perOrganization[target.organization, default: 0] += 1 }
        let organizationTests = testsPerOrganization ?? perOrganization.values.max() ?? 1
        let reference = campaign.referenceArm.id
        let sliceColumns = campaign.analysis?.slices ?? []
        // Slice value of each test, from its target.
        var sliceOf: [String: [String: String]] = [:]
        for test in plan.tests {
            let t = test.target
            var values: [String: String] = ["sector": t.sector, "city": t.city, "channel": t.channel.rawValue, "organization": t.organization]
            if let district = t.district { values["district"] = district }
            sliceOf[test.id] = values
        }
        let tested = campaign.testedArms.map(\.id)
        let primary = Set(campaign.analysis?.primary ?? tested)
        var rejections = [String: Int](), sliceRejections = [String: [String: Int]]()
        var organizationRejections = [String: Int](), organizationTrials = [String: Int]()
        let organizationOf = Dictionary(uniqueKeysWithValues: plan.tests.map { ($0.id, $0.target.organization) })
        for s in 0..<simulations {
            let draws = OutcomeSimulator.draw(applications, scenario: scenario, seed: seed &+ UInt64(s), responseWindowDays: 1, today: "9999-12-31",
                                              reference: reference, threshold: threshold)
            var positive: [String: [String: Bool]] = [:]  // test → arm → any positive (max rule)
            for (application, draw) in zip(applications, draws) {
                positive[application.test, default: [:]][application.arm] = (positive[application.test]?[application.arm] ?? false) || draw.levelIndex >= threshold
            }
            var primaryP: [(arm: String, p: Double)] = []
            for arm in tested {
                var b = 0, c = 0
                var sliceCounts: [String: (Int, Int)] = [:]
                for (test, arms) in positive {
                    guard let r = arms[reference], let t = arms[arm], r != t else { continue }
                    if r { b += 1 } else { c += 1 }
                    for column in sliceColumns {
                        guard let value = sliceOf[test]?[column] else { continue }
                        var counts = sliceCounts["\(column)=\(value)"] ?? (0, 0)
                        if r { counts.0 += 1 } else { counts.1 += 1 }
                        sliceCounts["\(column)=\(value)"] = counts
                    }
                }
                let p = McNemar.midP(b: b, c: c)
                if primary.contains(arm) { primaryP.append((arm, p)) } else if p <= alpha { rejections[arm, default: 0] += 1 }
                // Each organization on its own tests (with heterogeneity, organizations differ).
                var byOrganization: [String: (Int, Int)] = [:]
                for (test, arms) in positive {
                    guard let r = arms[reference], let t = arms[arm], let organization = organizationOf[test] else { continue }
                    var counts = byOrganization[organization] ?? (0, 0)
                    if r && !t { counts.0 += 1 } else if t && !r { counts.1 += 1 }
                    byOrganization[organization] = counts
                }
                for (_, (ob, oc)) in byOrganization {
                    organizationTrials[arm, default: 0] += 1
                    if McNemar.midP(b: ob, c: oc) <= alpha { organizationRejections[arm, default: 0] += 1 }
                }
                for (slice, (sb, sc)) in sliceCounts where McNemar.midP(b: sb, c: sc) <= alpha {
                    sliceRejections[arm, default: [:]][slice, default: 0] += 1
                }
            }
            // The primary comparisons of this simulated campaign, Holm-adjusted together.
            if !primaryP.isEmpty {
                let adjusted = try Multiplicity.holm(primaryP.map(\.p))
                for (k, entry) in primaryP.enumerated() where adjusted[k] <= alpha { rejections[entry.arm, default: 0] += 1 }
            }
            progress(s + 1)
        }
        var sliceTests: [String: Int] = [:]
        for test in plan.tests { for column in sliceColumns { if let v = sliceOf[test.id]?[column] { sliceTests["\(column)=\(v)", default: 0] += 1 } } }
        var comparisons: [Comparison] = []
        for arm in tested {
            let pR = positiveProbability(scenario, arm: reference, threshold: threshold)
            let pT = positiveProbability(scenario, arm: arm, threshold: threshold)
            let rho = scenario.withinTestCorrelation
            let p11 = rho * min(pR, pT) + (1 - rho) * pR * pT
            let p10 = pR - p11, p01 = pT - p11
            let level = primary.contains(arm) ? alpha / Double(primary.count) : alpha
            let needed: Int? = p10 == p01 ? nil : try PairedPower.pairsNeeded(p10: p10, p01: p01, alpha: level, power: targetPower)
            let power = Double(rejections[arm] ?? 0) / Double(simulations)
            comparisons.append(Comparison(
                tested: arm, primary: primary.contains(arm), alphaUsed: level, pReference: pR, pTested: pT, p10: p10, p01: p01, testsNeeded: needed,
                analyticPower: try PairedPower.midPPower(pairs: tests, p10: p10, p01: p01, alpha: level),
                monteCarloPower: power, monteCarloStandardError: (power * (1 - power) / Double(simulations)).squareRoot(),
                slices: sliceTests.keys.sorted().map { ($0, sliceTests[$0]!, Double(sliceRejections[arm]?[$0] ?? 0) / Double(simulations)) },
                organizationPower: try PairedPower.midPPower(pairs: organizationTests, p10: p10, p01: p01, alpha: alpha),
                organizationMonteCarloPower: Double(organizationRejections[arm] ?? 0) / Double(max(1, organizationTrials[arm] ?? 0))))
        }
        return Result(tests: tests, applicationsPerArm: campaign.design.applicationsPerArm, simulations: simulations, seed: seed,
                      testsPerOrganization: organizationTests, primaryCount: primary.count, comparisons: comparisons)
    }

    /// Monte-Carlo power of the mid-p test for n pairs with the given discordant probabilities
    /// (the check of the analytic answer).
    public static func monteCarlo(pairs n: Int, p10: Double, p01: Double, alpha: Double, simulations: Int, seed: UInt64) -> (power: Double, standardError: Double) {
        let generator = SeededGenerator(seed: seed)
        let psi = p10 + p01
        var rejections = 0
        for _ in 0..<simulations {
            let discordant = generator.binomial(trials: n, probability: psi)
            let b = psi > 0 ? generator.binomial(trials: discordant, probability: p10 / psi) : 0
            if McNemar.midP(b: b, c: discordant - b) <= alpha { rejections += 1 }
        }
        let power = Double(rejections) / Double(simulations)
        return (power, (power * (1 - power) / Double(simulations)).squareRoot())
    }
}
