import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import WebApp

@Suite("Web: signing in and out")
struct SignInTests {
    @Test("a personal link opens a session: HttpOnly, SameSite=Strict cookie; the token leaves the address bar")
    func signIn() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            let response = try await browser.signIn(token)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain http on loopback: a Secure cookie would never come back")
            #expect(!cookie.contains(token))
            let home = try await browser.get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/applications")
        }
    }

    @Test("over https the cookie is Secure")
    func secureCookie() async throws {
        let harness = try WebHarness(publicURL: "https://barometre.example.org")
        let token = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            let cookie = try #require(try await browser.signIn(token).headers[.setCookie])
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("an unknown, malformed or revoked link is refused (403) and sets no cookie")
    func badLinks() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        _ = try harness.ledger.revokeAccount(name: WebHarness.testerA, role: .tester, campaign: harness.campaign)
        try await harness.application().test(.router) { client async throws in
            for attempt in [token, String(repeating: "x", count: 43), "short", "../../etc/passwd", token + "A"] {
                var browser = Browser(client)
                let response = try await browser.signIn(attempt)
                #expect(response.status == .forbidden || response.status == .notFound, "\(attempt)")
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test("failed sign-ins are throttled per client (429, Retry-After), but a valid link always works, even during a flood")
    func throttled() async throws {
        let harness = try WebHarness(signInAttempts: 3)
        let token = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            for _ in 0..<3 {
                #expect(try await browser.signIn(String(repeating: "y", count: 43)).status == .forbidden)
            }
            // A flood of bad links from the same address: refused with 429 past the limit…
            for _ in 0..<20 {
                let flooded = try await browser.signIn(String(repeating: "z", count: 43))
                #expect(flooded.status == .tooManyRequests)
                #expect(Int(flooded.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(flooded.headers[.setCookie] == nil)
            }
            // …while the tester's own link still opens a session.
            let opened = try await browser.signIn(token)
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.setCookie]?.hasPrefix("barometre_session=") == true)
        }
    }

    @Test("every page, the public home included, says where a person who was discriminated against can turn")
    func helpLine() async throws {
        let harness = try WebHarness()
        try await harness.application().test(.router) { client async throws in
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .ok)
            let text = String(buffer: home.body)
            #expect(text.contains("antidiscriminations.fr") && text.contains("39 28"))
        }
    }

    @Test("the client behind a trusted proxy is the nearest untrusted address of X-Forwarded-For")
    func clientAddress() {
        let proxies: Set<String> = ["10.0.0.2", "10.0.0.3"]
        #expect(WebContext.clientAddress(peer: "10.0.0.2", forwardedFor: "198.51.100.7, 10.0.0.3", trustedProxies: proxies) == "198.51.100.7")
        // A client cannot choose its address by sending the header itself: the proxy appends the real one.
        #expect(WebContext.clientAddress(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.7", trustedProxies: proxies) == "198.51.100.7")
        #expect(WebContext.clientAddress(peer: "198.51.100.7", forwardedFor: "1.2.3.4", trustedProxies: proxies) == "198.51.100.7")
        #expect(WebContext.clientAddress(peer: "10.0.0.2", forwardedFor: nil, trustedProxies: proxies) == "10.0.0.2")
    }

    @Test("X-Forwarded-For is believed only from a configured proxy")
    func forwardedFor() async throws {
        // The test client connects from no address: a request claiming another address
        // through X-Forwarded-For is still counted as the same client when no proxy is trusted.
        let harness = try WebHarness(signInAttempts: 2)
        try await harness.application().test(.router) { client async throws in
            for k in 0..<2 {
                let response = try await client.execute(uri: "/signin/" + String(repeating: "y", count: 43), method: .get,
                                                        headers: [HTTPFields.Element.Name("X-Forwarded-For")!: "203.0.113.\(k)"])
                #expect(response.status == .forbidden)
            }
            let third = try await client.execute(uri: "/signin/" + String(repeating: "y", count: 43), method: .get,
                                                 headers: [HTTPFields.Element.Name("X-Forwarded-For")!: "203.0.113.9"])
            #expect(third.status == .tooManyRequests, "a spoofed header escaped the throttle")
        }
    }

    @Test("signing out ends the session (the old cookie no longer works); it needs the form's token")
    func signOut() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            #expect(try await browser.post("/signout", []).status == .forbidden)
            #expect(try await browser.get("/applications").status == .ok)
            let csrf = try await browser.csrf(on: "/applications")
            let out = try await browser.post("/signout", [("csrf", csrf)])
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await browser.get("/applications").status == .unauthorized)
        }
    }

    @Test("revoking a link ends its open sessions at once")
    func revokeEndsSessions() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            #expect(try await browser.get("/applications").status == .ok)
            _ = try harness.ledger.revokeAccount(name: WebHarness.testerA, role: .tester, campaign: harness.campaign)
            #expect(try await browser.get("/applications").status == .unauthorized)
        }
    }

    @Test("a renewed link replaces the old one")
    func renew() async throws {
        let harness = try WebHarness()
        let old = try harness.tester()
        let new = try harness.ledger.addAccount(name: WebHarness.testerA, role: .tester, campaign: harness.campaign, renew: true).token
        try await harness.application().test(.router) { client async throws in
            var first = Browser(client), second = Browser(client)
            #expect(try await first.signIn(old).status == .forbidden)
            #expect(try await second.signIn(new).status == .seeOther)
        }
    }

    @Test("a forged cookie is nobody")
    func forgedCookie() async throws {
        let harness = try WebHarness()
        _ = try harness.tester()
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            browser.cookie = "barometre_session=" + Secret.token()
            #expect(try await browser.get("/applications").status == .unauthorized)
            #expect(try await browser.get("/").status == .ok)
        }
    }
}

