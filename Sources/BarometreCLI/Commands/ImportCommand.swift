import Reports
import Campaigns
import ArgumentParser
import Foundation
import Ledger
import Stats
import Values

/// `barometre import`: outcomes for planned applications, from a CSV file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import answers for planned applications from a CSV file (all or nothing).",
        discussion: """
            Columns: campaign, application, outcome, observed_at (required); recorded_by, note \
            (optional); measure.<name> for numeric measures (e.g. measure.delay_hours). One \
            row per answer, UTF-8, comma-separated, with a header.

            Every line is checked first; if any is bad, each bad line is reported (line, \
            column, reason) and nothing is written. Importing the same file again writes \
            nothing and says so.
            """
    )

    @Argument(help: ArgumentHelp("The outcomes file.", valueName: "outcomes.csv"))
    var file: String

    @Option(help: ArgumentHelp("Who recorded the answers, for rows without recorded_by (default: $USER).", valueName: "name"))
    var by: String?

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let data = try readInput(file)
        let store = try ledger.open()
        do {
            let summary = try store.importOutcomes(data, fileName: file, recordedBy: by ?? ProcessInfo.processInfo.environment["USER"] ?? "import")
            print("imported \(summary.rows) answer\(summary.rows == 1 ? "" : "s") for \(summary.campaigns.joined(separator: ", ")) (import \(summary.importID))")
        } catch {
            let code = report(error)
            if code != .success { throw code }
        }
    }
}

/// `barometre import-study`: an existing study's data, one row per application.
struct ImportStudyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-study",
        abstract: "Import an existing study's data (one row per application) as tests and answers.",
        discussion: """
            Rows with the same --target value form one test. An application's arm is the \
            values of the --arm columns joined with "." (e.g. Woman.S); --reference names the \
            reference arm's values in the same order. An application is positive when its \
            --outcome value is one of --positive. Several applications of one arm to one target \
            are kept as replicates. --slice columns describe the target (constant within it).

            Example (TEPP inter1, shared/data/tepp):
              barometre import-study inter1.csv --id inter1 --target offer --arm gender,origin \\
                  --reference Man,F --outcome callback --positive TRUE --slice paris --order sentorder
            """
    )

    @Argument(help: ArgumentHelp("The study's data file.", valueName: "data.csv"))
    var file: String

    @Option(help: ArgumentHelp("An id for the study in the ledger.", valueName: "name"))
    var id: String

    @Option(help: ArgumentHelp("A title (default: the file's name without its extension).", valueName: "text"))
    var title: String?

    @Option(help: ArgumentHelp("The column naming the target (job ad, listing).", valueName: "column"))
    var target: String

    @Option(help: ArgumentHelp("The column(s) defining the arm, comma-separated.", valueName: "column,…"))
    var arm: String

    @Option(help: ArgumentHelp("The reference arm's values, comma-separated, in --arm order.", valueName: "value,…"))
    var reference: String

    @Option(help: ArgumentHelp("The column holding the answer.", valueName: "column"))
    var outcome: String

    @Option(help: ArgumentHelp("Answer values counted as positive, comma-separated (default: TRUE,true,1,yes,oui).", valueName: "value,…"))
    var positive: String?

    @Option(help: ArgumentHelp("A column to slice by (repeatable).", valueName: "column"))
    var slice: [String] = []

    @Option(help: ArgumentHelp("The column naming the organization (employer, agency).", valueName: "column"))
    var organization: String?

    @Option(help: ArgumentHelp("The column giving the send order within a test (1, 2, …).", valueName: "column"))
    var order: String?

    @Option(help: ArgumentHelp("A tested arm whose comparison with the reference is primary (repeatable; default: every tested arm). Only primary comparisons make headlines.", valueName: "arm"))
    var primary: [String] = []

    @Option(help: ArgumentHelp("A label for people for an arm, e.g. --label \"Woman.S=Femme, origine sénégalaise\" (repeatable): reports never show the raw code.", valueName: "ARM=TEXT"))
    var label: [String] = []

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard id.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
            throw ValidationError("--id \(id): use letters, digits, '.', '_' and '-' (e.g. inter1).")
        }
        for item in label where !item.contains("=") || item.hasPrefix("=") || item.hasSuffix("=") {
            throw ValidationError("--label takes ARM=TEXT (e.g. \"Woman.S=Femme, origine sénégalaise\"), got \(item).")
        }
        for item in label {
            if let problem = TextSafety.problem(in: item, multiline: false) { throw ValidationError("--label \(problem): type the label again.") }
        }
    }

    func run() async throws {
        let data = try readInput(file)
        let store = try ledger.open(create: true)
        let defaultTitle = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var options = StudyImportOptions(id: id, title: title ?? defaultTitle, targetColumn: target, armColumns: split(arm), reference: split(reference),
                                         outcomeColumn: outcome, sliceColumns: slice, organizationColumn: organization, orderColumn: order)
        if let positive { options.positiveValues = split(positive) }
        if !primary.isEmpty { options.primary = primary }
        for item in label {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            options.labels[parts[0]] = parts[1]
        }
        do {
            let summary = try store.importStudy(data, fileName: file, options: options)
            switch output.format {
            case .json:
                print(JSONValue.object([("study", .string(summary.study)), ("tests", .int(summary.tests)), ("applications", .int(summary.applications)),
                                        ("positives", .int(summary.positives)),
                                        ("arms", .object(summary.arms.keys.sorted().map { ($0, .int(summary.arms[$0]!)) }))]).rendered())
            case .table:
                print("imported study \(summary.study): \(summary.tests) tests, \(summary.arms.count) arms, \(summary.applications) applications, \(summary.positives) positive")
                for arm in summary.arms.keys.sorted() {
                    print("  \(padded(arm, 16)) \(summary.arms[arm]!) applications" + (arm == options.referenceArm ? "  (reference)" : ""))
                }
            }
        } catch {
            let code = report(error)
            if code != .success { throw code }
        }
    }

    private func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
