import Campaigns
import Foundation
import GRDB
import Planning

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
                    try alongside()
                    return .unchanged
                }
                let outcomes = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM outcomeEvent e JOIN application a ON a.id = e.applicationId WHERE a.campaignId = ?
                    """, arguments: [campaign.id]) ?? 0
                guard outcomes == 0 else {
                    throw LedgerError.refused(
                        "campaign \(campaign.id) has changed (or another seed was given), but \(outcomes) outcome\(outcomes == 1 ? " is" : "s are") already recorded for its current plan",
                        hint: "outcomes belong to the applications that were sent: keep the campaign file and seed unchanged, or start a new campaign (a new id, or a new wave)")
                }
                try db.execute(sql: "DELETE FROM application WHERE campaignId = ?", arguments: [campaign.id])
                try db.execute(sql: "DELETE FROM test WHERE campaignId = ?", arguments: [campaign.id])
                try db.execute(sql: "DELETE FROM plan WHERE campaignId = ?", arguments: [campaign.id])
                try db.execute(sql: "DELETE FROM campaign WHERE id = ?", arguments: [campaign.id])
                result = .replaced
            }
            try db.execute(sql: """
                INSERT INTO campaign (id, kind, title, domain, definition, definitionHash, scale, positiveThreshold, referenceArm,
                                      responseWindowDays, fictitious, createdAt)
                VALUES (?, 'campaign', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [campaign.id, campaign.title, campaign.domain.rawValue, String(decoding: loaded.source, as: UTF8.self),
                                 plan.campaignHash, scale, campaign.positiveThreshold, campaign.referenceArm.id,
                                 campaign.design.responseWindowDays, campaign.fictitious, Timestamp.utc(now)])
            try db.execute(sql: "INSERT INTO plan (campaignId, seed, campaignHash, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [campaign.id, Int64(bitPattern: plan.seed), plan.campaignHash, Timestamp.utc(now)])
            let insertTest = try db.cachedStatement(sql: """
                INSERT INTO test (campaignId, code, targetId, organization, attributes) VALUES (?, ?, ?, ?, ?)
                """)
            let insertApplication = try db.cachedStatement(sql: """
                INSERT INTO application (campaignId, testId, code, arm, replicate, sendOrder, identity, template, channel, sendAt, tester)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for test in plan.tests {
                let t = test.target
                var attributes: [String: String] = ["sector": t.sector, "city": t.city, "channel": t.channel.rawValue]
                if let district = t.district { attributes["district"] = district }
                let json = String(decoding: try JSONSerialization.data(withJSONObject: attributes, options: [.sortedKeys]), as: UTF8.self)
                try insertTest.execute(arguments: [campaign.id, test.id, t.id, t.organization, json])
                let testID = db.lastInsertedRowID
                for a in test.applications {
                    try insertApplication.execute(arguments: [
                        campaign.id, testID, a.id, a.arm, a.replicate, a.sendOrder,
                        "\(a.identity.firstName) \(a.identity.lastName)", a.template, a.channel.rawValue, a.sendAt.description, a.tester,
                    ])
                }
            }
            try alongside()
            return result
        }
    }
}
