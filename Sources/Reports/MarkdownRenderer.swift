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
        out += ReportCardSection.markdown(report)
        out.append("\n## \(t.quality)\n")
        for note in Quality.notes(report) { out.append("- \(note)") }
        out.append("\n## \(t.methods)\n")
        for paragraph in Methods.paragraphs(report) { out.append(paragraph + "\n") }
        out.append("### \(t.limits)\n")
        for paragraph in t.limitsText { out.append(paragraph + "\n") }
        return out.joined(separator: "\n") + "\n"
    }
}
