import Testing
import TestSupport
@testable import Stats

/// METHODS.md §6: the worked examples of Fagerland, Lydersen & Laake (R package
/// `contingencytables`), to the 4 decimals they are published with.
@Suite("Published reference values (METHODS.md §6)")
struct PublishedValuesTests {
    // Cavo et al. 2012, [[59, 6], [16, 80]], N = 161.
    let cavo = try! PairedTable(both: 59, referenceOnly: 6, testedOnly: 16, neither: 80)

    @Test("Cavo 2012: estimates and McNemar family")
    func cavoTests() throws {
        // Given the Cavo table, When it is analysed,
        let analysis = try PairedAnalysis(cavo)
        // Then the estimates and p-values are the published ones.
        expectRounded(analysis.difference.estimate.value, -0.0621)
        expectRounded(analysis.ratio.estimate.value, 0.8667)
        expectRounded(analysis.oddsRatio.estimate.value, 0.3750)
        expectRounded(analysis.significance[.asymptotic]!.pValue, 0.033006, decimals: 6)
        expectRounded(McNemar.z(cavo), -2.132, decimals: 3)
        expectRounded(analysis.significance[.corrected]!.pValue, 0.055009, decimals: 6)
        expectRounded(analysis.significance[.exact]!.pValue, 0.052479, decimals: 6)
        expectRounded(analysis.significance[.midP]!.pValue, 0.034690, decimals: 6)
    }

    @Test("Cavo 2012: difference intervals", arguments: [
        (PairedDifferenceMethod.wald, -0.1184, -0.0058),
        (.newcombe, -0.1186, -0.0046),
        (.tango, -0.1240, -0.0054),
        (.bonettPrice, -0.1195, -0.0032),
    ])
    func cavoDifference(method: PairedDifferenceMethod, lower: Double, upper: Double) throws {
        let interval = try PairedDifference.interval(cavo, method: method)
        expectRounded(interval.lower, lower)
        expectRounded(interval.upper, upper)
    }

    @Test("Cavo 2012: ratio intervals", arguments: [
        (PairedRatioMethod.tang, 0.7476, 0.9876),
        (.bonettPrice, 0.7579, 0.9910),
        (.moverWilson, 0.7592, 0.9866),
    ])
    func cavoRatio(method: PairedRatioMethod, lower: Double, upper: Double) throws {
        let interval = try PairedRatio.interval(cavo, method: method)
        expectRounded(interval.lower, lower)
        expectRounded(interval.upper, upper)
    }

    @Test("Cavo 2012: conditional odds ratio, transformed Wilson")
    func cavoOddsRatio() throws {
        let interval = try ConditionalOddsRatio.interval(cavo, method: .wilson)
        expectRounded(interval.lower, 0.1514)
        expectRounded(interval.upper, 0.9287)
    }

    @Test("Ezra 2010: conditional odds ratio 12.5, transformed Clopper–Pearson and mid-p")
    func ezra() throws {
        let ezra = try PairedTable(both: 7, referenceOnly: 25, testedOnly: 2, neither: 68)
        expectRounded(try ConditionalOddsRatio.estimate(ezra), 12.5)
        let exact = try ConditionalOddsRatio.interval(ezra, method: .clopperPearson)
        expectRounded(exact.lower, 3.1169)
        expectRounded(exact.upper, 108.8892)
        let midP = try ConditionalOddsRatio.interval(ezra, method: .midP)
        expectRounded(midP.lower, 3.4681)
        expectRounded(midP.upper, 78.2972)
    }

    @Test("Bentur 2009: the four McNemar p-values")
    func bentur() throws {
        let bentur = try PairedTable(both: 1, referenceOnly: 1, testedOnly: 7, neither: 12)
        expectRounded(McNemar.test(bentur, method: .exact).pValue, 0.0703)
        expectRounded(McNemar.test(bentur, method: .midP).pValue, 0.0391)
        expectRounded(McNemar.test(bentur, method: .asymptotic).pValue, 0.0339)
        expectRounded(McNemar.test(bentur, method: .corrected).pValue, 0.0771)
    }

    @Test("Connor 1987 sample sizes of METHODS.md §5: 469 and 1,097 pairs")
    func connor() throws {
        #expect(try PairedPower.pairsNeeded(p10: 0.10, p01: 0.05) == 469)
        #expect(try PairedPower.pairsNeeded(p10: 0.20, p01: 0.15) == 1097)
    }

    @Test("TEPP inter1 (shared/data/tepp/README.md): net discrimination denominators")
    func inter1() throws {
        // Man.F vs Woman.S: 97 tests with a callback, 71 R only, 11 T only, 15 both.
        let table = try PairedTable(both: 15, referenceOnly: 71, testedOnly: 11, neither: 213)
        let analysis = try PairedAnalysis(table)
        #expect(analysis.net.denominator?.count == 97)
        expectClose(analysis.net.estimate.value, 60.0 / 97.0)
        expectClose(analysis.referenceRate.estimate.value, 86.0 / 310.0)
        expectClose(analysis.testedRate.estimate.value, 26.0 / 310.0)
    }
}
