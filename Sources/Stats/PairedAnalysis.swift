/// One interval of an indicator, computed by one method.
public struct MethodInterval<Method: RawRepresentable & Sendable & Equatable>: Sendable, Equatable
where Method.RawValue == String {
    public let method: Method
    public let interval: Defined<ConfidenceInterval>
}

/// An indicator of METHODS.md §2: its estimate, its denominator, and its intervals by method.
public struct Indicator<Method: RawRepresentable & Sendable & Equatable>: Sendable, Equatable
where Method.RawValue == String {
    public let estimate: Defined<Double>
    /// What the estimate is a share of (`tests`, `tests-with-any-positive`, ...), if a share.
    public let denominator: Denominator?
    public let intervals: [MethodInterval<Method>]

    public func interval(_ method: Method) -> Defined<ConfidenceInterval>? {
        intervals.first { $0.method == method }?.interval
    }

    init(
        estimate: () throws(StatisticsError) -> Double,
        denominator: Denominator?,
        methods: [Method],
        interval: (Method) throws(StatisticsError) -> ConfidenceInterval
    ) throws(StatisticsError) {
        self.estimate = try Defined.evaluate(estimate)
        self.denominator = denominator
        var computed = [MethodInterval<Method>]()
        for method in methods {
            computed.append(MethodInterval(method: method, interval: try Defined.evaluate { () throws(StatisticsError) in try interval(method) }))
        }
        self.intervals = computed
    }
}

/// What a share is computed over; named in every output (METHODS.md §2).
public struct Denominator: Sendable, Equatable {
    /// `tests`, `tests-with-any-positive`, `discordant-tests` or `applications`.
    public let name: String
    public let count: Int
}

/// Every paired indicator and test of METHODS.md §2 for one paired table.
///
/// This is what `barometre stats paired` prints and what the barometer computes per
/// comparison and slice.
public struct PairedAnalysis: Sendable, Equatable {
    public let level: Double
    public let table: PairedTable
    /// p_R = (a+b)/n with Wilson and Clopper–Pearson intervals.
    public let referenceRate: Indicator<ProportionIntervalMethod>
    /// p_T = (a+c)/n.
    public let testedRate: Indicator<ProportionIntervalMethod>
    /// p_R − p_T over all tests.
    public let difference: Indicator<PairedDifferenceMethod>
    /// p_R / p_T.
    public let ratio: Indicator<PairedRatioMethod>
    /// b/c.
    public let oddsRatio: Indicator<ConditionalOddsRatioMethod>
    /// (b − c)/(a + b + c): the difference over tests with at least one positive answer.
    public let net: Indicator<PairedDifferenceMethod>
    /// b/(b + c).
    public let discordant: Indicator<ProportionIntervalMethod>
    /// b/(a + b + c): gross discrimination against the tested arm (R favoured).
    public let grossReferenceFavoured: Indicator<ProportionIntervalMethod>
    /// c/(a + b + c): gross discrimination against the reference arm (T favoured).
    public let grossTestedFavoured: Indicator<ProportionIntervalMethod>
    /// The McNemar family, in ``McNemarMethod/allCases`` order.
    public let significance: [McNemarMethod: HypothesisTest]

    /// The p-value Barometre reports by default: mid-p (Fagerland, Lydersen & Laake 2013).
    public var defaultPValue: Double { significance[.midP]!.pValue }

    public static let rateMethods: [ProportionIntervalMethod] = [.wilson, .clopperPearson]
    public static let netMethods: [PairedDifferenceMethod] = [.newcombe, .tango]

