import Testing
@testable import Campaigns

/// Issue #18 item 1: every CSV the project writes goes through one writer that neutralizes
/// text cells a spreadsheet would run as formulas (OWASP "CSV injection").
@Suite("the CSV writer")
struct CSVWriterTests {
    @Test("text cells beginning with = + - @ tab or CR get a leading apostrophe; number cells are untouched",
          arguments: ["=HYPERLINK(\"http://evil.example\",\"x\")", "+33 6 12", "-2+3", "@SUM(A1)", "\tcalc", "\rcalc", "=cmd|' /C calc'!A0"])
    func neutralized(_ text: String) {
        let field = CSVWriter.field(.text(text))
        let unquoted = field.hasPrefix("\"") ? String(field.dropFirst()) : field
        #expect(unquoted.hasPrefix("'"), "\(field)")
        #expect(unquoted.dropFirst().hasPrefix(text.prefix(1)))
    }

    @Test("numbers, ordinary text and RFC 4180 quoting")
    func plain() {
        var csv = CSVWriter(header: ["name", "estimate", "note"])
        csv.append([.text("Agence du Port"), .number("-0.125"), .text("a \"quoted\", line\nbreak")])
        csv.append([.text("-12 rue X"), .int(-3), .text("")])
        csv.append([.text("ok"), .int(nil as Int?), "literal"])
        #expect(csv.text == "name,estimate,note\nAgence du Port,-0.125,\"a \"\"quoted\"\", line\nbreak\"\n'-12 rue X,-3,\nok,,literal\n")
    }
}
