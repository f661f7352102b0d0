/// Confidence-interval methods for the paired ratio φ = p_R / p_T = (a + b)/(a + c).
public enum PairedRatioMethod: String, Sendable, Codable, CaseIterable {
    /// Tang, Tang & Chan asymptotic score interval.
    case tang
    /// Bonett–Price hybrid Wilson score interval (n* = a + b + c).
    case bonettPrice = "bonett-price"
    /// MOVER with Wilson limits for each proportion.
    case moverWilson = "mover-wilson"

    public var name: String {
        switch self {
        case .tang: "Tang asymptotic score"
        case .bonettPrice: "Bonett–Price hybrid Wilson score"
        case .moverWilson: "MOVER-Wilson"
        }
    }

    public var reference: Citation {
        switch self {
        case .tang:
            Citation(authors: "Tang NS, Tang ML, Chan ISF", year: 2003,
                     title: "On tests of equivalence via non-unity relative risk for matched-pair design",
                     source: "Stat Med 22:1217–1233", doi: "10.1002/sim.1213")
        case .bonettPrice:
            Citation(authors: "Bonett DG, Price RM", year: 2006,
                     title: "Confidence intervals for a ratio of binomial proportions based on paired data",
                     source: "Stat Med 25:3039–3047", doi: "10.1002/sim.2440")
        case .moverWilson:
            Citation(authors: "Fagerland MW, Lydersen S, Laake P", year: 2014,
                     title: "Recommended tests and confidence intervals for paired binomial proportions",
                     source: "Stat Med 33:2850–2875", doi: "10.1002/sim.6148")
        }
    }
}

public enum PairedRatio {
    /// φ̂ = (a + b)/(a + c).
    /// - Throws: ``StatisticsError/undefined(_:)`` when the tested arm has no positive
    ///   (the ratio is infinite, or 0/0).
    public static func estimate(_ table: PairedTable) throws(StatisticsError) -> Double {
        guard table.testedPositives > 0 else {
            throw .undefined(table.referencePositives > 0
                ? "the tested arm has no positive answer: the ratio is infinite"
                : "neither arm has a positive answer: the ratio is 0/0")
        }
        return Double(table.referencePositives) / Double(table.testedPositives)
    }

    /// A confidence interval for φ = p_R / p_T.
    ///
    /// With n₁₊ = a+b, n₊₁ = a+c, n* = a+b+c, z = z₁₋α/₂:
    /// ```
    /// Tang:          φ₀ where T(φ₀) = ±z,  T = (n₁₊ − n₊₁φ₀)/√(n(1+φ₀)p̃_c + n*(φ₀ − 1)),
    ///                p̃_c = (−B + √(B² − 4AC))/(2A), A = n(1+φ₀), B = n₊₁φ₀² − (a + b + 2c),
    ///                C = c(1 − φ₀)n*/n
    /// Bonett–Price:  z* = z·A/(B + C), A = √((b+c+2)/((n₁₊+1)(n₊₁+1))),
    ///                B = √((1 − (n₁₊+1)/(n*+2))/(n₁₊+1)), C = √((1 − (n₊₁+1)/(n*+2))/(n₊₁+1));
    ///                (l₁, u₁), (l₂, u₂) Wilson limits with z* of n₁₊/n* and n₊₁/n*; [l₁/u₂, u₁/l₂]
    /// MOVER-Wilson:  Wilson limits (l, u) of p₁ = n₁₊/n and p₂ = n₊₁/n, ρ̂ the φ-coefficient,
    ///                L = (A − p₁p₂ + √((A − p₁p₂)² − l₁(2p₁ − l₁)u₂(2p₂ − u₂)))/(u₂(u₂ − 2p₂)),
    ///                U = (B − p₁p₂ − √((B − p₁p₂)² − u₁(2p₁ − u₁)l₂(2p₂ − l₂)))/(l₂(l₂ − 2p₂)),
    ///                A = ρ̂(p₁ − l₁)(u₂ − p₂), B = ρ̂(u₁ − p₁)(p₂ − l₂)
    /// ```
    ///
    /// - Returns: an interval in [0, ∞]; the upper limit is +∞ when the tested arm has no
    ///   positive answer.
    ///
    /// Notes: MOVER-Wilson treats p₁ and p₂ as perfectly correlated when ρ̂ = 1 and then
    /// degenerates to [1, 1] for tables with b = c = 0; Tang and Bonett–Price do not.
    /// - Throws: ``StatisticsError/undefined(_:)`` when a + b + c = 0 (no positive at all).
    ///
    /// ## References
    /// See ``PairedRatioMethod/reference``.
    public static func interval(
        _ table: PairedTable, level: Double = 0.95, method: PairedRatioMethod
    ) throws(StatisticsError) -> ConfidenceInterval {
        try StatisticsError.checkLevel(level)
        guard table.testsWithAnyPositive > 0 else {
            throw .undefined("neither arm has a positive answer: the ratio is 0/0")
        }
        let z = try Normal.twoSidedCritical(level: level)
        switch method {
        case .tang: return try tang(table, z: z, level: level)
        case .bonettPrice: return bonettPrice(table, z: z, level: level)
        case .moverWilson: return moverWilson(table, z: z, level: level)
        }
    }