    /// - Throws: ``StatisticsError/levelOutOfRange(_:)``; a numerical failure from GSL.
    ///   Quantities undefined for this table are recorded as `.undefined(reason)`.
    public init(_ table: PairedTable, level: Double = 0.95) throws(StatisticsError) {
        try StatisticsError.checkLevel(level)
        self.level = level
        self.table = table
        let n = table.tests, usable = table.usableTests
        referenceRate = try Indicator(
            estimate: { () throws(StatisticsError) in try Self.share(table.referencePositives, n, "no tests (n = 0)") },
            denominator: Denominator(name: "tests", count: n), methods: Self.rateMethods
        ) { (m) throws(StatisticsError) in try Proportion.interval(positives: table.referencePositives, trials: n, level: level, method: m) }
        testedRate = try Indicator(
            estimate: { () throws(StatisticsError) in try Self.share(table.testedPositives, n, "no tests (n = 0)") },
            denominator: Denominator(name: "tests", count: n), methods: Self.rateMethods
        ) { (m) throws(StatisticsError) in try Proportion.interval(positives: table.testedPositives, trials: n, level: level, method: m) }
        difference = try Indicator(
            estimate: { () throws(StatisticsError) in try PairedDifference.estimate(table) },
            denominator: Denominator(name: "tests", count: n), methods: PairedDifferenceMethod.allCases
        ) { (m) throws(StatisticsError) in try PairedDifference.interval(table, level: level, method: m) }
        ratio = try Indicator(
            estimate: { () throws(StatisticsError) in try PairedRatio.estimate(table) },
            denominator: nil, methods: PairedRatioMethod.allCases
        ) { (m) throws(StatisticsError) in try PairedRatio.interval(table, level: level, method: m) }
        oddsRatio = try Indicator(
            estimate: { () throws(StatisticsError) in try ConditionalOddsRatio.estimate(table) },
            denominator: nil, methods: ConditionalOddsRatioMethod.allCases
        ) { (m) throws(StatisticsError) in try ConditionalOddsRatio.interval(table, level: level, method: m) }
        let noUsable = "no test with a positive answer (a + b + c = 0)"
        net = try Indicator(
            estimate: { () throws(StatisticsError) in
                guard usable.tests > 0 else { throw .undefined(noUsable) }
                return try PairedDifference.estimate(usable)
            },
            denominator: Denominator(name: "tests-with-any-positive", count: usable.tests), methods: Self.netMethods
        ) { (m) throws(StatisticsError) in
            guard usable.tests > 0 else { throw .undefined(noUsable) }
            return try PairedDifference.interval(usable, level: level, method: m)
        }
        discordant = try Indicator(
            estimate: { () throws(StatisticsError) in try DiscordantShare.estimate(table) },
            denominator: Denominator(name: "discordant-tests", count: table.discordant), methods: [.clopperPearson, .midP]
        ) { (m) throws(StatisticsError) in try DiscordantShare.interval(table, level: level, method: m) }
        // Gross discrimination: the share of usable tests that favoured one given arm.
        func gross(_ favoured: Int) throws(StatisticsError) -> Indicator<ProportionIntervalMethod> {
            try Indicator(
                estimate: { () throws(StatisticsError) in try Self.share(favoured, usable.tests, noUsable) },
                denominator: Denominator(name: "tests-with-any-positive", count: usable.tests), methods: [.wilson]
            ) { (m) throws(StatisticsError) in
                guard usable.tests > 0 else { throw .undefined(noUsable) }
                return try Proportion.interval(positives: favoured, trials: usable.tests, level: level, method: m)
            }
        }
        grossReferenceFavoured = try gross(table.referenceOnly)
        grossTestedFavoured = try gross(table.testedOnly)
        var tests = [McNemarMethod: HypothesisTest]()
        for method in McNemarMethod.allCases { tests[method] = McNemar.test(table, method: method) }
        significance = tests
    }

    private static func share(_ count: Int, _ total: Int, _ reason: String) throws(StatisticsError) -> Double {
        guard total > 0 else { throw .undefined(reason) }
        return Double(count) / Double(total)
    }
}

extension Indicator where Method == ProportionIntervalMethod {
    /// A positive rate x/n with its intervals, e.g. per-arm rates at application level.
    public static func proportion(
        positives: Int, trials: Int, level: Double, methods: [ProportionIntervalMethod] = [.wilson, .clopperPearson], denominator: String
    ) throws(StatisticsError) -> Indicator<ProportionIntervalMethod> {
        try Indicator(
            estimate: { () throws(StatisticsError) in
                guard trials > 0 else { throw .undefined("no \(denominator)") }
                return Double(positives) / Double(trials)
            },
            denominator: Denominator(name: denominator, count: trials), methods: methods
        ) { (m) throws(StatisticsError) in try Proportion.interval(positives: positives, trials: trials, level: level, method: m) }
    }
}
