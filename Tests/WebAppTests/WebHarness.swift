import Campaigns
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Planning
import Testing
import TestSupport
@testable import WebApp

/// A ledger with the employment example planned (three testers) and the internship example
/// (one tester, same application codes T0001-1…), and a web app over it on a fixed clock.
struct WebHarness {
    static let employment = try! CampaignLoader.load(Repository.url("campaigns/employment-origin-lille-2026.json"))
    static let internship = try! CampaignLoader.load(Repository.url("campaigns/internship-residence-origin-lille-2026.json"))
    static let testerA = "Testeuse A (association)"
    static let testerB = "Testeur B (association)"

    let ledger: Ledger
    let plan: TestPlan
    /// "Now" for the app: 18:00 local on 2026-04-15, inside the employment campaign.
    let now: Date
    let configuration: WebConfiguration
    let logs: LogStore

    init(publicURL: String? = nil, signInAttempts: Int = 10) throws {
        ledger = Ledger.inMemory()
        plan = Planner.plan(Self.employment, seed: Self.employment.campaign.design.seed ?? 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        now = calendar.date(from: DateComponents(year: 2026, month: 4, day: 15, hour: 18))!
        let registeredAt = calendar.date(from: DateComponents(year: 2026, month: 2, day: 1))!
        _ = try ledger.register(Self.employment, plan: plan, now: registeredAt)
        _ = try ledger.register(Self.internship, plan: Planner.plan(Self.internship, seed: 20260914), now: registeredAt)
        configuration = WebConfiguration(publicURL: publicURL, language: .en, signInAttempts: signInAttempts)
        logs = LogStore()
    }

    var campaign: String { Self.employment.campaign.id }

    func application() -> some ApplicationProtocol {
        let logs = self.logs
        let now = self.now
        return WebApp.application(ledger: ledger, configuration: configuration, clock: { now },
                                  logger: Logger(label: "test") { _ in LogStore.Handler(store: logs) })
    }

    /// A tester's sign-in token.
    func tester(_ name: String = testerA) throws -> String {
        try ledger.addAccount(name: name, role: .tester, campaign: campaign).token
    }

    func staff(_ name: String = "Chargée d'études", official: Bool = false) throws -> String {
        try ledger.addAccount(name: name, role: official ? .official : .staff, campaign: nil).token
    }

    /// The tester's applications, by stage at `now`.
    func applications(of tester: String = testerA) throws -> [Assignment] {
        try ledger.assignments(campaign: campaign, tester: tester)
    }

    func eventCount() throws -> Int {
        try ledger.events(campaign: campaign).count + ledger.events(campaign: Self.internship.campaign.id).count
    }
}

/// A browser, as far as the app can tell: keeps the session cookie.
struct Browser {
    let client: any TestClientProtocol
    var cookie: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Opens a sign-in link; keeps the cookie it sets.
    @discardableResult
    mutating func signIn(_ token: String) async throws -> TestResponse {
        let response = try await get("/signin/\(token)")
        if let set = response.headers[.setCookie], let value = set.split(separator: ";").first {
            cookie = String(value)
        }
        return response
    }

    func get(_ path: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers, body: nil) { $0 }
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The anti-forgery token of a page's first form.
    func csrf(on path: String) async throws -> String {
        let page = String(buffer: try await get(path).body)
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return "" }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Every log line the app wrote, to check that no secret reaches the logs.
final class LogStore: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    struct Handler: LogHandler {
        let store: LogStore
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            store.append("\(level) \(message) \(all)")
        }
    }
}
