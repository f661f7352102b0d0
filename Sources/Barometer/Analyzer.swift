import Foundation
import Stats
import Values

/// From observations to findings (METHODS.md §2–4): every comparison, in every slice.
public enum Analyzer {
    /// The findings of applications given as columns (what the ledger reads for large studies).
    /// The columns are consumed: the analysis reads its items from them (the ledger gives
    /// them in test order; arms are renumbered in place), so no copy of every application
    /// is made beside them (hundreds of megabytes at 10⁷ tests).
    public static func analyze(_ columns: consuming ApplicationColumns, _ request: AnalysisRequest) throws(StatisticsError) -> Findings {
        try StatisticsError.checkLevel(request.level)
        let prepared = try index(consume columns, request)
        return try prepared.withIndexed { (data) throws(StatisticsError) -> Findings in try analyze(data, request) }
    }

    /// The findings of indexed applications.
    static func analyze(_ data: Indexed, _ request: AnalysisRequest) throws(StatisticsError) -> Findings {
        let threshold = request.thresholdIndex
        let reference = data.arms.firstIndex(of: request.referenceArm)!
        var pairs: [(Int, Int)] = []
        // A declared placebo arm is never compared as a finding (its comparison is the placebo).
        let compared = data.arms.indices.filter { data.arms[$0] != request.placeboArm }
        if request.allPairs {
            for i in compared { for j in compared where j > i { pairs.append((i, j)) } }
        } else {
            pairs = compared.filter { $0 != reference }.map { (reference, $0) }
        }
        var notes: [String] = []
        if data.pending > 0 { notes.append("\(data.pending) application\(data.pending == 1 ? " has" : "s have") no answer yet and \(data.pending == 1 ? "is" : "are") left out.") }
        if request.simulated { notes.append("SIMULATED DATA: these outcomes were drawn by `barometre simulate`, not observed.") }

        // Comparisons: whole sample, then each value of each slice column. Pairs of arms are
        // independent: they run side by side on the machine's cores, and are put back in order.
        // The reference's pairs also get their ordinal stages and send-order check here, and
        // their organizations (tables and report card) as jobs of their own, started first
        // as they take longest. Before them, the reference's pairs' tests by pattern, side by
        // side (their organizations and comparisons both count from them); other pairs find
        // theirs in their own job.
        let mainPairs = pairs.filter { $0.0 == reference }
        let mainPatterns = try concurrentMap(mainPairs) { (pair: (Int, Int)) throws(StatisticsError) in
            PairPatterns(data, pair.0, pair.1, threshold: threshold)
        }
        let jobs = mainPairs.indices.map { PairJob.organizations($0) } + pairs.map { PairJob.comparisons($0.0, $0.1) } + [.placebo]
        let done = try concurrentMap(jobs) { (job: PairJob) throws(StatisticsError) -> PairJobResult in
            switch job {
            case .placebo: return .placebo(try placebo(data, reference, request: request, patterns: mainPatterns.first))
            case .organizations(let k):
                return .organizations(try organizations(data, [(mainPairs[k].0, mainPairs[k].1, mainPatterns[k])], request: request))
            case .comparisons(let r, let t):
                let patterns = mainPairs.firstIndex { $0 == (r, t) }.map { mainPatterns[$0] } ?? PairPatterns(data, r, t, threshold: threshold)
                var findings = try pairFindings(data, r, t, request: request, patterns: patterns)
                if r == reference {
                    if request.scale.count > 2 { findings.ordinal = try ordinal(data, r, t, request: request) }
                    findings.sendOrder = try sendOrderCheck(data, r, t, request: request, patterns: patterns)
                    findings.testers = testerCheck(data, r, t, threshold: threshold)
                }
                return .comparisons(findings)
            }
        }
        var perPair: [PairFindings] = []
        var placeboFinding: PlaceboFinding?
        var byOrganization: (tests: [OrganizationFinding], reportCards: [OrganizationReportCard], notes: [String]) = ([], [], [])
        for result in done {
            switch result {
            case .comparisons(let findings): perPair.append(findings)
            case .placebo(let finding): placeboFinding = finding
            case .organizations(let found):
                byOrganization.tests += found.tests
                byOrganization.reportCards += found.reportCards
                byOrganization.notes += found.notes
            }
        }
        var comparisons = perPair.flatMap(\.comparisons)
        let stratified = perPair.flatMap(\.stratified)
        notes += perPair.flatMap(\.notes)
        // Multiplicity in two families (METHODS.md §3). Confirmatory: the primary comparisons
        // (the reference against each primary tested arm, all tests), Holm within them only.
        // Exploratory: every other comparison (slices, all-pairs, non-primary arms),
        // Benjamini–Hochberg within them. Adding an exploratory analysis never moves a
        // confirmatory p-value.
        let primary = try primaryArms(data, request)
        for i in comparisons.indices {
            let c = comparisons[i]
            comparisons[i].family = c.slice.isEmpty && c.reference == request.referenceArm && primary.contains(c.tested)
                ? .confirmatory : .exploratory
        }
        for family in AnalysisFamily.allCases {
            let indices = comparisons.indices.filter { comparisons[$0].family == family && comparisons[$0].primaryP != nil }
            let ps = indices.map { comparisons[$0].primaryP! }
            guard !ps.isEmpty else { continue }
            switch family {
            case .confirmatory:
                let adjusted = try Multiplicity.holm(ps)
                for (k, i) in indices.enumerated() { comparisons[i].holm = adjusted[k] }
            case .exploratory:
                let q = try Multiplicity.benjaminiHochberg(ps)
                for (k, i) in indices.enumerated() { comparisons[i].benjaminiHochberg = q[k] }
            }
        }
        // Checks: the reference against each tested arm.
        let ordinalFindings = perPair.compactMap(\.ordinal), sendOrder = perPair.compactMap(\.sendOrder)
        var findings = Findings(
            request: request, arms: data.arms, comparisons: comparisons, stratified: stratified,
            ordinal: ordinalFindings,
            sendOrder: sendOrder,
            testers: perPair.compactMap(\.testers),
            organizations: byOrganization.tests,
            pending: data.pending, notes: notes + byOrganization.notes)
        findings.reportCards = byOrganization.reportCards
        findings.placebo = placeboFinding
        return findings
    }

