import Foundation

/// One stratum's 2×2 table at application level: rows = arm (reference, tested),
/// columns = positive, negative.
public struct StratumTable: Sendable, Equatable {
    public var referencePositive: Int, referenceNegative: Int, testedPositive: Int, testedNegative: Int

    public init(referencePositive: Int, referenceNegative: Int, testedPositive: Int, testedNegative: Int) {
        self.referencePositive = referencePositive
        self.referenceNegative = referenceNegative
        self.testedPositive = testedPositive
        self.testedNegative = testedNegative
    }

    var total: Double { Double(referencePositive + referenceNegative + testedPositive + testedNegative) }
}

/// The Mantel–Haenszel pooled odds ratio, its Robins–Breslow–Greenland interval, the
/// Cochran–Mantel–Haenszel test and the Breslow–Day homogeneity test.
public struct MantelHaenszelResult: Sendable, Equatable {
    public let oddsRatio: Defined<Double>
    public let interval: Defined<ConfidenceInterval>
    /// CMH χ² (1 df), without continuity correction (R: `mantelhaen.test(correct = FALSE)`).
    public let test: HypothesisTest
    /// Breslow–Day χ² (K − 1 df) of homogeneous odds ratios, without Tarone's correction.
    public let homogeneity: Defined<HypothesisTest>
    public let strata: Int
}

public enum MantelHaenszel {
    /// With a_k, b_k (reference positive, negative), c_k, d_k (tested positive, negative), n_k:
    /// ```
    /// OR_MH = Σ a_k d_k/n_k ÷ Σ b_k c_k/n_k
    /// Var(log OR_MH) (RBG) = ΣP_kR_k/(2R²) + Σ(P_kS_k + Q_kR_k)/(2RS) + ΣQ_kS_k/(2S²)
    ///   P = (a+d)/n, Q = (b+c)/n, R_k = ad/n, S_k = bc/n, R = ΣR_k, S = ΣS_k
    /// CMH = (Σa_k − ΣE[a_k])² / ΣVar(a_k),  E = (a+b)(a+c)/n,  Var = (a+b)(c+d)(a+c)(b+d)/(n²(n−1))
    /// Breslow–Day = Σ (a_k − Â_k)²/V̂_k, Â_k the a that gives odds ratio OR_MH with the margins
    /// ```
    /// Strata with fewer than two applications carry no information and are skipped.
    ///
    /// ## References
    /// - Mantel N, Haenszel W (1959). J Natl Cancer Inst 22:719–748. doi:10.1093/jnci/22.4.719
    /// - Robins J, Breslow N, Greenland S (1986). Biometrics 42:311–323. doi:10.2307/2531052
    /// - Breslow NE, Day NE (1980). Statistical Methods in Cancer Research I. IARC.
    public static func analyze(_ tables: [StratumTable], level: Double = 0.95) throws(StatisticsError) -> MantelHaenszelResult {
        try StatisticsError.checkLevel(level)
        let used = tables.filter { $0.total >= 2 }
        var R = 0.0, S = 0.0, PR = 0.0, PSQR = 0.0, QS = 0.0
        var sumA = 0.0, sumE = 0.0, sumV = 0.0
        for t in used {
            let a = Double(t.referencePositive), b = Double(t.referenceNegative), c = Double(t.testedPositive), d = Double(t.testedNegative)
            let n = t.total
            let r = a * d / n, s = b * c / n, pp = (a + d) / n, q = (b + c) / n
            R += r; S += s; PR += pp * r; PSQR += pp * s + q * r; QS += q * s
            sumA += a
            sumE += (a + b) * (a + c) / n
            sumV += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1))
        }
        let z = try Normal.twoSidedCritical(level: level)
        let oddsRatio: Defined<Double> = (R > 0 && S > 0) ? .value(R / S) : .undefined(
            R == 0 && S == 0 ? "no stratum has both a reference and a tested positive answer" : "a zero margin makes the pooled odds ratio \(R == 0 ? "0" : "infinite")")
        var interval: Defined<ConfidenceInterval> = .undefined(oddsRatio.undefinedReason ?? "")
        if let or = oddsRatio.value {
            let variance = PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S)
            let half = z * variance.squareRoot()
            interval = .value(ConfidenceInterval(lower: or * exp(-half), upper: or * exp(half), level: level))
        }
        let statistic = sumV > 0 ? (sumA - sumE) * (sumA - sumE) / sumV : nil
        let test = HypothesisTest(statistic: statistic, degreesOfFreedom: 1,
                                  pValue: statistic.map { ChiSquared.survival($0, degreesOfFreedom: 1) } ?? 1,
                                  method: "Cochran–Mantel–Haenszel test without continuity correction")
        return MantelHaenszelResult(oddsRatio: oddsRatio, interval: interval, test: test,
                                    homogeneity: breslowDay(used, oddsRatio: oddsRatio.value), strata: used.count)
    }

    static func breslowDay(_ tables: [StratumTable], oddsRatio: Double?) -> Defined<HypothesisTest> {
        guard let psi = oddsRatio else { return .undefined("needs a finite pooled odds ratio") }
        var statistic = 0.0, informative = 0
        for t in tables {
            let m1 = Double(t.referencePositive + t.referenceNegative)   // reference applications
            let n1 = Double(t.referencePositive + t.testedPositive)      // positives
            let n = t.total, m2 = n - m1
            let low = max(0, n1 - m2), high = min(m1, n1)
            guard high > low else { continue }  // a degenerate stratum has no variance
            // Â solves Â(m2 − n1 + Â) = ψ (m1 − Â)(n1 − Â): a quadratic in Â.
            let qa = 1 - psi, qb = (m2 - n1) + psi * (m1 + n1), qc = -psi * m1 * n1
            var fitted: Double
            if abs(qa) < 1e-12 { fitted = -qc / qb } else {
                let disc = (qb * qb - 4 * qa * qc).squareRoot()
                let r1 = (-qb + disc) / (2 * qa), r2 = (-qb - disc) / (2 * qa)
                fitted = (r1 >= low - 1e-9 && r1 <= high + 1e-9) ? r1 : r2
            }
            let variance = 1 / (1 / fitted + 1 / (m1 - fitted) + 1 / (n1 - fitted) + 1 / (m2 - n1 + fitted))
            guard variance.isFinite, variance > 0 else { continue }
            let a = Double(t.referencePositive)
            statistic += (a - fitted) * (a - fitted) / variance
            informative += 1
        }
        guard informative >= 2 else { return .undefined("fewer than two informative strata") }
        let df = Double(informative - 1)
        return .value(HypothesisTest(statistic: statistic, degreesOfFreedom: df, pValue: ChiSquared.survival(statistic, degreesOfFreedom: df),
                                     method: "Breslow–Day test of homogeneous odds ratios (without Tarone's correction)"))
    }
}

