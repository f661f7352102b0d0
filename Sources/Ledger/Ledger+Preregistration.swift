import Crypto
import Foundation
import GRDB

/// A registered pre-analysis plan (issue #16 item 1).
public struct Preregistration: Sendable, Equatable {
    public let id: Int64
    public let campaign: String
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public let registeredAt: String
    public let registeredBy: String
    /// `sha256:` of the canonical campaign file (and targets CSV) and of the plan's text.
    public let fingerprint: String
    public let language: String
    public let plan: String
    /// What the plan announced: the primary tested arms and the slices.
    public let primaryArms: [String]
    public let slices: [String]
    /// Answers already recorded when it was registered: more than 0 is a late registration.
    public let answersBefore: Int

    public var late: Bool { answersBefore > 0 }
}

extension Ledger {
    /// The fingerprint of a plan: SHA-256 over the campaign file as canonical JSON (keys
    /// sorted, no spaces: the same design gives the same bytes whatever the file's layout),
    /// the targets CSV when there is one, and the plan's text.
    public static func fingerprint(definition: Data, targets: Data?, plan: String) -> String {
        var hasher = SHA256()
        if let object = try? JSONSerialization.jsonObject(with: definition),
           let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            hasher.update(data: canonical)
        } else {
            hasher.update(data: definition)
        }
        hasher.update(data: Data([0x0A]))
        if let targets { hasher.update(data: targets) }
        hasher.update(data: Data([0x0A]))
        hasher.update(data: Data(plan.utf8))
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Registers a plan, append-only. The same fingerprint registered before for the campaign
    /// is not registered twice (the earlier registration is returned).
    public func preregister(campaign: String, fingerprint: String, language: String, plan: String, primaryArms: [String], slices: [String],
                            by: String, now: Date = Date()) throws(LedgerError) -> (registration: Preregistration, created: Bool) {
        let who = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw .refused("who registers the plan is missing", hint: "give your name with --by NAME") }
        func json(_ list: [String]) -> String { String(decoding: try! JSONEncoder().encode(list), as: UTF8.self) }
        return try write { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM preregistration WHERE campaignId = ? AND fingerprint = ? ORDER BY id LIMIT 1",
                                               arguments: [campaign, fingerprint]) {
                return (Self.preregistration(existing), false)
            }
            let answers = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM outcomeEvent e JOIN application a ON a.id = e.applicationId WHERE a.campaignId = ?
                """, arguments: [campaign]) ?? 0
            try db.execute(sql: """
                INSERT INTO preregistration (campaignId, registeredAt, registeredBy, fingerprint, language, plan, primaryArms, slices, answersBefore)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [campaign, Timestamp.utc(now), who, fingerprint, language, plan, json(primaryArms), json(slices), answers])
            return (Self.preregistration(try Row.fetchOne(db, sql: "SELECT * FROM preregistration WHERE id = ?", arguments: [db.lastInsertedRowID])!), true)
        }
    }

    /// The registration of this plan (same fingerprint) for the campaign, if it was made.
    public func preregistration(campaign: String, fingerprint: String) throws(LedgerError) -> Preregistration? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM preregistration WHERE campaignId = ? AND fingerprint = ? ORDER BY id LIMIT 1",
                             arguments: [campaign, fingerprint]).map(Self.preregistration)
        }
    }

    /// The campaign's first registered plan (the one the analysis is held to), if any.
    public func preregistration(campaign: String) throws(LedgerError) -> Preregistration? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM preregistration WHERE campaignId = ? ORDER BY id LIMIT 1", arguments: [campaign]).map(Self.preregistration)
        }
    }

    static func preregistration(_ row: Row) -> Preregistration {
        func list(_ text: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [] }
        return Preregistration(id: row["id"], campaign: row["campaignId"], registeredAt: row["registeredAt"], registeredBy: row["registeredBy"],
                               fingerprint: row["fingerprint"], language: row["language"], plan: row["plan"],
                               primaryArms: list(row["primaryArms"]), slices: list(row["slices"]), answersBefore: row["answersBefore"])
    }
}
