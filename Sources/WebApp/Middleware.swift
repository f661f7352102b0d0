import Foundation
import Hummingbird
import Ledger
import Logging

// The middlewares every request goes through, outermost first: error pages, security
// headers, one log line, the session.

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
    let site: RouteHandlers

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[RouteHandlers.cookieName]?.value, !token.isEmpty, token.count <= 64 {
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