@Suite("Web: a tester's applications")
struct TesterTests {
    @Test("the list holds the tester's own applications only, by stage")
    func ownList() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let mine = try harness.applications()
        let others = try harness.applications(of: WebHarness.testerB)
        let stages = Dictionary(grouping: mine) { $0.stage(now: harness.now) }
        #expect(!(stages[.dueToday] ?? []).isEmpty && !(stages[.overdue] ?? []).isEmpty && !(stages[.awaiting] ?? []).isEmpty
                && !(stages[.upcoming] ?? []).isEmpty, "the fixed clock should show every stage")
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            // One stage at a time, paged: every stage's pages together list exactly mine.
            var listed: [String: AssignmentStage] = [:]
            for stage in [AssignmentStage.dueToday, .overdue, .awaiting, .done, .upcoming] {
                var page = 1
                while true {
                    let response = try await browser.get("/applications?stage=\(stage.rawValue)&page=\(page)")
                    #expect(response.status == .ok)
                    for a in mine + others where response.text.contains("/applications/\(a.application)\"") { listed[a.application] = stage }
                    guard response.text.contains("page=\(page + 1)\">") else { break }
                    page += 1
                }
            }
            for a in mine { #expect(listed[a.application] == a.stage(now: harness.now), "\(a.application)") }
            for a in others { #expect(listed[a.application] == nil, "\(a.application) is B's") }
            // The tabs count each stage; with no stage asked, the first with work is shown.
            let home = try await browser.get("/applications")
            #expect(home.text.contains("To send today") && home.text.contains("Overdue") && home.text.contains("Awaiting an answer") && home.text.contains("Done"))
            #expect(home.text.contains("aria-current=\"page\">To send today <span class=\"badge \">\(stages[.dueToday]!.count)</span>"))
            #expect(home.text.contains("Later <span class=\"badge \">\(stages[.upcoming]!.count)</span>"))
            #expect(home.text.components(separatedBy: "<li><a href=\"/applications/").count - 1 == min(stages[.dueToday]!.count, 15))
        }
    }

    @Test("search narrows the list (code, offer, district; accents ignored); paging keeps the search")
    func search() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let mine = try harness.applications()
        let overdue = mine.filter { $0.stage(now: harness.now) == .overdue }
        let one = try #require(overdue.first)
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let byCode = try await browser.get("/applications?stage=overdue&q=\(one.application)")
            #expect(byCode.text.components(separatedBy: "<li><a href=\"/applications/").count - 1 == 1)
            #expect(byCode.text.contains("/applications/\(one.application)\""))
            let title = try #require(one.listing.title)
            let word = String(title.split(separator: " ").first!)
            let byTitle = try await browser.get("/applications?stage=overdue&q=\(Browser.encode(word.uppercased()))")
            let expected = overdue.filter { $0.listing.title?.localizedCaseInsensitiveContains(word) == true || $0.organization?.localizedCaseInsensitiveContains(word) == true }
            #expect(!expected.isEmpty)
            #expect(byTitle.text.contains("Overdue <span class=\"badge\">\(expected.count)</span>"))
            for a in expected.prefix(15) { #expect(byTitle.text.contains("/applications/\(a.application)\"")) }
            let nothing = try await browser.get("/applications?stage=overdue&q=zzzz-nothing")
            #expect(nothing.text.contains("Nothing for now."))
            #expect(nothing.text.contains("value=\"zzzz-nothing\""))
        }
    }

    @Test("recording an answer goes through the Ledger: source web, by the tester, note escaped on the page")
    func record() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let path = "/applications/\(target.application)"
            let form = try await browser.get(path)
            #expect(form.text.contains("name=\"level\""))
            let csrf = try await browser.csrf(on: path)
            let note = "<script>alert('x')</script> rappel \"demain\""
            let saved = try await browser.post(path, [("csrf", csrf), ("level", "interview"), ("date", "2026-04-14"), ("time", "09:30"),
                                                      ("note", note), ("measures", "delay_hours=26; calls=2")])
            #expect(saved.status == .seeOther)
            let event = try #require(try harness.ledger.history(application: target.application, campaign: harness.campaign).first)
            #expect(event.level == "interview")
            #expect(event.source == "web")
            #expect(event.recordedBy == WebHarness.testerA)
            #expect(event.observedAt == "2026-04-14T09:30")
            #expect(event.note == note)
            #expect(event.measures == #"{"calls":2,"delay_hours":26}"#)
            let after = try await browser.get(saved.headers[.location]!)
            #expect(after.text.contains("Answer recorded."))
            #expect(!after.text.contains("<script>"))
            #expect(after.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            let list = try await browser.get("/applications?stage=done")
            #expect(list.text.contains("Interview offered"))
        }
    }

    @Test("a correction is a new event; the old answer stays in the history")
    func correct() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        let first = try harness.ledger.record(OutcomeRequest(application: target.application, campaign: harness.campaign, level: "refusal",
                                                             observedAt: "2026-04-10", recordedBy: WebHarness.testerA), now: harness.now)
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let path = "/applications/\(target.application)"
            let page = try await browser.get(path)
            #expect(page.text.contains("name=\"correcting\" value=\"\(first.id)\""))
            let csrf = try await browser.csrf(on: path)
            // Without naming the answer it corrects, a second answer is refused.
            let second = try await browser.post(path, [("csrf", csrf), ("level", "interview"), ("date", "2026-04-11")])
            #expect(second.status == .unprocessableContent)
            #expect(second.text.contains("could not be recorded") && second.text.contains("Check the history"))
            #expect(try harness.eventCount() == 1)
            let corrected = try await browser.post(path, [("csrf", csrf), ("correcting", String(first.id)), ("level", "interview"), ("date", "2026-04-11")])
            #expect(corrected.status == .seeOther)
            let history = try harness.ledger.history(application: target.application, campaign: harness.campaign)
            #expect(history.map(\.level) == ["refusal", "interview"])
            #expect(history[1].supersedes == first.id)
            let shown = try await browser.get(path)
            #expect(shown.text.contains("corrected") && shown.text.contains("in force"))
        }
    }

    @Test("bad fields are refused with the reason, the form keeps what was typed, nothing is written",
          arguments: Self.badFields)
    func refusals(fields: [(String, String)], message: String) async throws {
        try await refused(fields: fields, message: message)
    }

    static let badFields: [([(String, String)], String)] = [
            ([("level", "hired"), ("date", "2026-04-14")], "Choose the answer received"),
            ([("date", "2026-04-14")], "Choose the answer received"),
            ([("level", "interview"), ("date", "14/04/2026")], "YYYY-MM-DD"),
            ([("level", "interview"), ("date", "2026-04-14"), ("time", "9h")], "HH:MM"),
            ([("level", "interview"), ("date", "2026-04-14"), ("measures", "delay=soon")], "NAME=NUMBER"),
            ([("level", "interview"), ("date", "2026-04-14"), ("note", String(repeating: "n", count: 2001))], "2,000"),
            ([("level", "interview"), ("date", "2026-04-14"), ("note", "before\u{0}after")], "invisible control character"),
            ([("level", "interview"), ("date", "2026-04-14"), ("note", "a\u{1B}]0;pwned\u{07}b")], "invisible control character"),
            ([("level", "interview"), ("date", "2026-04-16")], "in the future"),
            ([("level", "interview"), ("date", "2026-01-05")], "before the application was sent"),
          ]

    func refused(fields: [(String, String)], message: String) async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let path = "/applications/\(target.application)"
            let csrf = try await browser.csrf(on: path)
            let response = try await browser.post(path, [("csrf", csrf)] + fields)
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(message), "\(response.text)")
            #expect(response.text.contains("Nothing was recorded"))
            if let date = fields.first(where: { $0.0 == "date" })?.1 { #expect(response.text.contains("value=\"\(date)\"")) }
            #expect(try harness.eventCount() == 0)
        }
    }

    @Test("a form without the session's anti-forgery token is refused (403) and writes nothing")
    func forgery() async throws {
        let harness = try WebHarness()
        let tokenA = try harness.tester(), tokenB = try harness.tester(WebHarness.testerB)
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        try await harness.application().test(.router) { client async throws in
            var a = Browser(client), b = Browser(client)
            try await a.signIn(tokenA)
            try await b.signIn(tokenB)
            let csrfB = try await b.csrf(on: "/applications/\(try harness.applications(of: WebHarness.testerB)[0].application)")
            let path = "/applications/\(target.application)"
            for csrf in [nil, "", csrfB, String(repeating: "A", count: 43)] as [String?] {
                let fields = (csrf.map { [("csrf", $0)] } ?? []) + [("level", "interview"), ("date", "2026-04-14")]
                #expect(try await a.post(path, fields).status == .forbidden)
            }
            #expect(try harness.eventCount() == 0)
        }
    }
}

