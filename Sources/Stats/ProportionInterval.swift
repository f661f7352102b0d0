/// Confidence-interval methods for one binomial proportion π = x/n.
///
/// The raw value is the spelling used in JSON and on the command line.
public enum ProportionIntervalMethod: String, Sendable, Codable, CaseIterable {
    case wilson
    case clopperPearson = "clopper-pearson"
    case jeffreys
    case agrestiCoull = "agresti-coull"
    case midP = "mid-p"

    public var name: String {
        switch self {
        case .wilson: "Wilson score"
        case .clopperPearson: "Clopper–Pearson exact"
        case .jeffreys: "Jeffreys"
        case .agrestiCoull: "Agresti–Coull"
        case .midP: "Clopper–Pearson mid-p"
        }
    }

    public var reference: Citation {
        switch self {
        case .wilson:
            Citation(authors: "Wilson EB", year: 1927,
                     title: "Probable inference, the law of succession, and statistical inference",
                     source: "J Am Stat Assoc 22:209–212", doi: "10.1080/01621459.1927.10502953")
        case .clopperPearson:
            Citation(authors: "Clopper CJ, Pearson ES", year: 1934,
                     title: "The use of confidence or fiducial limits illustrated in the case of the binomial",
                     source: "Biometrika 26:404–413", doi: "10.1093/biomet/26.4.404")
        case .jeffreys, .agrestiCoull:
            Citation(authors: "Brown LD, Cai TT, DasGupta A", year: 2001,
                     title: "Interval estimation for a binomial proportion",
                     source: "Stat Sci 16:101–133", doi: "10.1214/ss/1009213286")
        case .midP:
            Citation(authors: "Fagerland MW, Lydersen S, Laake P", year: 2017,
                     title: "Statistical Analysis of Contingency Tables, §2.4.6",
                     source: "Chapman & Hall/CRC", doi: "10.1201/9781315374116")
        }
    }
}

/// One binomial proportion and its confidence intervals.
public enum Proportion {
    /// A confidence interval for π from x positives in n trials.
    ///
    /// ```
    /// Wilson:          (x + z²/2)/(n + z²) ± z·√(x(n−x)/n + z²/4)/(n + z²)
    /// Clopper–Pearson: [B(α/2; x, n−x+1), B(1−α/2; x+1, n−x)]   (0 if x = 0, 1 if x = n)
    /// Jeffreys:        [B(α/2; x+½, n−x+½), B(1−α/2; x+½, n−x+½)] (0 if x = 0, 1 if x = n)
    /// Agresti–Coull:   p̃ ± z·√(p̃(1−p̃)/ñ),  ñ = n + z²,  p̃ = (x + z²/2)/ñ   (clipped to [0, 1])
    /// mid-p:           L solves P(X > x) + ½P(X = x) = α/2, U solves P(X < x) + ½P(X = x) = α/2
    /// ```
    /// where B(q; α, β) is the q-quantile of the Beta distribution and z = z₁₋α/₂.
    ///
    /// - Parameters:
    ///   - positives: x, 0 ≤ x ≤ n.
    ///   - trials: n ≥ 1.
    ///   - level: confidence level in (0, 1).
    /// - Returns: the interval, within [0, 1].
    /// - Throws: ``StatisticsError/undefined(_:)`` when n = 0 (no trials, no estimate);
    ///   input errors for negative counts, x > n, or a level outside (0, 1).
    ///
    /// Notes: Wilson is the reported default; Clopper–Pearson is conservative (coverage
    /// ≥ level); Agresti–Coull is the only one that can leave [0, 1] and is clipped.
    ///
    /// ## References
    /// See ``ProportionIntervalMethod/reference``.
    public static func interval(
        positives x: Int, trials n: Int, level: Double = 0.95, method: ProportionIntervalMethod
    ) throws(StatisticsError) -> ConfidenceInterval {
        try StatisticsError.checkCount(x, name: "positives")
        try StatisticsError.checkCount(n, name: "trials")
        guard x <= n else { throw .countExceedsTrials(count: x, trials: n) }
        try StatisticsError.checkLevel(level)
        guard n > 0 else { throw .undefined("no trials (n = 0): a proportion needs at least one") }
        let alpha = 1 - level
        switch method {
        case .wilson:
            let z = try Normal.twoSidedCritical(level: level)
            return wilson(x: Double(x), n: Double(n), z: z, level: level)
        case .clopperPearson:
            let lower = x == 0 ? 0 : try numerics { () throws(GSLError) in
                try Beta.quantile(alpha / 2, alpha: Double(x), beta: Double(n - x + 1)) }
            let upper = x == n ? 1 : try numerics { () throws(GSLError) in
                try Beta.quantile(1 - alpha / 2, alpha: Double(x + 1), beta: Double(n - x)) }
            return ConfidenceInterval(lower: lower, upper: upper, level: level)
        case .jeffreys:
            let a = Double(x) + 0.5, b = Double(n - x) + 0.5
            let lower = x == 0 ? 0 : try numerics { () throws(GSLError) in try Beta.quantile(alpha / 2, alpha: a, beta: b) }
            let upper = x == n ? 1 : try numerics { () throws(GSLError) in try Beta.quantile(1 - alpha / 2, alpha: a, beta: b) }
            return ConfidenceInterval(lower: lower, upper: upper, level: level)
        case .agrestiCoull:
            let z = try Normal.twoSidedCritical(level: level)
            let nTilde = Double(n) + z * z
            let pTilde = (Double(x) + z * z / 2) / nTilde
            let half = z * (pTilde * (1 - pTilde) / nTilde).squareRoot()
            return ConfidenceInterval(lower: pTilde - half, upper: pTilde + half, level: level).clipped(to: 0...1)
        case .midP:
            return try midP(x: x, n: n, level: level)
        }
    }

    /// The Wilson score interval with a given critical value (shared by the paired methods).
    static func wilson(x: Double, n: Double, z: Double, level: Double) -> ConfidenceInterval {
        let z2 = z * z
        let center = (x + z2 / 2) / (n + z2)
        let half = z * (x * (n - x) / n + z2 / 4).squareRoot() / (n + z2)
        // Clipping only removes rounding noise here: Wilson limits lie in [0, 1] exactly.
        let interval = ConfidenceInterval(lower: center - half, upper: center + half, level: level)
        return ConfidenceInterval(lower: min(max(interval.lower, 0), 1), upper: min(max(interval.upper, 0), 1), level: level)
    }

    /// Clopper–Pearson mid-p interval: each limit solves its tail equation by Brent's method.
    static func midP(x: Int, n: Int, level: Double) throws(StatisticsError) -> ConfidenceInterval {
        let alpha = 1 - level
        let lower: Double = x == 0 ? 0 : try numerics { () throws(GSLError) in
            try RootFinder.brent(in: 0...1) { p in
                Binomial.survival(x, trials: n, probability: p) + Binomial.pmf(x, trials: n, probability: p) / 2 - alpha / 2
            }
        }
        let upper: Double = x == n ? 1 : try numerics { () throws(GSLError) in
            try RootFinder.brent(in: 0...1) { p in
                Binomial.cdf(x - 1, trials: n, probability: p) + Binomial.pmf(x, trials: n, probability: p) / 2 - alpha / 2
            }
        }
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }
}
