import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite("Ledger: web accounts, sessions and publications")
struct AccessTests {
    static let tester = "Bénévole A (association de parents)"

    @Test("a sign-in link is stored only as its hash; it opens a session until it expires or is revoked")
    func linkLifecycle() throws {
        let (ledger, plan) = try LedgerFixture.planned()
        let issued = try ledger.addAccount(name: Self.tester, role: .tester, campaign: plan.campaignID, now: LedgerFixture.now)
        #expect(issued.token.count == 43)
        let stored = try ledger.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM account") }
        #expect(stored == [Secret.hash(issued.token)])
        let everything = try ledger.read { db in
            try String.fetchAll(db, sql: "SELECT name || tokenHash || createdAt FROM account UNION ALL SELECT tokenHash || csrfToken FROM webSession")
        }.joined()
        #expect(!everything.contains(issued.token))

        guard case .opened(let opened) = try ledger.signIn(token: issued.token, lifetime: 3600, now: LedgerFixture.now) else {
            Issue.record("the link did not open a session"); return
        }
        #expect(opened.session.account.name == Self.tester)
        #expect(opened.session.csrfToken.count == 43)
        #expect(try ledger.session(token: opened.token, now: LedgerFixture.now)?.account.role == .tester)
        // The session's own expiry (not its link's, a column of the same name on the account).
        #expect(try ledger.session(token: opened.token, now: LedgerFixture.now)?.expiresAt == Timestamp.utc(LedgerFixture.now.addingTimeInterval(3600)))
        #expect(try ledger.session(token: opened.token, now: LedgerFixture.now)?.lastUseIsStale(now: LedgerFixture.now) == false)
        #expect(try ledger.session(token: opened.token, now: LedgerFixture.now.addingTimeInterval(3601)) == nil, "expired")
        #expect(try ledger.signIn(token: issued.token + "x", now: LedgerFixture.now).isRefused)

        _ = try ledger.revokeAccount(name: Self.tester, role: .tester, campaign: plan.campaignID, now: LedgerFixture.now)
        #expect(try ledger.session(token: opened.token, now: LedgerFixture.now) == nil, "revoking ends sessions")
        #expect(try ledger.signIn(token: issued.token, now: LedgerFixture.now).isRefused)
        #expect(try ledger.accounts().isEmpty)
        #expect(try ledger.accounts(includeRevoked: true).count == 1)
    }

    @Test("a link expires: by default at the campaign's end plus its response window; sessions never outlive it; staff see and end sessions")
    func expiry() throws {
        let (ledger, plan) = try LedgerFixture.planned()
        let issued = try ledger.addAccount(name: Self.tester, role: .tester, campaign: plan.campaignID, now: LedgerFixture.now)
        let expiry = try #require(issued.account.expiresAt)
        // The campaign's end plus its window, or 30 days from now for a link issued after it.
        #expect(expiry >= Timestamp.utc(LedgerFixture.now.addingTimeInterval(30 * 24 * 3600)))
        // A session opened an hour before the link expires ends with it.
        let late = try #require(ISO8601DateFormatter().date(from: expiry)).addingTimeInterval(-3600)
        guard case .opened(let opened) = try ledger.signIn(token: issued.token, lifetime: 12 * 3600, now: late) else { Issue.record("not opened"); return }
        #expect(opened.session.expiresAt == expiry)
        #expect(try ledger.openSessions(campaign: plan.campaignID, now: late).map(\.account.name) == [Self.tester])
        // After it: refused as expired (not as unknown), and no session works.
        let after = late.addingTimeInterval(7200)
        guard case .expired = try ledger.signIn(token: issued.token, now: after) else { Issue.record("not expired"); return }
        #expect(try ledger.session(token: opened.token, now: after) == nil)
        // An explicit date in the past is refused; staff links last a year.
        #expect(refusal { () throws(LedgerError) in try ledger.addAccount(name: "Chargée", role: .staff, campaign: nil, expiresAt: "2000-01-01T23:59:59Z") } != nil)
        let staff = try ledger.addAccount(name: "Chargée", role: .staff, campaign: nil, now: LedgerFixture.now)
        #expect(staff.account.expiresAt == Timestamp.utc(LedgerFixture.now.addingTimeInterval(365 * 24 * 3600)))
        // Staff end a session; the link still opens a new one.
        try ledger.endSession(token: opened.token, now: LedgerFixture.now)
        guard case .opened(let second) = try ledger.signIn(token: issued.token, now: LedgerFixture.now) else { Issue.record("not opened"); return }
        let session = try #require(try ledger.openSessions(campaign: plan.campaignID, now: LedgerFixture.now).first)
        #expect(try ledger.endSession(id: session.id, now: LedgerFixture.now))
        #expect(try ledger.session(token: second.token, now: LedgerFixture.now) == nil)
        guard case .opened = try ledger.signIn(token: issued.token, now: LedgerFixture.now) else { Issue.record("not opened"); return }
        #expect(try ledger.endSessions(name: Self.tester, role: .tester, campaign: plan.campaignID, now: LedgerFixture.now) == 1)
    }

