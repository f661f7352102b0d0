import Foundation
import GRDB

/// What a ledger (or a backup of one) holds, as `barometre verify` reports it.
public struct LedgerSummary: Sendable, Equatable {
    public let path: String
    /// `PRAGMA integrity_check` answered "ok".
    public let intact: Bool
    public let campaigns: Int
    public let applications: Int
    /// Outcome events, imported studies' answers included (each once).
    public let events: Int
    /// The newest event: its id and when it was recorded.
    public let lastEvent: Int64?
    public let lastRecordedAt: String?
    /// Event ids run from 1 to the last with none missing (a consistent snapshot).
    public let contiguous: Bool
}

extension Ledger {
    /// Writes a consistent copy of the ledger to `destination` with SQLite's online backup
    /// (through GRDB), while other processes — `barometre serve`, testers recording — go on
    /// writing: the copy is one snapshot. It is written beside the destination and renamed
    /// into place only when complete, so a failed or interrupted backup leaves no partial
    /// file; an existing file is never overwritten.
    public func backup(to destination: String) throws(LedgerError) -> LedgerSummary {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: destination) else {
            throw .refused("\(destination) already exists", hint: "give a new file name (a backup never overwrites a file), e.g. with the date: barometre-2026-11-30.sqlite")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let staging = (folder.isEmpty ? "." : folder) + "/.\((destination as NSString).lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: staging)
        do {
            let copy = try DatabaseQueue(path: staging)
            try writer.backup(to: copy)
            // One file, no write-ahead log beside it: ready to be copied, archived or restored.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
        } catch {
            try? fm.removeItem(atPath: staging)
            throw .cannotOpen(path: destination, reason: Self.describe(error))
        }
        do {
            try fm.moveItem(atPath: staging, toPath: destination)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw .cannotOpen(path: destination, reason: (error as NSError).localizedDescription)
        }
        return try Ledger.openReadOnly(path: destination).summary()
    }

    /// Integrity, counts and the newest event (`barometre verify`).
    public func summary() throws(LedgerError) -> LedgerSummary {
        try read { db in
            let intact = try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok"
            let campaigns = try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign") ?? 0
            // Imported studies keep their applications and answers as columns, with reserved
            // event ids; a corrected one was copied into the tables under its reserved id.
            let study = try Row.fetchOne(db, sql: "SELECT coalesce(sum(applications), 0) AS n, max(firstEvent + applications - 1) AS last FROM studyColumns")
            let studyApplications: Int = study?["n"] ?? 0
            let copied = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM outcomeEvent e JOIN studyColumns s ON e.id BETWEEN s.firstEvent AND s.firstEvent + s.applications - 1
                """) ?? 0
            let copiedApplications = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM application a JOIN studyColumns s ON s.campaignId = a.campaignId
                """) ?? 0
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM outcomeEvent") ?? 0
            let applications = (try Int.fetchOne(db, sql: "SELECT count(*) FROM application") ?? 0) + studyApplications - copiedApplications
            let events = rows + studyApplications - copied
            let lastRow = try Row.fetchOne(db, sql: "SELECT id, recordedAt FROM outcomeEvent ORDER BY id DESC LIMIT 1")
            let lastStudy: Int64? = study?["last"]
            var lastEvent: Int64? = lastRow?["id"], lastRecordedAt: String? = lastRow?["recordedAt"]
            if let lastStudy, lastStudy > (lastEvent ?? 0) {
                lastEvent = lastStudy
                lastRecordedAt = try String.fetchOne(db, sql: "SELECT recordedAt FROM studyColumns WHERE firstEvent + applications - 1 = ?", arguments: [lastStudy])
            }
            return LedgerSummary(path: path, intact: intact, campaigns: campaigns, applications: applications, events: events,
                                 lastEvent: lastEvent, lastRecordedAt: lastRecordedAt, contiguous: Int64(events) == (lastEvent ?? 0))
        }
    }
}
