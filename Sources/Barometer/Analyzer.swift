import Stats

/// From observations to findings (METHODS.md §2–4): every comparison, in every slice.
public enum Analyzer {
    /// Compact per-application data, indexed for one pass per comparison.
    struct Data {
        let tests: [String]
        let arms: [String]
        /// Per test, the answered applications.
        let byTest: [[Item]]
        let pending: Int
        /// The distinct testers, organizations, attribute sets and measure sets; items hold
        /// their positions here, so that an item is plain integers (nothing to retain or
        /// release when millions of them are scanned, once per comparison and slice).
        let testers: [String]
        let organizations: [String]
        let attributeSets: [[String: String]]
        let measureSets: [[String: Double]]

        func tester(_ item: Item) -> String? { item.tester < 0 ? nil : testers[Int(item.tester)] }
        func organization(_ item: Item) -> String? { item.organization < 0 ? nil : organizations[Int(item.organization)] }
        func measures(_ item: Item) -> [String: Double] { measureSets[Int(item.measures)] }

        /// Each attribute set's value of `column`, by attribute-set position.
        func values(of column: String) -> [String?] { attributeSets.map { $0[column] } }
    }

    /// One answered application: plain values and positions in `Data`'s tables (−1 for none).
    struct Item {
        let arm: Int
        let level: Int
        let order: Int?
        let tester: Int32
        let organization: Int32
        let attributes: Int32
        let measures: Int32
    }

    /// Assigns each distinct value a position, in order of first appearance.
    struct Interner<Value: Hashable> {
        private(set) var values: [Value] = []
        private var positions: [Value: Int32] = [:]

        mutating func position(_ value: Value) -> Int32 {
            if let known = positions[value] { return known }
            let position = Int32(values.count)
            values.append(value)
            positions[value] = position
            return position
        }
    }

    public static func analyze(_ observations: [Observation], _ request: AnalysisRequest) throws(StatisticsError) -> Findings {
        try StatisticsError.checkLevel(request.level)
        let data = try index(observations, request)
        let threshold = request.thresholdIndex
        let reference = data.arms.firstIndex(of: request.referenceArm)!
        var pairs: [(Int, Int)] = []
        if request.allPairs {
            for i in data.arms.indices { for j in data.arms.indices where j > i { pairs.append((i, j)) } }
        } else {
            pairs = data.arms.indices.filter { $0 != reference }.map { (reference, $0) }
        }
        var notes: [String] = []
        if data.pending > 0 { notes.append("\(data.pending) application\(data.pending == 1 ? " has" : "s have") no answer yet and \(data.pending == 1 ? "is" : "are") left out.") }
        if request.simulated { notes.append("SIMULATED DATA: these outcomes were drawn by `barometre simulate`, not observed.") }

        // Comparisons: whole sample, then each value of each slice column.
        var comparisons: [ComparisonFinding] = []
        var stratified: [StratifiedFinding] = []
        let allTests = Array(data.tests.indices)
        for (r, t) in pairs {
            comparisons.append(try compare(data, r, t, tests: allTests, slice: [:], excluded: 0, request: request))
            for column in request.slices {
                let (byValue, excluded) = sliceValues(data, r, t, column: column)
                var tables: [StratumTable] = []
                var discordant: [(Int, Int)] = []
                for value in byValue.keys.sorted() {
                    let finding = try compare(data, r, t, tests: byValue[value]!, slice: [column: value], excluded: excluded, request: request)
                    comparisons.append(finding)
                    if let table = finding.paired?.table { discordant.append((table.referenceOnly, table.testedOnly)) }
                }
                // Mantel–Haenszel is application-level: each application is in the stratum
                // of its own value (which may vary within a test, e.g. an applicant's zip).
                tables = strata(data, r, t, column: column, threshold: threshold)
                let totalB = discordant.reduce(0) { $0 + $1.0 }, totalC = discordant.reduce(0) { $0 + $1.1 }
                stratified.append(StratifiedFinding(
                    reference: data.arms[r], tested: data.arms[t], by: column, strata: tables.count,
                    mantelHaenszel: tables.isEmpty ? nil : try MantelHaenszel.analyze(tables, level: request.level),
                    discordantHomogeneity: ContingencyChiSquared.test(discordant, method: "Pearson χ² of the discordant split (b, c) across \(column) values"),
                    pooledDiscordantShare: totalB + totalC > 0 ? .value(Double(totalB) / Double(totalB + totalC)) : .undefined("no discordant test")))
                if excluded > 0 {
                    notes.append("\(excluded) test\(excluded == 1 ? "" : "s") left out of the \(column) slices for \(data.arms[r]) vs \(data.arms[t]): the value varies within the test.")
                }
            }
        }
        // Multiplicity over every comparison × slice of this run.
        let indices = comparisons.indices.filter { comparisons[$0].primaryP != nil }
        let ps = indices.map { comparisons[$0].primaryP! }
        if !ps.isEmpty {
            let holm = try Multiplicity.holm(ps), bh = try Multiplicity.benjaminiHochberg(ps)
            for (k, i) in indices.enumerated() {
                comparisons[i].holm = holm[k]
                comparisons[i].benjaminiHochberg = bh[k]
            }
        }
        // Checks and ordinal stages: the reference against each tested arm.
        let mainPairs = pairs.filter { $0.0 == reference }
        var ordinalFindings: [OrdinalFinding] = [], sendOrder: [CheckFinding] = []
        for (r, t) in mainPairs {
            if request.scale.count > 2 { ordinalFindings.append(try ordinal(data, r, t, request: request)) }
            if let check = try sendOrderCheck(data, r, t, request: request) { sendOrder.append(check) }
        }
        return Findings(
            request: request, arms: data.arms, comparisons: comparisons, stratified: stratified,
            ordinal: ordinalFindings,
            sendOrder: sendOrder,
            testers: mainPairs.compactMap { testerCheck(data, $0.0, $0.1, threshold: threshold) },
            organizations: try organizations(data, mainPairs, request: request),
            pending: data.pending, notes: notes)
    }

