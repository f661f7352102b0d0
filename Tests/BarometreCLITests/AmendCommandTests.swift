import Foundation
import Testing
import TestSupport

/// `barometre amend` (issue #14 item 5): non-design fields change after answers, as a
/// recorded amendment; design changes stay refused, each with its reason, nothing written.
@Suite("barometre amend")
struct AmendCommandTests {
    /// A planned campaign with 2 answers, and a function writing a changed copy of its file.
    struct Planned {
        let folder: URL
        let db: String
        let file: String

        init() throws {
            folder = Repository.temporaryFolder("amend")
            db = folder.appendingPathComponent("ledger.sqlite").path
            file = try LedgerCommandTests.pastCampaign(in: folder, targets: 6)
            let plan = try CommandRunner.run(["plan", file, "--out", folder.appendingPathComponent("plan").path, "--db", db])
            #expect(plan.status == 0, "\(plan.standardError)")
            for application in ["T0001-1", "T0001-2"] {
                let recorded = try CommandRunner.run(["record", "--application", application, "--outcome", "refusal", "--at", "2025-07-01", "--by", "Amina", "--db", db])
                #expect(recorded.status == 0, "\(recorded.standardError)")
            }
        }

        /// Writes the campaign file with `change` applied; returns its path.
        func amended(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
            var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
            change(&json)
            let url = folder.appendingPathComponent(name)
            try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: url)
            return url.path
        }

        /// What the ledger holds of the campaign: every event, the applications, the status.
        func contents() throws -> String {
            try ["export --events", "export", "status --format json"].map { command in
                try CommandRunner.run(command.split(separator: " ").map(String.init) + ["--db", db] + (command.hasPrefix("export") ? ["--campaign", "campagne-passee"] : []))
                    .standardOutput
            }.joined(separator: "\n")
        }
    }

    @Test("a longer response window after answers: recorded with who and the diff, listed by status and in the methods annex; plan unchanged")
    func responseWindow() throws {
        let planned = try Planned()
        let file = try planned.amended("longer.json") { json in
            var design = json["design"] as! [String: Any]
            design["responseWindowDays"] = 45
            json["design"] = design
            var analysis = json["analysis"] as! [String: Any]
            analysis["level"] = 0.9
            json["analysis"] = analysis
        }
        let before = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", planned.db])
        let dry = try CommandRunner.run(["amend", file, "--dry-run", "--db", planned.db])
        #expect(dry.status == 0, "\(dry.standardError)")
        #expect(dry.standardOutput.contains("$.design.responseWindowDays: 21 → 45") || dry.standardOutput.contains("$.design.responseWindowDays:"))
        let noName = try CommandRunner.run(["amend", file, "--db", planned.db])
        #expect(noName.status == 64 && noName.standardError.contains("--by NAME"))
        let amend = try CommandRunner.run(["amend", file, "--by", "Chargée d'études", "--db", planned.db])
        #expect(amend.status == 0, "\(amend.standardError)")
        #expect(amend.standardOutput.contains("2 answers recorded before it"))
        #expect(amend.standardOutput.contains("$.design.responseWindowDays") && amend.standardOutput.contains("→ 45"))
        #expect(amend.standardOutput.contains("$.analysis.level: 0.95 → 0.9"))
        // Nothing else changed: the applications and answers export identically.
        let after = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", planned.db])
        #expect(after.standardOutput == before.standardOutput)
        // Planning the amended file is "unchanged"; amending it again finds nothing to do.
        let replan = try CommandRunner.run(["plan", file, "--out", planned.folder.appendingPathComponent("plan").path, "--db", planned.db])
        #expect(replan.status == 0 && replan.standardOutput.contains("unchanged"), "\(replan.standardError)")
        let again = try CommandRunner.run(["amend", file, "--by", "X", "--db", planned.db])
        #expect(again.status == 0 && again.standardOutput.contains("nothing to amend"))
        // status lists it; the report's methods annex states it (staff: with who).
        let status = try CommandRunner.run(["status", "--db", planned.db])
        #expect(status.standardOutput.contains("amended") && status.standardOutput.contains("Chargée d'études") && status.standardOutput.contains("→ 45"))
        let json = try CommandRunner.run(["status", "--db", planned.db, "--format", "json"])
        #expect(json.standardOutput.contains("\"amendedBy\" : \"Chargée d'études\"") || json.standardOutput.contains("\"amendedBy\": \"Chargée d'études\""))
        let report = planned.folder.appendingPathComponent("report.md").path
        let written = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--format", "md", "--audience", "staff", "--out", report, "--db", planned.db])
        #expect(written.status == 0, "\(written.standardError)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains("Modification de la campagne enregistrée le") && text.contains("par Chargée d'études, après 2 réponses"))
        #expect(text.contains("délai de réponse (jours) (") && text.contains("→ 45)"))
        let publicReport = planned.folder.appendingPathComponent("public.md").path
        _ = try CommandRunner.run(["report", "--campaign", "campagne-passee", "--format", "md", "--out", publicReport, "--db", planned.db])
        let publicText = try String(contentsOfFile: publicReport, encoding: .utf8)
        #expect(publicText.contains("Modification de la campagne enregistrée le") && !publicText.contains("Chargée d'études"))
    }

    @Test("design changes are refused, each with its reason; nothing is written", arguments: [
        ("identity", "applications were sent under these identities"),
        ("gap", "the plan (order, schedule, testers, seed) was drawn from the design"),
        ("scale", "answers were recorded on this scale and threshold"),
        ("targets file", "the tests were drawn for these targets"),
    ])
    func refused(change: String, reason: String) throws {
        let planned = try Planned()
        let before = try planned.contents()
        let file = try planned.amended("changed.json") { json in
            switch change {
            case "identity":
                var arms = json["arms"] as! [[String: Any]]
                var identities = arms[0]["identities"] as! [[String: Any]]
                identities[0]["firstName"] = "Autre"
                arms[0]["identities"] = identities
                json["arms"] = arms
            case "gap":
                var design = json["design"] as! [String: Any]
                design["gapHours"] = ["min": 1, "max": 30]
                json["design"] = design
            case "scale":
                json["outcomes"] = ["positiveThreshold": "information_request"]
            default:
                json["title"] = json["title"]
            }
        }
        if change == "targets file" {
            let csv = planned.folder.appendingPathComponent("targets.csv")
            try (String(contentsOf: csv, encoding: .utf8) + "C99,Organisation 99,secteur 1,Lille,letter\n").write(to: csv, atomically: true, encoding: .utf8)
        }
        let amend = try CommandRunner.run(["amend", file, "--by", "X", "--db", planned.db])
        #expect(amend.status == 65, "\(amend.standardOutput)")
        #expect(amend.standardError.contains("cannot be amended") && amend.standardError.contains(reason), "\(amend.standardError)")
        #expect(amend.standardError.contains("nothing was written"))
        #expect(try planned.contents() == before)
        let status = try CommandRunner.run(["status", "--db", planned.db])
        #expect(!status.standardOutput.contains("amended"))
    }
}
