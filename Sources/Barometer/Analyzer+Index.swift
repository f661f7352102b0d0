import Foundation
import Stats
import Values

extension Analyzer {
    /// Compact per-application data, indexed for one pass per comparison.
    struct Indexed {
        let arms: [String]
        /// Per test, its answered applications (a view of the columns).
        let byTest: TestItems
        let pending: Int
        /// The distinct testers, organizations, attribute sets and measure sets; items hold
        /// their positions here, so that an item is plain integers (nothing to retain or
        /// release when millions of them are scanned, once per comparison and slice).
        let testers: [String]
        let organizations: [String]
        let attributeSets: [[String: String]]
        let measureSets: [[String: Double]]

        func measures(_ item: Item) -> [String: Double] { measureSets[Int(item.measures)] }

        /// Each attribute set's value of `column`, by attribute-set position.
        func values(of column: String) -> [String?] { attributeSets.map { $0[column] } }

        /// The distinct values of `column`, sorted, and each attribute set's position among
        /// them (−1 when the set has no value): per-item work is then integer indexing.
        func valueIndex(of column: String) -> (names: [String], index: [Int]) {
            let values = values(of: column)
            let names = Set(values.compactMap { $0 }).sorted()
            let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            return (names, values.map { $0.map { position[$0]! } ?? -1 })
        }

        /// Distinct non-nil names of a table of strings, sorted, and each entry's position among them.
        static func nameIndex(_ table: [String]) -> (names: [String], index: [Int]) {
            let names = Set(table).sorted()
            let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            return (names, table.map { position[$0]! })
        }
    }

    /// One answered application: plain values and positions in `Indexed`'s tables (−1 for none),
    /// read from the columns when it is visited (``TestView``).
    struct Item {
        private let armCode: Int32
        private let levelCode: Int32
        private let orderCode: Int32
        let tester: Int32
        let organization: Int32
        let attributes: Int32
        let measures: Int32

        @inline(__always)
        init(armCode: Int32, levelCode: Int32, orderCode: Int32, tester: Int32, organization: Int32, attributes: Int32, measures: Int32) {
            self.armCode = armCode
            self.levelCode = levelCode
            self.orderCode = orderCode
            self.tester = tester
            self.organization = organization
            self.attributes = attributes
            self.measures = measures
        }

        var arm: Int { Int(armCode) }
        var level: Int { Int(levelCode) }
        var order: Int? { orderCode < 0 ? nil : Int(orderCode) }
    }

    /// The answered applications as columns, test after test: the ledger's columns
    /// themselves when they come so (arms renumbered in place, the reference first), else
    /// gathered in that order. An item touches only the columns its reader uses: a pass
    /// over the arms and answers reads 8 bytes per application, not a whole record.
    /// Read through ``ItemPointers`` while ``Prepared/withIndexed(_:)`` runs. The tester and
    /// measures columns may be empty (no application has one): every item then reads −1 and 0.
    struct ItemColumns {
        var arm: [Int32], level: [Int32], order: [Int32], tester: [Int32]
        var organization: [Int32], attributes: [Int32], measures: [Int32]

