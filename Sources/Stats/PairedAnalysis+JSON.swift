import Values

// The JSON layout of a paired analysis (issue 2, `barometre stats paired --format json`):
// keys in a fixed order; intervals as [lower, upper]; undefined values as null with the
// reason under "notes"; infinite limits (a ratio's upper limit) as null, also explained.

extension ConfidenceInterval {
    var json: JSONValue { .array([.number(lower), .number(upper)]) }
}

extension Defined where Value == Double {
    var json: JSONValue { value.map(JSONValue.number) ?? .null }
}

extension Indicator {
    /// `{"estimate": x, "denominator": ..., "intervals": {...}, "notes": {...}}`.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("estimate", estimate.json)]
        if let denominator {
            pairs.append(("denominator", .string(denominator.name)))
            pairs.append(("denominatorCount", .int(denominator.count)))
        }
        var intervalPairs: [(String, JSONValue)] = []
        var notes: [(String, JSONValue)] = []
        if let reason = estimate.undefinedReason { notes.append(("estimate", .string(reason))) }
        for item in intervals {
            switch item.interval {
            case let .value(interval):
                intervalPairs.append((item.method.rawValue, interval.json))
                if interval.upper == .infinity {
                    notes.append((item.method.rawValue, .string("the upper limit is +∞ (written as null)")))
                } else if interval.clipped {
                    notes.append((item.method.rawValue, .string("the raw limits fell outside the parameter range and were clipped")))
                }
            case let .undefined(reason):
                intervalPairs.append((item.method.rawValue, .null))
                notes.append((item.method.rawValue, .string(reason)))
            }
        }
        pairs.append(("intervals", .object(intervalPairs)))
        if !notes.isEmpty { pairs.append(("notes", .object(notes))) }
        return .object(pairs)
    }
}

extension HypothesisTest {
    var json: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if degreesOfFreedom != nil || statistic != nil {
            pairs.append(("statistic", statistic.map(JSONValue.number) ?? .null))
        }
        pairs.append(("p", .number(pValue)))
        if let degreesOfFreedom { pairs.append(("df", .number(degreesOfFreedom))) }
        pairs.append(("method", .string(method)))
        return .object(pairs)
    }
}

extension PairedAnalysis {
    /// The documented JSON form (see README, "barometre stats paired").
    public var json: JSONValue {
        let t = table
        var significancePairs: [(String, JSONValue)] = McNemarMethod.allCases.map { ($0.rawValue, significance[$0]!.json) }
        significancePairs.append(("default", .string(McNemarMethod.midP.rawValue)))
        return .object([
            ("level", .number(level)),
            ("table", .object([
                ("both", .int(t.both)), ("referenceOnly", .int(t.referenceOnly)),
                ("testedOnly", .int(t.testedOnly)), ("neither", .int(t.neither)), ("tests", .int(t.tests)),
            ])),
            ("rates", .object([("reference", referenceRate.json), ("tested", testedRate.json)])),
            ("difference", difference.json),
            ("ratio", ratio.json),
            ("oddsRatio", oddsRatio.json),
            ("net", net.json),
            ("discordant", discordant.json),
            ("gross", .object([("referenceFavoured", grossReferenceFavoured.json),
                               ("testedFavoured", grossTestedFavoured.json)])),
            ("significance", .object(significancePairs)),
            ("methods", Self.methodsJSON),
        ])
    }

    /// Every method's name and paper, keyed as in the intervals.
    static var methodsJSON: JSONValue {
        func entries<M: RawRepresentable>(_ cases: [M], _ name: (M) -> String, _ ref: (M) -> Citation) -> JSONValue
        where M.RawValue == String {
            .object(cases.map { ($0.rawValue, .string("\(name($0)) — \(ref($0))")) })
        }
        return .object([
            ("rates", entries(rateMethods + [.midP], \.name, \.reference)),
            ("difference", entries(PairedDifferenceMethod.allCases, \.name, \.reference)),
            ("ratio", entries(PairedRatioMethod.allCases, \.name, \.reference)),
            ("oddsRatio", entries(ConditionalOddsRatioMethod.allCases, \.name, \.reference)),
            ("significance", entries(McNemarMethod.allCases, \.name, \.reference)),
        ])
    }
}
