import Crypto
import Foundation
import GRDB

/// Who may use the web app, and for what.
public enum AccountRole: String, Sendable, Codable, CaseIterable {
    /// Records outcomes for their own applications in one campaign.
    case tester
    /// Researchers and observatory staff: every campaign's progress and exports.
    case staff
    /// Elected officials: the published barometer, read-only.
    case official
}

/// A person who may sign in to the web app with a personal link.
public struct Account: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let role: AccountRole
    /// The campaign a tester works on (testers only).
    public let campaign: String?
    public let createdAt: String
    public let revokedAt: String?
    /// When the link stops working (UTC); sessions it opened end then too.
    public let expiresAt: String?

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        role = AccountRole(rawValue: row["role"]) ?? .official
        campaign = row["campaignId"]
        createdAt = row["createdAt"]
        revokedAt = row["revokedAt"]
        expiresAt = row["expiresAt"]
    }
}

/// The outcome of following a sign-in link.
public enum SignInResult: Sendable {
    case opened(OpenedSession)
    /// A real link past its expiry: the person asks staff for a renewed one.
    case expired(Account)
    /// Unknown or revoked.
    case refused
}

/// An open session, as staff see it.
public struct SessionInfo: Sendable, Equatable {
    public let id: Int64
    public let account: Account
    public let createdAt: String
    public let lastUsedAt: String?
    public let expiresAt: String
}

/// A newly issued sign-in link's secret. The ledger keeps only its hash: this is the one
/// time it can be shown.
public struct IssuedAccount: Sendable {
    public let account: Account
    public let token: String
}

/// A signed-in browser.
public struct WebSession: Sendable, Equatable {
    public let account: Account
    /// The anti-forgery token every form of this session must carry.
    public let csrfToken: String
    public let expiresAt: String
    /// When the session was last used (written at most once a minute).
    public var lastUsedAt: String? = nil

    /// True when the last use recorded is older than a minute (or none is): then, and only
    /// then, a request writes the new one.
    public func lastUseIsStale(now: Date) -> Bool {
        guard let lastUsedAt else { return true }
        return lastUsedAt < Timestamp.utc(now.addingTimeInterval(-60))
    }
}

/// A new session's secret (goes in the cookie; the ledger keeps only its hash).
public struct OpenedSession: Sendable {
    public let session: WebSession
    public let token: String
}

