import Barometer
import Stats

/// The report as one self-contained HTML file: inline CSS and SVG, nothing fetched.
public enum HTMLRenderer {
    /// The report: « L'essentiel » (one page), then the campaign's page (every primary
    /// sentence, the barometer table, the charts), then — after a page break — the
    /// exploratory results and the methods annex. `summaryOnly`: the first part alone.
    public static func render(_ report: Report, summaryOnly: Bool = false) -> String {
        let t = report.texts, c = report.context, f = report.findings
        let simulated = f.request.simulated
        var body: [String] = []
        let title = (simulated ? "[\(t.simulated)] " : "") + c.title
        var meta: [String] = []
        if let territory = c.territory { meta.append(territory) }
        if let wave = c.wave { meta.append((t.fr ? "vague " : "wave ") + String(wave)) }
        meta.append(c.date)
        body.append(header(title: title, meta: meta, simulated: simulated, texts: t))
        body.append(Essentials.html([EssentialEntry(group: "", report: report)], texts: t, territory: c.territory))
        if !summaryOnly {
            body.append(ReportTemplates.render("campaignPages", [
                "summary": t.summary, "headlines": headlines(report), "barometerTitle": t.barometerTable,
                "table": table(columns: [t.comparison], rows: report.headlines.map { ([c.label($0.tested)], $0) }, texts: t),
                "chartsTitle": t.charts, "forest": Charts.forest(report), "rates": Charts.rates(report),
                "annexes": annexes(report, heading: "h2", idPrefix: ""),
            ]))
        }
        return page(title: title, language: report.language, simulated: simulated, texts: t, body: body)
    }

    static func header(title: String, meta: [String], simulated: Bool, texts t: Texts) -> String {
        // The simulated-data prefix of the title shows on screen; on paper the banner and the
        // margin stamps say it, and the title keeps its line.
        let mark = "[\(t.simulated)] "
        let marked = simulated && title.hasPrefix(mark)
        return ReportTemplates.render("header", [
            "banner": simulated ? t.simulated : false, "mark": marked ? mark : false,
            "title": marked ? String(title.dropFirst(mark.count)) : title, "meta": meta.joined(separator: " · "),
        ])
    }

    /// The criterion, the reference profile and one sentence per primary comparison.
    static func headlines(_ report: Report) -> String {
        let t = report.texts, c = report.context
        return ReportTemplates.render("headlines", [
            "criterion": c.criterion ?? false, "reference": t.reference(c.label(report.findings.request.referenceArm)),
            "headlines": report.headlines.map { ["verdict": $0.verdict.rawValue, "sentence": $0.sentence] },
        ])
    }

    /// The barometer table: leading columns (profile; or domain, criterion, wave, profile), then the figures.
    static func table(columns: [String], rows: [([String], Headline)], texts t: Texts) -> String {
        ReportTemplates.render("table", [
            "label": t.scrollTable, "caption": t.netDefinition,
            "columns": columns + [t.tests, t.ratesColumn, t.netColumn, t.gapColumn, t.adjustedColumn, t.verdictColumn],
            "rows": rows.map { leading, h -> [String: Any] in
                [
                    "verdict": h.verdict.rawValue, "leading": Array(leading.dropLast()), "profile": leading.last ?? "",
                    "tests": t.number(h.tests),
                    "rates": h.referenceRate.map { t.percent($0) }.map { "\($0) / \(h.testedRate.map { t.percent($0) } ?? "—")" } ?? "—",
                    "net": h.net.map { "\(t.percent($0)) [\(t.interval(h.netInterval))]" } ?? "—",
                    "gap": h.relativeGap.map { "\(t.percent($0)) [\(t.interval(h.relativeGapInterval))]" } ?? "—",
                    "adjusted": t.pValue(h.holm), "verdictText": t.verdict(h.verdict),
                ]
            },
        ])
    }

