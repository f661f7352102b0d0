import Stats

/// The change in net discrimination of one tested profile between two waves (METHODS.md §3:
/// "a seeded bootstrap interval over tests, and the analytic Wald interval beside it").
///
/// Net discrimination per wave: n = (b − c)/(a + b + c) over the tests where at least one
/// profile got a positive answer, with variance v = (p_b + p_c − (p_b − p_c)²)/(a + b + c).
/// The change n₂ − n₁ has the Wald interval change ± z·√(v₁ + v₂), and a percentile bootstrap
/// (``Bootstrap/percentileInterval(_:level:)``) from `replicates` multinomial resamples of each
/// wave's (a, b, c), drawn with the seeded GSL generator.
public struct NetChange: Sendable {
    public let fromNet: Double
    public let toNet: Double
    public var change: Double { toNet - fromNet }
    public let wald: ConfidenceInterval
    public let bootstrap: ConfidenceInterval
    public let replicates: Int

    public static func between(_ before: PairedTable, _ after: PairedTable, level: Double, replicates: Int = 2000,
                               generator: SeededGenerator) throws(StatisticsError) -> NetChange {
        guard before.testsWithAnyPositive > 0, after.testsWithAnyPositive > 0 else {
            throw .undefined("a wave has no test with a positive answer")
        }
        let (n1, v1) = net(before), (n2, v2) = net(after)
        let z = try Normal.twoSidedCritical(level: level)
        let half = z * (v1 + v2).squareRoot()
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        for _ in 0..<replicates { draws.append(resampledNet(after, generator) - resampledNet(before, generator)) }
        return NetChange(fromNet: n1, toNet: n2, wald: ConfidenceInterval(lower: n2 - n1 - half, upper: n2 - n1 + half, level: level),
                         bootstrap: try Bootstrap.percentileInterval(draws, level: level), replicates: replicates)
    }

    static func net(_ t: PairedTable) -> (Double, Double) {
        let n = Double(t.testsWithAnyPositive), pb = Double(t.referenceOnly) / n, pc = Double(t.testedOnly) / n
        return (pb - pc, (pb + pc - (pb - pc) * (pb - pc)) / n)
    }

    /// One multinomial resample of (b, c, a) among the tests with a positive answer, by
    /// conditional binomials; net discrimination of the resample.
    static func resampledNet(_ t: PairedTable, _ generator: SeededGenerator) -> Double {
        let n = t.testsWithAnyPositive
        let b = generator.binomial(trials: n, probability: Double(t.referenceOnly) / Double(n))
        let rest = n - b
        let cShare = Double(t.testedOnly) / Double(t.both + t.testedOnly)
        let c = (t.both + t.testedOnly) > 0 ? generator.binomial(trials: rest, probability: cShare.isFinite ? cShare : 0) : 0
        return Double(b - c) / Double(n)
    }
}