/// Secrets: random tokens and the hashes stored in their place.
public enum Secret {
    /// 32 random bytes from the system's cryptographic generator, base64url without padding.
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// `sha256:` + hex: what the ledger stores instead of a token.
    public static func hash(_ token: String) -> String {
        "sha256:" + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two strings in time that does not depend on where they differ.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension Ledger {
    /// Adds a person and issues their personal sign-in link.
    ///
    /// A tester works on one campaign, under the name the plan assigns applications to;
    /// staff and officials see every campaign. Refused when the person already has a usable
    /// link (`renew` replaces it instead, revoking the old one and its sessions).
    ///
    /// The link expires at `expiresAt` (UTC, `YYYY-MM-DDTHH:MM:SSZ`); by default, for a tester
    /// at the end of the campaign's last day plus its response window, for staff and
    /// officials a year after it is issued.
    public func addAccount(name rawName: String, role: AccountRole, campaign: String?, renew: Bool = false,
                           expiresAt: String? = nil, now: Date = Date()) throws(LedgerError) -> IssuedAccount {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .refused("the name is empty", hint: "give the person's name, e.g. \"Testeuse A (association)\"") }
        guard (role == .tester) == (campaign != nil) else {
            throw role == .tester ? .refused("a tester works on one campaign", hint: "add --campaign ID")
                                  : .refused("\(role.rawValue) accounts see every campaign", hint: "leave out --campaign")
        }
        let token = Secret.token()
        let account = try write { db -> Account in
            if let campaign {
                guard let kind = try String.fetchOne(db, sql: "SELECT kind FROM campaign WHERE id = ?", arguments: [campaign]) else {
                    throw LedgerError.notFound("no campaign \(campaign) in \(path)", hint: "barometre status lists the campaigns; plan one first")
                }
                guard kind == "campaign" else {
                    throw LedgerError.refused("\(campaign) is an imported study: it has no testers", hint: "testers work on planned campaigns")
                }
                let testers = try String.fetchAll(db, sql: """
                    SELECT DISTINCT tester FROM application WHERE campaignId = ? AND tester IS NOT NULL ORDER BY tester
                    """, arguments: [campaign])
                guard testers.contains(name) else {
                    throw LedgerError.refused("the plan of \(campaign) assigns no application to \"\(name)\"",
                                              hint: testers.isEmpty ? "the campaign's plan names no testers (design.testers)"
                                                  : "use a name from the campaign's design.testers: " + testers.map { "\"\($0)\"" }.joined(separator: ", "))
                }
            }
            if let active = try Self.activeAccount(db, name: name, role: role, campaign: campaign) {
                guard renew else {
                    throw LedgerError.refused("\(name) already has a sign-in link" + (campaign.map { " for \($0)" } ?? "") + " (since \(active.createdAt))",
                                              hint: "to issue a new link and revoke the old one, add --renew")
                }
                try Self.revoke(db, account: active.id, now: now)
            }
            let expiry = try expiresAt ?? Self.defaultLinkExpiry(db, campaign: campaign, now: now)
            guard expiry > Timestamp.utc(now) else {
                throw LedgerError.refused("the link would expire on \(expiry), which is already past", hint: "give a later date with --expires YYYY-MM-DD")
            }
            try db.execute(sql: """
                INSERT INTO account (name, role, campaignId, tokenHash, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, campaign, Secret.hash(token), Timestamp.utc(now), expiry])
            return Account(row: try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
        return IssuedAccount(account: account, token: token)
    }

    /// Revokes a person's link and ends their open sessions.
    public func revokeAccount(name rawName: String, role: AccountRole, campaign: String?, now: Date = Date()) throws(LedgerError) -> Account {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write { db in
            let active = try Self.requireActiveAccount(db, name: name, role: role, campaign: campaign)
            try Self.revoke(db, account: active.id, now: now)
            return Account(row: try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [active.id])!)
        }
    }

    /// A person's usable link for a role (and campaign, for testers), if any.
    static func activeAccount(_ db: Database, name: String, role: AccountRole, campaign: String?) throws -> Account? {
        try Row.fetchOne(db, sql: """
            SELECT * FROM account WHERE role = ? AND name = ? AND ifnull(campaignId, '') = ? AND revokedAt IS NULL
            """, arguments: [role.rawValue, name, campaign ?? ""]).map(Account.init(row:))
    }

    /// The same, refused with the way to find who has one when there is none.
    static func requireActiveAccount(_ db: Database, name: String, role: AccountRole, campaign: String?) throws -> Account {
        guard let account = try activeAccount(db, name: name, role: role, campaign: campaign) else {
            throw LedgerError.notFound("no usable \(role.rawValue) link for \"\(name)\"" + (campaign.map { " in \($0)" } ?? ""),
                                       hint: "barometre \(role == .tester ? "testers" : "staff") list shows who has one")
        }
        return account
    }

    static func revoke(_ db: Database, account: Int64, now: Date) throws {
        let at = Timestamp.utc(now)
        try db.execute(sql: "UPDATE account SET revokedAt = ? WHERE id = ?", arguments: [at, account])
        try db.execute(sql: "UPDATE webSession SET endedAt = ? WHERE accountId = ? AND endedAt IS NULL", arguments: [at, account])
    }

    /// Accounts, oldest first; revoked ones too when `includeRevoked`.
    public func accounts(roles: [AccountRole] = AccountRole.allCases, campaign: String? = nil,
                         includeRevoked: Bool = false) throws(LedgerError) -> [Account] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY id").map(Account.init(row:)).filter {
                roles.contains($0.role) && (campaign == nil || $0.campaign == campaign) && (includeRevoked || $0.revokedAt == nil)
            }
        }
    }

    /// The default expiry of a new link: a tester's at the end of the campaign's last day plus
    /// its response window (the last answers may come in then) — and at least 30 days from
    /// now, for a link issued late to record or correct answers —, staff's a year from now.
    static func defaultLinkExpiry(_ db: Database, campaign: String?, now: Date) throws -> String {
        if let campaign, let row = try Row.fetchOne(db, sql: """
            SELECT json_extract(definition, '$.period.end') AS lastDay, responseWindowDays FROM campaign WHERE id = ?
            """, arguments: [campaign]), let lastDay = row["lastDay"] as String? {
            let window: Int = row["responseWindowDays"] ?? 0
            if let expiry = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT23:59:59Z', ?, '+' || ? || ' days')", arguments: [lastDay, window]) {
                return max(expiry, Timestamp.utc(now.addingTimeInterval(30 * 24 * 3600)))
            }
        }
        return Timestamp.utc(now.addingTimeInterval(365 * 24 * 3600))
    }

    /// Opens a session for the holder of a sign-in link. The session lasts `lifetime`, and
    /// never past the link's expiry.
    public func signIn(token: String, lifetime: TimeInterval = 12 * 3600, now: Date = Date()) throws(LedgerError) -> SignInResult {
        let sessionToken = Secret.token()
        let csrf = Secret.token()
        return try write { db -> SignInResult in
            guard let account = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE tokenHash = ? AND revokedAt IS NULL",
                                                 arguments: [Secret.hash(token)]).map(Account.init(row:)) else { return .refused }
            let current = Timestamp.utc(now)
            if let expiry = account.expiresAt, expiry <= current { return .expired(account) }
            let expires = min(Timestamp.utc(now.addingTimeInterval(lifetime)), account.expiresAt ?? "9999")
            try db.execute(sql: """
                INSERT INTO webSession (accountId, tokenHash, csrfToken, createdAt, expiresAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [account.id, Secret.hash(sessionToken), csrf, current, expires, current])
            return .opened(OpenedSession(session: WebSession(account: account, csrfToken: csrf, expiresAt: expires), token: sessionToken))
        }
    }

    /// Notes that a session was used (at most once a minute, so that reading pages stays cheap).
    public func touchSession(token: String, now: Date = Date()) throws(LedgerError) {
        let current = Timestamp.utc(now), minuteAgo = Timestamp.utc(now.addingTimeInterval(-60))
        try write { db in
            try db.execute(sql: "UPDATE webSession SET lastUsedAt = ? WHERE tokenHash = ? AND endedAt IS NULL AND (lastUsedAt IS NULL OR lastUsedAt < ?)",
                           arguments: [current, Secret.hash(token), minuteAgo])
        }
    }

    /// Open sessions (not ended, not expired, link usable), newest use first; a campaign's
    /// testers only, with `campaign`.
    public func openSessions(campaign: String? = nil, now: Date = Date()) throws(LedgerError) -> [SessionInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.*, s.id AS sessionId, s.createdAt AS sessionCreatedAt, s.lastUsedAt, s.expiresAt AS sessionExpiresAt
                FROM webSession s JOIN account a ON a.id = s.accountId
                WHERE s.endedAt IS NULL AND a.revokedAt IS NULL AND s.expiresAt > ? AND (? IS NULL OR a.campaignId = ?)
                ORDER BY ifnull(s.lastUsedAt, s.createdAt) DESC, s.id DESC
                """, arguments: [Timestamp.utc(now), campaign, campaign]).map { row in
                SessionInfo(id: row["sessionId"], account: Account(row: row), createdAt: row["sessionCreatedAt"],
                            lastUsedAt: row["lastUsedAt"], expiresAt: row["sessionExpiresAt"])
            }
        }
    }

    /// Ends one session (staff); returns false when it was not open.
    @discardableResult
    public func endSession(id: Int64, now: Date = Date()) throws(LedgerError) -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE webSession SET endedAt = ? WHERE id = ? AND endedAt IS NULL", arguments: [Timestamp.utc(now), id])
            return db.changesCount > 0
        }
    }

    /// Ends every open session of a person's link (staff), keeping the link; returns how many.
    public func endSessions(name: String, role: AccountRole, campaign: String?, now: Date = Date()) throws(LedgerError) -> Int {
        try write { db in
            let id = try Self.requireActiveAccount(db, name: name, role: role, campaign: campaign).id
            try db.execute(sql: "UPDATE webSession SET endedAt = ? WHERE accountId = ? AND endedAt IS NULL", arguments: [Timestamp.utc(now), id])
            return db.changesCount
        }
    }

    /// The session a cookie stands for; `nil` when unknown, ended, expired or revoked.
    public func session(token: String, now: Date = Date()) throws(LedgerError) -> WebSession? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.*, s.csrfToken, s.expiresAt AS sessionExpiresAt, s.lastUsedAt FROM webSession s JOIN account a ON a.id = s.accountId
                WHERE s.tokenHash = ? AND s.endedAt IS NULL AND a.revokedAt IS NULL AND s.expiresAt > ?
                  AND (a.expiresAt IS NULL OR a.expiresAt > ?)
                """, arguments: [Secret.hash(token), Timestamp.utc(now), Timestamp.utc(now)]) else { return nil }
            var session = WebSession(account: Account(row: row), csrfToken: row["csrfToken"], expiresAt: row["sessionExpiresAt"])
            session.lastUsedAt = row["lastUsedAt"]
            return session
        }
    }

    /// Ends a session (signing out).
    public func endSession(token: String, now: Date = Date()) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "UPDATE webSession SET endedAt = ? WHERE tokenHash = ? AND endedAt IS NULL",
                           arguments: [Timestamp.utc(now), Secret.hash(token)])
        }
    }
}

extension Ledger {
    /// The address `barometre serve` was last started with (its `--public-url`, or its host
    /// and port), so that sign-in links printed later point where the app runs (issue #14).
    public func recordPublicURL(_ url: String, now: Date = Date()) throws(LedgerError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO setting (name, value, updatedAt) VALUES ('publicURL', ?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt
                """, arguments: [url, Timestamp.utc(now)])
        }
    }

    /// The address `serve` recorded, if any.
    public func publicURL() throws(LedgerError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'publicURL'") }
    }
}
