import Foundation

/// A territory's barometer: campaigns and imported studies across domains, criteria and
/// waves, reported together (`barometre report --barometer FILE`).
public struct BarometerFile: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var campaign: String?
        public var study: String?
        public var domain: Domain?
        public var criterion: String?
        public var wave: Int?
        /// The primary comparisons' tested arms (default: the campaign's analysis.primary,
        /// else every tested arm).
        public var primary: [String]?
        /// Labels for people of an imported study's arm codes (`"Woman.S": "Femme, origine sénégalaise"`).
        public var labels: [String: String]?
        /// The entry's texts in other languages: `{"en": {"criterion": …, "labels": {…}}}`.
        public var translations: [String: EntryTranslation]?

        /// The campaign or study id.
        public var id: String { campaign ?? study ?? "" }
    }

    /// An entry's texts in another language.
    public struct EntryTranslation: Codable, Sendable, Equatable {
        public var criterion: String?
        public var labels: [String: String]?
    }

    /// The file's texts in another language.
    public struct FileTranslation: Codable, Sendable, Equatable {
        public var title: String?
        public var territory: String?
    }

    public var schema: String?
    public var title: String
    public var territory: String
    public var entries: [Entry]
    /// The language of the file's texts (default fr) and their translations.
    public var language: String?
    public var translations: [String: FileTranslation]?

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case title, territory, entries, language, translations
    }

    /// Reads and checks a barometer file; every problem is listed with its JSON path.
    public static func load(_ url: URL) throws(CampaignValidationError) -> BarometerFile {
        let name = url.relativePath
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: "file", message: "cannot be read (no such file, or no permission)")],
                                          missingInput: true)
        }
        let document: JSONNode
        do { document = try JSONReader.read(data) } catch {
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: error.location, message: error.message, hint: error.hint)])
        }
        var issues = SchemaValidator(file: name, schemaText: BarometerSchema.text).validate(document)
        for (index, entry) in (document["entries"]?.array ?? []).enumerated() {
            let path = JSONPath.root + "entries" + index
            let hasCampaign = entry["campaign"] != nil, hasStudy = entry["study"] != nil
            if hasCampaign == hasStudy {
                issues.append(ValidationIssue(file: name, location: path.description, message: "needs exactly one of \"campaign\" and \"study\"",
                                              hint: "name a campaign or an imported study registered in the ledger"))
            }
            if hasStudy {
                for key in ["domain", "criterion", "wave"] where entry[key] == nil {
                    issues.append(ValidationIssue(file: name, location: (path + key).description, message: "is required for an imported study",
                                                  hint: "a study's file does not say its domain, criterion or wave"))
                }
            }
        }
        guard issues.isEmpty else { throw CampaignValidationError(issues: issues) }
        do { return try JSONDecoder().decode(BarometerFile.self, from: data) } catch {
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: "file", message: "passed validation but could not be read (\(CampaignLoader.describe(error)))")])
        }
    }
}
