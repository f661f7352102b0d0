import Campaigns
import Foundation
import Values

// Step 1 of StudyImport, record by record: one record into integers (RowReader), each thread's
// rows and tables (StudyPart), and the parts merged in file order.

extension StudyImport {
    /// What one thread of the scan builds: its rows and its own tables of distinct values
    /// (positions local to the part until ``merged(_:)`` merges them).
    struct StudyPart: Sendable {
        var rows: [ParsedRow] = []
        var targets: TextPositions, arms = TextPositions(), organizations = TextPositions(), sliceValues = TextPositions()
        var sliceSets: [[Int32]] = []
        var sliceSetPositions: [[Int32]: Int32] = [:]
        var problems: [LineProblem] = []
        /// The slice-value set being built, and the last one found (rows of one target share
        /// it), each in storage of its own: the last one is copied value by value, so that
        /// building the next row's set does not copy an array shared with it.
        var key: [Int32]
        var lastKey: [Int32]
        var hasLastKey: Bool
        var lastSlices: Int32 = 0

        init(slices: Int, rows: Int, targets: Int) {
            self.targets = TextPositions(capacity: targets)
            self.rows.reserveCapacity(rows)
            key = [Int32](repeating: -1, count: slices)
            lastKey = [Int32](repeating: -2, count: slices)  // no set: a value is ≥ −1
            hasLastKey = false
        }

        /// With one slice column: each set's position by its value + 1 (−1: none yet).
        var singleSlicePositions: [Int32] = []

        /// With one slice column (the common case), the set of `value`: found by the value,
        /// without hashing an array for every target whose value differs from the previous
        /// one's (nor retaining the row's key to pass it).
        mutating func sliceSet(single value: Int32) -> Int32 {
            let index = Int(value) + 1
            if index < singleSlicePositions.count, singleSlicePositions[index] >= 0 { return singleSlicePositions[index] }
            if index >= singleSlicePositions.count {
                singleSlicePositions += repeatElement(-1, count: index + 1 - singleSlicePositions.count)
            }
            let position = Int32(sliceSets.count)
            singleSlicePositions[index] = position
            sliceSets.append([value])
            return position
        }

        mutating func sliceSet(_ key: [Int32]) -> Int32 {
            if key.count == 1 { return sliceSet(single: key[0]) }
            if let known = sliceSetPositions[key] { return known }
            let position = Int32(sliceSets.count)
            sliceSetPositions[key] = position
            sliceSets.append(key)
            return position
        }

        /// The parts of the file (in file order) as one study: each later part's positions
        /// mapped into the first part's tables. Values new to the first part come after its
        /// own, so targets stay in order of first appearance in the file. Targets (one per
        /// test: millions) are looked up in the earlier parts' tables, not added to them.
        /// Each part's rows stay in its own array (``ParsedRows``), a later part's mapped in
        /// place on both cores: no row is copied.
        static func merged(_ parts: inout [StudyPart]) -> ParsedStudy {
            var study = parts.removeFirst()  // its rows array is moved, not copied
            var targets = study.targets.takeValues()
            var targetMaps: [[Int32]] = []
            var tail: [ParsedRow] = []
            for k in parts.indices {
                // This part's rows, taken out of it so that they are mapped where they are.
                var rows: [ParsedRow] = []
                swap(&rows, &parts[k].rows)
                let next = parts[k]
                // The positions of this part's targets in the earlier parts' tables, looked up
                // on both cores (the tables are only read; a lookup is mostly a cache miss).
                // (The tables are taken out of their arrays once: read through the array in the
                // closure, each lookup copied a table out, retaining and releasing its storage.)
                let first = study.targets, later = Array(zip(parts[..<k].map(\.targets), targetMaps))
                let nextTargets = next.targets, n = nextTargets.count
                var targetMap = [Int32](repeating: -1, count: n)
                targetMap.withUnsafeMutableBufferPointer { found in
                    let out = UncheckedSendable(found.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: 2) { half in
                        nextTargets.forEach(in: half == 0 ? 0..<(n / 2) : (n / 2)..<n) { j, bytes in
                            if let known = first.lookup(bytes) { out.value[j] = known; return }
                            guard !later.isEmpty else { return }
                            for (table, map) in later {
                                if let known = table.lookup(bytes) { out.value[j] = map[Int(known)]; return }
                            }
                        }
                    }
                }
                // Targets new to the earlier parts, in order of first appearance.
                targets.reserveCapacity(targets.count + targetMap.reduce(0) { $0 + ($1 < 0 ? 1 : 0) })
                nextTargets.forEach(in: 0..<n) { j, bytes in
                    guard targetMap[j] < 0 else { return }
                    targetMap[j] = Int32(targets.count)
                    targets.append(String(decoding: bytes, as: UTF8.self))
                }
                targetMaps.append(targetMap)
                let armMap = study.arms.positions(of: next.arms), organizationMap = study.organizations.positions(of: next.organizations)
                let valueMap = study.sliceValues.positions(of: next.sliceValues)
                let setMap = next.sliceSets.map { set in study.sliceSet(set.map { $0 < 0 ? -1 : valueMap[Int($0)] }) }
                // The rows, mapped in place on both cores.
                let added = rows.count, finalTargets = targetMap
                rows.withUnsafeMutableBufferPointer { rows in
                    let rows = UncheckedSendable(rows.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: 2) { half in
                        for i in half == 0 ? 0..<(added / 2) : (added / 2)..<added {
                            let row = rows.value[i]
                            rows.value[i] = ParsedRow(line: row.line, target: finalTargets[Int(row.target)], arm: armMap[Int(row.arm)], positive: row.positive,
                                                      order: row.order, organization: row.organization < 0 ? -1 : organizationMap[Int(row.organization)],
                                                      slices: setMap[Int(row.slices)])
                        }
                    }
                }
                // The file is read in at most two parts; a third would follow the second.
                if tail.isEmpty { tail = rows } else { tail += rows }
                study.problems += next.problems
            }
            return ParsedStudy(rows: ParsedRows(head: study.rows, tail: tail), targets: targets, arms: study.arms.values,
                               organizations: study.organizations.values, sliceValues: study.sliceValues.values,
                               sliceSets: study.sliceSets, problems: study.problems)
        }
    }


