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
        /// 1-based line in the file (the header is line 1; a file is under 2 GB).
        let line: Int32
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

    /// The rows read, in file order: each part's rows where that part read them, the first
    /// part's then the second's. Putting them in one array would copy every row on one core
    /// (a gigabyte at 10⁷ tests, and the system's time to give that memory).
    struct ParsedRows: RandomAccessCollection {
        /// The first part's rows, then the second's (empty when the file was read in one part).
        let head: [ParsedRow], tail: [ParsedRow]

        init(head: [ParsedRow], tail: [ParsedRow] = []) {
            self.head = head
            self.tail = tail
        }

        var startIndex: Int { 0 }
        var endIndex: Int { head.count + tail.count }
        @inline(__always) subscript(i: Int) -> ParsedRow { i < head.count ? head[i] : tail[i - head.count] }

        /// `body` with the rows' storage, read by the encoding threads.
        func withPointers<R>(_ body: (RowPointers) -> R) -> R {
            head.withUnsafeBufferPointer { head in tail.withUnsafeBufferPointer { tail in body(RowPointers(head: head, tail: tail)) } }
        }
    }

    /// ``ParsedRows``' storage, valid while ``ParsedRows/withPointers(_:)`` runs; only read.
    struct RowPointers: @unchecked Sendable {
        let head: UnsafeBufferPointer<ParsedRow>, tail: UnsafeBufferPointer<ParsedRow>
        @inline(__always) subscript(i: Int) -> ParsedRow { i < head.count ? head[i] : tail[i - head.count] }
    }

    /// Every row read, the tables of distinct values, and the problems of the lines skipped.
    struct ParsedStudy {
        var rows = ParsedRows(head: [])
        /// The distinct values, rows refer to them by position.
        var targets: [String] = [], arms: [String] = [], organizations: [String] = [], sliceValues: [String] = []
        /// Distinct slice-value sets: per slice column, a position in `sliceValues` (−1: none).
        var sliceSets: [[Int32]] = []
        var problems: [LineProblem] = []

        /// The rows grouped by target: `order[starts[t]..<starts[t + 1]]` are the rows of
        /// target t, in file order.
        func grouped() -> TestGroups {
            let count = targets.count
            var starts = [Int](repeating: 0, count: count + 1)
            for row in rows { starts[Int(row.target) + 1] += 1 }
            for t in 0..<count { starts[t + 1] += starts[t] }
            var next = starts
            var order = [Int32](repeating: 0, count: rows.count)
            for (i, row) in rows.enumerated() {
                order[next[Int(row.target)]] = Int32(i)
                next[Int(row.target)] += 1
            }
            return TestGroups(starts: starts, order: order)
        }
    }

    /// Rows by test (see ``ParsedStudy/grouped()``): positions in ``ParsedStudy/rows``.
    struct TestGroups {
        let starts: [Int]
        let order: [Int32]

        var count: Int { starts.count - 1 }
        subscript(test test: Int) -> ArraySlice<Int32> { order[starts[test]..<starts[test + 1]] }

        /// An organization owns its target: a row whose organization differs from its
        /// target's first row is a problem.
        func organizationProblems(_ parsed: ParsedStudy, options: StudyImportOptions) -> [LineProblem] {
            (0..<count).compactMap { t in
                let group = self[test: t]
                let first = parsed.rows[Int(group.first!)]
                guard let odd = group.first(where: { parsed.rows[Int($0)].organization != first.organization }) else { return nil }
                return LineProblem(line: Int(parsed.rows[Int(odd)].line), column: options.organizationColumn,
                                   reason: "the organization differs from line \(first.line) within target \(parsed.targets[t]): an organization owns the target")
            }
        }
    }

    /// The study as columns, and what the import stores.
    struct Encoded {
        var columns: StudyColumns
        var summary: StudySummary
    }

    // MARK: 1. Parse

    /// Reads the file (``CSVRows/scan(_:makePart:visit:)``: no field offsets are kept, and a
    /// large unquoted file is read in two halves on two cores), checks the header (every
    /// named column exists; one reference value per arm column) and turns every row into
    /// integers. A row with an empty required field or a bad send position is skipped and its
    /// problem kept; a reference arm that no row has is refused.
    static func parse(_ data: Data, fileName: String, options: StudyImportOptions) throws(LedgerError) -> ParsedStudy {
        let header: [String]
        do { header = try CSVRows.header(of: data) } catch { throw Ledger.csvFailure(error, data: data, fileName: fileName) }
        guard !header.isEmpty, !header.allSatisfy(\.isEmpty) else {
            throw .badLines(file: fileName, [LineProblem(line: 1, column: nil, reason: "the file is empty: a header row is needed")])
        }
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

        let reader = RowReader(header: header, options: options)
        // Each part's tables sized for the bytes it reads, generously (memory is only used
        // as it is written; a table of distinct targets twice too large costs cache misses).
        var scan: CSVScan<StudyPart>
        do {
            scan = try CSVRows.scan(data, makePart: { _, bytes in
                StudyPart(slices: options.sliceColumns.count, rows: bytes / 16, targets: bytes / 128)
            }) { part, record in reader.read(record, into: &part) }
        } catch { throw Ledger.csvFailure(error, data: data, fileName: fileName) }
        guard scan.malformed.isEmpty else {
            throw .badLines(file: fileName, scan.malformed.map {
                LineProblem(line: $0.line, column: nil, reason: "has \($0.count) fields, the header has \(header.count); quote fields that contain commas")
            })
        }
        let study = StudyPart.merged(&scan.parts)
        if !study.rows.isEmpty && !study.arms.contains(options.referenceArm) {
            let close = study.arms.min { editDistance($0, options.referenceArm) < editDistance($1, options.referenceArm) }
            throw .refused("no application belongs to the reference arm \"\(options.referenceArm)\"",
                           hint: "the arms in the file are \(study.arms.sorted().joined(separator: ", "))" + (close.map { "; did you mean \($0)?" } ?? ""))
        }
        return study
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
        columns.targets = parsed.targets
        columns.arms = parsed.arms
        columns.organizations = parsed.organizations
        // Slice-value sets as JSON, each distinct set once (20 regions for a million applications).
        var attributePositions: [[Int32]: Int32] = [[Int32](repeating: -1, count: options.sliceColumns.count): 0]
        func attributes(_ set: [Int32]) throws(LedgerError) -> Int32 {
            if let known = attributePositions[set] { return known }
            var object: [String: String] = [:]
            for (k, value) in set.enumerated() where value >= 0 { object[options.sliceColumns[k]] = parsed.sliceValues[Int(value)] }
            let position = Int32(columns.attributeTexts.count)
            columns.attributeTexts.append(try json(object))
            attributePositions[set] = position
            return position
        }
        let setAttributes = try parsed.sliceSets.map { set throws(LedgerError) in try attributes(set) }
        // Every column is sized once and written by position (a million tests, four million
        // applications: no append per value). A test's applications go to positions
        // groups.starts[t]…, so the tests are written in two halves on two cores. A test whose
        // applications do not all share their slice values gets its shared set afterwards,
        // in test order (a new set takes the next position, as met in order).
        let n = rows.count, testCount = groups.count
        // Every position is written below (the mixed tests' shared sets after the halves).
        var testSize = [Int32](unwritten: testCount), testOrganization = [Int32](unwritten: testCount), testAttributes = [Int32](unwritten: testCount)
        var arm = [Int32](unwritten: n), sendOrder = [Int32](unwritten: n), attributeColumn = [Int32](unwritten: n)
        var positive = [UInt8](unwritten: n)
        let halves = [0..<testCount / 2, testCount / 2..<testCount]
        var counted = [(armCounts: [Int], positives: Int, mixed: [Int])](repeating: ([], 0, []), count: 2)
        rows.withPointers { rows in
            groups.order.withUnsafeBufferPointer { order in
                testSize.withUnsafeMutableBufferPointer { testSize in
                    testOrganization.withUnsafeMutableBufferPointer { testOrganization in
                        testAttributes.withUnsafeMutableBufferPointer { testAttributes in
                            arm.withUnsafeMutableBufferPointer { arm in
                                sendOrder.withUnsafeMutableBufferPointer { sendOrder in
                                    attributeColumn.withUnsafeMutableBufferPointer { attributeColumn in
                                        positive.withUnsafeMutableBufferPointer { positive in
                                            counted.withUnsafeMutableBufferPointer { counted in
                                                let out = EncodeTargets(testSize: testSize, testOrganization: testOrganization, testAttributes: testAttributes,
                                                                        arm: arm, sendOrder: sendOrder, attributes: attributeColumn, positive: positive,
                                                                        counted: counted)
                                                let input = EncodeSources(rows: rows, order: order)
                                                DispatchQueue.concurrentPerform(iterations: 2) { h in
                                                    out.counted[h] = Self.encodeTests(halves[h], input, groups.starts, setAttributes, arms: parsed.arms.count, into: out)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for t in counted[0].mixed + counted[1].mixed {
            let group = groups[test: t]
            var shared = parsed.sliceSets[Int(rows[Int(group.first!)].slices)]
            for i in group {
                let other = parsed.sliceSets[Int(rows[Int(i)].slices)]
                for k in shared.indices where shared[k] != other[k] { shared[k] = -1 }
            }
            testAttributes[t] = try attributes(shared)
        }
        let armCounts = zip(counted[0].armCounts, counted[1].armCounts).map { $0 + $1 }
        let positives = counted[0].positives + counted[1].positives
        columns.testSize = testSize; columns.testOrganization = testOrganization; columns.testAttributes = testAttributes
        columns.arm = arm; columns.sendOrder = sendOrder; columns.attributes = attributeColumn; columns.positive = positive
        var perArm: [String: Int] = [:]
        for (k, arm) in parsed.arms.enumerated() { perArm[arm] = armCounts[k] }
        let summary = StudySummary(study: options.id, tests: groups.count, arms: perArm, applications: rows.count, positives: positives)
        return Encoded(columns: columns, summary: summary)
    }

    /// Where ``encode(_:_:options:)`` reads: the parsed rows and their order by test.
    struct EncodeSources: @unchecked Sendable {
        let rows: RowPointers, order: UnsafeBufferPointer<Int32>
    }

    /// Where ``encode(_:_:options:)`` writes; each half of the tests writes its own positions.
    struct EncodeTargets: @unchecked Sendable {
        let testSize, testOrganization, testAttributes, arm, sendOrder, attributes: UnsafeMutableBufferPointer<Int32>
        let positive: UnsafeMutableBufferPointer<UInt8>
        let counted: UnsafeMutableBufferPointer<(armCounts: [Int], positives: Int, mixed: [Int])>
    }

    /// The columns of `tests`: per test its size, organization and shared slice set (left
    /// for later, and listed, when its applications do not all share one), its applications
    /// in send order (unknown positions last), then file order. Returns the applications
    /// per arm, the positives, and the tests left for later.
    static func encodeTests(_ tests: Range<Int>, _ input: EncodeSources, _ starts: [Int], _ setAttributes: [Int32], arms: Int,
                            into out: EncodeTargets) -> (armCounts: [Int], positives: Int, mixed: [Int]) {
        let rows = input.rows
        var armCounts = [Int](repeating: 0, count: arms), positives = 0, mixed: [Int] = []
        var sorted: [Int32] = []
        for t in tests {
            let group = UnsafeBufferPointer(rebasing: input.order[starts[t]..<starts[t + 1]])
            let first = rows[Int(group[0])]
            out.testSize[t] = Int32(group.count)
            out.testOrganization[t] = first.organization
            if group.allSatisfy({ rows[Int($0)].slices == first.slices }) {
                out.testAttributes[t] = setAttributes[Int(first.slices)]
            } else {
                mixed.append(t)
            }
            // An insertion sort, as a test holds a few applications.
            sorted.removeAll(keepingCapacity: true)
            for i in group {
                let key = (rows[Int(i)].order < 0 ? Int32.max : rows[Int(i)].order, i)
                var k = sorted.count
                sorted.append(i)
                while k > 0, key < (rows[Int(sorted[k - 1])].order < 0 ? Int32.max : rows[Int(sorted[k - 1])].order, sorted[k - 1]) {
                    sorted[k] = sorted[k - 1]
                    k -= 1
                }
                sorted[k] = i
            }
            var next = starts[t]
            for i in sorted {
                let row = rows[Int(i)]
                out.arm[next] = row.arm
                out.sendOrder[next] = row.order
                out.attributes[next] = setAttributes[Int(row.slices)]
                out.positive[next] = row.positive ? 1 : 0
                armCounts[Int(row.arm)] += 1
                if row.positive { positives += 1 }
                next += 1
            }
        }
        return (armCounts, positives, mixed)
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
