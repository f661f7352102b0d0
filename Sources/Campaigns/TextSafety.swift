/// Text that people typed (notes, names, organization names, campaign texts) is checked once,
/// where it enters — the CLI, a CSV file, the web form, a campaign file — and printed safely
/// everywhere (issue #18 item 2).
///
/// Refused: the C0 control characters U+0000–U+001F except the tab (and except line breaks in
/// fields that hold several lines, such as notes and document templates), DEL U+007F and the C1
/// controls U+0080–U+009F. A NUL cut stored notes short; an escape sequence (U+001B) could
/// clear or retitle the terminal of the staff member who reads them.
public enum TextSafety {
    /// The first character of `text` a field may not hold, and its position (1-based, in
    /// characters as people count them).
    public static func forbidden(in text: String, multiline: Bool) -> (scalar: Unicode.Scalar, position: Int)? {
        var position = 0
        for character in text {
            position += 1
            for scalar in character.unicodeScalars where isForbidden(scalar, multiline: multiline) { return (scalar, position) }
        }
        return nil
    }

    static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x0A, 0x0D: return !multiline
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        default: return false
        }
    }

    /// What is wrong, for a person — « contains an invisible control character (U+0000 NUL)
    /// at character 7 » —, to follow the field's name; each caller says how to fix it in its
    /// own terms. Nil when the text is fine.
    public static func problem(in text: String, multiline: Bool) -> String? {
        guard let (scalar, position) = forbidden(in: text, multiline: multiline) else { return nil }
        let what = scalar.value == 0x0A || scalar.value == 0x0D ? "a line break, which this field cannot hold"
                                                                 : "an invisible control character (\(name(scalar)))"
        return "contains \(what) at character \(position)"
    }

    /// U+0000 (NUL), U+001B (ESC), …
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0A: "line feed", 0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL"]
        return names[scalar.value].map { "\(code) \($0)" } ?? code
    }

    /// `text` as it may be printed on a terminal or in a file: every forbidden character
    /// written as `\u{1B}` (visible, inert); line breaks kept when `multiline`.
    public static func printable(_ text: String, multiline: Bool = true) -> String {
        guard forbidden(in: text, multiline: multiline) != nil else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isForbidden(scalar, multiline: multiline) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