        /// `body` with the columns' storage (no reference to count per test visited).
        func withPointers<R>(_ body: (ItemPointers) throws(StatisticsError) -> R) throws(StatisticsError) -> R {
            // An empty column is read as `none` at every position (its pointer's stride 0), or
            // not at all (no test has items).
            func with(_ column: [Int32], none: Int32 = 0, _ next: (ItemPointers.Column) throws(StatisticsError) -> R) throws(StatisticsError) -> R {
                let result: Result<R, StatisticsError> = column.withUnsafeBufferPointer { buffer in
                    var none = none
                    return withUnsafePointer(to: &none) { fallback in
                        Result { () throws(StatisticsError) -> R in
                            try next(buffer.baseAddress.map { ItemPointers.Column($0, mask: -1) } ?? ItemPointers.Column(fallback, mask: 0))
                        }
                    }
                }
                return try result.get()
            }
            return try with(arm) { (arm) throws(StatisticsError) -> R in
                try with(level) { (level) throws(StatisticsError) -> R in
                    try with(order) { (order) throws(StatisticsError) -> R in
                        try with(tester, none: -1) { (tester) throws(StatisticsError) -> R in
                            try with(organization) { (organization) throws(StatisticsError) -> R in
                                try with(attributes) { (attributes) throws(StatisticsError) -> R in
                                    try with(measures) { (measures) throws(StatisticsError) -> R in
                                        try body(ItemPointers(arm: arm, level: level, order: order, tester: tester, organization: organization,
                                                              attributes: attributes, measures: measures))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The columns' storage, valid while ``ItemColumns/withPointers(_:)`` runs; only read.
    struct ItemPointers: @unchecked Sendable {
        let arm, level, order, tester, organization, attributes, measures: Column

        /// A column's values: position i is at `base[i & mask]` (mask −1), or one value for
        /// every position (mask 0).
        struct Column {
            let base: UnsafePointer<Int32>, mask: Int
            init(_ base: UnsafePointer<Int32>, mask: Int) { self.base = base; self.mask = mask }
            @inline(__always) subscript(i: Int) -> Int32 { base[i & mask] }
        }

        @inline(__always)
        subscript(i: Int) -> Item {
            Item(armCode: arm[i], levelCode: level[i], orderCode: order[i], tester: tester[i],
                 organization: organization[i], attributes: attributes[i], measures: measures[i])
        }
    }

    /// One test's items: a range of the columns.
    struct TestView: RandomAccessCollection {
        let columns: ItemPointers
        let startIndex: Int, endIndex: Int

        @inline(__always) subscript(i: Int) -> Item { columns[i] }
    }

    /// The tests, each a view of its items.
    struct TestItems: RandomAccessCollection {
        let columns: ItemPointers
        /// Where each test's items start; one more entry than there are tests.
        let starts: [Int]

        var startIndex: Int { 0 }
        var endIndex: Int { starts.count - 1 }
        /// Every test's items together.
        var itemCount: Int { starts[starts.count - 1] }
        @inline(__always) subscript(test: Int) -> TestView { TestView(columns: columns, startIndex: starts[test], endIndex: starts[test + 1]) }
    }

    /// What ``index(_:_:)`` gives: everything the analysis reads, but the items' storage.
    struct Prepared {
        let arms: [String], starts: [Int], pending: Int
        let testers: [String], organizations: [String]
        let attributeSets: [[String: String]], measureSets: [[String: Double]]
        let items: ItemColumns

        /// `body` with the indexed data (which must not outlive it).
        func withIndexed<R>(_ body: (Indexed) throws(StatisticsError) -> R) throws(StatisticsError) -> R {
            try items.withPointers { (pointers) throws(StatisticsError) -> R in
                try body(Indexed(arms: arms, byTest: TestItems(columns: pointers, starts: starts), pending: pending,
                                 testers: testers, organizations: organizations, attributeSets: attributeSets, measureSets: measureSets))
            }
        }
    }

    /// Tests in order of first appearance, keeping only answered applications (pending
    /// ones are counted); arms with the reference first. The columns are taken over.
    static func index(_ columns: consuming ApplicationColumns, _ request: AnalysisRequest) throws(StatisticsError) -> Prepared {
        guard let referencePosition = columns.arms.firstIndex(of: request.referenceArm),
              columns.arm.contains(Int32(referencePosition)) else {
            let present = Set(columns.arm.map { columns.arms[Int($0)] })
            throw .invalidArgument("the reference arm \"\(request.referenceArm)\" has no application; arms present: \(present.sorted().joined(separator: ", "))")
        }
        // Arms first (the reference leads, then the others by name), as present in the data.
        var present = [Bool](repeating: false, count: columns.arms.count)
        for a in columns.arm { present[Int(a)] = true }
        let others = columns.arms.indices.filter { present[$0] && $0 != referencePosition }.sorted { columns.arms[$0] < columns.arms[$1] }
        let arms = [request.referenceArm] + others.map { columns.arms[$0] }
        var armIndex = [Int32](repeating: -1, count: columns.arms.count)
        armIndex[referencePosition] = 0
        for (k, a) in others.enumerated() { armIndex[Int(a)] = Int32(k + 1) }
        let (starts, pending) = givenTestOrder(columns) ?? inTestOrder(columns) ?? gatherInTestOrder(&columns)
        // The arms renumbered in place (the columns are ours).
        columns.arm.withUnsafeMutableBufferPointer { arm in
            for i in arm.indices { arm[i] = armIndex[Int(arm[i])] }
        }
        let items = ItemColumns(arm: columns.arm, level: columns.level, order: columns.sendOrder, tester: columns.tester,
                                organization: columns.organization, attributes: columns.attributes, measures: columns.measures)
        return Prepared(arms: arms, starts: starts, pending: pending, testers: columns.testers,
                        organizations: columns.organizations, attributeSets: columns.attributeSets, measureSets: columns.measureSets,
                        items: items)
    }

    /// When every application is answered and the producer gave where each test starts
    /// (``ApplicationColumns/testStarts``): those starts, with no pass over the test column.
    /// They are checked (from 0 to the last application, each test holding one or more), as
    /// the items are then read through pointers at those positions.
    static func givenTestOrder(_ columns: borrowing ApplicationColumns) -> (starts: [Int], pending: Int)? {
        guard let starts = columns.testStarts, starts.count == columns.testCount + 1, starts.first == 0, starts.last == columns.count,
              columns.count > 0, !columns.level.contains(where: { $0 < 0 }) else { return nil }
        let increasing = starts.withUnsafeBufferPointer { s in (1..<s.count).allSatisfy { s[$0 - 1] < s[$0] } }
        return increasing ? (starts, 0) : nil
    }

    /// When every application is answered and the tests come in increasing position (the
    /// ledger's "test order"): where each test starts, read off the test column.
    /// Nil otherwise.
    static func inTestOrder(_ columns: borrowing ApplicationColumns) -> (starts: [Int], pending: Int)? {
        let n = columns.count
        guard n > 0, !columns.level.contains(where: { $0 < 0 }) else { return nil }
        return columns.test.withUnsafeBufferPointer { test -> (starts: [Int], pending: Int)? in
            var starts: [Int] = []
            var last: Int32 = -1
            for i in 0..<n where test[i] != last {
                guard test[i] > last else { return nil }
                last = test[i]
                starts.append(i)
            }
            starts.append(n)
            return (starts, 0)
        }
    }

    /// Any order, or pending applications: the answered applications gathered test after
    /// test, tests by their first answered application, each test's in their order (a
    /// counting sort); the columns are replaced by the gathered ones.
    static func gatherInTestOrder(_ columns: inout ApplicationColumns) -> (starts: [Int], pending: Int) {
        let n = columns.count
        var testPosition = [Int32](repeating: -1, count: columns.testCount)
        var counts: [Int] = []
        var pending = 0
        for i in 0..<n {
            guard columns.level[i] >= 0 else { pending += 1; continue }
            let source = Int(columns.test[i])
            if testPosition[source] < 0 {
                testPosition[source] = Int32(counts.count)
                counts.append(0)
            }
            counts[Int(testPosition[source])] += 1
        }
        var starts = [Int](repeating: 0, count: counts.count + 1)
        for t in counts.indices { starts[t + 1] = starts[t] + counts[t] }
        // Where each answered application goes.
        var destination = [Int](repeating: -1, count: n)
        var next = starts
        for i in 0..<n where columns.level[i] >= 0 {
            let t = Int(testPosition[Int(columns.test[i])])
            destination[i] = next[t]
            next[t] += 1
        }
        func gather(_ column: [Int32]) -> [Int32] {
            guard !column.isEmpty else { return [] }  // none for every application
            var out = [Int32](repeating: 0, count: starts[counts.count])
            for i in 0..<n where destination[i] >= 0 { out[destination[i]] = column[i] }
            return out
        }
        columns.arm = gather(columns.arm)
        columns.level = gather(columns.level)
        columns.sendOrder = gather(columns.sendOrder)
        columns.tester = gather(columns.tester)
        columns.organization = gather(columns.organization)
        columns.attributes = gather(columns.attributes)
        columns.measures = gather(columns.measures)
        columns.test = []
        return (starts, pending)
    }
}
