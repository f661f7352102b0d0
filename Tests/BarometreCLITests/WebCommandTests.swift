import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `barometre serve`, `testers`, `staff` and `report --publish`, end to end: the real
/// server on loopback, driven by a real browser.
@Suite("barometre serve", .serialized)
struct WebCommandTests {
    static let tester = "Bénévole A (association de parents)"

    /// A past campaign planned in a fresh ledger.
    static func planned(_ label: String) throws -> (db: String, folder: URL) {
        let folder = Repository.temporaryFolder(label)
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 8)
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        return (db, folder)
    }

    /// The link printed by `testers add` / `staff add`.
    static func link(_ result: CommandRunner.Result) -> String? {
        result.standardOutput.split(separator: "\n").first { $0.hasPrefix("http") }.map(String.init)
    }

    @Test("testers and staff: add prints a link once, refuses unknown names and duplicates, list and revoke")
    func accounts() throws {
        let (db, _) = try Self.planned("web-accounts")
        let added = try CommandRunner.run(["testers", "add", Self.tester, "--campaign", "campagne-passee", "--db", db,
                                           "--public-url", "https://barometre.example.org/"])
        #expect(added.status == 0, "\(added.standardError)")
        let link = try #require(Self.link(added))
        #expect(link.hasPrefix("https://barometre.example.org/signin/") && link.count == "https://barometre.example.org/signin/".count + 43)
        let unknown = try CommandRunner.run(["testers", "add", "Inconnu", "--campaign", "campagne-passee", "--db", db])
        #expect(unknown.status == 65)
        #expect(unknown.standardError.contains("assigns no application to \"Inconnu\"") && unknown.standardError.contains(Self.tester))
        let twice = try CommandRunner.run(["testers", "add", Self.tester, "--campaign", "campagne-passee", "--db", db])
        #expect(twice.status == 65 && twice.standardError.contains("--renew"))
        let renewed = try CommandRunner.run(["testers", "add", Self.tester, "--campaign", "campagne-passee", "--renew", "--db", db])
        #expect(renewed.status == 0 && Self.link(renewed) != link)
        #expect(try CommandRunner.run(["staff", "add", "Adjointe", "--official", "--db", db]).status == 0)
        let list = try CommandRunner.run(["testers", "list", "--db", db])
        #expect(list.standardOutput.split(separator: "\n").count == 1 && list.standardOutput.contains("active"))
        #expect(!list.standardOutput.contains(link.split(separator: "/").last!))
        let staff = try CommandRunner.run(["staff", "list", "--db", db])
        #expect(staff.standardOutput.contains("Adjointe\tofficial"))
        // Sessions: none open yet; ending an unknown person's is refused; a past --expires too.
        #expect(try CommandRunner.run(["testers", "sessions", "--db", db]).standardOutput.contains("No open tester session"))
        let ended = try CommandRunner.run(["testers", "end-sessions", Self.tester, "--campaign", "campagne-passee", "--db", db])
        #expect(ended.status == 0 && ended.standardOutput.contains("Ended 0 open sessions"))
        let nobody = try CommandRunner.run(["testers", "end-sessions", "Personne", "--campaign", "campagne-passee", "--db", db])
        #expect(nobody.status == 65 && nobody.standardError.contains("no usable tester link for \"Personne\""))
        let past = try CommandRunner.run(["staff", "add", "Ancien", "--expires", "2001-01-01", "--db", db])
        #expect(past.status == 65 && past.standardError.contains("already past"))
        let badDate = try CommandRunner.run(["staff", "add", "Ancien", "--expires", "31/12/2026", "--db", db])
        #expect(badDate.status == 64 && badDate.standardError.contains("YYYY-MM-DD"))
        #expect(!(try CommandRunner.run(["staff", "list", "--all", "--db", db]).standardOutput.contains("Ancien")))
        let revoked = try CommandRunner.run(["testers", "revoke", Self.tester, "--campaign", "campagne-passee", "--db", db])
        #expect(revoked.status == 0 && revoked.standardOutput.contains("sessions are ended"))
        #expect(try CommandRunner.run(["testers", "list", "--db", db]).standardOutput.contains("No tester has a sign-in link"))
        #expect(try CommandRunner.run(["testers", "list", "--all", "--db", db]).standardOutput.contains("revoked"))
        let missing = try CommandRunner.run(["testers", "add", Self.tester, "--campaign", "x", "--db", db + ".missing"])
        #expect(missing.status == 66 && !FileManager.default.fileExists(atPath: db + ".missing"))
        let badURL = try CommandRunner.run(["staff", "add", "X", "--public-url", "barometre.example.org", "--db", db])
        #expect(badURL.status == 64)
    }

    @Test("report --publish stores the HTML report for officials; the newest one is served")
    func publish() throws {
        let (db, _) = try AnsweredCampaign.make("web-publish")
        let result = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--publish", "--by", "Chargée", "--db", db,
                                            "--out", Repository.temporaryFolder("pub").appendingPathComponent("r.html").path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("published campagne-passee (fr)"))
        let bad = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--by", "X", "--db", db])
        #expect(bad.status == 64 && bad.standardError.contains("add --publish"))
    }

    /// The server on a free loopback port, stopped when `body` returns.
    static func withServer<T>(db: String, _ body: (Int) throws -> T) throws -> T {
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = ["serve", "--port", String(port), "--db", db, "--lang", "fr"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            var ready = false
            for _ in 0..<100 where process.isRunning {
                if Self.responds(port) { ready = true; break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            if ready { return try body(port) }
        }
        throw CocoaError(.featureUnsupported)
    }

    static func responds(_ port: Int) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let answered = LockedFlag()
        let task = URLSession.shared.dataTask(with: URL(string: "http://127.0.0.1:\(port)/")!) { _, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200 { answered.set() }
            done.signal()
        }
        task.resume()
        _ = done.wait(timeout: .now() + 2)
        return answered.value
    }

    @Test("in a real browser at 390 px: a volunteer opens a call test, copies the script, loses the network, and records the answer once")
    func field() throws {
        let folder = Repository.temporaryFolder("web-field")
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let plan = try CommandRunner.run(["plan", Repository.url("Tests/CampaignsTests/Fixtures/phone-housing.json").path,
                                          "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        let campaign = "logement-telephone-amiens-2026"
        try Self.withServer(db: db) { port in
            let tester = try #require(Self.link(try CommandRunner.run(["testers", "add", "Claire (voix A)", "--campaign", campaign, "--db", db])))
            #expect(tester.hasPrefix("http://127.0.0.1:\(port)/signin/"))
            let shots = Repository.url("results/web-test-screenshots").path
            let run = try ReportCommandTests.run("/usr/bin/env", ["python3", Repository.url("Tests/BarometreCLITests/Browser/check_field.py").path, tester, shots])
            let result = try #require(try JSONSerialization.jsonObject(with: Data(run.utf8)) as? [String: Any], "\(run)")
            #expect((result["errors"] as? [String])?.isEmpty == true, "\(result["errors"] ?? "")")
            #expect((result["violations"] as? [String])?.isEmpty == true, "axe-core: \(result["violations"] ?? "")")
            #expect(result["viewportWidth"] as? Int == 390)
            #expect((result["overflow"] as? [String])?.isEmpty == true)
            #expect((result["tabs"] as? [String])?.count == 5 && result["searchBox"] as? Int == 1)
            // The list stays short on a phone: one stage, 15 items at most.
            #expect((result["listed"] as? Int ?? 0) > 0 && (result["listed"] as? Int ?? 99) <= 15)
            #expect((result["telLinks"] as? [String])?.first?.hasPrefix("tel:0322") == true, "\(result["telLinks"] ?? "")")
            #expect((result["script"] as? String)?.contains("Bonjour, je m'appelle") == true)
            #expect(result["copyVisible"] as? Bool == true)
            #expect(result["copyStatus"] as? String == "Copié.", "\(result["copyStatus"] ?? "")")
            #expect((result["offlineMessage"] as? String)?.hasPrefix("Pas de connexion") == true)
            #expect(result["offlineFocused"] as? String == "offline")
            #expect(result["keptNote"] as? String == "Rappel de l'agence, visite samedi" && result["keptLevel"] as? String == "visit_offered")
            #expect(result["stillOnPage"] as? Bool == true)
            #expect(result["notice"] as? String == "Réponse enregistrée.")
            let application = try #require(result["application"] as? String)
            let history = try CommandRunner.run(["history", application, "--campaign", campaign, "--db", db])
            #expect(history.standardOutput.components(separatedBy: "visit_offered").count - 1 == 1, "\(history.standardOutput)")
        }
    }

    @Test("in a real browser: a tester signs in by link, records an answer at phone width; the staff dashboard then shows it")
    func browser() throws {
        let (db, folder) = try Self.planned("web-browser")
        try Self.withServer(db: db) { port in
            let url = "http://127.0.0.1:\(port)"
            // No --public-url: the link points where `serve` runs (its host and port, recorded in the ledger).
            let tester = try #require(Self.link(try CommandRunner.run(["testers", "add", Self.tester, "--campaign", "campagne-passee", "--db", db])))
            #expect(tester.hasPrefix(url + "/signin/"), "\(tester)")
            let staff = try #require(Self.link(try CommandRunner.run(["staff", "add", "Chargée d'études", "--db", db, "--public-url", url])))
            let shots = Repository.url("results/web-test-screenshots").path
            let run = try ReportCommandTests.run("/usr/bin/env", ["python3", Repository.url("Tests/BarometreCLITests/Browser/check_web.py").path,
                                                                  tester, staff, "campagne-passee", shots])
            let result = try #require(try JSONSerialization.jsonObject(with: Data(run.utf8)) as? [String: Any], "\(run)")
            #expect((result["errors"] as? [String])?.isEmpty == true, "\(result["errors"] ?? "")")
            #expect((result["violations"] as? [String])?.isEmpty == true, "axe-core: \(result["violations"] ?? "")")
            #expect(result["sessionRows"] as? Int == 1, "the tester's open session is listed for staff, with its End button")
            #expect(result["testerLanding"] as? String == "/applications")
            #expect(result["tokenInAddressBar"] as? Bool == false)
            #expect(result["cookieHttpOnly"] as? Bool == true)
            #expect(result["cookieSameSite"] as? String == "Strict")
            #expect(result["cookieReadableByScript"] as? Bool == false)
            #expect((result["listed"] as? Int ?? 0) > 0)
            #expect(result["viewportWidth"] as? Int == 360, "a phone-sized viewport")
            #expect(result["boldInjected"] as? Int == 0, "the note's markup is shown as text, never interpreted")
            #expect(result["overflowList"] as? Bool == false, "the list fits 360 px")
            #expect(result["overflowForm"] as? Bool == false, "the form fits 360 px")
            #expect((result["choiceHeight"] as? Int ?? 0) >= 44, "touch targets at least 44 px high")
            #expect((result["saveButtonWidth"] as? Int ?? 0) >= 280)
            #expect(result["notice"] as? String == "Réponse enregistrée.")
            #expect(result["historyNote"] as? Bool == true, "the note is shown as text")
            #expect(result["staffLanding"] as? String == "/staff")
            #expect(result["staffPage"] as? String == "/staff/campaigns/campagne-passee")
            let rows = try #require(result["testerRows"] as? [[String]])
            let row = try #require(rows.first { $0.first == Self.tester })
            #expect(row[3] == "1", "the staff dashboard counts the answer: \(row)")
            // And the ledger holds it, recorded from the web by the tester.
            let application = try #require(result["application"] as? String)
            let history = try CommandRunner.run(["history", application, "--campaign", "campagne-passee", "--db", db, "--format", "json"])
            #expect(history.standardOutput.contains("\"source\": \"web\"") || history.standardOutput.contains("\"source\":\"web\""), "\(history.standardOutput)")
            #expect(history.standardOutput.contains(Self.tester))
        }
        _ = folder
    }
}

/// A flag set from another thread.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}
