import Barometer
import Stats
import Values

extension Texts {
    func domain(_ name: String) -> String {
        switch name {
        case "housing": return fr ? "Logement" : "Housing"
        case "employment": return fr ? "Emploi" : "Employment"
        case "internship": return fr ? "Stage" : "Internship"
        default: return name
        }
    }
    var domainColumn: String { fr ? "Domaine" : "Domain" }
    var criterionColumn: String { fr ? "Critère" : "Criterion" }
    var waveColumn: String { fr ? "Vague" : "Wave" }
    var waves: String { fr ? "Évolution entre vagues" : "Change between waves" }
    var waveNote: String {
        fr ? "Variation de la discrimination nette d'une vague à la suivante : intervalle de Wald et, entre crochets doubles, intervalle bootstrap (2 000 rééchantillonnages)."
           : "Change in net discrimination from one wave to the next: Wald interval and, in double brackets, bootstrap interval (2,000 resamples)."
    }
    var perCampaign: String { fr ? "Résultats exploratoires et méthodes, campagne par campagne" : "Exploratory results and methods, campaign by campaign" }
    var multiplicityNote: String {
        fr ? "Les p-values sont ajustées au sein de chaque campagne ou étude (voir son annexe)."
           : "P-values are adjusted within each campaign or study (see its annex)."
    }
}

/// A barometer (several campaigns and studies) as HTML, Markdown and JSON.
public enum BarometerRenderer {
    static func entryTitle(_ e: BarometerEntry, _ t: Texts) -> String {
        "\(t.domain(e.domain)) — \(e.criterion) — \(t.fr ? "vague" : "wave") \(e.wave) : \(e.report.context.title)"
    }

    /// « Emploi · origine · vague 1 »: where an entry's rows sit on the barometer chart.
    static func group(_ e: BarometerEntry, _ t: Texts) -> String {
        "\(t.domain(e.domain)) · \(e.criterion) · \(t.fr ? "vague" : "wave") \(e.wave)"
    }

    /// « L'essentiel » (one page), the barometer table and the waves, one page per campaign or
    /// study, then the exploratory results and methods annexes. `summaryOnly`: the first page.
    public static func html(_ b: BarometerReport, summaryOnly: Bool = false) -> String {
        let t = b.texts
        let title = (b.simulated ? "[\(t.simulated)] " : "") + b.title
        var body = [HTMLRenderer.header(title: title, meta: [b.territory, b.date], simulated: b.simulated, texts: t)]
        body.append(Essentials.html(b.entries.map { EssentialEntry(group: group($0, t), report: $0.report, domain: $0.domain) }, texts: t, territory: b.territory))
        if summaryOnly { return HTMLRenderer.page(title: title, language: b.language, simulated: b.simulated, texts: t, body: body) }
        let rows = b.entries.flatMap { e in e.report.headlines.map { ([t.domain(e.domain), e.criterion, String(e.wave), e.report.context.label($0.tested)], $0) } }
        body.append(ReportTemplates.render("barometerPages", [
            "barometerTitle": t.barometerTable,
            "table": HTMLRenderer.table(columns: [t.domainColumn, t.criterionColumn, t.waveColumn, t.comparison], rows: rows, texts: t),
            "note": t.multiplicityNote,
            "waves": b.changes.isEmpty ? false : [
                "title": t.waves, "caption": t.waveNote,
                "columns": [t.domainColumn, t.criterionColumn, t.comparison, t.waveColumn, t.netColumn, t.fr ? "Variation" : "Change"],
                "rows": b.changes.map { c in
                    ["domain": t.domain(c.domain), "criterion": c.criterion, "label": c.label, "waves": "\(c.fromWave) → \(c.toWave)",
                     "net": "\(t.percent(c.fromNet)) → \(t.percent(c.toNet))",
                     "change": "\(t.percent(c.change)) [\(t.interval(c.wald))] [[\(t.interval(c.bootstrap))]]"]
                },
            ] as Any,
            // One page per campaign or study: its sentences and its rates.
            "entries": b.entries.enumerated().map { index, e in
                ["id": "e\(index)-title", "title": entryTitle(e, t) + (e.report.findings.request.simulated ? " [\(t.simulated)]" : ""),
                 "headlines": HTMLRenderer.headlines(e.report), "rates": Charts.rates(e.report, idPrefix: "e\(index)-")]
            },
            // Then the exploratory results and the methods, campaign by campaign.
            "detailTitle": t.perCampaign,
            "details": b.entries.enumerated().map { index, e in
                ["title": entryTitle(e, t), "annexes": HTMLRenderer.annexes(e.report, heading: "h4", idPrefix: "e\(index)-")]
            },
        ]))
        return HTMLRenderer.page(title: title, language: b.language, simulated: b.simulated, texts: t, body: body)
    }

