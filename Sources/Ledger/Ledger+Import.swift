import Crypto
import Campaigns
import Foundation
import GRDB

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public let importID: Int64
    public let campaigns: [String]
    public let rows: Int
}

extension Ledger {
    /// The columns of an outcomes file (README, "barometre import").
    public static let outcomeColumns = ["campaign", "application", "outcome", "observed_at"]
    public static let optionalOutcomeColumns = ["recorded_by", "note"]
    /// Numeric measures come as extra columns named `measure.<name>` (e.g. `measure.delay_hours`).
    public static let measurePrefix = "measure."

    /// Imports an outcomes CSV: one row per answer, for planned applications.
    ///
    /// All or nothing: every line is checked first and every bad line reported; then all
    /// rows are written in one transaction. Importing the same file again writes nothing
    /// (``LedgerError/alreadyImported(file:importID:importedAt:)``).
    public func importOutcomes(_ data: Data, fileName: String, recordedBy defaultRecorder: String, now: Date = Date()) throws(LedgerError) -> ImportSummary {
        let hash = Self.sha256(data)
        let (header, rows) = try Self.parseCSV(data, fileName: fileName)
        var problems: [LineProblem] = []
        for column in Self.outcomeColumns where !header.contains(column) {
            problems.append(LineProblem(line: 1, column: column, reason: "required column is missing (columns: \(Self.outcomeColumns.joined(separator: ", ")), optional \(Self.optionalOutcomeColumns.joined(separator: ", ")), measure.<name>)"))
        }
        for column in header where !(Self.outcomeColumns + Self.optionalOutcomeColumns).contains(column) && !column.hasPrefix(Self.measurePrefix) {
            problems.append(LineProblem(line: 1, column: column, reason: "unknown column (measures are named measure.<name>)"))
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }
        return try write { db in
            if let previous = try Row.fetchOne(db, sql: "SELECT id, importedAt FROM import WHERE kind = 'outcomes' AND fileHash = ?", arguments: [hash]) {
                throw LedgerError.alreadyImported(file: fileName, importID: previous["id"], importedAt: previous["importedAt"])
            }
            var prepared: [(OutcomeRequest, ApplicationRef)] = []
            var seen: [String: Int] = [:]
            for (line, fields) in rows {
                var lineProblems: [LineProblem] = []
                func value(_ column: String) -> String? { fields[column].flatMap { $0.isEmpty ? nil : $0 } }
                for column in Self.outcomeColumns where value(column) == nil {
                    lineProblems.append(LineProblem(line: line, column: column, reason: "is empty"))
                }
                var measures: [String: Double] = [:]
                for (column, text) in fields where column.hasPrefix(Self.measurePrefix) && !text.isEmpty {
                    if let number = Double(text), number.isFinite { measures[String(column.dropFirst(Self.measurePrefix.count))] = number }
                    else { lineProblems.append(LineProblem(line: line, column: column, reason: "\"\(text)\" is not a number")) }
                }
                guard lineProblems.isEmpty, let campaign = value("campaign"), let code = value("application") else {
                    problems += lineProblems
                    continue
                }
                let key = "\(campaign)|\(code)"
                if let first = seen[key] {
                    problems.append(LineProblem(line: line, column: "application", reason: "\(code) already has an answer on line \(first) of this file"))
                    continue
                }
                seen[key] = line
                let application: ApplicationRef
                do {
                    application = try Self.resolve(db, code: code, campaign: campaign)
                } catch let error as LedgerError {
                    problems.append(LineProblem(line: line, column: "application", reason: error.description.components(separatedBy: "\n")[0]))
                    continue
                }
                if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM currentOutcome WHERE applicationId = ?", arguments: [application.id]) {
                    problems.append(LineProblem(line: line, column: "application",
                                                reason: "\(code) already has an answer (event \(existing)); corrections go through barometre record --correct \(existing)"))
                    continue
                }
                let request = OutcomeRequest(application: code, campaign: campaign, level: value("outcome")!, observedAt: value("observed_at"),
                                             recordedBy: value("recorded_by") ?? defaultRecorder, note: value("note"), measures: measures, source: .import)
                let checks = Self.check(request, application: application, now: now)
                if checks.isEmpty { prepared.append((request, application)) }
                else { problems += checks.map { LineProblem(line: line, column: $0.column, reason: $0.reason) } }
            }
            guard problems.isEmpty else { throw LedgerError.badLines(file: fileName, problems) }
            guard !prepared.isEmpty else { throw LedgerError.badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file has no outcome rows")]) }
            let campaigns = Array(Set(prepared.map(\.1.campaign))).sorted()
            try db.execute(sql: "INSERT INTO import (campaignId, kind, fileName, fileHash, rows, importedAt) VALUES (?, 'outcomes', ?, ?, ?, ?)",
                           arguments: [campaigns[0], fileName, hash, prepared.count, Timestamp.utc(now)])
            let importID = db.lastInsertedRowID
            for (request, application) in prepared {
                _ = try Self.insert(db, request, application: application, supersedes: nil, importID: importID, now: now)
            }
            return ImportSummary(importID: importID, campaigns: campaigns, rows: prepared.count)
        }
    }

