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
    public func importStudy(_ data: Data, fileName: String, options: StudyImportOptions, now: Date = Date()) throws(LedgerError) -> StudySummary {
        let hash = Self.sha256(data)
        let csv = try Self.readCSV(data, fileName: fileName)
        let header = csv.header
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

        // Rows as integers: target, arm, organization and slice-value set are positions in
        // tables of distinct values (a study of 10^6 tests is 3.75 million rows).
        struct Row_ { let line: Int; let target: Int32; let arm: Int32; let positive: Bool; let order: Int32; let organization: Int32; let slices: Int32 }
        // Columns by position (the header was checked above).
        let columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let required = ([options.targetColumn, options.outcomeColumn] + options.armColumns).map { ($0, columnIndex[$0]!) }
        let armPositions = options.armColumns.map { columnIndex[$0]! }
        let targetPosition = columnIndex[options.targetColumn]!, outcomePosition = columnIndex[options.outcomeColumn]!
        let slicePositions = options.sliceColumns.map { columnIndex[$0]! }
        let organizationPosition = options.organizationColumn.map { columnIndex[$0]! }
        let orderPosition = options.orderColumn.map { columnIndex[$0]! }
        let positiveValues = options.positiveValues.map { Array($0.utf8) }  // a few values: compared, not hashed
        var targets = FieldPositions(capacity: csv.count / 3), arms = FieldPositions(), organizations = FieldPositions(), sliceValues = FieldPositions()
        var sliceSets: [[Int32]: Int32] = [:]
        var sliceSetValues: [[Int32]] = []
        var parsed: [Row_] = []
        parsed.reserveCapacity(csv.count)
        var key = [Int32](repeating: -1, count: slicePositions.count)
        var lastKey: [Int32]?, lastSlices: Int32 = 0  // rows of one target share their slice values
        let NA = Array("NA".utf8)
        for r in 0..<csv.count {
            let line = csv.lines[r]
            var bad = false
            for (column, index) in required where csv.withBytes(r, index, { $0.isEmpty }) {
                problems.append(LineProblem(line: line, column: column, reason: "is empty"))
                bad = true
            }
            // Optional columns may be missing for some rows: empty, or R's "NA".
            func missing(_ index: Int) -> Bool { csv.withBytes(r, index) { $0.isEmpty || $0.elementsEqual(NA) } }
            var order: Int32 = -1
            if let position = orderPosition, !missing(position) {
                if let value = Self.positiveInteger(csv, r, position) { order = value } else {
                    problems.append(LineProblem(line: line, column: options.orderColumn,
                                                reason: "\"\(csv.string(r, position))\" is not a send position (1, 2, …, or NA when unknown)"))
                    bad = true
                }
            }
            if bad { continue }
            for (k, position) in slicePositions.enumerated() {
                key[k] = missing(position) ? -1 : csv.withBytes(r, position) { sliceValues.position($0) }
            }
            let slices: Int32
            if key == lastKey { slices = lastSlices } else if let known = sliceSets[key] { slices = known } else {
                slices = Int32(sliceSetValues.count)
                sliceSets[key] = slices
                sliceSetValues.append(key)
            }
            lastKey = key
            lastSlices = slices
            let arm = armPositions.count == 1 ? csv.withBytes(r, armPositions[0]) { arms.position($0) }
                                              : arms.position(armPositions.map { csv.string(r, $0) }.joined(separator: "."))
            let positive = csv.withBytes(r, outcomePosition) { bytes in positiveValues.contains { $0.elementsEqual(bytes) } }
            let organization = organizationPosition.map { missing($0) ? -1 : csv.withBytes(r, $0) { organizations.position($0) } } ?? -1
            parsed.append(Row_(line: line, target: csv.withBytes(r, targetPosition) { targets.position($0) }, arm: arm,
                               positive: positive, order: order, organization: organization, slices: slices))
        }
        if !parsed.isEmpty && !arms.values.contains(options.referenceArm) {
            let close = arms.values.min { editDistance($0, options.referenceArm) < editDistance($1, options.referenceArm) }
            throw .refused("no application belongs to the reference arm \"\(options.referenceArm)\"",
                           hint: "the arms in the file are \(arms.values.sorted().joined(separator: ", "))" + (close.map { "; did you mean \($0)?" } ?? ""))
        }
        // Tests: rows grouped by target (a counting sort), targets in file order.
        var starts = [Int](repeating: 0, count: targets.values.count + 1)
        for row in parsed { starts[Int(row.target) + 1] += 1 }
        for t in targets.values.indices { starts[t + 1] += starts[t] }
        var next = starts
        var grouped = [Int](repeating: 0, count: parsed.count)
        for (i, row) in parsed.enumerated() {
            grouped[next[Int(row.target)]] = i
            next[Int(row.target)] += 1
        }
        for t in targets.values.indices {
            let group = grouped[starts[t]..<starts[t + 1]]
            let first = parsed[group.first!]
            if let odd = group.first(where: { parsed[$0].organization != first.organization }) {
                problems.append(LineProblem(line: parsed[odd].line, column: options.organizationColumn,
                                            reason: "the organization differs from line \(first.line) within target \(targets.values[t]): an organization owns the target"))
            }
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }
        guard !parsed.isEmpty else { throw .badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file has no rows")]) }

        // The study as columns (StudyColumns.swift): one row in the ledger, not three per application.
        func json(_ value: Any) throws(LedgerError) -> String {
            do { return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self) }
            catch { throw .database("cannot encode \(value) as JSON: \(error)") }
        }
        var columns = StudyColumns()
        columns.targets = targets.values
        columns.arms = arms.values
        columns.organizations = organizations.values
        // Slice-value sets as JSON, each distinct set once (20 regions for a million applications).
        var attributePositions: [[Int32]: Int32] = [[Int32](repeating: -1, count: slicePositions.count): 0]
        func attributes(_ set: [Int32]) throws(LedgerError) -> Int32 {
            if let known = attributePositions[set] { return known }
            var object: [String: String] = [:]
            for (k, value) in set.enumerated() where value >= 0 { object[options.sliceColumns[k]] = sliceValues.values[Int(value)] }
            let position = Int32(columns.attributeTexts.count)
            columns.attributeTexts.append(try json(object))
            attributePositions[set] = position
            return position
        }
        let setAttributes = try sliceSetValues.map { set throws(LedgerError) in try attributes(set) }
        columns.testSize.reserveCapacity(targets.values.count)
        columns.arm.reserveCapacity(parsed.count)
        columns.sendOrder.reserveCapacity(parsed.count)
        columns.attributes.reserveCapacity(parsed.count)
        columns.positive.reserveCapacity(parsed.count)
        var armCounts = [Int](repeating: 0, count: arms.values.count)
        var positives = 0
        var sorted: [Int] = []
        for t in targets.values.indices {
            let group = grouped[starts[t]..<starts[t + 1]]
            let first = parsed[group.first!]
            columns.testSize.append(Int32(group.count))
            columns.testOrganization.append(first.organization)
            // The test keeps the slice values shared by all its applications (a property
            // of the target, e.g. "paris"); values that vary (e.g. an applicant's zip)
            // stay with each application.
            if group.allSatisfy({ parsed[$0].slices == first.slices }) {
                columns.testAttributes.append(setAttributes[Int(first.slices)])
            } else {
                var shared = sliceSetValues[Int(first.slices)]
                for i in group {
                    let other = sliceSetValues[Int(parsed[i].slices)]
                    for k in shared.indices where shared[k] != other[k] { shared[k] = -1 }
                }
                columns.testAttributes.append(try attributes(shared))
            }
            // Send order when known (unknown positions last), else file order.
            sorted.removeAll(keepingCapacity: true)
            sorted.append(contentsOf: group)
            if sorted.count > 1 {
                func rank(_ i: Int) -> (Int32, Int) { (parsed[i].order < 0 ? Int32.max : parsed[i].order, i) }
                sorted.sort { rank($0) < rank($1) }
            }
            for i in sorted {
                let row = parsed[i]
                columns.arm.append(row.arm)
                columns.sendOrder.append(row.order)
                columns.attributes.append(setAttributes[Int(row.slices)])
                columns.positive.append(row.positive ? 1 : 0)
                armCounts[Int(row.arm)] += 1
                if row.positive { positives += 1 }
            }
        }
        let blob = columns.encoded()
        var perArm: [String: Int] = [:]
        for (k, arm) in arms.values.enumerated() { perArm[arm] = armCounts[k] }
        let summary = StudySummary(study: options.id, tests: targets.values.count, arms: perArm, applications: parsed.count, positives: positives)
        // Primary arms and labels name arms of the file.
        let present = Set(perArm.keys).sorted()
        for arm in options.primary ?? [] where arm == options.referenceArm || !present.contains(arm) {
            throw .refused(arm == options.referenceArm ? "--primary \(arm) is the reference arm" : "--primary \(arm) is not an arm of the file",
                           hint: "name tested arms: \(present.filter { $0 != options.referenceArm }.joined(separator: ", "))")
        }
        for code in options.labels.keys.sorted() where !present.contains(code) {
            throw .refused("--label \(code)=…: \(code) is not an arm of the file", hint: "arms: \(present.joined(separator: ", "))")
        }

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
            try db.execute(sql: """
                INSERT INTO study (campaignId, importId, targetColumn, armColumns, outcomeColumn, positiveValues, sliceColumns, organizationColumn, orderColumn,
                                   primaryArms, labels)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [options.id, importID, options.targetColumn, try json(options.armColumns), options.outcomeColumn,
                                 try json(options.positiveValues), try json(options.sliceColumns), options.organizationColumn, options.orderColumn,
                                 try options.primary.map { try json($0) }, options.labels.isEmpty ? nil : String(decoding: try JSONEncoder().encode(options.labels), as: UTF8.self)])
            // The imported answers' event ids: a block reserved in AUTOINCREMENT's sequence,
            // so that no later event can take one (SQLite, "The AUTOINCREMENT Keyword").
            let last = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outcomeEvent'")
            let highest = max(last ?? 0, try Int64.fetchOne(db, sql: "SELECT max(id) FROM outcomeEvent") ?? 0)
            let firstEvent = highest + 1
            if last == nil {
                try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('outcomeEvent', ?)", arguments: [highest + Int64(parsed.count)])
            } else {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'outcomeEvent'", arguments: [highest + Int64(parsed.count)])
            }
            try db.execute(sql: """
                INSERT INTO studyColumns (campaignId, importId, format, tests, applications, positives, firstEvent, observedAt, recordedAt, data)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [options.id, importID, summary.tests, parsed.count, positives, firstEvent,
                                 Timestamp.local(now), Timestamp.utc(now), blob])
            return summary
        }
    }
}

extension Ledger {
    /// A field holding a whole number ≥ 1 (a send position), read from its ASCII digits.
    fileprivate static func positiveInteger(_ csv: CSVRows, _ record: Int, _ column: Int) -> Int32? {
        csv.withBytes(record, column) { bytes in
            guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
            var value: Int32 = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value >= 1 ? value : nil
        }
    }
}
