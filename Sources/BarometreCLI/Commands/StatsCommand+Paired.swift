import ArgumentParser
import Stats

extension StatsCommand {
    /// `barometre stats paired`: every paired indicator and test for one 2×2 table.
    struct Paired: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "paired",
            abstract: "Analyse one paired 2×2 table of tests (reference arm against tested arm).",
            discussion: """
                Each test sends one application per arm to the same target. Count the tests by \
                which applications got a positive answer:

                                     tested positive   tested negative
                  reference positive     --both        --reference-only
                  reference negative  --tested-only       --neither

                Printed: positive rates per arm; the difference p_R − p_T over all tests \
                (Newcombe, Tango, Bonett–Price; Wald for reference only); the ratio p_R/p_T \
                (Tang, Bonett–Price, MOVER-Wilson); the conditional odds ratio b/c; net \
                discrimination (b − c)/(a + b + c) over tests with at least one positive answer; \
                the discordant share b/(b + c); McNemar tests (asymptotic, continuity-corrected, \
                exact, and mid-p, the default p-value). Methods and papers: METHODS.md.
                """
        )

        @Option(name: .customLong("both"), parsing: .unconditional, help: ArgumentHelp("a: tests where both applications got a positive answer.", valueName: "A"))
        var both: Int

        @Option(name: .customLong("reference-only"), parsing: .unconditional, help: ArgumentHelp("b: tests where only the reference arm's application did.", valueName: "B"))
        var referenceOnly: Int

        @Option(name: .customLong("tested-only"), parsing: .unconditional, help: ArgumentHelp("c: tests where only the tested arm's application did.", valueName: "C"))
        var testedOnly: Int

        @Option(name: .customLong("neither"), parsing: .unconditional, help: ArgumentHelp("d: tests where neither did.", valueName: "D"))
        var neither: Int

        @OptionGroup var level: LevelOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for (name, value) in [("--both", both), ("--reference-only", referenceOnly), ("--tested-only", testedOnly), ("--neither", neither)]
            where value < 0 {
                throw ValidationError("\(name) must be a count of tests (0 or more), got \(value).")
            }
        }

        func run() async throws {
            let analysis: PairedAnalysis
            do {
                let table = try PairedTable(both: both, referenceOnly: referenceOnly, testedOnly: testedOnly, neither: neither)
                analysis = try PairedAnalysis(table, level: level.level)
            } catch {
                throw report(error)
            }
            switch output.format {
            case .json: print(analysis.json.rendered())
            case .table: print(PairedTableRenderer(analysis).text)
            }
        }
    }
}

/// The human-readable form of a ``PairedAnalysis``.
struct PairedTableRenderer {
    let analysis: PairedAnalysis
    init(_ analysis: PairedAnalysis) { self.analysis = analysis }

    var text: String {
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
