import Campaigns
import Foundation
import GRDB

/// A recorded change to a campaign's non-design fields after its plan was registered
/// (issue #14 item 5): who, when, and what changed, from which file to which.
public struct Amendment: Sendable, Equatable {
    public let id: Int64
    public let campaign: String
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public let amendedAt: String
    public let amendedBy: String
    public let previousHash: String
    public let newHash: String
    public let changes: [CampaignAmendment.Change]
    /// Answers recorded for the campaign when it was amended.
    public let outcomesBefore: Int
}

extension Ledger {
    /// The registered campaign file and its plan's seed and hash.
    public func registeredCampaign(_ id: String) throws(LedgerError) -> (definition: Data, hash: String, seed: UInt64) {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.kind, c.definition, p.campaignHash, p.seed FROM campaign c LEFT JOIN plan p ON p.campaignId = c.id WHERE c.id = ?
                """, arguments: [id]) else {
                throw LedgerError.notFound("no campaign \(id) in \(path)", hint: "plan it first: barometre plan CAMPAIGN.json")
            }
            guard row["kind"] as String == "campaign", let definition = row["definition"] as String?, let hash = row["campaignHash"] as String? else {
                throw LedgerError.refused("\(id) is an imported study, not a planned campaign", hint: "amend applies to campaigns planned with barometre plan")
            }
            return (Data(definition.utf8), hash, UInt64(bitPattern: row["seed"] as Int64))
        }
    }

    /// Records an amendment and puts the amended file in force, in one transaction. The
    /// caller has checked that every change is allowed (``CampaignAmendment``) and that the
    /// registered file is the one the plan was drawn from (`previousHash`); a concurrent
    /// amendment or re-plan makes this refuse, and nothing is written.
    public func amend(campaign: String, definition: Data, previousHash: String, newHash: String, responseWindowDays: Int, title: String,
                      changes: [CampaignAmendment.Change], by: String, now: Date = Date()) throws(LedgerError) -> Amendment {
        let who = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw .refused("who amends the campaign is missing", hint: "give your name with --by NAME") }
        if let problem = TextSafety.problem(in: who, multiline: false) { throw .refused("the name \(problem)", hint: "type the name again") }
        guard !changes.isEmpty, changes.allSatisfy({ $0.refusal == nil }) else {
            throw .refused("nothing to amend, or a change that may not be amended", hint: "compare the files with barometre amend --dry-run")
        }
        let encoded = String(decoding: try! JSONEncoder().encode(changes.map { AmendmentRecord(path: $0.path, before: $0.before, after: $0.after) }), as: UTF8.self)
        return try write { db in
            guard let current = try Row.fetchOne(db, sql: "SELECT c.definition, p.campaignHash FROM campaign c JOIN plan p ON p.campaignId = c.id WHERE c.id = ?",
                                                 arguments: [campaign]),
                  current["campaignHash"] as String == previousHash else {
                throw LedgerError.refused("campaign \(campaign) changed in the ledger while it was being amended", hint: "run barometre amend again")
            }
            let outcomes = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM outcomeEvent e JOIN application a ON a.id = e.applicationId WHERE a.campaignId = ?
                """, arguments: [campaign]) ?? 0
            try db.execute(sql: """
                INSERT INTO amendment (campaignId, amendedAt, amendedBy, previousHash, newHash, changes, previousDefinition, outcomesBefore)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [campaign, Timestamp.utc(now), who, previousHash, newHash, encoded, current["definition"] as String, outcomes])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE campaign SET definition = ?, definitionHash = ?, title = ?, responseWindowDays = ? WHERE id = ?",
                           arguments: [String(decoding: definition, as: UTF8.self), newHash, title, responseWindowDays, campaign])
            try db.execute(sql: "UPDATE plan SET campaignHash = ? WHERE campaignId = ?", arguments: [newHash, campaign])
            return try Self.amendment(try Row.fetchOne(db, sql: "SELECT * FROM amendment WHERE id = ?", arguments: [id])!)
        }
    }

    /// A campaign's amendments, oldest first.
    public func amendments(campaign: String) throws(LedgerError) -> [Amendment] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM amendment WHERE campaignId = ? ORDER BY id", arguments: [campaign]).map(Self.amendment)
        }
    }

    /// Every campaign's amendment count (for `status`).
    public func amendmentCounts() throws(LedgerError) -> [String: Int] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT campaignId, count(*) AS n FROM amendment GROUP BY campaignId")
                .map { ($0["campaignId"] as String, $0["n"] as Int) })
        }
    }

    private struct AmendmentRecord: Codable {
        let path: String
        let before: String?
        let after: String?
    }

    private static func amendment(_ row: Row) throws -> Amendment {
        let records = (try? JSONDecoder().decode([AmendmentRecord].self, from: Data((row["changes"] as String).utf8))) ?? []
        return Amendment(id: row["id"], campaign: row["campaignId"], amendedAt: row["amendedAt"], amendedBy: row["amendedBy"],
                         previousHash: row["previousHash"], newHash: row["newHash"],
                         changes: records.map { CampaignAmendment.Change(path: $0.path, before: $0.before, after: $0.after, refusal: nil) },
                         outcomesBefore: row["outcomesBefore"])
    }
}
