import Foundation
import ArgumentParser
import Stats

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
        subcommands: [ValidateCommand.self, PlanCommand.self, PreregisterCommand.self, AmendCommand.self, RecordCommand.self, HistoryCommand.self, ImportCommand.self,
                      ImportStudyCommand.self, ExportCommand.self, StatusCommand.self, SimulateCommand.self, DesignPowerCommand.self, AnalyzeCommand.self, ReportCommand.self, PseudonymCommand.self, EvidenceCommand.self, BackupCommand.self, VerifyCommand.self, ServeCommand.self, TestersCommand.self, StaffCommand.self, StatsCommand.self, SchemaCommand.self]
    )

    public init() {}

    /// Checks what ArgumentParser would misread, then runs the command. A negative number
    /// after an option that takes a count or a seed (`--seed -1`) would otherwise be taken for
    /// an option and reported as a missing value.
    public static func main() async {
        // OpenBLAS (CBC's LAPACK) spins a thread per core at start: stop them (``BLASThreads``).
        BLASThreads.stopIdle()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = CountArguments.problem(in: arguments) {
            printError("error: \(problem)")
            Foundation.exit(SysExit.usage.rawValue)
        }
        await main(arguments)
    }
}

/// The options that take a count, a seed or a port: whole numbers from 0 (or 1) up.
enum CountArguments {
    static let options: [String: String] = [
        "--seed": "a seed is a whole number from 0 to 18446744073709551615",
        "--simulations": "the number of simulations is a whole number from 1 up",
        "--tests": "the number of tests is a whole number from 1 up",
        "--tests-per-organization": "the number of tests per organization is a whole number from 1 up",
        "--port": "a port is a whole number from 1 to 65535", "--session-hours": "a duration in hours is a number above 0",
    ]

    /// What is wrong with the first negative number given to such an option, for a person.
    static func problem(in arguments: [String]) -> String? {
        for (k, argument) in arguments.enumerated() {
            if argument == "--" { return nil }
            let (name, value): (String, String?) = argument.contains("=")
                ? (String(argument.prefix { $0 != "=" }), String(argument.drop { $0 != "=" }.dropFirst()))
                : (argument, k + 1 < arguments.count ? arguments[k + 1] : nil)
            guard let rule = options[name], let value, value.hasPrefix("-"), value.dropFirst().first?.isNumber == true else { continue }
            return "\(name) \(value): negative numbers are not allowed here; \(rule)"
        }
        return nil
    }
}
