import Stats

/// A comparison's tests (reference arm `r`, tested arm `t`), each reduced to its *pattern*:
/// the sequence of its applications of the two arms, each positive or not and of `r` or not
/// (a ``BinaryDesign`` code). Everything the paired, application-level, regression and
/// between-target views need is a count of tests by pattern, and the regression's design
/// is the sequence of the paired tests' patterns: a test is counted by one table update.
struct ComparisonTally {
    let r: Int, t: Int, threshold: Int
    /// For an applicant slice: the attribute sets whose applications are kept (nil: all).
    var keep: Set<Int32>?
    /// The regression's data: the paired tests' patterns, test after test; and the patterns.
    private(set) var design: BinaryDesign
    /// Per pattern, its counts and how many tests have it.
    private var summaries: [PatternSummary] = []
    private var testsByPattern: [Int] = []

    /// A pattern's applications and positives of each arm (the max rule reads positives > 0).
    struct PatternSummary {
        var nR = 0, nT = 0, pR = 0, pT = 0
        var paired: Bool { nR > 0 && nT > 0 }
    }

    init(r: Int, t: Int, threshold: Int, expectedItems: Int) {
        self.r = r
        self.t = t
        self.threshold = threshold
        // Room for every test of these items (the average test's share), grown at most once.
        design = BinaryDesign(regressors: 1, capacity: expectedItems)
    }

    /// An empty tally that knows `other`'s patterns: tests are then added by their pattern
    /// number in `other` (``add(pattern:)``).
    init(patternsOf other: ComparisonTally, expectedTests: Int) {
        r = other.r
        t = other.t
        threshold = other.threshold
        design = other.design.withoutTests()
        design.reserveTests(expectedTests)
        summaries = other.summaries
        testsByPattern = [Int](repeating: 0, count: summaries.count)
    }

    /// The pattern of a test's applications of the two arms (those `keep` keeps), added to
    /// the patterns if new; nil when it has none. Each code also says whether its application
    /// was sent first among them (x₁, for the send-order check; the comparison ignores it), and
    /// `ordersKnown` whether every one of them has a send position.
    mutating func pattern(of items: Analyzer.TestView) -> (number: UInt32, ordersKnown: Bool)? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: items.count) { codes in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: items.count) { orders in
                var k = 0, ordersKnown = true, earliest = Int.max
                for item in items where keep?.contains(item.attributes) ?? true {
                    let arm = item.arm
                    guard arm == r || arm == t else { continue }
                    codes[k] = BinaryDesign.code(y: item.level >= threshold, x0: arm == r)
                    if let order = item.order { orders[k] = order; earliest = min(earliest, order) } else { orders[k] = -1; ordersKnown = false }
                    k += 1
                }
                guard k > 0 else { return nil }
                if ordersKnown { for i in 0..<k where orders[i] == earliest { codes[i] |= BinaryDesign.code(y: false, x0: false, x1: true) } }
                let pattern = design.pattern(of: UnsafeBufferPointer(rebasing: codes[..<k]))
                if Int(pattern) == summaries.count {
                    var summary = PatternSummary()
                    for code in design.codes(of: pattern) {
                        let positive = code & 1 == 1
                        if code & 2 == 2 { summary.nR += 1; if positive { summary.pR += 1 } }
                        else { summary.nT += 1; if positive { summary.pT += 1 } }
                    }
                    summaries.append(summary)
                    testsByPattern.append(0)
                }
                return (pattern, ordersKnown)
            }
        }
    }

    /// Counts a test (its applications of the two arms; none: nothing to count).
    mutating func add(_ items: Analyzer.TestView) {
        if let pattern = pattern(of: items) { add(pattern: pattern.number) }
    }

    /// Counts a test by its pattern number (from ``pattern(of:)`` here or in the tally these
    /// patterns come from). Paired tests go to the regression's design, in the order added.
    @inline(__always)
    mutating func add(pattern: UInt32) {
        testsByPattern[Int(pattern)] += 1
        if summaries[Int(pattern)].paired { design.appendTest(pattern: pattern) }
    }

    /// Each pattern counted here, with its codes and its number of tests.
    func forEachCounted(_ body: (ArraySlice<UInt8>, Int) -> Void) {
        for k in summaries.indices where testsByPattern[k] > 0 { body(design.codes(of: UInt32(k)), testsByPattern[k]) }
    }

    /// The number of patterns met.
    var patternCount: Int { summaries.count }

    /// A pattern's applications and positives of each arm.
    func summary(of pattern: UInt32) -> PatternSummary { summaries[Int(pattern)] }

    /// Whether the tests of a pattern have applications of both arms.
    func isPaired(_ pattern: UInt32) -> Bool { summaries[Int(pattern)].paired }

    /// Σ over the patterns met (integer counts: the order does not matter).
    private func total(_ value: (PatternSummary) -> Int, paired: Bool?) -> Int {
        var sum = 0
        for (k, summary) in summaries.enumerated() where testsByPattern[k] > 0 {
            if let paired, summary.paired != paired { continue }
            sum += testsByPattern[k] * value(summary)
        }
        return sum
    }

    /// The paired table over tests where both arms applied (max rule: a test's arm is positive
    /// when one of its applications is).
    var both: Int { total({ $0.pR > 0 && $0.pT > 0 ? 1 : 0 }, paired: true) }
    var referenceOnly: Int { total({ $0.pR > 0 && $0.pT == 0 ? 1 : 0 }, paired: true) }
    var testedOnly: Int { total({ $0.pR == 0 && $0.pT > 0 ? 1 : 0 }, paired: true) }
    var neither: Int { total({ $0.pR == 0 && $0.pT == 0 ? 1 : 0 }, paired: true) }
    var pairedTests: Int { design.tests }
    /// Applications and positives of each arm in those tests.
    var applications: (r: Int, t: Int) { (total(\.nR, paired: true), total(\.nT, paired: true)) }
    var positives: (r: Int, t: Int) { (total(\.pR, paired: true), total(\.pT, paired: true)) }
    /// Tests where only one of the two arms applied: tests, applications, positives per arm.
    var betweenTargets: (r: Int, t: Int) { (total({ $0.nR > 0 ? 1 : 0 }, paired: false), total({ $0.nT > 0 ? 1 : 0 }, paired: false)) }
    var betweenApplications: (r: Int, t: Int) { (total(\.nR, paired: false), total(\.nT, paired: false)) }
    var betweenPositives: (r: Int, t: Int) { (total(\.pR, paired: false), total(\.pT, paired: false)) }

    /// Paired tests by their (reference, tested) positives.
    var patterns: [PositivePattern: Int] {
        var result: [PositivePattern: Int] = [:]
        for (k, summary) in summaries.enumerated() where testsByPattern[k] > 0 && summary.paired {
            result[PositivePattern(reference: summary.pR, tested: summary.pT), default: 0] += testsByPattern[k]
        }
        return result
    }
}

