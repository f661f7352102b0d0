import Testing
@testable import Stats

/// Properties that must hold for every table: checked on all 4⁴ = 256 tables with cells
/// 0…3 and on a spread of larger ones.
@Suite("Properties of the paired methods")
struct PairedPropertyTests {
    static let tables: [PairedTable] = {
        var tables: [PairedTable] = []
        for a in 0...3 { for b in 0...3 { for c in 0...3 { for d in 0...3 {
            tables.append(try! PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d))
        } } } }
        for (a, b, c, d) in [(43, 43, 27, 197), (15, 71, 11, 213), (0, 40, 0, 1), (500, 1, 300, 2), (1, 999, 0, 0)] {
            tables.append(try! PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d))
        }
        return tables
    }()

    @Test("no NaN anywhere: every value is a number or undefined with a reason")
    func noNaN() throws {
        for table in Self.tables {
            let analysis = try PairedAnalysis(table)
            for indicator in [analysis.difference.estimate, analysis.ratio.estimate, analysis.net.estimate,
                              analysis.oddsRatio.estimate, analysis.discordant.estimate] {
                if let value = indicator.value { #expect(!value.isNaN, "\(table)") }
                else { #expect(!(indicator.undefinedReason ?? "").isEmpty, "\(table)") }
            }
            for test in analysis.significance.values {
                #expect(test.pValue >= 0 && test.pValue <= 1, "\(table) \(test.method)")
                if let statistic = test.statistic { #expect(statistic.isFinite) }
            }
            let all: [Defined<ConfidenceInterval>] = analysis.difference.intervals.map(\.interval)
                + analysis.ratio.intervals.map(\.interval) + analysis.oddsRatio.intervals.map(\.interval)
                + analysis.net.intervals.map(\.interval) + analysis.referenceRate.intervals.map(\.interval)
            for interval in all {
                if let i = interval.value { #expect(!i.lower.isNaN && !i.upper.isNaN && i.lower <= i.upper, "\(table)") }
            }
        }
    }

    @Test("intervals hold their estimate and stay in the parameter range")
    func containment() throws {
        for table in Self.tables where table.tests > 0 {
            let analysis = try PairedAnalysis(table)
            let difference = analysis.difference.estimate.value!
            for item in analysis.difference.intervals {
                let i = item.interval.value!
                #expect(i.lower >= -1 && i.upper <= 1, "\(table) \(item.method)")
                // Wald is degenerate at b = c = 0 but still holds the estimate.
                #expect(i.contains(difference) || abs(i.lower - difference) < 1e-12 || abs(i.upper - difference) < 1e-12,
                        "\(table) \(item.method) \(i) misses \(difference)")
            }
            for item in analysis.referenceRate.intervals + analysis.testedRate.intervals {
                let i = item.interval.value!
                #expect(i.lower >= 0 && i.upper <= 1)
            }
            if let ratio = analysis.ratio.estimate.value {
                for item in analysis.ratio.intervals {
                    let i = item.interval.value!
                    #expect(i.lower >= 0)
                    #expect(i.lower <= ratio * (1 + 1e-9) && ratio <= i.upper * (1 + 1e-9), "\(table) \(item.method) \(i) vs \(ratio)")
                }
            }
            if let share = analysis.discordant.estimate.value {
                for item in analysis.discordant.intervals { #expect(item.interval.value!.contains(share)) }
            }
        }
    }

    @Test("swapping b and c mirrors the difference and its intervals")
    func mirror() throws {
        for table in Self.tables where table.tests > 0 {
            for method in PairedDifferenceMethod.allCases {
                let direct = try PairedDifference.interval(table, method: method)
                let swapped = try PairedDifference.interval(table.swapped, method: method)
                #expect(abs(direct.lower + swapped.upper) < 1e-9 && abs(direct.upper + swapped.lower) < 1e-9,
                        "\(table) \(method): \(direct) vs \(swapped)")
            }
            #expect(try PairedDifference.estimate(table) == -(try PairedDifference.estimate(table.swapped)))
            #expect(McNemar.test(table, method: .midP).pValue == McNemar.test(table.swapped, method: .midP).pValue)
        }
    }

    @Test("b = c = 0 gives difference 0 with a finite interval and p = 1")
    func noDiscordance() throws {
        let table = try PairedTable(both: 30, referenceOnly: 0, testedOnly: 0, neither: 70)
        let analysis = try PairedAnalysis(table)
        #expect(analysis.difference.estimate.value == 0)
        for method in [PairedDifferenceMethod.newcombe, .tango, .bonettPrice] {
            let i = try #require(analysis.difference.interval(method)?.value)
            #expect(i.lower < 0 && i.upper > 0 && i.lower.isFinite && i.upper.isFinite)
        }
        #expect(analysis.significance.values.allSatisfy { $0.pValue == 1 })
        #expect(analysis.significance[.asymptotic]!.statistic == nil)
        #expect(analysis.oddsRatio.estimate.undefinedReason != nil)
    }

    @Test("a million tests is analysed without loss")
    func large() throws {
        let table = try PairedTable(both: 300_000, referenceOnly: 120_001, testedOnly: 99_999, neither: 480_000)
        let analysis = try PairedAnalysis(table)
        // At this size the score interval and the Wald interval agree to about 1e-6:
        // δ̂ = 0.020002, se = √(220000 − 20002²/10⁶)/10⁶ = 4.686e-4.
        let tango = try #require(analysis.difference.interval(.tango)?.value)
        let wald = try #require(analysis.difference.interval(.wald)?.value)
        #expect(abs(tango.lower - wald.lower) < 1e-5 && abs(tango.upper - wald.upper) < 1e-5, "\(tango) vs \(wald)")
        #expect(tango.lower > 0.0190 && tango.upper < 0.0210)
        #expect(analysis.significance[.midP]!.pValue < 1e-30)
    }
}