    /// Organizations, data quality and the methods annex of one campaign or study (the
    /// `annexes` template; `h` is the heading level where they sit).
    static func annexes(_ report: Report, heading h: String, idPrefix: String) -> String {
        let t = report.texts, c = report.context
        let organizations = Organizations.rows(report)
        let columns = [t.fr ? "Organisation" : "Organization", t.comparison, t.tests, "mid-p", "q (BH)"]
        return ReportTemplates.render("annexes", [
            "h": h, "prefix": idPrefix,
            "organizations": organizations.isEmpty ? false : [
                "title": t.organizations, "label": t.organizations + ", " + report.findings.request.id, "columns": columns,
                "rows": organizations.map { ["label": $0.label, "tested": c.label($0.tested), "tests": String($0.tests),
                                             "midP": t.pValue($0.midP), "q": t.pValue($0.q)] },
                "policy": Organizations.policy(report),
            ] as Any,
            "reportCard": ReportCardSection.html(report, heading: h, idPrefix: idPrefix),
            "qualityTitle": t.quality, "quality": Quality.notes(report),
            "methodsTitle": t.methods, "methods": Methods.paragraphs(report), "adjusted": Methods.adjustedTable(report),
            "limitsTitle": t.limits, "limits": t.limitsText,
        ])
    }

    /// The HTML document around the sections, from the `page` template (ReportTemplates).
    static func page(title: String, language: Language, simulated: Bool, texts t: Texts, body: [String]) -> String {
        ReportTemplates.render("page", ["lang": language.rawValue, "title": title, "style": style(simulated: simulated, watermark: t.simulated),
                                        "body": body.joined(separator: "\n")])
    }