/// Pearson's χ² test of independence for an r×2 table of counts (homogeneity of a split
/// across r groups), e.g. the discordant split (b, c) across slices (METHODS.md §3).
public enum ContingencyChiSquared {
    /// Groups with no count are dropped; needs at least two groups with counts.
    public static func test(_ rows: [(Int, Int)], method: String) -> Defined<HypothesisTest> {
        let kept = rows.filter { $0.0 + $0.1 > 0 }
        guard kept.count >= 2 else { return .undefined("fewer than two groups with data") }
        let col0 = Double(kept.reduce(0) { $0 + $1.0 }), col1 = Double(kept.reduce(0) { $0 + $1.1 })
        let total = col0 + col1
        guard col0 > 0, col1 > 0 else { return .undefined("one of the two outcomes never occurs") }
        var statistic = 0.0
        for (x, y) in kept {
            let rowTotal = Double(x + y)
            let e0 = rowTotal * col0 / total, e1 = rowTotal * col1 / total
            statistic += (Double(x) - e0) * (Double(x) - e0) / e0 + (Double(y) - e1) * (Double(y) - e1) / e1
        }
        let df = Double(kept.count - 1)
        return .value(HypothesisTest(statistic: statistic, degreesOfFreedom: df, pValue: ChiSquared.survival(statistic, degreesOfFreedom: df), method: method))
    }
}