    static func index(_ observations: [Observation], _ request: AnalysisRequest) throws(StatisticsError) -> Data {
        // Arms first (the reference leads), so that every item carries its arm's index.
        var armSet = Set<String>()
        for o in observations { armSet.insert(o.arm) }
        guard armSet.contains(request.referenceArm) else {
            throw .invalidArgument("the reference arm \"\(request.referenceArm)\" has no application; arms present: \(armSet.sorted().joined(separator: ", "))")
        }
        let arms = [request.referenceArm] + armSet.subtracting([request.referenceArm]).sorted()
        let armIndex = Dictionary(uniqueKeysWithValues: arms.enumerated().map { ($1, $0) })
        var testIndex: [String: Int] = [:], tests: [String] = [], byTest: [[Item]] = []
        var pending = 0
        var testers = Interner<String>(), organizations = Interner<String>()
        var attributeSets = Interner<[String: String]>(), measureSets = Interner<[String: Double]>()
        _ = measureSets.position([:])
        for o in observations {
            guard let level = o.levelIndex else { pending += 1; continue }
            let t: Int
            if let existing = testIndex[o.test] { t = existing } else {
                t = tests.count
                testIndex[o.test] = t
                tests.append(o.test)
                byTest.append([])
            }
            byTest[t].append(Item(arm: armIndex[o.arm]!, level: level, order: o.sendOrder,
                                  tester: o.tester.map { testers.position($0) } ?? -1,
                                  organization: o.organization.map { organizations.position($0) } ?? -1,
                                  attributes: attributeSets.position(o.attributes), measures: measureSets.position(o.measures)))
        }
        return Data(tests: tests, arms: arms, byTest: byTest, pending: pending, testers: testers.values, organizations: organizations.values,
                    attributeSets: attributeSets.values, measureSets: measureSets.values)
    }
}
