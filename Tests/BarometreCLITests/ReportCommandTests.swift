import Foundation
import Testing
import TestSupport

/// `barometre report` end to end: every format, the HTML in a real browser, the PDF's text.
@Suite("barometre report")
struct ReportCommandTests {
    @Test("HTML, Markdown, JSON and PDF; the HTML has no console error in headless Chromium; the PDF carries the headline")
    func formats() throws {
        let (db, folder) = try AnsweredCampaign.make("report")
        var outputs: [String: String] = [:]
        for format in ["html", "md", "json", "pdf"] {
            let path = folder.appendingPathComponent("report.fr.\(format)").path
            let result = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--format", format, "--out", path, "--db", db, "--date", "2026-11-22"])
            #expect(result.status == 0, "\(format): \(result.standardError)")
            outputs[format] = path
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs["json"]!))) as! [String: Any]
        let headlines = try #require(json["headlines"] as? [[String: Any]])
        let first = try #require(headlines.first?["sentence"] as? String)
        #expect(first.hasPrefix("À candidature équivalente, les candidatures « Adresse hors QPV, origine maghrébine » ont reçu 75"))
        let markdown = try String(contentsOfFile: outputs["md"]!, encoding: .utf8)
        #expect(markdown.contains(first))

        // The PDF's first page (pdftotext -l 1) is « L'essentiel »: the headline, what counted
        // as a positive answer, and when the tests were sent.
        let page1 = try Self.run("/usr/bin/pdftotext", ["-l", "1", outputs["pdf"]!, "-"])
        let flattened = page1.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        #expect(flattened.contains("L'essentiel") || flattened.contains("L’essentiel"), "\(flattened.prefix(600))")
        #expect(flattened.contains("ont reçu 75"), "\(flattened.prefix(900))")
        #expect(flattened.contains("réponses positives de moins"))
        #expect(flattened.contains("Réponse positive") && flattened.contains("une invitation à un entretien"), "\(flattened)")
        #expect(flattened.contains("Quand") && flattened.contains("2025"), "\(flattened)")
        #expect(flattened.contains("antidiscriminations.fr") && flattened.contains("39 28"))

        // The HTML in a real browser, on a phone and on a desktop: no console error, no
        // external request, no horizontal scrolling of the page, text ≥ 11 px, axe-core clean;
        // screenshots are kept under results/ for people to look at.
        for (width, height) in [(390, 844), (1280, 800)] {
            let screenshot = Repository.url("results/report-test-screenshot-\(width).png").path
            let check = try Self.run("/usr/bin/env", ["python3", Repository.url("Tests/BarometreCLITests/Browser/check_report.py").path, outputs["html"]!, screenshot,
                                                      String(width), String(height)])
            let browser = try #require(try JSONSerialization.jsonObject(with: Data(check.utf8)) as? [String: Any])
            #expect((browser["errors"] as? [String])?.isEmpty == true, "\(browser["errors"] ?? "")")
            #expect(browser["externalRequests"] as? Int == 0)
            #expect(browser["lang"] as? String == "fr")
            #expect((browser["svgs"] as? Int ?? 0) >= 2)
            #expect((browser["headlines"] as? [String])?.contains(first) == true)
            #expect((browser["essentials"] as? [String])?.count == 2)
            #expect((browser["scrollWidth"] as? Int ?? .max) <= (browser["innerWidth"] as? Int ?? 0), "\(width) px: the page scrolls sideways")
            #expect((browser["smallText"] as? [String])?.isEmpty == true, "\(browser["smallText"] ?? "")")
            #expect(browser["axe"] as? Bool == true, "selenium-axe-python is missing (make deps installs it)")
            #expect((browser["violations"] as? [Any])?.isEmpty == true, "\(width) px: \(browser["violations"] ?? "")")
            #expect(FileManager.default.fileExists(atPath: screenshot))
        }

        // --summary: « L'essentiel » alone.
        let summary = folder.appendingPathComponent("summary.fr.html").path
        #expect(try CommandRunner.run(["report", "--campaign", "campagne-passee", "--summary", "--out", summary, "--db", db, "--date", "2026-11-22"]).status == 0)
        let summaryHTML = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(summaryHTML.contains("class=\"essentiel\"") && !summaryHTML.contains(">Annexe méthodologique<"))
    }

    @Test("simulate: flagged outcomes, idempotent, refused where answers exist; the report is watermarked")
    func simulate() throws {
        let folder = Repository.temporaryFolder("simulate")
        let db = folder.appendingPathComponent("l.sqlite").path
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 30)
        _ = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        let scenario = folder.appendingPathComponent("scenario.json")
        try Data(#"{"description": "test", "outcomes": {"hors-qpv-hexagonale": {"no_response": 0.6, "interview": 0.4}, "hors-qpv-maghrebine": {"no_response": 0.8, "interview": 0.2}, "qpv-hexagonale": {"no_response": 0.7, "offer": 0.3}}, "withinTestCorrelation": 0.3}"#.utf8).write(to: scenario)
        let first = try CommandRunner.run(["simulate", "campagne-passee", "--scenario", scenario.path, "--seed", "3", "--db", db])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.hasPrefix("recorded 90 SIMULATED outcomes"))
        let again = try CommandRunner.run(["simulate", "campagne-passee", "--scenario", scenario.path, "--seed", "3", "--db", db])
        #expect(again.status == 0 && again.standardOutput.contains("nothing was written"))
        let other = try CommandRunner.run(["simulate", "campagne-passee", "--scenario", scenario.path, "--seed", "4", "--db", db])
        #expect(other.status == 65 && other.standardError.contains("already holds 90 answers"))
        let analysis = try CommandRunner.run(["analyze", "--campaign", "campagne-passee", "--db", db, "--format", "json"]).json()
        #expect(analysis["simulated"] as? Bool == true)
        let html = folder.appendingPathComponent("r.html").path
        _ = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--out", html, "--db", db])
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("<title>[SIMULATION — données fictives]") && text.contains("class=\"simulated-banner\""))
        let bad = folder.appendingPathComponent("bad.json")
        try Data(#"{"outcomes": {"hors-qpv-hexagonale": {"no_response": 1}}}"#.utf8).write(to: bad)
        let refused = try CommandRunner.run(["simulate", "campagne-passee", "--scenario", bad.path, "--db", db])
        #expect(refused.status == 65 && refused.standardError.contains("gives no distribution for arm"))
    }

    @Test("report --barometer: a campaign and a study together")
    func barometer() throws {
        let (db, folder) = try AnsweredCampaign.make("report")
        let inter1 = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp/inter1.csv").path
        _ = try CommandRunner.run(["import-study", inter1, "--id", "inter1", "--target", "offer", "--arm", "gender,origin", "--reference", "Man,F",
                                   "--outcome", "callback", "--positive", "TRUE", "--db", db])
        let file = folder.appendingPathComponent("barometre.json")
        try Data(#"{"title": "Baromètre test", "territory": "Ville", "entries": [{"campaign": "campagne-passee"}, {"study": "inter1", "domain": "employment", "criterion": "origine × sexe", "wave": 1}]}"#.utf8).write(to: file)
        let html = folder.appendingPathComponent("b.html").path
        let result = try CommandRunner.run(["report", "--barometer", file.path, "--out", html, "--db", db, "--date", "2026-11-22"])
        #expect(result.status == 0, "\(result.standardError)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("<title>Baromètre test</title>"))
        #expect(text.contains("Emploi — origine × sexe — vague 1") && text.contains("Stage — lieu de résidence × origine — vague 1"))
        let missing = folder.appendingPathComponent("missing.json")
        try Data(#"{"title": "t", "territory": "x", "entries": [{"campaign": "absente"}]}"#.utf8).write(to: missing)
        let refused = try CommandRunner.run(["report", "--barometer", missing.path, "--db", db])
        #expect(refused.status == 65 && refused.standardError.contains("no campaign or study absente"))
    }

    @Test("report refuses what it cannot do", arguments: [
        (["report", "--campaign", "x", "--lang", "de"], 64, "--lang must be fr or en"),
        (["report"], 64, "Give one of --campaign ID, --study ID or --barometer FILE."),
        (["report", "--study", "nothing"], 66, "there is no ledger at"),
    ])
    func errors(arguments: [String], status: Int32, message: String) throws {
        let db = Repository.temporaryFolder("report").appendingPathComponent("l.sqlite").path
        let result = try CommandRunner.run(arguments + ["--db", db])
        #expect(result.status == status)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
