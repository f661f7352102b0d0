import Foundation
import Testing
import TestSupport

/// The ledger commands end to end, with real processes: kill -9 in the middle of an
/// import, and many processes writing at once.
@Suite("barometre record, import, import-study, export, status")
struct LedgerCommandTests {
    static let tepp = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data/tepp")

    /// A campaign like the complete fixture, in 2025 (every send in the past), with
    /// `targets` targets (3 arms each).
    static func pastCampaign(in folder: URL, targets: Int, slices: [String]? = nil, organizations: Int? = nil) throws -> String {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Repository.url("Tests/CampaignsTests/Fixtures/full.json"))) as! [String: Any]
        json["id"] = "campagne-passee"
        if organizations != nil {
            // Four tests per organization (the identity banks hold four per arm): shown from 3.
            var publication = json["publication"] as! [String: Any]
            publication["minimumCellSize"] = 3
            json["publication"] = publication
        }
        if let slices {
            var analysis = json["analysis"] as! [String: Any]
            analysis["slices"] = slices
            json["analysis"] = analysis
        }
        json["period"] = ["start": "2025-01-06", "end": "2025-06-27"]
        json["targets"] = ["file": "targets.csv"]
        var csv = "id,organization,sector,city,channel\n"
        for i in 1...targets { csv += "C\(i),Organisation \(organizations.map { i % $0 } ?? i),secteur \(i % 5),Lille,letter\n" }
        try Data(csv.utf8).write(to: folder.appendingPathComponent("targets.csv"))
        let url = folder.appendingPathComponent("campaign.json")
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: url)
        return url.path
    }

    @Test("record, correct, history, export and status through the command line")
    func recordFlow() throws {
        let folder = Repository.temporaryFolder("ledger-cli")
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let campaign = try Self.pastCampaign(in: folder, targets: 6)
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        #expect(plan.standardOutput.contains("Registered in the ledger"))
        // Planning the same campaign again changes nothing.
        #expect(try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db]).standardOutput
            .contains("unchanged"))

        let first = try CommandRunner.run(["record", "--application", "T0001-1", "--outcome", "interview", "--at", "2025-07-01", "--by", "Amina",
                                           "--measure", "delay_hours=26", "--db", db, "--format", "json"])
        #expect(first.status == 0, "\(first.standardError)")
        let event = try #require(try first.json()["event"] as? Int)
        // A second answer is refused, with the way out.
        let second = try CommandRunner.run(["record", "--application", "T0001-1", "--outcome", "refusal", "--at", "2025-07-02", "--db", db])
        #expect(second.status == 65)
        #expect(second.standardError.contains("--correct \(event)"))
        let correction = try CommandRunner.run(["record", "--correct", "\(event)", "--outcome", "refusal", "--at", "2025-07-02", "--by", "Paul",
                                                "--note", "annulé", "--db", db])
        #expect(correction.status == 0, "\(correction.standardError)")
        let history = try CommandRunner.run(["history", "T0001-1", "--db", db])
        #expect(history.standardOutput.contains("interview") && history.standardOutput.contains("superseded by"))
        #expect(history.standardOutput.contains("refusal") && history.standardOutput.contains("in force"))
        // Re-planning a changed campaign is refused now that an answer exists; nothing is written.
        let replan = try CommandRunner.run(["plan", campaign, "--seed", "99", "--out", folder.appendingPathComponent("plan2").path, "--db", db])
        #expect(replan.status == 65)
        #expect(replan.standardError.contains("already recorded"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("plan2").path))
        // Into the first plan's folder: refused, that folder as it was, nothing staged left beside it
        // (the files are written while the rows are inserted, and removed when the plan is refused).
        let planCSV = folder.appendingPathComponent("plan/plan.csv")
        let before = try Data(contentsOf: planCSV)
        let replanHere = try CommandRunner.run(["plan", campaign, "--seed", "99", "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(replanHere.status == 65)
        #expect(try Data(contentsOf: planCSV) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".plan") }.isEmpty)

        let export = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", db])
        let lines = export.standardOutput.split(separator: "\n")
        #expect(lines.count == 1 + 18)
        #expect(lines[1].contains(",T0001-1,") && lines[1].contains(",refusal,false,2025-07-02,"))
        let events = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--events", "--db", db])
        #expect(events.standardOutput.split(separator: "\n").count == 3)
        let status = try CommandRunner.run(["status", "--db", db, "--format", "json"])
        let row = try #require((try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [[String: Any]])?.first)
        #expect(row["planned"] as? Int == 18 && row["answered"] as? Int == 1 && row["overdue"] as? Int == 17)
    }

    @Test("bad input to the ledger commands: message and exit code", arguments: [
        (["record", "--application", "T0001-1", "--correct", "3", "--outcome", "x"], 64, "either --application ID"),
        (["record", "--application", "T0001-1", "--outcome", "x", "--measure", "delay"], 64, "write KEY=VALUE"),
        (["import", "/nonexistent.csv"], 66, "cannot be read"),
        (["export", "--campaign", "nothing"], 66, "there is no ledger at"),
        (["status"], 66, "there is no ledger at"),
        (["import-study", "/nonexistent.csv", "--id", "x", "--target", "a", "--arm", "b", "--reference", "c", "--outcome", "d"], 66, "cannot be read"),
    ])
    func badInput(arguments: [String], status: Int32, message: String) throws {
        let db = Repository.temporaryFolder("ledger-cli").appendingPathComponent("l.sqlite").path
        let result = try CommandRunner.run(arguments + ["--db", db])
        #expect(result.status == status)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        // A failed command writes nothing: not even an empty ledger at a mistyped path.
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("import-study of TEPP inter1 as the issue states it: 310 tests, 8 arms, 2,480 applications; again: nothing")
    func importInter1() throws {
        let db = Repository.temporaryFolder("ledger-cli").appendingPathComponent("l.sqlite").path
        let arguments = ["import-study", Self.tepp.appendingPathComponent("inter1.csv").path, "--id", "inter1", "--target", "offer",
                         "--arm", "gender,origin", "--reference", "Man,F", "--outcome", "callback", "--positive", "TRUE",
                         "--slice", "paris", "--order", "sentorder", "--db", db]
        let first = try CommandRunner.run(arguments + ["--format", "json"])
        #expect(first.status == 0, "\(first.standardError)")
        let json = try first.json()
        #expect(json["tests"] as? Int == 310 && json["applications"] as? Int == 2480 && (json["arms"] as? [String: Int])?.count == 8)
        #expect((json["arms"] as? [String: Int])?["Woman.S"] == 310)
        let again = try CommandRunner.run(arguments)
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("already imported") && again.standardOutput.contains("nothing was written"))
    }

    @Test("kill -9 in the middle of an import: the ledger is intact and the import can be run again")
    func killedImport() throws {
        let folder = Repository.temporaryFolder("ledger-kill")
        // Given a large study (600,000 applications; simulated data, seed 1),
        let file = folder.appendingPathComponent("simulated-study.csv")
        try Self.python(["-c", """
            import random, sys
            random.seed(1)
            with open(sys.argv[1], "w") as f:
                f.write("offer,arm,callback\\n")
                for offer in range(300000):
                    for arm in ("A", "B"):
                        f.write(f"{offer},{arm},{'TRUE' if random.random() < 0.2 else 'FALSE'}\\n")
            """, file.path])
        let small = folder.appendingPathComponent("small.csv")
        try Data("offer,arm,callback\n1,A,TRUE\n1,B,FALSE\n".utf8).write(to: small)
        var killedMidTransaction = false
        for attempt in 1...3 where !killedMidTransaction {
            let db = folder.appendingPathComponent("l\(attempt).sqlite").path
            // and a ledger that already holds another study (so that the import's transaction
            // is the only write: opening a new ledger writes its schema first),
            let first = try CommandRunner.run(["import-study", small.path, "--id", "small", "--target", "offer", "--arm", "arm", "--reference", "A",
                                               "--outcome", "callback", "--db", db])
            #expect(first.status == 0, "\(first.standardError)")
            let arguments = ["import-study", file.path, "--id", "big", "--target", "offer", "--arm", "arm", "--reference", "A",
                             "--outcome", "callback", "--db", db]
            // when the import is killed while its transaction holds the ledger's write lock
            // (a probe tries BEGIN IMMEDIATE every half millisecond and kills on "locked"),
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let probe = try Self.python(["-c", """
                import os, signal, sqlite3, sys, time
                db, pid = sys.argv[1], int(sys.argv[2])
                connection = sqlite3.connect(db, timeout=0, isolation_level=None)
                deadline = time.time() + 300
                while time.time() < deadline:
                    try:
                        connection.execute("BEGIN IMMEDIATE")
                        connection.execute("ROLLBACK")
                    except sqlite3.OperationalError:
                        os.kill(pid, signal.SIGKILL)
                        print("killed")
                        break
                    try:
                        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
                    except FileNotFoundError:
                        state = "gone"
                    if state in ("Z", "gone"):
                        print("finished")
                        break
                    time.sleep(0.0005)
                """, db, String(process.processIdentifier)])
            process.waitUntilExit()
            guard probe == "killed", process.terminationReason == .uncaughtSignal else { continue }
            killedMidTransaction = true
            // then the ledger opens, passes its integrity check and holds nothing of the import,
            let status = try CommandRunner.run(["status", "--db", db, "--format", "json"])
            #expect(status.status == 0)
            let studies = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [[String: Any]]
            #expect(studies?.compactMap { $0["campaign"] as? String } == ["small"], "\(status.standardOutput)")
            #expect(try Self.python(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", db]) == "ok")
            // and the import runs again to completion.
            let rerun = try CommandRunner.run(arguments + ["--format", "json"])
            #expect(rerun.status == 0, "\(rerun.standardError)")
            #expect(try rerun.json()["applications"] as? Int == 600_000)
            #expect(try Self.python(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", db]) == "ok")
        }
        #expect(killedMidTransaction, "the import finished before it could be killed mid-transaction, three times")
    }

    /// `workers` processes, each recording `each` answers (`refusal`) one `barometre record` at a
    /// time, started at once; the caller waits for them.
    static func startWriters(codes: [String], workers: Int, each: Int, db: String) throws -> [Process] {
        var processes: [Process] = []
        for worker in 0..<workers {
            let chunk = codes[(worker * each)..<((worker + 1) * each)].joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "for a in \(chunk); do \"$0\" record --application $a --outcome refusal --at 2025-12-31 --by worker\(worker) --db \"$1\" >/dev/null || exit 1; done",
                                 CommandRunner.executable.path, db]
            try process.run()
            processes.append(process)
        }
        return processes
    }

    /// Runs python3 with `arguments`; its standard output, trimmed.
    static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("8 processes recording 500 outcomes each at the same time: 4,000 stored")
    func concurrentRecords() throws {
        let folder = Repository.temporaryFolder("ledger-concurrent")
        let db = folder.appendingPathComponent("l.sqlite").path
        let campaign = try Self.pastCampaign(in: folder, targets: 1400)
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        let codes = (1...1400).flatMap { test in (1...3).map { String(format: "T%04d-%d", test, $0) } }
        let processes = try Self.startWriters(codes: codes, workers: 8, each: 500, db: db)
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let status = try CommandRunner.run(["status", "--db", db, "--format", "json"])
        let row = try #require((try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [[String: Any]])?.first)
        #expect(row["answered"] as? Int == 4000)
    }
}
