import Foundation
import Testing
import TestSupport

/// `barometre validate`, `plan` and `schema` end to end.
@Suite("barometre validate, plan and schema")
struct CampaignCommandTests {
    let examples = ["employment-origin-lille-2026", "housing-origin-residence-lille-2026", "internship-residence-origin-lille-2026"]
        .map { Repository.url("campaigns/\($0).json").path }

    @Test("the three examples validate: exit 0 and a one-line summary each")
    func validExamples() throws {
        let result = try CommandRunner.run(["validate"] + examples)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasSuffix("valid — campaign emploi-origine-lille-2026 (employment, wave 1, fictitious targets): 3 arms, 100 targets, 300 applications"))
    }

    @Test("an invalid file: every problem on stderr with its path and hint, exit 65")
    func invalid() throws {
        let result = try CommandRunner.run(["validate", Repository.url("Tests/CampaignsTests/Fixtures/twenty-mistakes.json").path])
        #expect(result.status == 65)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.components(separatedBy: "\nerror: ").count == 20)
        #expect(result.standardError.contains("$.domian: unknown key \"domian\"\n  hint: did you mean \"domain\"?"))
        #expect(result.standardError.hasSuffix("twenty-mistakes.json: 20 problems found\n"))
    }

    @Test("validate --format json lists the issues")
    func invalidJSON() throws {
        let result = try CommandRunner.run(["validate", "--format", "json", Repository.url("Tests/CampaignsTests/Fixtures/twenty-mistakes.json").path])
        #expect(result.status == 65)
        let files = try #require(try result.json()["files"] as? [[String: Any]])
        #expect((files[0]["issues"] as? [Any])?.count == 20)
        #expect(files[0]["valid"] as? Bool == false)
    }

    @Test("a missing file: exit 66")
    func missing() throws {
        let result = try CommandRunner.run(["validate", "/nonexistent/campaign.json"])
        #expect(result.status == 66)
        #expect(result.standardError.contains("/nonexistent/campaign.json: file: cannot be read"))
    }

    @Test("plan writes the files; the same seed twice gives byte-identical output")
    func plan() throws {
        let folder = Repository.temporaryFolder("cli-plan")
        let one = folder.appendingPathComponent("one").path, two = folder.appendingPathComponent("two").path
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let first = try CommandRunner.run(["plan", examples[0], "--out", one, "--db", db])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.hasPrefix("Planned 100 tests, 300 applications for emploi-origine-lille-2026 with seed 20260302"))
        #expect(try CommandRunner.run(["plan", examples[0], "--out", two, "--db", db]).status == 0)
        for file in ["plan.csv", "plan.json", "documents/T0042-2.txt"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: one).appendingPathComponent(file))
            let b = try Data(contentsOf: URL(fileURLWithPath: two).appendingPathComponent(file))
            #expect(a == b, "\(file) differs")
        }
        // --seed changes the draw, and the seed is recorded.
        let seeded = try CommandRunner.run(["plan", examples[0], "--out", two, "--seed", "5", "--format", "json", "--db", db])
        #expect(try seeded.json()["seed"] as? Int == 5)
        #expect(try Data(contentsOf: URL(fileURLWithPath: one).appendingPathComponent("plan.csv"))
                != Data(contentsOf: URL(fileURLWithPath: two).appendingPathComponent("plan.csv")))
    }

    @Test("plan refuses an invalid campaign and writes nothing")
    func planInvalid() throws {
        let folder = Repository.temporaryFolder("cli-plan")
        let out = folder.appendingPathComponent("out").path
        let result = try CommandRunner.run(["plan", Repository.url("Tests/CampaignsTests/Fixtures/twenty-mistakes.json").path, "--out", out,
                                            "--db", folder.appendingPathComponent("ledger.sqlite").path])
        #expect(result.status == 65)
        #expect(result.standardError.contains("not planned: fix the 20 problems above first"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("plan into a place that cannot be a folder: exit 73, nothing written")
    func planUnwritable() throws {
        let folder = Repository.temporaryFolder("cli-plan")
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        let ledgerFolder = Repository.temporaryFolder("cli-plan-ledger")
        let result = try CommandRunner.run(["plan", examples[2], "--out", blocker.appendingPathComponent("out").path,
                                            "--db", ledgerFolder.appendingPathComponent("ledger.sqlite").path])
        #expect(result.status == 73)
        #expect(result.standardError.contains("nothing was written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["file"])
        // The ledger registered nothing either: the plan and its files go together.
        let status = try CommandRunner.run(["status", "--db", ledgerFolder.appendingPathComponent("ledger.sqlite").path, "--format", "json"])
        #expect(status.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test("schema prints campaigns/schema/campaign.schema.json")
    func schema() throws {
        let result = try CommandRunner.run(["schema"])
        #expect(result.standardOutput == (try String(contentsOf: Repository.url("campaigns/schema/campaign.schema.json"), encoding: .utf8)))
    }
}
