import Campaigns
import Foundation
import Hummingbird
import Ledger

/// A tester's pages: their own applications only. Another tester's application answers
/// 404, exactly like one that does not exist, whether asked by URL or by a tampered form.
extension Site {
    func addTesterRoutes(to router: Router<WebContext>) {
        router.get("/applications") { _, context in try await self.testerHome(context) }
        router.get("/applications/:code") { request, context in try await self.applicationPage(request, context) }
        router.post("/applications/:code") { request, context in try await self.recordOutcome(request, context) }
    }

    /// What the tester sees: due today, overdue, awaiting an answer, done; later ones counted.
    func testerHome(_ context: WebContext) async throws -> Response {
        let session = try require(context, .tester)
        let campaign = session.account.campaign ?? ""
        let name = session.account.name
        let (list, source) = try await db { ledger throws(LedgerError) in
            (try ledger.assignments(campaign: campaign, tester: name), try ledger.source(campaign))
        }
        let now = clock()
        let staged = Dictionary(grouping: list) { $0.stage(now: now) }
        let sections: [[String: Any]] = [AssignmentStage.dueToday, .overdue, .awaiting, .done].map { stage in
            let items = staged[stage] ?? []
            return ["id": stage.rawValue, "title": pages.text("stage.\(stage.rawValue)"), "count": items.count,
                    "style": stage == .overdue ? "overdue" : stage == .done ? "done" : "",
                    "items": items.map(listItem)]
        }
        let upcoming = staged[.upcoming] ?? []
        var values: [String: Any] = ["campaignTitle": source.title, "sections": sections,
                                     "simulated": list.contains { $0.current?.simulated == true }]
        if !upcoming.isEmpty {
            values["upcoming"] = ["count": upcoming.count, "next": upcoming.compactMap(\.sendAt).min().map(readable) ?? ""]
        }
        return pages.page("tester", title: pages.text("myApplications"), values: values, session: session)
    }

    func listItem(_ a: Assignment) -> [String: Any] {
        var item: [String: Any] = ["code": a.application, "identity": a.identity ?? a.arm, "target": a.organization ?? a.target,
                                   "sendAt": a.sendAt.map(readable) ?? "—"]
        if let channel = a.channel { item["channel"] = pages.channel(channel) }
        if let level = a.current?.level { item["level"] = pages.level(level) }
        return item
    }

    /// `2026-03-04T09:30` → `2026-03-04 09:30`.
    func readable(_ timestamp: String) -> String {
        timestamp.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    /// The tester's own application, or 404.
    func ownAssignment(_ context: WebContext, _ session: WebSession) async throws -> Assignment {
        let code = context.parameters.get("code") ?? ""
        let campaign = session.account.campaign ?? ""
        let name = session.account.name
        let found = try await db { ledger throws(LedgerError) in try ledger.assignment(campaign: campaign, tester: name, application: code) }
        guard let found else { throw PageError(status: .notFound, message: pages.text("error.notFound")) }
        return found
    }

    func applicationPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try require(context, .tester)
        let assignment = try await ownAssignment(context, session)
        let recorded = request.uri.queryParameters.get("recorded") != nil
        return try await form(for: assignment, session: session, entered: nil, problem: nil, recorded: recorded)
    }

    /// The application's page with its history and the answer form (filled with what was
    /// entered, after a refusal).
    func form(for a: Assignment, session: WebSession, entered: FormData?, problem: (message: String, hint: String?)?,
              recorded: Bool, status: HTTPResponse.Status = .ok) async throws -> Response {
        let campaign = a.campaign
        let code = a.application
        let history = try await db { ledger throws(LedgerError) in try ledger.history(application: code, campaign: campaign) }
        let today = String(Timestamp.local(clock()).prefix(10))
        let chosen = entered?["level"] ?? a.current?.level
        var values: [String: Any] = [
            "code": a.application, "identity": a.identity ?? a.arm, "arm": a.arm, "target": a.target, "sendAt": a.sendAt.map(readable) ?? "—",
            "csrf": session.csrfToken, "today": today, "recorded": recorded,
            "date": entered?["date"] ?? today, "time": entered?["time"] ?? "", "note": entered?["note"] ?? "", "measures": entered?["measures"] ?? "",
            "levels": a.scale.reversed().map { ["value": $0, "label": pages.level($0), "checked": $0 == chosen] as [String: Any] },
            "hasHistory": !history.isEmpty,
            "history": history.reversed().map { e -> [String: Any] in
                var item: [String: Any] = ["level": pages.level(e.level), "observedAt": readable(e.observedAt), "recordedBy": e.recordedBy,
                                           "recordedAt": readable(e.recordedAt), "superseded": e.supersededBy != nil]
                // Keys of their own: a missing one must not fall back to the form's `note`.
                item["eventNote"] = e.note.flatMap { $0.isEmpty ? nil : $0 } ?? false
                item["eventMeasures"] = e.measures == "{}" ? false : Self.readableMeasures(e.measures)
                return item
            },
        ]
        if let organization = a.organization { values["organization"] = organization }
        if let channel = a.channel { values["channel"] = pages.channel(channel) }
        if let template = a.template { values["template"] = template }
        if let current = a.current { values["correcting"] = String(current.id) }
        if let problem {
            var shown: [String: Any] = ["message": problem.message]
            if let hint = problem.hint { shown["hint"] = hint }
            values["problem"] = shown
        }
        return pages.page("application", title: "\(pages.text("application")) \(a.application)", values: values, session: session, status: status)
    }