@Suite("Web: authorization on every route")
struct AuthorizationTests {
    @Test("tester A gets 404 for B's application, by URL and by posting the form, exactly as for one that does not exist")
    func otherTester() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let theirs = try harness.applications(of: WebHarness.testerB)
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let csrf = try await browser.csrf(on: "/applications/\(try harness.applications()[0].application)")
            let missing = try await browser.get("/applications/T9999-1")
            #expect(missing.status == .notFound)
            for other in theirs.prefix(10) {
                let page = try await browser.get("/applications/\(other.application)")
                #expect(page.status == .notFound)
                #expect(page.text == missing.text)
                let post = try await browser.post("/applications/\(other.application)",
                                                  [("csrf", csrf), ("level", "interview"), ("date", "2026-04-14")])
                #expect(post.status == .notFound)
            }
            #expect(try harness.eventCount() == 0)
        }
    }

    @Test("the same application code in another campaign is never reached")
    func otherCampaign() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let internshipCodes = Set(try harness.ledger.applications(campaign: WebHarness.internship.campaign.id).map(\.application))
        let shared = try harness.applications().first { internshipCodes.contains($0.application) && $0.stage(now: harness.now) == .overdue }
        let target = try #require(shared, "codes T0001-1… exist in both campaigns")
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let path = "/applications/\(target.application)"
            let csrf = try await browser.csrf(on: path)
            #expect(try await browser.post(path, [("csrf", csrf), ("level", "interview"), ("date", "2026-04-14")]).status == .seeOther)
            #expect(try harness.ledger.history(application: target.application, campaign: harness.campaign).count == 1)
            #expect(try harness.ledger.history(application: target.application, campaign: WebHarness.internship.campaign.id).isEmpty)
        }
    }

    @Test("a tampered correction naming another application's answer is refused and writes nothing")
    func tamperedCorrection() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let mine = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        let other = try #require(try harness.applications(of: WebHarness.testerB).first { $0.stage(now: harness.now) == .overdue })
        let theirs = try harness.ledger.record(OutcomeRequest(application: other.application, campaign: harness.campaign, level: "refusal",
                                                              observedAt: "2026-04-10", recordedBy: WebHarness.testerB), now: harness.now)
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(token)
            let path = "/applications/\(mine.application)"
            let csrf = try await browser.csrf(on: path)
            let response = try await browser.post(path, [("csrf", csrf), ("correcting", String(theirs.id)), ("level", "interview"), ("date", "2026-04-14")])
            #expect(response.status == .unprocessableContent)
            #expect(try harness.eventCount() == 1)
            #expect(try harness.ledger.history(application: other.application, campaign: harness.campaign).count == 1)
        }
    }

    /// Every route, every kind of visitor: what each may do.
    @Test("each role reaches its own pages only: 401 signed out, 404 for another role's pages")
    func roles() async throws {
        let harness = try WebHarness()
        let tester = try harness.tester(), staff = try harness.staff(), official = try harness.staff("Adjointe au maire", official: true)
        _ = try harness.ledger.publish(subject: harness.campaign, title: "Emploi", language: "fr", html: "<p>rapport</p>", simulated: false, by: "test")
        let mine = try harness.applications()[0].application
        let gets: [(String, [String: HTTPResponse.Status])] = [
            ("/applications", ["none": .unauthorized, "tester": .ok, "staff": .notFound, "official": .notFound]),
            ("/applications/\(mine)", ["none": .unauthorized, "tester": .ok, "staff": .notFound, "official": .notFound]),
            ("/staff", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .notFound]),
            ("/staff/campaigns/\(harness.campaign)", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .notFound]),
            ("/staff/campaigns/\(harness.campaign)/applications.csv", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .notFound]),
            ("/staff/campaigns/\(harness.campaign)/events.csv", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .notFound]),
            ("/staff/campaigns/no-such-campaign", ["none": .unauthorized, "tester": .notFound, "staff": .notFound, "official": .notFound]),
            ("/published", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .ok]),
            ("/published/\(harness.campaign)", ["none": .unauthorized, "tester": .notFound, "staff": .ok, "official": .ok]),
            ("/published/nothing-published", ["none": .unauthorized, "tester": .notFound, "staff": .notFound, "official": .notFound]),
            ("/no-such-page", ["none": .notFound, "tester": .notFound, "staff": .notFound, "official": .notFound]),
            ("/favicon.ico", ["none": .noContent, "tester": .noContent, "staff": .noContent, "official": .noContent]),
        ]
        try await harness.application().test(.router) { client async throws in
            var browsers: [String: Browser] = ["none": Browser(client)]
            for (role, token) in [("tester", tester), ("staff", staff), ("official", official)] {
                var browser = Browser(client)
                try await browser.signIn(token)
                browsers[role] = browser
            }
            for (path, expected) in gets {
                for (role, status) in expected {
                    let response = try await browsers[role]!.get(path)
                    #expect(response.status == status, "GET \(path) as \(role)")
                    #expect(response.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy, "GET \(path) as \(role)")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
            // Posting an answer: only the tester, only with the form's token.
            for role in ["none", "staff", "official"] {
                let response = try await browsers[role]!.post("/applications/\(mine)", [("level", "interview"), ("date", "2026-04-14")])
                #expect(response.status == (role == "none" ? .unauthorized : .notFound), "POST as \(role)")
            }
            #expect(try await browsers["none"]!.post("/signout", []).status == .unauthorized)
            #expect(try harness.eventCount() == 0)
            // Where each role lands.
            #expect(try await browsers["staff"]!.get("/").headers[.location] == "/staff")
            #expect(try await browsers["official"]!.get("/").headers[.location] == "/published")
        }
    }
}

