/// The percentile bootstrap interval (Efron & Tibshirani 1993, §13.3), shared by every
/// bootstrap of the engine (ordinal cumulated net discrimination, wave-to-wave change).
///
/// With B replicates θ*₁ … θ*_B and level 1 − α, the interval is
/// [Q(α/2), Q(1 − α/2)], Q the sample quantile of R's default definition (Hyndman & Fan 1996,
/// type 7): for p, h = (B − 1)·p, Q(p) = θ*₍⌊h⌋₊₁₎ + (h − ⌊h⌋)·(θ*₍⌊h⌋₊₂₎ − θ*₍⌊h⌋₊₁₎) on
/// the sorted replicates — `quantile(x, c(α/2, 1 − α/2))` in R.
public enum Bootstrap {
    public static func percentileInterval(_ replicates: [Double], level: Double) throws(StatisticsError) -> ConfidenceInterval {
        try StatisticsError.checkLevel(level)
        guard !replicates.isEmpty else { throw .undefined("no bootstrap replicate") }
        let sorted = replicates.sorted()
        let alpha = 1 - level
        return ConfidenceInterval(lower: quantile(sorted, alpha / 2), upper: quantile(sorted, 1 - alpha / 2), level: level)
    }

    /// Type-7 quantile of already sorted values.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let low = Int(h.rounded(.down)), high = min(sorted.count - 1, low + 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
