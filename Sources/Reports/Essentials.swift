import Barometer
import Stats

/// « L'essentiel »: the first page of every report (issue #19 item 3). One barometer chart —
/// a row per domain × criterion × tested profile of the primary comparisons: how much less
/// often the tested group got a positive answer, with its interval and its verdict in words —,
/// the established findings in sentences, and a definitions box: what counted as a positive
/// answer, when and where the tests were sent, how many, what testing measures and does not,
/// and where a person who thinks they were discriminated against can turn.
///
/// The chart is HTML, not an image: its text is real text (readable at 390 px, by screen
/// readers, and printed in grey), the verdict is written as well as drawn (filled or hollow
/// mark, solid or dashed interval).
struct EssentialEntry {
    /// Where the rows sit: « Emploi · origine · vague 1 » (empty for a single report).
    let group: String
    let report: Report
    /// `housing`, `employment`, `internship` (a barometer file's entry says it for a study).
    var domain: String? = nil
}

enum Essentials {
    /// The chart's axis: the relative gap from −50 % (tested group favoured) to 100 %.
    static let axis = (low: -0.5, high: 1.0)

    /// Up to this many rows, the established findings are also written as full sentences.
    static let sentencesUpTo = 6

    static func position(_ value: Double) -> Double {
        (min(axis.high, max(axis.low, value)) - axis.low) / (axis.high - axis.low) * 100
    }

    static func html(_ entries: [EssentialEntry], texts t: Texts, territory: String?) -> String {
        let rows = entries.flatMap { e in e.report.headlines.map { (e, $0) } }
        var out = ["<section class=\"essentiel\" aria-labelledby=\"essentiel\"><h2 id=\"essentiel\">\(escape(t.essentials))</h2>"]
        out.append("<p class=\"lead\">\(escape(lead(rows.map(\.1), texts: t)))</p>")
        // The chart: a table (real text, read by screen readers, stacked on a phone) whose
        // middle column draws the gap and its interval.
        out.append("<figure class=\"bc\"><table class=\"bc-table\"><caption>\(escape(t.chartTitle))</caption>")
        out.append("<thead><tr><th scope=\"col\">\(escape(t.comparison))</th><th scope=\"col\"><span class=\"visually-hidden\">\(escape(t.fr ? "Écart et intervalle" : "Gap and interval"))</span>"
                   + "<span class=\"bc-axis\" aria-hidden=\"true\">")
        for tick in [0.0, 1.0] { out.append("<span style=\"left:\(fmt(position(tick)))%\">\(escape(t.percent(tick)))</span>") }
        out.append("</span></th><th scope=\"col\">\(escape(t.verdictColumn))</th></tr></thead><tbody>")
        var lastGroup: String?
        for (entry, h) in rows {
            if !entry.group.isEmpty && entry.group != lastGroup {
                let tests = entry.report.headlines.map(\.tests).max() ?? 0
                let reference = entry.report.context.label(entry.report.findings.request.referenceArm)
                out.append("<tr class=\"bc-grouprow\"><th colspan=\"3\" scope=\"colgroup\">\(escape(entry.group)) — \(escape(t.number(tests))) tests — "
                           + "\(escape(t.fr ? "référence : " : "reference: "))\(escape(reference))</th></tr>")
                lastGroup = entry.group
            }
            let established = h.verdict == .against || h.verdict == .favour
            var track = "<span class=\"bc-track\" aria-hidden=\"true\"><span class=\"bc-zero\" style=\"left:\(fmt(position(0)))%\"></span>"
            if let i = h.relativeGapInterval {
                track += "<span class=\"bc-ci\(established ? "" : " open")\" style=\"left:\(fmt(position(i.lower)))%;width:\(fmt(max(0.5, position(i.upper) - position(i.lower))))%\"></span>"
            }
            if let gap = h.relativeGap { track += "<span class=\"bc-point\(established ? "" : " open")\" style=\"left:\(fmt(position(gap)))%\"></span>" }
            track += "</span>"
            out.append("<tr class=\"bc-row \(h.verdict.rawValue)\"><th scope=\"row\">\(escape(entry.report.context.label(h.tested)))</th><td class=\"bc-draw\">\(track)</td>"
                       + "<td class=\"bc-value\">\(escape(value(h, texts: t))) <strong>\(escape(t.shortVerdict(h.verdict)))</strong></td></tr>")
        }
        out.append("</tbody></table><p class=\"bc-legend\">\(escape(t.essentialsLegend))</p></figure>")
        // The findings established, in sentences (with many rows, each row's text says it:
        // page 1 stays one page).
        let established = rows.filter { $0.1.verdict == .against || $0.1.verdict == .favour }
        if !established.isEmpty && rows.count <= Self.sentencesUpTo {
            out.append("<ul class=\"headlines\">")
            for (entry, h) in established {
                out.append("<li class=\"\(h.verdict.rawValue)\">" + (entry.group.isEmpty ? "" : "<span class=\"bc-group\">\(escape(entry.group))</span> ")
                           + "\(escape(h.sentence))</li>")
            }
            out.append("</ul>")
        }
        // The definitions box.
        out.append("<div class=\"definitions\"><h3 id=\"definitions\">\(escape(t.definitionsTitle))</h3><dl>")
        for (term, text) in definitions(entries, texts: t, territory: territory) {
            out.append("<dt>\(escape(term + (t.fr ? " :" : ":")))</dt><dd>\(escape(text))</dd>")
        }
        out.append("</dl><p class=\"help\">\(escape(t.helpLine))</p></div></section>")
        return out.joined(separator: "\n")
    }

