import Foundation
import GRDB
import GRDBSQLite
import Values

/// A study stored as columns (migration v3), with what it needs to stand for the rows a
/// relational import would have written: its import, its block of event ids and the
/// imported answers' timestamps.
struct StoredStudy {
    let campaign: String
    let importID: Int64
    /// The event id of application 0's imported answer; application k's is firstEvent + k.
    let firstEvent: Int64
    let observedAt: String
    let recordedAt: String
    let columns: StudyColumns

    /// The imported levels: `positive` 0 or 1 indexes the study scale.
    static let level = Ledger.studyScale

    /// Each stored slice-value set, decoded once.
    func attributeSets() -> [[String: String]] {
        columns.attributeTexts.map { text in
            text == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
    }

    /// The study's stored columns, or `nil` when it was imported row by row (before v3) or is a campaign.
    ///
    /// The blob is decoded where SQLite put it while the row is current, not copied into a
    /// `Data` first: at 10⁶ tests that is 30 MB less to copy, in fresh memory the kernel must
    /// hand over page by page.
    ///
    /// `names`: false leaves the targets' names undecoded (``StudyColumns/targets`` empty)
    /// unless an application was copied into the relational tables (a correction), whose
    /// code must then be found: for the analysis, which never names a test.
    static func load(_ db: Database, campaign: String, names: Bool = true) throws -> StoredStudy? {
        let names = try names || Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM application WHERE campaignId = ?)", arguments: [campaign]) == true
        var study: StoredStudy?, unreadable = false
        try RowStorage.scan(db, sql: """
            SELECT importId, firstEvent, observedAt, recordedAt, data FROM studyColumns WHERE campaignId = ?
            """, arguments: [campaign]) { raw in
            // The blob's pointer first, then its length (SQLite's documented order).
            let blob = sqlite3_column_blob(raw, 4), length = Int(sqlite3_column_bytes(raw, 4))
            guard let blob, let columns = StudyColumns(UnsafeRawBufferPointer(start: blob, count: length), names: names) else { unreadable = true; return }
            study = StoredStudy(campaign: campaign, importID: sqlite3_column_int64(raw, 0), firstEvent: sqlite3_column_int64(raw, 1),
                                observedAt: RowStorage.text(raw, 2) ?? "", recordedAt: RowStorage.text(raw, 3) ?? "", columns: columns)
        }
        if unreadable {
            throw LedgerError.database(DatabaseFailure(message: "the stored columns of study \(campaign) cannot be read (format 1 or 2 expected); was the ledger written by a newer barometre?"))
        }
        return study
    }

    /// Studies stored as columns (all of them, or `campaign` only).
    static func ids(_ db: Database, campaign: String?) throws -> [String] {
        if let campaign { return try String.fetchAll(db, sql: "SELECT campaignId FROM studyColumns WHERE campaignId = ?", arguments: [campaign]) }
        return try String.fetchAll(db, sql: "SELECT campaignId FROM studyColumns ORDER BY campaignId")
    }

    /// An application of the study, by code (`TARGET-POSITION`).
    struct Application {
        let index: Int
        let test: Int
        let code: String
        let replicate: Int
    }

    func application(code: String) -> Application? {
        guard let dash = code.lastIndex(of: "-"), let position = Int(code[code.index(after: dash)...]), position >= 1 else { return nil }
        let target = String(code[..<dash])
        guard let test = columns.targets.firstIndex(of: target), position <= Int(columns.testSize[test]) else { return nil }
        let start = columns.starts()[test]
        let index = start + position - 1
        let replicate = (start...index).filter { columns.arm[$0] == columns.arm[index] }.count
        return Application(index: index, test: test, code: code, replicate: replicate)
    }

    /// Codes of the applications already copied into the relational tables (those with a
    /// correction), with their answer in force.
    struct Overlay {
        let code: String
        let level: String?
        let observedAt: String?
        let eventID: Int64?
        let simulated: Bool
        let measures: String?
    }

