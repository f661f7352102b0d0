import Foundation
import GRDB

/// One application as its tester sees it: what to send, when, and the answer in force.
public struct Assignment: Sendable, Equatable {
    public let campaign: String
    public let application: String
    public let test: String
    public let target: String
    public let organization: String?
    public let arm: String
    public let identity: String?
    public let template: String?
    public let channel: String?
    /// Planned send time, local `YYYY-MM-DDTHH:MM`.
    public let sendAt: String?
    public let tester: String
    /// The answer in force, if any.
    public let current: OutcomeEvent?
    /// The campaign's response window: after it, a missing answer is overdue.
    public let responseWindowDays: Int?
    public let scale: [String]
    /// The target's listing and contact (empty for a plan registered before they were kept:
    /// `barometre plan` with the same file and seed fills them in).
    public let listing: Listing
    /// The identity to play and the document to send.
    public let script: Script

    /// The offer as the tester needs it: what it is, where, and how to reach it.
    public struct Listing: Sendable, Equatable {
        public var title: String?
        public var organization: String?
        public var district: String?
        public var city: String?
        /// A phone number, an e-mail address or a URL, as the targets file gives it.
        public var contact: String?
    }

    /// The identity to play and the rendered document (message, letter, call or visit script).
    public struct Script: Sendable, Equatable {
        public var email: String?
        public var phone: String?
        public var address: String?
        public var subject: String?
        public var body: String?
    }

    /// The date after which a missing answer is overdue (`YYYY-MM-DDTHH:MM`).
    public var answerDueBy: String? {
        guard let sendAt, let responseWindowDays else { return nil }
        return Timestamp.adding(days: responseWindowDays, to: sendAt)
    }

    /// Where the application stands at `today` (local `YYYY-MM-DD`).
    public func stage(now: Date = Date()) -> AssignmentStage {
        if current != nil { return .done }
        guard let sendAt else { return .awaiting }
        let local = Timestamp.local(now)
        let today = String(local.prefix(10))
        let day = String(sendAt.prefix(10))
        if day > today { return .upcoming }
        if day == today { return .dueToday }
        if let responseWindowDays, let deadline = Timestamp.adding(days: responseWindowDays, to: sendAt), deadline < local { return .overdue }
        return .awaiting
    }
}

/// Where an application stands for its tester.
public enum AssignmentStage: String, Sendable, CaseIterable {
    /// To send (or sent) today; its answer is not recorded yet.
    case dueToday
    /// The response window has passed with no answer recorded (record "no response" if none came).
    case overdue
    /// Sent, within the response window, no answer recorded yet.
    case awaiting
    /// Planned for a later day.
    case upcoming
    /// An answer is recorded (it can still be corrected).
    case done
}

/// Progress of one tester in one campaign.
public struct TesterProgress: Sendable, Equatable {
    public let campaign: String
    public let tester: String
    public let planned: Int
    public let sent: Int
    public let answered: Int
    public let overdue: Int
}

/// A report published for officials (the newest per subject is the one shown).
public struct Publication: Sendable, Equatable {
    public let id: Int64
    /// The campaign, study or barometer id the report is about.
    public let subject: String
    public let title: String
    public let language: String
    public let html: String
    public let simulated: Bool
    public let publishedAt: String
    public let publishedBy: String

    init(row: Row) {
        id = row["id"]
        subject = row["subject"]
        title = row["title"]
        language = row["language"]
        html = row["html"] ?? ""
        simulated = row["simulated"]
        publishedAt = row["publishedAt"]
        publishedBy = row["publishedBy"]
    }
}

extension Timestamp {
    /// `YYYY-MM-DDTHH:MM` plus whole days, in the same form (calendar days, UTC arithmetic
    /// on the written value, as SQLite's `strftime(…, '+N days')` does).
    static func adding(days: Int, to local: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = local.count == 10 ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm"
        guard let date = formatter.date(from: local) else { return nil }
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date.addingTimeInterval(Double(days) * 86_400))
    }
}

extension Ledger {
    static let assignmentSelect = """
        SELECT a.id, a.campaignId, a.code, t.code AS test, t.targetId, t.organization, a.arm, a.identity, a.template, a.channel,
               a.sendAt, a.tester, c.responseWindowDays, c.scale, o.id AS eventId, t.details AS testDetails, a.details AS applicationDetails
        FROM application a JOIN test t ON t.id = a.testId JOIN campaign c ON c.id = a.campaignId
        LEFT JOIN currentOutcome o ON o.applicationId = a.id
        """

