import Barometer
import Stats

/// One campaign or study inside a barometer, with where it sits.
public struct BarometerEntry: Sendable {
    public let domain: String
    public let criterion: String
    public let wave: Int
    public let report: Report

    public init(domain: String, criterion: String, wave: Int, report: Report) {
        self.domain = domain
        self.criterion = criterion
        self.wave = wave
        self.report = report
    }
}

/// The change in net discrimination of one tested profile between two waves of the same
/// domain and criterion (METHODS.md §3): a Wald interval and a seeded bootstrap beside it.
public struct WaveChange: Sendable {
    public let domain: String
    public let criterion: String
    public let tested: String
    public let label: String
    public let fromWave: Int, toWave: Int
    public let fromNet: Double, toNet: Double
    public var change: Double { toNet - fromNet }
    /// change ± z·√(v₁ + v₂), v = (p_b + p_c − (p_b − p_c)²)/(a + b + c) per wave.
    public let wald: ConfidenceInterval
    /// Percentile bootstrap: each wave's (a, b, c) resampled multinomially, 2,000 times.
    public let bootstrap: ConfidenceInterval
}

/// A territory's barometer: several campaigns and studies reported together.
public struct BarometerReport: Sendable {
    public let title: String
    public let territory: String
    public let date: String
    public let language: Language
    public let entries: [BarometerEntry]
    public let changes: [WaveChange]
    public let texts: Texts

    public init(title: String, territory: String, date: String, language: Language, entries: [BarometerEntry], seed: UInt64 = 1) throws(StatisticsError) {
        self.title = title
        self.territory = territory
        self.date = date
        self.language = language
        self.entries = entries.sorted { ($0.domain, $0.criterion, $0.wave) < ($1.domain, $1.criterion, $1.wave) }
        self.texts = Texts(language)
        self.changes = try Self.changes(self.entries, seed: seed)
    }

    public var simulated: Bool { entries.contains { $0.report.findings.request.simulated } }

    static func changes(_ entries: [BarometerEntry], seed: UInt64) throws(StatisticsError) -> [WaveChange] {
        var result: [WaveChange] = []
        let generator = SeededGenerator(seed: seed)
        for i in entries.indices {
            // The next wave of the same domain and criterion, with the same reference arm.
            guard let j = entries.indices.first(where: { $0 > i && entries[$0].domain == entries[i].domain
                && entries[$0].criterion == entries[i].criterion && entries[$0].wave > entries[i].wave
                && entries[$0].report.findings.request.referenceArm == entries[i].report.findings.request.referenceArm }) else { continue }
            let before = entries[i].report.findings.comparisons.filter { $0.family == .confirmatory }
            let after = entries[j].report.findings.comparisons.filter { $0.family == .confirmatory }
            for c1 in before {
                guard let t1 = c1.paired?.table, let c2 = after.first(where: { $0.tested == c1.tested }), let t2 = c2.paired?.table,
                      t1.testsWithAnyPositive > 0, t2.testsWithAnyPositive > 0 else { continue }
                let level = entries[j].report.findings.request.level
                let change = try NetChange.between(t1, t2, level: level, generator: generator)
                result.append(WaveChange(
                    domain: entries[i].domain, criterion: entries[i].criterion, tested: c1.tested,
                    label: entries[j].report.context.label(c1.tested), fromWave: entries[i].wave, toWave: entries[j].wave,
                    fromNet: change.fromNet, toNet: change.toNet, wald: change.wald, bootstrap: change.bootstrap))
            }
        }
        return result
    }
}