@Suite("Web: staff and officials")
struct StaffTests {
    @Test("staff see progress per campaign and tester, the overdue answers, and the exports; an answer recorded on the web shows up")
    func dashboard() async throws {
        let harness = try WebHarness()
        let testerToken = try harness.tester(), staffToken = try harness.staff()
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        try await harness.application().test(.router) { client async throws in
            var tester = Browser(client), staff = Browser(client)
            try await tester.signIn(testerToken)
            try await staff.signIn(staffToken)
            let before = try await staff.get("/staff/campaigns/\(harness.campaign)")
            #expect(before.text.contains(target.application), "overdue applications are listed")
            let path = "/applications/\(target.application)"
            let csrf = try await tester.csrf(on: path)
            #expect(try await tester.post(path, [("csrf", csrf), ("level", "interview"), ("date", "2026-04-14")]).status == .seeOther)
            let progress = try harness.ledger.testerProgress(campaign: harness.campaign, now: harness.now)
            let a = try #require(progress.first { $0.tester == WebHarness.testerA })
            #expect(a.answered == 1)
            let after = try await staff.get("/staff/campaigns/\(harness.campaign)")
            #expect(after.text.contains("<td>\(WebHarness.testerA)</td><td class=\"n\">\(a.planned)</td><td class=\"n\">\(a.sent)</td><td class=\"n\">1</td><td class=\"n\">\(a.overdue)</td>"))
            #expect(!after.text.contains("<td>\(target.application)</td>"), "no longer overdue")
            let home = try await staff.get("/staff")
            #expect(home.text.contains(harness.campaign) && home.text.contains(WebHarness.internship.campaign.id))
            let csv = try await staff.get("/staff/campaigns/\(harness.campaign)/applications.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"\(harness.campaign)-applications.csv\"")
            #expect(csv.text == (try harness.ledger.applicationsCSV(campaign: harness.campaign)))
            let events = try await staff.get("/staff/campaigns/\(harness.campaign)/events.csv")
            #expect(events.text.split(separator: "\n").count == 2)
            #expect(events.text.contains("\(target.application),interview,2026-04-14"))
        }
    }

