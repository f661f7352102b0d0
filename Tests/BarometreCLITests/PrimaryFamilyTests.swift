import Foundation
import Testing
import TestSupport

/// Issue #19 item 1: the verdict does not move with optional analyses. The same campaign,
/// same plan, same answers, analysed with no slice and with four: the headline sentences and
/// the barometer table are byte-identical; only the exploratory annex grows.
@Suite("primary comparisons: headlines that slices cannot move")
struct PrimaryFamilyTests {
    static func report(_ label: String, slices: [String]) throws -> (json: [String: Any], markdown: String) {
        let (db, folder) = try AnsweredCampaign.make(label, slices: slices)
        var outputs: [String: String] = [:]
        for format in ["json", "md"] {
            let path = folder.appendingPathComponent("report.fr.\(format)").path
            let result = try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--format", format, "--out", path, "--db", db, "--date", "2026-11-22"])
            #expect(result.status == 0, "\(result.standardError)")
            outputs[format] = try String(contentsOfFile: path, encoding: .utf8)
        }
        let json = try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as! [String: Any]
        return (json, outputs["md"]!)
    }

    /// The Markdown from the summary to the end of the barometer table (the definition line).
    static func summaryAndTable(_ markdown: String) -> String {
        let start = markdown.range(of: "## Ce que le testing a mesuré")!.lowerBound
        let end = markdown.range(of: "Discrimination nette : (tests")!.upperBound
        return String(markdown[start..<end])
    }

    @Test("no slice and four slices: identical headlines and barometer table; the slices are exploratory")
    func slicesLeaveHeadlinesAlone() throws {
        let bare = try Self.report("family-bare", slices: [])
        let sliced = try Self.report("family-sliced", slices: ["sector", "city", "channel", "organization"])
        let headlines = { (json: [String: Any]) throws -> Data in
            try JSONSerialization.data(withJSONObject: json["headlines"] as! [[String: Any]], options: [.sortedKeys])
        }
        #expect(try headlines(bare.json) == headlines(sliced.json))
        #expect(Self.summaryAndTable(bare.markdown) == Self.summaryAndTable(sliced.markdown))
        // The sliced run did compute more, all of it exploratory.
        let comparisons = { (json: [String: Any]) -> [[String: Any]] in (json["findings"] as! [String: Any])["comparisons"] as! [[String: Any]] }
        #expect(comparisons(sliced.json).count > comparisons(bare.json).count)
        #expect(comparisons(sliced.json).filter { $0["family"] as? String == "confirmatory" }.count == 2)
        #expect(comparisons(sliced.json).allSatisfy { ($0["slice"] as? [String: Any] ?? [:]).isEmpty || $0["family"] as? String == "exploratory" })
        #expect(sliced.markdown.contains("exploratoires"))
    }
}

/// Issue #19 item 2: staff map a pseudonym back with the ledger; nobody else can.
@Suite("barometre pseudonym")
struct PseudonymCommandTests {
    @Test("--list gives every organization's keyed pseudonym; one maps back to its name; a wrong one is refused")
    func mapBack() throws {
        let (db, _) = try AnsweredCampaign.make("pseudonym")
        let list = try CommandRunner.run(["pseudonym", "--list", "--campaign", AnsweredCampaign.id, "--db", db])
        #expect(list.status == 0, "\(list.standardError)")
        let rows = list.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count == 60 && rows.allSatisfy { $0.count == 2 && $0[0].hasPrefix("O-") && $0[0].count == 8 })
        // Listed by pseudonym: the names come out in an order unrelated to theirs.
        #expect(rows.map { $0[1] } != rows.map { $0[1] }.sorted())
        let (pseudonym, name) = (rows[5][0], rows[5][1])
        let back = try CommandRunner.run(["pseudonym", pseudonym, "--campaign", AnsweredCampaign.id, "--db", db])
        #expect(back.status == 0 && back.standardOutput == name + "\n")
        let wrong = try CommandRunner.run(["pseudonym", "O-000000", "--campaign", AnsweredCampaign.id, "--db", db])
        #expect(wrong.status == 65 && wrong.standardError.contains("no organization of \(AnsweredCampaign.id) has the pseudonym O-000000"))
        // The key is never printed or exported.
        let export = try CommandRunner.run(["export", "--campaign", AnsweredCampaign.id, "--db", db])
        #expect(export.status == 0 && !export.standardOutput.contains("O-"))
    }

    @Test("the public PDF has no organization row under a pseudonymous policy; the staff PDF lists them by pseudonym, never by name")
    func publicAndStaffPDF() throws {
        // Fifteen organizations of four tests each (shown to staff from 3 tests in this campaign).
        let (db, folder) = try AnsweredCampaign.make("audience-pdf", organizations: 15)
        var texts: [String: String] = [:]
        for audience in ["public", "staff"] {
            let path = folder.appendingPathComponent("\(audience).pdf").path
            let result = try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--format", "pdf", "--audience", audience, "--out", path,
                                                "--db", db, "--date", "2026-11-22"])
            #expect(result.status == 0, "\(result.standardError)")
            texts[audience] = try ReportCommandTests.run("/usr/bin/pdftotext", [path, "-"])
        }
        let pseudonyms = try CommandRunner.run(["pseudonym", "--list", "--campaign", AnsweredCampaign.id, "--db", db]).standardOutput
            .split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(pseudonyms.count == 15)
        #expect(!pseudonyms.contains { texts["public"]!.contains($0) }, "a pseudonym is in the public PDF")
        #expect(!texts["public"]!.contains("Organisation "))
        #expect(pseudonyms.filter { texts["staff"]!.contains($0) }.count == 15, "\(texts["staff"]!.prefix(400))")
        #expect(!texts["staff"]!.contains("Organisation 1"))
    }

    @Test("report --audience staff cannot be published")
    func staffNotPublished() throws {
        let (db, folder) = try AnsweredCampaign.make("audience")
        let refused = try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--audience", "staff", "--publish", "--db", db,
                                             "--out", folder.appendingPathComponent("r.html").path])
        #expect(refused.status == 64 && refused.standardError.contains("--publish shows the report to officials"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.html").path))
    }
}

