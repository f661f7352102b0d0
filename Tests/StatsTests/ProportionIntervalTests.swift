import Testing
import TestSupport
@testable import Stats

@Suite("One-proportion intervals")
struct ProportionIntervalTests {
    @Test("against R (prop.test, binom.test, qbeta, uniroot)", arguments: ReferenceValues.shared.cases(in: "proportion").map(\.0))
    func againstR(_ fixture: ReferenceValues.Case) throws {
        let values = ReferenceValues.shared.cases[fixture]!
        for method in ProportionIntervalMethod.allCases {
            let interval = try Proportion.interval(positives: fixture.counts[0], trials: fixture.counts[1],
                                                   level: fixture.level, method: method)
            let label = "\(fixture.id) at \(fixture.level), \(method.rawValue)"
            expectClose(interval.lower, values["\(method.rawValue).lower"]!!, label)
            expectClose(interval.upper, values["\(method.rawValue).upper"]!!, label)
        }
    }

    @Test("bad input is an error naming the argument")
    func badInput() {
        #expect(throws: StatisticsError.countExceedsTrials(count: 5, trials: 3)) {
            try Proportion.interval(positives: 5, trials: 3, method: .wilson)
        }
        #expect(throws: StatisticsError.negativeCount(name: "positives", value: -1)) {
            try Proportion.interval(positives: -1, trials: 3, method: .wilson)
        }
        #expect(throws: StatisticsError.levelOutOfRange(1.5)) {
            try Proportion.interval(positives: 1, trials: 3, level: 1.5, method: .wilson)
        }
        #expect(throws: StatisticsError.undefined("no trials (n = 0): a proportion needs at least one")) {
            try Proportion.interval(positives: 0, trials: 0, method: .clopperPearson)
        }
    }

    @Test("Agresti–Coull is clipped to [0, 1] and says so")
    func agrestiClipping() throws {
        let interval = try Proportion.interval(positives: 0, trials: 5, method: .agrestiCoull)
        #expect(interval.lower == 0)
        #expect(interval.clipped)
    }
}
