import Foundation
import Testing
import TestSupport

/// Issue #18 items 1–3: exports a spreadsheet cannot run, text nothing cuts, a terminal
/// nothing drives.
@Suite("hostile input: formulas, NUL bytes, terminal escapes")
struct HostileInputTests {
    static let formula = "=HYPERLINK(\"http://evil.example\",\"x\")"
    static let noteFormula = "=cmd|' /C calc'!A0"

    /// A past campaign whose first organization is named like a formula, planned.
    static func planned(_ label: String) throws -> (db: String, folder: URL) {
        let folder = Repository.temporaryFolder(label)
        let db = folder.appendingPathComponent("l.sqlite").path
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 6)
        var csv = "id,organization,sector,city,channel\n"
        for i in 1...6 { csv += "C\(i),\(i == 1 ? "\"\(formula.replacingOccurrences(of: "\"", with: "\"\""))\"" : "Organisation \(i)"),secteur,@Lille,letter\n" }
        try Data(csv.utf8).write(to: folder.appendingPathComponent("targets.csv"))
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        return (db, folder)
    }

    /// Every cell of a CSV text (RFC 4180, quotes removed).
    static func cells(_ text: String) -> [String] {
        var cells: [String] = [], field = "", quoted = false, previousQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; previousQuote = true } else { field.append(character) }
                continue
            }
            switch character {
            case "\"": if previousQuote { field.append("\"") }; quoted = true
            case ",", "\n": cells.append(field); field = ""
            default: field.append(character)
            }
            previousQuote = false
        }
        return cells
    }

    @Test("formula cells are neutralized in plan.csv, export and export --events; numbers are untouched")
    func formulas() throws {
        let (db, folder) = try Self.planned("hostile-formula")
        let record = try CommandRunner.run(["record", "--application", "T0001-1", "--outcome", "interview", "--at", "2025-07-01", "--by", "Amina",
                                            "--note", Self.noteFormula, "--db", db])
        #expect(record.status == 0, "\(record.standardError)")
        let files = [
            try String(contentsOf: folder.appendingPathComponent("plan/plan.csv"), encoding: .utf8),
            try CommandRunner.run(["export", "--campaign", "campagne-passee", "--db", db]).standardOutput,
            try CommandRunner.run(["export", "--campaign", "campagne-passee", "--events", "--db", db]).standardOutput,
        ]
        for file in files {
            let cells = Self.cells(file)
            #expect(!cells.isEmpty)
            let dangerous = cells.filter { cell in cell.first.map { "=+@\t\r".contains($0) } ?? false }
            #expect(dangerous.isEmpty, "cells a spreadsheet would run: \(dangerous)")
            #expect(!cells.contains { $0.hasPrefix("-") && Double($0) == nil })
        }
        #expect(Self.cells(files[0]).contains("'" + Self.formula))
        #expect(Self.cells(files[1]).contains("'@Lille"))
        #expect(Self.cells(files[2]).contains("'" + Self.noteFormula))
        // The event id stays a number.
        #expect(files[2].split(separator: "\n")[1].hasPrefix("1,"))
    }

    @Test("a NUL byte or an escape in a note is refused with its field and line, from the CLI and from a CSV import; nothing is written")
    func controlCharacters() throws {
        let (db, folder) = try Self.planned("hostile-nul")
        let refused = try CommandRunner.run(["record", "--application", "T0001-1", "--outcome", "interview", "--at", "2025-07-01", "--by", "Amina",
                                             "--note", "before\u{1B}]0;pwned\u{07}after", "--db", db])
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("the note contains an invisible control character (U+001B ESC) at character 7"), "\(refused.standardError)")
        let csv = folder.appendingPathComponent("outcomes.csv")
        try Data("campaign,application,outcome,observed_at,recorded_by,note\ncampagne-passee,T0001-1,interview,2025-07-01,test,ok\ncampagne-passee,T0002-1,interview,2025-07-01,test,before\u{0}after\n".utf8).write(to: csv)
        let imported = try CommandRunner.run(["import", csv.path, "--db", db])
        #expect(imported.status == 65)
        #expect(imported.standardError.contains("line 3") && imported.standardError.contains("note") && imported.standardError.contains("U+0000 NUL"),
                "\(imported.standardError)")
        let status = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--events", "--db", db])
        #expect(status.standardOutput.split(separator: "\n").count == 1, "something was written: \(status.standardOutput)")
        // A line break inside a quoted note is fine.
        try Data("campaign,application,outcome,observed_at,recorded_by,note\ncampagne-passee,T0001-1,interview,2025-07-01,test,\"two\nlines\"\n".utf8).write(to: csv)
        #expect(try CommandRunner.run(["import", csv.path, "--db", db]).status == 0)
    }

    @Test("a note stored with an escape sequence (before the check existed) is printed inert by history and export --events")
    func storedEscapes() throws {
        let (db, _) = try Self.planned("hostile-escape")
        #expect(try CommandRunner.run(["record", "--application", "T0001-1", "--outcome", "interview", "--at", "2025-07-01", "--by", "Amina",
                                       "--db", db]).status == 0)
        // Written behind the ledger's back, as an older version could have stored it.
        _ = try LedgerCommandTests.python(["-c", """
            import sqlite3,sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source, note, supersedes) SELECT applicationId, 'refusal', '2025-07-02', '2025-07-02T00:00:00Z', 'x', 'cli', ?, id FROM outcomeEvent WHERE id = 1", ("a\\x1b]0;pwned\\x07\\x1b[2Jb",))
            c.commit()
            """, db])
        let history = try CommandRunner.run(["history", "T0001-1", "--db", db])
        #expect(history.status == 0 && history.standardOutput.contains("note: a\\u{1B}]0;pwned\\u{7}\\u{1B}[2Jb"), "\(history.standardOutput)")
        #expect(!history.standardOutput.contains("\u{1B}"))
        let events = try CommandRunner.run(["export", "--campaign", "campagne-passee", "--events", "--db", db])
        #expect(!events.standardOutput.contains("\u{1B}") && events.standardOutput.contains("\\u{1B}"))
    }
}

