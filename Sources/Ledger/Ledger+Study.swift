import Campaigns
import Foundation
import GRDB
import GRDBSQLite
import Values

/// How to read an existing study's CSV (one row per application).
public struct StudyImportOptions: Sendable {
    public var id: String
    public var title: String?
    /// The column naming the target (job ad, listing): rows with the same value form a test.
    public var targetColumn: String
    /// The column(s) defining the arm; values are joined with "." (e.g. `Woman.S`).
    public var armColumns: [String]
    /// The reference arm's values, in the order of `armColumns`.
    public var reference: [String]
    public var outcomeColumn: String
    /// Outcome values counted as positive.
    public var positiveValues: [String]
    public var sliceColumns: [String]
    public var organizationColumn: String?
    /// A column giving each application's position in the test's send order.
    public var orderColumn: String?
    /// The tested arms whose comparison with the reference is primary (nil: every tested arm).
    public var primary: [String]?
    /// Labels for people of arm codes (`Woman.S` → « Femme, origine sénégalaise »).
    public var labels: [String: String] = [:]

    public init(id: String, title: String? = nil, targetColumn: String, armColumns: [String], reference: [String], outcomeColumn: String,
                positiveValues: [String] = ["TRUE", "true", "1", "yes", "oui"], sliceColumns: [String] = [],
                organizationColumn: String? = nil, orderColumn: String? = nil) {
        self.id = id
        self.title = title
        self.targetColumn = targetColumn
        self.armColumns = armColumns
        self.reference = reference
        self.outcomeColumn = outcomeColumn
        self.positiveValues = positiveValues
        self.sliceColumns = sliceColumns
        self.organizationColumn = organizationColumn
        self.orderColumn = orderColumn
    }

    /// The reference arm's name: its values joined with ".".
    public var referenceArm: String { reference.joined(separator: ".") }
}

/// What a study import stored.
public struct StudySummary: Sendable, Equatable {
    public let study: String
    public let tests: Int
    /// Applications per arm, arms sorted by name.
    public let arms: [String: Int]
    public let applications: Int
    public let positives: Int
}

extension Ledger {
    /// The binary scale of an imported study: an application was answered positively or not.
    public static let studyScale = ["negative", "positive"]

    /// Imports an existing study, one row per application, in one transaction.
    ///
    /// Rows with the same target value form one test; the arm is the values of the arm
    /// columns joined with "."; several applications of one arm to one target are kept as
    /// replicates 1, 2, …. Importing the same file again under the same id writes nothing.
    ///
    /// The study is stored as columns in one `studyColumns` row (``StudyColumns``), and a
    /// block of event ids is reserved for its answers: every reader sees the same tests,
    /// applications and events as a row-by-row import would give, at a fraction of the cost.
    /// The steps (StudyImport.swift): read the CSV, ``StudyImport/parse(_:fileName:options:)``
    /// the rows into integers, ``StudyImport/ParsedStudy/grouped()`` them by target,
    /// ``StudyImport/encode(_:_:options:)`` the columns, then ``writeStudy`` stores them.
    public func importStudy(_ data: Data, fileName: String, options: StudyImportOptions, now: Date = Date()) throws(LedgerError) -> StudySummary {
        let parsed = try StudyImport.parse(data, fileName: fileName, options: options)
        // The file's hash on the other core while the rows are grouped and encoded on this one.
        let hashing = Background { Self.sha256(data) }
        let groups = parsed.grouped()
        let problems = parsed.problems + groups.organizationProblems(parsed, options: options)
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }
        guard !parsed.rows.isEmpty else { throw .badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file has no rows")]) }
        let encoded = try StudyImport.encode(parsed, groups, options: options)
        try StudyImport.checkArmNames(encoded.summary, options: options)
        return try writeStudy(encoded, options: options, fileName: fileName, hash: hashing.value, now: now)
    }

