import Foundation
import Testing
import TestSupport

/// `barometre stats …` end to end: the real executable, its output and its exit codes.
@Suite("barometre stats")
struct StatsCommandTests {
    @Test("stats paired --format json gives the Cavo values of METHODS.md §6 in the documented layout")
    func pairedJSON() throws {
        // Given the Cavo table, When the calculator runs with --format json,
        let result = try CommandRunner.run(["stats", "paired", "--both", "59", "--reference-only", "6",
                                            "--tested-only", "16", "--neither", "80", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try result.json()
        // Then the keys are exactly those documented (more are allowed),
        for key in ["level", "table", "rates", "difference", "ratio", "oddsRatio", "net", "discordant", "significance"] {
            #expect(json[key] != nil, "missing key \(key)")
        }
        #expect(json["level"] as? Double == 0.95)
        let table = try #require(json["table"] as? [String: Int])
        #expect(table == ["both": 59, "referenceOnly": 6, "testedOnly": 16, "neither": 80, "tests": 161])
        let rates = try #require(json["rates"] as? [String: [String: Any]])
        for arm in ["reference", "tested"] {
            let intervals = try #require(rates[arm]?["intervals"] as? [String: [Double]])
            #expect(Set(intervals.keys).isSuperset(of: ["wilson", "clopper-pearson"]))
        }
        // and the values are the published ones.
        func interval(_ indicator: String, _ method: String) throws -> [Double] {
            let object = try #require(json[indicator] as? [String: Any])
            let intervals = try #require(object["intervals"] as? [String: Any])
            return try #require(intervals[method] as? [Double], "\(indicator).\(method)")
        }
        func estimate(_ indicator: String) -> Double? { (json[indicator] as? [String: Any])?["estimate"] as? Double }
        expectRounded(estimate("difference"), -0.0621)
        expectRounded(estimate("ratio"), 0.8667)
        expectRounded(estimate("oddsRatio"), 0.3750)
        for (method, lower, upper) in [("newcombe", -0.1186, -0.0046), ("tango", -0.1240, -0.0054),
                                       ("bonett-price", -0.1195, -0.0032), ("wald", -0.1184, -0.0058)] {
            let i = try interval("difference", method)
            expectRounded(i[0], lower, method); expectRounded(i[1], upper, method)
        }
        for (method, lower, upper) in [("tang", 0.7476, 0.9876), ("bonett-price", 0.7579, 0.9910), ("mover-wilson", 0.7592, 0.9866)] {
            let i = try interval("ratio", method)
            expectRounded(i[0], lower, method); expectRounded(i[1], upper, method)
        }
        let wilson = try interval("oddsRatio", "wilson")
        expectRounded(wilson[0], 0.1514); expectRounded(wilson[1], 0.9287)
        let oddsIntervals = try #require((json["oddsRatio"] as? [String: Any])?["intervals"] as? [String: Any])
        #expect(Set(oddsIntervals.keys) == ["clopper-pearson", "mid-p", "wilson"])
        let net = try #require(json["net"] as? [String: Any])
        #expect(net["denominator"] as? String == "tests-with-any-positive")
        let netIntervals = try #require(net["intervals"] as? [String: Any])
        #expect(Set(netIntervals.keys).isSuperset(of: ["newcombe", "tango"]))
        #expect(((json["discordant"] as? [String: Any])?["intervals"] as? [String: Any])?["clopper-pearson"] != nil)
        let significance = try #require(json["significance"] as? [String: Any])
        func p(_ key: String) -> Double? { (significance[key] as? [String: Any])?["p"] as? Double }
        expectRounded(p("mcnemar"), 0.033006, decimals: 6)
        expectRounded(p("mcnemar-corrected"), 0.055009, decimals: 6)
        expectRounded(p("exact"), 0.052479, decimals: 6)
        expectRounded(p("mid-p"), 0.034690, decimals: 6)
        #expect((significance["mcnemar"] as? [String: Any])?["statistic"] as? Double != nil)
        #expect((significance["mcnemar-corrected"] as? [String: Any])?["statistic"] as? Double != nil)
    }

    @Test("undefined values are null, with the reason under notes")
    func undefinedIsNull() throws {
        let result = try CommandRunner.run(["stats", "paired", "--both", "0", "--reference-only", "4",
                                            "--tested-only", "0", "--neither", "6", "--format", "json"])
        #expect(result.status == 0)
        let oddsRatio = try #require(try result.json()["oddsRatio"] as? [String: Any])
        #expect(oddsRatio["estimate"] is NSNull)
        let notes = try #require(oddsRatio["notes"] as? [String: String])
        #expect(notes["estimate"]?.contains("infinite") == true)
        // The odds ratio's upper limit is +∞: written as null and explained.
        let upper = ((oddsRatio["intervals"] as? [String: [Any]])?["clopper-pearson"])?[1]
        #expect(upper is NSNull)
    }

    @Test("stats paired prints a readable table by default")
    func pairedTable() throws {
        let result = try CommandRunner.run(["stats", "paired", "--both", "59", "--reference-only", "6",
                                            "--tested-only", "16", "--neither", "80"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("n = 161 tests"))
        #expect(result.standardOutput.contains("newcombe                                [−0.1186, −0.0046]"))
        #expect(result.standardOutput.contains("McNemar mid-p test                         p = 0.034690  (default)"))
    }

    @Test("stats power answers 469 pairs for p10 = 0.10, p01 = 0.05")
    func power() throws {
        let table = try CommandRunner.run(["stats", "power", "--p10", "0.10", "--p01", "0.05"])
        #expect(table.status == 0)
        #expect(table.standardOutput.hasPrefix("469 paired tests are needed"))
        let json = try CommandRunner.run(["stats", "power", "--p10", "0.10", "--p01", "0.05", "--format", "json"]).json()
        #expect(json["pairs"] as? Int == 469)
        let withPairs = try CommandRunner.run(["stats", "power", "--p10", "0.10", "--p01", "0.05", "--pairs", "469", "--format", "json"]).json()
        let power = try #require(withPairs["power"] as? Double)
        #expect(power > 0.79 && power < 0.82)
    }

    @Test("stats proportion prints every interval")
    func proportion() throws {
        let json = try CommandRunner.run(["stats", "proportion", "--positives", "86", "--trials", "310", "--format", "json"]).json()
        expectClose(json["estimate"] as? Double, 86.0 / 310.0)
        let intervals = try #require(json["intervals"] as? [String: [Double]])
        #expect(Set(intervals.keys) == ["wilson", "clopper-pearson", "jeffreys", "agresti-coull", "mid-p"])
    }

    @Test("bad input: a clear message on stderr, nothing on stdout, exit 64", arguments: [
        (["stats", "paired", "--both", "1", "--reference-only=-2", "--tested-only", "3", "--neither", "4"], "--reference-only must be a count"),
        (["stats", "paired", "--both", "1", "--reference-only", "2", "--tested-only", "-3", "--neither", "4"], "--tested-only must be a count"),
        (["stats", "paired", "--both", "1.5", "--reference-only", "2", "--tested-only", "3", "--neither", "4"], "'1.5' is invalid"),
        (["stats", "paired", "--both", "1", "--reference-only", "2", "--tested-only", "3", "--neither", "4", "--level", "1.5"], "--level must lie strictly between 0 and 1"),
        (["stats", "paired", "--both", "1", "--reference-only", "2", "--tested-only", "3"], "Missing expected argument '--neither <D>'"),
        (["stats", "proportion", "--positives", "5", "--trials", "3"], "cannot exceed --trials"),
        (["stats", "power", "--p10", "1.5", "--p01", "0.05"], "--p10 must be a probability"),
        (["stats", "power", "--p10", "0.6", "--p01", "0.5"], "must not exceed 1"),
        (["stats", "power", "--p10", "0.1", "--p01", "0.1"], "no difference to detect"),
        (["stats", "power", "--p10", "0.1", "--p01", "0.05", "--alpha", "0"], "--alpha must lie strictly between 0 and 1"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 64)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(message), "stderr was: \(result.standardError)")
    }

    @Test("stats --help teaches the calculator (golden text)")
    func help() throws {
        let result = try CommandRunner.run(["stats", "--help"])
        #expect(result.status == 0)
        let golden = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/stats-help.txt"), encoding: .utf8)
        #expect(result.standardOutput == golden)
    }
}
