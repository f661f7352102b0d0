import Campaigns
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Stats
import Values

/// Writes a plan as files: `plan.csv`, `plan.json` and `documents/<application id>.txt`.
///
/// The output is deterministic (no clock, sorted keys), so the same campaign and seed give
/// byte-identical files. Writing is all-or-nothing: the files are written to a temporary
/// folder beside the destination, which then replaces it.
public enum PlanWriter {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// The CSV columns, one row per application.
    public static let columns = ["application_id", "test_id", "target_id", "organization", "arm", "replicate", "send_order",
                                 "identity", "template", "channel", "send_at", "tester"]

    /// `plan.csv`, through ``CSVWriter`` (spreadsheet-safe text cells).
    public static func csv(_ plan: TestPlan) -> String {
        var csv = CSVWriter(header: columns)
        for a in plan.applications {
            csv.append([.text(a.id), .text(a.testID), .text(a.targetID), .text(a.organization), .text(a.arm), .int(a.replicate), .int(a.sendOrder),
                        .text("\(a.identity.firstName) \(a.identity.lastName)"), .text(a.template), .text(a.channel.rawValue),
                        .text(a.sendAt.description), .text(a.tester)])
        }
        return csv.text
    }

    public static func document(_ a: PlannedApplication, plan: TestPlan, target: Target) -> String {
        var lines: [String] = []
        if plan.fictitious { lines.append("FICTITIOUS TARGET — example campaign, do not send") }
        lines.append("Application \(a.id) (test \(a.testID), arm \(a.arm), template \(a.template))")
        lines.append("Channel: \(a.channel.rawValue)")
        lines.append("To: \(target.organization)" + (target.contact.map { " <\($0)>" } ?? ""))
        lines.append("Send at: \(a.sendAt) by \(a.tester)")
        if let subject = a.document.subject { lines.append("Subject: \(subject)") }
        lines.append("")
        lines.append(a.document.body)
        return lines.joined(separator: "\n") + (a.document.body.hasSuffix("\n") ? "" : "\n")
    }

    /// The plan's summary: seed, hash and the balance achieved.
    public static func summary(_ plan: TestPlan, campaign: Campaign) -> JSONValue {
        let applications = plan.applications
        var first: [String: Int] = [:], templateUse: [String: [String: Int]] = [:], testers: [String: Int] = [:]
        var identityUse: [String: [String: Int]] = [:]
        for test in plan.tests {
            first[test.applications[0].arm, default: 0] += 1
            if !test.target.channel.isSpoken { testers[test.tester, default: 0] += 1 }
        }
        for a in applications {
            templateUse[a.arm, default: [:]][a.template, default: 0] += 1
            identityUse[a.arm, default: [:]]["\(a.identity.firstName) \(a.identity.lastName)", default: 0] += 1
        }
        func counts(_ dictionary: [String: Int]) -> JSONValue {
            .object(dictionary.keys.sorted().map { ($0, .int(dictionary[$0]!)) })
        }
        let armIDs = campaign.arms.map(\.id)
        // Calls and visits (tester pairs): who conducts how many applications, who goes first,
        // and how many distinct teams were used. Absent for written campaigns.
        var pairs: [(String, JSONValue)] = []
        let spoken = plan.tests.filter { $0.target.channel.isSpoken }
        if !spoken.isEmpty {
            var load: [String: Int] = [:], firsts: [String: Int] = [:], teams: [String: Int] = [:]
            for test in spoken {
                firsts[test.applications[0].tester, default: 0] += 1
                teams[test.applications.map(\.tester).sorted().joined(separator: " + "), default: 0] += 1
                for a in test.applications { load[a.tester, default: 0] += 1 }
            }
            pairs = [("testerPairs", .object([
                ("tests", .int(spoken.count)), ("applicationsByTester", counts(load)), ("firstByTester", counts(firsts)),
                ("teams", .int(teams.count)), ("testsPerTeam", .object([("min", .int(teams.values.min() ?? 0)), ("max", .int(teams.values.max() ?? 0))])),
            ]))]
        }
        return .object([
            ("campaign", .string(plan.campaignID)),
            ("fictitious", .bool(plan.fictitious)),
            ("seed", .int(Int(truncatingIfNeeded: plan.seed))),
            ("generator", .string("GSL mt19937 (low 32 bits of the seed)")),
            ("campaignHash", .string(plan.campaignHash)),
            ("tests", .int(plan.tests.count)),
            ("applications", .int(applications.count)),
            ("arms", .array(armIDs.map(JSONValue.string))),
            ("balance", .object([
                ("firstInSendOrder", counts(first)),
                ("templatesByArm", .object(armIDs.map { ($0, counts(templateUse[$0] ?? [:])) })),
                ("testsByTester", counts(testers)),
            ] + pairs + [
                ("identityUseByArm", .object(armIDs.map { arm in
                    let uses = (identityUse[arm] ?? [:]).values
                    return (arm, .object([("identities", .int(uses.count)), ("min", .int(uses.min() ?? 0)), ("max", .int(uses.max() ?? 0))]))
                })),
            ])),
            ("files", .object([("plan", .string("plan.csv")), ("documents", .string("documents/<application_id>.txt"))])),
        ])
    }