    /// Stores an encoded study: its campaign, import and study rows, a reserved block of event
    /// ids, and the columns blob; refused when the file was imported before under this id or
    /// when the id is taken.
    func writeStudy(_ encoded: StudyImport.Encoded, options: StudyImportOptions, fileName: String, hash: String, now: Date) throws(LedgerError) -> StudySummary {
        let summary = encoded.summary, applications = summary.applications
        func json(_ value: Any) throws(LedgerError) -> String { try StudyImport.json(value) }
        return try write { db in
            if let previous = try Row.fetchOne(db, sql: """
                SELECT i.id, i.importedAt, i.campaignId FROM import i WHERE i.kind = 'study' AND i.fileHash = ? AND i.campaignId = ?
                """, arguments: [hash, options.id]) {
                throw LedgerError.alreadyImported(file: fileName, importID: previous["id"], importedAt: previous["importedAt"])
            }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM campaign WHERE id = ?)", arguments: [options.id]) == true {
                throw LedgerError.refused("\"\(options.id)\" already exists in the ledger \(path)", hint: "choose another --id for this study")
            }
            let scale = String(decoding: try JSONEncoder().encode(Self.studyScale), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO campaign (id, kind, title, scale, positiveThreshold, referenceArm, createdAt)
                VALUES (?, 'study', ?, ?, 'positive', ?, ?)
                """, arguments: [options.id, options.title ?? fileName, scale, options.referenceArm, Timestamp.utc(now)])
            try db.execute(sql: "INSERT INTO import (campaignId, kind, fileName, fileHash, rows, importedAt) VALUES (?, 'study', ?, ?, ?, ?)",
                           arguments: [options.id, fileName, hash, applications, Timestamp.utc(now)])
            let importID = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO study (campaignId, importId, targetColumn, armColumns, outcomeColumn, positiveValues, sliceColumns, organizationColumn, orderColumn,
                                   primaryArms, labels)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [options.id, importID, options.targetColumn, try json(options.armColumns), options.outcomeColumn,
                                 try json(options.positiveValues), try json(options.sliceColumns), options.organizationColumn, options.orderColumn,
                                 try options.primary.map { try json($0) }, options.labels.isEmpty ? nil : String(decoding: try JSONEncoder().encode(options.labels), as: UTF8.self)])
            let firstEvent = try Self.reserveEventIDs(db, count: applications)
            let statement = try db.makeStatement(sql: """
                INSERT INTO studyColumns (campaignId, importId, format, tests, applications, positives, firstEvent, observedAt, recordedAt, data)
                VALUES (?, ?, 2, ?, ?, ?, ?, ?, ?, ?)
                """)
            try statement.setArguments([options.id, importID, summary.tests, applications, summary.positives, firstEvent,
                                        Timestamp.local(now), Timestamp.utc(now), nil])
            // The blob bound where it is (SQLITE_STATIC: it outlives the step), not copied by
            // SQLite first as a bound argument is: 30 MB less to copy, and to be given, at 10⁶ tests.
            let blob = encoded.columns.encoded()
            let raw = statement.sqliteStatement
            defer { sqlite3_reset(raw) }
            let code = blob.withUnsafeBytes { bytes -> Int32 in
                guard let base = bytes.baseAddress, bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
                let bound = sqlite3_bind_blob(raw, 9, base, Int32(bytes.count), nil)
                guard bound == SQLITE_OK else { return bound }
                return sqlite3_step(raw)
            }
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            return summary
        }
    }

    /// Reserves `count` event ids in AUTOINCREMENT's sequence, so that no later event can take
    /// one (SQLite, "The AUTOINCREMENT Keyword"); returns the first.
    static func reserveEventIDs(_ db: Database, count: Int) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outcomeEvent'")
        let highest = max(last ?? 0, try Int64.fetchOne(db, sql: "SELECT max(id) FROM outcomeEvent") ?? 0)
        if last == nil {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('outcomeEvent', ?)", arguments: [highest + Int64(count)])
        } else {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'outcomeEvent'", arguments: [highest + Int64(count)])
        }
        return highest + 1
    }
}

/// A value computed on a global dispatch queue while the caller goes on; ``value`` waits for
/// it (and it is computed in full even when nobody asks).
final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let computed = work()
            lock.withLock { result = computed }
            done.signal()
        }
    }

    /// The value, once computed.
    var value: Value {
        if let known = lock.withLock({ result }) { return known }
        done.wait()
        return lock.withLock { result! }
    }
}