    @Test("who may get a link: a tester of the plan, in a planned campaign; one usable link per person")
    func refusals() throws {
        let (ledger, plan) = try LedgerFixture.planned()
        let campaign = plan.campaignID
        let cases: [(String, AccountRole, String?, String)] = [
            ("Quelqu'un", .tester, campaign, "assigns no application"),
            (Self.tester, .tester, nil, "works on one campaign"),
            (Self.tester, .tester, "no-such-campaign", "no campaign no-such-campaign"),
            ("Chargée", .staff, campaign, "see every campaign"),
            ("  ", .staff, nil, "name is empty"),
        ]
        for (name, role, campaign, message) in cases {
            let error = refusal { () throws(LedgerError) in try ledger.addAccount(name: name, role: role, campaign: campaign) }
            #expect(error?.description.contains(message) == true, "\(name) \(role): \(String(describing: error))")
        }
        _ = try ledger.addAccount(name: Self.tester, role: .tester, campaign: campaign)
        let twice = refusal { () throws(LedgerError) in try ledger.addAccount(name: Self.tester, role: .tester, campaign: campaign) }
        #expect(twice?.description.contains("--renew") == true)
        #expect(try LedgerFixture.count(ledger, "SELECT count(*) FROM account") == 1)
        let renewed = try ledger.addAccount(name: Self.tester, role: .tester, campaign: campaign, renew: true)
        #expect(try ledger.accounts().map(\.id) == [renewed.account.id])
        let missing = refusal { () throws(LedgerError) in try ledger.revokeAccount(name: "Personne", role: .staff, campaign: nil) }
        #expect(missing?.description.contains("no usable staff link") == true)
    }

    @Test("accounts and publications cannot be deleted or rewritten")
    func appendOnly() throws {
        let (ledger, _) = try LedgerFixture.planned()
        _ = try ledger.addAccount(name: "Chargée", role: .staff, campaign: nil)
        let first = try ledger.publish(subject: "s", title: "T", language: "fr", html: "<p>1</p>", simulated: false, by: "x")
        _ = try ledger.publish(subject: "s", title: "T", language: "fr", html: "<p>2</p>", simulated: false, by: "x")
        #expect(try ledger.latestPublication(subject: "s")?.html == "<p>2</p>")
        #expect(try ledger.latestPublications().map(\.id) == [first.id + 1])
        for sql in ["DELETE FROM account", "UPDATE publication SET html = 'x'", "DELETE FROM publication"] {
            #expect(throws: (any Error).self, "\(sql)") { try ledger.writer.write { db in try db.execute(sql: sql) } }
        }
        let bad = refusal { () throws(LedgerError) in try ledger.publish(subject: "s", title: "T", language: "de", html: "", simulated: false, by: "x") }
        #expect(bad != nil)
    }
}

extension SignInResult {
    var isRefused: Bool { if case .refused = self { return true }; return false }
}