extension Analyzer {
    /// Each test's pattern for the comparison of `r` with `t`, found in one pass, and the whole
    /// sample's tally: the slices' tallies then count each test by its pattern number, and the
    /// send-order check takes its tests' patterns, instead of reading their applications again.
    struct PairPatterns {
        /// Per test: its pattern number, with ``ordersUnknown`` when an application of the two
        /// arms has no send position; ``none`` when the test has no application of either.
        let byTest: [UInt32]
        static let none = UInt32.max, ordersUnknown: UInt32 = 1 << 31, number = ordersUnknown - 1
        let whole: ComparisonTally

        init(_ data: Indexed, _ r: Int, _ t: Int, threshold: Int) {
            var finder = ComparisonTally(r: r, t: t, threshold: threshold, expectedItems: 0)
            byTest = data.byTest.map { items in
                guard let found = finder.pattern(of: items) else { return Self.none }
                return found.number | (found.ordersKnown ? 0 : Self.ordersUnknown)
            }
            var whole = ComparisonTally(patternsOf: finder, expectedTests: data.byTest.count)
            for pattern in byTest where pattern != Self.none { whole.add(pattern: pattern & Self.number) }
            self.whole = whole
        }

        /// An empty tally with these patterns, for `tests` tests.
        func emptyTally(tests: Int) -> ComparisonTally { ComparisonTally(patternsOf: whole, expectedTests: tests) }

        /// The send-order check's design (positive ~ reference + sent first): the tests where
        /// both arms applied and every application of the two has a send position, in order.
        func sendOrderDesign() -> BinaryDesign {
            var design = whole.design.withoutTests(regressors: 2)
            design.reserveTests(whole.pairedTests)
            for pattern in byTest where pattern & Self.ordersUnknown == 0 && whole.isPaired(pattern) {
                design.appendTest(pattern: pattern)
            }
            return design
        }
    }
}
