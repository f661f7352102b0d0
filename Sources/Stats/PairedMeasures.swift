/// Paired comparisons of a numeric measure (units shown, delay in hours, …), one
/// difference d_i = x_R − x_T per test (METHODS.md §2, "count measures").
public enum PairedMeasures {
    /// The mean difference with a Student t interval:
    /// ```
    /// d̄ ± t₁₋α/₂(n − 1) · s_d/√n
    /// ```
    /// (R: `t.test(d)$conf.int`). Needs at least two differences.
    public static func meanDifference(_ d: [Double], level: Double = 0.95) throws(StatisticsError) -> (estimate: Double, interval: ConfidenceInterval) {
        try StatisticsError.checkLevel(level)
        guard d.count >= 2 else { throw .undefined("needs at least two tests with the measure for both arms") }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = try StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: n - 1) * (variance / n).squareRoot()
        return (mean, ConfidenceInterval(lower: mean - half, upper: mean + half, level: level))
    }

    /// The Wilcoxon signed-rank test of a zero median difference, as R's `wilcox.test(d)`:
    /// zero differences are dropped; with fewer than 50 differences, no ties and no zeros,
    /// the exact distribution of V (the sum of the ranks of positive differences); otherwise
    /// the normal approximation with continuity and tie corrections:
    /// ```
    /// z = (V − n(n+1)/4 − ½·sign(·)) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48)
    /// ```
    ///
    /// ## References
    /// Wilcoxon F (1945). Individual comparisons by ranking methods. Biometrics Bull 1:80–83.
    /// doi:10.2307/3001968
    public static func wilcoxonSignedRank(_ d: [Double]) throws(StatisticsError) -> HypothesisTest {
        let nonzero = d.filter { $0 != 0 }
        let n = nonzero.count
        guard n >= 1 else { throw .undefined("every difference is zero") }
        // Average ranks of |d|.
        let order = nonzero.indices.sorted { abs(nonzero[$0]) < abs(nonzero[$1]) }
        var ranks = [Double](repeating: 0, count: n)
        var tieCorrection = 0.0, hasTies = false
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && abs(nonzero[order[j + 1]]) == abs(nonzero[order[i]]) { j += 1 }
            let average = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = average }
            let t = Double(j - i + 1)
            if t > 1 { hasTies = true; tieCorrection += t * t * t - t }
            i = j + 1
        }
        let v = zip(nonzero, ranks).reduce(0.0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        if n < 50 && !hasTies && nonzero.count == d.count {
            // Exact: counts of subsets of {1..n} by rank sum.
            let maxSum = n * (n + 1) / 2
            var counts = [Double](repeating: 0, count: maxSum + 1)
            counts[0] = 1
            for rank in 1...n { for s in stride(from: maxSum, through: rank, by: -1) { counts[s] += counts[s - rank] } }
            let total = counts.reduce(0, +)
            let observed = Int(v.rounded())
            let lower = counts[0...observed].reduce(0, +) / total
            let upper = counts[observed...].reduce(0, +) / total
            return HypothesisTest(statistic: v, pValue: min(1, 2 * min(lower, upper)), method: "Wilcoxon signed-rank test (exact)")
        }
        let nn = Double(n)
        let centred = v - nn * (nn + 1) / 4
        let sigma = (nn * (nn + 1) * (2 * nn + 1) / 24 - tieCorrection / 48).squareRoot()
        guard sigma > 0 else { throw .undefined("no variation in the ranks") }
        let correction = centred > 0 ? 0.5 : (centred < 0 ? -0.5 : 0)
        let z = (centred - correction) / sigma
        return HypothesisTest(statistic: v, pValue: min(1, 2 * min(Normal.cdf(z), Normal.survival(z))),
                              method: "Wilcoxon signed-rank test (normal approximation with continuity correction)")
    }

    /// The Hodges–Lehmann estimate of the median difference: the median of the Walsh
    /// averages (d_i + d_j)/2, i ≤ j. Computed for up to 5,000 differences (12.5 million
    /// averages).
    ///
    /// ## References
    /// Hodges JL, Lehmann EL (1963). Estimates of location based on rank tests. Ann Math
    /// Stat 34:598–611. doi:10.1214/aoms/1177704172
    public static func hodgesLehmann(_ d: [Double]) throws(StatisticsError) -> Double {
        guard !d.isEmpty else { throw .undefined("no difference") }
        guard d.count <= 5000 else { throw .undefined("more than 5,000 tests: the Walsh averages are not computed") }
        var walsh: [Double] = []
        walsh.reserveCapacity(d.count * (d.count + 1) / 2)
        for i in d.indices { for j in i..<d.count { walsh.append((d[i] + d[j]) / 2) } }
        walsh.sort()
        let m = walsh.count
        return m % 2 == 1 ? walsh[m / 2] : (walsh[m / 2 - 1] + walsh[m / 2]) / 2
    }
}