    public static func markdown(_ b: BarometerReport, summaryOnly: Bool = false) -> String {
        let t = b.texts
        var out = ["# " + (b.simulated ? "[\(t.simulated)] " : "") + b.title, "", "\(b.territory) · \(b.date)", ""]
        if b.simulated { out.append("> **\(t.simulated)**\n") }
        out.append(Essentials.markdown(b.entries.map { EssentialEntry(group: group($0, t), report: $0.report, domain: $0.domain) }, texts: t, territory: b.territory))
        if summaryOnly { return out.joined(separator: "\n") }
        out.append("\n## \(t.summary)")
        for e in b.entries {
            out.append("\n### \(entryTitle(e, t))" + (e.report.findings.request.simulated ? " [\(t.simulated)]" : "") + "\n")
            for h in e.report.headlines { out.append("- \(h.sentence)") }
        }
        out.append("\n## \(t.barometerTable)\n")
        out.append("| \(t.domainColumn) | \(t.criterionColumn) | \(t.waveColumn) | \(t.comparison) | \(t.tests) | \(t.netColumn) | \(t.adjustedColumn) | \(t.verdictColumn) |")
        out.append("|---|---|---:|---|---:|---|---|---|")
        for e in b.entries {
            for h in e.report.headlines {
                out.append("| \(t.domain(e.domain)) | \(e.criterion) | \(e.wave) | \(e.report.context.label(h.tested)) | \(t.number(h.tests)) | "
                           + "\(h.net.map { "\(t.percent($0)) [\(t.interval(h.netInterval))]" } ?? "—") | \(t.pValue(h.holm)) | \(t.verdict(h.verdict)) |")
            }
        }
        out.append("\n" + t.netDefinition + " " + t.multiplicityNote)
        if !b.changes.isEmpty {
            out.append("\n## \(t.waves)\n")
            for c in b.changes {
                out.append("- \(t.domain(c.domain)), \(c.criterion), \(c.label): \(t.percent(c.fromNet)) → \(t.percent(c.toNet)) "
                           + "(\(t.fr ? "vagues" : "waves") \(c.fromWave) → \(c.toWave)): \(t.percent(c.change)) [\(t.interval(c.wald))] [[\(t.interval(c.bootstrap))]]")
            }
            out.append("\n" + t.waveNote)
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(_ b: BarometerReport) -> String {
        JSONValue.object([
            ("schema", .string("barometre.barometer-report/1")),
            ("title", .string(b.title)), ("territory", .string(b.territory)), ("language", .string(b.language.rawValue)),
            ("simulated", .bool(b.simulated)),
            ("entries", .array(b.entries.map { e in
                .object([("domain", .string(e.domain)), ("criterion", .string(e.criterion)), ("wave", .int(e.wave)),
                         ("source", .object([("kind", .string(e.report.findings.request.kind.rawValue)), ("id", .string(e.report.findings.request.id))])),
                         ("headlines", .array(e.report.headlines.map { .object([("tested", .string($0.tested)), ("sentence", .string($0.sentence)),
                                                                                 ("verdict", .string($0.verdict.rawValue)),
                                                                                 ("net", $0.net.map(JSONValue.number) ?? .null)]) })),
                         ("findings", e.report.findings.json)])
            })),
            ("changes", .array(b.changes.map { c in
                .object([("domain", .string(c.domain)), ("criterion", .string(c.criterion)), ("tested", .string(c.tested)),
                         ("fromWave", .int(c.fromWave)), ("toWave", .int(c.toWave)), ("fromNet", .number(c.fromNet)), ("toNet", .number(c.toNet)),
                         ("change", .number(c.change)), ("wald", .array([.number(c.wald.lower), .number(c.wald.upper)])),
                         ("bootstrap", .array([.number(c.bootstrap.lower), .number(c.bootstrap.upper)]))])
            })),
        ]).rendered() + "\n"
    }
}
