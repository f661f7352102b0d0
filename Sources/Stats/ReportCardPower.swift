import Foundation

/// How many tests per organization a report card's grades need (issue #20 item 5), by
/// simulation: campaigns of `organizations` organizations with `testsPerOrganization` tests
/// each, drawn from the scenario's model, each graded as `analyze` grades them; the grades
/// are then compared with the simulated truth. To run hundreds of campaigns, each is graded by
/// the dynamic program over its Condorcet order (``Grading``'s method beyond the exact size,
/// which finds the exact optimum whenever that is contiguous in the Condorcet order) on a
/// prior grid of 300 points.
///
/// The model is `barometre simulate`'s (OutcomeSimulator): organization f shifts both arms'
/// log-odds of a positive answer by u_f ~ N(0, σ_org²) and the tested arm's by v_f ~ N(0, σ_disc²);
/// a test shares one uniform draw for both applications with probability ρ (else independent),
/// so P(both positive) = ρ min(p_R, p_T) + (1 − ρ) p_R p_T. The truth of organization f is
/// θ_f = p_R,f − p_T,f.
public enum ReportCardPower {
    public struct Scenario: Sendable {
        public var referenceRate: Double
        public var testedRate: Double
        public var withinTestCorrelation: Double
        public var organizationSD: Double
        public var discriminationSD: Double
        public init(referenceRate: Double, testedRate: Double, withinTestCorrelation: Double, organizationSD: Double, discriminationSD: Double) {
            self.referenceRate = referenceRate; self.testedRate = testedRate; self.withinTestCorrelation = withinTestCorrelation
            self.organizationSD = organizationSD; self.discriminationSD = discriminationSD
        }
    }

    /// What the grades achieved over the simulated campaigns, for one number of tests.
    public struct Result: Sendable, Equatable {
        public let testsPerOrganization: Int
        public let simulations: Int
        /// Share of simulated campaigns graded into at least two grades.
        public let separating: Double
        public let meanGrades: Double
        /// Among pairs of organizations placed in different grades, the share whose true
        /// discrimination is in the opposite order (pooled over the campaigns).
        public let misorderedShare: Double?
        /// Mean Spearman correlation of posterior means with the true discrimination.
        public let rankCorrelation: Double
        /// Share of the truly most discriminating fifth placed in the top grade, in campaigns
        /// with at least two grades.
        public let topFifthInTopGrade: Double?
    }

    public static func simulate(organizations: Int, testsPerOrganization: Int, scenario: Scenario, objective: GradingObjective,
                                simulations: Int, seed: UInt64, gridPoints: Int = 300) throws(StatisticsError) -> Result {
        guard organizations >= 5 else { throw .invalidArgument("a report card needs at least 5 organizations, got \(organizations)") }
        guard testsPerOrganization >= 2 else { throw .invalidArgument("each organization needs at least 2 tests, got \(testsPerOrganization)") }
        guard simulations >= 1 else { throw .invalidArgument("at least one simulation is needed") }
        for (name, p) in [("reference rate", scenario.referenceRate), ("tested rate", scenario.testedRate)] where !(p > 0 && p < 1) {
            throw .probabilityOutOfRange(name: name, value: p)
        }
        let generator = SeededGenerator(seed: seed)
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        var separating = 0, grades = 0, misordered = 0, separated = 0, topHits = 0, topTotal = 0
        var correlation = 0.0, usable = 0
        for _ in 0..<simulations {
            var tables: [PairedTable] = [], truth: [Double] = []
            for _ in 0..<organizations {
                let u = generator.gaussian(standardDeviation: scenario.organizationSD)
                let v = generator.gaussian(standardDeviation: scenario.discriminationSD)
                let pR = logistic(logit(scenario.referenceRate) + u), pT = logistic(logit(scenario.testedRate) + u + v)
                var a = 0, b = 0, c = 0, d = 0
                for _ in 0..<testsPerOrganization {
                    let r: Bool, t: Bool
                    if generator.uniform() < scenario.withinTestCorrelation {
                        let shared = generator.uniform()
                        r = shared < pR; t = shared < pT
                    } else {
                        r = generator.uniform() < pR; t = generator.uniform() < pT
                    }
                    switch (r, t) {
                    case (true, true): a += 1
                    case (true, false): b += 1
                    case (false, true): c += 1
                    case (false, false): d += 1
                    }
                }
                tables.append(try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: d))
                truth.append(pR - pT)
            }
            // A campaign whose every organization answered alike has nothing to grade: one grade.
            guard let (estimates, errors, _) = try? OrganizationEstimates.from(tables), Set(estimates).count > 1 else {
                grades += 1
                continue
            }
            // Grades by the dynamic program over the Condorcet order (hundreds of campaigns).
            let card = try ReportCard.estimate(estimates: estimates, standardErrors: errors, gridPoints: gridPoints, exactLimit: 0)
            let graded = try Grading.grade(card.orderingProbabilities, count: organizations, objective: objective, order: card.condorcetOrder, exactLimit: 0)
            grades += graded.count
            usable += 1
            correlation += spearman(card.posteriors.map(\.mean), truth)
            if graded.count >= 2 {
                separating += 1
                for f in 0..<organizations { for g in 0..<organizations where graded.fromTop[f] < graded.fromTop[g] {
                    separated += 1
                    if truth[f] < truth[g] { misordered += 1 }
                } }
                let top = Array((0..<organizations).sorted { truth[$0] > truth[$1] }.prefix(max(1, organizations / 5)))
                topTotal += top.count
                topHits += top.filter { graded.fromTop[$0] == 1 }.count
            }
        }
        return Result(testsPerOrganization: testsPerOrganization, simulations: simulations,
                      separating: Double(separating) / Double(simulations), meanGrades: Double(grades) / Double(simulations),
                      misorderedShare: separated > 0 ? Double(misordered) / Double(separated) : nil,
                      rankCorrelation: usable > 0 ? correlation / Double(usable) : 0,
                      topFifthInTopGrade: topTotal > 0 ? Double(topHits) / Double(topTotal) : nil)
    }

    /// Spearman's rank correlation (mid-ranks for ties).
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
                i = j + 1
            }
            return r
        }
        let rx = ranks(x), ry = ranks(y)
        let mx = rx.reduce(0, +) / Double(rx.count), my = ry.reduce(0, +) / Double(ry.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