    static func overlays(_ db: Database, campaign: String) throws -> [Overlay] {
        try Row.fetchAll(db, sql: """
            SELECT a.code, o.level, o.observedAt, o.id, o.simulated, o.measures
            FROM application a LEFT JOIN currentOutcome o ON o.applicationId = a.id WHERE a.campaignId = ? ORDER BY a.id
            """, arguments: [campaign]).map {
            Overlay(code: $0[0], level: $0[1], observedAt: $0[2], eventID: $0[3], simulated: ($0[4] as Bool?) ?? false, measures: $0[5])
        }
    }

    /// Application positions by code, for the overlays (built only when there are some):
    /// a code is TARGET-POSITION, so only the overlays' targets are looked for.
    func indexByCode(_ codes: [String]) -> [String: Int] {
        guard !codes.isEmpty else { return [:] }
        var wanted: [String: [(code: String, position: Int)]] = [:]
        for code in codes {
            guard let dash = code.lastIndex(of: "-"), let position = Int(code[code.index(after: dash)...]), position >= 1 else { continue }
            wanted[String(code[..<dash]), default: []].append((code, position))
        }
        let starts = columns.starts()
        var result: [String: Int] = [:]
        for (test, target) in columns.targets.enumerated() {
            guard let entries = wanted[target] else { continue }
            for entry in entries where entry.position <= Int(columns.testSize[test]) { result[entry.code] = starts[test] + entry.position - 1 }
        }
        return result
    }

    /// Copies one application, its test and its imported answer (with its reserved event
    /// id) into the relational tables, so that a correction can supersede that answer. The
    /// ledger says the same thing before and after: every reader overlays these rows on
    /// the columns. Returns the application's row id.
    func materialize(_ db: Database, _ application: Application) throws -> Int64 {
        let c = columns
        let target = c.targets[application.test]
        let testID: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM test WHERE campaignId = ? AND code = ?", arguments: [campaign, target]) {
            testID = existing
        } else {
            let organization = c.testOrganization[application.test]
            try db.execute(sql: "INSERT INTO test (campaignId, code, targetId, organization, attributes) VALUES (?, ?, ?, ?, ?)",
                           arguments: [campaign, target, target, organization < 0 ? nil : c.organizations[Int(organization)],
                                       c.attributeTexts[Int(c.testAttributes[application.test])]])
            testID = db.lastInsertedRowID
        }
        let i = application.index
        try db.execute(sql: "INSERT INTO application (campaignId, testId, code, arm, replicate, sendOrder, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [campaign, testID, application.code, c.arms[Int(c.arm[i])], application.replicate,
                                   c.sendOrder[i] < 0 ? nil : Int(c.sendOrder[i]), c.attributeTexts[Int(c.attributes[i])]])
        let applicationID = db.lastInsertedRowID
        try db.execute(sql: """
            INSERT INTO outcomeEvent (id, applicationId, level, observedAt, recordedAt, recordedBy, source, importId)
            VALUES (?, ?, ?, ?, ?, 'import-study', 'study', ?)
            """, arguments: [firstEvent + Int64(i), applicationID, Self.level[Int(c.positive[i])], observedAt, recordedAt, importID])
        return applicationID
    }

    /// The imported answer of an application, as an event.
    func importedEvent(_ application: Application) -> OutcomeEvent {
        OutcomeEvent(id: firstEvent + Int64(application.index), campaign: campaign, application: application.code,
                     level: Self.level[Int(columns.positive[application.index])], observedAt: observedAt, recordedAt: recordedAt,
                     recordedBy: "import-study", source: OutcomeSource.study.rawValue, note: nil, measures: "{}",
                     supersedes: nil, supersededBy: nil, simulated: false)
    }
}

extension Ledger {
    /// Where an application code lives: a relational row, or an imported study's columns.
    enum Located {
        case row(ApplicationRef)
        case imported(StoredStudy, StoredStudy.Application)
    }

