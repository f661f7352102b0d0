import Campaigns
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Planning
import Testing
import TestSupport
@testable import WebApp

/// The tester in the field (issue #14): the whole test on the application page, for a
/// phone campaign with tester pairs, and an answer recorded once whatever the network does.
@Suite("Web: the whole test on one page, an answer recorded once")
struct FieldTests {
    static let phone = try! CampaignLoader.load(Repository.url("Tests/CampaignsTests/Fixtures/phone-housing.json"))

    /// A ledger file with the phone campaign planned, a web app over it on a fixed clock
    /// (2026-04-20 18:00, inside the campaign's period).
    struct Field {
        let ledger: Ledger
        let plan: TestPlan
        let now: Date
        let folder: URL

        init() throws {
            folder = Repository.temporaryFolder("field")
            ledger = try Ledger.open(path: folder.appendingPathComponent("ledger.sqlite").path)
            plan = Planner.plan(FieldTests.phone, seed: FieldTests.phone.campaign.design.seed!)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .current
            now = calendar.date(from: DateComponents(year: 2026, month: 4, day: 20, hour: 18))!
            _ = try ledger.register(FieldTests.phone, plan: plan, now: calendar.date(from: DateComponents(year: 2026, month: 3, day: 1))!)
        }

        var campaign: String { FieldTests.phone.campaign.id }

        func application() -> some ApplicationProtocol {
            let now = self.now
            return WebApp.application(ledger: ledger, configuration: WebConfiguration(language: .fr), clock: { now },
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        }

        /// A tester's first application already sent, and the tester's token.
        func sentApplication() throws -> (PlannedApplication, String) {
            let sent = try #require(plan.applications.filter { $0.sendAt.description < Timestamp.local(now) }.first)
            let token = try ledger.addAccount(name: sent.tester, role: .tester, campaign: campaign).token
            return (sent, token)
        }
    }

    @Test("the application page holds the offer, the contact as a tel: link, the identity, the script with a copy button, when, and the form")
    func wholeTest() async throws {
        let field = try Field()
        let (sent, token) = try field.sentApplication()
        let target = try #require(Self.phone.targets.first { $0.id == sent.targetID })
        try await field.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let page = try await browser.get("/applications/\(sent.id)")
            #expect(page.status == .ok)
            let html = page.text
            // The offer: title, organization, district and city, channel, contact to dial.
            #expect(html.contains(Self.escaped(target.title!)))
            #expect(html.contains(Self.escaped(target.organization)))
            #expect(html.contains("\(target.district!), Amiens"))
            #expect(html.contains("Canal\u{00A0}: téléphone"))
            let digits = target.contact!.filter(\.isNumber)
            #expect(html.contains("href=\"tel:\(digits)\""))
            // Who to be: name, phone, address of the identity.
            #expect(html.contains(Self.escaped("\(sent.identity.firstName) \(sent.identity.lastName)")))
            #expect(html.contains(sent.identity.phone!))
            #expect(html.contains(Self.escaped(sent.identity.address!.street)))
            // What to say: the rendered script, and a copy button (shown by the script).
            #expect(html.contains("Le script de l&#39;appel") || html.contains("Le script de l'appel"))
            #expect(html.contains("<pre id=\"document-body\" class=\"document\">" + Self.escaped(sent.document.body)))
            #expect(html.contains("data-copy=\"document-body\""))
            #expect(html.contains("<script src=\"/static/field.js\"></script>"))
            // When: the send time and the answer deadline.
            #expect(html.contains("Appeler — À faire le <strong>\(sent.sendAt.description.replacingOccurrences(of: "T", with: " "))</strong>"))
            #expect(html.contains("délai de 14 jours"))
            // The form, with its idempotency key.
            #expect(html.contains("name=\"key\" value=\""))
            let script = try await browser.get("/static/field.js")
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }

