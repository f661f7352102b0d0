import Foundation
import Testing
import TestSupport

/// `barometre preregister` (issue #16 item 1).
@Suite("barometre preregister")
struct PreregisterCommandTests {
    static let housing = Repository.url("campaigns/housing-origin-residence-lille-2026.json").path

    static func fingerprint(_ result: CommandRunner.Result) -> String? {
        result.standardOutput.split(separator: " ").first { $0.hasPrefix("sha256:") }.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test("the fingerprint is the same across runs and ledgers and file layouts, and changes with a design field")
    func fingerprint() throws {
        let one = Repository.temporaryFolder("prereg-1"), two = Repository.temporaryFolder("prereg-2")
        let first = try CommandRunner.run(["preregister", Self.housing, "--by", "A", "--out", one.path, "--db", one.appendingPathComponent("l.sqlite").path])
        #expect(first.status == 0, "\(first.standardError)")
        // The same design written with another layout (no indentation, keys reordered by the encoder).
        let folder = Repository.temporaryFolder("prereg-layout")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.housing))) as! [String: Any]
        try FileManager.default.copyItem(at: Repository.url("campaigns/housing-origin-residence-lille-2026.targets.csv"),
                                         to: folder.appendingPathComponent("housing-origin-residence-lille-2026.targets.csv"))
        json["$schema"] = nil
        let compact = folder.appendingPathComponent("compact.json")
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: compact)
        let second = try CommandRunner.run(["preregister", compact.path, "--by", "B", "--out", two.path, "--db", two.appendingPathComponent("l.sqlite").path])
        #expect(second.status == 0, "\(second.standardError)")
        // $schema removed: an editor's annotation, but part of the file: the fingerprint covers the file's content.
        let third = Repository.temporaryFolder("prereg-3")
        json["$schema"] = "./schema/campaign.schema.json"
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: compact)
        let same = try CommandRunner.run(["preregister", compact.path, "--by", "C", "--out", third.path, "--db", third.appendingPathComponent("l.sqlite").path])
        #expect(Self.fingerprint(same) == Self.fingerprint(first), "\(same.standardOutput) vs \(first.standardOutput)")
        #expect(Self.fingerprint(second) != nil && Self.fingerprint(second) != Self.fingerprint(first))
        // A design field changed: another fingerprint.
        var design = json["design"] as! [String: Any]
        design["gapHours"] = ["min": 3, "max": 9]
        json["design"] = design
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: compact)
        let fourth = Repository.temporaryFolder("prereg-4")
        let changed = try CommandRunner.run(["preregister", compact.path, "--by", "C", "--out", fourth.path, "--db", fourth.appendingPathComponent("l.sqlite").path])
        #expect(changed.status == 0 && Self.fingerprint(changed) != Self.fingerprint(first))
        // The plan's files: Markdown and PDF, the Markdown holding every section.
        let markdown = try String(contentsOf: one.appendingPathComponent("preregistration.fr.md"), encoding: .utf8)
        for heading in ["1. Hypothèses", "2. Résultat mesuré", "3. Taille de l'échantillon et puissance", "4. Tests, intervalles et ajustement",
                        "5. Analyses exploratoires", "6. Exclusions", "7. Règle d'arrêt", "8. Publication"] {
            #expect(markdown.contains("## " + heading), "\(heading)")
        }
        #expect(FileManager.default.fileExists(atPath: one.appendingPathComponent("preregistration.fr.pdf").path))
    }

    @Test("registered before the answers: the report says the plan was followed; after: late; deviations are listed")
    func lateAndDeviations() throws {
        let folder = Repository.temporaryFolder("prereg-flow")
        let db = folder.appendingPathComponent("l.sqlite").path
        #expect(try CommandRunner.run(["plan", Self.housing, "--out", folder.appendingPathComponent("plan").path, "--db", db]).status == 0)
        let registered = try CommandRunner.run(["preregister", Self.housing, "--by", "Chargée", "--out", folder.path, "--db", db])
        #expect(registered.status == 0 && !registered.standardOutput.contains("LATE"))
        #expect(try CommandRunner.run(["simulate", "logement-origine-residence-lille-2026", "--scenario",
                                       Repository.url("campaigns/scenarios/housing-origin-residence-lille-2026.scenario.json").path, "--db", db]).status == 0)
        let followed = try CommandRunner.run(["analyze", "--campaign", "logement-origine-residence-lille-2026", "--format", "json", "--db", db]).json()
        let note = try #require(followed["preregistration"] as? [String: Any])
        #expect(note["followed"] as? Bool == true && note["late"] as? Bool == false)
        let departed = try CommandRunner.run(["analyze", "--campaign", "logement-origine-residence-lille-2026", "--format", "json", "--db", db,
                                              "--by", "channel", "--primary", "maghrebine-qpv"]).json()
        let deviations = try #require((departed["preregistration"] as? [String: Any])?["deviations"] as? [String])
        #expect(deviations.contains { $0.hasPrefix("primary comparisons changed") } && deviations.contains { $0.contains("not announced: channel") })
        let report = folder.appendingPathComponent("r.md").path
        #expect(try CommandRunner.run(["report", "--campaign", "logement-origine-residence-lille-2026", "--format", "md", "--out", report, "--db", db]).status == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("Plan d'analyse enregistré le") )
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("L'analyse suit le plan, sans écart."))
        // A changed plan registered now, after the answers: stated as late.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.housing))) as! [String: Any]
        var analysis = json["analysis"] as! [String: Any]
        analysis["primary"] = ["maghrebine-qpv"]
        json["analysis"] = analysis
        json["targets"] = ["file": Repository.url("campaigns/housing-origin-residence-lille-2026.targets.csv").path]
        let late = folder.appendingPathComponent("late.json")
        try JSONSerialization.data(withJSONObject: json).write(to: late)
        let lateRun = try CommandRunner.run(["preregister", late.path, "--by", "Chargée", "--out", folder.appendingPathComponent("late").path, "--db", db])
        #expect(lateRun.status == 0 && lateRun.standardOutput.contains("LATE: 240 answers were already recorded"), "\(lateRun.standardOutput)\(lateRun.standardError)")
    }

    @Test("an invalid campaign registers nothing and writes nothing")
    func refused() throws {
        let folder = Repository.temporaryFolder("prereg-bad")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.housing))) as! [String: Any]
        json["domain"] = "logement"
        let bad = folder.appendingPathComponent("bad.json")
        try JSONSerialization.data(withJSONObject: json).write(to: bad)
        let result = try CommandRunner.run(["preregister", bad.path, "--by", "X", "--out", folder.appendingPathComponent("out").path,
                                            "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(result.status == 65 && result.standardError.contains("did you mean \"housing\"?"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("l.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        let noName = try CommandRunner.run(["preregister", Self.housing, "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(noName.status == 64)
        let blankName = try CommandRunner.run(["preregister", Self.housing, "--by", "  ", "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(blankName.status == 64 && blankName.standardError.contains("--by NAME"))
        // An output folder that cannot be made (a file stands in its way): nothing registered,
        // no ledger created, no file left.
        let blocker = folder.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let unwritable = try CommandRunner.run(["preregister", Self.housing, "--by", "X", "--out", blocker.appendingPathComponent("out").path,
                                                "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(unwritable.status == 73, "\(unwritable.status) \(unwritable.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("l.sqlite").path))
    }
}
