import ArgumentParser
import Campaigns
import Dispatch
import Foundation
import Reports
import Stats
import Values

extension StatsCommand {
    /// `barometre stats report-card`: the report card of organizations given as a CSV file.
    struct ReportCardCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-card",
            abstract: "Grade organizations from their estimates (or paired tables) in a CSV file: the empirical-Bayes report card.",
            discussion: """
                The report card of METHODS.md §4 (Kline, Rose & Walters 2024), computed from a \
                CSV file with a header and one row per organization: `organization,estimate,\
                standard_error` (θ̂ and s, e.g. from another study), or `organization,both,\
                reference_only,tested_only,neither` (its paired table: θ̂ and s are computed as \
                analyze computes them). Prints the prior's summary, each organization's \
                posterior, Condorcet rank and grade. --timing prints how long each stage took \
                (on standard error), for the benchmarks.

                Examples:
                  barometre stats report-card firms.csv
                  barometre stats report-card firms.csv --grades-dr 0.05 --format json
                """
        )

        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file.csv"))
        var file: String

        @OptionGroup var grading: GradingOptions

        @Option(help: ArgumentHelp("Points of the prior's grid.", valueName: "M"))
        var grid: Int = 1000

        @Option(help: ArgumentHelp("Organizations above which grades come from the dynamic program over the Condorcet order instead of the exact integer program (default 30 for λ, 15 for a DR bound).", valueName: "F"))
        var exactLimit: Int?

        @Flag(help: "Print each stage's wall time on standard error.")
        var timing = false

        @OptionGroup var level: LevelOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard grid >= 10 else { throw ValidationError("--grid must be at least 10 points, got \(grid).") }
            if let exactLimit, exactLimit < 0 { throw ValidationError("--exact-limit must be 0 or more, got \(exactLimit).") }
        }

        func run() async throws {
            let (names, estimates, errors) = try readOrganizations()
            let objective = grading.objective ?? .lambda(0.25)
            var clock = DispatchTime.now().uptimeNanoseconds
            func lap(_ stage: String) {
                let now = DispatchTime.now().uptimeNanoseconds
                if timing { StandardErrorStream.write("\(stage): \(String(format: "%.3f", Double(now - clock) / 1e9)) s\n") }
                clock = now
            }
            let card: ReportCard, grades: Grades
            do {
                card = try ReportCard.estimate(estimates: estimates, standardErrors: errors, level: level.level, gridPoints: grid,
                                               exactLimit: exactLimit ?? Grading.defaultExactLimit, stage: lap)
                grades = try Grading.grade(card.orderingProbabilities, count: card.count, objective: objective, order: card.condorcetOrder, exactLimit: exactLimit)
                lap("grades (\(grades.provenOptimal ? "exact" : "dynamic program"))")
            } catch {
                throw report(error, dataError: true)
            }
            switch output.format {
            case .json:
                print(JSONValue.object([
                    ("organizations", .int(card.count)), ("grid", .int(grid)), ("penalty", .number(card.prior.penalty)),
                    ("priorMean", .number(card.prior.mean)), ("priorSD", .number(card.prior.standardDeviation)),
                    ("sd", card.prior.biasCorrectedSD.map(JSONValue.number) ?? .null), ("concentration", card.concentration.map(JSONValue.number) ?? .null),
                    ("grades", .object([("objective", .string(objective.description)), ("count", .int(grades.count)),
                                        ("expectedMisorderedShare", grades.discordanceShare.map(JSONValue.number) ?? .null),
                                        ("provenOptimal", .bool(grades.provenOptimal)), ("objectiveValue", .number(grades.value)),
                                        ("bound", .number(grades.bound)), ("solver", .string(grades.method))])),
                    ("rows", .array(names.indices.map { f in
                        .object([("organization", .string(names[f])), ("estimate", .number(estimates[f])), ("standardError", .number(errors[f])),
                                 ("posteriorMean", .number(card.posteriors[f].mean)),
                                 ("interval", .array([.number(card.posteriors[f].interval.lower), .number(card.posteriors[f].interval.upper)])),
                                 ("condorcetRank", .int(card.condorcetRanks[f])), ("gradeFromTop", .int(grades.fromTop[f]))])
                    })),
                ]).rendered())
            case .table:
                print("\(card.count) organizations; prior on \(grid) points (penalty \(decimal(card.prior.penalty, places: 5))): mean \(decimal(card.prior.mean, places: 4)), SD \(decimal(card.prior.standardDeviation, places: 4)); "
                      + "bias-corrected SD of the estimates \(card.prior.biasCorrectedSD.map { decimal($0, places: 4) } ?? "0")")
                print("\(grades.count) grade(s) by \(objective); expected mis-ordered share among pairs graded apart \(grades.discordanceShare.map(percent) ?? "—"); \(grades.method)")
                print("organization\testimate\tse\tposterior\tlow\thigh\tCondorcet\tgrade (1 = most likely to discriminate)")
                for f in names.indices.sorted(by: { (grades.fromTop[$0], card.condorcetRanks[$0]) < (grades.fromTop[$1], card.condorcetRanks[$1]) }) {
                    let p = card.posteriors[f]
                    print("\(names[f])\t\(decimal(estimates[f], places: 4))\t\(decimal(errors[f], places: 4))\t\(decimal(p.mean, places: 4))\t\(decimal(p.interval.lower, places: 4))\t\(decimal(p.interval.upper, places: 4))\t\(card.condorcetRanks[f])\t\(grades.fromTop[f])")
                }
            }
        }

        /// The organizations of the CSV: θ̂ and s given, or computed from paired tables.
        func readOrganizations() throws -> ([String], [Double], [Double]) {
            let rows: CSVRows
            do { rows = try CSVRows(try readInput(file)) } catch let failure as CSVRows.Failure {
                let problem: String
                switch failure {
                case .notUTF8(let line): problem = "line \(line) is not UTF-8 text (save the CSV as UTF-8)"
                case .unclosedQuote(let line): problem = "line \(line): a quoted field is not closed (a \" is missing)"
                case .textAfterQuote(let line): problem = "line \(line) has text after a closing quote (double a \" inside a quoted field)"
                case .controlCharacter(let line, _, _): problem = "line \(line) holds an invisible control character (remove it)"
                case .tooLarge: problem = "the file is larger than 2 GB"
                }
                printError("error: \(file): \(problem)\n  hint: one organization per line, with a header line, saved as UTF-8 CSV")
                throw SysExit.dataError
            }
            func column(_ name: String) -> Int? { rows.header.firstIndex(of: name) }
            guard let organization = column("organization") else {
                printError("error: \(file): no \"organization\" column (header: \(rows.header.joined(separator: ",")))\n  hint: the header is organization,estimate,standard_error or organization,both,reference_only,tested_only,neither")
                throw SysExit.dataError
            }
            if let line = rows.malformed.first {
                printError("error: \(file), line \(line.line): \(line.count) fields where the header has \(rows.width)\n  hint: quote fields that hold commas")
                throw SysExit.dataError
            }
            var names: [String] = [], estimates: [Double] = [], errors: [Double] = []
            func fail(_ record: Int, _ message: String) -> ExitCode {
                printError("error: \(file), line \(rows.lines[record]): \(message)\n  hint: estimates and standard errors are decimals with a dot; counts are whole numbers")
                return SysExit.dataError
            }
            if let e = column("estimate"), let s = column("standard_error") {
                for r in 0..<rows.count {
                    guard let estimate = Double(rows.string(r, e)), estimate.isFinite else { throw fail(r, "estimate \"\(rows.string(r, e))\" is not a number") }
                    guard let error = Double(rows.string(r, s)), error > 0, error.isFinite else { throw fail(r, "standard_error \"\(rows.string(r, s))\" is not a positive number") }
                    names.append(rows.string(r, organization)); estimates.append(estimate); errors.append(error)
                }
            } else if let a = column("both"), let b = column("reference_only"), let c = column("tested_only"), let d = column("neither") {
                var tables: [PairedTable] = []
                for r in 0..<rows.count {
                    let counts = [a, b, c, d].map { Int(rows.string(r, $0)) }
                    guard counts.allSatisfy({ ($0 ?? -1) >= 0 }) else { throw fail(r, "the paired table's counts must be whole numbers of 0 or more") }
                    do { tables.append(try PairedTable(both: counts[0]!, referenceOnly: counts[1]!, testedOnly: counts[2]!, neither: counts[3]!)) } catch {
                        throw fail(r, "\(error)")
                    }
                    names.append(rows.string(r, organization))
                }
                do { (estimates, errors, _) = try OrganizationEstimates.from(tables) } catch { throw report(error, dataError: true) }
            } else {
                printError("error: \(file): the header needs estimate and standard_error, or both, reference_only, tested_only and neither (it has: \(rows.header.joined(separator: ",")))")
                throw SysExit.dataError
            }
            guard names.count >= 3 else {
                printError("error: \(file): \(names.count) organization(s); a report card needs several (at least 3, better 5 or more)")
                throw SysExit.dataError
            }
            return (names, estimates, errors)
        }
    }
}
