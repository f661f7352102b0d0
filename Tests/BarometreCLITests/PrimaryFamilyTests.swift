import Foundation
import Testing
import TestSupport

/// Issue #19 item 1: the verdict does not move with optional analyses. The same campaign,
/// same plan, same answers, analysed with no slice and with four: the headline sentences and
/// the barometer table are byte-identical; only the exploratory annex grows.
@Suite("primary comparisons: headlines that slices cannot move")
struct PrimaryFamilyTests {
    static func report(_ label: String, slices: [String]) throws -> (json: [String: Any], markdown: String) {
        let (db, folder) = try AnsweredCampaign.make(label, slices: slices)
        var outputs: [String: String] = [:]
        for format in ["json", "md"] {
            let path = folder.appendingPathComponent("report.fr.\(format)").path
            let result = try CommandRunner.run(["report", "--campaign", AnsweredCampaign.id, "--format", format, "--out", path, "--db", db, "--date", "2026-11-22"])
            #expect(result.status == 0, "\(result.standardError)")
            outputs[format] = try String(contentsOfFile: path, encoding: .utf8)
        }
        let json = try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as! [String: Any]
        return (json, outputs["md"]!)
    }

    /// The Markdown from the summary to the end of the barometer table (the definition line).
    static func summaryAndTable(_ markdown: String) -> String {
        let start = markdown.range(of: "## Ce que le testing a mesuré")!.lowerBound
        let end = markdown.range(of: "Discrimination nette : (tests")!.upperBound
        return String(markdown[start..<end])
    }

    @Test("no slice and four slices: identical headlines and barometer table; the slices are exploratory")
    func slicesLeaveHeadlinesAlone() throws {
        let bare = try Self.report("family-bare", slices: [])
        let sliced = try Self.report("family-sliced", slices: ["sector", "city", "channel", "organization"])
        let headlines = { (json: [String: Any]) throws -> Data in
            try JSONSerialization.data(withJSONObject: json["headlines"] as! [[String: Any]], options: [.sortedKeys])
        }
        #expect(try headlines(bare.json) == headlines(sliced.json))
        #expect(Self.summaryAndTable(bare.markdown) == Self.summaryAndTable(sliced.markdown))
        // The sliced run did compute more, all of it exploratory.
        let comparisons = { (json: [String: Any]) -> [[String: Any]] in (json["findings"] as! [String: Any])["comparisons"] as! [[String: Any]] }
        #expect(comparisons(sliced.json).count > comparisons(bare.json).count)
        #expect(comparisons(sliced.json).filter { $0["family"] as? String == "confirmatory" }.count == 2)
        #expect(comparisons(sliced.json).allSatisfy { ($0["slice"] as? [String: Any] ?? [:]).isEmpty || $0["family"] as? String == "exploratory" })
        #expect(sliced.markdown.contains("exploratoires"))
    }
}
