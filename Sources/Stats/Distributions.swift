import CGSL

// Swift names for the GSL distribution functions Barometre uses. Every function here
// validates its arguments, calls GSL, and checks the result: callers never see NaN.

/// The standard normal distribution N(0, 1).
public enum Normal {
    /// Φ(x) = P(Z ≤ x).
    public static func cdf(_ x: Double) -> Double {
        GSL.ensureConfigured()
        return gsl_cdf_ugaussian_P(x)
    }

    /// 1 − Φ(x) = P(Z > x), accurate in the upper tail.
    public static func survival(_ x: Double) -> Double {
        GSL.ensureConfigured()
        return gsl_cdf_ugaussian_Q(x)
    }

    /// Φ⁻¹(p), the quantile function.
    /// - Throws: ``StatisticsError/probabilityOutOfRange(name:value:)`` unless 0 < p < 1.
    public static func quantile(_ p: Double) throws(StatisticsError) -> Double {
        guard p > 0, p < 1 else { throw .probabilityOutOfRange(name: "p", value: p) }
        GSL.ensureConfigured()
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// z₁₋α/₂ for a two-sided interval of confidence `level`.
    public static func twoSidedCritical(level: Double) throws(StatisticsError) -> Double {
        guard level > 0, level < 1 else { throw .levelOutOfRange(level) }
        return try quantile(1 - (1 - level) / 2)
    }
}

/// The χ² distribution.
public enum ChiSquared {
    /// P(X > x) for X ~ χ²(ν).
    public static func survival(_ x: Double, degreesOfFreedom nu: Double) -> Double {
        GSL.ensureConfigured()
        guard x > 0 else { return 1 }
        return gsl_cdf_chisq_Q(x, nu)
    }
}

/// The beta distribution Beta(α, β).
public enum Beta {
    /// P(X ≤ x) for X ~ Beta(α, β) (the regularized incomplete beta function).
    public static func cdf(_ x: Double, alpha: Double, beta: Double) -> Double {
        GSL.ensureConfigured()
        return gsl_cdf_beta_P(x, alpha, beta)
    }

    /// The p-quantile of Beta(α, β).
    ///
    /// GSL's `gsl_cdf_beta_Pinv` fails to converge for large shape parameters (from about
    /// α + β > 10⁵, as with a million tests); the quantile is then found by inverting
    /// `gsl_cdf_beta_P` with Brent's method, which is accurate at any size. Above
    /// α + β = 2·10⁶ Brent is used directly: there `gsl_cdf_beta_Pinv` can also run for many
    /// minutes before it gives up (e.g. α = 3.75·10⁶ + 1… with α + β = 1.25·10⁷ + 1, the rates
    /// of a 10⁷-test study; issue #17 item 3), while Brent takes microseconds.
    public static func quantile(_ p: Double, alpha: Double, beta: Double) throws(GSLError) -> Double {
        GSL.ensureConfigured()
        let operation = "Beta(\(alpha), \(beta)) quantile at \(p)"
        guard p > 0, p < 1, alpha > 0, beta > 0 else {
            throw GSLError(status: Int(GSL_EDOM), operation: operation, reason: "needs 0 < p < 1 and positive shape parameters")
        }
        if alpha + beta <= 2e6 {
            let direct = gsl_cdf_beta_Pinv(p, alpha, beta)
            if direct.isFinite { return direct }
        } else if alpha == alpha.rounded(), beta == beta.rounded() {
            // Integer shapes (Clopper–Pearson): GSL's incomplete beta does not converge near
            // the mean either, so the CDF is the binomial tail it equals, summed term by term.
            return try RootFinder.brent(in: 0...1, absoluteTolerance: 1e-300, relativeTolerance: 1e-14) {
                integerShapesCDF($0, a: alpha, b: beta) - p
            }
        }
        return try RootFinder.brent(in: 0...1, absoluteTolerance: 1e-300, relativeTolerance: 1e-14) {
            gsl_cdf_beta_P($0, alpha, beta) - p
        }
    }

    /// The regularized incomplete beta I_x(a, b) for whole a, b ≥ 1, as the binomial tail it
    /// equals: I_x(a, b) = P(X ≥ a), X ~ Binomial(a + b − 1, x) (Abramowitz & Stegun 1964,
    /// 26.5.24; the identity behind Clopper & Pearson 1934). The terms are summed from the
    /// start of the shorter tail outwards (the first from `gsl_sf_lnchoose`, the next by their
    /// ratio (N − j)/(j + 1) · x/(1 − x)) until they no longer change the sum.
    static func integerShapesCDF(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let n = a + b - 1, k = a
        let mean = n * x
        func lnTerm(_ j: Double) -> Double {
            lnChoose(n, j) + j * log(x) + (n - j) * log1p(-x)
        }
        if k > mean {
            // Upper tail P(X ≥ k): from k upwards.
            var term = exp(lnTerm(k)), sum = term, j = k
            let ratio = x / (1 - x)
            while j < n {
                term *= (n - j) / (j + 1) * ratio
                j += 1
                sum += term
                if term < sum * 1e-17 { break }
            }
            return min(1, sum)
        } else {
            // Lower tail P(X ≤ k − 1): from k − 1 downwards; the CDF is its complement.
            guard k >= 1 else { return 1 }
            var term = exp(lnTerm(k - 1)), sum = term, j = k - 1
            let ratio = (1 - x) / x
            while j > 0 {
                term *= j / (n - j + 1) * ratio
                j -= 1
                sum += term
                if term < sum * 1e-17 { break }
            }
            return max(0, 1 - sum)
        }
    }