    static func assignment(_ db: Database, row: Row) throws -> Assignment {
        let eventID: Int64? = row["eventId"]
        let target = strings(row["testDetails"]), application = strings(row["applicationDetails"])
        let current = try eventID.flatMap { id in
            try Row.fetchOne(db, sql: OutcomeEvent.select + " WHERE e.id = ?", arguments: [id]).map(OutcomeEvent.init(row:))
        }
        return Assignment(
            campaign: row["campaignId"], application: row["code"], test: row["test"], target: row["targetId"],
            organization: row["organization"], arm: row["arm"], identity: row["identity"], template: row["template"],
            channel: row["channel"], sendAt: row["sendAt"], tester: row["tester"], current: current,
            responseWindowDays: row["responseWindowDays"],
            scale: (try? JSONDecoder().decode([String].self, from: Data((row["scale"] as String).utf8))) ?? [],
            listing: Assignment.Listing(title: target["title"], organization: target["organization"], district: target["district"],
                                        city: target["city"], contact: target["contact"]),
            script: Assignment.Script(email: application["email"], phone: application["phone"], address: application["address"],
                                      subject: application["subject"], body: application["body"]))
    }

    /// A details column (a JSON object of strings), or nothing.
    private static func strings(_ text: String?) -> [String: String] {
        guard let text, let values = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return [:] }
        return values
    }

    /// Every application the plan assigns to `tester` in `campaign`, in send order.
    public func assignments(campaign: String, tester: String) throws(LedgerError) -> [Assignment] {
        try read { db in
            try Row.fetchAll(db, sql: Self.assignmentSelect + " WHERE a.campaignId = ? AND a.tester = ? ORDER BY a.sendAt, a.code",
                             arguments: [campaign, tester]).map { try Self.assignment(db, row: $0) }
        }
    }

    /// Every application sent to one organization of `campaign` (any tester), by test and send
    /// order: what its evidence file lists.
    public func assignments(campaign: String, organization: String) throws(LedgerError) -> [Assignment] {
        try read { db in
            // A plan without testers leaves the tester empty.
            let select = Self.assignmentSelect.replacingOccurrences(of: "a.sendAt, a.tester,", with: "a.sendAt, COALESCE(a.tester, '') AS tester,")
            return try Row.fetchAll(db, sql: select + " WHERE a.campaignId = ? AND t.organization = ? ORDER BY t.code, a.sendOrder, a.sendAt, a.code",
                             arguments: [campaign, organization]).map { try Self.assignment(db, row: $0) }
        }
    }

    /// One application, only if the plan assigns it to `tester` in `campaign` (else `nil`:
    /// a tester cannot tell another tester's application from one that does not exist).
    public func assignment(campaign: String, tester: String, application: String) throws(LedgerError) -> Assignment? {
        try read { db in
            try Row.fetchOne(db, sql: Self.assignmentSelect + " WHERE a.campaignId = ? AND a.tester = ? AND a.code = ?",
                             arguments: [campaign, tester, application]).map { try Self.assignment(db, row: $0) }
        }
    }

    /// Records an answer for a tester's own application: the first answer, or a correction
    /// of the answer in force when `correcting` names it. Same checks as `barometre record`;
    /// refused as not found when the application is not the tester's. Idempotent by
    /// `request.requestKey`: a request whose key is recorded returns that event unchanged
    /// (writes are serialized, and a unique index backs the check).
    public func recordAssigned(_ request: OutcomeRequest, tester: String, correcting: Int64?, now: Date = Date()) throws(LedgerError) -> OutcomeEvent {
        guard let campaign = request.campaign else { throw .refused("the campaign is missing", hint: "name the campaign") }
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: Self.assignmentSelect + " WHERE a.campaignId = ? AND a.tester = ? AND a.code = ?",
                                             arguments: [campaign, tester, request.application]) else {
                throw LedgerError.notFound("no application \(request.application) among your applications", hint: "open it from your list")
            }
            // The same form sent again (a retried POST, a double tap, a flaky network): the
            // answer it recorded the first time, and nothing written.
            if let key = request.requestKey,
               let first = try Row.fetchOne(db, sql: OutcomeEvent.select + " WHERE e.requestKey = ?", arguments: [key]).map(OutcomeEvent.init(row:)) {
                guard first.application == request.application, first.campaign == campaign else {
                    throw LedgerError.refused("this form's key was already used for another application", hint: "reload the page and record again")
                }
                return first
            }
            let current: Int64? = row["eventId"]
            guard current == correcting else {
                if let current {
                    throw LedgerError.refused("application \(request.application) has an answer already (recorded since you opened the page)",
                                              hint: "reload the page and record a correction if needed (event \(current))")
                }
                throw LedgerError.refused("application \(request.application) has no answer to correct", hint: "reload the page")
            }
            let application = try Self.resolve(db, code: request.application, campaign: campaign)
            return try Self.insert(db, request, application: application, supersedes: correcting, importID: nil, now: now)
        }
    }

    /// Progress of each tester of a campaign, by name.
    public func testerProgress(campaign: String, now: Date = Date()) throws(LedgerError) -> [TesterProgress] {
        let current = Timestamp.local(now)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.tester, count(a.id) AS planned,
                       sum(CASE WHEN a.sendAt <= :now THEN 1 ELSE 0 END) AS sent,
                       sum(CASE WHEN o.id IS NOT NULL THEN 1 ELSE 0 END) AS answered,
                       sum(CASE WHEN o.id IS NULL AND a.sendAt IS NOT NULL AND c.responseWindowDays IS NOT NULL
                                 AND strftime('%Y-%m-%dT%H:%M', a.sendAt, '+' || c.responseWindowDays || ' days') < :now THEN 1 ELSE 0 END) AS overdue
                FROM application a JOIN campaign c ON c.id = a.campaignId LEFT JOIN currentOutcome o ON o.applicationId = a.id
                WHERE a.campaignId = :campaign AND a.tester IS NOT NULL
                GROUP BY a.tester ORDER BY a.tester
                """, arguments: ["now": current, "campaign": campaign]).map { row in
                TesterProgress(campaign: campaign, tester: row["tester"], planned: row["planned"], sent: row["sent"] ?? 0,
                               answered: row["answered"] ?? 0, overdue: row["overdue"] ?? 0)
            }
        }
    }

    /// A campaign's applications whose answer is overdue (window passed, nothing recorded).
    public func overdueAssignments(campaign: String, now: Date = Date()) throws(LedgerError) -> [Assignment] {
        let current = Timestamp.local(now)
        return try read { db in
            try Row.fetchAll(db, sql: Self.assignmentSelect + """
                 WHERE a.campaignId = ? AND o.id IS NULL AND a.sendAt IS NOT NULL AND c.responseWindowDays IS NOT NULL
                   AND strftime('%Y-%m-%dT%H:%M', a.sendAt, '+' || c.responseWindowDays || ' days') < ?
                 ORDER BY a.sendAt, a.code
                """, arguments: [campaign, current]).map { try Self.assignment(db, row: $0) }
        }
    }

    /// Stores a rendered report for officials. Publications are append-only: the newest of
    /// a subject is the one shown.
    public func publish(subject: String, title: String, language: String, html: String, simulated: Bool, by: String,
                        now: Date = Date()) throws(LedgerError) -> Publication {
        let publisher = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !publisher.isEmpty else { throw .refused("who publishes is missing", hint: "give your name with --by NAME") }
        guard ["fr", "en"].contains(language) else { throw .refused("language \(language) is not fr or en", hint: "use --lang fr or en") }
        return try write { db in
            try db.execute(sql: """
                INSERT INTO publication (subject, title, language, html, simulated, publishedAt, publishedBy) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [subject, title, language, html, simulated, Timestamp.utc(now), publisher])
            return Publication(row: try Row.fetchOne(db, sql: "SELECT * FROM publication WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
    }

    /// The newest publication of each subject and language, newest first (without their HTML).
    public func latestPublications() throws(LedgerError) -> [Publication] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, subject, title, language, NULL AS html, simulated, publishedAt, publishedBy FROM publication p
                WHERE id = (SELECT max(id) FROM publication q WHERE q.subject = p.subject AND q.language = p.language)
                ORDER BY id DESC
                """).map(Publication.init(row:))
        }
    }

    /// The newest publication of a subject (in `language` when given).
    public func latestPublication(subject: String, language: String? = nil) throws(LedgerError) -> Publication? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM publication WHERE subject = ? AND (? IS NULL OR language = ?) ORDER BY id DESC LIMIT 1
                """, arguments: [subject, language, language]).map(Publication.init(row:))
        }
    }
}
