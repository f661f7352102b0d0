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

extension RouteHandlers {
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