/// Issue #18 item 4: `plan` killed mid-run leaves nothing behind for good.
@Suite("plan cleans up after a killed run")
struct StaleStagingTests {
    @Test("stale staging folders of dead processes are removed by the next plan; a live process's are kept")
    func staleStaging() throws {
        let folder = Repository.temporaryFolder("stale")
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 4)
        let dead = folder.appendingPathComponent(".plan.partial-4000001"), live = folder.appendingPathComponent(".plan.partial-1")
        for stale in [dead, live] {
            try FileManager.default.createDirectory(at: stale.appendingPathComponent("documents"), withIntermediateDirectories: true)
            try Data("half".utf8).write(to: stale.appendingPathComponent("plan.csv"))
        }
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(plan.status == 0, "\(plan.standardError)")
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))  // pid 1 runs: not ours to remove
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("plan/plan.csv").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".plan.") }
        #expect(leftovers == [".plan.partial-1"])
    }

    @Test("a plan killed between setting the old output aside and moving the new one in: the next plan leaves no set-aside folder")
    func setAsideRestored() throws {
        let folder = Repository.temporaryFolder("stale-previous")
        let aside = folder.appendingPathComponent(".plan.previous-4000002")
        try FileManager.default.createDirectory(at: aside, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: aside.appendingPathComponent("plan.csv"))
        let planned = try CommandRunner.run(["plan", try LedgerCommandTests.pastCampaign(in: folder, targets: 3), "--out", folder.appendingPathComponent("plan").path,
                                             "--db", folder.appendingPathComponent("l.sqlite").path])
        #expect(planned.status == 0, "\(planned.standardError)")
        #expect(!FileManager.default.fileExists(atPath: aside.path))
        #expect(try String(contentsOf: folder.appendingPathComponent("plan/plan.csv"), encoding: .utf8).hasPrefix("application_id"))
    }
}

/// Issue #18 item 5: an archived or read-only ledger can be queried.
@Suite("a read-only ledger")
struct ReadOnlyLedgerTests {
    /// A copy of the executable where an unprivileged user may run it (the build folder may be
    /// in a home folder closed to others): one per build, kept and reused by every call and
    /// every run, the copies of earlier builds removed. (It was a new 100 MB copy per call,
    /// never removed: tens of gigabytes in the temporary folder after a few dozen test runs.)
    static func unprivilegedCopy() throws -> URL {
        let manager = FileManager.default, source = CommandRunner.executable
        let attributes = try manager.attributesOfItem(atPath: source.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = Int(((attributes[.modificationDate] as? Date) ?? Date()).timeIntervalSince1970)
        let name = "barometre-bin-\(size)-\(modified)"
        let root = manager.temporaryDirectory, folder = root.appendingPathComponent(name)
        let binary = folder.appendingPathComponent("barometre")
        copying.lock()
        defer { copying.unlock() }
        if !manager.fileExists(atPath: binary.path) {
            for stale in (try? manager.contentsOfDirectory(atPath: root.path)) ?? [] where stale.hasPrefix("barometre-bin-") && stale != name {
                try? manager.removeItem(at: root.appendingPathComponent(stale))
            }
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            // Copied under another name, then renamed: another test process sees the whole file or none.
            let partial = folder.appendingPathComponent("barometre.\(UUID().uuidString)")
            try manager.copyItem(at: source, to: partial)
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: partial.path)
            guard rename(partial.path, binary.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        return binary
    }
    static let copying = NSLock()

    /// Runs barometre as an unprivileged user when the tests run as root (root may write any
    /// file, which would hide the problem), else as the current user.
    static func runUnprivileged(_ arguments: [String]) throws -> CommandRunner.Result {
        guard getuid() == 0 else { return try CommandRunner.run(arguments) }
        let binary = try unprivilegedCopy()
        let quoted = ([binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/su")
        process.arguments = ["nobody", "-s", "/bin/sh", "-c", quoted]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRunner.Result(status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                                    standardError: String(decoding: err, as: UTF8.self))
    }

    @Test("status, history, export, analyze and report read a 0444 ledger in a 0555 folder, and change nothing")
    func readOnly() throws {
        let (db, _) = try AnsweredCampaign.make("readonly")
        let archive = Repository.temporaryFolder("archive")
        let copy = archive.appendingPathComponent("ledger.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: copy.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: copy.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: archive.path) }
        let before = try Data(contentsOf: copy)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("readonly-report-\(UUID().uuidString).md").path
        for arguments in [["status"], ["history", "T0001-1"], ["export", "--campaign", AnsweredCampaign.id],
                          ["analyze", "--campaign", AnsweredCampaign.id, "--format", "json"],
                          ["report", "--campaign", AnsweredCampaign.id, "--format", "md", "--out", out]] {
            let result = try Self.runUnprivileged(arguments + ["--db", copy.path])
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        #expect(try Data(contentsOf: copy) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: archive.path) == ["ledger.sqlite"])
        // A command that writes says why it cannot.
        let record = try Self.runUnprivileged(["record", "--application", "T0001-1", "--outcome", "refusal", "--by", "x", "--db", copy.path])
        #expect(record.status != 0 && !record.standardError.isEmpty)
    }
}
