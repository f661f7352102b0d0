import Foundation

/// Reads a targets CSV (`{"file": "targets.csv"}` in a campaign), reporting every bad line.
///
/// Columns: `id, organization, sector, city, channel` (required) and `district, title,
/// contact` (optional), with a header row, comma-separated, UTF-8. Lines are numbered as in
/// a text editor: the header is line 1.
enum TargetsFile {
    static func read(_ url: URL, displayName: String) -> (targets: [Target], issues: [ValidationIssue]) {
        func issue(_ location: String, _ message: String, _ hint: String? = nil) -> ValidationIssue {
            ValidationIssue(file: displayName, location: location, message: message, hint: hint)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return ([], [issue("file", "cannot be read (no such file, or no permission)",
                               "the path is relative to the campaign file; check its spelling")])
        }
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) || data.elementsEqual([0xEF, 0xBB, 0xBF]) {
            return ([], [issue("file", "is empty", "the first line names the columns: \(Target.requiredColumns.joined(separator: ","))")])
        }
        // The one CSV reader (CSVRows): RFC 4180, fields trimmed, blank lines skipped, each
        // record numbered by the line it starts on.
        let csv: CSVRows
        do {
            csv = try CSVRows(data)
        } catch {
            switch error {
            case .notUTF8(let line):
                let bytes = [UInt8](data)
                let offset = JSONReader.firstInvalidUTF8(bytes)
                return ([], [issue("line \(line)", "is not UTF-8 text (byte \(offset + 1) is not valid UTF-8; the file may be saved as Latin-1 or Windows-1252)",
                                   "save the CSV as UTF-8 (in a spreadsheet: Save as › CSV UTF-8)")])
            case .unclosedQuote(let line):
                return ([], [issue("line \(line)", "a quoted field is not closed (a \" is missing)", "close the quote, or double a \" inside a quoted field")])
            case .textAfterQuote(let line):
                return ([], [issue("line \(line)", "has text after a closing quote", "double a \" inside a quoted field")])
            case .controlCharacter(let line, let column, let scalar):
                let header = String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                let name = column < header.count ? header[column].trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"")) : "\(column + 1)"
                let character = Unicode.Scalar(scalar).map { TextSafety.name($0) } ?? "U+\(String(scalar, radix: 16, uppercase: true))"
                return ([], [issue("line \(line)" + (line == 1 ? "" : ", column \(name)"),
                                   "holds an invisible control character (\(character)), which would cut or garble the text", "remove it and save the file again")])
            case .tooLarge:
                return ([], [issue("file", "is larger than 2 GB", "a targets file lists offers: split it into several campaigns")])
            }
        }
        let header = csv.header
        var issues: [ValidationIssue] = []
        let known = Target.requiredColumns + Target.optionalColumns
        for column in Target.requiredColumns where !header.contains(column) {
            issues.append(issue("line 1", "required column \"\(column)\" is missing",
                                "the header must name: \(Target.requiredColumns.joined(separator: ", "))"))
        }
        for column in header where !known.contains(column) {
            issues.append(issue("line 1, column \(column)", "unknown column \"\(column)\"",
                                suggestion(for: column, among: known) ?? "known columns: \(known.joined(separator: ", "))"))
        }
        guard issues.isEmpty else { return ([], issues) }
        // Records in line order: the well-formed ones, and those with another field count.
        enum Record { case fields(Int), malformed(count: Int) }
        let records = (csv.lines.indices.map { (csv.lines[$0], Record.fields($0)) } + csv.malformed.map { ($0.line, Record.malformed(count: $0.count)) })
            .sorted { $0.0 < $1.0 }
        var targets: [Target] = []
        var seen: [String: Int] = [:]
        for (line, record) in records {
            guard case let .fields(r) = record else {
                if case let .malformed(count) = record {
                    issues.append(issue("line \(line)", "has \(count) fields, the header has \(header.count)", "quote fields that contain commas"))
                }
                continue
            }
            let row = csv.fields(r)
            var fields: [String: String] = [:]
            for (column, value) in zip(header, row) { fields[column] = value }
            var bad = false
            for column in Target.requiredColumns where fields[column]!.isEmpty {
                issues.append(issue("line \(line), column \(column)", "is empty"))
                bad = true
            }
            let channelText = fields["channel"]!
            let channel = Channel(rawValue: channelText)
            if channel == nil, !channelText.isEmpty {
                issues.append(issue("line \(line), column channel", "\"\(channelText)\" is not one of: \(Channel.allCases.map(\.rawValue).joined(separator: ", "))",
                                    suggestion(for: channelText, among: Channel.allCases.map(\.rawValue))))
                bad = true
            }
            let id = fields["id"]!
            if let first = seen[id], !id.isEmpty {
                issues.append(issue("line \(line), column id", "target id \"\(id)\" already used on line \(first)",
                                    "give every target its own id"))
                bad = true
            } else {
                seen[id] = line
            }
            if bad { continue }
            func optional(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
            targets.append(Target(id: id, organization: fields["organization"]!, sector: fields["sector"]!,
                                  city: fields["city"]!, district: optional("district"), channel: channel!,
                                  title: optional("title"), contact: optional("contact")))
        }
        if targets.isEmpty && issues.isEmpty {
            issues.append(issue("file", "lists no target", "add one line per offer tested below the header"))
        }
        return (targets, issues)
    }
}
