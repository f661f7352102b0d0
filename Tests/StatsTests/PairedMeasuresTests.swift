import Testing
import TestSupport
@testable import Stats

@Suite("Paired measures (t interval, Wilcoxon signed-rank, Hodges–Lehmann)")
struct PairedMeasuresTests {
    static func values(_ name: String) -> [Double] {
        ReferenceValues.shared.cases(in: "measures")
            .filter { $0.0.id == name && $0.1["value"] != nil }
            .sorted { $0.0.counts[0] < $1.0.counts[0] }
            .map { $0.1["value"]!! }
    }

    @Test("against R's t.test, wilcox.test and the Walsh median", arguments: ["small", "ties", "delays"])
    func againstR(name: String) throws {
        let x = Self.values(name)
        let expected = try #require(ReferenceValues.shared.cases(in: "measures").first { $0.0.id == name && $0.1["mean"] != nil }?.1)
        #expect(x.count == ReferenceValues.shared.cases(in: "measures").first { $0.0.id == name && $0.1["mean"] != nil }!.0.counts[0])
        let mean = try PairedMeasures.meanDifference(x)
        expectClose(mean.estimate, expected["mean"]!!)
        expectClose(mean.interval.lower, expected["t.lower"]!!)
        expectClose(mean.interval.upper, expected["t.upper"]!!)
        expectClose(try PairedMeasures.wilcoxonSignedRank(x).pValue, expected["wilcoxon.p"]!!)
        expectClose(try PairedMeasures.hodgesLehmann(x), expected["hodges-lehmann"]!!)
    }

    @Test("undefined cases are explained")
    func undefined() {
        #expect(throws: StatisticsError.self) { try PairedMeasures.meanDifference([1]) }
        #expect(throws: StatisticsError.self) { try PairedMeasures.wilcoxonSignedRank([0, 0, 0]) }
    }
}