    /// What runs side by side: a pair of arms' comparisons, the organizations of a pair of
    /// the reference with a tested arm (its position among those pairs), or the placebo.
    enum PairJob { case comparisons(Int, Int), organizations(Int), placebo }
    enum PairJobResult {
        case comparisons(PairFindings)
        case placebo(PlaceboFinding?)
        case organizations((tests: [OrganizationFinding], reportCards: [OrganizationReportCard], notes: [String]))
    }

    /// The placebo (``PlaceboFinding``): with a declared placebo arm, the reference against it
    /// in every test where both answered (max rule); else the reference arm's first answered
    /// application against its second, in every test that has two (applications in send
    /// order, else file order).
    ///
    /// `patterns`: the tests' patterns for a pair of the reference arm, if found: without a
    /// declared placebo arm, a pattern's first two codes of the reference arm are its tests'
    /// first two applications of it, in order, so the tests are counted by pattern.
    static func placebo(_ data: Indexed, _ r: Int, request: AnalysisRequest, patterns: PairPatterns? = nil) throws(StatisticsError) -> PlaceboFinding? {
        var both = 0, firstOnly = 0, secondOnly = 0, neither = 0
        func count(_ first: Bool, _ second: Bool, tests: Int) {
            switch (first, second) {
            case (true, true): both += tests
            case (true, false): firstOnly += tests
            case (false, true): secondOnly += tests
            case (false, false): neither += tests
            }
        }
        let declared = request.placeboArm.flatMap { data.arms.firstIndex(of: $0) }
        if declared == nil, let whole = patterns?.whole, whole.r == r {
            whole.forEachCounted { codes, tests in
                let reference = codes.filter { $0 & 2 == 2 }
                if reference.count >= 2 { count(reference[0] & 1 == 1, reference[1] & 1 == 1, tests: tests) }
            }
        } else {
            for items in data.byTest {
                var first: Bool?, second: Bool?
                if let declared {
                    for item in items where item.arm == r || item.arm == declared {
                        let positive = item.level >= request.thresholdIndex
                        if item.arm == r { first = (first ?? false) || positive } else { second = (second ?? false) || positive }
                    }
                } else {
                    for item in items where item.arm == r {
                        let positive = item.level >= request.thresholdIndex
                        if first == nil { first = positive } else if second == nil { second = positive; break }
                    }
                }
                if let first, let second { count(first, second, tests: 1) }
            }
        }
        let tests = both + firstOnly + secondOnly + neither
        guard tests > 0 else { return nil }
        return PlaceboFinding(arm: declared.map { data.arms[$0] } ?? data.arms[r], declared: declared != nil, tests: tests,
                              paired: try PairedAnalysis(try PairedTable(both: both, referenceOnly: firstOnly, testedOnly: secondOnly, neither: neither),
                                                         level: request.level))
    }

