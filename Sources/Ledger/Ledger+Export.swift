import Foundation
import Campaigns
import GRDB
import Values

/// One application with the answer in force: a row of `barometre export`.
public struct ApplicationRecord: Sendable, Equatable {
    public let campaign: String
    public let test: String
    public let target: String
    public let organization: String?
    /// Slice values: the target's, and the application's own where they vary within a test.
    public let attributes: [String: String]
    public let application: String
    public let arm: String
    public let replicate: Int
    public let sendOrder: Int?
    public let sendAt: String?
    public let tester: String?
    /// The level in force, or `nil` while no answer is recorded.
    public let outcome: String?
    public let positive: Bool?
    public let observedAt: String?
    public let eventID: Int64?
    public let simulated: Bool
    /// Numeric measures recorded with the answer in force (e.g. `delay_hours`).
    public let measures: [String: Double]
}

/// What the ledger knows of a campaign or study, for analysing it.
public struct SourceInfo: Sendable, Equatable {
    public let id: String
    public let kind: SourceKind
    public let title: String
    public let scale: [String]
    public let positiveThreshold: String
    public let referenceArm: String
    /// The campaign file (campaigns only).
    public let definition: String?
    /// The slice columns named at import (studies only).
    public let sliceColumns: [String]
    /// The primary tested arms named at import (studies only; nil: every tested arm).
    public var primaryArms: [String]? = nil
    /// Labels for people of arm codes given at import (studies only).
    public var labels: [String: String] = [:]
}

/// Progress of one campaign or study.
public struct CampaignStatus: Sendable, Equatable {
    public let campaign: String
    public let kind: SourceKind
    public let title: String
    public let planned: Int
    /// Applications whose send time has passed (all, for imported studies).
    public let sent: Int
    public let answered: Int
    /// Sent, unanswered, and past the campaign's response window.
    public let overdue: Int
    public let simulated: Int
}

extension Ledger {
    public func applications(campaign: String) throws(LedgerError) -> [ApplicationRecord] {
        try read { db in
            guard let threshold = try Row.fetchOne(db, sql: "SELECT scale, positiveThreshold FROM campaign WHERE id = ?", arguments: [campaign]) else {
                throw LedgerError.notFound("no campaign or study \(campaign) in \(path)", hint: "barometre status lists what the ledger holds")
            }
            let scale = (try? JSONDecoder().decode([String].self, from: Data((threshold["scale"] as String).utf8))) ?? []
            return try Self.storage(db, campaign: campaign).records(db, scale: scale, positiveThreshold: threshold["positiveThreshold"])
        }
    }

