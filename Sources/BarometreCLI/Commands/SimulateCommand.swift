import ArgumentParser
import Campaigns
import Foundation
import Ledger
import Planning
import Stats
import Values

/// `barometre simulate`: synthetic outcomes with a known truth, always flagged simulated.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Record simulated outcomes for a planned campaign, drawn from a stated truth.",
        discussion: """
            For demonstrations, training and checking the pipeline before real data exists. \
            The scenario file gives each arm's probabilities over the campaign's outcome scale \
            and a within-test correlation (see the README). Outcomes are drawn with a seeded \
            GSL generator for every application already sent, dated 1 to responseWindowDays \
            days after sending, and recorded in one transaction, flagged simulated: every \
            analysis and report of the campaign then says so. Refused for a campaign that \
            already holds answers; the same scenario and seed again write nothing.
            """
    )

    @Argument(help: ArgumentHelp("The planned campaign's id.", valueName: "campaign"))
    var campaign: String

    @Option(help: ArgumentHelp("The scenario file (JSON).", valueName: "file"))
    var scenario: String

    @Option(help: "Seed of the draws.")
    var seed: UInt64 = 1

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let data = try readInput(scenario)
        let store = try ledger.open()
        let source: SourceInfo
        let records: [ApplicationRecord]
        do {
            source = try store.source(campaign)
            records = try store.applications(campaign: campaign)
        } catch {
            throw report(error)
        }
        guard let definition = try AnalysisLoader.storedCampaign(source) else {
            printError("error: \(campaign) is an imported study: only planned campaigns can be simulated")
            throw SysExit.dataError
        }
        let parsed: Scenario
        do {
            parsed = try Scenario.parse(data, file: scenario, arms: definition.arms.map(\.id), scale: source.scale)
        } catch {
            for issue in error.issues { printError("error: " + issue.rendered) }
            throw SysExit.dataError
        }
        let applications = records.map {
            OutcomeSimulator.Application(code: $0.application, test: $0.test, arm: $0.arm, sendAt: $0.sendAt ?? "", organization: $0.organization)
        }
        let today = String(Timestamp.local(Date()).prefix(10))
        let draws = OutcomeSimulator.draw(applications, scenario: parsed, seed: seed, responseWindowDays: definition.design.responseWindowDays, today: today,
                                          reference: definition.referenceArm.id, threshold: source.scale.firstIndex(of: source.positiveThreshold) ?? 1)
        var hash = data
        hash.append(contentsOf: Array("seed:\(seed)".utf8))
        do {
            let count = try store.recordSimulation(
                campaign: campaign, outcomes: draws.map { ($0.code, source.scale[$0.levelIndex], $0.observedAt) },
                scenarioHash: Ledger.sha256(hash), label: "\(scenario) (seed \(seed))")
            print("recorded \(count) SIMULATED outcomes for \(campaign) (scenario \(scenario), seed \(seed)); \(records.count - count) applications not yet sent stay pending")
        } catch {
            let code = report(error)
            if code != .success { throw code }
        }
    }
}
