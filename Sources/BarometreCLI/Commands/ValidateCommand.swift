import ArgumentParser
import Campaigns
import Foundation
import Stats
import Values

/// `barometre validate`: every problem of one or more campaign files, at once.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check campaign files and report every problem at once.",
        discussion: """
            Checks each file against the campaign schema (campaigns/schema/campaign.schema.json; \
            `barometre schema` prints it) and against the design rules: one reference arm, arms \
            that differ only in the criterion, identity banks large enough that no identity is \
            reused at one organization, enough templates per channel that no two applications \
            of a test share one, template variables that exist, coherent dates and working \
            hours, a positive threshold on the outcome scale, and a readable targets CSV.

            Each problem is printed with its JSON path (or CSV line), what is wrong and a hint. \
            Exit status: 0 when every file is valid, 65 when one is not, 66 when one cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("Campaign files (JSON).", valueName: "campaign.json"))
    var files: [String]

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var results: [(String, Result<LoadedCampaign, CampaignValidationError>)] = []
        for file in files {
            do {
                results.append((file, .success(try CampaignLoader.load(URL(fileURLWithPath: file)))))
            } catch {
                results.append((file, .failure(error)))
            }
        }
        switch output.format {
        case .json:
            print(JSONValue.object([("files", .array(results.map { file, result in
                switch result {
                case let .success(loaded):
                    return .object([("file", .string(file)), ("valid", .bool(true)), ("summary", .string(summary(loaded)))])
                case let .failure(error):
                    return .object([("file", .string(file)), ("valid", .bool(false)), ("issues", .array(error.issues.map(\.json)))])
                }
            }))]).rendered())
        case .table:
            for (file, result) in results {
                switch result {
                case let .success(loaded):
                    print("\(file): valid — \(summary(loaded))")
                    for note in Self.translationNotes(loaded.campaign) { print("  note: \(note)") }
                case let .failure(error):
                    for issue in error.issues { printError("error: " + issue.rendered) }
                    printError("\(file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found")
                }
            }
        }
        let failures = results.compactMap { if case let .failure(error) = $0.1 { return error } else { return nil } }
        if failures.contains(where: \.missingInput) { throw SysExit.noInput }
        if !failures.isEmpty { throw SysExit.dataError }
    }

    /// Reports can be written in French or English: say which of the campaign's texts a
    /// report in the other language would show untranslated (a note, not an error).
    static func translationNotes(_ c: Campaign) -> [String] {
        var notes: [String] = []
        for language in ["fr", "en"] where language != c.textLanguage {
            let name = language == "fr" ? "French" : "English"
            guard let t = c.translations?[language] else {
                notes.append("no \(name) translation ($.translations.\(language)): \(language == "en" ? "an" : "a") \(name) report shows the title, criterion and arm labels as written")
                continue
            }
            var missing: [String] = []
            if t.title == nil { missing.append("title") }
            if t.criterion == nil { missing.append("criterion") }
            let arms = c.arms.filter { t.arms?[$0.id] == nil }.map(\.id)
            if !arms.isEmpty { missing.append("arms " + arms.joined(separator: ", ")) }
            if !missing.isEmpty { notes.append("the \(name) translation lacks: \(missing.joined(separator: "; ")) (shown as written in a \(name) report)") }
        }
        return notes
    }

    private func summary(_ loaded: LoadedCampaign) -> String {
        let c = loaded.campaign
        let applications = loaded.targets.count * c.arms.count * c.design.applicationsPerArm
        return "campaign \(c.id) (\(c.domain.rawValue), wave \(c.wave)\(c.fictitious ? ", fictitious targets" : "")): "
            + "\(c.arms.count) arms, \(loaded.targets.count) targets, \(applications) applications"
    }
}

extension ValidationIssue {
    /// For the terminal: a value quoted from the file is printed inert (`\u{1B}`).
    var rendered: String {
        TextSafety.printable("\(file): \(location): \(message)", multiline: false) + (hint.map { "\n  hint: " + TextSafety.printable($0, multiline: false) } ?? "")
    }

    var json: JSONValue {
        .object([("file", .string(file)), ("location", .string(location)), ("message", .string(message)),
                 ("hint", hint.map(JSONValue.string) ?? .null)])
    }
}
