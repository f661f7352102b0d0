import Testing
import TestSupport
@testable import Stats

@Suite("Two independent proportions (the unpaired analysis)")
struct IndependentProportionsTests {
    @Test("against R (chisq.test, fisher.test, prop.test Wilson limits)",
          arguments: ReferenceValues.shared.cases(in: "independent").map(\.0))
    func againstR(_ fixture: ReferenceValues.Case) throws {
        let v = ReferenceValues.shared.cases[fixture]!
        let (x1, n1, x2, n2) = (fixture.counts[0], fixture.counts[1], fixture.counts[2], fixture.counts[3])
        if let statistic = v["pearson.statistic"]! {
            let test = try IndependentProportions.pearsonChiSquared(positives: x1, trials: n1, positives: x2, trials: n2)
            expectClose(test.statistic, statistic, fixture.id)
            expectClose(test.pValue, v["pearson.p"]!!, fixture.id)
        } else {
            #expect(throws: StatisticsError.self) {
                try IndependentProportions.pearsonChiSquared(positives: x1, trials: n1, positives: x2, trials: n2)
            }
        }
        let fisher = try IndependentProportions.fisherExact(positives: x1, trials: n1, positives: x2, trials: n2)
        expectClose(fisher.pValue, v["fisher.p"]!!, fixture.id)
        let newcombe = try IndependentProportions.newcombeDifference(positives: x1, trials: n1, positives: x2, trials: n2)
        expectClose(newcombe.lower, v["newcombe.lower"]!!, fixture.id)
        expectClose(newcombe.upper, v["newcombe.upper"]!!, fixture.id)
    }
}
