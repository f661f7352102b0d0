import Foundation
import GRDB
import GRDBSQLite
import Values

extension Ledger {
    /// Every application of a campaign or study, with the answer in force, as columns (the
    /// same content as ``applications(campaign:)``, for analysis).
    public func applicationColumns(campaign: String) throws(LedgerError) -> ApplicationColumns {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT scale FROM campaign WHERE id = ?", arguments: [campaign]) else {
                throw LedgerError.notFound("no campaign or study \(campaign) in \(path)", hint: "barometre status lists what the ledger holds")
            }
            let scale = (try? JSONDecoder().decode([String].self, from: Data((row["scale"] as String).utf8))) ?? []
            if let study = try StoredStudy.load(db, campaign: campaign) {
                return study.analysisColumns(scale: scale, overlays: try StoredStudy.overlays(db, campaign: campaign))
            }
            var columns = ApplicationColumns()
            columns.scale = scale
            try Self.readColumns(db, campaign: campaign, into: &columns)
            return columns
        }
    }

    private static func readColumns(_ db: Database, campaign: String, into columns: inout ApplicationColumns) throws {
        // Tests, by id: code, organization, attributes. `+campaignId` keeps SQLite on the
        // rowid range instead of the (campaignId, code) index, so no sort is needed.
        guard let testRange = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM test WHERE campaignId = ?", arguments: [campaign]),
              let firstTest = testRange[0] as Int64?, let lastTest = testRange[1] as Int64? else { return }
        var testSlot = [Int32](repeating: -1, count: Int(lastTest - firstTest + 1))
        var testOrganization: [Int32] = [], testAttributes: [Int32] = []
        var organizations = TextPositions(), attributeTexts = TextPositions()
        try scan(db, sql: "SELECT id, code, organization, attributes FROM test WHERE id BETWEEN ? AND ? AND +campaignId = ?",
                 arguments: [firstTest, lastTest, campaign]) { statement in
            let id = sqlite3_column_int64(statement, 0)
            testSlot[Int(id - firstTest)] = Int32(columns.tests.count)
            columns.tests.append(text(statement, 1) ?? "")
            testOrganization.append(organizations.position(statement, 2))
            testAttributes.append(attributeTexts.position(statement, 3))
        }
        columns.organizations = organizations.values

        // Applications, by id: test, arm, send order, tester, own attributes.
        guard let range = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM application WHERE campaignId = ?", arguments: [campaign]),
              let first = range[0] as Int64?, let last = range[1] as Int64? else { return }
        var slot = [Int32](repeating: -1, count: Int(last - first + 1))
        var arms = TextPositions(), testers = TextPositions(), ownTexts = TextPositions()
        var ownAttributes: [Int32] = []
        var applicationTest: [Int32] = [], applicationArm: [Int32] = [], applicationOrder: [Int32] = [], applicationTester: [Int32] = []
        try scan(db, sql: "SELECT id, testId, arm, sendOrder, tester, attributes FROM application WHERE id BETWEEN ? AND ? AND +campaignId = ?",
                 arguments: [first, last, campaign]) { statement in
            slot[Int(sqlite3_column_int64(statement, 0) - first)] = Int32(applicationTest.count)
            let testID = sqlite3_column_int64(statement, 1)
            applicationTest.append(testSlot[Int(testID - firstTest)])
            applicationArm.append(arms.position(statement, 2))
            applicationOrder.append(sqlite3_column_type(statement, 3) == SQLITE_NULL ? -1 : Int32(clamping: sqlite3_column_int64(statement, 3)))
            applicationTester.append(testers.position(statement, 4))
            ownAttributes.append(ownTexts.position(statement, 5))
        }
        columns.arms = arms.values
        columns.testers = testers.values

        // Answers in force (events nothing supersedes), by application.
        var level = [Int32](repeating: -1, count: applicationTest.count)
        var measures = [Int32](repeating: 0, count: applicationTest.count)
        var levels = TextPositions(), measureTexts = TextPositions()
        try scan(db, sql: """
            SELECT e.applicationId, e.level, e.simulated, e.measures FROM outcomeEvent e
            WHERE e.applicationId BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM outcomeEvent later WHERE later.supersedes = e.id)
            """, arguments: [first, last]) { statement in
            let position = slot[Int(sqlite3_column_int64(statement, 0) - first)]
            guard position >= 0 else { return }  // another campaign's application inside the id range
            level[Int(position)] = levels.position(statement, 1)
            measures[Int(position)] = measureTexts.position(statement, 3)
            if sqlite3_column_int64(statement, 2) != 0 { columns.simulated = true }
        }
        // Level texts → scale positions; measure texts → decoded sets (0 stays the empty set).
        let scalePosition = levels.values.map { columns.scale.firstIndex(of: $0).map(Int32.init) ?? -1 }
        columns.level = level.map { $0 < 0 ? -1 : scalePosition[Int($0)] }
        var measureSet = [Int32](repeating: 0, count: measureTexts.values.count)
        for (k, text) in measureTexts.values.enumerated() where text != "{}" {
            let value = (try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8))) ?? [:]
            if !value.isEmpty {
                measureSet[k] = Int32(columns.measureSets.count)
                columns.measureSets.append(value)
            }
        }
        // The same application with no answer in force has measure position 0 (empty).
        columns.measures = zip(level, measures).map { $0.0 < 0 ? 0 : measureSet[Int($0.1)] }

        // Attributes: the target's, merged with the application's own (its own win), each
        // distinct pair decoded and merged once.
        func decode(_ text: String) -> [String: String] {
            text == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        let testSets = attributeTexts.values.map(decode), ownSets = ownTexts.values.map(decode)
        var merged: [Int64: Int32] = [:]
        var setPositions: [[String: String]: Int32] = [[:]: 0]
        columns.test.reserveCapacity(applicationTest.count)
        // Applications grouped by test (test id order), each test's in application id order.
        var counts = [Int](repeating: 0, count: columns.tests.count + 1)
        for t in applicationTest { counts[Int(t) + 1] += 1 }
        for t in 0..<columns.tests.count { counts[t + 1] += counts[t] }
        var order = [Int](repeating: 0, count: applicationTest.count)
        for (i, t) in applicationTest.enumerated() {
            order[counts[Int(t)]] = i
            counts[Int(t)] += 1
        }
        for i in order {
            let t = Int(applicationTest[i])
            let key = Int64(testAttributes[t]) << 32 | Int64(UInt32(bitPattern: ownAttributes[i]))
            let attributes: Int32
            if let known = merged[key] { attributes = known } else {
                var set = testAttributes[t] < 0 ? [:] : testSets[Int(testAttributes[t])]
                if ownAttributes[i] >= 0 { set.merge(ownSets[Int(ownAttributes[i])]) { _, own in own } }
                if let existing = setPositions[set] { attributes = existing } else {
                    attributes = Int32(columns.attributeSets.count)
                    columns.attributeSets.append(set)
                    setPositions[set] = attributes
                }
                merged[key] = attributes
            }
            columns.test.append(Int32(t))
            columns.arm.append(applicationArm[i])
            columns.sendOrder.append(applicationOrder[i])
            columns.tester.append(applicationTester[i])
            columns.organization.append(testOrganization[t])
            columns.attributes.append(attributes)
        }
        columns.level = order.map { columns.level[$0] }
        columns.measures = order.map { columns.measures[$0] }
    }

    /// Steps a statement, calling `body` with the raw SQLite statement on each row.
    private static func scan(_ db: Database, sql: String, arguments: StatementArguments, _ body: (SQLiteStatement) -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            body(raw)
        }
    }

    private static func text(_ statement: SQLiteStatement, _ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }
}

extension TextPositions {
    /// The position of a text column's value in the current row; −1 for NULL.
    mutating func position(_ statement: SQLiteStatement, _ column: Int32) -> Int32 {
        guard let pointer = sqlite3_column_text(statement, column) else { return -1 }
        return position(UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))))
    }
}
