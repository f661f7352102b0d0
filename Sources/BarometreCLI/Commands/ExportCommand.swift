import Campaigns
import Reports
import ArgumentParser
import Foundation
import Ledger
import Stats
import Values

/// `barometre export`: a campaign's applications and answers, or its whole event log.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a campaign's or study's applications with their answers (or every event).",
        discussion: """
            Tidy: one row per application with the answer in force (empty while none is \
            recorded) and whether it is positive. With --events, the whole log instead: every \
            event, corrections and superseded answers included.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Option(help: ArgumentHelp("The campaign to export.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("The imported study to export.", valueName: "id"))
    var study: String?

    @Option(help: "Output format.")
    var format: Format = .csv

    @Flag(help: "Export every outcome event instead of one row per application.")
    var events = false

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (campaign == nil) != (study == nil) else { throw ValidationError("Give --campaign ID or --study ID.") }
    }

    func run() async throws {
        let store = try ledger.openForReading()
        do {
            try export(from: store, id: campaign ?? study!)
        } catch {
            throw report(error)
        }
    }

    private func export(from store: Ledger, id: String) throws(LedgerError) {
        if events {
            switch format {
            case .json: print(JSONValue.array(try store.events(campaign: id).map(\.json)).rendered())
            case .csv: try store.writeEventsCSV(campaign: id) { FileHandle.standardOutput.write($0) }
            }
            return
        }
        switch format {
        case .json:
            let rows = try store.applications(campaign: id)
            let attributeKeys = Array(Set(rows.flatMap(\.attributes.keys))).sorted()
            print(JSONValue.array(rows.map { r in
                .object([("campaign", .string(r.campaign)), ("test", .string(r.test)), ("target", .string(r.target)),
                         ("organization", r.organization.map(JSONValue.string) ?? .null),
                         ("attributes", .object(attributeKeys.map { ($0, r.attributes[$0].map(JSONValue.string) ?? .null) })),
                         ("application", .string(r.application)), ("arm", .string(r.arm)), ("replicate", .int(r.replicate)),
                         ("sendOrder", r.sendOrder.map(JSONValue.int) ?? .null), ("sendAt", r.sendAt.map(JSONValue.string) ?? .null),
                         ("tester", r.tester.map(JSONValue.string) ?? .null), ("outcome", r.outcome.map(JSONValue.string) ?? .null),
                         ("positive", r.positive.map(JSONValue.bool) ?? .null), ("observedAt", r.observedAt.map(JSONValue.string) ?? .null),
                         ("event", r.eventID.map { .int(Int($0)) } ?? .null), ("simulated", .bool(r.simulated))])
            }).rendered())
        case .csv: try store.writeApplicationsCSV(campaign: id) { FileHandle.standardOutput.write($0) }
        }
    }
}

/// `barometre status`: progress per campaign.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each campaign's progress: planned, sent, answered, overdue."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let store = try ledger.openForReading()
        let statuses: [CampaignStatus]
        var amendments: [String: [Amendment]] = [:]
        do {
            statuses = try store.status()
            for (campaign, _) in try store.amendmentCounts() { amendments[campaign] = try store.amendments(campaign: campaign) }
        } catch { throw report(error) }
        switch output.format {
        case .json:
            print(JSONValue.array(statuses.map { s in
                .object([("campaign", .string(s.campaign)), ("kind", .string(s.kind.rawValue)), ("title", .string(s.title)), ("planned", .int(s.planned)),
                         ("sent", .int(s.sent)), ("answered", .int(s.answered)), ("overdue", .int(s.overdue)), ("simulated", .int(s.simulated)),
                         ("amendments", .array((amendments[s.campaign] ?? []).map { a in
                             .object([("id", .int(Int(a.id))), ("amendedAt", .string(a.amendedAt)), ("amendedBy", .string(a.amendedBy)),
                                      ("answersBefore", .int(a.outcomesBefore)),
                                      ("changes", .array(a.changes.map { c in
                                          .object([("path", .string(c.path)), ("before", c.before.map(JSONValue.string) ?? .null),
                                                   ("after", c.after.map(JSONValue.string) ?? .null)])
                                      }))])
                         }))])
            }).rendered())
        case .table:
            if statuses.isEmpty { print("The ledger \(ledger.resolvedPath) holds no campaign yet: `barometre plan` or `barometre import-study` adds one.") }
            else {
                print(padded("campaign", 40) + " kind      planned     sent  answered  overdue")
                for s in statuses {
                    print(padded(s.campaign, 40) + " " + padded(s.kind.rawValue, 8) + String(format: "%9d%9d%10d%9d", s.planned, s.sent, s.answered, s.overdue)
                          + (s.simulated > 0 ? "  (\(s.simulated) simulated)" : ""))
                    for a in amendments[s.campaign] ?? [] {
                        print("  amended \(a.amendedAt) by \(TextSafety.printable(a.amendedBy)) (after \(a.outcomesBefore) answer\(a.outcomesBefore == 1 ? "" : "s")): "
                              + a.changes.map { c in c.path + (c.before != nil && c.after != nil ? " \(c.before!) → \(c.after!)" : "") }.joined(separator: "; "))
                    }
                }
            }
        }
    }
}

