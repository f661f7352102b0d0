import CSV
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
        guard let text = String(data: data, encoding: .utf8) else {
            let bytes = [UInt8](data)
            let offset = JSONReader.firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count
            return ([], [issue("line \(line)", "is not UTF-8 text (byte \(offset + 1) is not valid UTF-8; the file may be saved as Latin-1 or Windows-1252)",
                               "save the CSV as UTF-8 (in a spreadsheet: Save as › CSV UTF-8)")])
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}"))).isEmpty else {
            return ([], [issue("file", "is empty", "the first line names the columns: \(Target.requiredColumns.joined(separator: ","))")])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            // (CSV.swift's only error for a non-empty UTF-8 text is an unreadable header.)
            let message = "the header row (the column names) cannot be read"
            return ([], [issue("line 1", message, "the first line names the columns, separated by commas: \(Target.requiredColumns.joined(separator: ","))")])
        }
        let header = reader.headerRow ?? []
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
        var targets: [Target] = []
        var seen: [String: Int] = [:]
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy(\.isEmpty) { continue }
            guard row.count == header.count else {
                issues.append(issue("line \(line)", "has \(row.count) fields, the header has \(header.count)",
                                    "quote fields that contain commas"))
                continue
            }
            var fields: [String: String] = [:]
            for (column, value) in zip(header, row) { fields[column] = value }
            var bad = false
            for (column, value) in zip(header, row) {
                if let problem = TextSafety.problem(in: value, multiline: false) {
                    issues.append(issue("line \(line), column \(column)", problem,
                                        "remove it and save the file again"))
                    bad = true
                }
            }
            for column in Target.requiredColumns where fields[column]!.isEmpty {
                issues.append(issue("line \(line), column \(column)", "is empty"))
                bad = true
            }
            let channelText = fields["channel"]!
            let channel = Channel(rawValue: channelText)
            if channel == nil, !channelText.isEmpty {
                issues.append(issue("line \(line), column channel", "\"\(channelText)\" is not one of: email, letter, phone, visit",
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
