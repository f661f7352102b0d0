import ArgumentParser
import Values
import Reports
import Campaigns
import Foundation
import Ledger
import Stats

/// How a command prints its results.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
}

/// Options shared by every command that prints results.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for people) or json (for programs).")
    var format: OutputFormat = .table
}

/// How the report card's grades are chosen (`analyze`, `report`, `stats report-card`).
struct GradingOptions: ParsableArguments {
    @Option(name: .customLong("grades-lambda"), help: ArgumentHelp("Report card grades by the λ trade-off, 0 (one grade) to 1 (a full ranking) (default: a campaign's analysis.reportCard, else 0.25).", valueName: "λ"))
    var gradesLambda: Double?

    @Option(name: .customLong("grades-dr"), help: ArgumentHelp("Report card grades instead as the most grades whose expected mis-ordered pairs stay within this rate, e.g. 0.05.", valueName: "rate"))
    var gradesDR: Double?

    func validate() throws {
        if gradesLambda != nil, gradesDR != nil { throw ValidationError("Give --grades-lambda or --grades-dr, not both: grades are chosen one way.") }
        if let l = gradesLambda, !(0...1).contains(l) { throw ValidationError("--grades-lambda must lie between 0 (one grade) and 1 (a full ranking), got \(l).") }
        if let d = gradesDR, !(d > 0 && d <= 1) { throw ValidationError("--grades-dr must lie in (0, 1], e.g. 0.05, got \(d).") }
    }

    /// The choice made on the command line, if any.
    var objective: GradingObjective? { gradesLambda.map { .lambda($0) } ?? gradesDR.map { .discordanceRate($0) } }
}

/// The confidence level option, validated once.
struct LevelOption: ParsableArguments {
    @Option(help: "Confidence level of every interval, strictly between 0 and 1.")
    var level: Double = 0.95

    func validate() throws {
        guard level > 0, level < 1, level.isFinite else {
            throw ValidationError("--level must lie strictly between 0 and 1 (e.g. 0.95 for 95% intervals), got \(level).")
        }
    }
}

/// sysexits(3) codes used across the CLI.
enum SysExit {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)
}

/// Writes an error to standard error in the CLI's format and returns the exit code for it.
/// Bad arguments are usage errors (64); data that cannot be analysed is a data error (65).
func report(_ error: StatisticsError, dataError: Bool = false) -> ExitCode {
    printError("error: \(error.description)")
    if case .numerical = error { return SysExit.software }
    return dataError ? SysExit.dataError : SysExit.usage
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        StandardErrorStream.write(string)
    }
}

/// `--db PATH`: where the ledger is (default `BAROMETRE_DB`, else results/barometre.sqlite).
struct LedgerOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The ledger database (default: $BAROMETRE_DB, else results/barometre.sqlite).", valueName: "path"))
    var path: String?

    var resolvedPath: String { path ?? Ledger.defaultPath }

    /// Opens the ledger. Commands that only read (or add to what is there) need it to exist:
    /// a mistyped --db must not leave an empty ledger behind.
    func open(create: Bool = false) throws -> Ledger {
        if !create && !FileManager.default.fileExists(atPath: resolvedPath) {
            printError("error: there is no ledger at \(resolvedPath)\n  hint: check --db (or BAROMETRE_DB); `barometre plan` or `barometre import-study` creates one")
            throw SysExit.noInput
        }
        do { return try Ledger.open(path: resolvedPath) } catch { throw report(error) }
    }

    /// Opens the ledger for commands that only read (status, history, export, analyze,
    /// report, pseudonym): an archived, read-only or backed-up ledger can be queried, and
    /// nothing is written.
    func openForReading() throws -> Ledger {
        if !FileManager.default.fileExists(atPath: resolvedPath) {
            printError("error: there is no ledger at \(resolvedPath)\n  hint: check --db (or BAROMETRE_DB); `barometre plan` or `barometre import-study` creates one")
            throw SysExit.noInput
        }
        do {
            return try Ledger.openReadOnly(path: resolvedPath)
        } catch {
            // A ledger written by an older version, that may be written: brought up to date
            // once (its migrations), then read as usual.
            guard FileManager.default.isWritableFile(atPath: resolvedPath), (try? Ledger.open(path: resolvedPath)) != nil else {
                throw report(error, reading: true)
            }
            do { return try Ledger.openReadOnly(path: resolvedPath) } catch { throw report(error, reading: true) }
        }
    }
}

/// Writes a ledger error to standard error and returns its sysexits code.
func report(_ error: LedgerError, reading: Bool = false) -> ExitCode {
    switch error {
    case .cannotOpen where reading:
        printError("error: \(error.description)")
        return SysExit.noInput
    case .alreadyImported:
        print(error.description)
        return .success
    case .cannotOpen:
        printError("error: \(error.description)\n  hint: check the path given with --db (or BAROMETRE_DB) and its folder's permissions")
        return SysExit.cannotCreate
    case .database:
        printError("error: \(error.description)")
        return SysExit.ioError
    case .cannotWrite:
        printError("error: \(error.description)\n  hint: check the output folder and its permissions; nothing was recorded")
        return SysExit.cannotCreate
    case .notFound, .refused, .badLines:
        let (errors, hint) = error.report
        printError((errors.map { "error: " + $0 } + (hint.map { ["  hint: " + $0] } ?? [])).joined(separator: "\n"))
        return SysExit.dataError
    }
}

/// Reads a whole input file, or explains why it cannot.
func readInput(_ path: String) throws -> Data {
    guard let data = FileContents.read(path) else {
        printError("error: \(path): cannot be read (no such file, or no permission)")
        throw SysExit.noInput
    }
    return data
}

/// Loads and validates a campaign file for a command, or prints every problem (with the
/// command's verb: "not planned", "not amended", …) and exits 65 (66 when unreadable).
func loadCampaign(_ file: String, or verb: String) throws -> LoadedCampaign {
    do {
        return try CampaignLoader.load(URL(fileURLWithPath: file))
    } catch {
        for issue in error.issues { printError("error: " + issue.rendered) }
        printError("\(file): \(verb): fix the \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") above first")
        throw error.missingInput ? SysExit.noInput : SysExit.dataError
    }
}

/// `--lang fr|en` (a report's `Language` or the web app's `WebLanguage`), with the same
/// message wherever it is taken.
func parseLanguage<L: RawRepresentable>(_ text: String) throws -> L where L.RawValue == String {
    guard let language = L(rawValue: text) else { throw ValidationError("--lang must be fr or en, got \(text).") }
    return language
}