    static func tangStatistic(_ t: PairedTable, phi0: Double) -> Double {
        let n11 = Double(t.both), n12 = Double(t.referenceOnly), n21 = Double(t.testedOnly)
        let n = Double(t.tests)
        let A = n * (1 + phi0)
        let B = (n11 + n21) * phi0 * phi0 - (n11 + n12 + 2 * n21)
        let C = n21 * (1 - phi0) * (n11 + n12 + n21) / n
        let p21 = (-B + max(0, B * B - 4 * A * C).squareRoot()) / (2 * A)
        let numerator = (n11 + n12) - (n11 + n21) * phi0
        let variance = n * (1 + phi0) * p21 + (n11 + n12 + n21) * (phi0 - 1)
        guard variance > 0 else {
            return numerator == 0 ? 0 : (numerator > 0 ? .infinity : -.infinity)
        }
        return numerator / variance.squareRoot()
    }

    static func tang(_ table: PairedTable, z: Double, level: Double) throws(StatisticsError) -> ConfidenceInterval {
        let estimate: Double? = table.testedPositives > 0
            ? Double(table.referencePositives) / Double(table.testedPositives) : nil
        // T decreases in φ₀. Lower limit: T = z; upper limit: T = −z; both on (0, ∞).
        let lower: Double
        if estimate == 0 {
            lower = 0
        } else {
            lower = try root(start: estimate ?? 1) { tangStatistic(table, phi0: $0) - z } ?? 0
        }
        let upper: Double
        if estimate == nil {
            upper = .infinity
        } else {
            upper = try root(start: estimate!) { tangStatistic(table, phi0: $0) + z } ?? .infinity
        }
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// The root on (0, ∞) of a decreasing function; `nil` when it lies at 0 or +∞
    /// (the function keeps one sign across the floating-point range).
    static func root(start: Double, _ f: (Double) -> Double) throws(StatisticsError) -> Double? {
        let s = start > 0 && start.isFinite ? start : 1
        let value = f(s)
        if value == 0 { return s }
        let direction: RootFinder.Direction = value < 0 ? .downward : .upward
        guard let bracket = RootFinder.geometricBracket(from: s, direction, f) else { return nil }
        return try numerics { () throws(GSLError) in
            try RootFinder.brent(in: bracket, absoluteTolerance: 0, relativeTolerance: 1e-13, f)
        }
    }

    static func bonettPrice(_ t: PairedTable, z: Double, level: Double) -> ConfidenceInterval {
        let n1p = Double(t.referencePositives), np1 = Double(t.testedPositives)
        let nStar = Double(t.testsWithAnyPositive)
        let b = Double(t.referenceOnly), c = Double(t.testedOnly)
        let A = ((b + c + 2) / ((n1p + 1) * (np1 + 1))).squareRoot()
        let B = ((1 - (n1p + 1) / (nStar + 2)) / (n1p + 1)).squareRoot()
        let C = ((1 - (np1 + 1) / (nStar + 2)) / (np1 + 1)).squareRoot()
        let zStar = A / (B + C) * z
        let w1 = Proportion.wilson(x: n1p, n: nStar, z: zStar, level: level)
        let w2 = Proportion.wilson(x: np1, n: nStar, z: zStar, level: level)
        let upper = w2.lower > 0 ? w1.upper / w2.lower : .infinity
        return ConfidenceInterval(lower: w1.lower / w2.upper, upper: upper, level: level)
    }

    static func moverWilson(_ t: PairedTable, z: Double, level: Double) -> ConfidenceInterval {
        let a = Double(t.both), b = Double(t.referenceOnly), c = Double(t.testedOnly), d = Double(t.neither)
        let n = a + b + c + d
        let p1 = (a + b) / n, p2 = (a + c) / n
        let w1 = Proportion.wilson(x: a + b, n: n, z: z, level: level)
        let w2 = Proportion.wilson(x: a + c, n: n, z: z, level: level)
        let (l1, u1, l2, u2) = (w1.lower, w1.upper, w2.lower, w2.upper)
        // The plain φ-coefficient (no continuity adjustment), 0 when a margin is empty.
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        let rho = margins > 0 ? (a * d - b * c) / margins.squareRoot() : 0
        let A = rho * (p1 - l1) * (u2 - p2)
        let B = rho * (u1 - p1) * (p2 - l2)
        let lowerRaw = (A - p1 * p2 + rootOfDiscriminant((A - p1 * p2) * (A - p1 * p2) - l1 * (2 * p1 - l1) * u2 * (2 * p2 - u2)))
            / (u2 * (u2 - 2 * p2))
        let upperRaw = (B - p1 * p2 - rootOfDiscriminant((B - p1 * p2) * (B - p1 * p2) - u1 * (2 * p1 - u1) * l2 * (2 * p2 - l2)))
            / (l2 * (l2 - 2 * p2))
        var lower = lowerRaw.isNaN ? 0 : max(0, lowerRaw)
        var upper = (upperRaw.isNaN || upperRaw < 0) ? .infinity : upperRaw
        // With b = c = 0 and ρ̂ = 1 the method degenerates to [1, 1]; rounding can then
        // cross the limits by an ulp or two.
        if lower > upper { swap(&lower, &upper) }
        return ConfidenceInterval(lower: lower, upper: upper, level: level,
                                  clipped: lower != lowerRaw || upper != upperRaw && !(upperRaw.isInfinite && upper.isInfinite))
    }

    /// √D for the MOVER quadratics. D is exactly 0 in symmetric tables (ρ̂ = 1, p₁ = p₂),
    /// where rounding can leave it at −1e-17: such round-off is taken as 0. A clearly
    /// negative D has no real root (the limit is unbounded) and gives NaN.
    static func rootOfDiscriminant(_ d: Double) -> Double {
        d >= -1e-12 ? max(0, d).squareRoot() : .nan
    }
}
