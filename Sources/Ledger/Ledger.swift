import Foundation
import GRDB
import Values

/// The field ledger: campaigns, plans, tests, applications and their outcome events, in
/// SQLite (GRDB). Outcome events are append-only; every write is one transaction.
///
/// One value wraps one database; open it with ``open(path:)`` (a file, WAL mode, shared
/// safely by several processes) or ``inMemory()`` (tests).
public struct Ledger: Sendable {
    let writer: any DatabaseWriter
    /// Where the ledger lives, for messages.
    public let path: String

    /// The default location: `BAROMETRE_DB`, else `results/barometre.sqlite`.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["BAROMETRE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "results/barometre.sqlite"
    }

    /// The page size of a new ledger's file, in bytes.
    static let pageSize = 16_384

    /// Opens (creating if needed) the ledger at `path`, in WAL mode with foreign keys on and
    /// a busy timeout, so that concurrent processes wait for each other instead of failing.
    public static func open(path: String) throws(LedgerError) -> Ledger {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            catch { throw .cannotOpen(path: path, reason: "cannot create the folder \(folder)") }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.label = "barometre-ledger"
        // A new ledger's pages are 16 KiB (SQLite's default is 4 KiB): a large study's columns
        // blob then goes to and from the file in a quarter of the reads and writes (import
        // −0.04 s at 10⁶ tests, bench/README.md), while recording one answer costs the same.
        // Only a file being created takes it (before its first table); an existing ledger
        // keeps its page size.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)") }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Migrations.migrator.migrate(pool)
            return Ledger(writer: pool, path: path)
        } catch {
            throw .cannotOpen(path: path, reason: describe(error))
        }
    }

    /// Opens the ledger at `path` for reading only (issue #18 item 5): an archived copy, a
    /// backup, or a file without write permission can be queried; nothing is created,
    /// migrated or written. A ledger written by an older version (missing migrations) is
    /// refused with the way to update it.
    public static func openReadOnly(path: String) throws(LedgerError) -> Ledger {
        guard FileManager.default.fileExists(atPath: path) else { throw .cannotOpen(path: path, reason: "there is no ledger there") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.label = "barometre-ledger-readonly"
        var queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            // A ledger in WAL mode needs its shared-memory file; in a folder nobody may write
            // to (an archive, a mounted backup) SQLite cannot create it, and the first read fails.
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch {
            // Then, if no write-ahead log is pending, the file is read as immutable: SQLite
            // takes no lock and needs no other file (nothing can be writing to it).
            let wal = path + "-wal"
            let attributes = try? FileManager.default.attributesOfItem(atPath: wal)
            let pending = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            guard pending == 0, let url = URL(string: "file://" + (URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1") else {
                throw .cannotOpen(path: path, reason: describe(error) + (pending > 0 ? " (its write-ahead log \(wal) holds changes: open it once where it can be written)" : ""))
            }
            do {
                queue = try DatabaseQueue(path: url.absoluteString, configuration: configuration)
                _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            } catch {
                throw .cannotOpen(path: path, reason: describe(error))
            }
        }
        let complete: Bool
        do { complete = try queue.read { db in try Migrations.migrator.hasCompletedMigrations(db) } } catch {
            throw .cannotOpen(path: path, reason: "it is not a Barometre ledger (\(describe(error)))")
        }
        guard complete else {
            throw .cannotOpen(path: path, reason: "it was written by an older version of Barometre; open it once with a command that writes "
                              + "(e.g. `barometre backup --db \(path) --to COPY`, then read the copy), or make the file writable")
        }
        return Ledger(writer: queue, path: path)
    }

    /// A fresh ledger in memory (tests).
    public static func inMemory() -> Ledger {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try! DatabaseQueue(configuration: configuration)
        try! Migrations.migrator.migrate(queue)
        return Ledger(writer: queue, path: ":memory:")
    }

    /// Runs `body` in one write transaction, mapping database errors.
    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try writer.write(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .database(Self.failure(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try writer.read(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .database(Self.failure(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    /// A thrown error as a database failure, keeping SQLite's primary result code.
    static func failure(_ error: any Error) -> DatabaseFailure {
        if let error = error as? DatabaseError {
            return DatabaseFailure(resultCode: error.resultCode.primaryResultCode.rawValue, message: error.message ?? "\(error.resultCode)")
        }
        return DatabaseFailure(message: "\(error)")
    }
}

/// Timestamps as stored: ISO 8601 text that sorts as it reads.
public enum Timestamp {
    /// UTC with seconds, for `recordedAt`: `2026-11-22T11:05:03Z`.
    public static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Local date and minute, as plan send times are written: `2026-11-22T12:05`.
    public static func local(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// Accepts `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (what testers type, read by the one
    /// parser, ``LocalDateTime``), after 1900; `nil` otherwise.
    public static func observed(_ text: String) -> String? {
        guard let value = LocalDateTime(text), value.date.year > 1900 else { return nil }
        return text
    }
}

/// `campaign.kind` is stored as its raw value; the schema's CHECK allows only these.
extension SourceKind: DatabaseValueConvertible {}
