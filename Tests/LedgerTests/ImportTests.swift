import Foundation
import Testing
import TestSupport
@testable import Ledger

private let campaignID = "stage-3e-residence-origine-lille-2026"

/// A corpus of bad outcome files, each answered with its line, column and reason.
@Suite("Importing outcomes")
struct ImportTests {
    func run(_ csv: String, _ ledger: Ledger) throws(LedgerError) -> ImportSummary {
        try ledger.importOutcomes(Data(csv.utf8), fileName: "outcomes.csv", recordedBy: "import", now: LedgerFixture.now)
    }

    @Test("a good file is imported in one go; the same file again writes nothing")
    func idempotent() throws {
        let (ledger, _) = try LedgerFixture.planned()
        let csv = """
            campaign,application,outcome,observed_at,recorded_by,note,measure.delay_hours
            \(campaignID),T0001-1,interview,2026-10-20,Amina,"appel, puis courriel",26
            \(campaignID),T0001-2,no_response,2026-11-10,,,
            \(campaignID),T0002-3,refusal,2026-10-28T09:30,Paul,,

            """
        let summary = try run(csv, ledger)
        #expect(summary.rows == 3 && summary.campaigns == [campaignID])
        #expect(throws: LedgerError.self) { try run(csv, ledger) }
        do { _ = try run(csv, ledger) } catch {
            guard case .alreadyImported = error else { Issue.record("\(error)"); return }
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 3)
        let history = try ledger.history(application: "T0001-1")
        #expect(history[0].note == "appel, puis courriel" && history[0].measures == "{\"delay_hours\":26}")
        #expect(history[0].source == "import")
    }

    @Test("bad files: every bad line reported, nothing written", arguments: [
        ("campaign,application,outcome\nx,T0001-1,refusal", [(1, "observed_at", "required column is missing")]),
        ("campaign,application,outcome,observed_at,colour\nx,T0001-1,refusal,2026-10-20,red", [(1, "colour", "unknown column")]),
        ("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,refusal,2026-10-20\n\(campaignID),T0009-9,refusal,2026-10-20\n\(campaignID),T0001-2,maybe,2026-10-20",
         [(3, "application", "no application T0009-9"), (4, "outcome", "\"maybe\" is not on the scale")]),
        ("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,refusal,\n\(campaignID),,refusal,2026-10-20",
         [(2, "observed_at", "is empty"), (3, "application", "is empty")]),
        ("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,refusal,2026-10-20\n\(campaignID),T0001-1,interview,2026-10-21",
         [(3, "application", "already has an answer on line 2")]),
        ("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,refusal,2027-01-01\n\(campaignID),T0001-2,refusal,01/10/2026",
         [(2, "observed_at", "is in the future"), (3, "observed_at", "is not a date")]),
        ("campaign,application,outcome,observed_at,measure.delay\n\(campaignID),T0001-1,refusal,2026-10-20,soon",
         [(2, "measure.delay", "\"soon\" is not a number")]),
        ("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,refusal", [(2, nil, "has 3 fields, the header has 4")]),
        ("campaign,application,outcome,observed_at\nother-campaign,T0001-1,refusal,2026-10-20", [(2, "application", "no application T0001-1 in campaign other-campaign")]),
        ("", [(1, nil, "the file is empty")]),
    ] as [(String, [(Int, String?, String)])])
    func badFiles(csv: String, expected: [(Int, String?, String)]) throws {
        let (ledger, _) = try LedgerFixture.planned()
        do {
            _ = try run(csv, ledger)
            Issue.record("accepted")
        } catch {
            guard case let .badLines(_, problems) = error else { Issue.record("\(error)"); return }
            for (line, column, reason) in expected {
                #expect(problems.contains { $0.line == line && $0.column == column && $0.reason.contains(reason) }, "missing line \(line) \(reason) in \(problems)")
            }
            #expect(problems.count == expected.count, "\(problems)")
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 0)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM import") == 0)
    }

    @Test("an application answered before cannot be answered again by import")
    func alreadyAnswered() throws {
        let (ledger, _) = try LedgerFixture.planned()
        let event = try ledger.record(OutcomeRequest(application: "T0001-1", level: "refusal", observedAt: "2026-10-20", recordedBy: "A"), now: LedgerFixture.now)
        do {
            _ = try run("campaign,application,outcome,observed_at\n\(campaignID),T0001-1,interview,2026-10-21\n", ledger)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("already has an answer (event \(event.id))"))
        }
    }
}
