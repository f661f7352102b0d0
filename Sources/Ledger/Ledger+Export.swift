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
        let rows = try applications(campaign: campaign)
        let attributeKeys = Array(Set(rows.flatMap(\.attributes.keys))).sorted()
        var csv = CSVWriter(header: ["campaign", "test", "target", "organization"] + attributeKeys
                            + ["application", "arm", "replicate", "send_order", "send_at", "tester", "outcome", "positive", "observed_at", "event", "simulated"])
        for r in rows {
            let leading: [CSVWriter.Cell] = [.text(r.campaign), .text(r.test), .text(r.target), .text(r.organization ?? "")]
            let attributes: [CSVWriter.Cell] = attributeKeys.map { .text(r.attributes[$0] ?? "") }
            let trailing: [CSVWriter.Cell] = [.text(r.application), .text(r.arm), .int(r.replicate), .int(r.sendOrder), .text(r.sendAt ?? ""), .text(r.tester ?? ""),
                   .text(r.outcome ?? ""), .text(r.positive.map { $0 ? "true" : "false" } ?? ""), .text(r.observedAt ?? ""), .int(r.eventID),
                   .text(r.simulated ? "true" : "false")]
            csv.append(leading + attributes + trailing)
        }
        return csv.text
    }

    /// `barometre export --events --format csv`: every outcome event, corrections included.
    public func eventsCSV(campaign: String) throws(LedgerError) -> String {
        _ = try source(campaign)
        var csv = CSVWriter(header: ["event", "campaign", "application", "level", "observed_at", "recorded_at", "recorded_by", "source", "note",
                                     "measures", "supersedes", "superseded_by", "simulated"])
        for e in try events(campaign: campaign) {
            csv.append([.int(e.id), .text(e.campaign), .text(e.application), .text(e.level), .text(e.observedAt), .text(e.recordedAt),
                        .text(e.recordedBy), .text(e.source), .text(e.note ?? ""), .text(e.measures), .int(e.supersedes), .int(e.supersededBy),
                        .text(e.simulated ? "true" : "false")])
        }
        return csv.text
    }
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
