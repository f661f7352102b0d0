import Foundation
import Testing
import TestSupport
@testable import Stats

/// The report card against the reference implementation, drrank 0.1.3
/// (Fixtures/generate-report-card.py, on simulated campaigns; see that script for the options
/// matched and the caveats of running drrank today).
struct ReportCardReference: Decodable {
    struct GradeSet: Decodable { let grades: [Int]; let condorcet: [Int] }
    struct Case: Decodable {
        let name: String
        let estimates: [Double]
        let standardErrors: [Double]
        let penalty: Double
        let estimatesMean: Double
        let biasCorrectedSD: Double
        let priorMean: Double
        let priorSD: Double
        let posteriorMean: [Double]
        let lower: [Double]
        let upper: [Double]
        let pi: [[Double]]
        let grades: [String: GradeSet]
    }
    let gridPoints: Int
    let degreesOfFreedom: Int
    let cases: [Case]

    static func load() throws -> ReportCardReference {
        let url = try #require(Bundle.module.url(forResource: "report-card-reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(ReportCardReference.self, from: Data(contentsOf: url))
    }
}

@Suite("Report card against drrank")
struct ReportCardReferenceTests {
    @Test("natural spline basis equals R's splines::ns(x, df = 5)")
    func naturalSpline() throws {
        let x = (0...10).map { Double($0) / 10 }
        let basis = try NaturalSpline.basis(x, degreesOfFreedom: 5)
        let expected: [[Double]] = Self.rNaturalSpline
        for (k, row) in [0, 3, 7, 10].enumerated() {
            for j in 0..<5 { #expect(abs(basis[row * 5 + j] - expected[k][j]) < 1e-12, "row \(row) column \(j)") }
        }
    }

    /// Printed by Fixtures/generate-natural-spline.R (R 4.2.2).
    static let rNaturalSpline: [[Double]] = [
        [0, 0, 0, 0, 0],
        [0.479166666666667, 0.0208333333333333, -0.121490924117224, 0.364472772351673, -0.242981848234449],
        [0.0208333333333333, 0.479166666666667, 0.441964285714286, 0.111607142857143, -0.0535714285714286],
        [0, 0, -0.142857142857143, 0.428571428571429, 0.714285714285714],
    ]

    @Test("posteriors, π, Condorcet ranks and grades equal drrank's", arguments: 0..<3)
    func matchesReference(_ index: Int) throws {
        let reference = try ReportCardReference.load()
        let c = reference.cases[index]
        let card = try ReportCard.estimate(estimates: c.estimates, standardErrors: c.standardErrors,
                                           gridPoints: reference.gridPoints, degreesOfFreedom: reference.degreesOfFreedom)
        // The optimum, not the optimizer's path, is shared: the penalty to drrank's tolerance
        // (SciPy's fminbound, 10⁻⁴), the posterior means to 10⁻⁴ (they agree to 10⁻⁵ here).
        #expect(abs(card.prior.penalty - c.penalty) < 1e-3, "\(c.name) penalty")
        #expect(abs(card.prior.mean - c.priorMean) < 1e-4)
        #expect(abs(card.prior.standardDeviation - c.priorSD) < 1e-4)
        #expect(abs(card.prior.estimatesMean - c.estimatesMean) < 1e-12)
        #expect(abs((card.prior.biasCorrectedSD ?? 0) - c.biasCorrectedSD) < 1e-12)
        let step = card.prior.grid[1] - card.prior.grid[0]
        for f in c.estimates.indices {
            #expect(abs(card.posteriors[f].mean - c.posteriorMean[f]) < 1e-4, "\(c.name) posterior mean \(f)")
            // Interval ends are grid points: the same point, or its neighbour when the
            // cumulative posterior crosses the tail within the two priors' difference.
            #expect(abs(card.posteriors[f].interval.lower - c.lower[f]) <= step * 1.001, "\(c.name) lower \(f)")
            #expect(abs(card.posteriors[f].interval.upper - c.upper[f]) <= step * 1.001, "\(c.name) upper \(f)")
            for g in c.estimates.indices where g != f {
                #expect(abs(card.ordering(f, over: g) - c.pi[f][g]) < 1e-4, "\(c.name) π[\(f)][\(g)]")
            }
        }
        let F = c.estimates.count
        for (key, set) in c.grades {
            let objective: GradingObjective = key.hasPrefix("lambda=")
                ? .lambda(Double(key.dropFirst(7))!) : .discordanceRate(Double(key.dropFirst(3))!)
            let order = card.condorcetOrder
            let grades = try Grading.grade(card.orderingProbabilities, count: F, objective: objective, order: order, exactLimit: 30)
            #expect(grades.provenOptimal, "\(c.name) \(key): \(grades.method)")
            if case .lambda = objective {
                // The fallback beyond the exact size finds the same grades on these cases.
                let dp = try Grading.grade(card.orderingProbabilities, count: F, objective: objective, order: order, exactLimit: 0)
                #expect(dp.fromTop == set.grades, "\(c.name) \(key) by the dynamic program")
            }
            #expect(grades.fromTop == set.grades, "\(c.name) \(key)")
            #expect(card.condorcetRanks == set.condorcet, "\(c.name) Condorcet")
        }
    }
}

/// The report card's summaries that drrank does not compute, on cases worked by hand.
@Suite("Report card summaries")
struct ReportCardSummaryTests {
    @Test("Storey's π̂₀ at λ = 0.5: #{p > 0.5} / (0.5 F), at most 1 (Storey 2002)")
    func storey() {
        // 10 p-values, 2 above ½: 2 / (0.5 × 10) = 0.4.
        #expect(ReportCard.storeyNullShare([0.001, 0.01, 0.02, 0.03, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95]) == 0.4)
        // 3 of 5 above ½: 3 / 2.5 = 1.2, capped at 1; p = 0.5 itself is not above.
        #expect(ReportCard.storeyNullShare([0.6, 0.7, 0.9, 0.1, 0.5]) == 1)
        #expect(ReportCard.storeyNullShare([0.01, 0.02]) == 0)
    }

