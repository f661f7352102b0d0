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
            return try Self.storage(db, campaign: campaign, names: false).columns(db, scale: scale)
        }
    }
}

extension RowStorage {
    /// The columns of a planned campaign's rows, read in three range scans straight from
    /// SQLite's statements (no row objects, no string per application), then put in test
    /// order with each application's merged slice values:
    /// ``readTests``, ``readApplications``, ``readAnswers``, ``assemble``.
    func columns(_ db: Database, scale: [String]) throws -> ApplicationColumns {
        var columns = ApplicationColumns()
        columns.scale = scale
        guard let tests = try Self.readTests(db, campaign: campaign, into: &columns),
              let applications = try Self.readApplications(db, campaign: campaign, tests: tests, into: &columns) else { return columns }
        try Self.readAnswers(db, applications: applications, into: &columns)
        Self.assemble(tests, applications, into: &columns)
        return columns
    }

    /// What the tests scan gives: per test (by position), its organization and attribute text.
    struct TestScan {
        let firstID: Int64
        /// Test id − firstID → position (−1: another campaign's test).
        let slot: [Int32]
        let organization: [Int32]
        let attributes: [Int32]
        let attributeTexts: [String]
    }

    /// What the applications scan gives, per application in id order.
    struct ApplicationScan {
        let firstID: Int64, lastID: Int64
        /// Application id − firstID → position (−1: another campaign's application).
        let slot: [Int32]
        let test: [Int32], arm: [Int32], sendOrder: [Int32], tester: [Int32]
        let ownAttributes: [Int32]
        let ownAttributeTexts: [String]
    }

    /// Tests, by id: code, organization, attributes. `+campaignId` keeps SQLite on the rowid
    /// range instead of the (campaignId, code) index, so no sort is needed. Nil: no test.
    private static func readTests(_ db: Database, campaign: String, into columns: inout ApplicationColumns) throws -> TestScan? {
        guard let range = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM test WHERE campaignId = ?", arguments: [campaign]),
              let first = range[0] as Int64?, let last = range[1] as Int64? else { return nil }
        var slot = [Int32](repeating: -1, count: Int(last - first + 1))
        var organization: [Int32] = [], attributes: [Int32] = []
        var organizations = TextPositions(), attributeTexts = TextPositions()
        try scan(db, sql: "SELECT id, code, organization, attributes FROM test WHERE id BETWEEN ? AND ? AND +campaignId = ?",
                 arguments: [first, last, campaign]) { statement in
            let id = sqlite3_column_int64(statement, 0)
            slot[Int(id - first)] = Int32(columns.tests.count)
            columns.tests.append(text(statement, 1) ?? "")
            organization.append(organizations.position(statement, 2))
            attributes.append(attributeTexts.position(statement, 3))
        }
        columns.organizations = organizations.values
        return TestScan(firstID: first, slot: slot, organization: organization, attributes: attributes, attributeTexts: attributeTexts.values)
    }

    /// Applications, by id: test, arm, send order, tester, own attributes. Nil: none.
    private static func readApplications(_ db: Database, campaign: String, tests: TestScan, into columns: inout ApplicationColumns) throws -> ApplicationScan? {
        guard let range = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM application WHERE campaignId = ?", arguments: [campaign]),
              let first = range[0] as Int64?, let last = range[1] as Int64? else { return nil }
        var slot = [Int32](repeating: -1, count: Int(last - first + 1))
        var arms = TextPositions(), testers = TextPositions(), ownTexts = TextPositions()
        var ownAttributes: [Int32] = []
        var test: [Int32] = [], arm: [Int32] = [], sendOrder: [Int32] = [], tester: [Int32] = []
        try scan(db, sql: "SELECT id, testId, arm, sendOrder, tester, attributes FROM application WHERE id BETWEEN ? AND ? AND +campaignId = ?",
                 arguments: [first, last, campaign]) { statement in
            slot[Int(sqlite3_column_int64(statement, 0) - first)] = Int32(test.count)
            test.append(tests.slot[Int(sqlite3_column_int64(statement, 1) - tests.firstID)])
            arm.append(arms.position(statement, 2))
            sendOrder.append(sqlite3_column_type(statement, 3) == SQLITE_NULL ? -1 : Int32(clamping: sqlite3_column_int64(statement, 3)))
            tester.append(testers.position(statement, 4))
            ownAttributes.append(ownTexts.position(statement, 5))
        }
        columns.arms = arms.values
        columns.testers = testers.values
        return ApplicationScan(firstID: first, lastID: last, slot: slot, test: test, arm: arm, sendOrder: sendOrder, tester: tester,
                               ownAttributes: ownAttributes, ownAttributeTexts: ownTexts.values)
    }

    /// Answers in force (events nothing supersedes), by application: their level as a scale
    /// position and their measures as a decoded set (`columns.level`, `columns.measures`, in
    /// application id order until ``assemble`` puts them in test order), and whether any was
    /// simulated.
    private static func readAnswers(_ db: Database, applications: ApplicationScan, into columns: inout ApplicationColumns) throws {
        var level = [Int32](repeating: -1, count: applications.test.count)
        var measures = [Int32](repeating: 0, count: applications.test.count)
        var levels = TextPositions(), measureTexts = TextPositions()
        try scan(db, sql: """
            SELECT e.applicationId, e.level, e.simulated, e.measures FROM outcomeEvent e
            WHERE e.applicationId BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM outcomeEvent later WHERE later.supersedes = e.id)
            """, arguments: [applications.firstID, applications.lastID]) { statement in
            let position = applications.slot[Int(sqlite3_column_int64(statement, 0) - applications.firstID)]
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
    }

    /// The applications grouped by test (test id order; each test's in application id order),
    /// each with the target's attributes merged with its own (its own win), each distinct
    /// pair decoded and merged once.
    private static func assemble(_ tests: TestScan, _ applications: ApplicationScan, into columns: inout ApplicationColumns) {
        func decode(_ text: String) -> [String: String] {
            text == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        let testSets = tests.attributeTexts.map(decode), ownSets = applications.ownAttributeTexts.map(decode)
        var merged: [Int64: Int32] = [:]
        var setPositions: [[String: String]: Int32] = [[:]: 0]
        let applicationTest = applications.test
        columns.test.reserveCapacity(applicationTest.count)
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
            let own = applications.ownAttributes[i]
            let key = Int64(tests.attributes[t]) << 32 | Int64(UInt32(bitPattern: own))
            let attributes: Int32
            if let known = merged[key] { attributes = known } else {
                var set = tests.attributes[t] < 0 ? [:] : testSets[Int(tests.attributes[t])]
                if own >= 0 { set.merge(ownSets[Int(own)]) { _, own in own } }
                if let existing = setPositions[set] { attributes = existing } else {
                    attributes = Int32(columns.attributeSets.count)
                    columns.attributeSets.append(set)
                    setPositions[set] = attributes
                }
                merged[key] = attributes
            }
            columns.test.append(Int32(t))
            columns.arm.append(applications.arm[i])
            columns.sendOrder.append(applications.sendOrder[i])
            columns.tester.append(applications.tester[i])
            columns.organization.append(tests.organization[t])
            columns.attributes.append(attributes)
        }
        columns.level = order.map { columns.level[$0] }
        columns.measures = order.map { columns.measures[$0] }
    }

    /// Steps a statement, calling `body` with the raw SQLite statement on each row.
    static func scan(_ db: Database, sql: String, arguments: StatementArguments, _ body: (SQLiteStatement) -> Void) throws {
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

    /// A text column's value in the current row; nil for NULL.
    static func text(_ statement: SQLiteStatement, _ column: Int32) -> String? {
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
