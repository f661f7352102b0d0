import Campaigns
import Foundation
import GRDB
import Planning
import Values

/// What registering a plan did.
public enum PlanRegistration: Sendable, Equatable {
    /// First plan of this campaign.
    case created
    /// The same campaign file and seed were registered before: nothing changed.
    case unchanged
    /// The campaign (or seed) changed and no outcome was recorded yet: the plan was replaced.
    case replaced
}

extension Ledger {
    /// Registers a campaign and its plan in one transaction, running `alongside` (writing
    /// the plan's files) inside it so that either both happen or neither does.
    ///
    /// - Re-planning an unchanged campaign with the same seed changes nothing.
    /// - Re-planning a changed campaign (or another seed) replaces the plan, unless an
    ///   outcome was recorded for it: then it is refused, since those outcomes belong to the
    ///   applications of the plan in force.
    public func register(
        _ loaded: LoadedCampaign, plan: TestPlan, now: Date = Date(), alongside: () throws -> Void = {}
    ) throws(LedgerError) -> PlanRegistration {
        let campaign = loaded.campaign
        let scale = String(decoding: try! JSONEncoder().encode(campaign.scale), as: UTF8.self)
        return try write { db in
            let existing = try Row.fetchOne(db, sql: "SELECT kind, definitionHash FROM campaign WHERE id = ?", arguments: [campaign.id])
            var result = PlanRegistration.created
            if let existing {
                guard existing["kind"] as String == "campaign" else {
                    throw LedgerError.refused("\"\(campaign.id)\" is an imported study in \(path), not a campaign",
                                              hint: "give the campaign another id")
                }
                let previous = try Row.fetchOne(db, sql: "SELECT seed, campaignHash FROM plan WHERE campaignId = ?", arguments: [campaign.id])
                if let previous, previous["campaignHash"] as String == plan.campaignHash,
                   (previous["seed"] as Int64) == Int64(bitPattern: plan.seed) {
                    // A plan registered before the application page carried the whole test
                    // (issue #14) gets its details now; nothing else changes.
                    try Self.fillDetails(db, plan: plan, campaign: campaign.id)
                    try Self.writeFiles(alongside)
                    return .unchanged
                }
                let outcomes = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM outcomeEvent e JOIN application a ON a.id = e.applicationId WHERE a.campaignId = ?
                    """, arguments: [campaign.id]) ?? 0
                guard outcomes == 0 else {
                    throw LedgerError.refused(
                        "campaign \(campaign.id) has changed (or another seed was given), but \(outcomes) outcome\(outcomes == 1 ? " is" : "s are") already recorded for its current plan",
                        hint: "outcomes belong to the applications that were sent: keep the design and seed unchanged; a change to the title, descriptions, translations, response window, publication policy or analysis options is made with `barometre amend`; otherwise start a new campaign (a new id, or a new wave)")
                }
                try db.execute(sql: "DELETE FROM application WHERE campaignId = ?", arguments: [campaign.id])
                try db.execute(sql: "DELETE FROM test WHERE campaignId = ?", arguments: [campaign.id])
                try db.execute(sql: "DELETE FROM plan WHERE campaignId = ?", arguments: [campaign.id])
                result = .replaced
            }
            // An upsert, not delete + insert: a replaced campaign keeps its amendments.
            try db.execute(sql: """
                INSERT INTO campaign (id, kind, title, domain, definition, definitionHash, scale, positiveThreshold, referenceArm,
                                      responseWindowDays, fictitious, createdAt)
                VALUES (?, 'campaign', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, domain = excluded.domain, definition = excluded.definition,
                    definitionHash = excluded.definitionHash, scale = excluded.scale, positiveThreshold = excluded.positiveThreshold,
                    referenceArm = excluded.referenceArm, responseWindowDays = excluded.responseWindowDays, fictitious = excluded.fictitious,
                    createdAt = excluded.createdAt
                """, arguments: [campaign.id, campaign.title, campaign.domain.rawValue, String(decoding: loaded.source, as: UTF8.self),
                                 plan.campaignHash, scale, campaign.positiveThreshold, campaign.referenceArm.id,
                                 campaign.design.responseWindowDays, campaign.fictitious, Timestamp.utc(now)])
            try db.execute(sql: "INSERT INTO plan (campaignId, seed, campaignHash, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [campaign.id, Int64(bitPattern: plan.seed), plan.campaignHash, Timestamp.utc(now)])
            let insertTest = try db.cachedStatement(sql: """
                INSERT INTO test (campaignId, code, targetId, organization, attributes, details) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let insertApplication = try db.cachedStatement(sql: """
                INSERT INTO application (campaignId, testId, code, arm, replicate, sendOrder, identity, template, channel, sendAt, tester, details, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for test in plan.tests {
                let t = test.target
                var attributes: [String: String] = ["sector": t.sector, "city": t.city, "channel": t.channel.rawValue]
                if let district = t.district { attributes["district"] = district }
                let json = Self.json(attributes)
                try insertTest.execute(arguments: [campaign.id, test.id, t.id, t.organization, json, Self.details(of: t)])
                let testID = db.lastInsertedRowID
                for a in test.applications {
                    try insertApplication.execute(arguments: [
                        campaign.id, testID, a.id, a.arm, a.replicate, a.sendOrder,
                        "\(a.identity.firstName) \(a.identity.lastName)", a.template, a.channel.rawValue, a.sendAt.description, a.tester,
                        Self.details(of: a), Self.applicantAttributes(a.identity),
                    ])
                }
            }
            try Self.writeFiles(alongside)
            return result
        }
    }

    /// The identity's attributes (`age`, `sex`, …) as the application's own slice values
    /// (issue #16 item 2: applicant attributes as slices, `analyze --by age`). A key that
    /// names a target attribute (sector, city, district, channel) is left out: it would hide
    /// the target's value.
    static func applicantAttributes(_ identity: Identity) -> String {
        let targetKeys: Set<String> = ["sector", "city", "district", "channel", "organization"]
        let own = (identity.attributes ?? [:]).filter { !targetKeys.contains($0.key) }
        return own.isEmpty ? "{}" : json(own)
    }

    /// What the application page shows of a target (issue #14): the listing and its contact.
    static func details(of target: Target) -> String {
        var values: [String: String] = ["organization": target.organization, "city": target.city, "sector": target.sector,
                                        "channel": target.channel.rawValue]
        if let title = target.title { values["title"] = title }
        if let district = target.district { values["district"] = district }
        if let contact = target.contact { values["contact"] = contact }
        return json(values)
    }

    /// What the application page shows of an application: the identity's contact details
    /// and the rendered document (the message, letter, or call or visit script).
    static func details(of application: PlannedApplication) -> String {
        let identity = application.identity
        var values: [String: String] = ["body": application.document.body]
        if let subject = application.document.subject { values["subject"] = subject }
        if let email = identity.email { values["email"] = email }
        if let phone = identity.phone { values["phone"] = phone }
        if let address = identity.address { values["address"] = "\(address.street), \(address.postalCode) \(address.city)" }
        return json(values)
    }

    /// A JSON object of strings, keys sorted (RFC 8259 escaping). Written by hand: it runs
    /// for every application of a plan, and JSONSerialization's bridging cost 40 % of a
    /// 10,000-target `plan` (issue #17).
    static func json(_ values: [String: String]) -> String {
        "{" + values.keys.sorted().map { JSONValue.quote($0) + ":" + JSONValue.quote(values[$0]!) }.joined(separator: ",") + "}"
    }

    /// Fills the details of a plan registered before they were kept.
    static func fillDetails(_ db: Database, plan: TestPlan, campaign: String) throws {
        let missing = try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE campaignId = ? AND details IS NULL", arguments: [campaign]) ?? 0
        guard missing > 0 else { return }
        for test in plan.tests {
            try db.execute(sql: "UPDATE test SET details = ? WHERE campaignId = ? AND code = ? AND details IS NULL",
                           arguments: [details(of: test.target), campaign, test.id])
            for a in test.applications {
                try db.execute(sql: "UPDATE application SET details = ? WHERE campaignId = ? AND code = ? AND details IS NULL",
                               arguments: [details(of: a), campaign, a.id])
            }
        }
    }

    /// Runs the files' writing inside the transaction; its failure is a `cannotWrite` (the
    /// transaction is rolled back: nothing recorded).
    static func writeFiles(_ alongside: () throws -> Void) throws {
        do { try alongside() } catch let error as LedgerError { throw error } catch { throw LedgerError.cannotWrite("\(error)") }
    }
}
