import Campaigns
import Foundation
import Values

/// The steps of importing an existing study's CSV (one row per application), each a function
/// of the previous one's result so that it can be tested alone:
/// 1. ``parse(_:fileName:options:)``: checks the header, reads every row as integers
///    (positions in tables of distinct targets, arms, organizations, slice-value sets) and
///    collects the problems of each line;
/// 2. ``ParsedStudy/grouped()``: the rows grouped by target (a counting sort), targets in
///    file order — one group per test;
/// 3. ``encode(_:_:options:)``: the study as columns (``StudyColumns``) and its summary;
/// 4. `Ledger.writeStudy`: the rows and the blob, in one transaction.
enum StudyImport {
    /// One CSV row as integers.
    struct ParsedRow: Equatable {
        /// 1-based line in the file (the header is line 1).
        let line: Int
        let target: Int32
        let arm: Int32
        let positive: Bool
        /// Position in the test's send order, −1 when unknown.
        let order: Int32
        /// −1 when none.
        let organization: Int32
        /// Position in `sliceSets`.
        let slices: Int32
    }

    /// Every row read, the tables of distinct values, and the problems of the lines skipped.
    struct ParsedStudy {
        var rows: [ParsedRow] = []
        var targets = TextPositions(), arms = TextPositions(), organizations = TextPositions(), sliceValues = TextPositions()
        /// Distinct slice-value sets: per slice column, a position in `sliceValues` (−1: none).
        var sliceSets: [[Int32]] = []
        var problems: [LineProblem] = []

        /// The rows grouped by target: `order[starts[t]..<starts[t + 1]]` are the rows of
        /// target t, in file order.
        func grouped() -> TestGroups {
            let count = targets.values.count
            var starts = [Int](repeating: 0, count: count + 1)
            for row in rows { starts[Int(row.target) + 1] += 1 }
            for t in 0..<count { starts[t + 1] += starts[t] }
            var next = starts
            var order = [Int](repeating: 0, count: rows.count)
            for (i, row) in rows.enumerated() {
                order[next[Int(row.target)]] = i
                next[Int(row.target)] += 1
            }
            return TestGroups(starts: starts, order: order)
        }
    }

    /// Rows by test (see ``ParsedStudy/grouped()``).
    struct TestGroups {
        let starts: [Int]
        let order: [Int]

        var count: Int { starts.count - 1 }
        subscript(test test: Int) -> ArraySlice<Int> { order[starts[test]..<starts[test + 1]] }

        /// An organization owns its target: a row whose organization differs from its
        /// target's first row is a problem.
        func organizationProblems(_ parsed: ParsedStudy, options: StudyImportOptions) -> [LineProblem] {
            (0..<count).compactMap { t in
                let group = self[test: t]
                let first = parsed.rows[group.first!]
                guard let odd = group.first(where: { parsed.rows[$0].organization != first.organization }) else { return nil }
                return LineProblem(line: parsed.rows[odd].line, column: options.organizationColumn,
                                   reason: "the organization differs from line \(first.line) within target \(parsed.targets.values[t]): an organization owns the target")
            }
        }
    }

    /// The study as columns, and what the import stores.
    struct Encoded {
        var columns: StudyColumns
        var summary: StudySummary
    }

    // MARK: 1. Parse

