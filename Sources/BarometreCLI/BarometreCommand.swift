import ArgumentParser

/// The `barometre` command line: a thin shell over the library modules.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct BarometreCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "barometre",
        abstract: "Design, record and analyse paired discrimination tests (testing de situation).",
        discussion: """
            Barometre turns a campaign of paired applications (housing, employment, internship) \
            into a discrimination barometer with correct paired statistics. Every estimate is \
            printed with its interval, its method and its denominator.

            Exit codes follow sysexits: 64 usage error, 65 bad data, 66 missing input, \
            70 internal numerical failure, 73 cannot create output, 74 I/O error.
            """,
        version: "0.1.0",
        subcommands: [ValidateCommand.self, PlanCommand.self, RecordCommand.self, HistoryCommand.self, ImportCommand.self,
                      ImportStudyCommand.self, ExportCommand.self, StatusCommand.self, SimulateCommand.self, DesignPowerCommand.self, AnalyzeCommand.self, ReportCommand.self, PseudonymCommand.self, ServeCommand.self, TestersCommand.self, StaffCommand.self, StatsCommand.self, SchemaCommand.self]
    )

    public init() {}
}
