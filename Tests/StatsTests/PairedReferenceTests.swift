import Testing
import TestSupport
@testable import Stats

/// Every paired value against R (Fixtures/generate.R): 37 tables, edge cases included,
/// three confidence levels for some; relative error ≤ 1e-6.
@Suite("Paired methods against R reference values")
struct PairedReferenceTests {
    static let cases = ReferenceValues.shared.cases(in: "paired")

    @Test("the fixture covers at least 30 tables")
    func coverage() {
        #expect(Set(Self.cases.map(\.0.id)).count >= 30)
    }

    @Test("every fixture value is reproduced", arguments: cases.map(\.0))
    func reproduces(_ fixture: ReferenceValues.Case) throws {
        let values = ReferenceValues.shared.cases[fixture]!
        let c = fixture.counts
        let table = try PairedTable(both: c[0], referenceOnly: c[1], testedOnly: c[2], neither: c[3])
        let analysis = try PairedAnalysis(table, level: fixture.level)
        for (key, expected) in values.sorted(by: { $0.key < $1.key }) {
            let actual = try #require(Self.lookup(key, in: analysis), "unknown fixture key \(key)")
            let label = "\(fixture.id) at \(fixture.level): \(key)"
            if let expected {
                expectClose(actual.value, expected, label)
            } else {
                #expect(actual.value == nil, "\(label): R gives NA, Barometre gives \(String(describing: actual.value))")
            }
        }
    }

    @Test("with no tests, only the McNemar p-values (1) are defined")
    func noTests() throws {
        let analysis = try PairedAnalysis(PairedTable(both: 0, referenceOnly: 0, testedOnly: 0, neither: 0))
        #expect(analysis.difference.estimate.undefinedReason != nil)
        #expect(analysis.difference.intervals.allSatisfy { $0.interval.value == nil })
        #expect(analysis.referenceRate.intervals.allSatisfy { $0.interval.value == nil })
        #expect(analysis.net.estimate.value == nil)
        #expect(analysis.significance.values.allSatisfy { $0.pValue == 1 })
    }

    /// Maps a fixture key such as "difference.tango.lower" to the analysis' value.
    static func lookup(_ key: String, in a: PairedAnalysis) -> Defined<Double>? {
        let parts = key.split(separator: ".").map(String.init)
        func bound(_ interval: Defined<ConfidenceInterval>?, _ which: String) -> Defined<Double>? {
            guard let interval else { return nil }
            switch interval {
            case let .value(i): return .value(which == "lower" ? i.lower : i.upper)
            case let .undefined(reason): return .undefined(reason)
            }
        }
        func from<M>(_ indicator: Indicator<M>, _ rest: ArraySlice<String>) -> Defined<Double>? {
            if rest == ["estimate"] { return indicator.estimate }
            guard rest.count == 2, let method = M(rawValue: rest.first!) else { return nil }
            return bound(indicator.interval(method), rest.last!)
        }
        switch parts[0] {
        case "rates": return from(parts[1] == "reference" ? a.referenceRate : a.testedRate, parts[2...])
        case "difference": return from(a.difference, parts[1...])
        case "net": return from(a.net, parts[1...])
        case "ratio": return from(a.ratio, parts[1...])
        case "oddsRatio": return from(a.oddsRatio, parts[1...])
        case "discordant": return from(a.discordant, parts[1...])
        default:
            guard let method = McNemarMethod(rawValue: parts[0]), let test = a.significance[method] else { return nil }
            if parts[1] == "p" { return .value(test.pValue) }
            return test.statistic.map { .value($0) } ?? .undefined("no statistic")
        }
    }
}