    static func style(simulated: Bool, watermark: String) -> String {
        var css = """
            :root { color-scheme: light; }
            body { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.45; }
            main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
            h1 { font-size: 1.6rem; color: #0b3d62; margin-bottom: 0.2rem; }
            h2 { font-size: 1.25rem; color: #0b3d62; border-bottom: 2px solid #0b3d62; padding-bottom: 0.2rem; margin-top: 2rem; }
            .meta { color: #444; margin-top: 0; }
            .headlines li { margin: 0.6rem 0; padding: 0.5rem 0.75rem; border-left: 5px solid #666; background: #f4f4f4; }
            .headlines li.against { border-color: #a4161a; }
            .headlines li.favour { border-color: #1b5e20; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.5rem 0; }
            caption { text-align: left; font-size: 0.85rem; color: #333; padding-bottom: 0.4rem; }
            th, td { border: 1px solid #bbb; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
            thead th { background: #e8eef3; }
            tr.against td:last-child { background: #f9d6d5; color: #7a0f12; font-weight: bold; }
            tr.favour td:last-child { background: #d7ecd9; color: #14451a; font-weight: bold; }
            tr.not-detected td:last-child { background: #eeeeee; }
            figure { margin: 1rem 0; }
            figcaption { font-size: 0.9rem; color: #333; }
            .note { font-size: 0.85rem; color: #333; }
            .confidential { border: 2px solid #7a0f12; padding: 0.5rem 0.75rem; }
            blockquote { border-left: 4px solid #888; margin: 0.5rem 0; padding: 0.25rem 0.75rem; background: #f4f4f4; }
            .simulated-banner { background: #7a0f12; color: #fff; font-weight: bold; padding: 0.4rem 0.75rem; text-align: center; }
            .scroll { overflow-x: auto; max-width: 100%; }
            /* SVG charts keep their text ≥ 11 CSS px on a phone: they scroll in their own box. */
            figure.svg-chart { overflow-x: auto; }
            figure.svg-chart svg { min-width: 620px; }
            /* L'essentiel: the barometer chart is HTML, its text real text. */
            .essentiel .lead { font-size: 1.05rem; }
            .bc { margin: 0.6rem 0; }
            .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
            table.bc-table { font-size: 0.86rem; table-layout: fixed; }
            .bc-table caption { font-size: 0.82rem; }
            .bc-table th, .bc-table td { border: 0; border-top: 1px solid #ddd; padding: 0.2rem 0.4rem; vertical-align: middle; }
            .bc-table thead th { background: none; font-size: 0.78rem; vertical-align: bottom; }
            .bc-table thead th:nth-child(1) { width: 36%; } .bc-table thead th:nth-child(2) { width: 21%; }
            .bc-value strong { white-space: nowrap; }
            .bc-table tr.against td:last-child, .bc-table tr.favour td:last-child, .bc-table tr.not-detected td:last-child { background: none; color: inherit; font-weight: normal; }
            .bc-table tbody th { font-weight: 600; }
            .bc-grouprow th { background: #e8eef3; font-weight: 600; font-size: 0.8rem; }
            .bc-axis { position: relative; display: block; height: 1.1rem; font-weight: normal; color: #333; }
            .bc-axis span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
            .bc-axis span:first-child { transform: none; }
            .bc-axis span:last-child { transform: translateX(-100%); }
            .bc-track { position: relative; display: block; height: 14px; background: #f1f3f5; }
            .bc-zero { position: absolute; top: 0; bottom: 0; width: 2px; background: #1a1a1a; }
            .bc-ci { position: absolute; top: 5px; height: 0; border-top: 3px solid #555; }
            .bc-ci.open { border-top-style: dashed; }
            .bc-point { position: absolute; top: 2px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; border: 2px solid #1a1a1a; background: #1a1a1a; }
            .against .bc-ci { border-top-color: #a4161a; } .against .bc-point { border-color: #a4161a; background: #a4161a; }
            .favour .bc-ci { border-top-color: #1b5e20; } .favour .bc-point { border-color: #1b5e20; background: #1b5e20; }
            .bc-point.open, .against .bc-point.open, .favour .bc-point.open { background: #fff; }
            .bc-value { font-size: 0.8rem; }
            .bc-legend { font-size: 0.76rem; color: #333; margin-top: 0.3rem; }
            .essentiel .headlines { padding-left: 0; list-style: none; }
            .essentiel .headlines li { margin: 0.35rem 0; padding: 0.35rem 0.6rem; font-size: 0.92rem; }
            .definitions { border: 1px solid #0b3d62; border-radius: 6px; padding: 0.4rem 0.8rem; margin-top: 0.8rem; font-size: 0.86rem; }
            .definitions h3 { margin: 0.2rem 0 0.3rem; font-size: 1rem; color: #0b3d62; }
            .definitions dl { margin: 0; }
            .definitions dt { font-weight: bold; float: left; clear: left; margin-right: 0.4em; }
            .definitions dd { margin: 0 0 0.15rem; }
            .definitions .help { margin: 0.4rem 0 0.2rem; font-weight: 600; }
            @media (max-width: 40rem) {
              main { padding: 0.8rem; }
              .bc-table, .bc-table tbody, .bc-table tr, .bc-table th, .bc-table td { display: block; width: auto !important; }
              .bc-table thead { display: none; }
              .bc-table caption { display: block; text-align: left; }
              .bc-table tbody th { border-top: 1px solid #ddd; }
              .bc-table td { border-top: 0; }
              .definitions dd { margin-bottom: 0.3rem; }
            }
            @page { size: A4; margin: 14mm 13mm 14mm 13mm; }
            @media print {
              main { max-width: none; padding: 0; }
              body { font-size: 10pt; }
              .essentiel { font-size: 8.5pt; }
              .essentiel h2 { margin-top: 0.4rem; margin-bottom: 0.3rem; }
              .essentiel .lead { font-size: 9.5pt; margin: 0.3rem 0; }
              .bc-table th, .bc-table td { padding: 0.04rem 0.3rem; line-height: 1.2; }
              .bc-track { height: 11px; } .bc-point { top: 1px; width: 9px; height: 9px; } .bc-ci { top: 4px; }
              .bc-grouprow th { font-size: 7.5pt; }
              .bc-legend { margin: 0.15rem 0; }
              .definitions { font-size: 7.5pt; line-height: 1.3; padding: 0.15rem 0.6rem; margin-top: 0.3rem; }
              .definitions h3 { font-size: 9pt; margin: 0.1rem 0; }
              .simulated-banner { padding: 0.2rem; font-size: 9pt; }
              header .meta { margin-bottom: 0.2rem; }
              header h1 { font-size: 1.35rem; margin-top: 0.3rem; }
              .title-mark { display: none; }
              .page { break-before: page; }
              h2, h3, h4 { break-after: avoid; }
              figure, .headlines li, tr, .definitions { break-inside: avoid; }
              table { break-inside: auto; font-size: 8pt; table-layout: fixed; overflow-wrap: anywhere; }
              figure.bc, table.bc-table { break-inside: auto; }
              thead { display: table-header-group; }
              .scroll { overflow: visible; }
              a { color: inherit; text-decoration: none; }
            }
            """
        if simulated {
            // The simulated-data mark: the banner at the top, and on paper a stamp in the top
            // and bottom margins of every page — never over text or charts.
            css += """

                @page { @top-center { content: "\(watermark)"; color: #7a0f12; font-weight: bold; font-size: 9pt; }
                        @bottom-center { content: "\(watermark)"; color: #7a0f12; font-size: 8pt; } }
                """
        }
        return css
    }
}

/// Escapes text for HTML (every text in the report comes through here).
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
