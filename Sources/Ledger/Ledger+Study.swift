import Campaigns
import Foundation
import GRDB

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
    public func importStudy(_ data: Data, fileName: String, options: StudyImportOptions, now: Date = Date()) throws(LedgerError) -> StudySummary {
        let hash = Self.sha256(data)
        let (header, rows) = try Self.parseCSVRows(data, fileName: fileName)
        var problems: [LineProblem] = []
        let named = [options.targetColumn, options.outcomeColumn] + options.armColumns + options.sliceColumns
            + [options.organizationColumn, options.orderColumn].compactMap { $0 }
        for column in named where !header.contains(column) {
            let close = header.min { editDistance($0.lowercased(), column.lowercased()) < editDistance($1.lowercased(), column.lowercased()) }
            problems.append(LineProblem(line: 1, column: column, reason: "no such column" + (close.map { " (did you mean \"\($0)\"?)" } ?? "")
                                        + "; the file has: \(header.joined(separator: ", "))"))
        }
        if options.reference.count != options.armColumns.count {
            throw .refused("--reference gives \(options.reference.count) value\(options.reference.count == 1 ? "" : "s") for \(options.armColumns.count) arm column\(options.armColumns.count == 1 ? "" : "s")",
                           hint: "give one reference value per arm column, in the same order, e.g. --arm gender,origin --reference Man,F")
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }

        struct Row_ { let line: Int; let target: String; let arm: String; let positive: Bool; let order: Int?; let organization: String?; let slices: [String: String] }
        // Columns by position (the header was checked above).
        let columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let required = ([options.targetColumn, options.outcomeColumn] + options.armColumns).map { ($0, columnIndex[$0]!) }
        let armPositions = options.armColumns.map { columnIndex[$0]! }
        let targetPosition = columnIndex[options.targetColumn]!, outcomePosition = columnIndex[options.outcomeColumn]!
        let positiveValues = Set(options.positiveValues)
        var parsed: [Row_] = []
        parsed.reserveCapacity(rows.count)
        for (line, fields) in rows {
            var bad = false
            for (column, index) in required where fields[index].isEmpty {
                problems.append(LineProblem(line: line, column: column, reason: "is empty"))
                bad = true
            }
            // Optional columns may be missing for some rows: empty, or R's "NA".
            func optional(_ column: String) -> String? {
                let value = fields[columnIndex[column]!]
                return value.isEmpty || value == "NA" ? nil : value
            }
            var order: Int?
            if let column = options.orderColumn, let text = optional(column) {
                order = Int(text)
                if order == nil || order! < 1 {
                    problems.append(LineProblem(line: line, column: column, reason: "\"\(text)\" is not a send position (1, 2, …, or NA when unknown)"))
                    bad = true
                }
            }
            if bad { continue }
            var slices: [String: String] = [:]
            for column in options.sliceColumns { slices[column] = optional(column) }
            parsed.append(Row_(line: line, target: fields[targetPosition],
                               arm: armPositions.count == 1 ? fields[armPositions[0]] : armPositions.map { fields[$0] }.joined(separator: "."),
                               positive: positiveValues.contains(fields[outcomePosition]), order: order,
                               organization: options.organizationColumn.flatMap(optional), slices: slices))
        }
        let arms = Set(parsed.map(\.arm))
        if !parsed.isEmpty && !arms.contains(options.referenceArm) {
            let close = arms.min { editDistance($0, options.referenceArm) < editDistance($1, options.referenceArm) }
            throw .refused("no application belongs to the reference arm \"\(options.referenceArm)\"",
                           hint: "the arms in the file are \(arms.sorted().joined(separator: ", "))" + (close.map { "; did you mean \($0)?" } ?? ""))
        }
        // Tests: rows grouped by target, in file order; slices and organization are test attributes.
        var order: [String] = []
        var byTarget: [String: [Row_]] = [:]
        for row in parsed {
            if byTarget[row.target] == nil { order.append(row.target) }
            byTarget[row.target, default: []].append(row)
        }
        for target in order {
            let group = byTarget[target]!
            if let odd = group.first(where: { $0.organization != group[0].organization }) {
                problems.append(LineProblem(line: odd.line, column: options.organizationColumn,
                                            reason: "the organization differs from line \(group[0].line) within target \(target): an organization owns the target"))
            }
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }
        guard !parsed.isEmpty else { throw .badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file has no rows")]) }

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
                           arguments: [options.id, fileName, hash, parsed.count, Timestamp.utc(now)])
            let importID = db.lastInsertedRowID
            func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self) }
            // Slice values repeat (20 regions for a million applications): write each set once.
            var written: [[String: String]: String] = [:]
            func attributes(_ value: [String: String]) throws -> String {
                if let known = written[value] { return known }
                let text = try json(value)
                written[value] = text
                return text
            }
            try db.execute(sql: """
                INSERT INTO study (campaignId, importId, targetColumn, armColumns, outcomeColumn, positiveValues, sliceColumns, organizationColumn, orderColumn)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [options.id, importID, options.targetColumn, try json(options.armColumns), options.outcomeColumn,
                                 try json(options.positiveValues), try json(options.sliceColumns), options.organizationColumn, options.orderColumn])
            let insertTest = try db.cachedStatement(sql: "INSERT INTO test (campaignId, code, targetId, organization, attributes) VALUES (?, ?, ?, ?, ?)")
            let insertApplication = try db.cachedStatement(sql: """
                INSERT INTO application (campaignId, testId, code, arm, replicate, sendOrder, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let insertEvent = try db.cachedStatement(sql: """
                INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source, importId)
                VALUES (?, ?, ?, ?, 'import-study', 'study', ?)
                """)
            let observed = Timestamp.local(now), recorded = Timestamp.utc(now)
            var armCounts: [String: Int] = [:]
            var positives = 0
            for target in order {
                let group = byTarget[target]!
                // The test keeps the slice values shared by all its applications (a property
                // of the target, e.g. "paris"); values that vary (e.g. an applicant's zip)
                // stay with each application.
                let shared = group[0].slices.filter { entry in group.allSatisfy { $0.slices[entry.key] == entry.value } }
                try insertTest.execute(arguments: [options.id, target, target, group[0].organization, try attributes(shared)])
                let testID = db.lastInsertedRowID
                // Send order when known (unknown positions last), else file order.
                let sorted = group.enumerated().sorted { ($0.element.order ?? Int.max, $0.offset) < ($1.element.order ?? Int.max, $1.offset) }.map(\.element)
                var replicate: [String: Int] = [:]
                for (position, row) in sorted.enumerated() {
                    replicate[row.arm, default: 0] += 1
                    try insertApplication.execute(arguments: [options.id, testID, "\(target)-\(position + 1)", row.arm, replicate[row.arm]!, row.order,
                                                              try attributes(row.slices)])
                    try insertEvent.execute(arguments: [db.lastInsertedRowID, row.positive ? "positive" : "negative", observed, recorded, importID])
                    armCounts[row.arm, default: 0] += 1
                    if row.positive { positives += 1 }
                }
            }
            return StudySummary(study: options.id, tests: order.count, arms: armCounts, applications: parsed.count, positives: positives)
        }
    }
}
