import Foundation

/// Two independent binomial proportions π₁ = x₁/n₁ and π₂ = x₂/n₂.
///
/// In Barometre these compare arms **ignoring the pairing** — the analysis published
/// studies report (Bertrand & Mullainathan 2004, Table 1; the TEPP `callback` package) —
/// and are always labelled so beside the paired methods.
public enum IndependentProportions {
    /// Pearson's χ² test of equal proportions, without continuity correction
    /// (R: `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`):
    /// ```
    /// χ² = N(ad − bc)² / ((a+b)(c+d)(a+c)(b+d)),  a = x₁, b = n₁ − x₁, c = x₂, d = n₂ − x₂,  1 df
    /// ```
    /// - Throws: ``StatisticsError/undefined(_:)`` when a margin is 0 (an arm without
    ///   applications, or no positive / no negative answer at all).
    ///
    /// ## References
    /// Pearson K (1900). Philos Mag 50:157–175. doi:10.1080/14786440009463897
    public static func pearsonChiSquared(
        positives x1: Int, trials n1: Int, positives x2: Int, trials n2: Int
    ) throws(StatisticsError) -> HypothesisTest {
        try validate(x1, n1, x2, n2)
        let a = Double(x1), b = Double(n1 - x1), c = Double(x2), d = Double(n2 - x2)
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        guard margins > 0 else {
            throw .undefined("a margin of the 2×2 table is 0 (an arm has no application, or all answers are alike)")
        }
        let cross = a * d - b * c
        let statistic = (a + b + c + d) * cross * cross / margins
        return HypothesisTest(statistic: statistic, degreesOfFreedom: 1,
                              pValue: ChiSquared.survival(statistic, degreesOfFreedom: 1),
                              method: "Pearson χ² test without continuity correction (ignores pairing)")
    }

    /// Fisher's exact test, two-sided, computed as R's `fisher.test` does: the p-value is
    /// the sum of the hypergeometric probabilities of all tables with the same margins that
    /// are no more likely than the observed one (with a relative tolerance of 10⁻⁷).
    /// ```
    /// P(X = k) = C(m, k)·C(N − m, t − k)/C(N, t),  m = x₁ + x₂ positives, t = n₁, X = x₁
    /// ```
    /// - Throws: ``StatisticsError/undefined(_:)`` when both arms are empty.
    ///
    /// ## References
    /// Fisher RA (1935). J R Stat Soc 98:39–82. doi:10.2307/2342435
    public static func fisherExact(
        positives x1: Int, trials n1: Int, positives x2: Int, trials n2: Int
    ) throws(StatisticsError) -> HypothesisTest {
        try validate(x1, n1, x2, n2)
        guard n1 + n2 > 0 else { throw .undefined("no applications in either arm") }
        let positives = x1 + x2, negatives = (n1 - x1) + (n2 - x2)
        let low = max(0, n1 - negatives), high = min(n1, positives)
        // The terms that can count: the hypergeometric law is unimodal, so walk out from its
        // mode and stop where exp(log P − log P(mode)) is exactly 0 in double precision
        // (below −746). Every term left out would add exactly 0.0 to both sums below, so
        // the p-value is the same as over the whole support, at a fraction of the cost for
        // 10^6 applications.
        let margins = Hypergeometric.Margins(successes: positives, failures: negatives, draws: n1)
        func logAt(_ k: Int) -> Double { margins.logPMF(k) }
        let mode = min(high, max(low, Int((Double(n1 + 1) * Double(positives + 1) / Double(n1 + negatives + 2)).rounded(.down))))
        let peak = logAt(mode)
        var below: [Double] = [], above: [Double] = []
        var first = mode, last = mode
        while first > low { let value = logAt(first - 1); guard value - peak > -746 else { break }; below.append(value); first -= 1 }
        while last < high { let value = logAt(last + 1); guard value - peak > -746 else { break }; above.append(value); last += 1 }
        let logs = below.reversed() + [peak] + above
        let top = logs.max() ?? 0
        let weights = logs.map { (logValue: Double) -> Double in exp(logValue - top) }
        let total = weights.reduce(0, +)
        let observed = x1 >= first && x1 <= last ? weights[x1 - first] : 0
        let p = weights.filter { $0 <= observed * (1 + 1e-7) }.reduce(0, +) / total
        return HypothesisTest(statistic: nil, pValue: min(1, p), method: "Fisher exact test (ignores pairing)")
    }

    /// Newcombe's hybrid score interval for π₁ − π₂ (his method 10 for independent samples):
    /// ```
    /// L = p₁ − p₂ − √((p₁ − l₁)² + (u₂ − p₂)²),  U = p₁ − p₂ + √((u₁ − p₁)² + (p₂ − l₂)²)
    /// ```
    /// with (lᵢ, uᵢ) the Wilson limits of pᵢ.
    /// - Throws: ``StatisticsError/undefined(_:)`` when an arm has no application.
    ///
    /// ## References
    /// Newcombe RG (1998). Interval estimation for the difference between independent
    /// proportions: comparison of eleven methods. Stat Med 17:873–890.
    /// doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I
    public static func newcombeDifference(
        positives x1: Int, trials n1: Int, positives x2: Int, trials n2: Int, level: Double = 0.95
    ) throws(StatisticsError) -> ConfidenceInterval {
        try validate(x1, n1, x2, n2)
        try StatisticsError.checkLevel(level)
        guard n1 > 0, n2 > 0 else { throw .undefined("an arm has no application") }
        let z = try Normal.twoSidedCritical(level: level)
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let w1 = Proportion.wilson(x: Double(x1), n: Double(n1), z: z, level: level)
        let w2 = Proportion.wilson(x: Double(x2), n: Double(n2), z: z, level: level)
        let lower = p1 - p2 - ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2)).squareRoot()
        let upper = p1 - p2 + ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower)).squareRoot()
        return ConfidenceInterval(lower: lower, upper: upper, level: level).clipped(to: -1...1)
    }

    private static func validate(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) throws(StatisticsError) {
        try StatisticsError.checkCount(x1, name: "positives of arm 1")
        try StatisticsError.checkCount(n1, name: "trials of arm 1")
        try StatisticsError.checkCount(x2, name: "positives of arm 2")
        try StatisticsError.checkCount(n2, name: "trials of arm 2")
        guard x1 <= n1 else { throw .countExceedsTrials(count: x1, trials: n1) }
        guard x2 <= n2 else { throw .countExceedsTrials(count: x2, trials: n2) }
    }
}
