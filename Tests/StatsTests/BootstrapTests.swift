import Testing
import TestSupport
@testable import Stats

/// The one percentile bootstrap interval (type-7 quantiles, R's default).
@Suite("percentile bootstrap interval")
struct BootstrapTests {
    @Test("R: quantile(1:10, c(0.025, 0.975)) = 1.225, 9.775; quantile(c(3, 1, 2), c(0.05, 0.95)) = 1.1, 2.9")
    func typeSeven() throws {
        let i = try Bootstrap.percentileInterval((1...10).map(Double.init).shuffled(), level: 0.95)
        expectClose(i.lower, 1.225, relativeTolerance: 1e-12)
        expectClose(i.upper, 9.775, relativeTolerance: 1e-12)
        let j = try Bootstrap.percentileInterval([3, 1, 2], level: 0.90)
        expectClose(j.lower, 1.1, relativeTolerance: 1e-12)
        expectClose(j.upper, 2.9, relativeTolerance: 1e-12)
        #expect(throws: StatisticsError.self) { try Bootstrap.percentileInterval([], level: 0.95) }
        #expect(throws: StatisticsError.self) { try Bootstrap.percentileInterval([1], level: 1.5) }
    }
}