    /// Turns one CSV record into a ``ParsedRow`` (or a problem): the columns' positions,
    /// found once from the header.
    struct RowReader: Sendable {
        let required: [(String, Int)]
        let armPositions: [Int]
        let targetPosition: Int, outcomePosition: Int
        let slicePositions: [Int]
        let organizationPosition: Int?, orderPosition: Int?
        let orderColumn: String?
        /// The positive values (a few: compared, not hashed), one after another in one array,
        /// value k at `positiveBytes[positiveStarts[k]..<positiveStarts[k + 1]]`: one storage
        /// for every row to compare with (an array of arrays was retained and released per
        /// value and row).
        let positiveBytes: [UInt8], positiveStarts: [Int]
        static let NA = Array("NA".utf8)

        init(header: [String], options: StudyImportOptions) {
            // Columns by position (the header was checked before).
            let columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            required = ([options.targetColumn, options.outcomeColumn] + options.armColumns).map { ($0, columnIndex[$0]!) }
            armPositions = options.armColumns.map { columnIndex[$0]! }
            targetPosition = columnIndex[options.targetColumn]!
            outcomePosition = columnIndex[options.outcomeColumn]!
            slicePositions = options.sliceColumns.map { columnIndex[$0]! }
            organizationPosition = options.organizationColumn.map { columnIndex[$0]! }
            orderPosition = options.orderColumn.map { columnIndex[$0]! }
            orderColumn = options.orderColumn
            positiveBytes = options.positiveValues.flatMap { Array($0.utf8) }
            positiveStarts = options.positiveValues.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
        }

        /// Optional columns may be missing for some rows: empty, or R's "NA".
        @inline(__always) func missing(_ record: CSVRecord, _ index: Int) -> Bool {
            record.withBytes(index) { $0.isEmpty || Self.equal(Self.NA, $0) }
        }

        /// Whether a field's bytes are `value`'s (compared in place).
        @inline(__always) static func equal(_ value: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard value.count == bytes.count else { return false }
            for k in 0..<bytes.count where value[k] != bytes[k] { return false }
            return true
        }

        /// Whether a field's bytes are one of the positive values.
        @inline(__always) func isPositive(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            positiveBytes.withUnsafeBufferPointer { values in
                for k in 0..<(positiveStarts.count - 1) {
                    let start = positiveStarts[k], end = positiveStarts[k + 1]
                    guard end - start == bytes.count else { continue }
                    var same = true
                    for i in 0..<bytes.count where values[start + i] != bytes[i] { same = false; break }
                    if same { return true }
                }
                return false
            }
        }

        func read(_ record: CSVRecord, into part: inout StudyPart) {
            let line = record.line
            var bad = false
            for k in required.indices where record.withBytes(required[k].1, { $0.isEmpty }) {
                part.problems.append(LineProblem(line: line, column: required[k].0, reason: "is empty"))
                bad = true
            }
            var order: Int32 = -1
            if let position = orderPosition, !missing(record, position) {
                if let value = record.withBytes(position, StudyImport.positiveInteger) { order = value } else {
                    part.problems.append(LineProblem(line: line, column: orderColumn,
                                                     reason: "\"\(record.string(position))\" is not a send position (1, 2, …, or NA when unknown)"))
                    bad = true
                }
            }
            if bad { return }
            for k in slicePositions.indices {
                let position = slicePositions[k]
                part.key[k] = missing(record, position) ? -1 : record.withBytes(position) { part.sliceValues.position($0) }
            }
            let slices: Int32
            if part.hasLastKey && part.key == part.lastKey { slices = part.lastSlices } else {
                slices = part.key.count == 1 ? part.sliceSet(single: part.key[0]) : part.sliceSet(part.key)
                for k in part.key.indices { part.lastKey[k] = part.key[k] }
                part.hasLastKey = true
                part.lastSlices = slices
            }
            let arm = armPositions.count == 1 ? record.withBytes(armPositions[0]) { part.arms.position($0) }
                                              : part.arms.position(armPositions.map { record.string($0) }.joined(separator: "."))
            let positive = record.withBytes(outcomePosition) { bytes in isPositive(bytes) }
            let organization = organizationPosition.map { missing(record, $0) ? -1 : record.withBytes($0) { part.organizations.position($0) } } ?? -1
            part.rows.append(ParsedRow(line: Int32(line), target: record.withBytes(targetPosition) { part.targets.position($0) }, arm: arm,
                                       positive: positive, order: order, organization: organization, slices: slices))
        }
    }

    /// A field holding a whole number ≥ 1 (a send position), read from its ASCII digits.
    static func positiveInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value: Int32 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int32(byte - UInt8(ascii: "0"))
        }
        return value >= 1 ? value : nil
    }
}
