import ArgumentParser
import Campaigns
import Foundation
import Ledger
import Planning
import Stats
import Values

/// `barometre plan`: the randomized, counterbalanced test plan and its documents.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Draw a campaign's test plan and write its application documents.",
        discussion: """
            Validates the campaign, then draws one test per target: an identity from each \
            arm's bank (never reused at one organization), templates rotated so that each arm \
            uses each template equally often and no two applications of a test share one, a \
            send order in which each arm goes first equally often, send times inside the \
            period's working days and hours with the stated gaps, and testers dealt evenly.

            Writes into the output folder (default results/<campaign id>/): plan.csv (one row \
            per application), plan.json (seed, campaign hash, balance achieved) and \
            documents/<application id>.txt. The same campaign file and seed always give \
            byte-identical files; the folder is replaced only once everything is written.

            The plan is also registered in the ledger (--db), in the same transaction as the \
            files: planning an unchanged campaign again changes nothing; a changed campaign \
            (or another seed) replaces the plan, unless answers were already recorded for it, \
            in which case it is refused and nothing is written.
            """
    )

    @Argument(help: ArgumentHelp("The campaign file.", valueName: "campaign.json"))
    var file: String

    @Option(help: "Seed of every random choice (overrides design.seed in the campaign).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String?

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let loaded = try loadCampaign(file, or: "not planned")
        let campaign = loaded.campaign
        var drawnSeed = false
        let chosenSeed: UInt64
        if let seed { chosenSeed = seed }
        else if let seed = campaign.design.seed { chosenSeed = seed }
        else {
            chosenSeed = UInt64.random(in: 1...UInt64(UInt32.max))
            drawnSeed = true
        }
        let plan = Planner.plan(loaded, seed: chosenSeed)
        let directory = URL(fileURLWithPath: out ?? "results/\(campaign.id)")
        let store = try ledger.open(create: true)
        // The files are written beside the output folder on another core while the plan's
        // rows are inserted; they take the folder's place inside the transaction, once the
        // rows are in, and are removed if the plan is not registered.
        let staged = StartedWork { try PlanWriter.stage(plan, campaign: campaign, for: directory) }
        let registration: PlanRegistration
        do {
            registration = try store.register(loaded, plan: plan) {
                try staged.value().swapIn()
            }
        } catch {
            (try? staged.value())?.discard()
            if case let .cannotWrite(message) = error {
                printError("error: \(message)")
                printError("hint: choose another folder with --out, or check its permissions; nothing was written")
                throw SysExit.cannotCreate
            }
            throw report(error)
        }
        switch output.format {
        case .json:
            print(PlanWriter.summary(plan, campaign: campaign).rendered())
        case .table:
            print("Planned \(plan.tests.count) tests, \(plan.applications.count) applications for \(campaign.id) with seed \(chosenSeed)"
                  + (drawnSeed ? " (drawn now: put it in design.seed to keep it)" : ""))
            print("  \(directory.relativePath)/plan.csv, plan.json, documents/ (\(plan.applications.count) files)")
            if campaign.fictitious { print("  Targets are fictitious: this is an example campaign.") }
            switch registration {
            case .created: print("  Registered in the ledger \(store.path).")
            case .unchanged: print("  Already registered in the ledger \(store.path), unchanged.")
            case .replaced: print("  Replaced the previous plan in the ledger \(store.path) (no answer had been recorded).")
            }
        }
    }
}

/// `barometre schema`: the campaign JSON Schema, for editors.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of campaign files (or, with --barometer, of barometer files).",
        discussion: "Point your editor at it (\"$schema\" in the file) to check the file as you type."
    )

    @Flag(help: "Print the schema of barometer files instead.")
    var barometer = false

    func run() async throws {
        print(barometer ? BarometerSchema.text : CampaignSchema.text)
    }
}