    /// Writes a small text file with POSIX calls and no flush (the caller flushes once).
    /// `path` is a plain string: a `URL` made by `appendingPathComponent` asks the file
    /// system whether it is a folder, one more system call per document.
    static func writeUnsynced(_ text: String, to path: String) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var text = text
        let failure: Int32? = text.withUTF8 { bytes -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw WriteError(path: path, reason: String(cString: strerror(failure))) }
    }

    /// Folders a `plan` killed mid-run left beside `directory` (issue #18 item 4): staging
    /// folders `.NAME.partial-PID` and set-aside outputs `.NAME.previous-PID` of processes that
    /// no longer run. A set-aside output whose replacement never arrived is put back first;
    /// the rest are removed. Folders of a process still running are left alone.
    static func removeStaleStaging(of directory: URL) {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent(), name = directory.lastPathComponent
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries.sorted() {
            for kind in ["partial", "previous"] {
                let prefix = ".\(name).\(kind)-"
                guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count)), !processIsRunning(pid) else { continue }
                let stale = parent.appendingPathComponent(entry)
                if kind == "previous" && !fm.fileExists(atPath: directory.path) {
                    try? fm.moveItem(at: stale, to: directory)
                } else {
                    try? fm.removeItem(at: stale)
                }
            }
        }
    }

    /// True while a process with this id exists (kill with signal 0 checks without sending).
    static func processIsRunning(_ pid: Int32) -> Bool {
        if pid == ProcessInfo.processInfo.processIdentifier { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Writes the plan into `directory`, replacing what was there only once every file is written.
    public static func write(_ plan: TestPlan, campaign: Campaign, to directory: URL) throws(WriteError) {
        try stage(plan, campaign: campaign, for: directory).swapIn()
    }

    /// A plan's files written in full beside their destination, not yet in its place.
    public struct Staged: Sendable {
        let staging: URL, directory: URL

        /// Puts the files in the destination's place by renames: the old output is set aside
        /// only now that the new one is complete, and put back if the new one cannot take its
        /// place. On failure nothing is left of the staged files.
        public func swapIn() throws(WriteError) {
            let fm = FileManager.default
            let parent = directory.deletingLastPathComponent()
            do throws(WriteError) {
                if fm.fileExists(atPath: directory.path) {
                    let backup = parent.appendingPathComponent(".\(directory.lastPathComponent).previous-\(ProcessInfo.processInfo.processIdentifier)")
                    try? fm.removeItem(at: backup)
                    try attempt(directory) { try fm.moveItem(at: directory, to: backup) }
                    do {
                        try fm.moveItem(at: staging, to: directory)
                    } catch {
                        try? fm.moveItem(at: backup, to: directory)
                        throw WriteError(path: directory.path, reason: (error as NSError).localizedDescription)
                    }
                    try? fm.removeItem(at: backup)
                } else {
                    try attempt(directory) { try fm.moveItem(at: staging, to: directory) }
                }
            } catch {
                discard()
                throw error
            }
        }

        /// Removes the staged files (the plan was not registered): the destination is untouched.
        public func discard() { try? FileManager.default.removeItem(at: staging) }
    }

    static func attempt(_ path: URL, _ body: () throws -> Void) throws(WriteError) {
        do { try body() } catch { throw WriteError(path: path.path, reason: (error as NSError).localizedDescription) }
    }

    /// Writes every file of the plan into a staging folder beside `directory`
    /// (`.NAME.partial-PID`), flushed to the disk; ``Staged/swapIn()`` then puts it in place.
    /// On failure nothing is left of it.
    public static func stage(_ plan: TestPlan, campaign: Campaign, for directory: URL) throws(WriteError) -> Staged {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try attempt(parent) { try fm.createDirectory(at: parent, withIntermediateDirectories: true) }
        removeStaleStaging(of: directory)
        try? fm.removeItem(at: staging)
        do throws(WriteError) {
            let documents = staging.appendingPathComponent("documents")
            try attempt(documents) { try fm.createDirectory(at: documents, withIntermediateDirectories: true) }
            try attempt(staging.appendingPathComponent("plan.csv")) {
                try Data(csv(plan).utf8).write(to: staging.appendingPathComponent("plan.csv"))
            }
            try attempt(staging.appendingPathComponent("plan.json")) {
                try Data((summary(plan, campaign: campaign).rendered() + "\n").utf8).write(to: staging.appendingPathComponent("plan.json"))
            }
            // One document per application: written without a flush each (Foundation's
            // `Data.write` syncs every file, 30,000 syncs for a 10,000-target plan), then the
            // file system is flushed once, before the folder is swapped in (issue #17 item 4).
            let folder = documents.path + "/"
            for test in plan.tests {
                for a in test.applications {
                    try writeUnsynced(document(a, plan: plan, target: test.target), to: folder + a.id + ".txt")
                }
            }
            sync()
            return Staged(staging: staging, directory: directory)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }
}
