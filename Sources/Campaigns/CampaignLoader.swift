import Foundation

/// A campaign read from disk and found valid, with its targets and its exact bytes.
public struct LoadedCampaign: Sendable {
    public let campaign: Campaign
    /// The targets, from the inline list or the CSV file.
    public let targets: [Target]
    /// The campaign file's bytes (hashed into the plan).
    public let source: Data
    /// The targets CSV's bytes, when the targets come from a file.
    public let targetsSource: Data?
    public let url: URL
}

/// Reads and validates campaign files.
public enum CampaignLoader {
    /// Reads `url`, checks it against the schema and the campaign rules, and decodes it.
    ///
    /// - Throws: ``CampaignValidationError`` listing every problem found (with
    ///   `missingInput` set when the file itself cannot be read).
    public static func load(_ url: URL) throws(CampaignValidationError) -> LoadedCampaign {
        // Messages name files as the user wrote them (relative paths stay relative).
        let name = url.relativePath
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: "file", message: "cannot be read (no such file, or no permission)")],
                                          missingInput: true)
        }
        let document: JSONNode
        do {
            document = try JSONReader.read(data)
        } catch {
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: error.location, message: error.message, hint: error.hint)])
        }
        var issues = SchemaValidator(file: name).validate(document)

        // Targets: inline, or from the CSV file the campaign names.
        var targets: [Target] = []
        var targetsSource: Data?
        if let list = document["targets"]?.array {
            targets = list.compactMap { try? JSONDecoder().decode(Target.self, from: JSONEncoder().encode(AnyJSON($0))) }
        } else if let path = document["targets"]?["file"]?.string {
            let folder = (name as NSString).deletingLastPathComponent
            let csvName = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
            let csvURL = URL(fileURLWithPath: csvName)
            let read = TargetsFile.read(csvURL, displayName: csvName)
            targets = read.targets
            issues += read.issues
            targetsSource = FileManager.default.contents(atPath: csvURL.path)
        }

        var validator = CampaignValidator(file: name, document: document, targets: targets)
        issues += validator.validate()
        guard issues.isEmpty else { throw CampaignValidationError(issues: issues) }
        do {
            let campaign = try JSONDecoder().decode(Campaign.self, from: data)
            return LoadedCampaign(campaign: campaign, targets: targets, source: data, targetsSource: targetsSource, url: url)
        } catch {
            // Reaching this means the schema accepts something the model does not: a bug.
            throw CampaignValidationError(issues: [ValidationIssue(file: name, location: "file",
                message: "passed validation but could not be read (\(describe(error)))",
                hint: "this is a Barometre bug: please report it with the file")])
        }
    }

    static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case let .dataCorrupted(context): return context.debugDescription + (context.underlyingError.map { ": \($0)" } ?? "")
            case let .keyNotFound(key, _): return "missing \(key.stringValue)"
            case let .typeMismatch(_, context), let .valueNotFound(_, context): return context.debugDescription
            @unknown default: return "\(error)"
            }
        }
        return "\(error)"
    }
}

/// Re-encodes a ``JSONNode`` so a fragment can be decoded into a model type.
struct AnyJSON: Encodable {
    let node: JSONNode
    init(_ node: JSONNode) { self.node = node }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch node {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(items): try container.encode(items.map(AnyJSON.init))
        case let .object(members): try container.encode(members.mapValues(AnyJSON.init))
        }
    }
}
