/// Intervals for the conditional odds ratio θ = b/c, obtained by transforming an interval
/// for the discordant split μ = b/(b + c) through θ = μ/(1 − μ).
public enum ConditionalOddsRatioMethod: String, Sendable, Codable, CaseIterable {
    /// Transformed Clopper–Pearson exact interval (agrees with the exact McNemar test).
    case clopperPearson = "clopper-pearson"
    /// Transformed Clopper–Pearson mid-p interval (agrees with the mid-p McNemar test).
    case midP = "mid-p"
    /// Transformed Wilson score interval.
    case wilson

    public var name: String {
        switch self {
        case .clopperPearson: "transformed Clopper–Pearson exact"
        case .midP: "transformed Clopper–Pearson mid-p"
        case .wilson: "transformed Wilson score"
        }
    }

    var proportionMethod: ProportionIntervalMethod {
        switch self {
        case .clopperPearson: .clopperPearson
        case .midP: .midP
        case .wilson: .wilson
        }
    }

    public var reference: Citation {
        Citation(authors: "Fagerland MW, Lydersen S, Laake P", year: 2014,
                 title: "Recommended tests and confidence intervals for paired binomial proportions",
                 source: "Stat Med 33:2850–2875", doi: "10.1002/sim.6148")
    }
}

public enum ConditionalOddsRatio {
    /// θ̂ = b/c.
    /// - Throws: ``StatisticsError/undefined(_:)`` when c = 0.
    public static func estimate(_ table: PairedTable) throws(StatisticsError) -> Double {
        guard table.testedOnly > 0 else {
            throw .undefined(table.referenceOnly > 0
                ? "no test favoured the tested arm (c = 0): the odds ratio is infinite"
                : "no discordant test (b = c = 0): the odds ratio is 0/0")
        }
        return Double(table.referenceOnly) / Double(table.testedOnly)
    }

    /// A confidence interval for θ = b/c:
    /// ```
    /// (L_μ, U_μ) = interval for μ = b/(b + c) by the chosen one-proportion method
    /// θ ∈ [L_μ/(1 − L_μ), U_μ/(1 − U_μ)]            (U_μ = 1 gives +∞)
    /// ```
    /// - Throws: ``StatisticsError/undefined(_:)`` when b + c = 0.
    ///
    /// ## References
    /// Fagerland MW, Lydersen S, Laake P (2014). Stat Med 33:2850–2875. doi:10.1002/sim.6148
    public static func interval(
        _ table: PairedTable, level: Double = 0.95, method: ConditionalOddsRatioMethod
    ) throws(StatisticsError) -> ConfidenceInterval {
        let mu = try DiscordantShare.interval(table, level: level, method: method.proportionMethod)
        func odds(_ p: Double) -> Double { p >= 1 ? .infinity : p / (1 - p) }
        return ConfidenceInterval(lower: odds(mu.lower), upper: odds(mu.upper), level: level)
    }
}

/// The discordant share μ = b/(b + c) (TEPP `callback` "ecs"): the share of the tests
/// that favoured one arm which favoured the reference arm; ½ means no discrimination.
public enum DiscordantShare {
    /// μ̂ = b/(b + c).
    /// - Throws: ``StatisticsError/undefined(_:)`` when b + c = 0.
    public static func estimate(_ table: PairedTable) throws(StatisticsError) -> Double {
        guard table.discordant > 0 else { throw .undefined("no discordant test (b + c = 0)") }
        return Double(table.referenceOnly) / Double(table.discordant)
    }

    /// A one-proportion interval for μ from b of b + c (Clopper–Pearson pairs with the
    /// exact McNemar test, mid-p with the mid-p test).
    public static func interval(
        _ table: PairedTable, level: Double = 0.95, method: ProportionIntervalMethod
    ) throws(StatisticsError) -> ConfidenceInterval {
        guard table.discordant > 0 else { throw .undefined("no discordant test (b + c = 0)") }
        return try Proportion.interval(positives: table.referenceOnly, trials: table.discordant, level: level, method: method)
    }
}
