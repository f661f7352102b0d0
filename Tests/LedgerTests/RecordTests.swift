import Foundation
import GRDB
import Planning
import Testing
import TestSupport
@testable import Ledger

@Suite("Recording outcomes")
struct RecordTests {
    @Test("a correction never erases: both events stay, the later one is in force")
    func correctionKeepsHistory() throws {
        // Given a planned campaign and a first answer,
        let (ledger, plan) = try LedgerFixture.planned()
        let application = plan.applications[0]
        let first = try ledger.record(OutcomeRequest(application: application.id, level: "interview", observedAt: "2026-10-20", recordedBy: "Amina"),
                                      now: LedgerFixture.now)
        // When it is corrected,
        let second = try ledger.correct(eventID: first.id, with: OutcomeRequest(application: "", level: "refusal", observedAt: "2026-10-21",
                                                                               recordedBy: "Paul", note: "entretien annulé"), now: LedgerFixture.now)
        // Then the history holds both, in order, and the correction is in force.
        let history = try ledger.history(application: application.id)
        #expect(history.map(\.id) == [first.id, second.id])
        #expect(history[0].supersededBy == second.id && history[1].supersedes == first.id)
        #expect(history[0].level == "interview" && history[1].level == "refusal")
        let current = try ledger.applications(campaign: plan.campaignID).first { $0.application == application.id }
        #expect(current?.outcome == "refusal" && current?.positive == false)
        // And the database refuses to change or delete an event, whatever the route.
        #expect(throws: (any Error).self) {
            try ledger.writer.write { db in try db.execute(sql: "UPDATE outcomeEvent SET level = 'offer' WHERE id = ?", arguments: [first.id]) }
        }
        #expect(throws: (any Error).self) {
            try ledger.writer.write { db in try db.execute(sql: "DELETE FROM outcomeEvent WHERE id = ?", arguments: [first.id]) }
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 2)
        // A corrected event cannot be corrected again: correct the one in force.
        #expect(throws: LedgerError.self) {
            try ledger.correct(eventID: first.id, with: OutcomeRequest(application: "", level: "offer", recordedBy: "x"), now: LedgerFixture.now)
        }
    }

    @Test("refusals write nothing", arguments: [
        ("T9999-1", "interview", "2026-10-20", "no application T9999-1"),
        ("T0001-1", "entretien", "2026-10-20", "\"entretien\" is not on the scale"),
        ("T0001-1", "interview", "2026-09-01", "is before application T0001-1 was sent"),
        ("T0001-1", "interview", "2026-12-25", "is in the future"),
        ("T0001-1", "interview", "2026-13-01", "is not a date"),
    ])
    func refusals(application: String, level: String, at: String, message: String) throws {
        let (ledger, _) = try LedgerFixture.planned()
        do {
            _ = try ledger.record(OutcomeRequest(application: application, level: level, observedAt: at, recordedBy: "Amina"), now: LedgerFixture.now)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 0)
    }

    @Test("a second answer is refused: the first must be corrected")
    func secondAnswer() throws {
        let (ledger, plan) = try LedgerFixture.planned()
        let id = plan.applications[3].id
        let first = try ledger.record(OutcomeRequest(application: id, level: "refusal", observedAt: "2026-10-30", recordedBy: "A"), now: LedgerFixture.now)
        do {
            _ = try ledger.record(OutcomeRequest(application: id, level: "interview", observedAt: "2026-10-30", recordedBy: "A"), now: LedgerFixture.now)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("already has an answer (event \(first.id))"))
            #expect(error.description.contains("--correct \(first.id)"))
        }
        // The schema itself refuses a second first answer, even bypassing the checks.
        #expect(throws: (any Error).self) {
            try ledger.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source)
                    SELECT applicationId, 'offer', '2026-10-30', 'now', 'x', 'cli' FROM outcomeEvent WHERE id = ?
                    """, arguments: [first.id])
            }
        }
    }

    @Test("the schema refuses a level off the scale and a correction of another application")
    func schemaGuards() throws {
        let (ledger, plan) = try LedgerFixture.planned()
        let event = try ledger.record(OutcomeRequest(application: plan.applications[0].id, level: "refusal", observedAt: "2026-10-30", recordedBy: "A"),
                                      now: LedgerFixture.now)
        #expect(throws: (any Error).self) {
            try ledger.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source)
                    VALUES ((SELECT id FROM application WHERE code = 'T0002-1'), 'callback', '2026-10-30', 'now', 'x', 'cli')
                    """)
            }
        }
        #expect(throws: (any Error).self) {
            try ledger.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source, supersedes)
                    VALUES ((SELECT id FROM application WHERE code = 'T0002-1'), 'refusal', '2026-10-30', 'now', 'x', 'cli', ?)
                    """, arguments: [event.id])
            }
        }
    }
}

@Suite("Plan registration")
struct PlanRegistrationTests {
    @Test("unchanged → nothing; changed before outcomes → replaced; changed after outcomes → refused")
    func lifecycle() throws {
        let ledger = Ledger.inMemory()
        let loaded = LedgerFixture.internship
        let plan = Planner.plan(loaded, seed: 1)
        #expect(try ledger.register(loaded, plan: plan, now: LedgerFixture.now) == .created)
        #expect(try ledger.register(loaded, plan: plan, now: LedgerFixture.now) == .unchanged)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 72)
        let other = Planner.plan(loaded, seed: 2)
        #expect(try ledger.register(loaded, plan: other, now: LedgerFixture.now) == .replaced)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 72)
        let sent = other.applications[0]
        _ = try ledger.record(OutcomeRequest(application: sent.id, level: "refusal", observedAt: "2026-10-30", recordedBy: "A"), now: LedgerFixture.now)
        let error = refusal { () throws(LedgerError) in try ledger.register(loaded, plan: plan, now: LedgerFixture.now) }
        #expect(error?.description.contains("1 outcome is already recorded") == true, "\(String(describing: error))")
        // Nothing changed: the plan in force is still seed 2, with its outcome.
        #expect(try LedgerFixture.count(ledger, "SELECT seed FROM plan") == 2)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM outcomeEvent") == 1)
    }

    @Test("when writing the files fails, nothing is registered")
    func rollback() throws {
        struct DiskFull: Error {}
        let ledger = Ledger.inMemory()
        #expect(throws: LedgerError.self) {
            try ledger.register(LedgerFixture.internship, plan: Planner.plan(LedgerFixture.internship, seed: 1), now: LedgerFixture.now) {
                throw DiskFull()
            }
        }
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM campaign") == 0)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM application") == 0)
    }
}