    /// Checks the header (every named column exists; one reference value per arm column) and
    /// reads every row. A row with an empty required field or a bad send position is skipped
    /// and its problem kept; a reference arm that no row has is refused.
    static func parse(_ csv: CSVRows, fileName: String, options: StudyImportOptions) throws(LedgerError) -> ParsedStudy {
        let header = csv.header
        let named = [options.targetColumn, options.outcomeColumn] + options.armColumns + options.sliceColumns
            + [options.organizationColumn, options.orderColumn].compactMap { $0 }
        var problems: [LineProblem] = []
        for column in named where !header.contains(column) {
            let close = header.min { editDistance($0.lowercased(), column.lowercased()) < editDistance($1.lowercased(), column.lowercased()) }
            problems.append(LineProblem(line: 1, column: column, reason: "no such column" + (close.map { " (did you mean \"\($0)\"?)" } ?? "")
                                        + "; the file has: \(header.joined(separator: ", "))"))
        }
        if options.reference.count != options.armColumns.count {
            throw .refused("--reference gives \(options.reference.count) value\(options.reference.count == 1 ? "" : "s") for \(options.armColumns.count) arm column\(options.armColumns.count == 1 ? "" : "s")",
                           hint: "give one reference value per arm column, in the same order, e.g. --arm gender,origin --reference Man,F")
        }
        guard problems.isEmpty else { throw .badLines(file: fileName, problems) }

        // Columns by position (the header was checked above).
        let columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let required = ([options.targetColumn, options.outcomeColumn] + options.armColumns).map { ($0, columnIndex[$0]!) }
        let armPositions = options.armColumns.map { columnIndex[$0]! }
        let targetPosition = columnIndex[options.targetColumn]!, outcomePosition = columnIndex[options.outcomeColumn]!
        let slicePositions = options.sliceColumns.map { columnIndex[$0]! }
        let organizationPosition = options.organizationColumn.map { columnIndex[$0]! }
        let orderPosition = options.orderColumn.map { columnIndex[$0]! }
        let positiveValues = options.positiveValues.map { Array($0.utf8) }  // a few values: compared, not hashed
        // Local tables and rows (not fields of `parsed`): the closures below write them
        // millions of times, and a local is the cheapest thing to write.
        var targets = TextPositions(capacity: csv.count / 3), arms = TextPositions(), organizations = TextPositions(), sliceValues = TextPositions()
        var sliceSets: [[Int32]] = []
        var rows: [ParsedRow] = []
        var sliceSetPositions: [[Int32]: Int32] = [:]
        rows.reserveCapacity(csv.count)
        var key = [Int32](repeating: -1, count: slicePositions.count)
        var lastKey: [Int32]?, lastSlices: Int32 = 0  // rows of one target share their slice values
        let NA = Array("NA".utf8)
        for r in 0..<csv.count {
            let line = csv.lines[r]
            var bad = false
            for (column, index) in required where csv.withBytes(r, index, { $0.isEmpty }) {
                problems.append(LineProblem(line: line, column: column, reason: "is empty"))
                bad = true
            }
            // Optional columns may be missing for some rows: empty, or R's "NA".
            func missing(_ index: Int) -> Bool { csv.withBytes(r, index) { $0.isEmpty || $0.elementsEqual(NA) } }
            var order: Int32 = -1
            if let position = orderPosition, !missing(position) {
                if let value = positiveInteger(csv, r, position) { order = value } else {
                    problems.append(LineProblem(line: line, column: options.orderColumn,
                                                reason: "\"\(csv.string(r, position))\" is not a send position (1, 2, …, or NA when unknown)"))
                    bad = true
                }
            }
            if bad { continue }
            for (k, position) in slicePositions.enumerated() {
                key[k] = missing(position) ? -1 : csv.withBytes(r, position) { sliceValues.position($0) }
            }
            let slices: Int32
            if key == lastKey { slices = lastSlices } else if let known = sliceSetPositions[key] { slices = known } else {
                slices = Int32(sliceSets.count)
                sliceSetPositions[key] = slices
                sliceSets.append(key)
            }
            lastKey = key
            lastSlices = slices
            let arm = armPositions.count == 1 ? csv.withBytes(r, armPositions[0]) { arms.position($0) }
                                              : arms.position(armPositions.map { csv.string(r, $0) }.joined(separator: "."))
            let positive = csv.withBytes(r, outcomePosition) { bytes in positiveValues.contains { $0.elementsEqual(bytes) } }
            let organization = organizationPosition.map { missing($0) ? -1 : csv.withBytes(r, $0) { organizations.position($0) } } ?? -1
            rows.append(ParsedRow(line: line, target: csv.withBytes(r, targetPosition) { targets.position($0) }, arm: arm,
                                  positive: positive, order: order, organization: organization, slices: slices))
        }
        if !rows.isEmpty && !arms.values.contains(options.referenceArm) {
            let close = arms.values.min { editDistance($0, options.referenceArm) < editDistance($1, options.referenceArm) }
            throw .refused("no application belongs to the reference arm \"\(options.referenceArm)\"",
                           hint: "the arms in the file are \(arms.values.sorted().joined(separator: ", "))" + (close.map { "; did you mean \($0)?" } ?? ""))
        }
        return ParsedStudy(rows: rows, targets: targets, arms: arms, organizations: organizations, sliceValues: sliceValues,
                           sliceSets: sliceSets, problems: problems)
    }

    /// A field holding a whole number ≥ 1 (a send position), read from its ASCII digits.
    static func positiveInteger(_ csv: CSVRows, _ record: Int, _ column: Int) -> Int32? {
        csv.withBytes(record, column) { bytes in
            guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
            var value: Int32 = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value >= 1 ? value : nil
        }
    }

