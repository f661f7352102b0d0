import Foundation
import Testing
import TestSupport

/// The organizations' report card and evidence files end to end, on the shipped example of
/// 30 letting agencies × 16 tests with simulated, heterogeneous discrimination
/// (campaigns/housing-agencies-lille-2026.json and its scenario).
@Suite("Report card and evidence files")
struct ReportCardCommandTests {
    static let id = "logement-agences-lille-2026"

    /// The example campaign (optionally with another publication policy), planned and
    /// simulated in a fresh ledger.
    static func agencies(_ label: String, publication: [String: Any]? = nil) throws -> (db: String, folder: URL) {
        let folder = Repository.temporaryFolder(label)
        let db = folder.appendingPathComponent("l.sqlite").path
        var campaign = Repository.url("campaigns/housing-agencies-lille-2026.json").path
        if let publication {
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: campaign))) as! [String: Any]
            object["publication"] = publication
            let copy = folder.appendingPathComponent("housing-agencies-lille-2026.json")
            try JSONSerialization.data(withJSONObject: object).write(to: copy)
            try FileManager.default.copyItem(at: Repository.url("campaigns/housing-agencies-lille-2026.targets.csv"),
                                             to: folder.appendingPathComponent("housing-agencies-lille-2026.targets.csv"))
            campaign = copy.path
        }
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        let simulated = try CommandRunner.run(["simulate", id, "--scenario", Repository.url("campaigns/scenarios/housing-agencies-lille-2026.scenario.json").path,
                                               "--seed", "2026", "--db", db])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        return (db, folder)
    }

    @Test("analyze: the report card in JSON, the table and CSV; grading options and their errors")
    func analyze() throws {
        let (db, _) = try Self.agencies("report-card")
        let json = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db, "--format", "json"]).json()
        #expect(json["simulated"] as? Bool == true)
        let cards = try #require((json["organizations"] as? [String: Any])?["reportCard"] as? [[String: Any]])
        #expect(cards.count == 1)
        let card = cards[0]
        let rows = try #require(card["rows"] as? [[String: Any]])
        #expect(rows.count == 30)
        let grades = try #require(card["grades"] as? [String: Any])
        #expect(grades["lambda"] as? Double == 0.25)
        #expect(grades["provenOptimal"] as? Bool == true)
        let count = try #require(grades["count"] as? Int)
        #expect(count >= 2)
        // Letters A.. for the grades used; grade and Condorcet rank agree in direction.
        let letters = Set(rows.compactMap { $0["grade"] as? String })
        #expect(letters == Set((0..<count).map { String(UnicodeScalar(UInt8(65 + $0))) }))
        for a in rows { for b in rows where (a["gradeFromTop"] as! Int) < (b["gradeFromTop"] as! Int) {
            #expect((a["condorcetRank"] as! Int) <= (b["condorcetRank"] as! Int))
        } }
        let prior = try #require(card["prior"] as? [String: Any])
        let mass = try #require(prior["mass"] as? [Double])
        #expect(mass.count == 1000 && abs(mass.reduce(0, +) - 1) < 1e-9)
        #expect(card["nullShare"] is Double && card["concentration"] is Double && card["sd"] is Double)

        // λ = 0: one grade; a DR bound instead of λ.
        let one = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db, "--format", "json", "--grades-lambda", "0"]).json()
        let oneCard = try #require(((one["organizations"] as? [String: Any])?["reportCard"] as? [[String: Any]])?.first)
        #expect((oneCard["grades"] as? [String: Any])?["count"] as? Int == 1)
        let dr = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db, "--format", "json", "--grades-dr", "0.05"]).json()
        let drGrades = try #require((((dr["organizations"] as? [String: Any])?["reportCard"] as? [[String: Any]])?.first)?["grades"] as? [String: Any])
        #expect(drGrades["discordanceRate"] as? Double == 0.05)

        // The table and the CSV of graded organizations.
        let table = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db])
        #expect(table.status == 0 && table.standardOutput.contains("Report card, hexagonale-hors-qpv vs maghrebine-hors-qpv: 30 organizations"))
        let csv = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db, "--format", "csv", "--report-card"])
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(csv.status == 0 && lines.count == 31)
        #expect(lines.first == "reference,tested,organization,name,tests,estimate,standard_error,standard_error_pooled,posterior_mean,credible_low,credible_high,condorcet_rank,grade,grade_from_top,grades")

        // Mistakes are usage errors that say how to fix them.
        for (arguments, message) in [(["--grades-lambda", "0.5", "--grades-dr", "0.1"], "not both"), (["--grades-lambda", "2"], "between 0"),
                                     (["--grades-dr", "0"], "--grades-dr must lie in (0, 1]"), (["--report-card"], "use it with --format csv")] {
            let refused = try CommandRunner.run(["analyze", "--campaign", Self.id, "--db", db] + arguments)
            #expect(refused.status == 64 && refused.standardError.contains(message), "\(arguments): \(refused.standardError)")
        }
    }

    @Test("reports: the staff report grades every organization by pseudonym, each grade visible without scrolling; the public one only the distribution; both pass axe-core at 390 px and desktop")
    func reports() throws {
        let (db, folder) = try Self.agencies("report-card-report")
        let staff = folder.appendingPathComponent("staff.html").path, publicReport = folder.appendingPathComponent("public.html").path
        #expect(try CommandRunner.run(["report", "--campaign", Self.id, "--audience", "staff", "--out", staff, "--db", db, "--date", "2026-11-30"]).status == 0)
        #expect(try CommandRunner.run(["report", "--campaign", Self.id, "--out", publicReport, "--db", db, "--date", "2026-11-30"]).status == 0)
        let staffHTML = try String(contentsOfFile: staff, encoding: .utf8), publicHTML = try String(contentsOfFile: publicReport, encoding: .utf8)
        #expect(staffHTML.contains("<h2 id=\"report-card\">Bulletin des organisations</h2>"))
        #expect(staffHTML.contains("les organisations les plus susceptibles de discriminer"))
        #expect(staffHTML.contains("id=\"report-card-title\""))
        #expect(staffHTML.components(separatedBy: "<td><strong>").count - 1 == 30, "one table row per graded organization")
        #expect(publicHTML.contains("Bulletin des organisations") && publicHTML.contains("Seule la distribution est publiée"))
        #expect(!publicHTML.contains("O-") , "the public report prints no pseudonym")
        // The grading choice reaches the report: λ = 0 is one grade.
        let one = folder.appendingPathComponent("one.html").path
        #expect(try CommandRunner.run(["report", "--campaign", Self.id, "--audience", "staff", "--grades-lambda", "0", "--out", one, "--db", db]).status == 0)
        #expect(try String(contentsOfFile: one, encoding: .utf8).contains("Une seule note"))
        for (path, label) in [(staff, "staff"), (publicReport, "public")] {
            for (width, height) in [(390, 844), (1280, 800)] {
                let screenshot = Repository.url("results/report-card-\(label)-\(width).png").path
                let check = try ReportCommandTests.run("/usr/bin/env", ["python3", Repository.url("Tests/BarometreCLITests/Browser/check_report.py").path, path, screenshot,
                                                                        String(width), String(height)])
                let browser = try #require(try JSONSerialization.jsonObject(with: Data(check.utf8)) as? [String: Any])
                #expect((browser["errors"] as? [String])?.isEmpty == true, "\(browser["errors"] ?? "")")
                #expect((browser["scrollWidth"] as? Int ?? .max) <= (browser["innerWidth"] as? Int ?? 0), "\(label) \(width) px scrolls sideways")
                #expect(browser["axe"] as? Bool == true)
                #expect((browser["violations"] as? [Any])?.isEmpty == true, "\(label) \(width) px: \(browser["violations"] ?? "")")
                if label == "staff" {
                    // The chart scrolls sideways on a phone; every grade is seen before scrolling.
                    #expect(browser["reportCardGradesVisible"] as? Bool == true, "staff \(width) px: a grade letter is off-screen")
                }
            }
        }
    }

    @Test("evidence: every test and answer of one organization; responses are appended, checked, and shown beside a named organization in the public report")
    func evidence() throws {
        // Named organizations, every one meeting the bar (for the test: q ≤ 1).
        let (db, folder) = try Self.agencies("evidence", publication: ["organizations": "named", "minimumCellSize": 5,
                                                                       "naming": ["maxQValue": 1.0, "minTests": 10]])
        let list = try CommandRunner.run(["pseudonym", "--list", "--campaign", Self.id, "--db", db]).standardOutput.split(separator: "\n")
        let first = try #require(list.first?.split(separator: "\t").map(String.init))
        let (pseudonym, name) = (first[0], first[1])
        let out = folder.appendingPathComponent("evidence").path
        let written = try CommandRunner.run(["evidence", "--campaign", Self.id, "--organization", pseudonym, "--out", out, "--format", "html", "--db", db, "--date", "2026-11-30"])
        #expect(written.status == 0, "\(written.standardError)")
        let file = "\(out)/evidence-\(pseudonym).fr.html"
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("Dossier de preuves — \(name)"))
        #expect(html.contains("Chaque test (16)"))
        #expect(html.components(separatedBy: "<h3>T").count - 1 == 16)
        #expect(html.contains("Aucune réponse au dossier"))
        #expect(html.contains("Bulletin (") && html.contains("rang de Condorcet"))
        // By name as well as by pseudonym.
        #expect(try CommandRunner.run(["evidence", "--campaign", Self.id, "--organization", name, "--out", out, "--format", "html", "--db", db]).status == 0)

        // Responses: checked, appended, never replacing.
        let response = folder.appendingPathComponent("reponse.txt")
        try Data("Nous contestons les résultats du test T0001.\nDeuxième ligne.".utf8).write(to: response)
        let badDate = try CommandRunner.run(["evidence", "--respond", "--campaign", Self.id, "--organization", pseudonym, "--response-file", response.path,
                                             "--received", "2026-02-30", "--by", "Service", "--db", db])
        #expect(badDate.status == 65 && badDate.standardError.contains("is not a date"), "\(badDate.standardError)")
        let missing = try CommandRunner.run(["evidence", "--respond", "--campaign", Self.id, "--organization", pseudonym, "--response-file", response.path, "--db", db])
        #expect(missing.status == 64 && missing.standardError.contains("--received"))
        let unknown = try CommandRunner.run(["evidence", "--campaign", Self.id, "--organization", "O-ZZZZZZ", "--db", db])
        #expect(unknown.status == 65 && unknown.standardError.contains("pseudonym --list"))
        for day in ["2026-11-28", "2026-12-02"] {
            let recorded = try CommandRunner.run(["evidence", "--respond", "--campaign", Self.id, "--organization", pseudonym, "--response-file", response.path,
                                                  "--received", day, "--by", "Service égalité", "--db", db])
            #expect(recorded.status == 0, "\(recorded.standardError)")
        }
        _ = try CommandRunner.run(["evidence", "--campaign", Self.id, "--organization", pseudonym, "--out", out, "--format", "html", "--db", db])
        let again = try String(contentsOfFile: file, encoding: .utf8)
        #expect(again.contains("Reçue le 2026-11-28") && again.contains("Reçue le 2026-12-02"))
        #expect(again.contains("Nous contestons les résultats du test T0001.<br>Deuxième ligne."))

        // The public report names the organizations (the bar is met) and says whose response is on file.
        let publicReport = folder.appendingPathComponent("public.html").path
        #expect(try CommandRunner.run(["report", "--campaign", Self.id, "--out", publicReport, "--db", db]).status == 0)
        let text = try String(contentsOfFile: publicReport, encoding: .utf8)
        #expect(text.contains("<th scope=\"row\">\(name)</th><td><strong>"))
        #expect(text.components(separatedBy: "<td>au dossier</td>").count - 1 == 1)

        // The evidence file in a real browser: axe-core clean at both sizes.
        for (width, height) in [(390, 844), (1280, 800)] {
            let check = try ReportCommandTests.run("/usr/bin/env", ["python3", Repository.url("Tests/BarometreCLITests/Browser/check_report.py").path, file,
                                                                    Repository.url("results/evidence-\(width).png").path, String(width), String(height)])
            let browser = try #require(try JSONSerialization.jsonObject(with: Data(check.utf8)) as? [String: Any])
            #expect((browser["violations"] as? [Any])?.isEmpty == true, "evidence \(width) px: \(browser["violations"] ?? "")")
            #expect((browser["scrollWidth"] as? Int ?? .max) <= (browser["innerWidth"] as? Int ?? 0), "evidence \(width) px scrolls sideways")
        }
    }

    @Test("stats report-card: estimates or paired tables from a CSV file; bad files are refused with the line and a hint")
    func statsReportCard() throws {
        let folder = Repository.temporaryFolder("stats-report-card")
        // The drrank fixture's first case, as estimates: the same grades as the reference.
        let url = Repository.url("Tests/StatsTests/Fixtures/report-card-reference.json")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let first = (reference["cases"] as! [[String: Any]])[0]
        let estimates = first["estimates"] as! [Double], errors = first["standardErrors"] as! [Double]
        var csv = "organization,estimate,standard_error\n"
        for i in estimates.indices { csv += "org\(i),\(estimates[i]),\(errors[i])\n" }
        let file = folder.appendingPathComponent("orgs.csv")
        try Data(csv.utf8).write(to: file)
        let result = try CommandRunner.run(["stats", "report-card", file.path, "--grades-lambda", "0.5", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(try result.json()["rows"] as? [[String: Any]])
        let expected = ((first["grades"] as! [String: Any])["lambda=0.5"] as! [String: Any])["grades"] as! [Int]
        #expect(rows.map { $0["gradeFromTop"] as! Int } == expected)
        // Paired tables.
        let tables = folder.appendingPathComponent("tables.csv")
        try Data("organization,both,reference_only,tested_only,neither\na,2,6,0,4\nb,3,4,1,4\nc,2,3,1,6\nd,4,2,2,4\ne,1,1,1,9\nf,1,7,0,4\n".utf8).write(to: tables)
        let fromTables = try CommandRunner.run(["stats", "report-card", tables.path])
        #expect(fromTables.status == 0 && fromTables.standardOutput.contains("6 organizations"), "\(fromTables.standardError)")
        // Refusals.
        for (content, message) in [("organization,estimate\na,0.1\n", "needs estimate and standard_error"),
                                   ("organization,estimate,standard_error\na,0.1,0.05\nb,x,0.05\nc,0.2,0.1\n", "line 3: estimate \"x\" is not a number"),
                                   ("organization,estimate,standard_error\na,0.1,0\nb,0.2,0.05\nc,0.2,0.1\n", "line 2: standard_error \"0\" is not a positive number"),
                                   ("organization,estimate,standard_error\na,0.1,0.05\n", "a report card needs several"),
                                   ("organization,estimate,standard_error\n\"a,0.1,0.05\n", "a quoted field is not closed")] {
            let bad = folder.appendingPathComponent("bad.csv")
            try Data(content.utf8).write(to: bad)
            let refused = try CommandRunner.run(["stats", "report-card", bad.path])
            #expect(refused.status == 65 && refused.standardError.contains(message), "\(refused.standardError)")
        }
    }
}
