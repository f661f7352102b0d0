/// Confidence-interval methods for the paired difference δ = p_R − p_T = (b − c)/n.
public enum PairedDifferenceMethod: String, Sendable, Codable, CaseIterable {
    /// Newcombe's hybrid score (square-and-add) interval, his method 10.
    case newcombe
    /// Tango's asymptotic score interval.
    case tango
    /// Bonett–Price adjusted Wald interval.
    case bonettPrice = "bonett-price"
    /// Wald interval — reported only as a reference point, never the default.
    case wald

    public var name: String {
        switch self {
        case .newcombe: "Newcombe hybrid score (method 10)"
        case .tango: "Tango asymptotic score"
        case .bonettPrice: "Bonett–Price adjusted Wald"
        case .wald: "Wald"
        }
    }

    public var reference: Citation {
        switch self {
        case .newcombe:
            Citation(authors: "Newcombe RG", year: 1998,
                     title: "Improved confidence intervals for the difference between binomial proportions based on paired data",
                     source: "Stat Med 17:2635–2650",
                     doi: "10.1002/(SICI)1097-0258(19981130)17:22<2635::AID-SIM954>3.0.CO;2-C")
        case .tango:
            Citation(authors: "Tango T", year: 1998,
                     title: "Equivalence test and confidence interval for the difference in proportions for the paired-sample design",
                     source: "Stat Med 17:891–908",
                     doi: "10.1002/(SICI)1097-0258(19980430)17:8<891::AID-SIM780>3.0.CO;2-B")
        case .bonettPrice:
            Citation(authors: "Bonett DG, Price RM", year: 2012,
                     title: "Adjusted Wald confidence interval for a difference of binomial proportions based on paired data",
                     source: "J Educ Behav Stat 37:479–488", doi: "10.3102/1076998611411915")
        case .wald:
            Citation(authors: "Fagerland MW, Lydersen S, Laake P", year: 2014,
                     title: "Recommended tests and confidence intervals for paired binomial proportions",
                     source: "Stat Med 33:2850–2875", doi: "10.1002/sim.6148")
        }
    }
}

public enum PairedDifference {
    /// δ̂ = (b − c)/n.
    /// - Throws: ``StatisticsError/undefined(_:)`` when n = 0.
    public static func estimate(_ table: PairedTable) throws(StatisticsError) -> Double {
        guard table.tests > 0 else { throw .undefined("no tests (n = 0)") }
        return Double(table.referenceOnly - table.testedOnly) / Double(table.tests)
    }

    /// A confidence interval for δ = p_R − p_T.
    ///
    /// With a = both, b = reference only, c = tested only, d = neither, n = a+b+c+d,
    /// p₁ = (a+b)/n, p₂ = (a+c)/n, z = z₁₋α/₂:
    /// ```
    /// Wald:          δ̂ ± z·√((b + c) − (b − c)²/n) / n
    /// Bonett–Price:  δ̃ ± z·√((p̃_b + p̃_c − δ̃²)/(n + 2)),  p̃_b = (b+1)/(n+2), p̃_c = (c+1)/(n+2), δ̃ = p̃_b − p̃_c
    /// Newcombe 10:   L = δ̂ − √((p₁ − l₁)² − 2φ̂(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²)
    ///                U = δ̂ + √((u₁ − p₁)² − 2φ̂(u₁ − p₁)(p₂ − l₂) + (p₂ − l₂)²)
    ///                (l, u) Wilson limits of p₁ and p₂; φ̂ = C/√((a+b)(c+d)(a+c)(b+d)) with
    ///                C = ad − bc − n/2 if ad − bc > n/2, 0 if 0 ≤ ad − bc ≤ n/2, ad − bc if < 0
    ///                (φ̂ = 0 when a margin is 0)
    /// Tango:         the δ₀ where T(δ₀) = ±z, T(δ₀) = (b − c − nδ₀)/√(n(2p̃_c + δ₀(1 − δ₀))),
    ///                p̃_c = (√(B² − 4AC) − B)/(2A), A = 2n, B = −b − c + (2n − b + c)δ₀,
    ///                C = −c·δ₀(1 − δ₀): the restricted maximum-likelihood estimate of P(cell c)
    /// ```
    ///
    /// - Returns: the interval, clipped to [−1, 1] (`clipped` says if that changed it).
    /// - Throws: ``StatisticsError/undefined(_:)`` when n = 0; ``StatisticsError/levelOutOfRange(_:)``.
    ///
    /// Notes: with b = c = 0 the estimate is 0 and Newcombe, Tango and Bonett–Price give a
    /// finite, non-degenerate interval; Wald degenerates to [0, 0] (one reason it is never
    /// the default). Fagerland, Lydersen & Laake (2014) recommend Newcombe and Tango
    /// (Bonett–Price for small n).
    ///
    /// ## References
    /// See ``PairedDifferenceMethod/reference``.
    public static func interval(
        _ table: PairedTable, level: Double = 0.95, method: PairedDifferenceMethod
    ) throws(StatisticsError) -> ConfidenceInterval {
        try StatisticsError.checkLevel(level)
        let estimate = try estimate(table)
        let z = try Normal.twoSidedCritical(level: level)
        let n = Double(table.tests), b = Double(table.referenceOnly), c = Double(table.testedOnly)
        switch method {
        case .wald:
            let se = max(0, (b + c) - (b - c) * (b - c) / n).squareRoot() / n
            return ConfidenceInterval(lower: estimate - z * se, upper: estimate + z * se, level: level).clipped(to: -1...1)
        case .bonettPrice:
            let pb = (b + 1) / (n + 2), pc = (c + 1) / (n + 2)
            let delta = pb - pc
            let se = ((pb + pc - delta * delta) / (n + 2)).squareRoot()
            return ConfidenceInterval(lower: delta - z * se, upper: delta + z * se, level: level).clipped(to: -1...1)
        case .newcombe:
            return newcombe(table, z: z, level: level)
        case .tango:
            return try tango(table, estimate: estimate, z: z, level: level)
        }
    }

