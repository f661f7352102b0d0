/// The one CSV writer of the project: every CSV file Barometre writes (`export`, `export
/// --events`, `plan.csv`, `analyze --format csv`, the staff web exports) goes through it.
///
/// - RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes
///   doubled.
/// - Spreadsheet-safe (OWASP "CSV injection"): a **text** cell that begins with `=`, `+`, `-`,
///   `@`, a tab or a carriage return would be run as a formula by Excel, LibreOffice or Google
///   Sheets (an organization named `=HYPERLINK(…)`, a tester's note `=cmd|…`). It is written
///   with a leading apostrophe, which spreadsheets show as text and do not evaluate. **Number**
///   cells (counts, ids, estimates — `-0.12` included) are written as they are, so R, pandas
///   and Stata read the numeric columns as before.
public struct CSVWriter: Sendable {
    /// One cell: text (neutralized when it could run as a formula) or a number (as written).
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral {
        case text(String)
        case number(String)

        public init(stringLiteral value: String) { self = .text(value) }

        /// A number cell from an integer.
        public static func int<I: BinaryInteger>(_ value: I) -> Cell { .number(String(value)) }
        /// A number cell from an optional integer (empty when nil).
        public static func int<I: BinaryInteger>(_ value: I?) -> Cell { .number(value.map { String($0) } ?? "") }
    }

    private var lines: [String]

    /// Starts a file with its header row (header cells are text).
    public init(header: [String]) {
        lines = [header.map { Self.field(.text($0)) }.joined(separator: ",")]
    }

    public mutating func append(_ cells: [Cell]) {
        lines.append(cells.map(Self.field).joined(separator: ","))
    }

    /// The whole file, every row ended by a line feed.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// The characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell as a spreadsheet will only ever show it: with a leading apostrophe when
    /// it begins like a formula.
    public static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(Character(first)) else { return text }
        return "'" + text
    }

    /// One field, neutralized if text, then quoted where RFC 4180 needs it.
    public static func field(_ cell: Cell) -> String {
        let raw: String
        switch cell {
        // Control characters stored before they were refused at entry are written visibly
        // (`\u{1B}`), so that a file shown in a terminal cannot drive it.
        case .text(let text): raw = neutralized(TextSafety.printable(text, multiline: true))
        case .number(let number): raw = number
        }
        guard raw.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return raw }
        return "\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
