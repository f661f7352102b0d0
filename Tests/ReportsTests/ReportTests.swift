import Testing
import TestSupport
@testable import Barometer
@testable import Reports
@testable import Stats
import Values

/// Reports for a fixture campaign built from known tables.
@Suite("Reports")
struct ReportTests {
    /// R vs T1: a clear gap (60 tests: 40 R only, 5 T only); R vs T2: nothing detectable.
    static func findings(simulated: Bool = false, named: Bool = false) throws -> Findings {
        var observations: [Observation] = []
        func add(_ tested: String, _ cells: [(Int, Int, Int)], organization: (Int) -> String) {
            var n = 0
            for (count, r, t) in cells {
                for _ in 0..<count {
                    n += 1
                    observations.append(Observation(test: "\(tested)-\(n)", arm: "R", levelIndex: r, organization: organization(n)))
                    observations.append(Observation(test: "\(tested)-\(n)", arm: tested, levelIndex: t, organization: organization(n)))
                }
            }
        }
        add("T1", [(10, 1, 1), (40, 1, 0), (5, 0, 1), (25, 0, 0)]) { "Agence \($0 % 4)" }
        add("T2", [(10, 1, 1), (6, 1, 0), (5, 0, 1), (59, 0, 0)]) { "Agence \($0 % 4)" }
        return try Analyzer.analyze(ApplicationColumns(observations), AnalysisRequest(kind: .campaign, id: "fixture", referenceArm: "R", scale: ["negative", "positive"],
                                                                  thresholdIndex: 1, organizationsNamed: named, simulated: simulated))
    }

    static func context(named: Bool = false) -> ReportContext {
        ReportContext(title: "Baromètre test", territory: "Ville fictive", domain: "housing", criterion: "Origine signalée par le nom.",
                      armLabels: ["R": "Nom d'origine hexagonale", "T1": "Nom d'origine maghrébine", "T2": "Nom d'origine asiatique"],
                      wave: 1, organizationsNamed: named, namingMaxQ: 0.05, namingMinTests: 20, minimumCellSize: 5, date: "2026-11-22")
    }

    @Test("every number in the headlines equals the findings")
    func numbers() throws {
        let findings = try Self.findings()
        let report = Report(findings: findings, context: Self.context(), language: .fr)
        for h in report.headlines {
            let c = try #require(findings.comparisons.first { $0.tested == h.tested && $0.slice.isEmpty })
            let p = try #require(c.paired)
            // The gap is 1 − p_T/p_R, its interval the Tang ratio interval transformed.
            expectClose(h.relativeGap, 1 - p.testedRate.estimate.value! / p.referenceRate.estimate.value!)
            let tang = try #require(p.ratio.interval(.tang)?.value)
            expectClose(h.relativeGapInterval?.lower, 1 - 1 / tang.lower)
            expectClose(h.relativeGapInterval?.upper, 1 - 1 / tang.upper)
            expectClose(h.net, p.net.estimate.value!)
            #expect(h.holm == c.holm && h.tests == c.tests)
            // The sentence prints those numbers, rounded.
            #expect(h.sentence.contains(report.texts.percent(abs(h.relativeGap!))))
            #expect(h.sentence.contains(report.texts.interval(h.relativeGapInterval)) || h.verdict == .favour)
        }
        let html = HTMLRenderer.render(report)
        for h in report.headlines { #expect(html.contains(escape(h.sentence))) }
    }

    @Test("a clear gap reads as fewer positive answers; no significant gap reads as 'no difference detected', never 'no discrimination'")
    func wording() throws {
        let findings = try Self.findings()
        let fr = Report(findings: findings, context: Self.context(), language: .fr)
        #expect(fr.headlines[0].verdict == .against)
        #expect(fr.headlines[0].sentence.hasPrefix("À candidature équivalente, les candidatures « Nom d'origine maghrébine » ont reçu "))
        #expect(fr.headlines[0].sentence.contains("de réponses positives de moins que les candidatures « Nom d'origine hexagonale » (IC 95\u{00A0}% : "))
        #expect(fr.headlines[1].verdict == .notDetected)
        #expect(fr.headlines[1].sentence.contains("aucune différence n'a été détectée avec 80 tests"))
        #expect(fr.headlines[1].sentence.contains("Cela ne prouve pas l'absence de discrimination."))
        let en = Report(findings: findings, context: Self.context(), language: .en)
        #expect(en.headlines[1].sentence.contains("no difference was detected with 80 tests"))
        // "No discrimination" is only ever written to say it is NOT what a result shows.
        for report in [fr, en] {
            let text = HTMLRenderer.render(report) + MarkdownRenderer.render(report)
            #expect(text.components(separatedBy: "no discrimination").count == text.components(separatedBy: "that there is no discrimination").count)
            let markdown = MarkdownRenderer.render(report)  // unescaped apostrophes
            #expect(markdown.components(separatedBy: "absence de discrimination").count
                    == markdown.components(separatedBy: "ne prouve pas l'absence de discrimination").count
                    + markdown.components(separatedBy: "preuve d'absence de discrimination").count - 1)
            #expect(!text.contains("pas de discrimination"))
        }
    }