    static func newcombe(_ table: PairedTable, z: Double, level: Double) -> ConfidenceInterval {
        let a = Double(table.both), b = Double(table.referenceOnly)
        let c = Double(table.testedOnly), d = Double(table.neither)
        let n = a + b + c + d
        let p1 = (a + b) / n, p2 = (a + c) / n
        let w1 = Proportion.wilson(x: a + b, n: n, z: z, level: level)
        let w2 = Proportion.wilson(x: a + c, n: n, z: z, level: level)
        let phi = newcombePhi(a: a, b: b, c: c, d: d)
        let delta = p1 - p2
        let dl1 = p1 - w1.lower, du1 = w1.upper - p1
        let dl2 = p2 - w2.lower, du2 = w2.upper - p2
        let lower = delta - max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2).squareRoot()
        let upper = delta + max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2).squareRoot()
        return ConfidenceInterval(lower: lower, upper: upper, level: level).clipped(to: -1...1)
    }

    /// Newcombe's correlation estimate with his continuity adjustment of the numerator.
    static func newcombePhi(a: Double, b: Double, c: Double, d: Double) -> Double {
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        guard margins > 0 else { return 0 }
        let n = a + b + c + d
        let cross = a * d - b * c
        let numerator: Double
        if cross > n / 2 {
            numerator = cross - n / 2
        } else if cross >= 0 {
            numerator = 0
        } else {
            numerator = cross
        }
        return numerator / margins.squareRoot()
    }

    /// Tango's score statistic T(δ₀); decreasing in δ₀.
    static func tangoStatistic(b: Double, c: Double, n: Double, delta0: Double) -> Double {
        let A = 2 * n
        let B = -b - c + (2 * n - b + c) * delta0
        let C = -c * delta0 * (1 - delta0)
        let p21 = ((B * B - 4 * A * C).squareRoot() - B) / (2 * A)
        let numerator = b - c - n * delta0
        let variance = n * (2 * p21 + delta0 * (1 - delta0))
        guard variance > 0 else {
            return numerator == 0 ? 0 : (numerator > 0 ? .infinity : -.infinity)
        }
        return numerator / variance.squareRoot()
    }

    static func tango(_ table: PairedTable, estimate: Double, z: Double, level: Double) throws(StatisticsError) -> ConfidenceInterval {
        let n = Double(table.tests), b = Double(table.referenceOnly), c = Double(table.testedOnly)
        let edge = 1e-12  // the statistic's variance vanishes at δ₀ = ±1 exactly
        func t(_ d: Double) -> Double { tangoStatistic(b: b, c: c, n: n, delta0: d) }
        // T is decreasing with T(δ̂) = 0: the lower limit solves T = z on [−1, δ̂],
        // the upper limit T = −z on [δ̂, 1].
        let lower: Double
        if estimate <= -1 + edge || t(-1 + edge) - z <= 0 {
            lower = -1
        } else {
            lower = try numerics { () throws(GSLError) in try RootFinder.brent(in: (-1 + edge)...estimate) { t($0) - z } }
        }
        let upper: Double
        if estimate >= 1 - edge || t(1 - edge) + z >= 0 {
            upper = 1
        } else {
            upper = try numerics { () throws(GSLError) in try RootFinder.brent(in: estimate...(1 - edge)) { t($0) + z } }
        }
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }
}
