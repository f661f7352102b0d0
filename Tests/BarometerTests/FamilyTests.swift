import Testing
import TestSupport
@testable import Barometer
@testable import Stats
import Values

/// METHODS.md §3: the primary comparisons form the confirmatory family (Holm within it);
/// slices, all-pairs and arms not named primary are exploratory (BH within them). Adding an
/// exploratory analysis never changes a confirmatory result.
@Suite("confirmatory and exploratory families")
struct FamilyTests {
    /// Three arms: R, T1 (strongly disadvantaged) and T2 (mildly), in two cities.
    static let observations: [Observation] = {
        var out: [Observation] = []
        var n = 0
        // (R, T1, T2) positive patterns and their counts, per city.
        let patterns: [(Int, Int, Int, Int)] = [(1, 1, 1, 30), (1, 0, 1, 22), (1, 0, 0, 6), (0, 1, 0, 3), (0, 0, 1, 5), (1, 1, 0, 9), (0, 0, 0, 60)]
        for city in ["Lille", "Roubaix", "Tourcoing", "Villeneuve"] {
            for (r, t1, t2, count) in patterns {
                for _ in 0..<count {
                    n += 1
                    for (arm, level) in [("R", r), ("T1", t1), ("T2", t2)] {
                        out.append(Observation(test: "t\(n)", arm: arm, levelIndex: level, attributes: ["city": city, "sector": n % 3 == 0 ? "a" : "b"]))
                    }
                }
            }
        }
        return out
    }()

    static func request(slices: [String] = [], allPairs: Bool = false, primary: [String]? = nil) -> AnalysisRequest {
        AnalysisRequest(kind: .campaign, id: "families", referenceArm: "R", scale: ["negative", "positive"], thresholdIndex: 1,
                        slices: slices, allPairs: allPairs, primary: primary)
    }

    static func confirmatory(_ f: Findings) -> [String] {
        f.comparisons.filter { $0.family == .confirmatory }.map { "\($0.reference)-\($0.tested) p=\($0.primaryP!) holm=\($0.holm!)" }
    }

    @Test("adding slices or all-pairs comparisons leaves every primary result as it was")
    func slicesDoNotMoveThePrimaryFamily() throws {
        let bare = try Analyzer.analyze(ApplicationColumns(Self.observations), Self.request())
        let detailed = try Analyzer.analyze(ApplicationColumns(Self.observations), Self.request(slices: ["city", "sector"], allPairs: true))
        #expect(Self.confirmatory(bare).count == 2)
        #expect(Self.confirmatory(bare) == Self.confirmatory(detailed))
        // Holm within the two primary comparisons only.
        let primary = bare.comparisons.filter { $0.family == .confirmatory }
        #expect(primary.map { $0.holm! } == (try Multiplicity.holm(primary.map { $0.primaryP! })))
        // Everything else is exploratory, BH within it, never Holm.
        let exploratory = detailed.comparisons.filter { $0.family == .exploratory }
        #expect(exploratory.count == detailed.comparisons.count - 2)
        #expect(exploratory.contains { $0.reference == "T1" && $0.tested == "T2" && $0.slice.isEmpty })
        #expect(exploratory.allSatisfy { $0.holm == nil && $0.benjaminiHochberg != nil })
        #expect(exploratory.map { $0.benjaminiHochberg! } == (try Multiplicity.benjaminiHochberg(exploratory.map { $0.primaryP! })))
    }

    @Test("a campaign that names one primary arm: that comparison alone is confirmatory")
    func namedPrimary() throws {
        let f = try Analyzer.analyze(ApplicationColumns(Self.observations), Self.request(primary: ["T1"]))
        let t1 = try #require(f.comparisons.first { $0.tested == "T1" }), t2 = try #require(f.comparisons.first { $0.tested == "T2" })
        #expect(t1.family == .confirmatory && t1.holm == t1.primaryP)
        #expect(t2.family == .exploratory && t2.holm == nil && t2.benjaminiHochberg == t2.primaryP)
    }

    @Test("naming the reference or an absent arm as primary is refused with the arms present")
    func badPrimary() {
        #expect(throws: StatisticsError.self) { try Analyzer.analyze(ApplicationColumns(Self.observations), Self.request(primary: ["R"])) }
        do {
            _ = try Analyzer.analyze(ApplicationColumns(Self.observations), Self.request(primary: ["T3"]))
            Issue.record("T3 should be refused")
        } catch {
            #expect("\(error)".contains("T1, T2"))
        }
    }
}
