import Reports
import ArgumentParser
import Stats
import Values

extension StatsCommand {
    /// `barometre stats power`: pairs needed for a paired design, or the power of a given size.
    struct PowerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "power",
            abstract: "Find the number of paired tests needed, or the power of a given number.",
            discussion: """
                State the discrimination you want to detect as the probabilities of the two \
                discordant outcomes of a test: --p10, the reference arm alone gets a positive \
                answer; --p01, the tested arm alone does. Without --pairs, prints the number of \
                tests needed (Connor 1987) and the exact power of the mid-p McNemar test at that \
                size. With --pairs N, prints the exact power of the two-sided mid-p test with N \
                tests (binomial enumeration), and Connor's asymptotic power beside it.

                Example: --p10 0.10 --p01 0.05 (α 5%, power 80%) needs 469 tests.
                """
        )

        @Option(help: ArgumentHelp("Probability that only the reference arm gets a positive answer.", valueName: "P"))
        var p10: Double

        @Option(help: ArgumentHelp("Probability that only the tested arm gets a positive answer.", valueName: "Q"))
        var p01: Double

        @Option(help: "Two-sided significance level.")
        var alpha: Double = 0.05

        @Option(help: "Target power, used when --pairs is not given.")
        var power: Double = 0.8

        @Option(help: ArgumentHelp("Number of paired tests: prints the power of this design instead.", valueName: "N"))
        var pairs: Int?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            for (name, value) in [("--p10", p10), ("--p01", p01)] where !(value >= 0 && value <= 1) {
                throw ValidationError("\(name) must be a probability between 0 and 1, got \(value).")
            }
            guard p10 + p01 <= 1 else {
                throw ValidationError("--p10 + --p01 must not exceed 1 (they are probabilities of two outcomes of one test), got \(p10 + p01).")
            }
            guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie strictly between 0 and 1 (e.g. 0.05), got \(alpha).") }
            guard power > 0, power < 1 else { throw ValidationError("--power must lie strictly between 0 and 1 (e.g. 0.8), got \(power).") }
            if let pairs, pairs < 1 { throw ValidationError("--pairs must be at least 1, got \(pairs).") }
            if pairs == nil, p10 == p01 {
                throw ValidationError("--p10 and --p01 are equal: there is no difference to detect. State the discordant probabilities you expect under discrimination, e.g. --p10 0.10 --p01 0.05.")
            }
        }

        func run() async throws {
            let result: (json: JSONValue, lines: [String])
            do {
                result = try compute()
            } catch {
                throw report(error)
            }
            switch output.format {
            case .json: print(result.json.rendered())
            case .table: print(result.lines.joined(separator: "\n"))
            }
        }

        private func compute() throws(StatisticsError) -> (json: JSONValue, lines: [String]) {
            if let pairs {
                let exact = try PairedPower.midPPower(pairs: pairs, p10: p10, p01: p01, alpha: alpha)
                var asymptotic: Double? = nil
                if p10 != p01 {
                    asymptotic = try PairedPower.asymptoticPower(pairs: pairs, p10: p10, p01: p01, alpha: alpha)
                }
                let json = JSONValue.object([
                    ("power", .number(exact)),
                    ("pairs", .int(pairs)), ("p10", .number(p10)), ("p01", .number(p01)), ("alpha", .number(alpha)),
                    ("method", .string("exact power of the two-sided mid-p McNemar test (binomial enumeration)")),
                    ("asymptoticPower", asymptotic.map(JSONValue.number) ?? .null),
                    ("asymptoticMethod", .string("Connor (1987)")),
                ])
                return (json, [
                    "With \(pairs) paired tests (p10 = \(p10), p01 = \(p01), two-sided α = \(alpha)):",
                    "  power of the mid-p McNemar test (exact)  \(decimal(exact))",
                    "  Connor's asymptotic power                \(decimal(asymptotic))",
                ])
            }
            let needed = try PairedPower.pairsNeeded(p10: p10, p01: p01, alpha: alpha, power: power)
            let exact = try PairedPower.midPPower(pairs: needed, p10: p10, p01: p01, alpha: alpha)
            let json = JSONValue.object([
                ("pairs", .int(needed)),
                ("p10", .number(p10)), ("p01", .number(p01)), ("alpha", .number(alpha)), ("power", .number(power)),
                ("method", .string("Connor (1987) — Biometrics 43:207–211")),
                ("midPPowerAtPairs", .number(exact)),
            ])
            return (json, [
                "\(needed) paired tests are needed to detect p10 = \(p10) against p01 = \(p01)",
                "with power \(percent(power)) at two-sided α = \(alpha) (Connor 1987).",
                "Exact power of the mid-p McNemar test with \(needed) tests: \(decimal(exact)).",
            ])
        }
    }
}
