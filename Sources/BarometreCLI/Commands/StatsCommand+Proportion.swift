import Reports
import ArgumentParser
import Stats
import Values

extension StatsCommand {
    /// `barometre stats proportion`: one positive rate with its intervals.
    struct ProportionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "proportion",
            abstract: "Estimate one positive rate (positives out of trials) with its intervals.",
            discussion: """
                Prints the rate with Wilson (the default), Clopper–Pearson exact, Jeffreys, \
                Agresti–Coull and mid-p intervals.
                """
        )

        @Option(help: ArgumentHelp("Number of positive answers.", valueName: "X"))
        var positives: Int

        @Option(help: ArgumentHelp("Number of applications.", valueName: "N"))
        var trials: Int

        @OptionGroup var level: LevelOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard positives >= 0 else { throw ValidationError("--positives must be 0 or more, got \(positives).") }
            guard trials >= 1 else { throw ValidationError("--trials must be at least 1, got \(trials).") }
            guard positives <= trials else {
                throw ValidationError("--positives (\(positives)) cannot exceed --trials (\(trials)); check the two are not swapped.")
            }
        }

        func run() async throws {
            var intervals: [(ProportionIntervalMethod, ConfidenceInterval)] = []
            do {
                for method in ProportionIntervalMethod.allCases {
                    intervals.append((method, try Proportion.interval(positives: positives, trials: trials, level: level.level, method: method)))
                }
            } catch {
                throw report(error)
            }
            let estimate = Double(positives) / Double(trials)
            switch output.format {
            case .json:
                let json = JSONValue.object([
                    ("level", .number(level.level)),
                    ("positives", .int(positives)),
                    ("trials", .int(trials)),
                    ("estimate", .number(estimate)),
                    ("intervals", .object(intervals.map { ($0.0.rawValue, .array([.number($0.1.lower), .number($0.1.upper)])) })),
                    ("methods", .object(intervals.map { ($0.0.rawValue, .string("\($0.0.name) — \($0.0.reference)")) })),
                ])
                print(json.rendered())
            case .table:
                print("Positive rate \(positives)/\(trials) = \(decimal(estimate)); intervals at \(percent(level.level)) confidence")
                for (method, interval) in intervals {
                    let marker = method == .wilson ? "  (default)" : ""
                    print("  \(padded(method.name, 24)) [\(decimal(interval.lower)), \(decimal(interval.upper))]\(marker)")
                }
            }
        }
    }
}
