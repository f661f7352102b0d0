import Foundation
import Testing
@testable import Campaigns

/// Which differences may be amended once answers exist (issue #14 item 5).
@Suite("Campaign amendments: allowed and refused changes")
struct CampaignAmendmentTests {
    static var base: [String: Any] { [
        "id": "c", "title": "Titre", "territory": "Lille", "language": "fr",
        "criterion": ["grounds": ["origin"], "description": "noms"],
        "arms": [["id": "a", "label": "A", "identities": [["firstName": "Léa"]]]],
        "templates": [["id": "t", "channel": "email", "body": "Bonjour {{target.organization}}"]],
        "design": ["responseWindowDays": 14, "gapHours": ["min": 1, "max": 2]],
        "publication": ["minimumCellSize": 5],
    ] }

    func compare(_ change: (inout [String: Any]) -> Void) throws -> CampaignAmendment {
        var amended = Self.base
        change(&amended)
        return try CampaignAmendment.compare(registered: JSONSerialization.data(withJSONObject: Self.base),
                                             amended: JSONSerialization.data(withJSONObject: amended))
    }

    @Test("title, descriptions, labels, translations, response window, publication and analysis may change")
    func allowed() throws {
        let amendment = try compare { json in
            json["title"] = "Titre corrigé"
            json["criterion"] = ["grounds": ["origin"], "description": "prénoms et noms"]
            json["arms"] = [["id": "a", "label": "Profil A", "identities": [["firstName": "Léa"]]]]
            json["design"] = ["responseWindowDays": 21, "gapHours": ["min": 1, "max": 2]]
            json["publication"] = ["minimumCellSize": 10]
            json["analysis"] = ["primary": ["a"]]
            json["translations"] = ["en": ["title": "Title"]]
        }
        #expect(amendment.refused.isEmpty, "\(amendment.refused)")
        #expect(Set(amendment.allowed.map(\.path)) == ["$.title", "$.criterion.description", "$.arms[0].label", "$.design.responseWindowDays",
                                                       "$.publication.minimumCellSize", "$.analysis", "$.translations"])
        let window = try #require(amendment.changes.first { $0.path == "$.design.responseWindowDays" })
        #expect(window.before == "14" && window.after == "21")
    }

    @Test("identities, grounds, the rest of the design, templates, id are refused with their reason")
    func refused() throws {
        let amendment = try compare { json in
            json["arms"] = [["id": "a", "label": "A", "identities": [["firstName": "Zoé"]]]]
            json["criterion"] = ["grounds": ["sex"], "description": "noms"]
            json["design"] = ["responseWindowDays": 14, "gapHours": ["min": 1, "max": 3]]
            json["templates"] = [["id": "t", "channel": "email", "body": "Madame, Monsieur"]]
            json["id"] = "d"
        }
        let reasons = Dictionary(uniqueKeysWithValues: amendment.refused.map { ($0.path, $0.refusal!) })
        #expect(reasons["$.arms[0].identities[0].firstName"] == "applications were sent under these identities")
        #expect(reasons["$.criterion.grounds[0]"] == "the criterion's grounds define what is tested")
        #expect(reasons["$.design.gapHours.max"]?.contains("the plan") == true)
        #expect(reasons["$.templates[0].body"] == "the documents sent were rendered from these templates")
        #expect(reasons["$.id"]?.contains("a new id is a new campaign") == true)
        #expect(amendment.allowed.isEmpty)
    }

    @Test("the title is refused when a template prints it (documents already sent carry it)")
    func printedTitle() throws {
        var registered = Self.base
        registered["templates"] = [["id": "t", "channel": "email", "body": "Objet : {{campaign.title}}"]]
        var amended = registered
        amended["title"] = "Autre"
        let amendment = try CampaignAmendment.compare(registered: JSONSerialization.data(withJSONObject: registered),
                                                      amended: JSONSerialization.data(withJSONObject: amended))
        #expect(amendment.refused.map(\.path) == ["$.title"])
        #expect(amendment.refused.first?.refusal?.contains("{{campaign.title}}") == true)
    }

    @Test("the targets file may move; inline targets may not change")
    func targetsFile() throws {
        var registered = Self.base
        registered["targets"] = ["file": "targets.csv"]
        var moved = registered
        moved["targets"] = ["file": "../data/targets.csv"]
        let amendment = try CampaignAmendment.compare(registered: JSONSerialization.data(withJSONObject: registered),
                                                      amended: JSONSerialization.data(withJSONObject: moved))
        #expect(amendment.refused.isEmpty && amendment.allowed.map(\.path) == ["$.targets.file"])
        var inline = Self.base
        inline["targets"] = [["id": "A"]]
        var changed = inline
        changed["targets"] = [["id": "B"]]
        let refused = try CampaignAmendment.compare(registered: JSONSerialization.data(withJSONObject: inline),
                                                    amended: JSONSerialization.data(withJSONObject: changed))
        #expect(refused.refused.first?.refusal == "the tests were drawn for these targets")
    }
}
