import Barometer
import Stats
import Values

/// The report as Markdown, for pasting into documents.
public enum MarkdownRenderer {
    public static func render(_ report: Report, summaryOnly: Bool = false) -> String {
        let t = report.texts, c = report.context, f = report.findings
        var out: [String] = []
        out.append("# " + (f.request.simulated ? "[\(t.simulated)] " : "") + c.title)
        if f.request.simulated { out.append("\n> **\(t.simulated)**") }
        out.append("\n" + [c.territory, c.wave.map { (t.fr ? "vague " : "wave ") + String($0) }, c.date].compactMap { $0 }.joined(separator: " · "))
        out.append("\n" + Essentials.markdown([EssentialEntry(group: "", report: report)], texts: t, territory: c.territory))
        if summaryOnly { return out.joined(separator: "\n") }
        out.append("\n## \(t.summary)\n")
        if let criterion = c.criterion { out.append(criterion + "\n") }
        out.append(t.reference(c.label(f.request.referenceArm)) + "\n")
        for h in report.headlines { out.append("- \(h.sentence)") }
        out.append("\n## \(t.barometerTable)\n")
        out.append("| \(t.comparison) | \(t.tests) | \(t.ratesColumn) | \(t.netColumn) | \(t.gapColumn) | \(t.adjustedColumn) | \(t.verdictColumn) |")
        out.append("|---|---:|---|---|---|---|---|")
        for h in report.headlines {
            let rates = "\(h.referenceRate.map { t.percent($0) } ?? "—") / \(h.testedRate.map { t.percent($0) } ?? "—")"
            out.append("| \(c.label(h.tested)) | \(t.number(h.tests)) | \(rates) | \(h.net.map { "\(t.percent($0)) [\(t.interval(h.netInterval))]" } ?? "—") | "
                       + "\(h.relativeGap.map { "\(t.percent($0)) [\(t.interval(h.relativeGapInterval))]" } ?? "—") | \(t.pValue(h.holm)) | \(t.verdict(h.verdict)) |")
        }
        out.append("\n" + t.netDefinition)
        let organizations = Organizations.rows(report)
        if !organizations.isEmpty {
            out.append("\n## \(t.organizations)\n")
            out.append("| \(t.fr ? "Organisation" : "Organization") | \(t.comparison) | \(t.tests) | mid-p | q (BH) |")
            out.append("|---|---|---:|---|---|")
            for row in organizations { out.append("| \(row.label) | \(c.label(row.tested)) | \(row.tests) | \(t.pValue(row.midP)) | \(t.pValue(row.q)) |") }
            out.append("\n" + Organizations.policy(report))
        }
        out.append("\n## \(t.quality)\n")
        for note in Quality.notes(report) { out.append("- \(note)") }
        out.append("\n## \(t.methods)\n")
        for paragraph in Methods.paragraphs(report) { out.append(paragraph + "\n") }
        out.append("### \(t.limits)\n")
        for paragraph in t.limitsText { out.append(paragraph + "\n") }
        return out.joined(separator: "\n") + "\n"
    }
}

/// The report as JSON: the findings plus the report's texts.
public enum JSONReportRenderer {
    public static func render(_ report: Report) -> String {
        let t = report.texts
        let json = JSONValue.object([
            ("schema", .string("barometre.report/1")),
            ("language", .string(report.language.rawValue)),
            ("title", .string(report.context.title)),
            ("simulated", .bool(report.findings.request.simulated)),
            ("headlines", .array(report.headlines.map { h in
                .object([("reference", .string(h.reference)), ("tested", .string(h.tested)), ("tests", .int(h.tests)),
                         ("verdict", .string(h.verdict.rawValue)), ("sentence", .string(h.sentence)),
                         ("relativeGap", h.relativeGap.map(JSONValue.number) ?? .null),
                         ("relativeGapInterval", h.relativeGapInterval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
                         ("net", h.net.map(JSONValue.number) ?? .null),
                         ("netInterval", h.netInterval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
                         ("holm", h.holm.map(JSONValue.number) ?? .null)])
            })),
            ("quality", .array(Quality.notes(report).map(JSONValue.string))),
            ("methods", .array(Methods.paragraphs(report).map(JSONValue.string))),
            ("limits", .array(t.limitsText.map(JSONValue.string))),
            ("organizations", .array(Organizations.rows(report).map { .object([("organization", .string($0.label)), ("tested", .string($0.tested)),
                                                                                ("tests", .int($0.tests)), ("midP", .number($0.midP)),
                                                                                ("q", $0.q.map(JSONValue.number) ?? .null)]) })),
            ("findings", report.findings.json),
        ])
        return json.rendered() + "\n"
    }
}
