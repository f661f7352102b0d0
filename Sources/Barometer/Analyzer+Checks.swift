import Stats

extension Analyzer {
    /// Ordinal outcomes: for each stage above the lowest, net discrimination in reaching it
    /// ("reached ≥ stage", max rule), and their sum, the cumulated net rate (ILO practice;
    /// Cediey & Foroni 2008) with a seeded percentile bootstrap over tests.
    ///
    /// A test is summarized by the highest stage each arm reached, so a bootstrap replicate
    /// is a multinomial draw over the (stage R, stage T) cells: its cost does not grow with
    /// the number of tests.
    static func ordinal(_ data: Indexed, _ r: Int, _ t: Int, request: AnalysisRequest) throws(StatisticsError) -> OrdinalFinding {
        let levels = request.scale.count
        var cells = [Int](repeating: 0, count: levels * levels)  // [rMax * levels + tMax]
        for items in data.byTest {
            var rMax = -1, tMax = -1
            for item in items {
                if item.arm == r { rMax = max(rMax, item.level) } else if item.arm == t { tMax = max(tMax, item.level) }
            }
            if rMax >= 0 && tMax >= 0 { cells[rMax * levels + tMax] += 1 }
        }
        func stageTable(_ k: Int, _ counts: [Int]) -> (Int, Int, Int, Int) {
            var a = 0, b = 0, c = 0, d = 0
            for rl in 0..<levels { for tl in 0..<levels {
                let n = counts[rl * levels + tl]
                switch (rl >= k, tl >= k) {
                case (true, true): a += n
                case (true, false): b += n
                case (false, true): c += n
                case (false, false): d += n
                }
            } }
            return (a, b, c, d)
        }
        func cumulated(_ counts: [Int]) -> Double? {
            var sum = 0.0
            for k in 1..<levels {
                let (a, b, c, _) = stageTable(k, counts)
                guard a + b + c > 0 else { continue }  // no test reached this stage: it adds nothing
                sum += Double(b - c) / Double(a + b + c)
            }
            return counts.reduce(0, +) > 0 ? sum : nil
        }
        var stages: [(String, PairedTable, Defined<Double>)] = []
        for k in 1..<levels {
            let (a, b, c, d) = stageTable(k, cells)
            let table = try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d)
            stages.append((request.scale[k], table, a + b + c > 0 ? .value(Double(b - c) / Double(a + b + c)) : .undefined("no test reached this stage")))
        }
        let total = cells.reduce(0, +)
        guard let estimate = cumulated(cells) else {
            return OrdinalFinding(reference: data.arms[r], tested: data.arms[t], stages: stages, cumulatedNet: .undefined("no test received both arms"),
                                  cumulatedInterval: .undefined("no test received both arms"), bootstrapReplicates: 0, seed: request.seed)
        }
        let replicates = 2000
        let generator = SeededGenerator(seed: request.seed)
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        for _ in 0..<replicates {
            // Multinomial(total, cells/total) by conditional binomials.
            var remaining = total, mass = Double(total)
            var sample = [Int](repeating: 0, count: cells.count)
            for i in cells.indices where remaining > 0 && cells[i] > 0 {
                let p = min(1, Double(cells[i]) / mass)
                sample[i] = generator.binomial(trials: remaining, probability: p)
                remaining -= sample[i]
                mass -= Double(cells[i])
            }
            if let value = cumulated(sample) { draws.append(value) }
        }
        return OrdinalFinding(reference: data.arms[r], tested: data.arms[t], stages: stages, cumulatedNet: .value(estimate),
                              cumulatedInterval: .value(try Bootstrap.percentileInterval(draws, level: request.level)),
                              bootstrapReplicates: replicates, seed: request.seed)
    }

    /// Send order (METHODS.md §3): positive ~ reference + sent first + test fixed effects,
    /// over the tests where both arms applied and every application's position is known.
    /// The tests' send positions are read with their patterns (``PairPatterns``).
    static func sendOrderCheck(_ data: Indexed, _ r: Int, _ t: Int, request: AnalysisRequest, patterns: PairPatterns) throws(StatisticsError) -> CheckFinding? {
        // Per application: positive, reference, sent first (a code), test after test.
        let design = patterns.sendOrderDesign()
        let tests = design.tests
        guard tests >= 2 else { return nil }
        let description = "linear probability model: positive ~ reference + sent first + test fixed effects (cluster-robust by test); the coefficient of \"sent first\""
        do {
            let coefficients = try ClusterRobustRegression.fixedEffects(design, level: request.level)
            let c = coefficients[1]
            return CheckFinding(reference: data.arms[r], tested: data.arms[t], description: description, estimate: c.estimate, interval: c.interval,
                                test: .value(HypothesisTest(statistic: c.t, pValue: c.pValue, method: "t test, cluster-robust (CR1)")), groups: tests)
        } catch {
            guard case let .undefined(reason) = error else { throw error }
            return CheckFinding(reference: data.arms[r], tested: data.arms[t], description: description, estimate: nil, interval: nil,
                                test: .undefined(reason), groups: tests)
        }
    }

    /// Testers (ILO practice): is the discordant split (b, c) the same for every tester?
    /// A written test has one tester; a call or visit test has a team (issue #14), one
    /// tester per application: then the groups are the (reference tester, tested tester)
    /// pairs, since either voice can move the answer.
    static func testerCheck(_ data: Indexed, _ r: Int, _ t: Int, threshold: Int) -> CheckFinding? {
        guard !data.testers.isEmpty else { return nil }  // no application has a tester (an imported study)
        let (names, nameOf) = Indexed.nameIndex(data.testers)
        var counts: [Int: (Int, Int)] = [:]  // group = reference tester · names.count + tested tester
        var paired = false
        for items in data.byTest {
            var rTester: Int32 = -1, tTester: Int32 = -1, hasR = false, hasT = false, rPositive = false, tPositive = false
            for item in items where item.arm == r || item.arm == t {
                if item.arm == r {
                    if !hasR { rTester = item.tester }
                    hasR = true; if item.level >= threshold { rPositive = true }
                } else {
                    if !hasT { tTester = item.tester }
                    hasT = true; if item.level >= threshold { tPositive = true }
                }
            }
            guard hasR, hasT, rTester >= 0, tTester >= 0 else { continue }
            let group = nameOf[Int(rTester)] * names.count + nameOf[Int(tTester)]
            if rTester != tTester { paired = true }
            var cell = counts[group] ?? (0, 0)
            if rPositive && !tPositive { cell.0 += 1 }
            if tPositive && !rPositive { cell.1 += 1 }
            counts[group] = cell
        }
        let byTester = counts.keys.sorted().map { counts[$0]! }  // by tester (pair) name
        guard byTester.count >= 2 else { return nil }
        var finding = CheckFinding(reference: data.arms[r], tested: data.arms[t],
                            description: paired
                                ? "Pearson χ² of the discordant split (reference favoured, tested favoured) across tester pairs (the reference profile's tester, the tested profile's tester)"
                                : "Pearson χ² of the discordant split (reference favoured, tested favoured) across testers",
                            estimate: nil, interval: nil,
                            test: ContingencyChiSquared.test(byTester, method: paired ? "Pearson χ² across tester pairs" : "Pearson χ² across testers"),
                            groups: byTester.count)
        finding.groupsArePairs = paired
        return finding
    }

    /// Per organization with at least `minimumCellSize` tests: the mid-p McNemar test on its
    /// tests, and Benjamini–Hochberg q-values across organizations (Kline, Rose & Walters 2022);
    /// and per comparison, the report card of the organizations with at least
    /// `reportCard.minimumTests` tests (METHODS.md §4), or a note saying why there is none.
    /// `pairs`: each pair of arms with its tests' patterns (``PairPatterns``): a test's cell of
    /// its organization's table is its pattern's.
    static func organizations(_ data: Indexed, _ pairs: [(r: Int, t: Int, patterns: PairPatterns)], request: AnalysisRequest) throws(StatisticsError)
        -> (tests: [OrganizationFinding], reportCards: [OrganizationReportCard], notes: [String]) {
        // Organizations by position among their sorted names (integer work per test).
        let (allNames, nameOf) = Indexed.nameIndex(data.organizations)
        func organization(_ items: TestView) -> Int? {
            guard let first = items.first, first.organization >= 0 else { return nil }
            return nameOf[Int(first.organization)]
        }
        var present = [Bool](repeating: false, count: allNames.count)
        for items in data.byTest { if let o = organization(items) { present[o] = true } }
        let names = allNames.indices.filter { present[$0] }
        guard !names.isEmpty else { return ([], [], []) }
        // Pseudonyms: the keyed ones the ledger computed (request.organizationLabels); without
        // them (a library call with no ledger), numbers in a seeded random order — unrelated
        // to the names' order, though not secret.
        var label = [String](repeating: "", count: allNames.count)
        if let given = request.organizationLabels {
            for o in names {
                guard let pseudonym = given[allNames[o]] else {
                    throw .invalidArgument("no pseudonym was given for an organization of this analysis")
                }
                label[o] = pseudonym
            }
        } else {
            var order = names
            SeededGenerator(seed: request.seed).shuffle(&order)
            for (k, o) in order.enumerated() { label[o] = "O-" + String(repeating: "0", count: max(0, 3 - String(k + 1).count)) + String(k + 1) }
        }
        var result: [OrganizationFinding] = []
        var cards: [OrganizationReportCard] = [], notes: [String] = []
        for (r, t, patterns) in pairs {
            // Per pattern, the cell of its tests where both arms applied (max rule: both, reference
            // only, tested only, neither), −1 for the others.
            let cellOf = (0..<patterns.whole.patternCount).map { k in
                let s = patterns.whole.summary(of: UInt32(k))
                return s.paired ? (s.pR > 0 ? (s.pT > 0 ? 0 : 1) : (s.pT > 0 ? 2 : 3)) : -1
            }
            // Per organization, its four cells in one flat array, and whether it has a test
            // where both arms applied.
            var cells = [Int](repeating: 0, count: 4 * allNames.count)
            var paired = [Bool](repeating: false, count: allNames.count)
            for (test, items) in data.byTest.enumerated() {
                let pattern = patterns.byTest[test]
                guard pattern != PairPatterns.none, case let cell = cellOf[Int(pattern & PairPatterns.number)], cell >= 0,
                      let organization = organization(items) else { continue }
                paired[organization] = true
                cells[4 * organization + cell] += 1
            }
            let tables = allNames.indices.map { o in paired[o] ? (cells[4 * o], cells[4 * o + 1], cells[4 * o + 2], cells[4 * o + 3]) : nil }
            var findings: [OrganizationFinding] = []
            for (o, cell) in tables.enumerated() {
                guard let (a, b, c, d) = cell, a + b + c + d >= request.minimumCellSize else { continue }
                let table = try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d)
                findings.append(OrganizationFinding(reference: data.arms[r], tested: data.arms[t], label: label[o],
                                                    name: request.organizationsNamed ? allNames[o] : nil, tests: table.tests, table: table,
                                                    midP: McNemar.test(table, method: .midP).pValue, q: nil))
            }
            // Listed by pseudonym, never in the names' order.
            findings.sort { $0.label < $1.label }
            if !findings.isEmpty {
                let q = try Multiplicity.benjaminiHochberg(findings.map(\.midP))
                for i in findings.indices { findings[i].q = q[i] }
            }
            result += findings
            if let cardRequest = request.reportCard {
                var members: [(label: String, name: String?, table: PairedTable, midP: Double)] = []
                var leftOut = 0
                for (o, cell) in tables.enumerated() {
                    guard let (a, b, c, d) = cell else { continue }
                    guard a + b + c + d >= max(2, cardRequest.minimumTests) else { leftOut += 1; continue }
                    let table = try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d)
                    members.append((label[o], request.organizationsNamed ? allNames[o] : nil, table, McNemar.test(table, method: .midP).pValue))
                }
                // By their tables, then pseudonym (never in the names' order): organizations
                // with the same tests are interchangeable, so the card does not depend on the
                // ledger's pseudonym secret, to the last bit.
                members.sort {
                    let a = $0.table, b = $1.table
                    return (a.referenceOnly, a.testedOnly, a.both, a.neither, $0.label) < (b.referenceOnly, b.testedOnly, b.both, b.neither, $1.label)
                }
                let (card, note) = reportCard(reference: data.arms[r], tested: data.arms[t], tables: members, leftOut: leftOut,
                                                  request: cardRequest, level: request.level)
                if let card { cards.append(card) }
                if let note { notes.append(note) }
            }
        }
        return (result, cards, notes)
    }
}
