import Foundation
import Testing
import TestSupport

/// A 60-test campaign in the past (3 arms), planned and answered through the command line
/// (test data, not observed): the reference arm ("hors-qpv-hexagonale") gets an interview in
/// tests 1–40, the other arms in tests 1–10; the other answers alternate refusal and
/// no response. Every comparison's paired table is therefore (10, 30, 0, 20).
enum AnsweredCampaign {
    static let id = "campagne-passee"
    static let reference = "hors-qpv-hexagonale"

    static func make(_ label: String, slices: [String]? = nil, organizations: Int? = nil) throws -> (db: String, folder: URL) {
        let folder = Repository.temporaryFolder(label)
        let db = folder.appendingPathComponent("l.sqlite").path
        let campaign = try LedgerCommandTests.pastCampaign(in: folder, targets: 60, slices: slices, organizations: organizations)
        let plan = try CommandRunner.run(["plan", campaign, "--out", folder.appendingPathComponent("plan").path, "--db", db])
        #expect(plan.status == 0, "\(plan.standardError)")
        let rows = try String(contentsOf: folder.appendingPathComponent("plan/plan.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        var csv = "campaign,application,outcome,observed_at,recorded_by\n"
        for row in rows {
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let number = Int(f[1].dropFirst())!
            let interview = f[4] == reference ? number <= 40 : number <= 10
            csv += "\(id),\(f[0]),\(interview ? "interview" : (number % 2 == 0 ? "refusal" : "no_response")),2025-12-01,test\n"
        }
        let outcomes = folder.appendingPathComponent("outcomes.csv")
        try Data(csv.utf8).write(to: outcomes)
        let imported = try CommandRunner.run(["import", outcomes.path, "--db", db])
        #expect(imported.status == 0, "\(imported.standardError)")
        return (db, folder)
    }
}
