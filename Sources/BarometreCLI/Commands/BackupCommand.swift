import ArgumentParser
import Foundation
import Ledger
import Stats
import Values

/// `barometre backup`: a consistent copy of the ledger, taken while it is in use.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the ledger, consistently, even while the web app and testers are writing to it.",
        discussion: """
            Uses SQLite's online backup: the copy is one snapshot of the ledger, every \
            transaction in it whole. It is written beside the destination and renamed into \
            place when complete; an existing file is never overwritten. The copy is then \
            checked as `barometre verify` does.
              barometre backup --to /mnt/archive/barometre-2026-11-30.sqlite
            To restore: stop `barometre serve`, move the damaged ledger (and its -wal and -shm \
            files) aside, copy the backup to the ledger's path, then run `barometre verify`.
            The backup holds the pseudonym key: keep it where only staff can read it.
            """
    )

    @Option(help: ArgumentHelp("Where to write the copy (a new file).", valueName: "path"))
    var to: String

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let store = try ledger.open()
        let summary: LedgerSummary
        do { summary = try store.backup(to: to) } catch { throw report(error) }
        VerifyCommand.print(summary, format: output.format, verb: "backed up \(ledger.resolvedPath) to")
        if !summary.intact { throw SysExit.ioError }
    }
}

/// `barometre verify`: is this ledger (or backup) whole, and what does it hold?
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a ledger or a backup: integrity, counts, and its newest event.",
        discussion: """
            Opens the file read-only (an archived copy can be checked where it lies), runs \
            SQLite's integrity check, and prints the number of campaigns and studies, \
            applications and outcome events, and the newest event with when it was recorded \
            — compare it with the ledger in use to see what a backup would lose.
            Exit 0 when intact, 65 when the integrity check fails, 66 when the file is missing \
            or not a ledger.
              barometre verify /mnt/archive/barometre-2026-11-30.sqlite
            """
    )

    @Argument(help: ArgumentHelp("The ledger or backup file.", valueName: "path"))
    var path: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: \(path): no such file\n  hint: give the path of a ledger or of a file written by `barometre backup`")
            throw SysExit.noInput
        }
        let summary: LedgerSummary
        do { summary = try Ledger.openReadOnly(path: path).summary() } catch { throw report(error, reading: true) }
        Self.print(summary, format: output.format, verb: "verified")
        if !summary.intact { throw SysExit.dataError }
    }

    static func print(_ s: LedgerSummary, format: OutputFormat, verb: String) {
        switch format {
        case .json:
            Swift.print(JSONValue.object([
                ("path", .string(s.path)), ("intact", .bool(s.intact)), ("campaigns", .int(s.campaigns)), ("applications", .int(s.applications)),
                ("events", .int(s.events)), ("lastEvent", s.lastEvent.map { .int(Int($0)) } ?? .null),
                ("lastRecordedAt", s.lastRecordedAt.map(JSONValue.string) ?? .null), ("contiguous", .bool(s.contiguous)),
            ]).rendered())
        case .table:
            Swift.print("\(verb) \(s.path): " + (s.intact ? "intact (integrity check ok)" : "DAMAGED (the integrity check failed: restore an earlier backup)"))
            Swift.print("  \(s.campaigns) campaigns and studies, \(s.applications) applications, \(s.events) outcome events")
            if let last = s.lastEvent {
                Swift.print("  newest event: \(last), recorded \(s.lastRecordedAt ?? "?")" + (s.contiguous ? "" : " (event ids have gaps: a study's reserved block, or events were removed)"))
            } else {
                Swift.print("  no outcome event yet")
            }
        }
    }
}
