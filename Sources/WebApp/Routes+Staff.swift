import Foundation
import Hummingbird
import Ledger
import Values

/// Staff pages: every campaign's progress, per tester, the overdue answers, and exports.
extension RouteHandlers {
    func addStaffRoutes(to router: Router<WebContext>) {
        router.get("/staff") { _, context in try await self.staffHome(context) }
        router.get("/staff/campaigns/:id") { _, context in try await self.staffCampaign(context) }
        router.get("/staff/campaigns/:id/applications.csv") { _, context in try await self.export(context, events: false) }
        router.get("/staff/campaigns/:id/events.csv") { _, context in try await self.export(context, events: true) }
        router.post("/staff/sessions/:session/end") { request, context in try await self.endSession(request, context) }
    }

    /// The oldest overdue answers listed on a campaign's page (the export has them all).
    static let overdueShown = 100

    func staffHome(_ context: WebContext) async throws -> Response {
        let session = try require(context, .staff)
        let now = clock()
        let statuses = try await db { ledger throws(LedgerError) in try ledger.status(now: now) }
        let rows: [[String: Any]] = statuses.map {
            ["id": $0.campaign, "title": $0.title, "kind": pages.kind($0.kind.rawValue), "isCampaign": $0.kind == .campaign, "planned": $0.planned, "sent": $0.sent,
             "answered": $0.answered, "overdue": $0.overdue, "simulated": $0.simulated > 0]
        }
        return pages.page("staff", title: pages.text("campaigns"), values: ["campaigns": rows], session: session)
    }

    /// A planned campaign (imported studies have no testers or schedule): 404 otherwise.
    func plannedCampaign(_ context: WebContext) async throws -> SourceInfo {
        let id = context.parameters.get("id") ?? ""
        let source = try? await db { ledger throws(LedgerError) in try ledger.source(id) }
        guard let source, source.kind == .campaign else { throw PageError(status: .notFound, message: pages.text("error.notFound")) }
        return source
    }

    func staffCampaign(_ context: WebContext) async throws -> Response {
        let session = try require(context, .staff)
        let source = try await plannedCampaign(context)
        let id = source.id
        let now = clock()
        let (status, testers, overdue, accounts, sessions) = try await db { ledger throws(LedgerError) in
            (try ledger.status(now: now).first { $0.campaign == id }, try ledger.testerProgress(campaign: id, now: now),
             try ledger.overdueAssignments(campaign: id, now: now), try ledger.accounts(roles: [.tester], campaign: id),
             try ledger.openSessions(campaign: id, now: now))
        }
        let since = Dictionary(accounts.map { ($0.name, $0.createdAt) }, uniquingKeysWith: { _, newest in newest })
        let expires = Dictionary(accounts.compactMap { a in a.expiresAt.map { (a.name, $0) } }, uniquingKeysWith: { _, newest in newest })
        var values: [String: Any] = [
            "id": id, "title": source.title, "planned": status?.planned ?? 0, "sent": status?.sent ?? 0,
            "answered": status?.answered ?? 0, "overdue": status?.overdue ?? 0, "simulated": (status?.simulated ?? 0) > 0,
            "testers": testers.map { t -> [String: Any] in
                var row: [String: Any] = ["tester": t.tester, "planned": t.planned, "sent": t.sent, "answered": t.answered, "overdue": t.overdue]
                if let created = since[t.tester] { row["linkSince"] = readable(created) }
                if let expiry = expires[t.tester] { row["linkExpires"] = readable(expiry) }
                return row
            },
            "overdueCount": overdue.count, "hasOverdue": !overdue.isEmpty,
            "hasSessions": !sessions.isEmpty,
            "sessions": sessions.map { s -> [String: Any] in
                ["sessionId": String(s.id), "name": s.account.name, "opened": readable(s.createdAt), "lastUsed": s.lastUsedAt.map(readable) ?? "—",
                 "expires": readable(s.expiresAt), "csrf": session.csrfToken, "campaign": id]
            },
            "overdueItems": overdue.prefix(Self.overdueShown).map { ["code": $0.application, "tester": $0.tester, "target": $0.organization ?? $0.target,
                                           "sendAt": $0.sendAt.map(readable) ?? "—"] as [String: Any] },
        ]
        if overdue.count > Self.overdueShown { values["overdueMore"] = String(overdue.count - Self.overdueShown) }
        return pages.page("staffCampaign", title: id, values: values, session: session)
    }

    /// `POST /staff/sessions/ID/end`: staff end one tester's session (the link stays usable).
    func endSession(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try require(context, .staff)
        let form = try await FormData.read(request, context: context)
        try checkForgery(form, session: session)
        guard let id = context.parameters.get("session").flatMap({ Int64($0) }) else { throw PageError(status: .notFound, message: pages.text("error.notFound")) }
        let now = clock()
        _ = try await db { ledger throws(LedgerError) in try ledger.endSession(id: id, now: now) }
        context.logger.info("session \(id) ended by account \(session.account.id)")
        let campaign = form["campaign"].flatMap { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? $0 : nil }
        return redirect(campaign.map { "/staff/campaigns/\($0)" } ?? "/staff")
    }

    /// The same CSV files as `barometre export` (tidy, or the whole event log).
    func export(_ context: WebContext, events: Bool) async throws -> Response {
        _ = try require(context, .staff)
        let source = try await plannedCampaign(context)
        let id = source.id
        let csv = try await db { ledger throws(LedgerError) in
            if events { return try ledger.eventsCSV(campaign: id) }
            return try ledger.applicationsCSV(campaign: id)
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: csv)))
        response.headers[.contentType] = "text/csv; charset=utf-8"
        response.headers[.contentDisposition] = "attachment; filename=\"\(id)-\(events ? "events" : "applications").csv\""
        return response
    }
}
