import Campaigns
import Foundation
import GRDB
import Values

/// Where a campaign's or study's applications live. A planned campaign's are rows of
/// `test` and `application` (``RowStorage``); an imported study's are one columns blob
/// (``StoredStudy``, StudyColumns.swift), with rows only for the applications whose answer
/// was corrected. Readers (`applications`, `applicationColumns`, `events`) ask
/// ``Ledger/storage(_:campaign:)`` for the storage and call it: none of them branches on
/// which one it is, and a new storage path is one more conformance.
protocol ApplicationStorage {
    /// Every application with its answer in force, as the analysis's columns.
    func columns(_ db: Database, scale: [String]) throws -> ApplicationColumns
    /// Every application with its answer in force, one record each (tidy).
    func records(_ db: Database, scale: [String], positiveThreshold: String) throws -> [ApplicationRecord]
    /// The whole event log, corrections included, oldest first.
    func events(_ db: Database) throws -> [OutcomeEvent]
    /// The applications export (header and rows) into a stream of CSV chunks.
    func writeRecordsCSV(_ db: Database, scale: [String], positiveThreshold: String, into stream: inout CSVChunks) throws
    /// Each event of the log, oldest first, without holding them all.
    func forEachEvent(_ db: Database, _ body: (OutcomeEvent) -> Void) throws
    /// The event log's rows (no header) into a stream of CSV chunks.
    func writeEventsCSV(_ db: Database, into stream: inout CSVChunks) throws
}

extension ApplicationStorage {
    /// From the records (a planned campaign: thousands of applications, not millions).
    func writeRecordsCSV(_ db: Database, scale: [String], positiveThreshold: String, into stream: inout CSVChunks) throws {
        let rows = try records(db, scale: scale, positiveThreshold: positiveThreshold)
        let attributeKeys = Array(Set(rows.flatMap(\.attributes.keys))).sorted()
        stream.row(Ledger.applicationsHeader(attributeKeys: attributeKeys).map { CSVWriter.field(.text($0)) })
        for r in rows {
            let leading: [CSVWriter.Cell] = [.text(r.campaign), .text(r.test), .text(r.target), .text(r.organization ?? "")]
            let attributes: [CSVWriter.Cell] = attributeKeys.map { .text(r.attributes[$0] ?? "") }
            let trailing: [CSVWriter.Cell] = [.text(r.application), .text(r.arm), .int(r.replicate), .int(r.sendOrder), .text(r.sendAt ?? ""), .text(r.tester ?? ""),
                   .text(r.outcome ?? ""), .text(r.positive.map { $0 ? "true" : "false" } ?? ""), .text(r.observedAt ?? ""), .int(r.eventID),
                   .text(r.simulated ? "true" : "false")]
            stream.row((leading + attributes + trailing).map(CSVWriter.field))
        }
    }

    func forEachEvent(_ db: Database, _ body: (OutcomeEvent) -> Void) throws {
        for event in try events(db) { body(event) }
    }

    func writeEventsCSV(_ db: Database, into stream: inout CSVChunks) throws {
        try forEachEvent(db) { stream.row(Ledger.eventCells($0).map(CSVWriter.field)) }
    }
}

extension Ledger {
    /// The storage of `campaign`'s applications. `names`: false when the reader never names
    /// a test (the analysis's columns): a stored study's targets are then not decoded.
    static func storage(_ db: Database, campaign: String, names: Bool = true) throws -> any ApplicationStorage {
        try StoredStudy.load(db, campaign: campaign, names: names) ?? RowStorage(campaign: campaign)
    }
}

/// A planned campaign's applications: rows of `test`, `application` and `outcomeEvent`.
struct RowStorage: ApplicationStorage {
    let campaign: String

    func events(_ db: Database) throws -> [OutcomeEvent] {
        try Row.fetchAll(db, sql: OutcomeEvent.select + " WHERE a.campaignId = ? ORDER BY e.id", arguments: [campaign]).map(OutcomeEvent.init(row:))
    }

    func records(_ db: Database, scale: [String], positiveThreshold: String) throws -> [ApplicationRecord] {
        let cut = scale.firstIndex(of: positiveThreshold) ?? scale.count
        // A cursor, columns read by position: name lookups and copied rows cost more than
        // the query itself at 10^6 applications (bench/README.md).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.campaignId, t.code AS test, t.targetId, t.organization, t.attributes, a.attributes AS applicationAttributes, a.code, a.arm, a.replicate, a.sendOrder,
                   a.sendAt, a.tester, o.level, o.observedAt, o.id AS eventId, o.simulated, o.measures
            FROM application a JOIN test t ON t.id = a.testId LEFT JOIN currentOutcome o ON o.applicationId = a.id
            WHERE a.campaignId = ? ORDER BY t.id, a.id
            """, arguments: [campaign])
        // Attribute strings repeat (every test of a slice shares one): decode each once.
        var decoded: [String: [String: String]] = [:]
        func decode(_ text: String) -> [String: String] {
            if text == "{}" { return [:] }
            if let known = decoded[text] { return known }
            let value = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
            decoded[text] = value
            return value
        }
        var measureCache: [String: [String: Double]] = [:]
        func measures(_ text: String?) -> [String: Double] {
            guard let text, text != "{}" else { return [:] }
            if let known = measureCache[text] { return known }
            let value = (try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8))) ?? [:]
            measureCache[text] = value
            return value
        }
        // Levels, arms and campaign ids repeat too: keep one copy of each string.
        var levels: [String: Bool] = [:]
        for (index, level) in scale.enumerated() { levels[level] = index >= cut }
        var records: [ApplicationRecord] = []
        while let row = try rows.next() {
            let level: String? = row[12]
            var attributes = decode(row[4])
            let own = decode(row[5])
            if !own.isEmpty { attributes.merge(own) { _, application in application } }
            records.append(ApplicationRecord(
                campaign: campaign, test: row[1], target: row[2], organization: row[3],
                attributes: attributes, application: row[6], arm: row[7], replicate: row[8],
                sendOrder: row[9], sendAt: row[10], tester: row[11], outcome: level,
                positive: level.map { levels[$0] ?? false }, observedAt: row[13],
                eventID: row[14], simulated: (row[15] as Bool?) ?? false, measures: measures(row[16])))
        }
        return records
    }
}

extension StoredStudy: ApplicationStorage {
    func columns(_ db: Database, scale: [String]) throws -> ApplicationColumns {
        analysisColumns(scale: scale, overlays: try StoredStudy.overlays(db, campaign: campaign))
    }

    func records(_ db: Database, scale: [String], positiveThreshold: String) throws -> [ApplicationRecord] {
        records(scale: scale, positiveThreshold: positiveThreshold, overlays: try StoredStudy.overlays(db, campaign: campaign))
    }

    /// The answers kept in the blob (those never corrected), with the rows of the copied and
    /// corrected ones, by id.
    func events(_ db: Database) throws -> [OutcomeEvent] {
        try (uncorrectedEvents(overlays: StoredStudy.overlays(db, campaign: campaign)) + RowStorage(campaign: campaign).events(db)).sorted { $0.id < $1.id }
    }
}
