import Foundation
import Hummingbird
import Ledger
import Logging

/// Counts failed sign-in attempts per client address and refuses more than `limit` within
/// `window` (a sign-in link is a 256-bit secret; this stops anyone from trying many).
actor SignInThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before trying again, or `nil` when the client may try now.
    func retryAfter(_ client: String, now: Date) -> Int? {
        let recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[client] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    func fail(_ client: String, now: Date) {
        failures[client, default: []].append(now)
    }
}

/// Headers on every response: no framing, no sniffing, no referrer (sign-in links carry a
/// secret), nothing but the page's own inline styles and the app's own script file, and
/// nothing cached.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static let frameOptions = HTTPFields.Element.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// One log line per request, without secrets: the sign-in token in a link's path is
/// replaced by `…`, and neither cookies nor form bodies are ever logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static func redacted(_ path: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return bare.hasPrefix("/signin/") ? "/signin/…" : bare
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let path = Self.redacted(request.uri.path)
        do {
            let response = try await next(request, context)
            context.logger.info("\(request.method) \(path) \(response.status.code) \(started.duration(to: .now))")
            return response
        } catch let error as HTTPResponseError {
            context.logger.info("\(request.method) \(path) \(error.status.code) \(started.duration(to: .now))")
            throw error
        }
    }
}

/// Finds the session behind the cookie, if any, and puts it in the context.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let site: Site

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Site.cookieName]?.value, !token.isEmpty, token.count <= 64 {
            let now = site.clock()
            context.session = try await site.db { ledger throws(LedgerError) in try ledger.session(token: token, now: now) }
            context.sessionToken = context.session == nil ? nil : token
            // When it was last used, for staff: written at most once a minute, so that reading
            // pages does not take the ledger's write lock on every request.
            if let session = context.session, session.lastUseIsStale(now: now) {
                try await site.db { ledger throws(LedgerError) in try ledger.touchSession(token: token, now: now) }
            }
        }
        return try await next(request, context)
    }
}

extension Site {
    /// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site
    /// sends it), Secure when served over https.
    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: Self.cookieName, value: token, maxAge: Int(configuration.sessionLifetime), path: "/",
               secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    func expiredCookie() -> Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Refuses a form whose anti-forgery token is not the session's.
    func checkForgery(_ form: FormData, session: WebSession) throws {
        guard let sent = form["csrf"], Secret.equal(sent, session.csrfToken) else {
            throw PageError(status: .forbidden, message: pages.text("error.csrf"))
        }
    }
}

/// A page's failure, rendered as a page with its status.
struct PageError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message)))
        response.headers[.contentType] = "text/plain; charset=utf-8"
        return response
    }
}

/// Turns every failure into a page in the app's language: a `PageError`'s message, or a
/// plain one for the router's own errors (404 for unknown paths, 413 for a huge body).
/// Unexpected errors become a 500 page; their details go to the log, not to the browser.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PageError {
            return pages.errorPage(error.status, message: error.message, headers: error.headers, session: context.session)
        } catch let error as HTTPResponseError {
            let key = error.status == .notFound ? "error.notFound" : error.status == .contentTooLarge ? "error.tooLarge" : "error.generic"
            return pages.errorPage(error.status, message: pages.text(key), headers: [:], session: context.session)
        } catch {
            context.logger.error("internal error: \(String(describing: error))")
            return pages.errorPage(.internalServerError, message: pages.text("error.internal"), headers: [:], session: context.session)
        }
    }
}

/// A URL-encoded form body (`application/x-www-form-urlencoded`), first value per name.
struct FormData: Sendable {
    let values: [String: String]

    subscript(_ name: String) -> String? { values[name] }

    static func read(_ request: Request, context: WebContext) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return FormData(encoded: String(buffer: buffer))
    }

    init(encoded: String) {
        var values: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        self.values = values
    }
}
