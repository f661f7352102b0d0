/// Adjusted p-values for a family of tests (every comparison × slice of one report).
public enum Multiplicity {
    /// Holm's step-down adjustment, controlling the family-wise error rate
    /// (R: `p.adjust(p, "holm")`):
    /// ```
    /// p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)      (p₍₁₎ ≤ … ≤ p₍ₘ₎)
    /// ```
    /// - Returns: adjusted p-values in the input order.
    /// - Throws: ``StatisticsError/probabilityOutOfRange(name:value:)`` for a p outside [0, 1].
    ///
    /// ## References
    /// Holm S (1979). A simple sequentially rejective multiple test procedure.
    /// Scand J Stat 6:65–70.
    public static func holm(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
        try validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg step-up adjustment, controlling the false discovery rate
    /// (R: `p.adjust(p, "BH")`):
    /// ```
    /// q₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎/j)
    /// ```
    /// - Returns: q-values in the input order.
    ///
    /// ## References
    /// Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a practical and
    /// powerful approach to multiple testing. JRSS-B 57:289–300.
    /// doi:10.1111/j.2517-6161.1995.tb02031.x
    public static func benjaminiHochberg(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
        try validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] > pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 1.0
        for (position, index) in order.enumerated() {
            let rank = m - position  // 1-based rank in increasing order
            running = min(running, Double(m) * pValues[index] / Double(rank))
            adjusted[index] = min(1, running)
        }
        return adjusted
    }

    private static func validate(_ pValues: [Double]) throws(StatisticsError) {
        for (index, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw .probabilityOutOfRange(name: "p-value #\(index + 1)", value: p)
        }
    }
}