    @Test("staff see a tester's open session with its last use, and end it: the tester's browser is signed out, the link still works")
    func endSession() async throws {
        let harness = try WebHarness()
        let testerToken = try harness.tester(), staffToken = try harness.staff()
        try await harness.application().test(.router) { client async throws in
            var tester = Browser(client), staff = Browser(client)
            try await tester.signIn(testerToken)
            try await staff.signIn(staffToken)
            #expect(try await tester.get("/applications").status == .ok)
            let page = try await staff.get("/staff/campaigns/\(harness.campaign)")
            let sessions = try harness.ledger.openSessions(campaign: harness.campaign, now: harness.now)
            let session = try #require(sessions.first)
            #expect(sessions.count == 1 && session.account.name == WebHarness.testerA && session.lastUsedAt != nil)
            #expect(page.text.contains("action=\"/staff/sessions/\(session.id)/end\""), "\(page.text)")
            let csrf = try await staff.csrf(on: "/staff/campaigns/\(harness.campaign)")
            // Without the form's token: refused, nothing ended.
            #expect(try await staff.post("/staff/sessions/\(session.id)/end", [("campaign", harness.campaign)]).status == .forbidden)
            #expect(try harness.ledger.openSessions(campaign: harness.campaign, now: harness.now).count == 1)
            let ended = try await staff.post("/staff/sessions/\(session.id)/end", [("csrf", csrf), ("campaign", harness.campaign)])
            #expect(ended.status == .seeOther && ended.headers[.location] == "/staff/campaigns/\(harness.campaign)")
            #expect(try harness.ledger.openSessions(campaign: harness.campaign, now: harness.now).isEmpty)
            #expect(try await tester.get("/applications").status == .unauthorized)
            // A tester cannot end sessions.
            var other = Browser(client)
            try await other.signIn(testerToken)
            #expect(try await other.post("/staff/sessions/\(session.id)/end", [("csrf", "x")]).status != .seeOther)
        }
    }