    @Test("a tester sees only their own targets' contact details: another tester's application is 404, its contact absent from every page")
    func boundary() async throws {
        let field = try Field()
        let (sent, token) = try field.sentApplication()
        // An application of the same test played by someone else (a tester pair: never the same person).
        let partner = try #require(field.plan.tests.first { $0.id == sent.testID }?.applications.first { $0.id != sent.id })
        #expect(partner.tester != sent.tester)
        let foreign = try #require(field.plan.applications.first { $0.tester != sent.tester && !field.plan.tests.first { $0.id == sent.testID }!.applications.contains($0) && $0.organization != sent.organization })
        let foreignContact = try #require(Self.phone.targets.first { $0.id == foreign.targetID }?.contact)
        let mine = field.plan.applications.filter { $0.tester == sent.tester }
        let myContacts = Set(mine.compactMap { a in Self.phone.targets.first { $0.id == a.targetID }?.contact })
        try await field.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            #expect(try await browser.get("/applications/\(partner.id)").status == .notFound)
            #expect(try await browser.get("/applications/\(foreign.id)").status == .notFound)
            for stage in ["dueToday", "overdue", "awaiting", "done", "upcoming"] {
                let list = try await browser.get("/applications?stage=\(stage)")
                if !myContacts.contains(foreignContact) { #expect(!list.text.contains(foreignContact)) }
                #expect(!list.text.contains(partner.identity.phone!) || mine.contains { $0.identity.phone == partner.identity.phone })
            }
        }
    }

    @Test("the same POST sent 20 times at once records one event; every reply points to it")
    func idempotent() async throws {
        let field = try Field()
        let (sent, token) = try field.sentApplication()
        let key = UUID().uuidString
        try await field.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let csrf = try await browser.csrf(on: "/applications/\(sent.id)")
            let fields = [("csrf", csrf), ("key", key), ("level", "visit_offered"), ("date", "2026-04-20"), ("note", "rappel le lendemain")]
            let session = browser
            let locations = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await session.post("/applications/\(sent.id)", fields)
                        return (response.status, response.headers[.location])
                    }
                }
                var all: [(HTTPResponse.Status, String?)] = []
                for try await reply in group { all.append(reply) }
                return all
            }
            #expect(locations.allSatisfy { $0.0 == .seeOther })
            #expect(Set(locations.compactMap(\.1)).count == 1, "\(locations)")
            let events = try field.ledger.history(application: sent.id, campaign: field.campaign)
            #expect(events.count == 1)
            // Later, the same form again (the back button, a retried request): still one event.
            let again = try await browser.post("/applications/\(sent.id)", fields)
            #expect(again.status == .seeOther && again.headers[.location] == locations[0].1)
            #expect(try field.ledger.history(application: sent.id, campaign: field.campaign).count == 1)
            // A new form (a new key) is a correction, recorded as one.
            let csrf2 = try await browser.csrf(on: "/applications/\(sent.id)")
            let page = try await browser.get("/applications/\(sent.id)")
            let correcting = try #require(page.text.range(of: "name=\"correcting\" value=\"")).upperBound
            let id = String(page.text[correcting...].prefix { $0 != "\"" })
            let correction = try await browser.post("/applications/\(sent.id)", [("csrf", csrf2), ("key", UUID().uuidString), ("correcting", id),
                                                                                ("level", "refusal"), ("date", "2026-04-20")])
            #expect(correction.status == .seeOther)
            #expect(try field.ledger.history(application: sent.id, campaign: field.campaign).count == 2)
        }
    }

    @Test("a key used for one application cannot record another")
    func keyReuse() throws {
        let field = try Field()
        let (sent, _) = try field.sentApplication()
        let other = try #require(field.plan.applications.first { $0.tester == sent.tester && $0.id != sent.id && $0.sendAt.description < "2026-04-20" })
        let key = UUID().uuidString
        let now = field.now
        _ = try field.ledger.recordAssigned(OutcomeRequest(application: sent.id, campaign: field.campaign, level: "refusal", observedAt: "2026-04-20",
                                                           recordedBy: sent.tester, source: .web, requestKey: key), tester: sent.tester, correcting: nil, now: now)
        #expect(throws: LedgerError.self) {
            try field.ledger.recordAssigned(OutcomeRequest(application: other.id, campaign: field.campaign, level: "refusal", observedAt: "2026-04-20",
                                                           recordedBy: sent.tester, source: .web, requestKey: key), tester: sent.tester, correcting: nil, now: now)
        }
        #expect(try field.ledger.history(application: other.id, campaign: field.campaign).isEmpty)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
