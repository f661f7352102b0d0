import Testing
import TestSupport
@testable import Barometer
@testable import Stats
import Values

/// Designs built by hand, with known answers.
@Suite("Analyzer")
struct AnalyzerTests {
    /// Paired tests from a 2×2 table: a tests both positive, b reference only, …
    static func pairs(_ a: Int, _ b: Int, _ c: Int, _ d: Int, slice: String? = nil, tester: String? = nil, organization: String? = nil) -> [Observation] {
        var out: [Observation] = []
        var n = 0
        for (count, rp, tp) in [(a, 1, 1), (b, 1, 0), (c, 0, 1), (d, 0, 0)] {
            for _ in 0..<count {
                n += 1
                let id = "\(slice ?? "")\(organization ?? "")-\(n)"
                let attributes = slice.map { ["city": $0] } ?? [:]
                out.append(Observation(test: id, arm: "R", levelIndex: rp, sendOrder: 1, tester: tester, organization: organization, attributes: attributes))
                out.append(Observation(test: id, arm: "T", levelIndex: tp, sendOrder: 2, tester: tester, organization: organization, attributes: attributes))
            }
        }
        return out
    }

    static func request(slices: [String] = [], scale: [String] = ["negative", "positive"], threshold: Int = 1) -> AnalysisRequest {
        AnalysisRequest(kind: .campaign, id: "test", referenceArm: "R", scale: scale, thresholdIndex: threshold, slices: slices)
    }

    @Test("with one application per arm, the regression reproduces the paired difference")
    func regressionEqualsPairedDifference() throws {
        let findings = try Analyzer.analyze(ApplicationColumns(Self.pairs(59, 6, 16, 80)), Self.request())
        let c = findings.comparisons[0]
        let paired = try #require(c.paired)
        expectClose(c.regression.value?.estimate, paired.difference.estimate.value!, relativeTolerance: 1e-12)
        #expect(paired.table == (try PairedTable(both: 59, referenceOnly: 6, testedOnly: 16, neither: 80)))
        #expect(c.patterns.map { ($0.key.description, $0.value) }.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" } == ["0-0=80", "0-1=16", "1-0=6", "1-1=59"])
    }

    @Test("with two applications per arm: the max rule at test level, every application at application level")
    func maxRule() throws {
        // One test: R answered positive once of twice, T never; another: both positive.
        let observations = [
            Observation(test: "1", arm: "R", replicate: 1, levelIndex: 1), Observation(test: "1", arm: "R", replicate: 2, levelIndex: 0),
            Observation(test: "1", arm: "T", replicate: 1, levelIndex: 0), Observation(test: "1", arm: "T", replicate: 2, levelIndex: 0),
            Observation(test: "2", arm: "R", replicate: 1, levelIndex: 1), Observation(test: "2", arm: "R", replicate: 2, levelIndex: 1),
            Observation(test: "2", arm: "T", replicate: 1, levelIndex: 1), Observation(test: "2", arm: "T", replicate: 2, levelIndex: 0),
        ]
        let c = try Analyzer.analyze(ApplicationColumns(observations), Self.request()).comparisons[0]
        #expect(c.paired?.table == (try PairedTable(both: 1, referenceOnly: 1, testedOnly: 0, neither: 0)))
        #expect(c.patterns == [PositivePattern(reference: 1, tested: 0): 1, PositivePattern(reference: 2, tested: 1): 1])
        #expect(c.applications.reference == 4 && c.positives.reference == 3 && c.positives.tested == 1)
    }

