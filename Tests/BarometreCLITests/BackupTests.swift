import Foundation
import Testing
import TestSupport

/// Issue #18 item 7: backups taken while the ledger is being written are consistent, and
/// `verify` says what they hold.
@Suite("barometre backup and verify")
struct BackupTests {
    @Test("backups taken during 4 concurrent writers are each a whole snapshot; the last one holds every event")
    func underConcurrentWrites() throws {
        let folder = Repository.temporaryFolder("backup")
        let db = folder.appendingPathComponent("l.sqlite").path
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 200)
        #expect(try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db]).status == 0)
        let codes = (1...200).flatMap { test in (1...3).map { String(format: "T%04d-%d", test, $0) } }
        let processes = try LedgerCommandTests.startWriters(codes: codes, workers: 4, each: 150, db: db)
        // Backups while they write.
        var snapshots: [Int] = []
        var k = 0
        while processes.contains(where: \.isRunning) && k < 40 {
            k += 1
            let copy = folder.appendingPathComponent("backup-\(k).sqlite").path
            let backup = try CommandRunner.run(["backup", "--to", copy, "--db", db, "--format", "json"])
            #expect(backup.status == 0, "\(backup.standardError)")
            let verified = try CommandRunner.run(["verify", copy, "--format", "json"]).json()
            #expect(verified["intact"] as? Bool == true)
            // A whole snapshot: events 1…n, none missing, each on an application of the plan.
            #expect(verified["contiguous"] as? Bool == true, "\(verified)")
            #expect(verified["applications"] as? Int == 600)
            snapshots.append(verified["events"] as? Int ?? -1)
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(snapshots.count >= 2, "the writers finished before two backups were taken")
        #expect(snapshots == snapshots.sorted(), "a later backup holds fewer events: \(snapshots)")
        // After the writers: nothing missing.
        let last = folder.appendingPathComponent("backup-final.sqlite").path
        #expect(try CommandRunner.run(["backup", "--to", last, "--db", db]).status == 0)
        let final = try CommandRunner.run(["verify", last, "--format", "json"]).json()
        #expect(final["events"] as? Int == 600 && final["lastEvent"] as? Int == 600)
        // The copy is a ledger: the same export as the original.
        let original = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", db]).standardOutput
        #expect(try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", last]).standardOutput == original)
    }

    @Test("refusals: an existing destination, a missing file, a file that is not a ledger")
    func refusals() throws {
        let (db, folder) = try AnsweredCampaign.make("backup-refusals")
        let existing = folder.appendingPathComponent("exists.sqlite")
        try Data("keep me".utf8).write(to: existing)
        let overwrite = try CommandRunner.run(["backup", "--to", existing.path, "--db", db])
        #expect(overwrite.status == 65 && overwrite.standardError.contains("never overwrites"))
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me")
        #expect(try CommandRunner.run(["verify", folder.appendingPathComponent("none.sqlite").path]).status == 66)
        let notLedger = try CommandRunner.run(["verify", existing.path])
        #expect(notLedger.status == 66 && notLedger.standardError.contains(existing.path), "\(notLedger.standardError)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }
}
