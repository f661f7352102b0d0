import Foundation
import GRDB
import Campaigns

/// Where an outcome came from.
public enum OutcomeSource: String, Sendable, Codable {
    case cli, `import`, web, study, simulation
}

/// An outcome to record for one application.
public struct OutcomeRequest: Sendable {
    /// The application's code in its campaign (`T0007-2`).
    public var application: String
    /// The campaign, needed only when several campaigns have that application code.
    public var campaign: String?
    public var level: String
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`; defaults to now.
    public var observedAt: String?
    public var recordedBy: String
    public var note: String?
    public var measures: [String: Double]
    public var source: OutcomeSource
    public var simulated: Bool
    /// The idempotency key of the form that sent this answer (issue #14 item 4): a
    /// resubmission with the same key returns the first answer and writes nothing.
    public var requestKey: String?

    public init(application: String, campaign: String? = nil, level: String, observedAt: String? = nil, recordedBy: String,
                note: String? = nil, measures: [String: Double] = [:], source: OutcomeSource = .cli, simulated: Bool = false,
                requestKey: String? = nil) {
        self.requestKey = requestKey
        self.application = application
        self.campaign = campaign
        self.level = level
        self.observedAt = observedAt
        self.recordedBy = recordedBy
        self.note = note
        self.measures = measures
        self.source = source
        self.simulated = simulated
    }
}

/// One recorded answer (a row of `outcomeEvent`).
public struct OutcomeEvent: Sendable, Equatable {
    public let id: Int64
    public let campaign: String
    public let application: String
    public let level: String
    public let observedAt: String
    public let recordedAt: String
    public let recordedBy: String
    public let source: String
    public let note: String?
    public let measures: String
    public let supersedes: Int64?
    /// The event that corrected this one, if any.
    public let supersededBy: Int64?
    public let simulated: Bool

    static let select = """
        SELECT e.*, a.code AS applicationCode, a.campaignId AS campaignId,
               (SELECT later.id FROM outcomeEvent later WHERE later.supersedes = e.id) AS supersededBy
        FROM outcomeEvent e JOIN application a ON a.id = e.applicationId
        """

    init(id: Int64, campaign: String, application: String, level: String, observedAt: String, recordedAt: String, recordedBy: String,
         source: String, note: String?, measures: String, supersedes: Int64?, supersededBy: Int64?, simulated: Bool) {
        self.id = id
        self.campaign = campaign
        self.application = application
        self.level = level
        self.observedAt = observedAt
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.source = source
        self.note = note
        self.measures = measures
        self.supersedes = supersedes
        self.supersededBy = supersededBy
        self.simulated = simulated
    }

    init(row: Row) {
        id = row["id"]
        campaign = row["campaignId"]
        application = row["applicationCode"]
        level = row["level"]
        observedAt = row["observedAt"]
        recordedAt = row["recordedAt"]
        recordedBy = row["recordedBy"]
        source = row["source"]
        note = row["note"]
        measures = row["measures"]
        supersedes = row["supersedes"]
        supersededBy = row["supersededBy"]
        simulated = row["simulated"]
    }
}

extension Ledger {
    /// Records the first answer of an application.
    ///
    /// Refused, with nothing written: an unknown application; a level not on the campaign's
    /// scale; an answer dated before the application was sent, or in the future; an
    /// application that already has an answer (correct it instead).
    public func record(_ request: OutcomeRequest, now: Date = Date()) throws(LedgerError) -> OutcomeEvent {
        try write { db in
            let application = try Self.resolve(db, code: request.application, campaign: request.campaign)
            if let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM currentOutcome WHERE applicationId = ?
                """, arguments: [application.id]) {
                throw LedgerError.refused("application \(request.application) already has an answer (event \(existing))",
                                          hint: "to change it, record a correction: barometre record --correct \(existing) --outcome LEVEL")
            }
            return try Self.insert(db, request, application: application, supersedes: nil, importID: nil, now: now)
        }
    }

    /// Records a correction: a new event that supersedes `eventID`, which stays in the ledger.
    public func correct(eventID: Int64, with request: OutcomeRequest, now: Date = Date()) throws(LedgerError) -> OutcomeEvent {
        try write { db in
            // An imported study's answer is first copied into the tables, with its id.
            if try Row.fetchOne(db, sql: "SELECT 1 FROM outcomeEvent WHERE id = ?", arguments: [eventID]) == nil,
               let (study, application) = try Self.importedEvent(db, id: eventID) {
                _ = try study.materialize(db, application)
            }
            guard let row = try Row.fetchOne(db, sql: OutcomeEvent.select + " WHERE e.id = ?", arguments: [eventID]) else {
                throw LedgerError.notFound("no outcome event \(eventID)", hint: "barometre history APPLICATION lists an application's events")
            }
            let event = OutcomeEvent(row: row)
            if let later = event.supersededBy {
                throw LedgerError.refused("event \(eventID) was already corrected by event \(later)",
                                          hint: "correct the answer in force: barometre record --correct \(later) …")
            }
            let application = try Self.resolve(db, code: event.application, campaign: event.campaign)
            return try Self.insert(db, request, application: application, supersedes: eventID, importID: nil, now: now)
        }
    }

    /// Every event of an application, oldest first, corrections included.
    public func history(application code: String, campaign: String? = nil) throws(LedgerError) -> [OutcomeEvent] {
        try read { db in
            switch try Self.locate(db, code: code, campaign: campaign) {
            case .row(let application):
                return try Row.fetchAll(db, sql: OutcomeEvent.select + " WHERE e.applicationId = ? ORDER BY e.id",
                                        arguments: [application.id]).map(OutcomeEvent.init(row:))
            case .imported(let study, let application):
                return [study.importedEvent(application)]
            }
        }
    }

    struct ApplicationRef {
        let id: Int64
        let campaign: String
        let code: String
        let sendAt: String?
        let scale: [String]
    }

    /// The application's relational row (see ``resolve(_:code:campaign:)`` for imported studies' columns too).
    static func resolveRow(_ db: Database, code: String, campaign: String?) throws -> ApplicationRef {
        var sql = """
            SELECT a.id, a.campaignId, a.code, a.sendAt, c.scale FROM application a JOIN campaign c ON c.id = a.campaignId
            WHERE a.code = ?
            """
        var arguments: StatementArguments = [code]
        if let campaign {
            sql += " AND a.campaignId = ?"
            arguments += [campaign]
        }
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        guard !rows.isEmpty else {
            let hint = campaign.map { "check the application id in results/\($0)/plan.csv" } ?? "application ids are in the plan's plan.csv (e.g. T0001-1)"
            throw LedgerError.notFound("no application \(code)" + (campaign.map { " in campaign \($0)" } ?? ""), hint: hint)
        }
        guard rows.count == 1 else {
            let campaigns = rows.map { $0["campaignId"] as String }.sorted().joined(separator: ", ")
            throw LedgerError.refused("application \(code) exists in several campaigns (\(campaigns))", hint: "add --campaign ID")
        }
        let row = rows[0]
        let scale = (try? JSONDecoder().decode([String].self, from: Data((row["scale"] as String).utf8))) ?? []
        return ApplicationRef(id: row["id"], campaign: row["campaignId"], code: row["code"], sendAt: row["sendAt"], scale: scale)
    }

    /// The checks shared by every way of recording, then the insert.
    static func insert(_ db: Database, _ request: OutcomeRequest, application: ApplicationRef, supersedes: Int64?,
                       importID: Int64?, now: Date) throws -> OutcomeEvent {
        let problems = check(request, application: application, now: now)
        if let first = problems.first { throw LedgerError.refused(first.reason, hint: first.hint) }
        let measures = String(decoding: try JSONSerialization.data(withJSONObject: request.measures, options: [.sortedKeys]), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO outcomeEvent (applicationId, level, observedAt, recordedAt, recordedBy, source, note, measures, supersedes, simulated, importId, requestKey)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [application.id, request.level, request.observedAt ?? Timestamp.local(now), Timestamp.utc(now),
                             request.recordedBy, request.source.rawValue, request.note, measures, supersedes, request.simulated, importID,
                             request.requestKey])
        let id = db.lastInsertedRowID
        return OutcomeEvent(row: try Row.fetchOne(db, sql: OutcomeEvent.select + " WHERE e.id = ?", arguments: [id])!)
    }

    struct Problem {
        let column: String
        let reason: String
        let hint: String
    }

    /// What is wrong with an outcome for this application (empty when nothing is).
    static func check(_ request: OutcomeRequest, application: ApplicationRef, now: Date) -> [Problem] {
        var problems: [Problem] = []
        if !application.scale.contains(request.level) {
            problems.append(Problem(column: "outcome", reason: "\"\(request.level)\" is not on the scale of campaign \(application.campaign)",
                                    hint: "use one of: \(application.scale.joined(separator: ", "))"))
        }
        if request.recordedBy.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(Problem(column: "recorded_by", reason: "who recorded the answer is missing", hint: "give your name with --by NAME"))
        }
        // Text is checked where it enters (CLI, CSV import, web form): nothing is cut or garbled.
        if let problem = TextSafety.problem(in: request.recordedBy, multiline: false) {
            problems.append(Problem(column: "recorded_by", reason: "the name of who recorded the answer \(problem)", hint: "type the name again"))
        }
        if let note = request.note, let problem = TextSafety.problem(in: note, multiline: true) {
            problems.append(Problem(column: "note", reason: "the note \(problem)", hint: "retype the note without it (line breaks are fine)"))
        }
        if let problem = TextSafety.problem(in: request.level, multiline: false) {
            problems.append(Problem(column: "outcome", reason: "the outcome \(problem)", hint: "use a level of the campaign's scale"))
        }
        do {
            let observed = request.observedAt ?? Timestamp.local(now)
            if Timestamp.observed(observed) == nil {
                problems.append(Problem(column: "observed_at", reason: "\"\(observed)\" is not a date",
                                        hint: "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-03-04T14:30"))
            } else {
                let current = Timestamp.local(now)
                if observed.count == 10 ? observed > String(current.prefix(10)) : observed > current {
                    problems.append(Problem(column: "observed_at", reason: "\(observed) is in the future (now is \(current))",
                                            hint: "record answers once they have been received"))
                }
                if let sent = application.sendAt, observed.count == 10 ? observed < String(sent.prefix(10)) : observed < sent {
                    problems.append(Problem(column: "observed_at", reason: "\(observed) is before application \(application.code) was sent (\(sent))",
                                            hint: "check the date, or the application id"))
                }
            }
        }
        return problems
    }
}
