import Reports
import ArgumentParser
import Stats
import Values

extension StatsCommand {
    /// `barometre stats coverage`: how often each interval method holds the truth, for a design.
    struct CoverageCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Simulate a paired design and report the observed coverage of every interval method.",
            discussion: """
                The true design: --tests paired tests, the reference arm positive with probability \
                --p-reference, the tested arm with --p-tested, and --discordance the share of the \
                tested arm's positives that fall in tests where the reference arm was negative. \
                Tables are drawn with the seeded GSL generator (SIMULATED data); each interval is \
                checked against the true difference, ratio, conditional odds ratio and rate. \
                A method whose coverage falls below the level (beyond simulation error) does not \
                hold it. `make coverage` runs the grid recorded in bench/coverage.md.
                """
        )

        @Option(help: "Number of paired tests.") var tests: Int
        @Option(name: .customLong("p-reference"), help: "Positive rate of the reference arm.") var pReference: Double
        @Option(name: .customLong("p-tested"), help: "Positive rate of the tested arm.") var pTested: Double
        @Option(help: "Share of the tested arm's positives that are discordant (0 to 1).") var discordance: Double = 0.3
        @Option(help: "Number of simulated designs.") var simulations: Int = 10_000
        @Option(help: "Seed of the simulation.") var seed: UInt64 = 1
        @OptionGroup var level: LevelOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard tests >= 1 else { throw ValidationError("--tests must be at least 1, got \(tests).") }
            guard simulations >= 1 else { throw ValidationError("--simulations must be at least 1, got \(simulations).") }
            for (name, value) in [("--p-reference", pReference), ("--p-tested", pTested), ("--discordance", discordance)] where !(value >= 0 && value <= 1) {
                throw ValidationError("\(name) must lie between 0 and 1, got \(value).")
            }
        }

        func run() async throws {
            let results: [Coverage.Result]
            do {
                let design = try Coverage.Design(tests: tests, referenceRate: pReference, testedRate: pTested, discordance: discordance)
                results = try Coverage.run(design, simulations: simulations, level: level.level, seed: seed)
            } catch {
                throw report(error)
            }
            switch output.format {
            case .json:
                print(JSONValue.object([
                    ("simulated", .bool(true)), ("tests", .int(tests)), ("pReference", .number(pReference)), ("pTested", .number(pTested)),
                    ("discordance", .number(discordance)), ("simulations", .int(simulations)), ("seed", .int(Int(seed))), ("level", .number(level.level)),
                    ("coverage", .array(results.map { r in
                        .object([("family", .string(r.family)), ("method", .string(r.method)), ("coverage", .number(r.coverage)),
                                 ("se", .number(r.standardError)), ("defined", .int(r.defined))])
                    })),
                ]).rendered())
            case .table:
                print("SIMULATED: \(simulations) designs of \(tests) tests, p_R = \(pReference), p_T = \(pTested), discordance \(discordance), seed \(seed)")
                for r in results {
                    print("  \(padded(r.family, 11)) \(padded(r.method, 16)) coverage \(decimal(r.coverage)) ± \(decimal(r.standardError)) (\(r.defined) defined)")
                }
            }
        }
    }
}
