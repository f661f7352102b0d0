import Foundation
import GRDB
import Values
import Testing
import TestSupport
@testable import Campaigns
@testable import Ledger

/// The streaming exports of an imported study (issue #17 item 4) write, from the columns,
/// the bytes the record-by-record path writes: checked on a study whose texts need quoting
/// and formula neutralization, with corrections overlaid.
@Suite("Streaming exports equal the record-by-record exports")
struct ExportStreamTests {
    /// The generic path for any storage: `ApplicationStorage`'s default implementations.
    struct RecordsPath: ApplicationStorage {
        let base: any ApplicationStorage
        func columns(_ db: Database, scale: [String]) throws -> ApplicationColumns { try base.columns(db, scale: scale) }
        func records(_ db: Database, scale: [String], positiveThreshold: String) throws -> [ApplicationRecord] {
            try base.records(db, scale: scale, positiveThreshold: positiveThreshold)
        }
        func events(_ db: Database) throws -> [OutcomeEvent] { try base.events(db) }
    }

    static let csv = #"""
        offer,arm,callback,region,applicant,organization,sentorder
        "A,1",R,TRUE,"Nord, Pas-de-Calais",=SUM(1),-Agence,1
        "A,1",T,FALSE,"Nord, Pas-de-Calais",+33,-Agence,2
        "A,1",R,FALSE,"Nord, Pas-de-Calais",@x,-Agence,3
        =B2,R,FALSE,Sud,"dit ""le grand""",Org B,2
        =B2,T,TRUE,Sud,plain,Org B,1
        C3,T,TRUE,Sud,x,Org C,NA
        C3,R,TRUE,Sud,y,Org C,1
        D4,R,TRUE,,z,,1
        D4,T,TRUE,,z,,2

        """#

    @Test("applications and events, before and after corrections")
    func identical() throws {
        let ledger = Ledger.inMemory()
        _ = try ledger.importStudy(Data(Self.csv.utf8), fileName: "hostile.csv",
                                   options: StudyImportOptions(id: "hostile", targetColumn: "offer", armColumns: ["arm"], reference: ["R"], outcomeColumn: "callback",
                                                               positiveValues: ["TRUE"], sliceColumns: ["region", "applicant"], organizationColumn: "organization",
                                                               orderColumn: "sentorder"))
        func both() throws -> (fast: (String, String), generic: (String, String)) {
            let fast = (try ledger.applicationsCSV(campaign: "hostile"), try ledger.eventsCSV(campaign: "hostile"))
            let generic = try ledger.read { db -> (String, String) in
                let storage = RecordsPath(base: try Ledger.storage(db, campaign: "hostile"))
                var applications = Data(), events = Data()
                var stream = CSVChunks { applications.append($0) }
                try storage.writeRecordsCSV(db, scale: Ledger.studyScale, positiveThreshold: "positive", into: &stream)
                stream.finish()
                var eventStream = CSVChunks { events.append($0) }
                eventStream.row(Ledger.eventsHeader.map { CSVWriter.field(.text($0)) })
                try storage.writeEventsCSV(db, into: &eventStream)
                eventStream.finish()
                return (String(decoding: applications, as: UTF8.self), String(decoding: events, as: UTF8.self))
            }
            return (fast, generic)
        }
        var (fast, generic) = try both()
        #expect(fast.0 == generic.0)
        #expect(fast.1 == generic.1)
        #expect(fast.0.contains("\"A,1\"") && fast.0.contains("'=B2") && fast.0.contains("'-Agence") && fast.0.contains("\"dit \"\"le grand\"\"\""))
        // Corrections: two imported answers superseded (their rows are copied beside the columns).
        let events = try ledger.events(campaign: "hostile")
        _ = try ledger.correct(eventID: events[1].id, with: OutcomeRequest(application: events[1].application, campaign: "hostile", level: "positive",
                                                                            observedAt: "2026-01-05", recordedBy: "=Chargée", note: "=cmd|' /C calc'!A0"))
        _ = try ledger.correct(eventID: events[4].id, with: OutcomeRequest(application: events[4].application, campaign: "hostile", level: "negative",
                                                                            observedAt: "2026-01-06", recordedBy: "B"))
        (fast, generic) = try both()
        #expect(fast.0 == generic.0)
        #expect(fast.1 == generic.1)
        #expect(fast.1.contains("'=cmd|' /C calc'!A0"))
    }
}
