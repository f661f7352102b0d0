import Reports
import ArgumentParser
import Campaigns
import Foundation
import Planning
import Stats
import Values

/// `barometre power`: the power of a campaign's design against a stated truth.
struct DesignPowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Compute the power of a campaign's design against a stated truth (or of a paired design from flags).",
        discussion: """
            With a campaign and a scenario (the file `simulate` uses): for each tested arm, the \\
            discordant probabilities implied by the scenario, Connor's number of tests needed \\
            for --target power, the exact power of the mid-p test with the campaign's tests, a \\
            Monte-Carlo power of the design as planned (k applications per arm, max rule) \\
            overall and per slice value, and the power for one organization with \\
            --tests-per-organization tests. Simulations use the seeded GSL generator.

            Power is planned for the family the report will use: the primary comparisons \
            (analysis.primary, default every tested arm) are Holm-adjusted together in each \
            simulated campaign, and the exact power and Connor's tests needed use α/m for m \
            primary comparisons (Bonferroni, a lower bound on Holm's power). Exploratory \
            comparisons, slices and organizations are shown at the unadjusted α.

            --grades: how many tests per organization the report card's grades need. For each \
            number of tests of --grade-tests (default 10,20,40,80), --grade-simulations \
            campaigns (default 100) with the campaign's number of organizations, the scenario's \
            rates and its heterogeneity (organizationSD, discriminationSD: without it, every \
            organization is the same and no grade can separate them) are graded as analyze \
            grades them (the campaign's analysis.reportCard), and compared with the simulated \
            truth: the share of campaigns with at least two grades, the mean number of grades, \
            the share of pairs in different grades that are truly in the wrong order, the rank \
            correlation of the posterior means with the truth, and how much of the truly most \
            discriminating fifth lands in the top grade. The smallest number of tests giving at \
            least two grades in --target of the campaigns is named.
              barometre power campaigns/housing-agencies-lille-2026.json \
                  --scenario campaigns/scenarios/housing-agencies-lille-2026.scenario.json --grades

            With flags (--p10 and --p01): tests needed, the exact power, and a Monte-Carlo check.
              barometre power --p10 0.10 --p01 0.05            # 469 tests; Monte Carlo ≈ 0.80
            """
    )

    @Argument(help: ArgumentHelp("The campaign file.", valueName: "campaign.json"))
    var file: String?

    @Option(help: ArgumentHelp("The scenario file (with a campaign).", valueName: "file"))
    var scenario: String?

    @Option(help: "Probability that only the reference arm gets a positive answer (flags mode).") var p10: Double?
    @Option(help: "Probability that only the tested arm gets a positive answer (flags mode).") var p01: Double?
    @Option(help: ArgumentHelp("Number of paired tests (flags mode; default: Connor's tests needed).", valueName: "n")) var tests: Int?
    @Option(help: "Target power.") var target: Double = 0.8
    @Option(help: "Two-sided significance level.") var alpha: Double = 0.05
    @Option(help: "Number of simulated campaigns.") var simulations: Int = 2000
    @Option(help: "Seed of the simulations.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Tests per organization for the per-organization power (default: the busiest organization's).", valueName: "n"))
    var testsPerOrganization: Int?
    @Flag(help: "Also simulate the report card's grades for several numbers of tests per organization (with a campaign and scenario).")
    var grades = false
    @Option(help: ArgumentHelp("With --grades: the numbers of tests per organization to simulate, comma-separated.", valueName: "n,n,…"))
    var gradeTests: String = "10,20,40,80"
    @Option(help: ArgumentHelp("With --grades: simulated campaigns per number of tests.", valueName: "count"))
    var gradeSimulations: Int = 100
    @OptionGroup var output: OutputOptions

    var gradeCounts: [Int] { gradeTests.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let flags = p10 != nil || p01 != nil
        guard flags != (file != nil) else { throw ValidationError("Give a campaign file with --scenario, or --p10 and --p01.") }
        if flags { guard p10 != nil, p01 != nil else { throw ValidationError("Give both --p10 and --p01.") } }
        if file != nil && scenario == nil { throw ValidationError("Give the scenario file with --scenario FILE.") }
        guard simulations >= 1 else { throw ValidationError("--simulations must be at least 1.") }
        guard target > 0, target < 1 else { throw ValidationError("--target must lie strictly between 0 and 1, got \(target).") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie strictly between 0 and 1, got \(alpha).") }
        if grades {
            guard file != nil else { throw ValidationError("--grades simulates a campaign's report card: give the campaign file and --scenario.") }
            let counts = gradeTests.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 2 }) else {
                throw ValidationError("--grade-tests takes numbers of tests of at least 2, comma-separated (e.g. 10,20,40), got \(gradeTests).")
            }
            guard gradeSimulations >= 1 else { throw ValidationError("--grade-simulations must be at least 1.") }
        }
    }

    func run() async throws {
        if let p10, let p01 { return try runFlags(p10: p10, p01: p01) }
        let loaded: LoadedCampaign
        do { loaded = try CampaignLoader.load(URL(fileURLWithPath: file!)) } catch {
            for issue in error.issues { printError("error: " + issue.rendered) }
            throw error.missingInput ? SysExit.noInput : SysExit.dataError
        }
        let data = try readInput(scenario!)
        let parsed: Scenario
        do { parsed = try Scenario.parse(data, file: scenario!, arms: loaded.campaign.arms.map(\.id), scale: loaded.campaign.scale) } catch {
            for issue in error.issues { printError("error: " + issue.rendered) }
            throw SysExit.dataError
        }
        let terminal = isatty(STDERR_FILENO) == 1
        let result: DesignPower.Result
        do {
            result = try DesignPower.compute(campaign: loaded, scenario: parsed, simulations: simulations, seed: seed, alpha: alpha, targetPower: target,
                                             testsPerOrganization: testsPerOrganization) { done in
                guard terminal, done % max(1, simulations / 50) == 0 || done == simulations else { return }
                let filled = done * 30 / simulations
                StandardErrorStream.write("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] \(done)/\(simulations)"
                                                    + (done == simulations ? "\n" : ""))
            }
        } catch {
            throw report(error)
        }
        var gradePower: (organizations: Int, objective: GradingObjective, arms: [(tested: String, results: [ReportCardPower.Result])])?
        if grades {
            if parsed.organizationSD == 0 && parsed.discriminationSD == 0 {
                printError("note: the scenario has no heterogeneity (organizationSD, discriminationSD): every organization is the same, so grades can only separate them by chance")
            }
            do {
                gradePower = try DesignPower.grades(campaign: loaded, scenario: parsed, testsPerOrganization: gradeCounts, simulations: gradeSimulations, seed: seed)
            } catch {
                throw report(error, dataError: true)
            }
        }
        switch output.format {
        case .json:
            var pairs: [(String, JSONValue)] = [
                ("campaign", .string(loaded.campaign.id)), ("tests", .int(result.tests)), ("applicationsPerArm", .int(result.applicationsPerArm)),
                ("alpha", .number(alpha)), ("targetPower", .number(target)), ("simulations", .int(result.simulations)), ("seed", .int(Int(seed))),
                ("testsPerOrganization", .int(result.testsPerOrganization)),
                ("primaryComparisons", .int(result.primaryCount)),
                ("adjustment", .string("primary comparisons: Holm within them in each simulated campaign; analytic figures at α/m (Bonferroni, a lower bound on Holm's power). Exploratory comparisons, slices and organizations: unadjusted α")),
                ("comparisons", .array(result.comparisons.map { c in
                    .object([("tested", .string(c.tested)), ("family", .string(c.primary ? "confirmatory" : "exploratory")), ("alpha", .number(c.alphaUsed)),
                             ("pReference", .number(c.pReference)), ("pTested", .number(c.pTested)),
                             ("p10", .number(c.p10)), ("p01", .number(c.p01)), ("testsNeeded", c.testsNeeded.map(JSONValue.int) ?? .null),
                             ("analyticPower", .number(c.analyticPower)), ("monteCarloPower", .number(c.monteCarloPower)),
                             ("monteCarloSE", .number(c.monteCarloStandardError)), ("organizationPower", .number(c.organizationPower)),
                             ("organizationMonteCarloPower", .number(c.organizationMonteCarloPower)),
                             ("slices", .array(c.slices.map { .object([("slice", .string($0.slice)), ("tests", .int($0.tests)), ("power", .number($0.power))]) }))])
                })),
            ]
            if let gradePower {
                pairs.append(("reportCard", .object([
                    ("organizations", .int(gradePower.organizations)), ("grades", .string(gradePower.objective.description)),
                    ("simulations", .int(gradeSimulations)),
                    ("model", .string("barometre simulate's: per organization log-odds shifts u ~ N(0, organizationSD²) for both arms and v ~ N(0, discriminationSD²) for the tested arm; prior grid of 300 points; grades by the dynamic program over the Condorcet order")),
                    ("testsNeeded", .object(gradePower.arms.map { arm in (arm.tested, testsNeeded(arm.results).map(JSONValue.int) ?? .null) })),
                    ("arms", .array(gradePower.arms.map { arm in
                        .object([("tested", .string(arm.tested)), ("results", .array(arm.results.map { r in
                            .object([("testsPerOrganization", .int(r.testsPerOrganization)), ("separating", .number(r.separating)),
                                     ("meanGrades", .number(r.meanGrades)), ("misorderedShare", r.misorderedShare.map(JSONValue.number) ?? .null),
                                     ("rankCorrelation", .number(r.rankCorrelation)),
                                     ("topFifthInTopGrade", r.topFifthInTopGrade.map(JSONValue.number) ?? .null)])
                        }))])
                    })),
                ])))
            }
            print(JSONValue.object(pairs).rendered())
        case .table:
            print("Power of \(loaded.campaign.id): \(result.tests) tests, \(result.applicationsPerArm) application(s) per arm, two-sided α = \(alpha)")
            print("(\(result.simulations) simulated campaigns, seed \(seed); the truth is the scenario \(scenario!))")
            print("The \(result.primaryCount) primary comparison\(result.primaryCount == 1 ? " is" : "s are") planned as they will be reported: Holm-adjusted together "
                  + "in each simulated campaign, and at α/\(result.primaryCount) = \(decimal(alpha / Double(result.primaryCount), places: 4)) for the exact power and Connor's tests needed "
                  + "(Bonferroni, a lower bound on Holm's power). Exploratory comparisons, slices and organizations use α = \(alpha) unadjusted.")
            for c in result.comparisons {
                print("  \(c.tested) (\(c.primary ? "primary" : "exploratory")): p_R = \(decimal(c.pReference, places: 3)), p_T = \(decimal(c.pTested, places: 3)) → p10 = \(decimal(c.p10, places: 3)), p01 = \(decimal(c.p01, places: 3))")
                print("    tests needed for \(percent(target)) power (Connor): \(c.testsNeeded.map(String.init) ?? "— (no difference)")")
                print("    exact mid-p power, pairs: \(decimal(c.analyticPower, places: 3)); Monte Carlo, design as planned: \(decimal(c.monteCarloPower, places: 3)) ± \(decimal(c.monteCarloStandardError, places: 3))")
                print("    one organization with \(result.testsPerOrganization) tests: power \(decimal(c.organizationPower, places: 3)) (exact); "
                      + "an organization of this plan, with the scenario's heterogeneity: \(decimal(c.organizationMonteCarloPower, places: 3)) (Monte Carlo)")
                for s in c.slices { print("      slice \(s.slice) (\(s.tests) tests): power \(decimal(s.power, places: 3))") }
            }
            if let gradePower {
                print("Report card grades: \(gradePower.organizations) organizations, grades by \(gradePower.objective), \(gradeSimulations) simulated campaigns per row "
                      + "(the scenario's heterogeneity: organizationSD \(parsed.organizationSD), discriminationSD \(parsed.discriminationSD); "
                      + "each simulated campaign graded by the dynamic program over its Condorcet order, prior grid of 300 points). "
                      + "Wrong order: among pairs in different grades, the share truly in the opposite order.")
                for arm in gradePower.arms {
                    print("  \(arm.tested):")
                    print("    tests/org  ≥2 grades  mean grades  wrong order  rank corr.  top fifth in top grade")
                    for r in arm.results {
                        print("    " + String(repeating: " ", count: max(0, 9 - String(r.testsPerOrganization).count)) + "\(r.testsPerOrganization)"
                              + "  " + Self.pad(percent(r.separating), 9) + "  " + Self.pad(decimal(r.meanGrades, places: 1), 11)
                              + "  " + Self.pad(r.misorderedShare.map(percent) ?? "—", 11) + "  " + Self.pad(decimal(r.rankCorrelation, places: 2), 10)
                              + "  " + Self.pad(r.topFifthInTopGrade.map(percent) ?? "—", 9))
                    }
                    if let n = testsNeeded(arm.results) {
                        print("    → from \(n) tests per organization, at least two grades in \(percent(target)) of campaigns or more.")
                    } else {
                        print("    → no number of tests simulated gives at least two grades in \(percent(target)) of campaigns: try more tests (--grade-tests).")
                    }
                }
            }
        }
    }

    /// The smallest number of tests simulated at which grades separate organizations in at
    /// least `target` of the campaigns (and at every larger number simulated).
    func testsNeeded(_ results: [ReportCardPower.Result]) -> Int? {
        let sorted = results.sorted { $0.testsPerOrganization < $1.testsPerOrganization }
        return sorted.indices.first { i in sorted[i...].allSatisfy { $0.separating >= target } }.map { sorted[$0].testsPerOrganization }
    }

    static func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

    func runFlags(p10: Double, p01: Double) throws {
        let answer: (needed: Int?, tests: Int, exact: Double, monteCarlo: (power: Double, standardError: Double))
        do {
            answer = try quickAnswer(p10: p10, p01: p01)
        } catch {
            throw report(error)
        }
        switch output.format {
        case .json:
            print(JSONValue.object([("testsNeeded", answer.needed.map(JSONValue.int) ?? .null), ("tests", .int(answer.tests)),
                                    ("exactPower", .number(answer.exact)), ("monteCarloPower", .number(answer.monteCarlo.power)),
                                    ("monteCarloSE", .number(answer.monteCarlo.standardError)), ("simulations", .int(simulations)),
                                    ("seed", .int(Int(seed)))]).rendered())
        case .table:
            if let needed = answer.needed { print("\(needed) tests are needed for \(percent(target)) power (Connor 1987, two-sided α = \(alpha)).") }
            print("With \(answer.tests) tests: exact mid-p power \(decimal(answer.exact, places: 3)); Monte Carlo \(decimal(answer.monteCarlo.power, places: 3)) ± "
                  + "\(decimal(answer.monteCarlo.standardError, places: 3)) (\(simulations) simulations, seed \(seed)).")
        }
    }

    private func quickAnswer(p10: Double, p01: Double) throws(StatisticsError) -> (needed: Int?, tests: Int, exact: Double, monteCarlo: (power: Double, standardError: Double)) {
        var needed: Int? = nil
        if p10 != p01 { needed = try PairedPower.pairsNeeded(p10: p10, p01: p01, alpha: alpha, power: target) }
        let n = tests ?? needed ?? 100
        let exact = try PairedPower.midPPower(pairs: n, p10: p10, p01: p01, alpha: alpha)
        return (needed, n, exact, DesignPower.monteCarlo(pairs: n, p10: p10, p01: p01, alpha: alpha, simulations: simulations, seed: seed))
    }
}
