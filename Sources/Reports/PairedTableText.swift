import Stats

/// The human-readable form of a ``PairedAnalysis``.
public struct PairedTableRenderer {
    public let analysis: PairedAnalysis
    public init(_ analysis: PairedAnalysis) { self.analysis = analysis }

    public var text: String {
        let t = analysis.table
        var lines: [String] = []
        lines.append("Paired table: a = \(t.both) both positive, b = \(t.referenceOnly) reference only, "
                     + "c = \(t.testedOnly) tested only, d = \(t.neither) neither; n = \(t.tests) tests")
        lines.append("Intervals at \(percent(analysis.level)) confidence.")
        lines.append("")
        block(&lines, "Positive rate, reference arm (a+b)/n", analysis.referenceRate)
        block(&lines, "Positive rate, tested arm (a+c)/n", analysis.testedRate)
        block(&lines, "Difference p_R − p_T = (b−c)/n", analysis.difference)
        block(&lines, "Net discrimination (b−c)/(a+b+c)", analysis.net)
        block(&lines, "Gross, reference favoured b/(a+b+c)", analysis.grossReferenceFavoured)
        block(&lines, "Gross, tested favoured c/(a+b+c)", analysis.grossTestedFavoured)
        block(&lines, "Ratio p_R / p_T", analysis.ratio)
        block(&lines, "Conditional odds ratio b/c", analysis.oddsRatio)
        block(&lines, "Discordant share b/(b+c)", analysis.discordant)
        lines.append("Tests of p_R = p_T")
        for method in McNemarMethod.allCases {
            let test = analysis.significance[method]!
            let statistic = test.statistic.map { "χ²(1) = \(decimal($0))  " } ?? ""
            let marker = method == .midP ? "  (default)" : ""
            lines.append("  \(padded(test.method, 42)) \(statistic)p = \(pValue(test.pValue))\(marker)")
        }
        return lines.joined(separator: "\n")
    }

    private func block<M>(_ lines: inout [String], _ title: String, _ indicator: Indicator<M>) {
        var header = padded(title, 40) + "  " + decimal(indicator.estimate.value)
        if let denominator = indicator.denominator { header += "   (over \(denominator.count) \(denominator.name))" }
        if let reason = indicator.estimate.undefinedReason { header += "   undefined: \(reason)" }
        lines.append(header)
        for item in indicator.intervals {
            let label = "  " + padded(item.method.rawValue, 38)
            switch item.interval {
            case let .value(interval):
                lines.append(label + "  [\(decimal(interval.lower)), \(decimal(interval.upper))]" + (interval.clipped ? "  clipped" : ""))
            case let .undefined(reason):
                lines.append(label + "  undefined: \(reason)")
            }
        }
        lines.append("")
    }
}
