import Foundation
import Testing
import TestSupport
@testable import Campaigns

@Suite("Barometer files")
struct BarometerFileTests {
    @Test("campaigns/schema/barometer.schema.json is the schema the program uses")
    func schemaFile() throws {
        let file = try String(contentsOf: Repository.url("campaigns/schema/barometer.schema.json"), encoding: .utf8)
        #expect(file == BarometerSchema.text + "\n", "regenerate it with: barometre schema --barometer > campaigns/schema/barometer.schema.json")
    }

    @Test("the example barometer file is valid")
    func example() throws {
        let file = try BarometerFile.load(Repository.url("campaigns/barometre-lille.json"))
        #expect(file.entries.count == 4 && file.entries[3].study == "inter1" && file.entries[3].domain == .employment)
    }

    @Test("mistakes are reported with their paths", arguments: [
        (#"{"title": "t", "territory": "x", "entries": [{"campaign": "a", "study": "b"}]}"#, "$.entries[0]", "needs exactly one of"),
        (#"{"title": "t", "territory": "x", "entries": [{"study": "b", "domain": "housing", "wave": 1}]}"#, "$.entries[0].criterion", "is required for an imported study"),
        (#"{"title": "t", "territory": "x", "entries": [{"campaign": "a", "domain": "logement"}]}"#, "$.entries[0].domain", "is not one of"),
        (#"{"title": "t", "entries": []}"#, "$.territory", "required key"),
        (#"{"title": "t", "territory": "x", "entries": [{"campaign": "a", "vague": 2}]}"#, "$.entries[0].vague", "unknown key"),
    ])
    func mistakes(json: String, location: String, message: String) throws {
        let url = Repository.temporaryFolder("barometer").appendingPathComponent("b.json")
        try Data(json.utf8).write(to: url)
        do {
            _ = try BarometerFile.load(url)
            Issue.record("accepted")
        } catch {
            #expect(error.issues.contains { $0.location == location && $0.message.contains(message) }, "\(error.issues)")
        }
    }
}
