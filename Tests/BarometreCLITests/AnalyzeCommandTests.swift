import Foundation
import Testing
import TestSupport

/// A campaign planned, recorded and analysed through the command line, end to end.
@Suite("barometre analyze")
struct AnalyzeCommandTests {
    @Test("plan → import outcomes → analyze: the findings are those of the recorded answers")
    func endToEnd() throws {
        // Given a campaign of 60 tests, planned and answered (AnsweredCampaign),
        let (db, _) = try AnsweredCampaign.make("analyze")
        // When the campaign is analysed,
        let result = try CommandRunner.run(["analyze", "--campaign", "campagne-passee", "--db", db, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try result.json()
        // Then the findings follow the contract and the recorded answers.
        #expect(json["schema"] as? String == "barometre.findings/1")
        #expect((json["source"] as? [String: String]) == ["kind": "campaign", "id": "campagne-passee"])
        #expect(json["pending"] as? Int == 0)
        let comparisons = try #require(json["comparisons"] as? [[String: Any]])
        let whole = comparisons.filter { ($0["slice"] as? [String: Any])?.isEmpty == true }
        #expect(whole.count == 2)
        let first = whole[0]
        #expect(first["reference"] as? String == "hors-qpv-hexagonale")
        #expect(first["tests"] as? Int == 60)
        #expect((first["table"] as? [String: Int]) == ["both": 10, "referenceOnly": 30, "testedOnly": 0, "neither": 20])
        for key in ["rates", "difference", "ratio", "oddsRatio", "net", "discordant", "significance", "applicationRates", "chiSquare",
                    "regression", "independent", "adjusted", "patterns"] {
            #expect(first[key] != nil && !(first[key] is NSNull), "missing \(key)")
        }
        let regression = try #require(first["regression"] as? [String: Any])
        expectClose(regression["estimate"] as? Double, 30.0 / 60.0, relativeTolerance: 1e-9)
        #expect((regression["variant"] as? String)?.contains("sandwich::vcovCL") == true)
        // Slices (the campaign's analysis.slices: sector, district), stratified results,
        // ordinal stages (5-level scale), the send-order check and organizations are present.
        #expect(comparisons.count > 2)
        #expect((json["stratified"] as? [Any])?.isEmpty == false)
        let ordinal = try #require((json["ordinal"] as? [[String: Any]])?.first)
        #expect((ordinal["stages"] as? [Any])?.count == 4)
        #expect(((json["checks"] as? [String: Any])?["sendOrder"] as? [Any])?.isEmpty == false)
        let organizations = try #require(json["organizations"] as? [String: Any])
        #expect(organizations["tests"] is [Any])
        #expect(organizations["reportCard"] is [Any])

        // The table and CSV forms of the same findings.
        let table = try CommandRunner.run(["analyze", "--campaign", "campagne-passee", "--db", db])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("hors-qpv-hexagonale vs hors-qpv-maghrebine  all                  60  0.667  0.167   0.500"))
        let csvOut = try CommandRunner.run(["analyze", "--campaign", "campagne-passee", "--db", db, "--format", "csv"])
        #expect(csvOut.standardOutput.split(separator: "\n").count == 1 + comparisons.count)
    }

    @Test("analyze explains what it cannot do", arguments: [
        (["analyze"], 64, "Give --campaign ID or --study ID."),
        (["analyze", "--study", "nothing"], 66, "there is no ledger at"),
        (["analyze", "--study", "x", "--level", "2"], 64, "--level must lie strictly between 0 and 1"),
    ])
    func errors(arguments: [String], status: Int32, message: String) throws {
        let db = Repository.temporaryFolder("analyze").appendingPathComponent("l.sqlite").path
        let result = try CommandRunner.run(arguments + ["--db", db])
        #expect(result.status == status)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("a call campaign's tester check groups tests by tester pair (the reference's tester, the tested one's)")
    func testerPairs() throws {
        let folder = Repository.temporaryFolder("analyze-pairs")
        let db = folder.appendingPathComponent("ledger.sqlite").path
        #expect(try CommandRunner.run(["plan", Repository.url("Tests/CampaignsTests/Fixtures/phone-housing.json").path, "--out",
                                       folder.appendingPathComponent("plan").path, "--db", db]).status == 0)
        let simulated = try CommandRunner.run(["simulate", "logement-telephone-amiens-2026", "--scenario",
                                               Repository.url("campaigns/scenarios/housing-origin-residence-lille-2026.scenario.json").path, "--db", db])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        let analysis = try CommandRunner.run(["analyze", "--campaign", "logement-telephone-amiens-2026", "--format", "json", "--db", db])
        let checks = try #require(try analysis.json()["checks"] as? [String: Any])
        let testers = try #require(checks["testers"] as? [[String: Any]])
        #expect(!testers.isEmpty)
        for check in testers {
            #expect((check["test"] as? [String: Any])?["method"] as? String == "Pearson χ² across tester pairs")
            // Reference arm hexagonale-hors-qpv is played by 3 testers; its tested arms by 3 (hexagonale) or 3 (maghrebine).
            #expect((check["groups"] as? Int ?? 0) >= 2 && (check["groups"] as? Int ?? 99) <= 9)
        }
        let text = try CommandRunner.run(["analyze", "--campaign", "logement-telephone-amiens-2026", "--db", db])
        #expect(text.standardOutput.contains("tester pairs, homogeneity p ="))
    }

    @Test("a declared placebo arm: compared with the reference as the placebo, never as a finding")
    func declaredPlacebo() throws {
        let folder = Repository.temporaryFolder("analyze-placebo")
        let db = folder.appendingPathComponent("ledger.sqlite").path
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Repository.url("campaigns/housing-origin-residence-lille-2026.json"))) as! [String: Any]
        var arms = json["arms"] as! [[String: Any]]
        var copy = arms[0]
        copy["id"] = "hexagonale-hors-qpv-bis"
        copy["label"] = "Copie du profil de référence"
        copy["role"] = "placebo"
        copy["identities"] = (copy["identities"] as! [[String: Any]]).map { identity -> [String: Any] in
            var changed = identity
            changed["lastName"] = "\(identity["lastName"]!)-Bis"
            changed["email"] = "bis.\(identity["email"]!)"
            return changed
        }
        arms.append(copy)
        json["arms"] = arms
        var templates = json["templates"] as! [[String: Any]]
        var extra = templates[0]
        extra["id"] = "cinquieme"
        extra["body"] = "Madame, Monsieur,\n\n" + (extra["body"] as! String)
        templates.append(extra)
        json["templates"] = templates
        json["targets"] = ["file": Repository.url("campaigns/housing-origin-residence-lille-2026.targets.csv").path]
        let campaign = folder.appendingPathComponent("placebo.json")
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: campaign)
        var scenario = try JSONSerialization.jsonObject(with: Data(contentsOf: Repository.url("campaigns/scenarios/housing-origin-residence-lille-2026.scenario.json"))) as! [String: Any]
        var outcomes = scenario["outcomes"] as! [String: Any]
        outcomes["hexagonale-hors-qpv-bis"] = outcomes["hexagonale-hors-qpv"]
        scenario["outcomes"] = outcomes
        let scenarioFile = folder.appendingPathComponent("scenario.json")
        try JSONSerialization.data(withJSONObject: scenario).write(to: scenarioFile)
        let planned = try CommandRunner.run(["plan", campaign.path, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(planned.status == 0, "\(planned.standardError)")
        // A registered plan: the placebo arm is not a primary comparison it announced.
        #expect(try CommandRunner.run(["preregister", campaign.path, "--by", "X", "--out", folder.appendingPathComponent("plan-doc").path, "--db", db]).status == 0)
        #expect(try CommandRunner.run(["simulate", "logement-origine-residence-lille-2026", "--scenario", scenarioFile.path, "--db", db]).status == 0)
        let findings = try CommandRunner.run(["analyze", "--campaign", "logement-origine-residence-lille-2026", "--format", "json", "--db", db]).json()
        #expect((findings["preregistration"] as? [String: Any])?["followed"] as? Bool == true, "\(findings["preregistration"] ?? "")")
        let placebo = try #require(findings["placebo"] as? [String: Any])
        #expect(placebo["arm"] as? String == "hexagonale-hors-qpv-bis" && placebo["tests"] as? Int == 60)
        #expect((placebo["design"] as? String)?.contains("declared placebo arm") == true)
        let comparisons = try #require(findings["comparisons"] as? [[String: Any]])
        #expect(!comparisons.contains { $0["tested"] as? String == "hexagonale-hors-qpv-bis" })
        let primary = ((findings["multiplicity"] as? [String: Any])?["confirmatory"] as? [String: Any])?["primary"] as? [String]
        #expect(primary?.contains("hexagonale-hors-qpv-bis") == false && primary?.count == 3)
        // A placebo arm that signals something else is refused by validate.
        arms[arms.count - 1]["signals"] = (arms[1]["signals"] as! [String: Any])
        json["arms"] = arms
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: campaign)
        let invalid = try CommandRunner.run(["validate", campaign.path])
        #expect(invalid.status == 65 && invalid.standardError.contains("a placebo arm must signal what the reference arm signals"))
    }
}
