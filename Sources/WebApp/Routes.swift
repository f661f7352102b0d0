import Foundation
import Hummingbird
import Ledger

extension RouteHandlers {
    func addRoutes(to router: Router<WebContext>) {
        router.get("/") { _, context in try self.home(context) }
        // Browsers ask for it on every published report: nothing to send.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/static/field.js") { _, _ in
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: FieldScript.source)))
            response.headers[.contentType] = "text/javascript; charset=utf-8"
            return response
        }
        router.get("/signin/:token") { request, context in try await self.signIn(request, context) }
        router.post("/signout") { request, context in try await self.signOut(request, context) }
        addTesterRoutes(to: router)
        addStaffRoutes(to: router)
        router.get("/published") { _, context in try await self.publications(context) }
        router.get("/published/:subject") { request, context in try await self.publication(request, context) }
    }

    /// The session, if its role is one of `roles`. Not signed in: 401. Signed in with
    /// another role: 404, as for a page that does not exist (nothing is revealed).
    func require(_ context: WebContext, _ roles: AccountRole...) throws -> WebSession {
        guard let session = context.session else { throw PageError(status: .unauthorized, message: pages.text("error.signInRequired")) }
        guard roles.contains(session.account.role) else { throw PageError(status: .notFound, message: pages.text("error.notFound")) }
        return session
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    // MARK: Signing in and out

    func home(_ context: WebContext) throws -> Response {
        guard let session = context.session else {
            return pages.page("home", title: pages.text("homeTitle"), values: [:], session: nil)
        }
        switch session.account.role {
        case .tester: return redirect("/applications")
        case .staff: return redirect("/staff")
        case .official: return redirect("/published")
        }
    }

    /// `GET /signin/TOKEN`: the personal link. Opens a session and sends the browser home
    /// (the token leaves the address bar at once). A valid link always works: only failed
    /// attempts are counted per client (the connection's address, or the forwarded one from a
    /// trusted proxy), and past the limit further *failures* get 429 until the window passes.
    /// An expired link says so, and how to get a new one.
    func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let now = clock()
        let client = context.client(request, trustedProxies: configuration.trustedProxies)
        let token = context.parameters.get("token") ?? ""
        let wellFormed = (20...64).contains(token.count) && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        let lifetime = configuration.sessionLifetime
        let result: SignInResult = wellFormed ? try await db { ledger throws(LedgerError) in try ledger.signIn(token: token, lifetime: lifetime, now: now) } : .refused
        switch result {
        case .opened(let opened):
            context.logger.info("signed in: account \(opened.session.account.id) (\(opened.session.account.role.rawValue))")
            var response = redirect("/")
            response.setCookie(sessionCookie(opened.token))
            return response
        case .expired(let account):
            context.logger.notice("sign-in refused: expired link of account \(account.id)")
            throw PageError(status: .forbidden, message: pages.text("error.linkExpired"))
        case .refused:
            if let wait = await throttle.retryAfter(client, now: now) {
                context.logger.warning("sign-in throttled for \(client)")
                throw PageError(status: .tooManyRequests, message: pages.text("error.throttled"), headers: [.retryAfter: String(wait)])
            }
            await throttle.fail(client, now: now)
            context.logger.notice("sign-in refused: unknown or revoked link from \(client)")
            throw PageError(status: .forbidden, message: pages.text("error.signIn"))
        }
    }

    func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try require(context, .tester, .staff, .official)
        let form = try await FormData.read(request, context: context)
        try checkForgery(form, session: session)
        if let token = context.sessionToken {
            let now = clock()
            try await db { ledger throws(LedgerError) in try ledger.endSession(token: token, now: now) }
        }
        var response = redirect("/")
        response.setCookie(expiredCookie())
        return response
    }

    // MARK: Published reports (staff and officials)

    func publications(_ context: WebContext) async throws -> Response {
        let session = try require(context, .staff, .official)
        let list = try await db { ledger throws(LedgerError) in try ledger.latestPublications() }
        let items: [[String: Any]] = list.map {
            ["subject": $0.subject, "title": $0.title, "language": $0.language, "simulated": $0.simulated,
             "publishedAt": $0.publishedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")]
        }
        return pages.page("published", title: pages.text("publishedTitle"), values: ["publications": items], session: session)
    }

    /// The newest published report of a subject, as it was rendered (a self-contained page).
    func publication(_ request: Request, _ context: WebContext) async throws -> Response {
        _ = try require(context, .staff, .official)
        let subject = context.parameters.get("subject") ?? ""
        let language = request.uri.queryParameters.get("lang")
        let found = try await db { ledger throws(LedgerError) in try ledger.latestPublication(subject: subject, language: language) }
        guard let found else { throw PageError(status: .notFound, message: pages.text("error.notFound")) }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: found.html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        return response
    }
}
