import ArgumentParser
import Campaigns
import Foundation
import Ledger
import Planning
import Stats
import Values

/// `barometre amend`: change a campaign's non-design fields once answers exist.
struct AmendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend",
        abstract: "Apply changes that do not touch the design to a planned campaign, as a recorded amendment.",
        discussion: """
            Compares the campaign file with the one its plan was drawn from (kept in the \
            ledger) and lists every difference.

            May be amended, even after answers were recorded: the title and territory (unless a \
            template prints them), the criterion's description, the arms' labels, language \
            and translations, design.responseWindowDays, the publication policy and the \
            analysis options. The amendment is recorded (who, when, each change with its old \
            and new value), listed by `barometre status` and in the report's methods annex; \
            the plan, its applications and the answers stay as they are.

            Refused, with the reason for each difference: arms and identities, targets (and \
            the targets file), templates, the rest of the design, the outcome scale, the \
            domain, period, wave and id. Those define the applications that were sent; start a \
            new campaign (a new id or a new wave) instead. On refusal nothing is written.

            Example: lengthen the response window from 14 to 21 days:
              barometre amend campaigns/logement.json --by "Chargée d'études"
            """
    )

    @Argument(help: ArgumentHelp("The amended campaign file (same id as the planned one).", valueName: "campaign.json"))
    var file: String

    @Option(help: ArgumentHelp("Who amends the campaign (recorded with the amendment).", valueName: "name"))
    var by: String?

    @Flag(help: "List the differences and whether each may be amended, without writing anything.")
    var dryRun = false

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let loaded = try loadCampaign(file, or: "not amended")
        let campaign = loaded.campaign
        guard dryRun || !(by ?? "").trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("Say who amends the campaign with --by NAME (it is recorded with the amendment), or use --dry-run.")
        }
        let store = try ledger.open(create: false)
        let registered: (definition: Data, hash: String, seed: UInt64)
        do { registered = try store.registeredCampaign(campaign.id) } catch { throw report(error) }
        let newHash = Planner.hash(loaded)
        var amendment: CampaignAmendment
        do {
            amendment = try CampaignAmendment.compare(registered: registered.definition, amended: loaded.source)
        } catch {
            printError("error: the campaign file registered for \(campaign.id) cannot be read back (\(error))")
            throw SysExit.software
        }
        // The targets file is not kept in the ledger: it is unchanged when the registered
        // file followed by it hashes to the plan's hash.
        if let csv = loaded.targetsSource {
            if Planner.hash(definition: registered.definition, targets: csv) != registered.hash {
                amendment = CampaignAmendment(changes: amendment.changes + [CampaignAmendment.Change(
                    path: "$.targets.file (contents)", before: nil, after: nil, refusal: "the tests were drawn for these targets")])
            }
        }
        let refused = amendment.refused, allowed = amendment.allowed
        if output.format == .json {
            print(JSONValue.object([
                ("campaign", .string(campaign.id)), ("dryRun", .bool(dryRun)),
                ("changes", .array(amendment.changes.map { change in
                    .object([("path", .string(change.path)), ("before", change.before.map(JSONValue.string) ?? .null),
                             ("after", change.after.map(JSONValue.string) ?? .null), ("allowed", .bool(change.refusal == nil)),
                             ("refusal", change.refusal.map(JSONValue.string) ?? .null)])
                })),
            ]).rendered())
        }
        guard !amendment.changes.isEmpty else {
            if output.format == .table { print("\(file) is the file campaign \(campaign.id) was planned from: nothing to amend.") }
            return
        }
        if !refused.isEmpty {
            printError("error: \(file): campaign \(campaign.id) cannot be amended: \(refused.count) change\(refused.count == 1 ? "" : "s") touch\(refused.count == 1 ? "es" : "") the design the answers belong to")
            for change in refused { printError("  \(change.path): \(Self.describe(change)) — refused: \(change.refusal!)") }
            if !allowed.isEmpty {
                printError("  (these could be amended on their own: \(allowed.map(\.path).joined(separator: ", ")))")
            }
            printError("hint: undo those changes in the file and run amend again, or start a new campaign (a new id, or a new wave); nothing was written")
            throw SysExit.dataError
        }
        if dryRun {
            if output.format == .table {
                print("Campaign \(campaign.id): \(allowed.count) change\(allowed.count == 1 ? "" : "s") may be amended (nothing written, --dry-run):")
                for change in allowed { print("  \(change.path): \(Self.describe(change))") }
            }
            return
        }
        let recorded: Amendment
        do {
            recorded = try store.amend(campaign: campaign.id, definition: loaded.source, previousHash: registered.hash, newHash: newHash,
                                       responseWindowDays: campaign.design.responseWindowDays, title: campaign.title,
                                       changes: allowed, by: by ?? "")
        } catch { throw report(error) }
        if output.format == .table {
            print("Amended campaign \(campaign.id) (amendment \(recorded.id), by \(recorded.amendedBy), \(recorded.outcomesBefore) answer\(recorded.outcomesBefore == 1 ? "" : "s") recorded before it):")
            for change in allowed { print("  \(change.path): \(Self.describe(change))") }
            print("The plan, its applications and the answers are unchanged; `barometre status` and the report's methods annex list the amendment.")
        }
    }

    static func describe(_ change: CampaignAmendment.Change) -> String {
        switch (change.before, change.after) {
        case let (before?, after?): return "\(before) → \(after)"
        case let (nil, after?): return "added \(after)"
        case let (before?, nil): return "removed (was \(before))"
        default: return "changed"
        }
    }
}
