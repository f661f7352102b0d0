import Barometer
import Stats

/// Inline SVG charts, each with a title, a description and a text alternative.
enum Charts {
    /// Net discrimination per tested profile with its interval, on [−100 %, 100 %].
    static func forest(_ report: Report) -> String {
        forest(rows: report.headlines.filter { $0.net != nil }.map { (report.context.label($0.tested), $0) }, texts: report.texts)
    }

    /// The same, for every entry of a barometer ("Emploi · profile").
    static func forest(_ b: BarometerReport) -> String {
        forest(rows: b.entries.flatMap { e in e.report.headlines.filter { $0.net != nil }.map { ("\(b.texts.domain(e.domain)) \(e.wave) · \(e.report.context.label($0.tested))", $0) } },
               texts: b.texts)
    }

    static func forest(rows labelled: [(String, Headline)], texts t: Texts) -> String {
        let rows = labelled.map(\.1)
        let labels = labelled.map(\.0)
        guard !rows.isEmpty else { return "" }
        let width = 720.0, labelWidth = 260.0, rowHeight = 34.0, top = 30.0
        let height = top + Double(rows.count) * rowHeight + 40
        let plotLeft = labelWidth + 10, plotWidth = width - plotLeft - 20
        func x(_ value: Double) -> Double { plotLeft + (max(-1, min(1, value)) + 1) / 2 * plotWidth }
        var svg = ["<figure class=\"svg-chart\" tabindex=\"0\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-labelledby=\"forest-title forest-desc\">"]
        svg.append("<title id=\"forest-title\">\(escape(t.forestTitle))</title>")
        let description = zip(labels, rows).map { "\($0) : \(t.percent($1.net!)) [\(t.interval($1.netInterval))], \(t.chartVerdict($1.verdict))" }.joined(separator: " ; ")
        svg.append("<desc id=\"forest-desc\">\(escape(description))</desc>")
        // Axis and zero line.
        for tick in [-1.0, -0.5, 0, 0.5, 1] {
            svg.append("<line x1=\"\(fmt(x(tick)))\" y1=\"\(fmt(top - 8))\" x2=\"\(fmt(x(tick)))\" y2=\"\(fmt(height - 30))\" stroke=\"\(tick == 0 ? "#1a1a1a" : "#cccccc")\" stroke-width=\"\(tick == 0 ? 1.5 : 1)\"/>")
            svg.append("<text x=\"\(fmt(x(tick)))\" y=\"\(fmt(height - 12))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(escape(t.percent(tick)))</text>")
        }
        for (i, h) in rows.enumerated() {
            let y = top + Double(i) * rowHeight + rowHeight / 2
            // The verdict is drawn as well as coloured: a filled mark and solid interval for a
            // result established after adjustment, a hollow mark and dashed interval for one
            // that is not, and the verdict in words under the label (readable printed in grey).
            let established = h.verdict == .against || h.verdict == .favour
            let colour = h.verdict == .against ? "#a4161a" : (h.verdict == .favour ? "#1b5e20" : "#555555")
            svg.append("<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(y - 1))\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">\(escape(truncate(labels[i], 38)))</text>")
            svg.append("<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 13))\" font-size=\"11\" text-anchor=\"end\" fill=\"#333333\">\(escape(t.chartVerdict(h.verdict)))</text>")
            if let interval = h.netInterval {
                svg.append("<line x1=\"\(fmt(x(interval.lower)))\" y1=\"\(fmt(y))\" x2=\"\(fmt(x(interval.upper)))\" y2=\"\(fmt(y))\" stroke=\"\(colour)\" stroke-width=\"3\"\(established ? "" : " stroke-dasharray=\"5 3\"")/>")
            }
            svg.append("<circle cx=\"\(fmt(x(h.net!)))\" cy=\"\(fmt(y))\" r=\"6\" fill=\"\(established ? colour : "#ffffff")\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(escape("\(labels[i]) : \(t.percent(h.net!)) — \(t.chartVerdict(h.verdict))"))</title></circle>")
        }
        svg.append("</svg><figcaption>\(escape(t.forestTitle)). \(escape(t.forestLegend)) \(escape(t.netDefinition))</figcaption></figure>")
        return svg.joined(separator: "\n")
    }

    /// Positive rate per profile (over tests) with the Wilson interval.
    static func rates(_ report: Report, idPrefix: String = "") -> String {
        let t = report.texts, c = report.context, f = report.findings
        let comparisons = f.comparisons.filter { $0.slice.isEmpty && $0.paired != nil }
        guard let first = comparisons.first?.paired else { return "" }
        var bars: [(String, Double, ConfidenceInterval?)] = [(c.label(f.request.referenceArm), first.referenceRate.estimate.value ?? 0,
                                                             first.referenceRate.interval(.wilson)?.value)]
        for comparison in comparisons {
            let p = comparison.paired!
            bars.append((c.label(comparison.tested), p.testedRate.estimate.value ?? 0, p.testedRate.interval(.wilson)?.value))
        }
        let width = 720.0, labelWidth = 260.0, rowHeight = 30.0, top = 10.0
        let height = top + Double(bars.count) * rowHeight + 36
        let plotLeft = labelWidth + 10, plotWidth = width - plotLeft - 60
        let maximum = min(1, max(0.1, (bars.map { $0.2?.upper ?? $0.1 }.max() ?? 0.5) * 1.1))
        func x(_ value: Double) -> Double { plotLeft + value / maximum * plotWidth }
        var svg = ["<figure class=\"svg-chart\" tabindex=\"0\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-labelledby=\"\(idPrefix)rates-title \(idPrefix)rates-desc\">"]
        svg.append("<title id=\"\(idPrefix)rates-title\">\(escape(t.ratesTitle))</title>")
        svg.append("<desc id=\"\(idPrefix)rates-desc\">\(escape(bars.map { "\($0.0) : \(t.percent($0.1))" }.joined(separator: " ; ")))</desc>")
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            svg.append("<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 18))\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">\(escape(truncate(bar.0, 38)))</text>")
            svg.append("<rect x=\"\(fmt(plotLeft))\" y=\"\(fmt(y + 6))\" width=\"\(fmt(x(bar.1) - plotLeft))\" height=\"16\" fill=\"\(i == 0 ? "#0b3d62" : "#5b7f9e")\"/>")
            if let interval = bar.2 {
                svg.append("<line x1=\"\(fmt(x(interval.lower)))\" y1=\"\(fmt(y + 14))\" x2=\"\(fmt(x(interval.upper)))\" y2=\"\(fmt(y + 14))\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>")
            }
            svg.append("<text x=\"\(fmt(x(bar.2?.upper ?? bar.1) + 6))\" y=\"\(fmt(y + 18))\" font-size=\"12\" fill=\"#1a1a1a\">\(escape(t.percent(bar.1)))</text>")
        }
        svg.append("</svg><figcaption>\(escape(t.ratesTitle)) (\(escape(t.fr ? "intervalle de Wilson" : "Wilson interval")))</figcaption></figure>")
        return svg.joined(separator: "\n")
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func truncate(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