    public static func sha256(_ data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Parses a CSV with a header; returns the header and each row keyed by column, with
    /// its line number (the header is line 1; lines are counted as records).
    static func parseCSV(_ data: Data, fileName: String) throws(LedgerError) -> ([String], [(Int, [String: String])]) {
        let (header, rows) = try parseCSVRows(data, fileName: fileName)
        return (header, rows.map { line, row in
            var fields: [String: String] = [:]
            for (column, value) in zip(header, row) { fields[column] = value }
            return (line, fields)
        })
    }

    /// The header and each non-empty row's fields in header order, with its line number.
    static func parseCSVRows(_ data: Data, fileName: String) throws(LedgerError) -> ([String], [(Int, [String])]) {
        let csv = try readCSV(data, fileName: fileName)
        return (csv.header, (0..<csv.count).map { (csv.lines[$0], csv.fields($0)) })
    }

    /// A file the CSV reader refused, as the problem of its line.
    static func csvFailure(_ error: CSVRows.Failure, data: Data, fileName: String) -> LedgerError {
        let problem: LineProblem
        switch error {
        case .notUTF8(let line): problem = LineProblem(line: line, column: nil, reason: "the file is not UTF-8 text; save it as UTF-8 CSV")
        case .tooLarge: problem = LineProblem(line: 1, column: nil, reason: "the file is larger than 2 GB; split it, or import its studies one by one")
        case .unclosedQuote(let line): problem = LineProblem(line: line, column: nil, reason: "not valid CSV: a quoted field is not closed (a \" is missing)")
        case .textAfterQuote(let line): problem = LineProblem(line: line, column: nil, reason: "not valid CSV: text after a closing quote (double a \" inside a quoted field)")
        case .controlCharacter(let line, let column, let scalar):
            // The header's names, read plainly (the file could not be parsed as a whole).
            let firstLine = data.prefix { $0 != UInt8(ascii: "\n") }
            let names = String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"")) }
            let name = line == 1 ? nil : (column < names.count ? names[column] : nil)
            let character = Unicode.Scalar(scalar).map { TextSafety.name($0) } ?? "U+\(String(scalar, radix: 16, uppercase: true))"
            problem = LineProblem(line: line, column: name, reason: "holds an invisible control character (\(character)), which would cut or garble the text; "
                                  + "remove it (line breaks are allowed inside a quoted field) and import the file again")
        }
        return .badLines(file: fileName, [problem])
    }

    /// The file as CSV records; refused, naming the lines, when it is not UTF-8, not valid
    /// CSV, has no header, or has a row with more or fewer fields than the header.
    static func readCSV(_ data: Data, fileName: String) throws(LedgerError) -> CSVRows {
        let csv: CSVRows
        do { csv = try CSVRows(data) } catch { throw csvFailure(error, data: data, fileName: fileName) }
        let header = csv.header
        guard !header.isEmpty, !header.allSatisfy(\.isEmpty) else {
            throw .badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file is empty: a header row is needed")])
        }
        let problems = csv.malformed.map {
            LineProblem(line: $0.line, column: nil, reason: "has \($0.count) fields, the header has \(header.count); quote fields that contain commas")
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }
        return csv
    }
}

extension Ledger {
    /// Records simulated outcomes for a campaign in one transaction, flagged simulated and
    /// sourced "simulation". Refused when the campaign already holds answers; the same
    /// scenario and seed again write nothing (``LedgerError/alreadyImported(file:importID:importedAt:)``).
    public func recordSimulation(campaign: String, outcomes: [(code: String, level: String, observedAt: String)], scenarioHash: String,
                                 label: String, now: Date = Date()) throws(LedgerError) -> Int {
        try write { db in
            if let previous = try Row.fetchOne(db, sql: "SELECT id, importedAt FROM import WHERE kind = 'simulation' AND fileHash = ? AND campaignId = ?",
                                               arguments: [scenarioHash, campaign]) {
                throw LedgerError.alreadyImported(file: label, importID: previous["id"], importedAt: previous["importedAt"])
            }
            let answered = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM outcomeEvent e JOIN application a ON a.id = e.applicationId WHERE a.campaignId = ?
                """, arguments: [campaign]) ?? 0
            guard answered == 0 else {
                throw LedgerError.refused("campaign \(campaign) already holds \(answered) answer\(answered == 1 ? "" : "s"): simulated outcomes would mix with them",
                                          hint: "simulate into a campaign without answers, e.g. a copy planned in another ledger (--db)")
            }
            try db.execute(sql: "INSERT INTO import (campaignId, kind, fileName, fileHash, rows, importedAt) VALUES (?, 'simulation', ?, ?, ?, ?)",
                           arguments: [campaign, label, scenarioHash, outcomes.count, Timestamp.utc(now)])
            let importID = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: """
                INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source, simulated, importId)
                VALUES ((SELECT id FROM application WHERE campaignId = ? AND code = ?), ?, ?, ?, 'simulate', 'simulation', 1, ?)
                """)
            for outcome in outcomes {
                try insert.execute(arguments: [campaign, outcome.code, outcome.level, outcome.observedAt, Timestamp.utc(now), importID])
            }
            return outcomes.count
        }
    }
}
