import Foundation
import Testing
import TestSupport
@testable import Campaigns

/// The campaign files' JSON reader: the same tree as Foundation's decoder on good files,
/// and errors for people on bad ones.
@Suite("JSON reader")
struct JSONReaderTests {
    @Test("every shipped campaign and fixture reads as Foundation reads it")
    func sameAsFoundation() throws {
        let files = ["Tests/CampaignsTests/Fixtures/full.json", "Tests/CampaignsTests/Fixtures/twenty-mistakes.json",
                     "campaigns/employment-origin-lille-2026.json", "campaigns/housing-origin-residence-lille-2026.json",
                     "campaigns/internship-residence-origin-lille-2026.json", "campaigns/barometre-lille.json",
                     "campaigns/schema/campaign.schema.json"]
        for file in files {
            let data = try Data(contentsOf: Repository.url(file))
            #expect(try JSONReader.read(data) == JSONDecoder().decode(JSONNode.self, from: data), "\(file)")
        }
    }

    @Test("escapes, surrogate pairs, numbers and a byte-order mark")
    func values() throws {
        let text = "\u{FEFF}{\"a\": \"tab\\tquote\\\" slash\\/ \\u00e9 \\ud83d\\ude00\", \"n\": [0, -1.5e2, 3E+1, 1e-3], \"t\": true, \"z\": null}"
        let node = try JSONReader.read(Data(text.utf8))
        #expect(node == .object(["a": .string("tab\tquote\" slash/ é 😀"), "n": .array([.number(0), .number(-150), .number(30), .number(0.001)]),
                                 "t": .bool(true), "z": .null]))
    }

    @Test("errors say where and what, in words", arguments: [
        ("{\"a\": 1,}", "line 1, column 9", "expected a key in double quotes"),
        ("{\"a\": [1, 2,]}", "line 1, column 13", "a value is missing before “]”"),
        ("{\"a\": 'x'}", "line 1, column 7", "expected a value"),
        ("{\"a\": 1 \"b\": 2}", "line 1, column 9", "expected “,” or “}”"),
        ("{\"a\": {\"b\": 1e400}}", "$.a.b", "too large"),
        ("{\"a\": 1, \"a\": 2}", "line 1, column 10", "appears twice"),
        ("{\"a\": \"x\ny\"}", "line 1, column 9", "raw control character or line break"),
        ("{\"a\": 01}", "line 1, column 7", "cannot start with 0"),
        ("{\"a\": 1", "line 1, column 8", "a “}” is missing"),
        ("   ", "file", "is empty"),
        ("{} x", "line 1, column 4", "unexpected text after the end"),
    ])
    func errors(text: String, location: String, message: String) {
        do {
            _ = try JSONReader.read(Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.location == location, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("a Latin-1 file: the line and byte of the first bad byte")
    func latin1() {
        do {
            _ = try JSONReader.read(Data(Array("{\n\"a\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)))
            Issue.record("accepted")
        } catch {
            #expect(error.location == "line 2" && error.message.contains("byte 12") && error.hint?.contains("UTF-8") == true, "\(error)")
        }
    }
}
