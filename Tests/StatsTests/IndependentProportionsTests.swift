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

    /// The Fisher test's terms with the table's constants computed once: the same values as
    /// `Hypergeometric.logPMF` (three calls to GSL's lnchoose per term), to the last bit,
    /// below and above GSL's factorial table (170) and at the ends of the support.
    @Test("log P(X = k) from the margins equals logPMF bit for bit",
          arguments: [(3, 4, 5), (60, 90, 70), (150, 40, 100), (400, 900, 650), (375_425, 2_124_009, 1_249_717)] as [(Int, Int, Int)])
    func marginsSameAsLogPMF(successes: Int, failures: Int, draws: Int) {
        let margins = Hypergeometric.Margins(successes: successes, failures: failures, draws: draws)
        let low = max(0, draws - failures), high = min(draws, successes)
        let ks = (high - low < 5_000 ? Array(low...high) : Array(low...(low + 2_000)) + Array((high - 2_000)...high)
                  + Array(stride(from: low, through: high, by: 997))) + [low - 1, high + 1]
        let mismatches = ks.filter {
            margins.logPMF($0).bitPattern != Hypergeometric.logPMF($0, successes: successes, failures: failures, draws: draws).bitPattern
        }
        #expect(mismatches.isEmpty)
    }
}