    static func locate(_ db: Database, code: String, campaign: String?) throws -> Located {
        var found: [(String, Located)] = []
        var notFound: LedgerError?
        do {
            let row = try resolveRow(db, code: code, campaign: campaign)
            found.append((row.campaign, .row(row)))
        } catch let error as LedgerError {
            guard case .notFound = error else { throw error }
            notFound = error
        }
        let materialized = Set(found.map(\.0))
        // A code is TARGET-POSITION: only a study with that target is decoded.
        if let dash = code.lastIndex(of: "-") {
            let target = String(code[..<dash])
            for id in try StoredStudy.ids(db, campaign: campaign) where !materialized.contains(id) {
                guard let data = try Data.fetchOne(db, sql: "SELECT data FROM studyColumns WHERE campaignId = ?", arguments: [id]),
                      StudyColumns.hasTarget(data, target) else { continue }
                if let study = try StoredStudy.load(db, campaign: id), let application = study.application(code: code) {
                    found.append((id, .imported(study, application)))
                }
            }
        }
        if found.count == 1 { return found[0].1 }
        if found.isEmpty, let notFound { throw notFound }
        throw LedgerError.refused("application \(code) exists in several campaigns (\(found.map(\.0).sorted().joined(separator: ", ")))",
                                  hint: "add --campaign ID")
    }

    /// For writing: the application's row, copying it from its study's columns first if needed.
    static func resolve(_ db: Database, code: String, campaign: String?) throws -> ApplicationRef {
        switch try locate(db, code: code, campaign: campaign) {
        case .row(let ref): return ref
        case .imported(let study, let application):
            _ = try study.materialize(db, application)
            return try resolveRow(db, code: code, campaign: study.campaign)
        }
    }

    /// The study stored as columns whose block of event ids holds `eventID`, with that application.
    static func importedEvent(_ db: Database, id eventID: Int64) throws -> (StoredStudy, StoredStudy.Application)? {
        guard let campaign = try String.fetchOne(db, sql: """
            SELECT campaignId FROM studyColumns WHERE ? BETWEEN firstEvent AND firstEvent + applications - 1
            """, arguments: [eventID]), let study = try StoredStudy.load(db, campaign: campaign) else { return nil }
        let index = Int(eventID - study.firstEvent)
        var found: StoredStudy.Application?
        study.columns.forEachApplication { i, test, position, replicate in
            if i == index { found = StoredStudy.Application(index: i, test: test, code: "\(study.columns.targets[test])-\(position + 1)", replicate: replicate) }
        }
        return found.map { (study, $0) }
    }
}