    static func prior(_ grid: [Double], _ mass: [Double]) -> DeconvolvedPrior {
        DeconvolvedPrior(grid: grid, mass: mass, penalty: 0, coefficients: [], mean: 0, standardDeviation: 0, estimatesMean: 0,
                         biasCorrectedSD: nil, logLikelihood: 0, momentWeighting: "")
    }

    @Test("concentration: the top fifth of the prior's mass over its net Σ g t, the boundary point split")
    func concentration() throws {
        // Five equal masses on 0, 0.1, …, 0.4: net 0.2; the top fifth is the point 0.4 → 0.08/0.2.
        let even = try #require(ReportCard.concentration(Self.prior([0, 0.1, 0.2, 0.3, 0.4], [0.2, 0.2, 0.2, 0.2, 0.2])))
        expectClose(even, 0.4, relativeTolerance: 1e-12)
        // Masses 0.5 at 0 and 0.5 at 0.3: net 0.15; the top fifth is 0.2 of the 0.5 at 0.3 →
        // 0.06/0.15 = 0.4 (the boundary point split).
        expectClose(try #require(ReportCard.concentration(Self.prior([0, 0.3], [0.5, 0.5]))), 0.4, relativeTolerance: 1e-12)
        // Negative discrimination elsewhere: more than all the net is in the top fifth.
        expectClose(try #require(ReportCard.concentration(Self.prior([-0.1, 0, 0.2], [0.3, 0.5, 0.2]))), 0.04 / 0.01, relativeTolerance: 1e-12)
        // No net discrimination: undefined.
        #expect(ReportCard.concentration(Self.prior([-0.2, 0.2], [0.5, 0.5])) == nil)
    }
}
