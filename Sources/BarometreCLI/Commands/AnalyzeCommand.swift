import Reports
import ArgumentParser
import Barometer
import Campaigns
import Foundation
import Ledger
import Stats

/// `barometre analyze`: every indicator, for every comparison and slice.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Compute the barometer's findings for a campaign or an imported study.",
        discussion: """
            For the reference arm against each tested arm (--all-pairs: every pair of arms), \
            in the whole sample and in each value of each slice column:
            - the paired table over tests where both arms applied (with several applications \
              per arm, an arm is positive if any of its applications is) and every paired \
              indicator and test of METHODS.md §2, as `barometre stats paired` prints them;
            - the application-level rates, the unpaired Pearson χ² and Fisher test (labelled \
              as ignoring the pairing), and the linear probability model positive ~ reference \
              + test fixed effects with cluster-robust errors (R lm + sandwich::vcovCL, HC1);
            - targets that received only one of the two arms, as independent samples;
            - numeric measures recorded with the answers (e.g. delay_hours): the paired mean \
              difference with a t interval, the Wilcoxon signed-rank test, Hodges–Lehmann;
            - two multiplicity families (METHODS.md §3): the primary comparisons (each \
              tested arm of --primary, or of the campaign's analysis.primary, else every \
              tested arm, against the reference, all tests) are confirmatory, Holm-adjusted \
              among themselves, and alone make headlines; every other comparison (slices, \
              --all-pairs) is exploratory, Benjamini–Hochberg-adjusted among themselves. \
              Adding slices never changes a primary result.
            Across each slice column: Mantel–Haenszel (RBG interval, CMH test, Breslow–Day) \
            and the homogeneity of the discordant split. For ordinal scales: stage-wise and \
            cumulated net rates. Where the data has them: send-order and tester checks, and \
            per-organization mid-p tests with BH q-values.

            Organizations' report card (METHODS.md §4; Kline, Rose & Walters 2024), for each \
            tested arm against the reference, over organizations with at least \
            analysis.reportCard.minimumTests tests (default 10; at least 5 organizations): \
            each one's estimate and posterior (mean and credible interval) under the \
            deconvolved distribution of discrimination across organizations, its Condorcet \
            rank, and its grade (A: least likely to discriminate). Grades are chosen by an \
            exact integer program (COIN-OR CBC): --grades-lambda L (default 0.25) puts an \
            organization above another only when it is more likely to discriminate with \
            probability above 1/(1+L); --grades-dr R instead makes the most grades whose \
            expected mis-ordered pairs stay within R. --format csv prints the report card's \
            table instead of the comparisons when given --report-card.

            Examples:
              barometre analyze --campaign logement-2026
              barometre analyze --campaign logement-2026 --grades-dr 0.05 --format json
              barometre analyze --campaign logement-2026 --report-card --format csv > grades.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(help: ArgumentHelp("The campaign to analyse.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("The imported study to analyse.", valueName: "id"))
    var study: String?

    @Option(help: ArgumentHelp("A column to slice by (repeatable; default: the campaign's analysis.slices or the study's --slice columns).", valueName: "column"))
    var by: [String] = []

    @Flag(help: "Compare every pair of arms, not only the reference against each tested arm.")
    var allPairs = false

    @Option(help: ArgumentHelp("A tested arm whose comparison with the reference is primary (repeatable; default: the campaign's analysis.primary, else every tested arm).", valueName: "arm"))
    var primary: [String] = []

    @Option(help: "Confidence level (default: the campaign's analysis.level, else 0.95).")
    var level: Double?

    @Option(help: "Seed of the bootstrap for cumulated net rates.")
    var seed: UInt64 = 1

    @Option(help: "Output format: table (for people), json, or csv (one row per comparison; with --report-card, one row per graded organization).")
    var format: Format = .table

    @OptionGroup var grading: GradingOptions

    @Flag(help: "With --format csv: print the organizations' report card (one row per graded organization) instead of the comparisons.")
    var reportCard = false

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (campaign == nil) != (study == nil) else { throw ValidationError("Give --campaign ID or --study ID.") }
        if let level, !(level > 0 && level < 1) { throw ValidationError("--level must lie strictly between 0 and 1 (e.g. 0.95), got \(level).") }
        if reportCard, format != .csv { throw ValidationError("--report-card selects the CSV table: use it with --format csv (the table and JSON formats always include the report card).") }
    }



    func run() async throws {
        let loaded = try AnalysisLoader.load(ledger: ledger, campaign: campaign, study: study, by: by, level: level, seed: seed, allPairs: allPairs,
                                             primary: primary.isEmpty ? nil : primary, grades: grading.objective)
        let findings = loaded.findings
        switch format {
        case .json: print(loaded.json.rendered())
        case .csv: print(reportCard ? FindingsCSV.reportCard(findings) : FindingsCSV.render(findings), terminator: "")
        case .table: print(FindingsTable.render(findings, title: loaded.source.title))
        }
    }
}
