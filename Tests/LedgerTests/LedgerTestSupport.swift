import Campaigns
import Foundation
import GRDB
import Planning
import TestSupport
@testable import Ledger

enum LedgerFixture {
    /// After every send of the internship example (Sept–Oct 2026).
    static let now = ISO8601DateFormatter().date(from: "2026-11-20T12:00:00Z")!

    static let internship = try! CampaignLoader.load(Repository.url("campaigns/internship-residence-origin-lille-2026.json"))

    /// A ledger holding the internship example's plan (seed 20260914).
    static func planned() throws -> (Ledger, TestPlan) {
        let ledger = Ledger.inMemory()
        let plan = Planner.plan(internship, seed: 20260914)
        _ = try ledger.register(internship, plan: plan, now: now)
        return (ledger, plan)
    }

    static func count(_ ledger: Ledger, _ sql: String) throws -> Int {
        try ledger.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}

/// The ledger's refusal of `body`, or `nil` when it was accepted. (A plain function avoids
/// `catch let … as` around typed throws, which crashes the Swift 6.3.1 compiler.)
func refusal<T>(_ body: () throws(LedgerError) -> T) -> LedgerError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// A scratch folder for the files a test writes (ledgers, data), removed afterwards.
func withScratchFolder<T>(_ label: String, _ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}
