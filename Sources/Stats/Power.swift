/// Sample size and power for the paired design (METHODS.md §5).
///
/// p₁₀ = P(reference positive, tested negative) and p₀₁ = P(reference negative, tested
/// positive) are the probabilities of the two discordant cells; ψ = p₁₀ + p₀₁, δ = p₁₀ − p₀₁.
public enum PairedPower {
    /// Connor's number of pairs for a two-sided test at level α with power 1 − β:
    /// ```
    /// n = ⌈ [z₁₋α/₂·√ψ + z₁₋β·√(ψ − δ²)]² / δ² ⌉
    /// ```
    /// e.g. p₁₀ = 0.10, p₀₁ = 0.05, α = 5%, power 80% → 469 pairs.
    ///
    /// - Throws: input errors when a probability is outside its range, p₁₀ + p₀₁ > 1, or
    ///   p₁₀ = p₀₁ (no difference to detect: no number of pairs suffices).
    ///
    /// ## References
    /// - Connor RJ (1987). Sample size for testing differences in proportions for the
    ///   paired-sample design. Biometrics 43:207–211. doi:10.2307/2531961
    /// - Vuolo M, Uggen C, Lageson S (2016). Statistical power in experimental audit
    ///   studies. Sociol Methods Res 45:260–303. doi:10.1177/0049124114547056
    public static func pairsNeeded(p10: Double, p01: Double, alpha: Double = 0.05, power: Double = 0.8) throws(StatisticsError) -> Int {
        try validate(p10: p10, p01: p01, alpha: alpha)
        guard power > 0, power < 1 else { throw .probabilityOutOfRange(name: "power", value: power) }
        let psi = p10 + p01, delta = p10 - p01
        let zAlpha = try Normal.quantile(1 - alpha / 2)
        let zBeta = try Normal.quantile(power)
        let root = zAlpha * psi.squareRoot() + zBeta * max(0, psi - delta * delta).squareRoot()
        let n = root * root / (delta * delta)
        guard n < Double(Int.max / 2) else { throw .invalidArgument("the difference is too small: more than \(Int.max / 2) pairs would be needed") }
        // Guard against 468.99999999 becoming 469 through rounding noise only.
        return Int((n * (1 - 1e-12)).rounded(.up))
    }

    /// Connor's asymptotic power with n pairs:
    /// ```
    /// power = Φ((|δ|·√n − z₁₋α/₂·√ψ) / √(ψ − δ²))
    /// ```
    public static func asymptoticPower(pairs n: Int, p10: Double, p01: Double, alpha: Double = 0.05) throws(StatisticsError) -> Double {
        try validate(p10: p10, p01: p01, alpha: alpha)
        guard n > 0 else { throw .invalidArgument("pairs must be at least 1, got \(n)") }
        let psi = p10 + p01, delta = abs(p10 - p01)
        let zAlpha = try Normal.quantile(1 - alpha / 2)
        let spread = max(0, psi - delta * delta).squareRoot()
        guard spread > 0 else { return 1 }
        return Normal.cdf((delta * Double(n).squareRoot() - zAlpha * psi.squareRoot()) / spread)
    }

    /// Exact power of the two-sided mid-p McNemar test at level α with n pairs, by
    /// enumerating the binomial distributions:
    /// ```
    /// power = Σₘ P(D = m) · P(b ∈ R(m) | m),   D ~ Bin(n, ψ),  b | m ~ Bin(m, p₁₀/ψ)
    /// R(m) = { b : mid-p(b, m − b) ≤ α } = { b ≤ k(m) } ∪ { b ≥ m − k(m) }
    /// ```
    /// The rejection bound k(m) is non-decreasing in m, so it is found in one pass; the
    /// cost is O(n) distribution evaluations.
    ///
    /// - Throws: input errors as ``pairsNeeded(p10:p01:alpha:power:)``; p₁₀ = p₀₁ is allowed
    ///   here (the power is then the test's size).
    ///
    /// ## References
    /// Fagerland MW, Lydersen S, Laake P (2013). BMC Med Res Methodol 13:91.
    /// doi:10.1186/1471-2288-13-91
    public static func midPPower(pairs n: Int, p10: Double, p01: Double, alpha: Double = 0.05) throws(StatisticsError) -> Double {
        try validate(p10: p10, p01: p01, alpha: alpha, allowEqual: true)
        guard n > 0 else { throw .invalidArgument("pairs must be at least 1, got \(n)") }
        let psi = p10 + p01
        guard psi > 0 else { return 0 }  // no discordant pair can occur: the test never rejects
        let pi = p10 / psi
        var k = -1
        var power = 0.0
        for m in 1...n {
            // Extend the rejection bound while the next count still rejects (k < m/2).
            while 2 * (k + 1) < m, McNemar.midP(b: k + 1, c: m - k - 1) <= alpha { k += 1 }
            guard k >= 0 else { continue }
            let weight = Binomial.pmf(m, trials: n, probability: psi)
            guard weight > 0 else { continue }
            let reject = Binomial.cdf(k, trials: m, probability: pi) + Binomial.survival(m - k - 1, trials: m, probability: pi)
            power += weight * reject
        }
        return min(1, power)
    }

    private static func validate(p10: Double, p01: Double, alpha: Double, allowEqual: Bool = false) throws(StatisticsError) {
        guard p10 >= 0, p10 <= 1 else { throw .probabilityOutOfRange(name: "p10", value: p10) }
        guard p01 >= 0, p01 <= 1 else { throw .probabilityOutOfRange(name: "p01", value: p01) }
        guard p10 + p01 <= 1 else {
            throw .invalidArgument("p10 + p01 must not exceed 1 (they are the probabilities of the two discordant cells), got \(p10 + p01)")
        }
        guard alpha > 0, alpha < 1 else { throw .probabilityOutOfRange(name: "alpha", value: alpha) }
        if !allowEqual && p10 == p01 {
            throw .invalidArgument("p10 and p01 are equal (\(p10)): there is no difference to detect; give the discordant probabilities expected under discrimination")
        }
    }
}