    @Test("targets with a single application are analysed as independent samples; mixed data says which is which")
    func betweenTargets() throws {
        var observations: [Observation] = []
        for i in 0..<40 { observations.append(Observation(test: "r\(i)", arm: "R", levelIndex: i < 16 ? 1 : 0)) }
        for i in 0..<40 { observations.append(Observation(test: "t\(i)", arm: "T", levelIndex: i < 8 ? 1 : 0)) }
        var findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request())
        var c = findings.comparisons[0]
        #expect(c.tests == 0 && c.paired == nil)
        let between = try #require(c.between)
        #expect(between.targets == (40, 40) ? true : false)
        expectClose(between.difference.value, 0.2)
        // R: prop.test(c(16, 8), c(40, 40), correct = FALSE)$p.value
        expectClose(between.chiSquare.value?.pValue, 0.05096193697, relativeTolerance: 1e-6)
        #expect(c.primaryTest.rawValue.contains("between"))
        // Mixed: add paired tests; both analyses are reported with their own counts.
        observations += Self.pairs(5, 10, 2, 23)
        findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request())
        c = findings.comparisons[0]
        #expect(c.tests == 40 && c.between?.targets.reference == 40)
        #expect(c.primaryTest.rawValue.contains("paired"))
    }

    @Test("slices: Holm within the primary comparisons, BH within the exploratory slices, and the discordant split across slices")
    func slices() throws {
        let observations = Self.pairs(10, 30, 5, 55, slice: "Lille") + Self.pairs(10, 12, 10, 68, slice: "Roubaix")
        let findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request(slices: ["city"]))
        #expect(findings.comparisons.map { $0.slice } == [[:], ["city": "Lille"], ["city": "Roubaix"]])
        // Two families (METHODS.md §3): the whole-sample comparison is the only primary one
        // (Holm over a family of one = its own p); the slices are exploratory (BH among them).
        let whole = findings.comparisons[0], slices = Array(findings.comparisons.dropFirst())
        let holmOfOne = try Multiplicity.holm([whole.primaryP!])
        #expect(whole.family == .confirmatory && whole.holm == holmOfOne[0] && whole.benjaminiHochberg == nil)
        #expect(slices.allSatisfy { $0.family == .exploratory && $0.holm == nil })
        #expect(slices.map { $0.benjaminiHochberg! } == (try Multiplicity.benjaminiHochberg(slices.map { $0.primaryP! })))
        let s = try #require(findings.stratified.first)
        // χ² on [[30, 5], [12, 10]] without correction.
        // R: chisq.test(matrix(c(30, 12, 5, 10), 2), correct = FALSE)$statistic
        expectClose(s.discordantHomogeneity.value?.statistic, 6.768089054, relativeTolerance: 1e-6)
        expectClose(s.pooledDiscordantShare.value, 42.0 / 57.0)
    }

    @Test("ordinal outcomes: stage-wise net rates and their cumulated sum with a bootstrap interval")
    func ordinal() throws {
        let scale = ["no_response", "refusal", "information_request", "interview"]
        var observations: [Observation] = []
        // 30 tests: R reaches interview, T refusal; 10 tests: both interview; 60 tests: both no response.
        for i in 0..<100 {
            let (rl, tl) = i < 30 ? (3, 1) : i < 40 ? (3, 3) : (0, 0)
            observations.append(Observation(test: "\(i)", arm: "R", levelIndex: rl))
            observations.append(Observation(test: "\(i)", arm: "T", levelIndex: tl))
        }
        let findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request(scale: scale, threshold: 3))
        let o = try #require(findings.ordinal.first)
        // ≥ refusal: a = 40, b = 0 → 0; ≥ information_request: a = 10, b = 30 → 0.75; ≥ interview: same → 0.75.
        #expect(o.stages.map { $0.net.value } == [0, 0.75, 0.75])
        expectClose(o.cumulatedNet.value, 1.5)
        let interval = try #require(o.cumulatedInterval.value)
        #expect(interval.lower < 1.5 && interval.upper > 1.5 && interval.upper <= 2)
        // Reproducible: same seed, same interval.
        let again = try Analyzer.analyze(ApplicationColumns(observations), Self.request(scale: scale, threshold: 3)).ordinal[0].cumulatedInterval.value
        #expect(again == interval)
    }

    @Test("organizations get mid-p tests and BH q-values; names only when allowed")
    func organizations() throws {
        let observations = Self.pairs(2, 9, 0, 4, organization: "Agence A") + Self.pairs(3, 1, 1, 5, organization: "Agence B")
            + Self.pairs(0, 1, 0, 1, organization: "Agence C")
        var request = Self.request()
        let findings = try Analyzer.analyze(ApplicationColumns(observations), request)
        // C has too few tests; without keyed pseudonyms (no ledger) A and B are numbered in a
        // seeded random order, listed by pseudonym.
        #expect(findings.organizations.count == 2 && findings.organizations.allSatisfy { $0.label.hasPrefix("O-") })
        #expect(findings.organizations.map(\.label) == findings.organizations.map(\.label).sorted())
        // With the ledger's pseudonyms, those are used.
        var keyed = request
        keyed.organizationLabels = ["Agence A": "O-ZZZZZZ", "Agence B": "O-AAAAAA", "Agence C": "O-MMMMMM"]
        #expect(try Analyzer.analyze(ApplicationColumns(observations), keyed).organizations.map(\.label) == ["O-AAAAAA", "O-ZZZZZZ"])
        #expect(findings.organizations.allSatisfy { $0.name == nil })
        let q = try Multiplicity.benjaminiHochberg(findings.organizations.map(\.midP))
        #expect(findings.organizations.map { $0.q! } == q)
        request.organizationsNamed = true
        #expect(Set(try Analyzer.analyze(ApplicationColumns(observations), request).organizations.map(\.name)) == ["Agence A", "Agence B"])
    }

    @Test("numeric measures: the paired difference, its t interval, Wilcoxon and Hodges–Lehmann")
    func measures() throws {
        // In every test the reference answers 20 hours sooner (delays 10+i vs 30+i), except
        // tests 0–4 where only the reference has a delay recorded.
        var observations: [Observation] = []
        for i in 0..<25 {
            observations.append(Observation(test: "\(i)", arm: "R", levelIndex: 1, measures: ["delay_hours": Double(10 + i)]))
            observations.append(Observation(test: "\(i)", arm: "T", levelIndex: 1, measures: i < 5 ? [:] : ["delay_hours": Double(30 + i + i % 3)]))
        }
        let m = try #require(try Analyzer.analyze(ApplicationColumns(observations), Self.request()).comparisons[0].measures.first)
        #expect(m.name == "delay_hours" && m.pairs == 20)
        // d = −20 − (i mod 3): mean and Walsh median follow; every d < 0 so V = 0.
        let d = (5..<25).map { -20.0 - Double($0 % 3) }
        expectClose(m.meanDifference.value, d.reduce(0, +) / 20)
        expectClose(m.hodgesLehmann.value, try PairedMeasures.hodgesLehmann(d))
        #expect(m.wilcoxon.value?.statistic == 0 && (m.wilcoxon.value?.pValue ?? 1) < 0.001)
    }

    @Test("pending answers are counted and left out; a missing reference arm is explained")
    func pendingAndErrors() throws {
        var observations = Self.pairs(1, 2, 3, 4)
        observations.append(Observation(test: "x", arm: "R", levelIndex: nil))
        let findings = try Analyzer.analyze(ApplicationColumns(observations), Self.request())
        #expect(findings.pending == 1 && findings.notes.contains { $0.contains("no answer yet") })
        #expect(throws: StatisticsError.self) {
            try Analyzer.analyze(ApplicationColumns([Observation(test: "1", arm: "X", levelIndex: 1)]), Self.request())
        }
    }

    @Test("the findings are the same whether each test's applications follow each other or are spread through the columns, with or without a pending one")
    func applicationOrder() throws {
        // Three arms, a slice, send order, testers and organizations: every pass of the analysis.
        var grouped: [Observation] = []
        for k in 0..<90 {
            // Every fifth test sends the reference profile twice (the placebo compares its two
            // applications, in their order).
            let arms = [("R", k % 3 != 0)] + (k % 5 == 0 ? [("R", k % 2 == 0)] : []) + [("T", k % 4 == 0), ("U", k % 5 == 1)]
            for (position, (arm, positive)) in arms.enumerated() {
                grouped.append(Observation(test: "t\(k)", arm: arm, levelIndex: positive ? 1 : 0, sendOrder: (position + k) % arms.count + 1,
                                           tester: "tester-\(k % 4)", organization: "o\(k % 4)", attributes: ["city": k % 2 == 0 ? "A" : "B"]))
            }
        }
        // Every test's R application, then every T, then every U: the same tests in the same
        // order, each test's applications in the same order, but not next to each other.
        let spread = ["R", "T", "U"].flatMap { arm in grouped.filter { $0.arm == arm } }
        let request = Self.request(slices: ["city"])
        let expected = try Analyzer.analyze(ApplicationColumns(grouped), request).json.rendered()
        #expect(try Analyzer.analyze(ApplicationColumns(spread), request).json.rendered() == expected)
        // A pending application is left out wherever it is: only the count and its note differ.
        var pending = grouped
        pending.insert(Observation(test: "t7", arm: "T", levelIndex: nil, sendOrder: 4, tester: "tester-3", organization: "o1",
                                   attributes: ["city": "B"]), at: 22)
        let withPending = try Analyzer.analyze(ApplicationColumns(pending), request)
        #expect(withPending.pending == 1)
        let comparisons = { (f: Findings) in f.comparisons.map { $0.json.rendered() } }
        #expect(comparisons(withPending) == comparisons(try Analyzer.analyze(ApplicationColumns(grouped), request)))
    }
}
