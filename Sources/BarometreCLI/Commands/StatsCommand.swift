import ArgumentParser

/// `barometre stats`: the statistical calculator.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Compute paired and one-sample statistics from counts, for quick checks.",
        discussion: """
            The same library code the barometer uses, fed with counts you type. Use it to check \
            a published table, to cross-check another package, or to plan a campaign's size.

            Examples:
              barometre stats paired --both 59 --reference-only 6 \\
                  --tested-only 16 --neither 80
              barometre stats proportion --positives 86 --trials 310
              barometre stats power --p10 0.10 --p01 0.05
              barometre stats report-card organizations.csv
            """,
        subcommands: [Paired.self, ProportionCommand.self, PowerCommand.self, CoverageCommand.self, ReportCardCommand.self]
    )
}
