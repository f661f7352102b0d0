import Campaigns
import Foundation
import Hummingbird
import Ledger

/// A tester's pages: their own applications only. Another tester's application answers
/// 404, exactly like one that does not exist, whether asked by URL or by a tampered form.
extension RouteHandlers {
    func addTesterRoutes(to router: Router<WebContext>) {
        router.get("/applications") { request, context in try await self.testerHome(request, context) }
        router.get("/applications/:code") { request, context in try await self.applicationPage(request, context) }
        router.post("/applications/:code") { request, context in try await self.recordOutcome(request, context) }
    }

    /// Applications per page of the tester's list (a phone screen or two).
    static let pageSize = 15

    /// A day's work (issue #14 item 3): the stages as tabs with their counts — to send
    /// today, overdue, awaiting an answer, done, later — one stage listed at a time, with a
    /// search box (`q`: code, offer, organization, district, identity) and paging (`page`).
    /// Without `stage`, the first stage that has something to do.
    func testerHome(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try require(context, .tester)
        let campaign = session.account.campaign ?? ""
        let name = session.account.name
        let (list, source) = try await db { ledger throws(LedgerError) in
            (try ledger.assignments(campaign: campaign, tester: name), try ledger.source(campaign))
        }
        let now = clock()
        let query = request.uri.queryParameters
        let search = (query.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let matching = search.isEmpty ? list : list.filter { Self.matches($0, search) }
        let staged = Dictionary(grouping: matching) { $0.stage(now: now) }
        let stages: [AssignmentStage] = [.dueToday, .overdue, .awaiting, .done, .upcoming]
        let requested = query.get("stage").flatMap(AssignmentStage.init(rawValue:))
        let stage = requested ?? stages.first { !(staged[$0] ?? []).isEmpty } ?? .dueToday
        let items = staged[stage] ?? []
        let pages = max(1, (items.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, query.get("page").flatMap { Int($0) } ?? 1), pages)
        let shown = items.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize)
        func link(stage: AssignmentStage, page: Int = 1) -> String {
            var parts = ["stage=\(stage.rawValue)"]
            if !search.isEmpty { parts.append("q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            if page > 1 { parts.append("page=\(page)") }
            return "/applications?" + parts.joined(separator: "&")
        }
        let tabs: [[String: Any]] = stages.map { each in
            ["title": self.pages.text("stage.\(each.rawValue)"), "count": (staged[each] ?? []).count, "href": link(stage: each),
             "current": each == stage, "style": each == .overdue && !(staged[each] ?? []).isEmpty ? "overdue" : each == .done ? "done" : ""]
        }
        var values: [String: Any] = [
            "campaignTitle": source.title, "tabs": tabs, "stage": stage.rawValue, "stageTitle": self.pages.text("stage.\(stage.rawValue)"),
            "stageHelp": self.pages.text("stageHelp.\(stage.rawValue)"), "count": items.count, "items": shown.map(listItem),
            "q": search, "searching": !search.isEmpty,
            "simulated": list.contains { $0.current?.simulated == true },
        ]
        if pages > 1 {
            var paging: [String: Any] = ["label": self.pages.text("pageOf").replacingOccurrences(of: "{page}", with: String(page))
                .replacingOccurrences(of: "{pages}", with: String(pages))]
            if page > 1 { paging["previous"] = link(stage: stage, page: page - 1) }
            if page < pages { paging["next"] = link(stage: stage, page: page + 1) }
            values["paging"] = paging
        }
        return self.pages.page("tester", title: self.pages.text("myApplications"), values: values, session: session)
    }

    /// Whether an application matches a search: every word appears in its code, offer,
    /// organization, district, city, identity or contact (case and accents ignored).
    static func matches(_ a: Assignment, _ search: String) -> Bool {
        let haystack = [a.application, a.listing.title, a.organization, a.listing.district, a.listing.city, a.identity, a.listing.contact, a.target]
            .compactMap { $0 }.joined(separator: " ").folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return search.split(separator: " ").allSatisfy {
            haystack.contains(String($0).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
        }
    }

    func listItem(_ a: Assignment) -> [String: Any] {
        var item: [String: Any] = ["code": a.application, "identity": a.identity ?? a.arm, "target": a.listing.title ?? a.target,
                                   "organization": a.organization ?? a.target, "sendAt": a.sendAt.map(readable) ?? "—"]
        if let place = [a.listing.district, a.listing.city].compactMap({ $0 }).first { item["place"] = place }
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
            // The form's idempotency key: a resubmission of this form records nothing new.
            "key": entered?["key"].flatMap { Self.validKey($0) ? $0 : nil } ?? UUID().uuidString,
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
        if let channel = a.channel {
            values["channel"] = pages.channel(channel)
            values["documentTitle"] = pages.text("document.\(channel)")
            values["action"] = pages.text("action.\(channel)")
        }
        if let template = a.template { values["template"] = template }
        // The whole test on one page (issue #14 item 1).
        let listing = a.listing, script = a.script
        values["hasDetails"] = script.body != nil
        if let title = listing.title { values["title"] = title }
        if let place = [listing.district, listing.city].compactMap({ $0 }).nilIfEmpty { values["place"] = place.joined(separator: ", ") }
        if let contact = listing.contact { values["contact"] = Self.contactLink(contact) }
        if let email = script.email { values["email"] = email }
        if let phone = script.phone { values["phone"] = phone }
        if let address = script.address { values["address"] = address }
        if let subject = script.subject { values["subject"] = subject }
        if let body = script.body { values["body"] = body }
        if let dueBy = a.answerDueBy, let days = a.responseWindowDays {
            values["answerBy"] = pages.text("answerBy").replacingOccurrences(of: "{date}", with: readable(String(dueBy.prefix(10))))
                .replacingOccurrences(of: "{days}", with: String(days))
        }
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
        let key = form["key"].flatMap { Self.validKey($0) ? $0 : nil }
        let outcome = OutcomeRequest(application: assignment.application, campaign: assignment.campaign, level: level, observedAt: observedAt,
                                     recordedBy: session.account.name, note: note.isEmpty ? nil : note, measures: measures, source: .web,
                                     requestKey: key)
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
            return .failure(.database(DatabaseFailure(message: String(describing: error))))
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

    /// A form key as this app writes it (a UUID), or near enough: 16–64 letters, digits, `-`.
    static func validKey(_ key: String) -> Bool {
        (16...64).contains(key.count) && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// A target's contact as a link a phone can follow: `tel:` for a number, `mailto:` for
    /// an address, the URL itself for a web page; plain text otherwise.
    static func contactLink(_ contact: String) -> [String: Any] {
        let text = contact.trimmingCharacters(in: .whitespaces)
        let lower = text.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return ["text": text, "href": text] }
        if text.contains("@"), !text.contains(" "), let at = text.firstIndex(of: "@"), text[at...].contains(".") {
            return ["text": text, "href": "mailto:" + text]
        }
        let digits = text.filter(\.isNumber)
        if digits.count >= 6, text.allSatisfy({ $0.isNumber || " .-()+/".contains($0) }) {
            return ["text": text, "href": "tel:" + (text.hasPrefix("+") ? "+" : "") + digits, "isPhone": true]
        }
        return ["text": text]
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
