import Campaigns
import ArgumentParser
import Foundation
import Hummingbird
import Ledger
import Logging
import WebApp

/// `barometre serve`: the web app for testers, staff and officials.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app: testers record answers from a phone, staff follow progress, officials read the barometer.",
        discussion: """
            Nobody has a password. Everyone signs in with a personal link that a researcher \
            issues from the command line:

              barometre testers add "Testeuse A (association)" --campaign ID   # a tester, one campaign
              barometre staff add "Chargée d'études"                           # researchers: every campaign
              barometre staff add "Adjointe au maire" --official                # read-only: published reports

            Only a hash of each link is stored; `testers revoke` / `staff revoke` switch one off \
            and end its sessions. A tester sees only their own applications (due today, overdue, \
            awaiting, done) and records answers; corrections are new events, the old answer stays \
            in the history. Staff see progress per campaign and tester, overdue answers, and \
            download the exports. Officials and staff read the reports published with \
            `barometre report … --publish`.

            The server listens on 127.0.0.1 by default. To serve others, put it behind an HTTPS \
            reverse proxy and give --public-url https://…: sign-in links use it, and cookies are \
            then sent over HTTPS only. Failed sign-ins are limited per client address (a valid \
            link always works, whatever others try). Behind a proxy, name it with \
            --trusted-proxy ADDRESS: its X-Forwarded-For header then gives each client's own \
            address; from anyone else that header is ignored.

            Links expire: a tester's at the end of the campaign plus its response window, \
            staff's after a year (--expires DATE to choose; `add --renew` issues a fresh one). \
            Staff see testers' open sessions on a campaign's page and can end them; so can \
            `barometre testers sessions` and `barometre testers end-sessions NAME --campaign ID`.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: ArgumentHelp("The address people open (default http://HOST:PORT); cookies are Secure when it is https.", valueName: "url"))
    var publicURL: String?

    @Option(help: "Language of the pages: fr or en.", transform: parseLanguage)
    var lang: WebLanguage = .fr

    @Option(help: ArgumentHelp("How long a browser stays signed in, in hours.", valueName: "hours"))
    var sessionHours: Double = 12

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp("The address of a reverse proxy whose X-Forwarded-For header is believed (repeatable).", valueName: "address"))
    var trustedProxies: [String] = []

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, got \(port).") }
        guard sessionHours > 0, sessionHours <= 24 * 30 else { throw ValidationError("--session-hours must be between 0 and 720, got \(sessionHours).") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://, got \(publicURL).")
        }
    }

    func run() async throws {
        let store = try ledger.open()
        let configuration = WebConfiguration(host: host, port: port, publicURL: publicURL, language: lang,
                                             sessionLifetime: sessionHours * 3600, trustedProxies: Set(trustedProxies))
        // Sign-in links printed later (`testers add`) point here.
        do { try store.recordPublicURL(configuration.publicURL) } catch { throw report(error) }
        var logger = Logger(label: "barometre.web")
        logger.logLevel = .info
        // Written straight away (not buffered): a supervisor's log shows where the app is.
        FileHandle.standardOutput.write(Data("Barometre web app on \(configuration.publicURL) (ledger \(ledger.resolvedPath)); Ctrl-C stops it.\n".utf8))
        let app = WebApp.application(ledger: store, configuration: configuration, logger: logger)
        do {
            try await app.runService()
        } catch {
            printError("error: the web app stopped: \(error)\n  hint: is port \(port) already in use? Try --port.")
            throw SysExit.ioError
        }
    }
}

/// `barometre testers add|list|revoke`: testers' personal sign-in links.
struct TestersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testers",
        abstract: "Issue, list and revoke testers' personal sign-in links for the web app.",
        subcommands: [AddTester.self, ListAccounts.Testers.self, RevokeTester.self, Sessions.self, EndSessions.self]
    )

    struct AddTester: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Give a tester a personal sign-in link for one campaign (printed once).",
            discussion: """
                NAME must be a tester of the campaign's plan (design.testers), because the app \
                shows a tester the applications the plan assigns to that name. The link is \
                printed once: send it to the tester privately. The ledger keeps only its hash.
                """
        )
        @Argument(help: ArgumentHelp("The tester's name, as in the campaign's design.testers.", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("The campaign the tester works on.", valueName: "id"))
        var campaign: String
        @Flag(help: "Replace the tester's link: the old one stops working and its sessions end.")
        var renew = false
        @OptionGroup var expiry: ExpiryOption
        @OptionGroup var link: LinkOptions
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try issue(ledger: ledger, link: link, name: name, role: .tester, campaign: campaign, renew: renew, expiresAt: expiry.timestamp)
        }
    }

    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sessions", abstract: "List testers' open sessions, most recently used first.")
        @Option(help: ArgumentHelp("Only this campaign's testers.", valueName: "id"))
        var campaign: String?
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let store = try ledger.openForReading()
            let sessions: [SessionInfo]
            do { sessions = try store.openSessions(campaign: campaign) } catch { throw report(error) }
            let testers = sessions.filter { $0.account.role == .tester }
            if testers.isEmpty { print("No open tester session" + (campaign.map { " in \($0)" } ?? "") + "."); return }
            for s in testers {
                print(TextSafety.printable([s.account.name, s.account.campaign ?? "-", "opened " + s.createdAt, "last used " + (s.lastUsedAt ?? "-"),
                                            "expires " + s.expiresAt].joined(separator: "\t"), multiline: false))
            }
        }
    }

    struct EndSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end-sessions",
                                                        abstract: "End a tester's open sessions (their link stays usable; `revoke` switches it off).")
        @Argument(help: ArgumentHelp("The tester's name.", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("The campaign.", valueName: "id"))
        var campaign: String
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let store = try ledger.open()
            do {
                let ended = try store.endSessions(name: name, role: .tester, campaign: campaign)
                print("Ended \(ended) open session\(ended == 1 ? "" : "s") of \(name) (campaign \(campaign)); their link still works.")
            } catch {
                throw report(error)
            }
        }
    }

    struct RevokeTester: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Switch off a tester's link and end their sessions.")
        @Argument(help: ArgumentHelp("The tester's name.", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("The campaign.", valueName: "id"))
        var campaign: String
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try revoke(ledger: ledger, name: name, role: .tester, campaign: campaign)
        }
    }
}

/// `barometre staff add|list|revoke`: researchers' and officials' sign-in links.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Issue, list and revoke sign-in links for staff (every campaign) and officials (published reports only).",
        subcommands: [AddStaff.self, ListAccounts.Staff.self, RevokeStaff.self]
    )

    struct AddStaff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Give a researcher (or, with --official, an elected official) a personal sign-in link (printed once).",
            discussion: "Staff see every campaign's progress, overdue answers and exports; officials see the published reports only."
        )
        @Argument(help: ArgumentHelp("The person's name.", valueName: "name"))
        var name: String
        @Flag(help: "A read-only account for an elected official: published reports only.")
        var official = false
        @Flag(help: "Replace the person's link: the old one stops working and its sessions end.")
        var renew = false
        @OptionGroup var expiry: ExpiryOption
        @OptionGroup var link: LinkOptions
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try issue(ledger: ledger, link: link, name: name, role: official ? .official : .staff, campaign: nil, renew: renew, expiresAt: expiry.timestamp)
        }
    }

    struct RevokeStaff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Switch off a staff or official link and end its sessions.")
        @Argument(help: ArgumentHelp("The person's name.", valueName: "name"))
        var name: String
        @Flag(help: "The person is an official.")
        var official = false
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try revoke(ledger: ledger, name: name, role: official ? .official : .staff, campaign: nil)
        }
    }
}

/// `--expires YYYY-MM-DD`: the last day a link works.
struct ExpiryOption: ParsableArguments {
    @Option(help: ArgumentHelp("The last day the link works (default: a tester's campaign end plus its response window; a year for staff).", valueName: "YYYY-MM-DD"))
    var expires: String?

    /// The end of that day, UTC.
    var timestamp: String? { expires.map { "\($0)T23:59:59Z" } }

    func validate() throws {
        if let expires, Timestamp.observed(expires) == nil || expires.count != 10 {
            throw ValidationError("--expires takes a date, YYYY-MM-DD (e.g. 2026-12-31), got \(expires).")
        }
    }
}

/// Where sign-in links point.
struct LinkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The web app's public address (default: the address `barometre serve` was last started with on this ledger, its --public-url or host and port; else http://127.0.0.1:8080).", valueName: "url"))
    var publicURL: String?

    func validate() throws {
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://, got \(publicURL).")
        }
    }

    /// The address to print links with, and where it came from (for a note when guessed).
    func resolved(_ store: Ledger) -> (url: String, note: String?) {
        if let publicURL { return (publicURL, nil) }
        if let recorded = try? store.publicURL() { return (recorded, nil) }
        return ("http://127.0.0.1:8080", "note: `barometre serve` has not run on this ledger yet: the link assumes http://127.0.0.1:8080; give --public-url if the app will run elsewhere")
    }
}

/// `testers list` and `staff list`.
enum ListAccounts {
    struct Testers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List testers with a usable link (all, with --all).")
        @Option(help: ArgumentHelp("Only this campaign's testers.", valueName: "id"))
        var campaign: String?
        @Flag(help: "Include revoked links.")
        var all = false
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try list(ledger: ledger, roles: [.tester], campaign: campaign, all: all)
        }
    }

    struct Staff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff and officials with a usable link (all, with --all).")
        @Flag(help: "Include revoked links.")
        var all = false
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            try list(ledger: ledger, roles: [.staff, .official], campaign: nil, all: all)
        }
    }

    static func list(ledger: LedgerOptions, roles: [AccountRole], campaign: String?, all: Bool) throws {
        let store = try ledger.openForReading()
        let accounts: [Account]
        do { accounts = try store.accounts(roles: roles, campaign: campaign, includeRevoked: all) } catch { throw report(error) }
        if accounts.isEmpty {
            print("No \(roles == [.tester] ? "tester" : "staff or official") has a sign-in link" + (campaign.map { " for \($0)" } ?? "") + ".")
            return
        }
        for account in accounts {
            print(TextSafety.printable([account.name, account.role.rawValue, account.campaign ?? "-", "since " + account.createdAt,
                                        account.revokedAt.map { "revoked " + $0 } ?? "active until " + (account.expiresAt ?? "revoked")].joined(separator: "\t"),
                                       multiline: false))
        }
    }
}

private func issue(ledger: LedgerOptions, link: LinkOptions, name: String, role: AccountRole, campaign: String?, renew: Bool, expiresAt: String?) throws {
    if let problem = TextSafety.problem(in: name, multiline: false) {
        printError("error: the name \(problem)\n  hint: type the name again; nothing was written")
        throw SysExit.usage
    }
    let store = try ledger.open()
    let issued: IssuedAccount
    do { issued = try store.addAccount(name: name, role: role, campaign: campaign, renew: renew, expiresAt: expiresAt) } catch { throw report(error) }
    print("Personal sign-in link for \(issued.account.name) (\(role.rawValue)\(campaign.map { ", campaign \($0)" } ?? "")):")
    let address = link.resolved(store)
    print(WebConfiguration.signInLink(publicURL: address.url, token: issued.token))
    if let note = address.note { printError(note) }
    print("Send it privately: whoever has it signs in as \(issued.account.name). It is shown only now; it works until "
          + "\(issued.account.expiresAt ?? "revoked"); `barometre \(role == .tester ? "testers" : "staff") revoke` switches it off.")
}

private func revoke(ledger: LedgerOptions, name: String, role: AccountRole, campaign: String?) throws {
    let store = try ledger.open()
    do {
        let account = try store.revokeAccount(name: name, role: role, campaign: campaign)
        print("Revoked the link of \(account.name) (\(role.rawValue)\(campaign.map { ", campaign \($0)" } ?? "")); their sessions are ended.")
    } catch {
        throw report(error)
    }
}