    static func markdown(_ entries: [EssentialEntry], texts t: Texts, territory: String?) -> String {
        let rows = entries.flatMap { e in e.report.headlines.map { (e, $0) } }
        var out = ["## \(t.essentials)", "", lead(rows.map(\.1), texts: t), ""]
        for (entry, h) in rows {
            out.append("- " + (entry.group.isEmpty ? "" : "**\(entry.group)** — ") + "\(entry.report.context.label(h.tested)) : \(value(h, texts: t)) **\(t.shortVerdict(h.verdict))**")
        }
        out.append("")
        for (entry, h) in rows where h.verdict == .against || h.verdict == .favour {
            out.append("> " + (entry.group.isEmpty ? "" : "\(entry.group) — ") + h.sentence)
            out.append("")
        }
        out.append("### \(t.definitionsTitle)")
        out.append("")
        for (term, text) in definitions(entries, texts: t, territory: territory) { out.append("- **\(term)** : \(text)") }
        out.append("")
        out.append(t.helpLine)
        return out.joined(separator: "\n") + "\n"
    }

    /// « 22 % en moins (−15 % à 48 %) — »: the gap and its interval (the number of tests is
    /// on the group's row, and in the definitions box).
    static func value(_ h: Headline, texts t: Texts) -> String {
        guard let gap = h.relativeGap else { return "\(t.number(h.tests)) tests —" }
        let direction = gap >= 0 ? (t.fr ? "en moins" : "fewer") : (t.fr ? "en plus" : "more")
        let interval = h.relativeGapInterval.map { " (\(t.interval($0)))" } ?? ""
        return "\(t.percent(abs(gap))) \(direction)\(interval) —"
    }

    /// One sentence over all primary comparisons.
    static func lead(_ headlines: [Headline], texts t: Texts) -> String {
        let against = headlines.filter { $0.verdict == .against }.count, favour = headlines.filter { $0.verdict == .favour }.count
        let open = headlines.count - against - favour
        if t.fr {
            return "Sur \(headlines.count) comparaison\(headlines.count > 1 ? "s" : "") principale\(headlines.count > 1 ? "s" : ""), "
                + "\(against) montre\(against > 1 ? "nt" : "") un écart établi au détriment du groupe testé"
                + (favour > 0 ? ", \(favour) un écart en sa faveur" : "")
                + " ; pour \(open), l'écart n'est pas établi avec le nombre de tests réalisés (ce qui ne prouve pas l'absence de discrimination)."
        }
        return "Of \(headlines.count) primary comparison\(headlines.count > 1 ? "s" : ""), \(against) show\(against == 1 ? "s" : "") an established gap against the tested group"
            + (favour > 0 ? ", \(favour) a gap in its favour" : "")
            + "; for \(open), no gap is established with the tests made (which does not show that there is no discrimination)."
    }

    /// The definitions box: what counted as positive, when, where, how many, what testing
    /// measures. Said once per distinct value (four campaigns of one domain share one line).
    static func definitions(_ entries: [EssentialEntry], texts t: Texts, territory: String?) -> [(String, String)] {
        func grouped(_ items: [(String, String)]) -> String {
            var order: [String] = [], groups: [String: [String]] = [:]
            for (who, text) in items {
                if groups[text] == nil { order.append(text) }
                groups[text, default: []].append(who)
            }
            if order.count == 1 { return order[0] }
            return order.map { text in "\(groups[text]!.joined(separator: ", ")) : \(text)" }.joined(separator: " ; ")
        }
        func who(_ e: EssentialEntry) -> String {
            let request = e.report.findings.request
            guard let domain = e.domain ?? e.report.context.domain else { return e.group.isEmpty ? e.report.context.title : e.group }
            return t.domain(domain) + (request.kind == .study ? (t.fr ? " (étude \(request.id))" : " (study \(request.id))") : "")
        }
        let positive = grouped(entries.map { e in
            (who(e), t.positiveDefinition(scale: e.report.findings.request.scale, threshold: e.report.findings.request.thresholdIndex,
                                        labels: e.report.context.levelLabels))
        })
        let dated = entries.compactMap { e in e.report.context.sentFrom.flatMap { from in e.report.context.sentTo.map { (from, $0) } } }
        var when = dated.isEmpty ? "" : t.period(from: dated.map(\.0).min()!, to: dated.map(\.1).max()!)
        let undated = entries.filter { $0.report.context.sentFrom == nil }
        if !undated.isEmpty {
            when += (when.isEmpty ? "" : " ; ") + undated.map { e in
                "\(who(e)) : " + (t.fr ? "dates de l'étude publiée (non enregistrées ici)" : "the published study's dates (not recorded here)")
            }.joined(separator: " ; ")
        }
        let counts = entries.map { $0.report.headlines.map(\.tests).max() ?? 0 }
        let total = counts.reduce(0, +)
        let tests = entries.count == 1 ? "\(t.number(total)) tests"
            : "\(t.number(total)) tests (" + zip(entries, counts).map { "\(who($0)) \(t.number($1))" }.joined(separator: ", ") + ")"
        var out: [(String, String)] = [(t.fr ? "Réponse positive" : "Positive answer", positive), (t.fr ? "Quand" : "When", when)]
        if let territory { out.append((t.fr ? "Où" : "Where", territory)) }
        out.append((t.fr ? "Combien" : "How many", tests))
        out.append((t.fr ? "Ce que le testing mesure" : "What testing measures", t.measuresInBrief))
        return out
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