    // MARK: 3. Encode

    /// The study as columns (StudyColumns.swift): one row in the ledger, not three per
    /// application. Per test: its size, organization and the slice values all its
    /// applications share (a property of the target, e.g. "paris"; values that vary, e.g. an
    /// applicant's zip, stay with each application); its applications in send order when
    /// known (unknown positions last), else in file order.
    static func encode(_ parsed: ParsedStudy, _ groups: TestGroups, options: StudyImportOptions) throws(LedgerError) -> Encoded {
        let rows = parsed.rows
        var columns = StudyColumns()
        columns.targets = parsed.targets.values
        columns.arms = parsed.arms.values
        columns.organizations = parsed.organizations.values
        // Slice-value sets as JSON, each distinct set once (20 regions for a million applications).
        var attributePositions: [[Int32]: Int32] = [[Int32](repeating: -1, count: options.sliceColumns.count): 0]
        func attributes(_ set: [Int32]) throws(LedgerError) -> Int32 {
            if let known = attributePositions[set] { return known }
            var object: [String: String] = [:]
            for (k, value) in set.enumerated() where value >= 0 { object[options.sliceColumns[k]] = parsed.sliceValues.values[Int(value)] }
            let position = Int32(columns.attributeTexts.count)
            columns.attributeTexts.append(try json(object))
            attributePositions[set] = position
            return position
        }
        let setAttributes = try parsed.sliceSets.map { set throws(LedgerError) in try attributes(set) }
        columns.testSize.reserveCapacity(groups.count)
        columns.arm.reserveCapacity(rows.count)
        columns.sendOrder.reserveCapacity(rows.count)
        columns.attributes.reserveCapacity(rows.count)
        columns.positive.reserveCapacity(rows.count)
        var armCounts = [Int](repeating: 0, count: parsed.arms.values.count)
        var positives = 0
        var sorted: [Int] = []
        for t in 0..<groups.count {
            let group = groups[test: t]
            let first = rows[group.first!]
            columns.testSize.append(Int32(group.count))
            columns.testOrganization.append(first.organization)
            if group.allSatisfy({ rows[$0].slices == first.slices }) {
                columns.testAttributes.append(setAttributes[Int(first.slices)])
            } else {
                var shared = parsed.sliceSets[Int(first.slices)]
                for i in group {
                    let other = parsed.sliceSets[Int(rows[i].slices)]
                    for k in shared.indices where shared[k] != other[k] { shared[k] = -1 }
                }
                columns.testAttributes.append(try attributes(shared))
            }
            sorted.removeAll(keepingCapacity: true)
            sorted.append(contentsOf: group)
            if sorted.count > 1 {
                func rank(_ i: Int) -> (Int32, Int) { (rows[i].order < 0 ? Int32.max : rows[i].order, i) }
                sorted.sort { rank($0) < rank($1) }
            }
            for i in sorted {
                let row = rows[i]
                columns.arm.append(row.arm)
                columns.sendOrder.append(row.order)
                columns.attributes.append(setAttributes[Int(row.slices)])
                columns.positive.append(row.positive ? 1 : 0)
                armCounts[Int(row.arm)] += 1
                if row.positive { positives += 1 }
            }
        }
        var perArm: [String: Int] = [:]
        for (k, arm) in parsed.arms.values.enumerated() { perArm[arm] = armCounts[k] }
        let summary = StudySummary(study: options.id, tests: groups.count, arms: perArm, applications: rows.count, positives: positives)
        return Encoded(columns: columns, summary: summary)
    }

    /// `--primary` and `--label` name arms of the file (tested ones, for `--primary`).
    static func checkArmNames(_ summary: StudySummary, options: StudyImportOptions) throws(LedgerError) {
        let present = Set(summary.arms.keys).sorted()
        for arm in options.primary ?? [] where arm == options.referenceArm || !present.contains(arm) {
            throw .refused(arm == options.referenceArm ? "--primary \(arm) is the reference arm" : "--primary \(arm) is not an arm of the file",
                           hint: "name tested arms: \(present.filter { $0 != options.referenceArm }.joined(separator: ", "))")
        }
        for code in options.labels.keys.sorted() where !present.contains(code) {
            throw .refused("--label \(code)=…: \(code) is not an arm of the file", hint: "arms: \(present.joined(separator: ", "))")
        }
    }

    static func json(_ value: Any) throws(LedgerError) -> String {
        do { return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self) }
        catch { throw .database(DatabaseFailure(message: "cannot encode \(value) as JSON: \(error)")) }
    }
}
