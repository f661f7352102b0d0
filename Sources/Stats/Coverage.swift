/// The observed coverage of interval methods by simulation (METHODS.md §5; issue [simulate]).
///
/// A paired design is stated as a true multinomial over the four cells
/// (p₁₁ both positive, p₁₀ reference only, p₀₁ tested only, p₀₀ neither). Each simulation
/// draws n tests from it with the seeded GSL generator, computes every interval, and checks
/// whether it holds the true value:
/// ```
/// difference δ = p₁₀ − p₀₁        ratio φ = (p₁₁ + p₁₀)/(p₁₁ + p₀₁)
/// conditional odds ratio θ = p₁₀/p₀₁          rate p_R = p₁₁ + p₁₀
/// ```
/// Tables recur (especially for small n): each distinct table is computed once.
public enum Coverage {
    public struct Design: Sendable, Equatable {
        public let tests: Int
        public let p11: Double, p10: Double, p01: Double
        public var p00: Double { 1 - p11 - p10 - p01 }

        /// A design from the reference rate p_R, the tested rate p_T and the share of the
        /// tested arm's positives that are discordant: p₀₁ = discordance·p_T.
        public init(tests: Int, referenceRate pR: Double, testedRate pT: Double, discordance: Double) throws(StatisticsError) {
            guard tests >= 1 else { throw .invalidArgument("tests must be at least 1") }
            let p01 = discordance * pT, p11 = pT - p01, p10 = pR - p11
            guard p10 >= 0, p01 >= 0, p11 >= 0, p11 + p10 + p01 <= 1 + 1e-12 else {
                throw .invalidArgument("these rates and discordance give no valid table (p11 = \(p11), p10 = \(p10), p01 = \(p01))")
            }
            self.tests = tests
            self.p11 = p11; self.p10 = p10; self.p01 = p01
        }
    }

    /// Coverage of one interval method, with its simulation standard error.
    public struct Result: Sendable, Equatable {
        public let family: String
        public let method: String
        public let coverage: Double
        public let standardError: Double
        /// Simulations in which the interval was defined (the rest cannot cover anything).
        public let defined: Int
    }

    public static func run(_ design: Design, simulations: Int, level: Double = 0.95, seed: UInt64) throws(StatisticsError) -> [Result] {
        try StatisticsError.checkLevel(level)
        guard simulations >= 1 else { throw .invalidArgument("simulations must be at least 1") }
        let truth = (difference: design.p10 - design.p01, ratio: (design.p11 + design.p10) / (design.p11 + design.p01),
                     oddsRatio: design.p01 > 0 ? design.p10 / design.p01 : Double.infinity, rate: design.p11 + design.p10)
        struct Key: Hashable { let a: Int, b: Int, c: Int }
        var cache: [Key: [Bool?]] = [:]
        let methods: [(String, String)] = PairedDifferenceMethod.allCases.map { ("difference", $0.rawValue) }
            + PairedRatioMethod.allCases.map { ("ratio", $0.rawValue) }
            + ConditionalOddsRatioMethod.allCases.map { ("oddsRatio", $0.rawValue) }
            + [("rate", ProportionIntervalMethod.wilson.rawValue), ("rate", ProportionIntervalMethod.clopperPearson.rawValue)]
        var hits = [Int](repeating: 0, count: methods.count), defined = [Int](repeating: 0, count: methods.count)
        let generator = SeededGenerator(seed: seed)
        for _ in 0..<simulations {
            // Multinomial(n; p11, p10, p01, p00) by conditional binomials.
            let n = design.tests
            let a = generator.binomial(trials: n, probability: design.p11)
            var rest = 1 - design.p11
            let b = rest > 0 ? generator.binomial(trials: n - a, probability: min(1, design.p10 / rest)) : 0
            rest -= design.p10
            let c = rest > 0 ? generator.binomial(trials: n - a - b, probability: min(1, design.p01 / rest)) : 0
            let key = Key(a: a, b: b, c: c)
            let covered: [Bool?]
            if let known = cache[key] { covered = known } else {
                let table = try PairedTable(both: a, referenceOnly: b, testedOnly: c, neither: n - a - b - c)
                var row: [Bool?] = []
                func check(_ interval: () throws(StatisticsError) -> ConfidenceInterval, _ value: Double) throws(StatisticsError) {
                    do { row.append(try interval().contains(value)) } catch {
                        guard case .undefined = error else { throw error }
                        row.append(nil)
                    }
                }
                for m in PairedDifferenceMethod.allCases { try check({ () throws(StatisticsError) in try PairedDifference.interval(table, level: level, method: m) }, truth.difference) }
                for m in PairedRatioMethod.allCases { try check({ () throws(StatisticsError) in try PairedRatio.interval(table, level: level, method: m) }, truth.ratio) }
                for m in ConditionalOddsRatioMethod.allCases { try check({ () throws(StatisticsError) in try ConditionalOddsRatio.interval(table, level: level, method: m) }, truth.oddsRatio) }
                for m in [ProportionIntervalMethod.wilson, .clopperPearson] {
                    try check({ () throws(StatisticsError) in try Proportion.interval(positives: a + b, trials: n, level: level, method: m) }, truth.rate)
                }
                cache[key] = row
                covered = row
            }
            for (i, value) in covered.enumerated() {
                guard let value else { continue }
                defined[i] += 1
                if value { hits[i] += 1 }
            }
        }
        return methods.enumerated().map { i, m in
            let p = defined[i] > 0 ? Double(hits[i]) / Double(defined[i]) : .nan
            return Result(family: m.0, method: m.1, coverage: p,
                          standardError: defined[i] > 0 ? (p * (1 - p) / Double(defined[i])).squareRoot() : .nan, defined: defined[i])
        }
    }
}