    /// ln C(n, j) through GSL's log-gamma (n up to any double).
    static func lnChoose(_ n: Double, _ j: Double) -> Double {
        gsl_sf_lngamma(n + 1) - gsl_sf_lngamma(j + 1) - gsl_sf_lngamma(n - j + 1)
    }
}

/// The binomial distribution Bin(n, π).
public enum Binomial {
    /// P(X = k).
    public static func pmf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        GSL.ensureConfigured()
        guard k >= 0, k <= n else { return 0 }
        return gsl_ran_binomial_pdf(UInt32(k), p, UInt32(n))
    }

    /// P(X ≤ k).
    public static func cdf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        GSL.ensureConfigured()
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return gsl_cdf_binomial_P(UInt32(k), p, UInt32(n))
    }

    /// P(X > k), accurate in the upper tail.
    public static func survival(_ k: Int, trials n: Int, probability p: Double) -> Double {
        GSL.ensureConfigured()
        if k < 0 { return 1 }
        if k >= n { return 0 }
        return gsl_cdf_binomial_Q(UInt32(k), p, UInt32(n))
    }
}

/// The hypergeometric distribution: k successes in t draws without replacement from an
/// urn with n₁ successes and n₂ failures.
public enum Hypergeometric {
    /// log P(X = k), through log-binomial coefficients (no overflow for large tables).
    public static func logPMF(_ k: Int, successes n1: Int, failures n2: Int, draws t: Int) -> Double {
        GSL.ensureConfigured()
        guard k >= max(0, t - n2), k <= min(t, n1) else { return -.infinity }
        return logChoose(n1, k) + logChoose(n2, t - k) - logChoose(n1 + n2, t)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        gsl_sf_lnchoose(UInt32(n), UInt32(k))
    }

    /// ``logPMF(_:successes:failures:draws:)`` for one table's margins, at many k (the Fisher
    /// test sums tens of thousands of terms at 10⁶ applications). The same value to the last
    /// bit, with what does not depend on k computed once: log C(n₁ + n₂, t), and log n₁! and
    /// log n₂!, from which log C(n, k) = log n! − log m! − log (n − m)!, m = min(k, n − k),
    /// as GSL's `gsl_sf_lnchoose` computes it.
    public struct Margins: Sendable {
        let successes: Int, failures: Int, draws: Int
        let logFactorialSuccesses: Double, logFactorialFailures: Double, logChooseAll: Double

        public init(successes: Int, failures: Int, draws: Int) {
            GSL.ensureConfigured()
            self.successes = successes
            self.failures = failures
            self.draws = draws
            logFactorialSuccesses = gsl_sf_lnfact(UInt32(successes))
            logFactorialFailures = gsl_sf_lnfact(UInt32(failures))
            logChooseAll = Hypergeometric.logChoose(successes + failures, draws)
        }

        /// log P(X = k).
        public func logPMF(_ k: Int) -> Double {
            guard k >= max(0, draws - failures), k <= min(draws, successes) else { return -.infinity }
            return Self.logChoose(successes, k, logFactorialSuccesses) + Self.logChoose(failures, draws - k, logFactorialFailures) - logChooseAll
        }

        /// `gsl_sf_lnchoose(n, k)` given log n!: 0 when k is 0 or n, else
        /// log n! − log m! − log (n − m)! with m the smaller of k and n − k.
        static func logChoose(_ n: Int, _ k: Int, _ logFactorialN: Double) -> Double {
            if k == 0 || k == n { return 0 }
            let m = 2 * k > n ? n - k : k
            return logFactorialN - gsl_sf_lnfact(UInt32(m)) - gsl_sf_lnfact(UInt32(n - m))
        }
    }
}

/// Student's t distribution with ν degrees of freedom.
public enum StudentT {
    /// The p-quantile.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) throws(StatisticsError) -> Double {
        guard p > 0, p < 1 else { throw .probabilityOutOfRange(name: "p", value: p) }
        guard nu > 0 else { throw .undefined("a t distribution needs at least one degree of freedom") }
        GSL.ensureConfigured()
        return try numerics { () throws(GSLError) in try GSL.finite(gsl_cdf_tdist_Pinv(p, nu), "t(\(nu)) quantile at \(p)") }
    }

    /// The two-sided p-value of a t statistic: 2·P(T > |t|).
    public static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        GSL.ensureConfigured()
        return min(1, 2 * gsl_cdf_tdist_Q(abs(t), nu))
    }
}