    @Test("the published page serves the newest report of a subject")
    func published() async throws {
        let harness = try WebHarness()
        let official = try harness.staff("Adjointe au maire", official: true)
        try await harness.application().test(.router) { client async throws in
            var browser = Browser(client)
            try await browser.signIn(official)
            #expect(try await browser.get("/published").text.contains("No report has been published yet"))
            _ = try harness.ledger.publish(subject: "barometre-lille", title: "Baromètre 2026", language: "fr", html: "<p>première</p>", simulated: true, by: "test")
            _ = try harness.ledger.publish(subject: "barometre-lille", title: "Baromètre 2026", language: "fr", html: "<p>seconde</p>", simulated: true, by: "test")
            let list = try await browser.get("/published")
            #expect(list.text.contains("/published/barometre-lille?lang=fr"))
            #expect(list.text.contains("SIMULATED"))
            let report = try await browser.get("/published/barometre-lille?lang=fr")
            #expect(report.text == "<p>seconde</p>")
            #expect(try await browser.get("/published/barometre-lille?lang=en").status == .notFound)
        }
    }
}

@Suite("Web: secrets stay out of the logs")
struct LoggingTests {
    @Test("neither sign-in tokens, session cookies, anti-forgery tokens nor notes reach the log")
    func noSecrets() async throws {
        let harness = try WebHarness()
        let token = try harness.tester()
        let target = try #require(try harness.applications().first { $0.stage(now: harness.now) == .overdue })
        let secrets = try await harness.application().test(.router) { client async throws -> [String] in
            var browser = Browser(client)
            try await browser.signIn(token)
            let cookie = String(browser.cookie!.split(separator: "=")[1])
            try await browser.signIn("wrong" + token)
            let path = "/applications/\(target.application)"
            let csrf = try await browser.csrf(on: path)
            _ = try await browser.post(path, [("csrf", csrf), ("level", "interview"), ("date", "2026-04-14"), ("note", "confidential-note-text")])
            return [token, cookie, csrf]
        }
        let log = harness.logs.all
        #expect(log.contains("GET /signin/… 303"))
        #expect(log.contains("POST /applications/\(target.application) 303"))
        for secret in secrets + ["confidential-note-text"] { #expect(!log.contains(secret)) }
    }
}
