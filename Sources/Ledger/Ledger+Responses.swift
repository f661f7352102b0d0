import Foundation
import GRDB
import Values

/// An organization's response to its evidence file (`barometre evidence --respond`), kept
/// append-only: a later response is added beside the earlier ones, never in their place.
public struct OrganizationResponse: Sendable, Equatable {
    public let id: Int64
    public let campaign: String
    /// The organization's name (responses are recorded by staff, who hold the names).
    public let organization: String
    /// The day the organization's response arrived (`YYYY-MM-DD`).
    public let receivedOn: String
    public let recordedAt: String
    public let recordedBy: String
    public let response: String
}

extension Ledger {
    /// Records an organization's response, append-only. The organization must be one of the
    /// campaign's (by name).
    public func recordResponse(campaign: String, organization: String, receivedOn: String, response: String, by: String,
                               now: Date = Date()) throws(LedgerError) -> OrganizationResponse {
        let who = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw .refused("who records the response is missing", hint: "give your name with --by NAME") }
        guard !response.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .refused("the response is empty", hint: "give the organization's response in the file passed to --response-file")
        }
        guard CalendarDate(receivedOn) != nil else {
            throw .refused("the date the response arrived, \"\(receivedOn)\", is not a date", hint: "write it YYYY-MM-DD, e.g. --received 2026-11-30")
        }
        return try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM test WHERE campaignId = ? AND organization = ?)",
                                    arguments: [campaign, organization]) == true else {
                throw LedgerError.notFound("\(campaign) tested no organization named \"\(organization)\"",
                                           hint: "`barometre pseudonym --list --campaign \(campaign)` lists them")
            }
            try db.execute(sql: """
                INSERT INTO organizationResponse (campaignId, organization, receivedOn, recordedAt, recordedBy, response) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [campaign, organization, receivedOn, Timestamp.utc(now), who, response])
            return Self.response(try Row.fetchOne(db, sql: "SELECT * FROM organizationResponse WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
    }

    /// The responses on file for a campaign, oldest first (one organization's when named).
    public func responses(campaign: String, organization: String? = nil) throws(LedgerError) -> [OrganizationResponse] {
        try read { db in
            if let organization {
                return try Row.fetchAll(db, sql: "SELECT * FROM organizationResponse WHERE campaignId = ? AND organization = ? ORDER BY id",
                                        arguments: [campaign, organization]).map(Self.response)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM organizationResponse WHERE campaignId = ? ORDER BY id", arguments: [campaign]).map(Self.response)
        }
    }

    static func response(_ row: Row) -> OrganizationResponse {
        OrganizationResponse(id: row["id"], campaign: row["campaignId"], organization: row["organization"], receivedOn: row["receivedOn"],
                             recordedAt: row["recordedAt"], recordedBy: row["recordedBy"], response: row["response"])
    }
}

