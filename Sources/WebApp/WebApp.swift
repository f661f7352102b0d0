import Foundation
import Hummingbird
import Ledger
import Logging
import NIOCore
import NIOPosix

/// How `barometre serve` runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The address people use (printed in sign-in links). Cookies are `Secure` when it is https.
    public var publicURL: String
    /// The language of the pages: `fr` or `en`.
    public var language: WebLanguage
    /// How long a browser stays signed in.
    public var sessionLifetime: TimeInterval
    /// Failed sign-in attempts allowed per client address within `throttleWindow`.
    public var signInAttempts: Int
    public var throttleWindow: TimeInterval
    /// Addresses of reverse proxies whose `X-Forwarded-For` header is believed; from any
    /// other address the header is ignored (anyone can send it).
    public var trustedProxies: Set<String>

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, language: WebLanguage = .fr,
                sessionLifetime: TimeInterval = 12 * 3600, signInAttempts: Int = 10, throttleWindow: TimeInterval = 15 * 60,
                trustedProxies: Set<String> = []) {
        self.trustedProxies = trustedProxies
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.language = language
        self.sessionLifetime = sessionLifetime
        self.signInAttempts = signInAttempts
        self.throttleWindow = throttleWindow
    }

    /// Cookies travel only over TLS when the public address is https.
    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// The personal sign-in link for a token.
    public static func signInLink(publicURL: String, token: String) -> String {
        (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + "/signin/" + token
    }
}

/// The web app: testers record the answers of their own applications from a phone, staff
/// follow progress and download exports, officials read the published barometer.
///
/// Every page is rendered on the server (no JavaScript). Every write goes through the
/// Ledger with the same checks as the command line.
public enum WebApp {
    /// The routes, without a server (tests drive them with HummingbirdTesting).
    public static func router(ledger: Ledger, configuration: WebConfiguration,
                              clock: @escaping @Sendable () -> Date = { Date() }) -> Router<WebContext> {
        let app = RouteHandlers(ledger: ledger, configuration: configuration, clock: clock,
                       throttle: SignInThrottle(limit: configuration.signInAttempts, window: configuration.throttleWindow),
                       pages: Pages(language: configuration.language))
        let router = Router(context: WebContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(site: app))
        router.add(middleware: ErrorPageMiddleware(pages: app.pages))
        app.addRoutes(to: router)
        return router
    }

    /// The whole application, ready to run.
    public static func application(ledger: Ledger, configuration: WebConfiguration, clock: @escaping @Sendable () -> Date = { Date() },
                                   logger: Logger = Logger(label: "barometre.web")) -> some ApplicationProtocol {
        Application(router: router(ledger: ledger, configuration: configuration, clock: clock),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                    logger: logger)
    }
}

/// A request's context: the client's address (for throttling) and, once the session
/// middleware has run, who is signed in.
public struct WebContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The signed-in session, if any.
    public var session: WebSession?
    /// The cookie's raw value (to end the session on sign-out).
    var sessionToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small: refuse anything larger.
    public var maxUploadSize: Int { 64 * 1024 }

    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The client's address for throttling: the connection's, or — only when the connection
    /// comes from a configured reverse proxy — the nearest address in `X-Forwarded-For` that
    /// is not itself a trusted proxy.
    func client(_ request: Request, trustedProxies: Set<String>) -> String {
        Self.clientAddress(peer: clientKey, forwardedFor: request.headers[HTTPFields.Element.Name("X-Forwarded-For")!], trustedProxies: trustedProxies)
    }

    static func clientAddress(peer: String, forwardedFor: String?, trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(peer), let forwardedFor else { return peer }
        let chain = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return chain.reversed().first { !trustedProxies.contains($0) } ?? peer
    }
}

/// The routes' handlers and what they share: the ledger (reached off the server's threads),
/// the configuration, the clock, the sign-in throttle and the page renderer.
struct RouteHandlers: Sendable {
    let ledger: Ledger
    let configuration: WebConfiguration
    let clock: @Sendable () -> Date
    let throttle: SignInThrottle
    let pages: Pages

    static let cookieName = "barometre_session"

    /// Runs a ledger call off the server's threads (SQLite calls block).
    func db<T: Sendable>(_ body: @escaping @Sendable (Ledger) throws(LedgerError) -> T) async throws -> T {
        let ledger = self.ledger
        return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body(ledger) }
    }
}
