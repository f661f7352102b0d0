import Testing
import Values
@testable import Barometer
@testable import Stats

/// Issue #17: a stored study gives the analysis no tester and no measures column (none of
/// its applications has one) and says where each test starts. Both are shortcuts: the
/// findings must be those of the full columns, read test by test.
@Suite("Item columns: empty tester and measures columns, and given test starts")
struct ItemColumnsTests {
    /// Slices, organizations (their tables and report card) and the send-order check all read items.
    static let request = AnalysisRequest(kind: .study, id: "test", referenceArm: "R", scale: ["none", "maybe", "yes"], thresholdIndex: 1,
                                         slices: ["city"])

    /// Seeded tests of 1 to 6 applications of three arms, in test order, with organizations,
    /// a city and send positions, none with a tester or measures (as an imported study).
    static func columns(seed: UInt64, pending: Bool = false) -> ApplicationColumns {
        var random = SeededGenerator(seed: seed)
        var observations: [Observation] = []
        for k in 0..<400 {
            let city = ["A", "B", "C"][Int.random(in: 0..<3, using: &random)]
            let organization = "org\(Int.random(in: 0..<12, using: &random))"
            var position = 0
            for arm in ["R", "T", "U"] {
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    position += 1
                    let level: Int? = pending && Int.random(in: 0..<20, using: &random) == 0 ? nil : Int.random(in: 0..<3, using: &random)
                    observations.append(Observation(test: "t\(k)", arm: arm, replicate: position, levelIndex: level, sendOrder: position,
                                                    organization: organization, attributes: ["city": city]))
                }
            }
        }
        return ApplicationColumns(observations)
    }

    static func findings(_ columns: ApplicationColumns) throws -> String {
        try Analyzer.analyze(columns, request).json.rendered()
    }

    /// Where each test starts, read off the test column (tests in order, none empty).
    static func starts(_ columns: ApplicationColumns) -> [Int] {
        var starts: [Int] = []
        for i in columns.test.indices where i == 0 || columns.test[i] != columns.test[i - 1] { starts.append(i) }
        return starts + [columns.count]
    }

    @Test("empty tester and measures columns read as no tester and no measures", arguments: [1, 2] as [UInt64])
    func emptyColumns(seed: UInt64) throws {
        let full = Self.columns(seed: seed)
        #expect(full.tester.allSatisfy { $0 == -1 } && full.measures.allSatisfy { $0 == 0 } && full.count > 1000)
        var empty = full
        empty.tester = []
        empty.measures = []
        let expected = try Self.findings(full)
        #expect(try Self.findings(empty) == expected)
        #expect(expected.contains("\"comparisons\"") && expected.contains("empirical-Bayes report card"))
        // With pending applications too (the applications are gathered in test order).
        var pending = Self.columns(seed: seed, pending: true)
        #expect(pending.level.contains(-1))
        let withPending = try Self.findings(pending)
        pending.tester = []
        pending.measures = []
        #expect(try Self.findings(pending) == withPending)
    }

    @Test("given test starts give the findings of the test column", arguments: [1, 2] as [UInt64])
    func givenStarts(seed: UInt64) throws {
        var columns = Self.columns(seed: seed)
        let expected = try Self.findings(columns)
        columns.testStarts = Self.starts(columns)
        #expect(columns.testStarts?.count == columns.tests.count + 1)
        #expect(try Self.findings(columns) == expected)
        // Starts that do not fit the columns are not used: too few, not from 0, an empty test.
        let fitting = Self.starts(columns)
        for wrong in [[0, columns.count], [1] + fitting.dropFirst(), [0, 0] + fitting.dropFirst(2)] {
            columns.testStarts = wrong
            #expect(try Self.findings(columns) == expected)
        }
        // Pending applications: the starts are not used (the answered ones are gathered).
        var pending = Self.columns(seed: seed, pending: true)
        let withPending = try Self.findings(pending)
        pending.testStarts = Self.starts(pending)
        #expect(try Self.findings(pending) == withPending)
    }
}
