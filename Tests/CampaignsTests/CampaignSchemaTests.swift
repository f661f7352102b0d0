import Foundation
import Testing
import TestSupport
@testable import Campaigns

@Suite("Campaign schema and model")
struct CampaignSchemaTests {
    @Test("campaigns/schema/campaign.schema.json is the schema the validator uses")
    func fileMatches() throws {
        let file = try String(contentsOf: Repository.url("campaigns/schema/campaign.schema.json"), encoding: .utf8)
        #expect(file == CampaignSchema.text + "\n", "regenerate it with: barometre schema > campaigns/schema/campaign.schema.json")
    }

    @Test("the schema and the Codable model name the same keys, at every level")
    func schemaMatchesModel() throws {
        // Given a campaign that uses every key of the schema (Fixtures/full.json),
        let url = Repository.url("Tests/CampaignsTests/Fixtures/full.json")
        let loaded = try CampaignLoader.load(url)
        // When the model encodes what it decoded,
        let encoded = try JSONDecoder().decode(JSONNode.self, from: JSONEncoder().encode(loaded.campaign))
        let original = try JSONDecoder().decode(JSONNode.self, from: Data(contentsOf: url))
        let schema = try JSONDecoder().decode(JSONNode.self, from: Data(CampaignSchema.text.utf8))
        // Then nothing is lost (the model knows every key the file uses),
        #expect(encoded == original, "the model dropped or changed a key of full.json")
        // and every schema property is used by the fixture (so the comparison covers them all).
        var unused: [String] = []
        walk(original, schema: schema, root: schema, path: "$", unused: &unused)
        #expect(unused.isEmpty, "schema keys full.json does not exercise: \(unused)")
    }

    private func walk(_ value: JSONNode, schema raw: JSONNode, root: JSONNode, path: String, unused: inout [String]) {
        var schema = raw
        if let ref = schema["$ref"]?.string { schema = root["$defs"]![String(ref.dropFirst("#/$defs/".count))]! }
        if let options = schema["oneOf"]?.array {
            for option in options {
                let resolved = option["$ref"].flatMap { $0.string.map { root["$defs"]![String($0.dropFirst("#/$defs/".count))]! } } ?? option
                if (resolved["type"]?.string == "array") == (value.array != nil) { walk(value, schema: option, root: root, path: path, unused: &unused) }
            }
            return
        }
        if let members = value.object, let properties = schema["properties"]?.object {
            for key in properties.keys.sorted() {
                if let member = members[key] { walk(member, schema: properties[key]!, root: root, path: "\(path).\(key)", unused: &unused) }
                else { unused.append("\(path).\(key)") }
            }
        } else if let items = value.array, let itemSchema = schema["items"] {
            var merged: [String: JSONNode] = [:]
            for item in items { for (k, v) in item.object ?? [:] { merged[k] = v } }
            if !merged.isEmpty { walk(.object(merged), schema: itemSchema, root: root, path: "\(path)[]", unused: &unused) }
            else if let first = items.first { walk(first, schema: itemSchema, root: root, path: "\(path)[]", unused: &unused) }
        }
    }

    @Test("the three example campaigns validate", arguments: [
        "campaigns/employment-origin-lille-2026.json",
        "campaigns/housing-origin-residence-lille-2026.json",
        "campaigns/internship-residence-origin-lille-2026.json",
    ])
    func examples(path: String) throws {
        let loaded = try CampaignLoader.load(Repository.url(path))
        #expect(loaded.campaign.fictitious, "example targets must be marked fictitious")
        #expect(!loaded.targets.isEmpty)
    }

    @Test("domains carry METHODS.md §1's default scales")
    func scales() {
        #expect(Domain.employment.defaultScale == ["no_response", "refusal", "information_request", "interview"])
        #expect(Domain.housing.defaultScale == ["no_response", "refusal", "information_only", "visit_offered", "file_accepted"])
        #expect(Domain.internship.defaultScale == ["no_response", "refusal", "information_request", "interview", "offer"])
        #expect(Ground.allCases.count == 25, "French law (Code pénal art. 225-1) lists 25 grounds")
    }
}