extension StoredStudy {
    /// The study as analysis columns (``Ledger/applicationColumns(campaign:)``): the imported
    /// answers, with the answer in force of any corrected application laid over them.
    func analysisColumns(scale: [String], overlays: [Overlay]) -> ApplicationColumns {
        let c = columns
        var result = ApplicationColumns()
        result.scale = scale
        result.tests = c.targets  // empty when the names were not decoded: `testStarts` counts the tests
        result.arms = c.arms
        result.organizations = c.organizations
        let n = c.applications
        // Two independent halves of about the same work, side by side: the imported levels as
        // scale positions with each application's organization (its test's), and each
        // application's test and slice-value set. No tester and no measures: those columns
        // stay empty (nothing per application).
        let levelPosition = Self.level.map { scale.firstIndex(of: $0).map(Int32.init) ?? -1 }
        let (perApplication, perTest) = bothAtOnce({ () -> (level: [Int32], organization: [Int32]) in
            // Written for every application by the loop below (the tests' sizes add up to n).
            var organizations = [Int32](unwritten: n)
            var i = 0
            for t in c.testSize.indices {
                let organization = c.testOrganization[t]
                for _ in 0..<Int(c.testSize[t]) { organizations[i] = organization; i += 1 }
            }
            return (c.positive.map { levelPosition[Int($0)] }, organizations)
        }, { () -> (test: [Int32], attributes: [Int32], sets: [[String: String]], starts: [Int]) in
            // Each application's slice values are its own set (which holds the test's shared
            // ones too): decode each distinct set once, keep them in order of first use.
            let decoded = attributeSets()
            var sets: [[String: String]] = [[:]]
            var setPositions: [[String: String]: Int32] = [[:]: 0]
            var byText = [Int32](repeating: -1, count: c.attributeTexts.count)
            // Written for every application by the loop below (the tests' sizes add up to n).
            var test = [Int32](unwritten: n), attributes = [Int32](unwritten: n)
            var starts = [Int](unwritten: c.testCount + 1)
            var i = 0
            for t in 0..<c.testCount {
                let size = Int(c.testSize[t])
                starts[t] = i
                for _ in 0..<size {
                    test[i] = Int32(t)
                    let text = Int(c.attributes[i])
                    if byText[text] < 0 {
                        // The test's shared values merged with the application's own (its own win).
                        var set = decoded[Int(c.testAttributes[t])]
                        set.merge(decoded[text]) { _, own in own }
                        if let known = setPositions[set] { byText[text] = known } else {
                            byText[text] = Int32(sets.count)
                            sets.append(set)
                            setPositions[set] = byText[text]
                        }
                    }
                    attributes[i] = byText[text]
                    i += 1
                }
            }
            starts[c.testCount] = i
            return (test, attributes, sets, starts)  // no test is empty (``StudyColumns/validated(names:)``)
        })
        result.level = perApplication.level
        result.organization = perApplication.organization
        result.sendOrder = c.sendOrder
        result.arm = c.arm
        result.test = perTest.test
        result.attributes = perTest.attributes
        result.attributeSets = perTest.sets
        result.testStarts = perTest.starts
        // Corrections: the answer in force of each copied application.
        let positions = indexByCode(overlays.map(\.code))
        for overlay in overlays {
            guard let k = positions[overlay.code] else { continue }
            result.level[k] = overlay.level.flatMap { scale.firstIndex(of: $0) }.map(Int32.init) ?? -1
            if overlay.simulated { result.simulated = true }
            if let text = overlay.measures, text != "{}",
               let value = try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8)), !value.isEmpty {
                if result.measures.isEmpty { result.measures = [Int32](repeating: 0, count: n) }
                if let known = result.measureSets.firstIndex(of: value) { result.measures[k] = Int32(known) } else {
                    result.measures[k] = Int32(result.measureSets.count)
                    result.measureSets.append(value)
                }
            }
        }
        return result
    }

    /// The study's applications with the answer in force (``Ledger/applications(campaign:)``).
    func records(scale: [String], positiveThreshold: String, overlays: [Overlay]) -> [ApplicationRecord] {
        let c = columns
        let cut = scale.firstIndex(of: positiveThreshold) ?? scale.count
        let decoded = attributeSets()
        let positions = indexByCode(overlays.map(\.code))
        var overlayAt: [Int: Overlay] = [:]
        for overlay in overlays { if let k = positions[overlay.code] { overlayAt[k] = overlay } }
        var records: [ApplicationRecord] = []
        records.reserveCapacity(c.applications)
        c.forEachApplication { i, t, position, replicate in
            var attributes = decoded[Int(c.testAttributes[t])]
            attributes.merge(decoded[Int(c.attributes[i])]) { _, own in own }
            let organization = c.testOrganization[t]
            let overlay = overlayAt[i]
            let level = overlay.map(\.level) ?? Self.level[Int(c.positive[i])]
            records.append(ApplicationRecord(
                campaign: campaign, test: c.targets[t], target: c.targets[t], organization: organization < 0 ? nil : c.organizations[Int(organization)],
                attributes: attributes, application: "\(c.targets[t])-\(position + 1)", arm: c.arms[Int(c.arm[i])], replicate: replicate,
                sendOrder: c.sendOrder[i] < 0 ? nil : Int(c.sendOrder[i]), sendAt: nil, tester: nil, outcome: level,
                positive: level.map { (scale.firstIndex(of: $0) ?? -1) >= cut },
                observedAt: overlay.map(\.observedAt) ?? observedAt, eventID: overlay.map(\.eventID) ?? firstEvent + Int64(i),
                simulated: overlay?.simulated ?? false,
                measures: overlay?.measures.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) } ?? [:]))
        }
        return records
    }

    /// The imported answers of the applications never corrected (the others' are rows).
    func uncorrectedEvents(overlays: [Overlay]) -> [OutcomeEvent] {
        let copied = Set(indexByCode(overlays.map(\.code)).values)
        var events: [OutcomeEvent] = []
        events.reserveCapacity(columns.applications - copied.count)
        columns.forEachApplication { i, t, position, replicate in
            guard !copied.contains(i) else { return }
            events.append(importedEvent(Application(index: i, test: t, code: "\(columns.targets[t])-\(position + 1)", replicate: replicate)))
        }
        return events
    }
}
