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

    /// The section's HTML, from the `essentials` template (ReportTemplates).
    static func html(_ entries: [EssentialEntry], texts t: Texts, territory: String?) -> String {
        let rows = entries.flatMap { e in e.report.headlines.map { (e, $0) } }
        var lastGroup: String?
        let chartRows: [[String: Any]] = rows.map { entry, h in
            let established = h.verdict == .against || h.verdict == .favour
            var row: [String: Any] = [
                "verdict": h.verdict.rawValue, "profile": entry.report.context.label(h.tested), "zero": fmt(position(0)),
                "established": established, "value": value(h, texts: t), "verdictText": t.shortVerdict(h.verdict),
            ]
            if !entry.group.isEmpty && entry.group != lastGroup {
                let tests = entry.report.headlines.map(\.tests).max() ?? 0
                let reference = entry.report.context.label(entry.report.findings.request.referenceArm)
                row["group"] = "\(entry.group) — \(t.number(tests)) tests — " + (t.fr ? "référence : " : "reference: ") + reference
                lastGroup = entry.group
            }
            if let i = h.relativeGapInterval {
                row["interval"] = ["left": fmt(position(i.lower)), "width": fmt(max(0.5, position(i.upper) - position(i.lower))), "established": established]
            }
            if let gap = h.relativeGap { row["point"] = fmt(position(gap)) }
            return row
        }
        // The findings established, in sentences (with many rows, each row's text says it:
        // page 1 stays one page).
        let established = rows.filter { $0.1.verdict == .against || $0.1.verdict == .favour }
        let sentences: [[String: Any]] = rows.count <= Self.sentencesUpTo ? established.map { entry, h in
            var item: [String: Any] = ["verdict": h.verdict.rawValue, "sentence": h.sentence]
            if !entry.group.isEmpty { item["group"] = entry.group }
            return item
        } : []
        return ReportTemplates.render("essentials", [
            "heading": t.essentials, "lead": lead(rows.map(\.1), texts: t), "caption": t.chartTitle,
            "profileColumn": t.comparison, "drawColumn": t.fr ? "Écart et intervalle" : "Gap and interval", "verdictColumn": t.verdictColumn,
            "ticks": [0.0, 1.0].map { ["left": fmt(position($0)), "label": t.percent($0)] },
            "rows": chartRows, "legend": t.essentialsLegend,
            "hasSentences": !sentences.isEmpty, "sentences": sentences,
            "definitionsTitle": t.definitionsTitle,
            "definitions": definitions(entries, texts: t, territory: territory).map { ["term": $0.0 + (t.fr ? " :" : ":"), "text": $0.1] },
            "help": t.helpLine,
        ])
    }

    static func markdown(_ entries: [EssentialEntry], texts t: Texts, territory: String?) -> String {
        let rows = entries.flatMap { e in e.report.headlines.map { (e, $0) } }
        var out = ["## \(t.essentials)", "", lead(rows.map(\.1), texts: t), ""]
        for (entry, h) in rows {
            out.append("- " + (entry.group.isEmpty ? "" : "**\(entry.group)** — ") + "\(entry.report.context.label(h.tested))\(t.fr ? " : " : ": ")\(value(h, texts: t)) **\(t.shortVerdict(h.verdict))**")
        }
        out.append("")
        for (entry, h) in rows where h.verdict == .against || h.verdict == .favour {
            out.append("> " + (entry.group.isEmpty ? "" : "\(entry.group) — ") + h.sentence)
            out.append("")
        }
        out.append("### \(t.definitionsTitle)")
        out.append("")
        for (term, text) in definitions(entries, texts: t, territory: territory) { out.append("- **\(term)**\(t.fr ? " : " : ": ")\(text)") }
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