/// Issue #19 item 5: one language at a time.
@Suite("a report in the campaign's other language")
struct TranslationTests {
    @Test("--lang en with the campaign's English translation: no French label; without one, the report says what is untranslated")
    func english() throws {
        let (db, folder) = try AnsweredCampaign.make("translated")
        let path = folder.appendingPathComponent("report.en.md").path
        let result = try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--format", "md", "--lang", "en", "--out", path, "--db", db, "--date", "2026-11-22"])
        #expect(result.status == 0, "\(result.standardError)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# Full test campaign"))
        #expect(text.contains("Label hors-qpv-maghrebine") && text.contains("Origin signalled by the first name"))
        for french in ["Adresse hors QPV", "origine hexagonale", "Campagne de test", "Lieu de résidence", "réponses positives", "une invitation"] {
            #expect(!text.contains(french), "French text in the English report: \(french)")
        }
        #expect(!text.contains("Not translated"))
        // The French report of the same campaign is untouched.
        let fr = folder.appendingPathComponent("report.fr.md").path
        #expect(try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--format", "md", "--out", fr, "--db", db, "--date", "2026-11-22"]).status == 0)
        #expect(try String(contentsOfFile: fr, encoding: .utf8).contains("Adresse hors QPV, origine maghrébine"))
    }
}

/// Issue #19: an imported study states its primary comparisons and its labels at import.
@Suite("import-study --primary and --label")
struct StudyPrimaryTests {
    @Test("the primary arm alone is confirmatory; reports show the labels, never the codes given labels")
    func primaryAndLabels() throws {
        let folder = Repository.temporaryFolder("study-primary")
        let db = folder.appendingPathComponent("l.sqlite").path
        let tepp = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp/inter1.csv").path
        let base = ["import-study", tepp, "--id", "inter1", "--target", "offer", "--arm", "gender,origin", "--reference", "Man,F",
                    "--outcome", "callback", "--positive", "TRUE", "--db", db]
        let wrong = try CommandRunner.run(base + ["--primary", "Woman.X"])
        #expect(wrong.status == 65 && wrong.standardError.contains("Woman.X is not an arm of the file"), "\(wrong.standardError)")
        let imported = try CommandRunner.run(base + ["--primary", "Woman.S", "--label", "Woman.S=Femme, origine sénégalaise", "--label", "Man.F=Homme, origine française"])
        #expect(imported.status == 0, "\(imported.standardError)")
        let findings = try CommandRunner.run(["analyze", "--study", "inter1", "--format", "json", "--db", db]).json()
        let comparisons = try #require(findings["comparisons"] as? [[String: Any]])
        #expect(comparisons.filter { $0["family"] as? String == "confirmatory" }.map { $0["tested"] as? String } == ["Woman.S"])
        let path = folder.appendingPathComponent("r.md").path
        #expect(try CommandRunner.run(["report", "--study", "inter1", "--format", "md", "--out", path, "--db", db]).status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let essentials = String(text[..<text.range(of: "## Ce que le testing a mesuré")!.lowerBound])
        #expect(essentials.contains("Femme, origine sénégalaise") && essentials.contains("Homme, origine française"))
        #expect(!essentials.contains("Woman.S") && !essentials.contains("Man.F"))
        #expect(essentials.contains("Sur 1 comparaison principale"))
    }
}