    /// A campaign's or study's description.
    public func source(_ id: String) throws(LedgerError) -> SourceInfo {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.*, s.sliceColumns, s.primaryArms, s.labels FROM campaign c LEFT JOIN study s ON s.campaignId = c.id WHERE c.id = ?
                """, arguments: [id]) else {
                let known = try String.fetchAll(db, sql: "SELECT id FROM campaign ORDER BY id")
                throw LedgerError.notFound("no campaign or study \(id) in \(path)",
                                           hint: known.isEmpty ? "the ledger is empty: plan a campaign or import a study first" : "the ledger holds: \(known.joined(separator: ", "))")
            }
            let decoder = JSONDecoder()
            var info = SourceInfo(id: row["id"], kind: row["kind"], title: row["title"],
                                  scale: (try? decoder.decode([String].self, from: Data((row["scale"] as String).utf8))) ?? [],
                                  positiveThreshold: row["positiveThreshold"], referenceArm: row["referenceArm"], definition: row["definition"],
                                  sliceColumns: (row["sliceColumns"] as String?).flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) } ?? [])
            info.primaryArms = (row["primaryArms"] as String?).flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) }
            info.labels = (row["labels"] as String?).flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            return info
        }
    }

    /// The whole event log of a campaign, corrections included, oldest first.
    public func events(campaign: String) throws(LedgerError) -> [OutcomeEvent] {
        try read { db in
            try Self.storage(db, campaign: campaign).events(db)
        }
    }

    /// Progress of every campaign and study.
    public func status(now: Date = Date()) throws(LedgerError) -> [CampaignStatus] {
        let current = Timestamp.local(now)
        return try read { db in
            let stored = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT campaignId, applications FROM studyColumns")
                .map { ($0[0] as String, $0[1] as Int) })
            return try Row.fetchAll(db, sql: """
                SELECT c.id, c.kind, c.title, c.responseWindowDays,
                       count(a.id) AS planned,
                       sum(CASE WHEN c.kind = 'study' OR a.sendAt <= :now THEN 1 ELSE 0 END) AS sent,
                       sum(CASE WHEN o.id IS NOT NULL THEN 1 ELSE 0 END) AS answered,
                       sum(CASE WHEN o.id IS NULL AND a.sendAt IS NOT NULL AND c.responseWindowDays IS NOT NULL
                                 AND strftime('%Y-%m-%dT%H:%M', a.sendAt, '+' || c.responseWindowDays || ' days') < :now THEN 1 ELSE 0 END) AS overdue,
                       sum(CASE WHEN o.simulated = 1 THEN 1 ELSE 0 END) AS simulated
                FROM campaign c LEFT JOIN application a ON a.campaignId = c.id LEFT JOIN currentOutcome o ON o.applicationId = a.id
                GROUP BY c.id ORDER BY c.id
                """, arguments: ["now": current]).map { row in
                // A study stored as columns: every imported application was sent and answered
                // (the rows of corrected ones are copies, not more applications).
                if let total = stored[row["id"]] {
                    return CampaignStatus(campaign: row["id"], kind: row["kind"], title: row["title"], planned: total, sent: total, answered: total,
                                          overdue: 0, simulated: row["simulated"] ?? 0)
                }
                return CampaignStatus(campaign: row["id"], kind: row["kind"], title: row["title"], planned: row["planned"],
                                      sent: row["sent"] ?? 0, answered: row["answered"] ?? 0, overdue: row["overdue"] ?? 0,
                                      simulated: row["simulated"] ?? 0)
            }
        }
    }
}

extension Ledger {
    /// `barometre export --format csv`: one row per application with the answer in force
    /// (through ``CSVWriter``: text cells that could run as spreadsheet formulas are neutralized).
    public func applicationsCSV(campaign: String) throws(LedgerError) -> String {
        var bytes = Data()
        try writeApplicationsCSV(campaign: campaign) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same file, handed to `sink` in chunks of about a megabyte as it is made (issue #17
    /// item 4: a 10⁶-test study is exported with flat memory).
    public func writeApplicationsCSV(campaign: String, to sink: @escaping (Data) -> Void) throws(LedgerError) {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT scale, positiveThreshold FROM campaign WHERE id = ?", arguments: [campaign]) else {
                throw LedgerError.notFound("no campaign or study \(campaign) in \(path)", hint: "barometre status lists what the ledger holds")
            }
            let scale = (try? JSONDecoder().decode([String].self, from: Data((row["scale"] as String).utf8))) ?? []
            var stream = CSVChunks(sink: sink)
            try Self.storage(db, campaign: campaign).writeRecordsCSV(db, scale: scale, positiveThreshold: row["positiveThreshold"], into: &stream)
            stream.finish()
        }
    }

    /// The columns of the applications export: these, with the slice columns after `organization`.
    static func applicationsHeader(attributeKeys: [String]) -> [String] {
        ["campaign", "test", "target", "organization"] + attributeKeys
            + ["application", "arm", "replicate", "send_order", "send_at", "tester", "outcome", "positive", "observed_at", "event", "simulated"]
    }

    /// `barometre export --events --format csv`: every outcome event, corrections included.
    public func eventsCSV(campaign: String) throws(LedgerError) -> String {
        var bytes = Data()
        try writeEventsCSV(campaign: campaign) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same file, in chunks, as it is made.
    public func writeEventsCSV(campaign: String, to sink: @escaping (Data) -> Void) throws(LedgerError) {
        _ = try source(campaign)
        try read { db in
            var stream = CSVChunks(sink: sink)
            stream.row(Self.eventsHeader.map { CSVWriter.field(.text($0)) })
            try Self.storage(db, campaign: campaign).writeEventsCSV(db, into: &stream)
            stream.finish()
        }
    }

    static let eventsHeader = ["event", "campaign", "application", "level", "observed_at", "recorded_at", "recorded_by", "source", "note",
                               "measures", "supersedes", "superseded_by", "simulated"]

    static func eventCells(_ e: OutcomeEvent) -> [CSVWriter.Cell] {
        [.int(e.id), .text(e.campaign), .text(e.application), .text(e.level), .text(e.observedAt), .text(e.recordedAt),
         .text(e.recordedBy), .text(e.source), .text(e.note ?? ""), .text(e.measures), .int(e.supersedes), .int(e.supersededBy),
         .text(e.simulated ? "true" : "false")]
    }
}

/// A CSV file made row by row and handed on in chunks of about a megabyte: rows are fields
/// already written by ``CSVWriter/field(_:)``, joined by commas, ended by a line feed (the
/// bytes `CSVWriter.text` gives for the same rows). Kept as bytes: a 10⁶-test export writes
/// 3.75 million rows, and numbers are written digit by digit without a String each.
struct CSVChunks {
    let sink: (Data) -> Void
    private var bytes: [UInt8] = []
    private static let size = 1 << 20

    init(sink: @escaping (Data) -> Void) {
        self.sink = sink
        bytes.reserveCapacity(Self.size + 4096)
    }

    mutating func row(_ fields: [String]) {
        for (k, field) in fields.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: field.utf8)
        }
        endRow()
    }

    /// Appends text that is already written as CSV (fields, commas).
    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// The same, already as bytes (pieces repeated on many rows are kept so).
    mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    /// Appends a whole number in decimal.
    mutating func append<I: BinaryInteger>(number: I) {
        var value = Int64(truncatingIfNeeded: number)
        if value < 0 { bytes.append(UInt8(ascii: "-")); value = -value }
        if value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while value > 0 { buffer[count] = UInt8(ascii: "0") + UInt8(value % 10); value /= 10; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[k]) }
        }
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= Self.size { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        sink(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func finish() { flush() }
}

extension Ledger {
    /// When a campaign's applications were (or are to be) sent: the first and last send
    /// times of its plan; nil for an imported study (its file gives no send time).
    public func sendPeriod(campaign: String) throws(LedgerError) -> (first: String, last: String)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT min(sendAt) AS first, max(sendAt) AS last FROM application WHERE campaignId = ? AND sendAt IS NOT NULL",
                                             arguments: [campaign]),
                  let first = row["first"] as String?, let last = row["last"] as String? else { return nil }
            return (first, last)
        }
    }
}
