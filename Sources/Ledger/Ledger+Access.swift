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

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        role = AccountRole(rawValue: row["role"]) ?? .official
        campaign = row["campaignId"]
        createdAt = row["createdAt"]
        revokedAt = row["revokedAt"]
    }
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
    public func addAccount(name rawName: String, role: AccountRole, campaign: String?, renew: Bool = false,
                           now: Date = Date()) throws(LedgerError) -> IssuedAccount {
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
            let active = try Row.fetchOne(db, sql: """
                SELECT * FROM account WHERE role = ? AND name = ? AND ifnull(campaignId, '') = ? AND revokedAt IS NULL
                """, arguments: [role.rawValue, name, campaign ?? ""]).map(Account.init(row:))
            if let active {
                guard renew else {
                    throw LedgerError.refused("\(name) already has a sign-in link" + (campaign.map { " for \($0)" } ?? "") + " (since \(active.createdAt))",
                                              hint: "to issue a new link and revoke the old one, add --renew")
                }
                try Self.revoke(db, account: active.id, now: now)
            }
            try db.execute(sql: """
                INSERT INTO account (name, role, campaignId, tokenHash, createdAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, campaign, Secret.hash(token), Timestamp.utc(now)])
            return Account(row: try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
        return IssuedAccount(account: account, token: token)
    }

    /// Revokes a person's link and ends their open sessions.
    public func revokeAccount(name rawName: String, role: AccountRole, campaign: String?, now: Date = Date()) throws(LedgerError) -> Account {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write { db in
            guard let active = try Row.fetchOne(db, sql: """
                SELECT * FROM account WHERE role = ? AND name = ? AND ifnull(campaignId, '') = ? AND revokedAt IS NULL
                """, arguments: [role.rawValue, name, campaign ?? ""]).map(Account.init(row:)) else {
                throw LedgerError.notFound("no usable \(role.rawValue) link for \"\(name)\"" + (campaign.map { " in \($0)" } ?? ""),
                                           hint: "barometre \(role == .tester ? "testers" : "staff") list shows who has one")
            }
            try Self.revoke(db, account: active.id, now: now)
            return Account(row: try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [active.id])!)
        }
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

    /// Opens a session for the holder of a sign-in link; `nil` when the link is unknown or revoked.
    public func signIn(token: String, lifetime: TimeInterval = 12 * 3600, now: Date = Date()) throws(LedgerError) -> OpenedSession? {
        let sessionToken = Secret.token()
        let csrf = Secret.token()
        return try write { db -> OpenedSession? in
            guard let account = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE tokenHash = ? AND revokedAt IS NULL",
                                                 arguments: [Secret.hash(token)]).map(Account.init(row:)) else { return nil }
            let expires = Timestamp.utc(now.addingTimeInterval(lifetime))
            try db.execute(sql: """
                INSERT INTO webSession (accountId, tokenHash, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [account.id, Secret.hash(sessionToken), csrf, Timestamp.utc(now), expires])
            return OpenedSession(session: WebSession(account: account, csrfToken: csrf, expiresAt: expires), token: sessionToken)
        }
    }

    /// The session a cookie stands for; `nil` when unknown, ended, expired or revoked.
    public func session(token: String, now: Date = Date()) throws(LedgerError) -> WebSession? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.*, s.csrfToken, s.expiresAt FROM webSession s JOIN account a ON a.id = s.accountId
                WHERE s.tokenHash = ? AND s.endedAt IS NULL AND a.revokedAt IS NULL AND s.expiresAt > ?
                """, arguments: [Secret.hash(token), Timestamp.utc(now)]) else { return nil }
            return WebSession(account: Account(row: row), csrfToken: row["csrfToken"], expiresAt: row["expiresAt"])
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
