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
            - Holm and Benjamini–Hochberg adjusted p-values over all comparisons × slices.
            Across each slice column: Mantel–Haenszel (RBG interval, CMH test, Breslow–Day) \
            and the homogeneity of the discordant split. For ordinal scales: stage-wise and \
            cumulated net rates. Where the data has them: send-order and tester checks, and \
            per-organization mid-p tests with BH q-values.
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

    @Option(help: "Confidence level (default: the campaign's analysis.level, else 0.95).")
    var level: Double?

    @Option(help: "Seed of the bootstrap for cumulated net rates.")
    var seed: UInt64 = 1

    @Option(help: "Output format: table (for people), json, or csv (one row per comparison).")
    var format: Format = .table

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (campaign == nil) != (study == nil) else { throw ValidationError("Give --campaign ID or --study ID.") }
        if let level, !(level > 0 && level < 1) { throw ValidationError("--level must lie strictly between 0 and 1 (e.g. 0.95), got \(level).") }
    }

    func run() async throws {
        let store = try ledger.open()
        let id = campaign ?? study!
        let source: SourceInfo
        let records: [ApplicationRecord]
        do {
            source = try store.source(id)
            records = try store.applications(campaign: id)
        } catch {
            throw report(error)
        }
        if study != nil && source.kind != "study" || campaign != nil && source.kind != "campaign" {
            printError("error: \(id) is a \(source.kind), not a \(study != nil ? "study" : "campaign")\n  hint: use --\(source.kind) \(id)")
            throw SysExit.dataError
        }
        let definition = source.definition.flatMap { try? JSONDecoder().decode(Campaign.self, from: Data($0.utf8)) }
        let scaleIndex = Dictionary(uniqueKeysWithValues: source.scale.enumerated().map { ($1, $0) })
        let observations = records.map { r in
            Observation(test: r.test, arm: r.arm, replicate: r.replicate, levelIndex: r.outcome.flatMap { scaleIndex[$0] },
                        sendOrder: r.sendOrder, tester: r.tester, organization: r.organization, attributes: r.attributes, measures: r.measures)
        }
        let request = AnalysisRequest(
            kind: source.kind == "study" ? .study : .campaign, id: id, referenceArm: source.referenceArm, scale: source.scale,
            thresholdIndex: scaleIndex[source.positiveThreshold] ?? 1,
            slices: by.isEmpty ? (definition?.analysis?.slices ?? source.sliceColumns) : by,
            level: level ?? definition?.analysis?.level ?? 0.95, allPairs: allPairs, seed: seed,
            organizationsNamed: definition?.publication?.organizations == .named,
            minimumCellSize: definition?.publication?.minimumCellSize ?? 5,
            simulated: records.contains { $0.simulated })
        let findings: Findings
        do {
            findings = try Analyzer.analyze(observations, request)
        } catch {
            throw report(error, dataError: true)
        }
        switch format {
        case .json: print(findings.json.rendered())
        case .csv: print(FindingsCSV.render(findings), terminator: "")
        case .table: print(FindingsTable.render(findings, title: source.title))
        }
    }
}
