import Stats

/// The organizations' report card for one comparison (the reference against a tested arm):
/// Kline, Rose & Walters' empirical-Bayes grades (METHODS.md §4), computed from each
/// organization's paired tests.
public struct OrganizationReportCard: Sendable {
    public let reference: String
    public let tested: String
    public let request: ReportCardRequest
    /// The prior, the posteriors' summaries, π̂₀ and concentration.
    public let prior: DeconvolvedPrior
    public let nullShare: Double?
    public let concentration: Double?
    public let grades: Grades
    public var rows: [ReportCardRow]
    /// Organizations whose tests did not vary (s = 0) and got the pooled SD instead.
    public let pooledStandardErrors: Int
    /// Organizations with some tests of this comparison but fewer than the minimum.
    public let leftOut: Int

    /// Number of grades and the letter of a grade counted from the top (1 = most likely to
    /// discriminate): A is the grade least likely to discriminate.
    public func letter(fromTop: Int) -> String {
        let k = grades.count - fromTop
        guard grades.count <= 26 else { return String(grades.count - fromTop + 1) }
        return String(UnicodeScalar(UInt8(65 + k)))
    }
}

/// One organization in the report card.
public struct ReportCardRow: Sendable {
    public let label: String
    public let name: String?
    public let tests: Int
    public let posterior: OrganizationPosterior
    public let condorcetRank: Int
    /// 1 for the grade most likely to discriminate (`drrank`'s numbering).
    public let gradeFromTop: Int
    public let standardErrorPooled: Bool
}

extension Analyzer {
    /// The report card of one comparison from its organizations' paired tables, or a note
    /// saying why there is none.
    static func reportCard(reference: String, tested: String, tables: [(label: String, name: String?, table: PairedTable, midP: Double)],
                           leftOut: Int, request: ReportCardRequest, level: Double) -> (OrganizationReportCard?, String?) {
        guard tables.count >= request.minimumOrganizations else {
            return (nil, "Report card (\(reference) vs \(tested)): \(tables.count) organization(s) have at least \(request.minimumTests) tests; it needs \(request.minimumOrganizations). Test more organizations, or lower analysis.reportCard.minimumTests.")
        }
        guard tables.count <= request.maximumOrganizations else {
            return (nil, "Report card (\(reference) vs \(tested)) not computed inside analyze: \(tables.count) organizations have at least \(request.minimumTests) tests, more than \(request.maximumOrganizations) (its pairwise probabilities grow as the square). Run barometre stats report-card on the organizations' paired tables (analyze --format json, organizations.tests), or raise analysis.reportCard.minimumTests.")
        }
        // The report card is an addition: if it cannot be computed, the rest of the findings
        // stand and a note says why.
        let estimates: [Double], standardErrors: [Double], pooled: [Int], card: ReportCard, grades: Grades
        do {
            (estimates, standardErrors, pooled) = try OrganizationEstimates.from(tables.map(\.table))
            guard Set(estimates).count > 1 else {
                return (nil, "Report card (\(reference) vs \(tested)): every organization has the same net difference; there is no distribution to estimate.")
            }
            // On one core: the analyzer runs it beside the pairs' comparisons (Analyzer.swift).
            card = try ReportCard.estimate(estimates: estimates, standardErrors: standardErrors, pValues: tables.map(\.midP),
                                           level: level, gridPoints: request.gridPoints, parallel: false)
            grades = try Grading.grade(card.orderingProbabilities, count: card.count, objective: request.objective, order: card.condorcetOrder)
        } catch {
            return (nil, "Report card (\(reference) vs \(tested)) not computed: \(error.description).")
        }
        let pooledSet = Set(pooled)
        let rows = tables.indices.map { f in
            ReportCardRow(label: tables[f].label, name: tables[f].name, tests: tables[f].table.tests, posterior: card.posteriors[f],
                          condorcetRank: card.condorcetRanks[f], gradeFromTop: grades.fromTop[f], standardErrorPooled: pooledSet.contains(f))
        }
        return (OrganizationReportCard(reference: reference, tested: tested, request: request, prior: card.prior,
                                       nullShare: card.nullShare, concentration: card.concentration, grades: grades, rows: rows,
                                       pooledStandardErrors: pooled.count, leftOut: leftOut), nil)
    }
}
