import Foundation
import Testing
import TestSupport

/// Issue #18 item 3: every message a user sees is written for a person — no Swift type
/// names, no enum case names, no decoder text. A corpus of bad inputs; each must be refused
/// with a sysexits code and a message free of internal patterns, and say what it should.
@Suite("messages for people, on a corpus of bad inputs")
struct MessageCorpusTests {
    static let internalPatterns = ["Dictionary<", "Array<", "Expected to decode", "HeaderRow", "DecodingError", "typeMismatch", "keyNotFound",
                                   "dataCorrupted", "valueNotFound", "Optional(", "Swift.", "NSCocoaErrorDomain", "Error Domain=", "unclosedQuote",
                                   "textAfterQuote", "notUTF8", "controlCharacter", "badLines(", "LedgerError", "CSVRows", "JSONNode", "Failure("]

    struct Case: CustomStringConvertible, Sendable {
        let name: String
        /// Files to write in a fresh folder (name → bytes), then the arguments (`{dir}` is the folder).
        let files: [String: [UInt8]]
        let arguments: [String]
        let status: Int32
        let says: String
        var description: String { name }
    }

    static func campaign(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
        var json = try! JSONSerialization.jsonObject(with: Data(contentsOf: Repository.url("Tests/CampaignsTests/Fixtures/full.json"))) as! [String: Any]
        change(&json)
        return [UInt8](try! JSONSerialization.data(withJSONObject: json))
    }

    static let header = Array("campaign,application,outcome,observed_at\n".utf8)

    static let cases: [Case] = [
        Case(name: "latin-1 campaign", files: ["c.json": Array("{\"id\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "save the file as UTF-8"),
        Case(name: "wave 1e999", files: ["c.json": Array("{\"id\": \"x\", \"wave\": 1e999}".utf8)],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "$.wave: the number 1e999 is too large"),
        Case(name: "JSON syntax error", files: ["c.json": Array("{\n  \"id\": \"x\"\n  \"wave\": 1\n}".utf8)],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "line 3, column 3"),
        Case(name: "empty campaign file", files: ["c.json": []], arguments: ["validate", "{dir}/c.json"], status: 65, says: "is empty"),
        Case(name: "a list instead of an object", files: ["c.json": Array("[1, 2]".utf8)], arguments: ["validate", "{dir}/c.json"], status: 65,
             says: "expected an object"),
        Case(name: "empty targets CSV", files: ["c.json": campaign { $0["targets"] = ["file": "t.csv"] }, "t.csv": []],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "t.csv: file: is empty"),
        Case(name: "targets CSV in latin-1", files: ["c.json": campaign { $0["targets"] = ["file": "t.csv"] },
                                                     "t.csv": Array("id,organization,sector,city,channel\nC1,Agence ".utf8) + [0xE9] + Array(",s,Lille,letter\n".utf8)],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "line 2: is not UTF-8"),
        Case(name: "a NUL in a campaign text", files: ["c.json": campaign { $0["title"] = "Titre\u{0}caché" }],
             arguments: ["validate", "{dir}/c.json"], status: 65, says: "$.title: contains an invisible control character (U+0000 NUL)"),
        Case(name: "plan --seed -1", files: [:], arguments: ["plan", "{repo}/campaigns/employment-origin-lille-2026.json", "--seed", "-1"], status: 64,
             says: "--seed -1: negative numbers are not allowed"),
        Case(name: "power --simulations -5", files: [:], arguments: ["power", "--p10", "0.1", "--p01", "0.05", "--simulations", "-5"], status: 64,
             says: "negative numbers are not allowed"),
        Case(name: "empty outcomes CSV", files: ["o.csv": []], arguments: ["import", "{dir}/o.csv", "--db", "{dir}/l.sqlite"], status: 66,
             says: "there is no ledger"),
        Case(name: "outcomes CSV not UTF-8", files: ["o.csv": header + Array("x,T1,".utf8) + [0xFF] + Array(",2025-01-01\n".utf8)],
             arguments: ["import-study", "{dir}/o.csv", "--id", "s", "--target", "application", "--arm", "campaign", "--reference", "x", "--outcome", "outcome",
                         "--db", "{dir}/l.sqlite"], status: 65, says: "save it as UTF-8"),
        Case(name: "unclosed quote", files: ["o.csv": header + Array("x,\"T1,y,2025-01-01\n".utf8)],
             arguments: ["import-study", "{dir}/o.csv", "--id", "s", "--target", "application", "--arm", "campaign", "--reference", "x", "--outcome", "outcome",
                         "--db", "{dir}/l.sqlite"], status: 65, says: "a quoted field is not closed"),
        Case(name: "a NUL in a study's field", files: ["o.csv": header + Array("x,T1,y".utf8) + [0] + Array("z,2025-01-01\n".utf8)],
             arguments: ["import-study", "{dir}/o.csv", "--id", "s", "--target", "application", "--arm", "campaign", "--reference", "x", "--outcome", "outcome",
                         "--db", "{dir}/l.sqlite"], status: 65, says: "line 2, column outcome"),
        Case(name: "empty study CSV", files: ["o.csv": []],
             arguments: ["import-study", "{dir}/o.csv", "--id", "s", "--target", "a", "--arm", "b", "--reference", "x", "--outcome", "c",
                         "--db", "{dir}/l.sqlite"], status: 65, says: "empty"),
    ]

    @Test("refused with its code, saying what is wrong, with no internal text", arguments: cases)
    func message(_ c: Case) throws {
        let folder = Repository.temporaryFolder("corpus")
        for (name, bytes) in c.files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        let arguments = c.arguments.map { $0.replacingOccurrences(of: "{dir}", with: folder.path).replacingOccurrences(of: "{repo}", with: Repository.root.path) }
        let result = try CommandRunner.run(arguments)
        #expect(result.status == c.status, "\(result.standardError)")
        #expect(result.standardError.contains(c.says), "\(result.standardError)")
        for pattern in Self.internalPatterns { #expect(!result.standardError.contains(pattern), "internal text \(pattern): \(result.standardError)") }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("l.sqlite").path) || c.arguments.first == "import-study",
                "a refused command left a ledger behind")
    }
}
