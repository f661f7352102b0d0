import Testing
import Values
@testable import Barometer
@testable import Stats

/// Issue #17: a pair's tests are reduced to their patterns once (`Analyzer.PairPatterns`), and
/// the whole sample's tally, each slice's tally, the strata and the send-order check's design
/// are made from them. Each must equal what reading the applications gives.
@Suite("Pair patterns: one pass gives what each view read from the applications")
struct PairPatternsTests {
    /// Seeded tests with 0 to 2 applications of each of three arms, answers on three levels,
    /// send positions sometimes missing or tied, and a city that some applications lack.
    static func observations(seed: UInt64) -> [Observation] {
        var random = SeededGenerator(seed: seed)
        var out: [Observation] = []
        for k in 0..<500 {
            let city = ["A", "B", "C"][Int.random(in: 0..<3, using: &random)]
            var position = 0
            for arm in ["R", "T", "U"] {
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    position += 1
                    let order: Int? = Int.random(in: 0..<10, using: &random) == 0 ? nil : (Int.random(in: 0..<6, using: &random) == 0 ? 1 : position)
                    let attributes = Int.random(in: 0..<6, using: &random) == 0 ? [:] : ["city": city]
                    out.append(Observation(test: "t\(k)", arm: arm, replicate: position, levelIndex: Int.random(in: 0..<3, using: &random),
                                           sendOrder: order, attributes: attributes))
                }
            }
        }
        return out
    }

    /// Every count of two tallies, and their designs.
    static func same(_ a: ComparisonTally, _ b: ComparisonTally) -> Bool {
        [a.both, a.referenceOnly, a.testedOnly, a.neither, a.pairedTests] == [b.both, b.referenceOnly, b.testedOnly, b.neither, b.pairedTests]
            && a.applications == b.applications && a.positives == b.positives && a.betweenTargets == b.betweenTargets
            && a.betweenApplications == b.betweenApplications && a.betweenPositives == b.betweenPositives
            && a.patterns == b.patterns && a.design.codes == b.design.codes && a.design.tests == b.design.tests
    }

    @Test("tallies, strata and the send-order design from the patterns equal those read from the applications", arguments: [1, 2, 3] as [UInt64])
    func sameAsReadingTheApplications(seed: UInt64) throws {
        let request = AnalysisRequest(kind: .campaign, id: "test", referenceArm: "R", scale: ["none", "maybe", "yes"], thresholdIndex: 1, slices: ["city"])
        let threshold = request.thresholdIndex
        let prepared = try Analyzer.index(ApplicationColumns(Self.observations(seed: seed)), request)
        try prepared.withIndexed { (data) throws(StatisticsError) in
            let r = data.arms.firstIndex(of: "R")!
            #expect(!Analyzer.isApplicantLevel(data, column: "city"))
            for t in data.arms.indices where t != r {
                let patterns = Analyzer.PairPatterns(data, r, t, threshold: threshold)
                var whole = ComparisonTally(r: r, t: t, threshold: threshold, expectedItems: 0)
                for items in data.byTest { whole.add(items) }
                #expect(Self.same(whole, patterns.whole))
                #expect(whole.pairedTests > 0 && whole.betweenTargets.r + whole.betweenTargets.t > 0)

                let slices = Analyzer.sliceTallies(data, r, t, column: "city", patterns: patterns, threshold: threshold)
                #expect(slices.strata == Analyzer.strata(data, r, t, column: "city", threshold: threshold))
                #expect(slices.values.map(\.name) == ["A", "B", "C"])
                for slice in slices.values {
                    var tally = ComparisonTally(r: r, t: t, threshold: threshold, expectedItems: 0)
                    for test in slice.tests { tally.add(data.byTest[test]) }
                    #expect(Self.same(tally, slice.tally))
                }

                // The send-order design as the check built it from the applications.
                var design = BinaryDesign(regressors: 2)
                for items in data.byTest {
                    let kept = items.filter { $0.arm == r || $0.arm == t }
                    guard kept.contains(where: { $0.arm == r }), kept.contains(where: { $0.arm == t }), kept.allSatisfy({ $0.order != nil }) else { continue }
                    let earliest = kept.compactMap(\.order).min()
                    for item in kept { design.append(y: item.level >= threshold, x0: item.arm == r, x1: item.order == earliest) }
                    design.endTest()
                }
                let fromPatterns = patterns.sendOrderDesign()
                #expect(design.tests > 10 && design.tests < whole.pairedTests)
                #expect(fromPatterns.codes == design.codes && fromPatterns.tests == design.tests && fromPatterns.count == design.count)
                #expect(try ClusterRobustRegression.fit(fromPatterns) == ClusterRobustRegression.fit(design))

                // The placebo (the reference's first application against its second) by pattern.
                let byPattern = try Analyzer.placebo(data, r, request: request, patterns: patterns)
                let direct = try Analyzer.placebo(data, r, request: request)
                #expect(byPattern?.tests == direct?.tests && byPattern?.paired.table == direct?.paired.table && (direct?.tests ?? 0) > 10)
            }
        }
    }
}
