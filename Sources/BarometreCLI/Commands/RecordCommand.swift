import Campaigns
import ArgumentParser
import Foundation
import Ledger
import Stats
import Values

/// `barometre record`: log the answer an application received, or correct one.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the answer an application received, or correct a recorded one.",
        discussion: """
            Records a new outcome event. Nothing is ever overwritten: a correction \
            (--correct EVENT-ID) is a new event that supersedes the old one, which stays in \
            the ledger (see `barometre history`).

            Refused, with nothing written: an unknown application, a level that is not on \
            the campaign's scale, an answer dated before the application was sent or in the \
            future, a second answer for the same application (correct the first instead).

            Examples:
              barometre record --application T0007-2 --outcome interview --at 2026-03-09T10:15 --by Amina
              barometre record --correct 41 --outcome refusal --note "the interview was cancelled"
            """
    )

    @Option(help: ArgumentHelp("The application id from plan.csv (e.g. T0007-2).", valueName: "id"))
    var application: String?

    @Option(help: ArgumentHelp("The campaign, when several campaigns have this application id.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("Correct this event: record a new answer that supersedes it.", valueName: "event-id"))
    var correct: Int64?

    @Option(help: ArgumentHelp("The answer, a level of the campaign's scale (e.g. no_response, refusal, interview).", valueName: "level"))
    var outcome: String

    @Option(help: ArgumentHelp("When the answer was received: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now).", valueName: "date"))
    var at: String?

    @Option(help: ArgumentHelp("Who records it (default: $USER).", valueName: "name"))
    var by: String?

    @Option(help: ArgumentHelp("A free-text note.", valueName: "text"))
    var note: String?

    @Option(help: ArgumentHelp("A numeric measure, KEY=VALUE (e.g. delay_hours=26); repeatable.", valueName: "key=value"))
    var measure: [String] = []

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (application == nil) != (correct == nil) else {
            throw ValidationError("Give either --application ID (a new answer) or --correct EVENT-ID (a correction), not both or neither.")
        }
        for item in measure {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, Double(parts[1]).map({ $0.isFinite }) == true else {
                throw ValidationError("--measure \(item): write KEY=VALUE with a number, e.g. --measure delay_hours=26.")
            }
        }
    }

    func run() async throws {
        let store = try ledger.open()
        var measures: [String: Double] = [:]
        for item in measure {
            let parts = item.split(separator: "=", maxSplits: 1)
            measures[String(parts[0])] = Double(parts[1])!
        }
        let recorder = by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let request = OutcomeRequest(application: application ?? "", campaign: campaign, level: outcome, observedAt: at,
                                     recordedBy: recorder, note: note, measures: measures, source: .cli)
        let event: OutcomeEvent
        do {
            if let correct { event = try store.correct(eventID: correct, with: request) }
            else { event = try store.record(request) }
        } catch {
            throw report(error)
        }
        switch output.format {
        case .json: print(event.json.rendered())
        case .table:
            print("event \(event.id): \(event.application) (\(event.campaign)) = \(event.level), observed \(event.observedAt)"
                  + (event.supersedes.map { ", corrects event \($0)" } ?? ""))
        }
    }
}

/// `barometre history`: every event of one application.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every recorded answer of an application, corrections included."
    )

    @Argument(help: ArgumentHelp("The application id (e.g. T0007-2).", valueName: "application"))
    var application: String

    @Option(help: ArgumentHelp("The campaign, when several campaigns have this application id.", valueName: "id"))
    var campaign: String?

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let store = try ledger.openForReading()
        let events: [OutcomeEvent]
        do { events = try store.history(application: application, campaign: campaign) } catch { throw report(error) }
        switch output.format {
        case .json: print(JSONValue.array(events.map(\.json)).rendered())
        case .table:
            if events.isEmpty { print("\(application): no answer recorded yet") }
            for e in events {
                let state = e.supersededBy.map { "superseded by \($0)" } ?? "in force"
                // Stored text is printed inert: a control character shows as \u{1B}, it cannot
                // drive the terminal (notes typed before such characters were refused).
                let line = "event \(e.id)  \(e.level)  observed \(e.observedAt)  recorded \(e.recordedAt) by \(e.recordedBy) (\(e.source))  \(state)"
                    + (e.supersedes.map { "  corrects \($0)" } ?? "") + (e.note.map { "  note: \($0)" } ?? "") + (e.simulated ? "  SIMULATED" : "")
                print(TextSafety.printable(line, multiline: true))
            }
        }
    }
}

extension OutcomeEvent {
    var json: JSONValue {
        .object([("event", .int(Int(id))), ("campaign", .string(campaign)), ("application", .string(application)),
                 ("level", .string(level)), ("observedAt", .string(observedAt)), ("recordedAt", .string(recordedAt)),
                 ("recordedBy", .string(recordedBy)), ("source", .string(source)), ("note", note.map(JSONValue.string) ?? .null),
                 ("measures", .string(measures)), ("supersedes", supersedes.map { .int(Int($0)) } ?? .null),
                 ("supersededBy", supersededBy.map { .int(Int($0)) } ?? .null), ("simulated", .bool(simulated))])
    }
}