    /// The tested arms of the confirmatory family: those the request names (each must be a
    /// tested arm present in the data), else every tested arm.
    static func primaryArms(_ data: Indexed, _ request: AnalysisRequest) throws(StatisticsError) -> Set<String> {
        let tested = data.arms.filter { $0 != request.referenceArm && $0 != request.placeboArm }
        guard let named = request.primary else { return Set(tested) }
        for arm in named where !tested.contains(arm) {
            throw .invalidArgument(arm == request.referenceArm
                ? "the primary comparisons name the reference arm \"\(arm)\"; name tested arms (each is compared with the reference)"
                : "the primary comparisons name the arm \"\(arm)\", which has no answered application; tested arms present: \(tested.joined(separator: ", "))")
        }
        return Set(named)
    }

    /// One pair's comparisons (whole sample, then every slice value) and stratified tests.
    struct PairFindings {
        var comparisons: [ComparisonFinding] = []
        var stratified: [StratifiedFinding] = []
        var notes: [String] = []
        var ordinal: OrdinalFinding?
        var sendOrder: CheckFinding?
        var testers: CheckFinding?
    }

    /// `patterns`: the pair's tests by pattern (``PairPatterns``), found once for every view.
    static func pairFindings(_ data: Indexed, _ r: Int, _ t: Int, request: AnalysisRequest, patterns: PairPatterns) throws(StatisticsError) -> PairFindings {
        var result = PairFindings()
        let threshold = request.thresholdIndex
        result.comparisons.append(try compare(data, r, t, tests: Array(data.byTest.indices), slice: [:], excluded: 0, request: request,
                                              tallied: patterns.whole))
        for column in request.slices {
            var discordant: [(Int, Int)] = []
            var excluded = 0
            // Mantel–Haenszel is application-level: each application is in the stratum
            // of its own value (which may vary within a test, e.g. an applicant's zip).
            let tables: [StratumTable]
            if isApplicantLevel(data, column: column) {
                // An applicant attribute: each value keeps its own applications (METHODS.md §2).
                let byValue = applicantValues(data, r, t, column: column)
                for value in byValue.keys.sorted() {
                    let finding = try compare(data, r, t, tests: byValue[value]!.tests, slice: [column: value], excluded: 0, request: request,
                                              applicant: byValue[value]!.sets)
                    result.comparisons.append(finding)
                    if let table = finding.paired?.table { discordant.append((table.referenceOnly, table.testedOnly)) }
                }
                tables = strata(data, r, t, column: column, threshold: threshold)
            } else {
                let slices = sliceTallies(data, r, t, column: column, patterns: patterns, threshold: threshold)
                excluded = slices.excluded
                tables = slices.strata
                for slice in slices.values {
                    let finding = try compare(data, r, t, tests: slice.tests, slice: [column: slice.name], excluded: excluded, request: request,
                                              tallied: slice.tally)
                    result.comparisons.append(finding)
                    if let table = finding.paired?.table { discordant.append((table.referenceOnly, table.testedOnly)) }
                }
            }
            let totalB = discordant.reduce(0) { $0 + $1.0 }, totalC = discordant.reduce(0) { $0 + $1.1 }
            result.stratified.append(StratifiedFinding(
                reference: data.arms[r], tested: data.arms[t], by: column, strata: tables.count,
                mantelHaenszel: tables.isEmpty ? nil : try MantelHaenszel.analyze(tables, level: request.level),
                discordantHomogeneity: ContingencyChiSquared.test(discordant, method: "Pearson χ² of the discordant split (b, c) across \(column) values"),
                pooledDiscordantShare: totalB + totalC > 0 ? .value(Double(totalB) / Double(totalB + totalC)) : .undefined("no discordant test")))
            if excluded > 0 {
                result.notes.append("\(excluded) test\(excluded == 1 ? "" : "s") left out of the \(column) slices for \(data.arms[r]) vs \(data.arms[t]): the value varies within the test.")
            }
        }
        return result
    }

}
