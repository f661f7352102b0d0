/// Tests of H₀: p_R = p_T for a paired 2×2 table, all conditional on the b+c discordant
/// tests (under H₀, b ~ Bin(b+c, ½)).
public enum McNemarMethod: String, Sendable, Codable, CaseIterable {
    /// χ² = (b−c)²/(b+c), 1 df, no continuity correction.
    case asymptotic = "mcnemar"
    /// χ² = max(0, |b−c|−1)²/(b+c), 1 df (R's `mcnemar.test` convention).
    case corrected = "mcnemar-corrected"
    /// Exact conditional: P = min(1, 2·P(X ≤ min(b,c))), X ~ Bin(b+c, ½).
    case exact
    /// Mid-p: P = min(1, 2·P(X ≤ min(b,c)) − P(X = min(b,c))). Barometre's default p-value.
    case midP = "mid-p"

    public var name: String {
        switch self {
        case .asymptotic: "McNemar asymptotic test"
        case .corrected: "McNemar test with continuity correction"
        case .exact: "McNemar exact conditional test"
        case .midP: "McNemar mid-p test"
        }
    }

    public var reference: Citation {
        switch self {
        case .asymptotic, .corrected:
            Citation(authors: "McNemar Q", year: 1947,
                     title: "Note on the sampling error of the difference between correlated proportions or percentages",
                     source: "Psychometrika 12:153–157", doi: "10.1007/BF02295996")
        case .exact, .midP:
            Citation(authors: "Fagerland MW, Lydersen S, Laake P", year: 2013,
                     title: "The McNemar test for binary matched-pairs data: mid-p and asymptotic are better than exact conditional",
                     source: "BMC Med Res Methodol 13:91", doi: "10.1186/1471-2288-13-91")
        }
    }
}

public enum McNemar {
    /// Tests H₀: p_R = p_T (equivalently, the discordant split b/(b+c) = ½).
    ///
    /// ```
    /// asymptotic:  χ² = (b − c)² / (b + c)                     P = P(χ²₁ > χ²)
    /// corrected:   χ² = max(0, |b − c| − 1)² / (b + c)         P = P(χ²₁ > χ²)
    /// exact:       P = min(1, 2·P(X ≤ min(b, c)))              X ~ Bin(b + c, ½)
    /// mid-p:       P = min(1, 2·P(X ≤ min(b, c)) − P(X = min(b, c)))
    /// ```
    ///
    /// - Returns: the test; for the χ² forms `statistic` is χ² (1 df).
    ///
    /// Notes: with b = c = 0 there is no evidence either way: every p-value is 1 and the χ²
    /// statistic is undefined (`nil`). The continuity-corrected statistic follows R's
    /// `mcnemar.test` (statsmodels differs when b = c). When b = c the mid-p value is 1 by
    /// the formula above (the R package `contingencytables` reports 1 − ½·P(X = b) instead).
    ///
    /// ## References
    /// - McNemar Q (1947). Psychometrika 12:153–157. doi:10.1007/BF02295996
    /// - Fagerland MW, Lydersen S, Laake P (2013). BMC Med Res Methodol 13:91. doi:10.1186/1471-2288-13-91
    public static func test(_ table: PairedTable, method: McNemarMethod) -> HypothesisTest {
        let b = table.referenceOnly, c = table.testedOnly
        let m = b + c
        switch method {
        case .asymptotic, .corrected:
            guard m > 0 else { return HypothesisTest(statistic: nil, degreesOfFreedom: 1, pValue: 1, method: method.name) }
            let difference = Double(abs(b - c))
            let numerator = method == .asymptotic ? difference : max(0, difference - 1)
            let statistic = numerator * numerator / Double(m)
            return HypothesisTest(statistic: statistic, degreesOfFreedom: 1,
                                  pValue: ChiSquared.survival(statistic, degreesOfFreedom: 1), method: method.name)
        case .exact:
            return HypothesisTest(statistic: nil, pValue: exactP(b: b, c: c), method: method.name)
        case .midP:
            return HypothesisTest(statistic: nil, pValue: midP(b: b, c: c), method: method.name)
        }
    }

    /// The asymptotic test's signed z = (b − c)/√(b + c), or `nil` when b + c = 0.
    public static func z(_ table: PairedTable) -> Double? {
        let m = table.discordant
        guard m > 0 else { return nil }
        return Double(table.referenceOnly - table.testedOnly) / Double(m).squareRoot()
    }

    static func exactP(b: Int, c: Int) -> Double {
        let m = b + c
        return min(1, 2 * Binomial.cdf(min(b, c), trials: m, probability: 0.5))
    }

    /// The two-sided mid-p value for b and c discordant tests (see ``McNemarMethod/midP``).
    public static func midP(b: Int, c: Int) -> Double {
        let m = b + c, k = min(b, c)
        let value = 2 * Binomial.cdf(k, trials: m, probability: 0.5) - Binomial.pmf(k, trials: m, probability: 0.5)
        return min(1, max(0, value))
    }
}