    /// `POST /applications/CODE`: the first answer, or a correction of the answer in force.
    /// Checked in this order, nothing written on any failure: the role, the application is
    /// the tester's (404), the anti-forgery token (403), the fields (422), then the Ledger's
    /// own checks (422, same as `barometre record`).
    func recordOutcome(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try require(context, .tester)
        let assignment = try await ownAssignment(context, session)
        let form = try await FormData.read(request, context: context)
        try checkForgery(form, session: session)
        func refuse(_ key: String) async throws -> Response {
            try await self.form(for: assignment, session: session, entered: form, problem: (pages.text(key), nil), recorded: false,
                                status: .unprocessableContent)
        }
        guard let level = form["level"], assignment.scale.contains(level) else { return try await refuse("error.level") }
        guard let date = form["date"]?.trimmingCharacters(in: .whitespaces), date.count == 10, Timestamp.observed(date) != nil else {
            return try await refuse("error.date")
        }
        var observedAt = date
        if let time = form["time"]?.trimmingCharacters(in: .whitespaces), !time.isEmpty {
            guard time.count == 5, Timestamp.observed("\(date)T\(time)") != nil else { return try await refuse("error.time") }
            observedAt = "\(date)T\(time)"
        }
        // The Ledger checks the dates again; these checks say it in the page's language.
        let current = Timestamp.local(clock())
        if observedAt.count == 10 ? observedAt > String(current.prefix(10)) : observedAt > current {
            return try await refuse("error.future")
        }
        if let sent = assignment.sendAt, observedAt.count == 10 ? observedAt < String(sent.prefix(10)) : observedAt < sent {
            return try await self.form(for: assignment, session: session, entered: form,
                                       problem: (pages.text("error.beforeSent").replacingOccurrences(of: "{sent}", with: readable(sent)), nil),
                                       recorded: false, status: .unprocessableContent)
        }
        let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard note.count <= 2000 else { return try await refuse("error.note") }
        guard TextSafety.problem(in: note, multiline: true) == nil else { return try await refuse("error.noteControl") }
        guard let measures = Self.measures(form["measures"] ?? "") else { return try await refuse("error.measures") }
        let correcting = form["correcting"].flatMap { Int64($0) }
        let outcome = OutcomeRequest(application: assignment.application, campaign: assignment.campaign, level: level, observedAt: observedAt,
                                     recordedBy: session.account.name, note: note.isEmpty ? nil : note, measures: measures, source: .web)
        let tester = session.account.name
        let now = clock()
        let result = await recordResult(outcome, tester: tester, correcting: correcting, now: now)
        switch result {
        case .success(let event):
            context.logger.info("outcome recorded: event \(event.id) (\(event.source))")
            return redirect("/applications/\(assignment.application)?recorded=\(event.id)")
        case .failure(.notFound):
            throw PageError(status: .notFound, message: pages.text("error.notFound"))
        case .failure(.refused(let message, let hint)):
            // The form's own checks ran first (in the page's language); a refusal that only the
            // Ledger can see (the answer changed meanwhile, from another device) is said in the
            // page's language too, its detail goes to the log.
            context.logger.notice("outcome refused by the ledger: \(message) (\(hint))")
            let fresh = try await ownAssignment(context, session)
            return try await self.form(for: fresh, session: session, entered: form, problem: (pages.text("error.refused"), nil), recorded: false,
                                       status: .unprocessableContent)
        case .failure(let error):
            throw error
        }
    }

    private func recordResult(_ outcome: OutcomeRequest, tester: String, correcting: Int64?, now: Date) async -> Result<OutcomeEvent, LedgerError> {
        do {
            return .success(try await db { ledger throws(LedgerError) in
                try ledger.recordAssigned(outcome, tester: tester, correcting: correcting, now: now)
            })
        } catch let error as LedgerError {
            return .failure(error)
        } catch {
            return .failure(.database(String(describing: error)))
        }
    }

    /// `{"calls":2,"delay_hours":26}` → `calls=2; delay_hours=26` (as typed in the form).
    static func readableMeasures(_ json: String) -> String {
        guard let values = try? JSONDecoder().decode([String: Double].self, from: Data(json.utf8)) else { return json }
        return values.keys.sorted().map { key in
            let value = values[key]!
            return "\(key)=" + (value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))
        }.joined(separator: "; ")
    }

    /// `delay_hours=26; price=650` → measures; `nil` when a pair is not NAME=NUMBER.
    static func measures(_ text: String) -> [String: Double]? {
        var measures: [String: Double] = [:]
        for item in text.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
            let pair = item.trimmingCharacters(in: .whitespaces)
            if pair.isEmpty { continue }
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
                  parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  let value = Double(parts[1].replacingOccurrences(of: ",", with: ".")), value.isFinite else { return nil }
            measures[parts[0]] = value
        }
        return measures
    }
}
