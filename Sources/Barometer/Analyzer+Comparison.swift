import Stats

extension Analyzer {
    /// One comparison on a set of tests: the paired analysis on tests where both arms
    /// applied (max rule), the application-level and regression views of the same tests,
    /// and the between-target analysis of tests where only one of the two arms applied.
    ///
    /// An applicant slice (`applicant`: the attribute set positions whose value is the
    /// slice's) keeps only the applications with that value: the paired table within tests
    /// among them, and application-level rates and tests over all of them (paired and
    /// between-target tests together, as the classic tables by applicant attribute are).
    ///
    /// `tallied`: the tally of these tests when it was made already (the slices of a column
    /// are tallied in one pass over the tests, ``sliceTallies(_:_:_:column:patterns:)``; the whole sample in ``PairPatterns``).
    static func compare(_ data: Indexed, _ r: Int, _ t: Int, tests: [Int], slice: [String: String], excluded: Int,
                        request: AnalysisRequest, applicant: Set<Int32>? = nil, tallied: ComparisonTally? = nil) throws(StatisticsError) -> ComparisonFinding {
        let level = request.level
        let tally: ComparisonTally
        if let tallied { tally = tallied } else {
            var counting = ComparisonTally(r: r, t: t, threshold: request.thresholdIndex, expectedItems: expectedItems(data, tests: tests.count))
            counting.keep = applicant
            for test in tests { counting.add(data.byTest[test]) }
            tally = counting
        }
        let (a, b, c, d) = (tally.both, tally.referenceOnly, tally.testedOnly, tally.neither)
        var (appsR, appsT, posR, posT) = (tally.applications.r, tally.applications.t, tally.positives.r, tally.positives.t)
        if applicant != nil {
            appsR += tally.betweenApplications.r; appsT += tally.betweenApplications.t
            posR += tally.betweenPositives.r; posT += tally.betweenPositives.t
        }
        let pairedTests = tally.pairedTests
        let (betweenTargetsR, betweenTargetsT) = (tally.betweenTargets.r, tally.betweenTargets.t)
        let (betweenAppsR, betweenAppsT) = (tally.betweenApplications.r, tally.betweenApplications.t)
        let (betweenPosR, betweenPosT) = (tally.betweenPositives.r, tally.betweenPositives.t)
        var paired: PairedAnalysis?
        var applicationRates: (Indicator<ProportionIntervalMethod>, Indicator<ProportionIntervalMethod>)?
        var chiSquare: Defined<HypothesisTest> = .undefined("no test received both arms")
        var regression: Defined<RobustCoefficient> = .undefined("no test received both arms")
        var nested = regression
        var independent: Defined<ConfidenceInterval> = .undefined("no test received both arms")
        var fisher: Defined<HypothesisTest> = .undefined("no test received both arms")
        if pairedTests > 0 || (applicant != nil && appsR > 0 && appsT > 0) {
            if pairedTests > 0 { paired = try PairedAnalysis(try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d), level: level) }
            applicationRates = (try .proportion(positives: posR, trials: appsR, level: level, denominator: "applications"),
                                try .proportion(positives: posT, trials: appsT, level: level, denominator: "applications"))
            chiSquare = try Defined.evaluate { () throws(StatisticsError) in
                try IndependentProportions.pearsonChiSquared(positives: posR, trials: appsR, positives: posT, trials: appsT) }
            // One fit, read under both small-sample conventions.
            let fit: Defined<FixedEffectsFit> = pairedTests == 0 ? .undefined("no test received both arms")
                : try Defined.evaluate { () throws(StatisticsError) in try ClusterRobustRegression.fit(tally.design) }
            switch fit {
            case .value(let fit):
                regression = try Defined.evaluate { () throws(StatisticsError) in try fit.coefficients(level: level, adjustment: .lmDummiesHC1)[0] }
                nested = try Defined.evaluate { () throws(StatisticsError) in try fit.coefficients(level: level, adjustment: .nestedFixedEffects)[0] }
            case .undefined(let reason):
                regression = .undefined(reason)
                nested = .undefined(reason)
            }
            independent = try Defined.evaluate { () throws(StatisticsError) in
                try IndependentProportions.newcombeDifference(positives: posR, trials: appsR, positives: posT, trials: appsT, level: level) }
            fisher = try Defined.evaluate { () throws(StatisticsError) in
                try IndependentProportions.fisherExact(positives: posR, trials: appsR, positives: posT, trials: appsT) }
        }
        var between: BetweenFinding?
        if betweenTargetsR + betweenTargetsT > 0 {
            let both = betweenAppsR > 0 && betweenAppsT > 0
            let missing = "needs targets of both arms"
            between = BetweenFinding(
                targets: (betweenTargetsR, betweenTargetsT), applications: (betweenAppsR, betweenAppsT), positives: (betweenPosR, betweenPosT),
                difference: both ? .value(Double(betweenPosR) / Double(betweenAppsR) - Double(betweenPosT) / Double(betweenAppsT)) : .undefined(missing),
                newcombe: both ? try Defined.evaluate { () throws(StatisticsError) in
                    try IndependentProportions.newcombeDifference(positives: betweenPosR, trials: betweenAppsR, positives: betweenPosT, trials: betweenAppsT, level: level) } : .undefined(missing),
                chiSquare: both ? try Defined.evaluate { () throws(StatisticsError) in
                    try IndependentProportions.pearsonChiSquared(positives: betweenPosR, trials: betweenAppsR, positives: betweenPosT, trials: betweenAppsT) } : .undefined(missing),
                fisher: both ? try Defined.evaluate { () throws(StatisticsError) in
                    try IndependentProportions.fisherExact(positives: betweenPosR, trials: betweenAppsR, positives: betweenPosT, trials: betweenAppsT) } : .undefined(missing))
        }
        let primary: (Double?, PrimaryTest)
        if let paired { primary = (paired.defaultPValue, .pairedMcNemar) }
        else if let p = between?.fisher.value?.pValue { primary = (p, .fisherBetween) }
        else { primary = (nil, .none) }
        var finding = ComparisonFinding(
            reference: data.arms[r], tested: data.arms[t], slice: slice, tests: pairedTests,
            applications: (appsR, appsT), positives: (posR, posT), patterns: tally.patterns, paired: paired,
            applicationRates: applicationRates, chiSquare: chiSquare, regression: regression, regressionNested: nested,
            independentDifference: independent, independentFisher: fisher, between: between,
            primaryP: primary.0, primaryTest: primary.1, holm: nil, benjaminiHochberg: nil, excludedTests: excluded,
            measures: try measureFindings(data, r, t, tests: tests, level: level))
        if !slice.isEmpty { finding.sliceKind = applicant == nil ? .target : .applicant }
        return finding
    }

    /// For each measure recorded in these tests: d = mean over R's applications − mean over
    /// T's, in tests where both arms have it; then the t interval, Wilcoxon and Hodges–Lehmann.
    static func measureFindings(_ data: Indexed, _ r: Int, _ t: Int, tests: [Int], level: Double) throws(StatisticsError) -> [MeasureFinding] {
        var names = Set<String>()
        if data.measureSets.count > 1 {
            for test in tests { for item in data.byTest[test] where item.arm == r || item.arm == t { names.formUnion(data.measures(item).keys) } }
        }
        var findings: [MeasureFinding] = []
        for name in names.sorted() {
            var differences: [Double] = []
            for test in tests {
                let rValues = data.byTest[test].filter { $0.arm == r }.compactMap { data.measures($0)[name] }
                let tValues = data.byTest[test].filter { $0.arm == t }.compactMap { data.measures($0)[name] }
                guard !rValues.isEmpty, !tValues.isEmpty else { continue }
                differences.append(rValues.reduce(0, +) / Double(rValues.count) - tValues.reduce(0, +) / Double(tValues.count))
            }
            let mean = try Defined.evaluate { () throws(StatisticsError) in try PairedMeasures.meanDifference(differences, level: level).estimate }
            let interval = try Defined.evaluate { () throws(StatisticsError) in try PairedMeasures.meanDifference(differences, level: level).interval }
            findings.append(MeasureFinding(
                name: name, pairs: differences.count, meanDifference: mean, interval: interval,
                wilcoxon: try Defined.evaluate { () throws(StatisticsError) in try PairedMeasures.wilcoxonSignedRank(differences) },
                hodgesLehmann: try Defined.evaluate { () throws(StatisticsError) in try PairedMeasures.hodgesLehmann(differences) }))
        }
        return findings
    }

    /// Whether a slice column describes applicants: its value varies within some test.
    static func isApplicantLevel(_ data: Indexed, column: String) -> Bool {
        let (_, valueOf) = data.valueIndex(of: column)
        for items in data.byTest {
            var value = -1
            for item in items {
                let v = valueOf[Int(item.attributes)]
                guard v >= 0 else { continue }
                if value >= 0, value != v { return true }
                value = v
            }
        }
        return false
    }

    /// For an applicant column: per value, the tests where one of the two arms has an
    /// application with it, and the attribute sets that carry it.
    static func applicantValues(_ data: Indexed, _ r: Int, _ t: Int, column: String) -> [String: (tests: [Int], sets: Set<Int32>)] {
        let (names, valueOf) = data.valueIndex(of: column)
        var sets = [Set<Int32>](repeating: [], count: names.count)
        for (position, v) in valueOf.enumerated() where v >= 0 { sets[v].insert(Int32(position)) }
        var byValue = [[Int]](repeating: [], count: names.count)
        for (test, items) in data.byTest.enumerated() {
            var seen = Set<Int>()
            for item in items where item.arm == r || item.arm == t {
                let v = valueOf[Int(item.attributes)]
                if v >= 0, seen.insert(v).inserted { byValue[v].append(test) }
            }
        }
        var result: [String: (tests: [Int], sets: Set<Int32>)] = [:]
        for (k, tests) in byValue.enumerated() where !tests.isEmpty { result[names[k]] = (tests, sets[k]) }
        return result
    }

    /// Room for the items of `tests` tests (the average test's share), grown at most once.
    static func expectedItems(_ data: Indexed, tests: Int) -> Int {
        data.byTest.isEmpty ? 0 : tests * data.byTest.itemCount / data.byTest.count + 16
    }

    /// A column's slices in one pass over the tests: each test where the two arms' applications
    /// share a value of `column` goes to that value (tests where it varies are counted as
    /// excluded), and is counted in that value's tally by its pattern (`patterns`). Values
    /// sorted by name, each with its tests in increasing order: each tally receives its tests
    /// in the same order as alone. The same pass counts the column's ``strata(_:_:_:column:threshold:)``:
    /// a test whose applications all have the test's value adds its pattern's counts at once.
    static func sliceTallies(_ data: Indexed, _ r: Int, _ t: Int, column: String, patterns: PairPatterns, threshold: Int)
        -> (values: [(name: String, tests: [Int], tally: ComparisonTally)], excluded: Int, strata: [StratumTable]) {
        let (names, valueOf) = data.valueIndex(of: column)
        var tests = [[Int]](repeating: [], count: names.count)
        // Room as for an even split of the tests between the values.
        var tallies = names.map { _ in patterns.emptyTally(tests: data.byTest.count / max(1, names.count) + 16) }
        var excluded = 0
        var strata = StrataCounts(values: names.count)
        let anyPaired = patterns.whole.pairedTests > 0
        for (test, items) in data.byTest.enumerated() {
            let found = patterns.byTest[test]
            // No application of the two arms: in no slice and no stratum.
            guard found != PairPatterns.none else { continue }
            let pattern = found & PairPatterns.number
            var value = -1, varies = false, valued = 0, applications = 0
            for item in items where item.arm == r || item.arm == t {
                applications += 1
                let v = valueOf[Int(item.attributes)]
                guard v >= 0 else { continue }
                valued += 1
                if value >= 0, value != v { varies = true }
                value = v
            }
            if varies { excluded += 1 } else if value >= 0 {
                tests[value].append(test)
                tallies[value].add(pattern: pattern)
            }
            // The strata cover the tests where both arms applied (any test of the two when none is).
            guard valued > 0, !anyPaired || patterns.whole.isPaired(pattern) else { continue }
            if !varies && valued == applications {
                strata.add(patterns.whole.summary(of: pattern), value: value)
            } else {
                for item in items where item.arm == r || item.arm == t {
                    let v = valueOf[Int(item.attributes)]
                    if v >= 0 { strata.add(value: v, reference: item.arm == r, positive: item.level >= threshold) }
                }
            }
        }
        return (names.indices.filter { !tests[$0].isEmpty }.map { (names[$0], tests[$0], tallies[$0]) }, excluded, strata.tables)
    }

    /// Per value of a column, its four application counts (reference positive, reference
    /// negative, tested positive, tested negative) in one flat array, and whether an
    /// application has it.
    struct StrataCounts {
        private var counts: [Int]
        private var seen: [Bool]

        init(values: Int) {
            counts = [Int](repeating: 0, count: 4 * values)
            seen = [Bool](repeating: false, count: values)
        }

        mutating func add(value: Int, reference: Bool, positive: Bool) {
            seen[value] = true
            counts[4 * value + (reference ? 0 : 2) + (positive ? 0 : 1)] += 1
        }

        /// A test's applications, all of `value`, by their pattern's counts.
        mutating func add(_ summary: ComparisonTally.PatternSummary, value: Int) {
            seen[value] = true
            counts[4 * value] += summary.pR
            counts[4 * value + 1] += summary.nR - summary.pR
            counts[4 * value + 2] += summary.pT
            counts[4 * value + 3] += summary.nT - summary.pT
        }

        /// The tables of the values an application has, in the order of the values.
        var tables: [StratumTable] {
            seen.indices.filter { seen[$0] }.map { v in
                StratumTable(referencePositive: counts[4 * v], referenceNegative: counts[4 * v + 1],
                             testedPositive: counts[4 * v + 2], testedNegative: counts[4 * v + 3])
            }
        }
    }

    /// Application-level 2×2 tables, one per value of `column`, each application in the
    /// stratum of its own value. They cover the tests of the main analysis: those where both
    /// arms applied, or, when there is none, the targets that received a single arm.
    static func strata(_ data: Indexed, _ r: Int, _ t: Int, column: String, threshold: Int) -> [StratumTable] {
        /// Whether the test has an application of each arm (one pass over its items).
        func arms(_ items: TestView) -> (Bool, Bool) {
            var hasR = false, hasT = false
            for item in items { if item.arm == r { hasR = true } else if item.arm == t { hasT = true } }
            return (hasR, hasT)
        }
        let anyPaired = data.byTest.contains { let (hasR, hasT) = arms($0); return hasR && hasT }
        let (names, valueOf) = data.valueIndex(of: column)
        var strata = StrataCounts(values: names.count)
        for items in data.byTest {
            let (hasR, hasT) = arms(items)
            guard anyPaired ? (hasR && hasT) : (hasR || hasT) else { continue }
            for item in items where item.arm == r || item.arm == t {
                let value = valueOf[Int(item.attributes)]
                if value >= 0 { strata.add(value: value, reference: item.arm == r, positive: item.level >= threshold) }
            }
        }
        // `names` is sorted: the strata come out in the order of their values.
        return strata.tables
    }
}