    @Test("organizations: the public report shows only named organizations that meet the bar; the staff report every pseudonym")
    func organizations() throws {
        let staff = { (named: Bool) -> ReportContext in var c = Self.context(named: named); c.audience = .staff; return c }
        let pseudonymous = Report(findings: try Self.findings(), context: Self.context(), language: .fr)
        let pseudonymousStaff = Report(findings: try Self.findings(), context: staff(false), language: .fr)
        // Public, pseudonymous policy: no organization row at all, no name, no pseudonym.
        let publicText = HTMLRenderer.render(pseudonymous) + MarkdownRenderer.render(pseudonymous) + JSONReportRenderer.render(pseudonymous)
        #expect(!publicText.contains("Agence"), "an organization's name leaked")
        #expect(!publicText.contains("O-0"), "a pseudonymous organization row is in the public report")
        #expect(Organizations.rows(pseudonymous).isEmpty && pseudonymous.findings.organizations.isEmpty)
        // Staff: every organization with enough tests, under its pseudonym, never its name.
        let staffText = HTMLRenderer.render(pseudonymousStaff) + MarkdownRenderer.render(pseudonymousStaff) + JSONReportRenderer.render(pseudonymousStaff)
        #expect(!staffText.contains("Agence"))
        #expect(staffText.contains("O-0") && !Organizations.rows(pseudonymousStaff).isEmpty)
        #expect(staffText.contains("ne pas diffuser"))
        // Named policy: only organizations with q ≤ 0.05 and ≥ 20 tests get their name; the
        // public report has only those, the staff report the others too, pseudonymous.
        let namedPublic = Report(findings: try Self.findings(named: true), context: Self.context(named: true), language: .fr)
        let namedStaff = Report(findings: try Self.findings(named: true), context: staff(true), language: .fr)
        let publicRows = Organizations.rows(namedPublic), staffRows = Organizations.rows(namedStaff)
        #expect(!publicRows.isEmpty && publicRows.allSatisfy { $0.label.hasPrefix("Agence") })
        #expect(staffRows.contains { $0.label.hasPrefix("Agence") } && staffRows.contains { $0.label.hasPrefix("O-") })
        for row in staffRows {
            let finding = namedStaff.findings.organizations.first { $0.tested == row.tested && ($0.label == row.label || $0.name == row.label) }!
            let allowed = (finding.q ?? 1) <= 0.05 && finding.tests >= 20
            #expect(row.label == (allowed ? finding.name! : finding.label))
            #expect(publicRows.contains { $0.label == row.label && $0.tested == row.tested } == allowed)
        }
        let namedPublicJSON = JSONReportRenderer.render(namedPublic)
        for row in staffRows where row.label.hasPrefix("O-") { #expect(!namedPublicJSON.contains(row.label)) }
    }

    @Test("a report says which campaign texts it shows untranslated")
    func untranslated() throws {
        var context = Self.context()
        context.untranslated = ["title", "arms"]
        let report = Report(findings: try Self.findings(), context: context, language: .en)
        let text = MarkdownRenderer.render(report)
        #expect(text.contains("Not translated: the title, the profiles' labels"))
        #expect(!MarkdownRenderer.render(Report(findings: try Self.findings(), context: Self.context(), language: .en)).contains("Not translated"))
    }

    @Test("simulated data is watermarked in the title, on every page and in every format")
    func watermark() throws {
        let report = Report(findings: try Self.findings(simulated: true), context: Self.context(), language: .fr)
        let html = HTMLRenderer.render(report)
        #expect(html.contains("<title>[SIMULATION — données fictives] Baromètre test</title>"))
        // On paper: a stamp in the top and bottom margins of every page (never over the text).
        #expect(html.contains("@top-center { content: \"SIMULATION — données fictives\""))
        #expect(html.contains("@bottom-center { content: \"SIMULATION — données fictives\""))
        #expect(!html.contains("position: fixed"))
        #expect(MarkdownRenderer.render(report).hasPrefix("# [SIMULATION — données fictives] Baromètre test"))
        #expect(JSONReportRenderer.render(report).contains("\"simulated\": true"))
        let real = HTMLRenderer.render(Report(findings: try Self.findings(), context: Self.context(), language: .fr))
        #expect(!real.contains("SIMULATION"))
    }

    @Test("the HTML is self-contained and accessible")
    func accessibility() throws {
        let html = HTMLRenderer.render(Report(findings: try Self.findings(), context: Self.context(), language: .en))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
        #expect(!html.contains("https://") && !html.contains("<script") && !html.contains("<link"))
        #expect(html.contains("role=\"img\" aria-labelledby=\"forest-title forest-desc\"") && html.contains("<desc id=\"forest-desc\">"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<th scope=\"col\">"))
    }

    @Test("numbers are written the French way in French")
    func frenchNumbers() {
        let t = Texts(.fr)
        #expect(t.percent(0.256) == "26\u{00A0}%")
        #expect(t.percent(-0.01) == "−1\u{00A0}%")
        #expect(t.pValue(0.0472) == "0,047")
        #expect(t.number(12345) == "12\u{202F}345")
        #expect(Texts(.en).percent(0.256) == "26%")
    }
}
