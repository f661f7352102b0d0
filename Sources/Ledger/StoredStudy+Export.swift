import Campaigns
import Foundation
import GRDB

/// An imported study's exports straight from its columns (issue #17 item 4): no record per
/// application, every distinct text escaped once, rows handed on in chunks. The bytes are
/// those the record-by-record path writes (`ApplicationStorage`'s default), which the tests
/// compare.
extension StoredStudy {
    func writeRecordsCSV(_ db: Database, scale: [String], positiveThreshold: String, into stream: inout CSVChunks) throws {
        let c = columns
        let overlays = try StoredStudy.overlays(db, campaign: campaign)
        let cut = scale.firstIndex(of: positiveThreshold) ?? scale.count
        let sets = attributeSets()
        // The slice columns: every key of a set some test or application uses.
        var used = Set<Int32>()
        for t in c.targets.indices { used.insert(c.testAttributes[t]) }
        for k in c.attributes { used.insert(k) }
        let attributeKeys = Array(Set(used.flatMap { sets[Int($0)].keys })).sorted()
        stream.row(Ledger.applicationsHeader(attributeKeys: attributeKeys).map { CSVWriter.field(.text($0)) })

        func text(_ value: String) -> String { CSVWriter.field(.text(value)) }
        let campaignField = text(campaign)
        let arms = c.arms.map { Array(("," + text($0)).utf8) }, organizations = c.organizations.map(text)
        let importedTail = Array(("," + text(observedAt)).utf8)  // observed_at of every imported answer
        // Merged slice values (the test's, then the application's own), escaped and joined
        // once per distinct pair.
        var mergedFields: [Int64: [UInt8]] = [:]
        var lastKey: Int64 = -1, lastFields: [UInt8] = []
        func attributeFields(_ test: Int32, _ own: Int32) -> [UInt8] {
            let key = Int64(test) << 32 | Int64(UInt32(bitPattern: own))
            if key == lastKey { return lastFields }
            lastKey = key
            if let known = mergedFields[key] { lastFields = known; return known }
            var merged = sets[Int(test)]
            merged.merge(sets[Int(own)]) { _, own in own }
            let joined = Array(("," + attributeKeys.map { text(merged[$0] ?? "") }.joined(separator: ",")).utf8)
            mergedFields[key] = joined
            lastFields = joined
            return joined
        }
        let positions = indexByCode(overlays.map(\.code))
        var overlayAt: [Int: Overlay] = [:]
        for overlay in overlays { if let k = positions[overlay.code] { overlayAt[k] = overlay } }
        func levelFields(_ level: String?) -> (outcome: String, positive: String) {
            guard let level else { return ("", "") }
            return (text(level), (scale.firstIndex(of: level) ?? -1) >= cut ? "true" : "false")
        }
        let imported = Self.level.map { level -> [UInt8] in
            let (outcome, positive) = levelFields(level)
            return Array(("," + outcome + "," + positive).utf8)
        }
        var currentTest = -1
        var target = "", targetPlain = true, leading: [UInt8] = [], targetDash: [UInt8] = []
        c.forEachApplication { i, t, position, replicate in
            if t != currentTest {
                currentTest = t
                target = text(c.targets[t])
                // A target written as is (no quotes) makes the application code `TARGET-N`
                // written as is too; otherwise each code goes through the writer.
                targetPlain = !target.hasPrefix("\"")
                let organization = c.testOrganization[t]
                leading = Array((campaignField + "," + target + "," + target + "," + (organization < 0 ? "" : organizations[Int(organization)])).utf8)
                targetDash = Array(("," + target + "-").utf8)
            }
            // Written piece by piece into the chunk: no string per row.
            stream.append(bytes: leading)
            if !attributeKeys.isEmpty { stream.append(bytes: attributeFields(c.testAttributes[t], c.attributes[i])) }
            if targetPlain { stream.append(bytes: targetDash); stream.append(number: position + 1) }
            else { stream.append(","); stream.append(text(c.targets[t] + "-" + String(position + 1))) }
            stream.append(bytes: arms[Int(c.arm[i])])
            stream.append(","); stream.append(number: replicate)
            stream.append(","); if c.sendOrder[i] >= 0 { stream.append(number: c.sendOrder[i]) }
            stream.append(",,")
            if let overlay = overlayAt[i] {
                let (outcome, positive) = levelFields(overlay.level)
                stream.append("," + outcome + "," + positive + "," + text(overlay.observedAt ?? "") + "," + (overlay.eventID.map { String($0) } ?? ""))
                stream.append("," + (overlay.simulated ? "true" : "false"))
            } else {
                stream.append(bytes: imported[Int(c.positive[i])]); stream.append(bytes: importedTail)
                stream.append(","); stream.append(number: firstEvent + Int64(i)); stream.append(",false")
            }
            stream.endRow()
        }
    }

    /// The imported answers never corrected, from the columns, merged by id with the rows
    /// (the copied and corrected ones), one at a time.
    func forEachEvent(_ db: Database, _ body: (OutcomeEvent) -> Void) throws {
        let overlays = try StoredStudy.overlays(db, campaign: campaign)
        let copied = Set(indexByCode(overlays.map(\.code)).values)
        let rows = try RowStorage(campaign: campaign).events(db)
        var next = 0
        columns.forEachApplication { i, t, position, replicate in
            guard !copied.contains(i) else { return }
            let event = importedEvent(Application(index: i, test: t, code: "\(columns.targets[t])-\(position + 1)", replicate: replicate))
            while next < rows.count && rows[next].id < event.id { body(rows[next]); next += 1 }
            body(event)
        }
        while next < rows.count { body(rows[next]); next += 1 }
    }

    /// The event log's CSV rows straight from the columns: an imported answer's fields are
    /// the same for every application but its id, code and level, so they are escaped once.
    func writeEventsCSV(_ db: Database, into stream: inout CSVChunks) throws {
        let overlays = try StoredStudy.overlays(db, campaign: campaign)
        let copied = Set(indexByCode(overlays.map(\.code)).values)
        let rows = try RowStorage(campaign: campaign).events(db)
        func text(_ value: String) -> String { CSVWriter.field(.text(value)) }
        let campaignField = text(campaign)
        let levels = Self.level.map(text)
        // observed_at, recorded_at, recorded_by, source, note, measures, supersedes, superseded_by, simulated
        let trailing = "," + [text(observedAt), text(recordedAt), text("import-study"), text(OutcomeSource.study.rawValue), text(""), text("{}"), "", "",
                              text("false")].joined(separator: ",")
        var next = 0
        func row(_ event: OutcomeEvent) { stream.row(Ledger.eventCells(event).map(CSVWriter.field)) }
        var currentTest = -1, target = "", targetPlain = true
        columns.forEachApplication { i, t, position, _ in
            guard !copied.contains(i) else { return }
            let id = firstEvent + Int64(i)
            while next < rows.count && rows[next].id < id { row(rows[next]); next += 1 }
            if t != currentTest {
                currentTest = t
                target = text(columns.targets[t])
                targetPlain = !target.hasPrefix("\"")
            }
            stream.append(number: id); stream.append(","); stream.append(campaignField); stream.append(",")
            if targetPlain { stream.append(target); stream.append("-"); stream.append(number: position + 1) }
            else { stream.append(text(columns.targets[t] + "-" + String(position + 1))) }
            stream.append(","); stream.append(levels[Int(columns.positive[i])]); stream.append(trailing)
            stream.endRow()
        }
        while next < rows.count { row(rows[next]); next += 1 }
    }
}
