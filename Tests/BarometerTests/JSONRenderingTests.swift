import Foundation
import Testing
import Values

/// Findings are compared byte for byte (issue #17 item 5), so the JSON text is a contract:
/// the renderer appends into one string, and copies text with nothing to escape whole.
@Suite("JSON rendering: layout and escaping")
struct JSONRenderingTests {
    @Test("nested objects and arrays keep their layout: two spaces per level, scalar arrays on one line")
    func layout() {
        let value = JSONValue.object([
            ("name", .string("Lille")), ("tests", .int(3)), ("share", .number(0.25)), ("missing", .null), ("flag", .bool(true)),
            ("levels", .array([.int(1), .number(2.5), .string("x")])), ("empty", .array([])), ("none", .object([])),
            ("rows", .array([.object([("a", .int(1))]), .array([.object([("b", .number(.infinity))])])])),
        ])
        #expect(value.rendered() == """
            {
              "name": "Lille",
              "tests": 3,
              "share": 0.25,
              "missing": null,
              "flag": true,
              "levels": [1, 2.5, "x"],
              "empty": [],
              "none": {},
              "rows": [
                {
                  "a": 1
                },
                [
                  {
                    "b": null
                  }
                ]
              ]
            }
            """)
        #expect(JSONValue.array([.int(1)]).rendered(indent: 2) == "[1]")
    }

    @Test("strings: quotes, backslashes and control characters escaped, any other character as it is", arguments: [
        "plain text", "", "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u{07} and \u{1F}", "é, 東京, 🏳️‍🌈", "\u{7F} stays",
        "\n", "\"", "\nat the start", "at the end\\", "é\n東\"🏳️‍🌈\\\u{1F}ü", "Madame,\n\nVotre offre…\n",
    ])
    func escaping(text: String) throws {
        let quoted = JSONValue.quote(text)
        var appended = "prefix "
        JSONValue.quote(text, into: &appended)
        #expect(appended == "prefix " + quoted)
        // Read back by Foundation's parser: the same text.
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [text])
        #expect(!quoted.unicodeScalars.dropFirst().dropLast().contains { $0.value < 0x20 })
    }

    @Test("strings: each escape exactly as RFC 8259 writes it, the text around it unchanged")
    func escapedExactly() {
        #expect(JSONValue.quote("a\"b\\c\nd\re\tf\u{01}g\u{1F}") == #""a\"b\\c\nd\re\tf\u0001g\u001f""#)
        #expect(JSONValue.quote("\n") == #""\n""#)
        #expect(JSONValue.quote("é\n東") == "\"é\\n東\"")
        #expect(JSONValue.quote("déjà vu") == "\"déjà vu\"")
    }
}
