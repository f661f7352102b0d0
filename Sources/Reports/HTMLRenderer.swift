import Barometer
import Stats

/// The report as one self-contained HTML file: inline CSS and SVG, nothing fetched.
public enum HTMLRenderer {
    public static func render(_ report: Report) -> String {
        let t = report.texts, c = report.context, f = report.findings
        let simulated = f.request.simulated
        var body: [String] = []
        let title = (simulated ? "[\(t.simulated)] " : "") + c.title
        var meta: [String] = []
        if let territory = c.territory { meta.append(territory) }
        if let wave = c.wave { meta.append((t.fr ? "vague " : "wave ") + String(wave)) }
        meta.append(c.date)
        body.append(header(title: title, meta: meta, simulated: simulated, texts: t))
        body.append("<section aria-labelledby=\"summary\"><h2 id=\"summary\">\(escape(t.summary))</h2>")
        body.append(headlines(report))
        body.append("</section>")
        body.append("<section aria-labelledby=\"barometer\"><h2 id=\"barometer\">\(escape(t.barometerTable))</h2>")
        body.append(table(columns: [t.comparison], rows: report.headlines.map { ([c.label($0.tested)], $0) }, texts: t))
        body.append("</section>")
        body.append("<section aria-labelledby=\"charts\"><h2 id=\"charts\">\(escape(t.charts))</h2>")
        body.append(Charts.forest(report))
        body.append(Charts.rates(report))
        body.append("</section>")
        body.append(annexes(report, heading: "h2", idPrefix: ""))
        return page(title: title, language: report.language, simulated: simulated, texts: t, body: body)
    }

    static func header(title: String, meta: [String], simulated: Bool, texts t: Texts) -> String {
        var out = ["<header>"]
        if simulated { out.append("<p class=\"simulated-banner\" role=\"note\">\(escape(t.simulated))</p>") }
        out.append("<h1>\(escape(title))</h1>")
        out.append("<p class=\"meta\">\(escape(meta.joined(separator: " · ")))</p>")
        out.append("</header>")
        return out.joined(separator: "\n")
    }

    /// The criterion, the reference profile and one sentence per tested profile.
    static func headlines(_ report: Report) -> String {
        let t = report.texts, c = report.context
        var out: [String] = []
        if let criterion = c.criterion { out.append("<p class=\"criterion\">\(escape(criterion))</p>") }
        out.append("<p>\(escape(t.reference(c.label(report.findings.request.referenceArm))))</p>")
        out.append("<ul class=\"headlines\">")
        for h in report.headlines { out.append("<li class=\"\(h.verdict.rawValue)\">\(escape(h.sentence))</li>") }
        out.append("</ul>")
        return out.joined(separator: "\n")
    }

    /// The barometer table: leading columns (profile; or domain, criterion, wave, profile), then the figures.
    static func table(columns: [String], rows: [([String], Headline)], texts t: Texts) -> String {
        var out = ["<table><caption>\(escape(t.netDefinition))</caption><thead><tr>"]
        for column in columns + [t.tests, t.ratesColumn, t.netColumn, t.gapColumn, t.adjustedColumn, t.verdictColumn] {
            out.append("<th scope=\"col\">\(escape(column))</th>")
        }
        out.append("</tr></thead><tbody>")
        for (leading, h) in rows {
            let rates = h.referenceRate.map { t.percent($0) }.map { "\($0) / \(h.testedRate.map { t.percent($0) } ?? "—")" } ?? "—"
            let net = h.net.map { "\(t.percent($0)) [\(t.interval(h.netInterval))]" } ?? "—"
            let gap = h.relativeGap.map { "\(t.percent($0)) [\(t.interval(h.relativeGapInterval))]" } ?? "—"
            var cells = "<tr class=\"\(h.verdict.rawValue)\">"
            for (i, value) in leading.enumerated() { cells += i == leading.count - 1 ? "<th scope=\"row\">\(escape(value))</th>" : "<td>\(escape(value))</td>" }
            cells += "<td>\(t.number(h.tests))</td><td>\(escape(rates))</td><td>\(escape(net))</td><td>\(escape(gap))</td>"
                + "<td>\(escape(t.pValue(h.holm)))</td><td>\(escape(t.verdict(h.verdict)))</td></tr>"
            out.append(cells)
        }
        out.append("</tbody></table>")
        return out.joined()
    }

    /// Organizations, data quality and the methods annex of one campaign or study.
    static func annexes(_ report: Report, heading h: String, idPrefix: String) -> String {
        let t = report.texts, c = report.context
        var body: [String] = []
        let organizations = Organizations.rows(report)
        if !organizations.isEmpty {
            body.append("<section aria-labelledby=\"\(idPrefix)organizations\"><\(h) id=\"\(idPrefix)organizations\">\(escape(t.organizations))</\(h)><table><thead><tr>")
            for column in [t.fr ? "Organisation" : "Organization", t.comparison, t.tests, "mid-p", "q (BH)"] { body.append("<th scope=\"col\">\(escape(column))</th>") }
            body.append("</tr></thead><tbody>")
            for row in organizations {
                body.append("<tr><th scope=\"row\">\(escape(row.label))</th><td>\(escape(c.label(row.tested)))</td><td>\(row.tests)</td>"
                            + "<td>\(escape(t.pValue(row.midP)))</td><td>\(escape(t.pValue(row.q)))</td></tr>")
            }
            body.append("</tbody></table><p class=\"note\">\(escape(Organizations.policy(report)))</p></section>")
        }
        body.append("<section aria-labelledby=\"\(idPrefix)quality\"><\(h) id=\"\(idPrefix)quality\">\(escape(t.quality))</\(h)><ul>")
        for note in Quality.notes(report) { body.append("<li>\(escape(note))</li>") }
        body.append("</ul></section>")
        body.append("<section aria-labelledby=\"\(idPrefix)methods\"><\(h) id=\"\(idPrefix)methods\">\(escape(t.methods))</\(h)>")
        for paragraph in Methods.paragraphs(report) { body.append("<p>\(escape(paragraph))</p>") }
        body.append(Methods.adjustedTable(report))
        body.append("<h3>\(escape(t.limits))</h3>")
        for paragraph in t.limitsText { body.append("<p>\(escape(paragraph))</p>") }
        body.append("</section>")
        return body.joined(separator: "\n")
    }

    static func page(title: String, language: Language, simulated: Bool, texts t: Texts, body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style(simulated: simulated, watermark: t.simulated))</style>
        </head>
        <body>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    static func style(simulated: Bool, watermark: String) -> String {
        var css = """
            :root { color-scheme: light; }
            body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.45; }
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
            .simulated-banner { background: #7a0f12; color: #fff; font-weight: bold; padding: 0.4rem 0.75rem; text-align: center; }
            @media print {
              main { max-width: none; padding: 0; }
              h2 { break-after: avoid; }
              table, figure, .headlines li { break-inside: avoid; }
              a { color: inherit; text-decoration: none; }
            }
            """
        if simulated {
            css += """

                body::before { content: "\(watermark)"; position: fixed; top: 45%; left: 0; right: 0; text-align: center;
                  font-size: 3rem; font-weight: bold; color: rgba(122, 15, 18, 0.12); transform: rotate(-25deg); pointer-events: none; z-index: 10; }
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
