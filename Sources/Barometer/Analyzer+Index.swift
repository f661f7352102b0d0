import Foundation
import Stats
import Values

extension Analyzer {
    /// Compact per-application data, indexed for one pass per comparison.
    struct Indexed {
        let tests: [String]
        let arms: [String]
        /// Per test, its answered applications (a view of one flat array).
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

    /// One answered application: plain values and positions in `Indexed`'s tables (−1 for none).
    /// Stored as 32-bit integers (28 bytes): millions of items are scanned for every
    /// comparison and slice, so their size is the analysis's memory traffic.
    struct Item {
        private let armCode: Int32
        private let levelCode: Int32
        private let orderCode: Int32
        let tester: Int32
        let organization: Int32
        let attributes: Int32
        let measures: Int32

        init(arm: Int, level: Int, order: Int?, tester: Int32, organization: Int32, attributes: Int32, measures: Int32) {
            armCode = Int32(arm)
            levelCode = Int32(level)
            orderCode = order.map { Int32(clamping: $0) } ?? -1
            self.tester = tester
            self.organization = organization
            self.attributes = attributes
            self.measures = measures
        }

        var arm: Int { Int(armCode) }
        var level: Int { Int(levelCode) }
        var order: Int? { orderCode < 0 ? nil : Int(orderCode) }
    }

    /// The items of each test, stored one test after another in one buffer. A test's items
    /// are a view of that buffer (no reference count to touch: a million tests are read
    /// for every comparison and slice); the buffer lives as long as its owner.
    struct TestItems: RandomAccessCollection {
        private let owner: ItemBuffer
        /// Every item, test after test.
        let items: UnsafeBufferPointer<Item>
        /// Where each test's items start; one more entry than there are tests.
        let starts: [Int]

        init(_ owner: ItemBuffer, starts: [Int]) {
            self.owner = owner
            items = UnsafeBufferPointer(owner.items)
            self.starts = starts
        }

        var startIndex: Int { 0 }
        var endIndex: Int { starts.count - 1 }
        subscript(test: Int) -> UnsafeBufferPointer<Item> { UnsafeBufferPointer(rebasing: items[starts[test]..<starts[test + 1]]) }
    }

    /// Owns the items' memory; it is written once by `index` and only read afterwards.
    final class ItemBuffer: @unchecked Sendable {
        let items: UnsafeMutableBufferPointer<Item>

        /// Room for `count` items, uninitialized: `index` writes each slot exactly once (an
        /// item is plain integers), so the memory is not cleared first.
        init(count: Int) {
            items = .allocate(capacity: count)
        }

        deinit { items.deallocate() }
    }

    /// Tests in order of first appearance, keeping only answered applications (pending
    /// ones are counted); arms with the reference first.
    static func index(_ columns: ApplicationColumns, _ request: AnalysisRequest) throws(StatisticsError) -> Indexed {
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
        var armIndex = [Int](repeating: -1, count: columns.arms.count)
        armIndex[referencePosition] = 0
        for (k, a) in others.enumerated() { armIndex[a] = k + 1 }
        let armOf = armIndex
        @Sendable func item(_ i: Int) -> Item {
            let order = columns.sendOrder[i]
            return Item(arm: armOf[Int(columns.arm[i])], level: Int(columns.level[i]), order: order < 0 ? nil : Int(order),
                        tester: columns.tester[i], organization: columns.organization[i],
                        attributes: columns.attributes[i], measures: columns.measures[i])
        }
        let (tests, starts, buffer, pending) = indexInTestOrder(columns, item: item) ?? indexAnyOrder(columns, item: item)
        return Indexed(tests: tests, arms: arms, byTest: TestItems(buffer, starts: starts), pending: pending,
                    testers: columns.testers, organizations: columns.organizations,
                    attributeSets: columns.attributeSets, measureSets: columns.measureSets)
    }

    /// What indexing gives: the tests (in order of their first answered application), where
    /// each one's items start, the items, and the number of pending applications.
    typealias IndexedItems = (tests: [String], starts: [Int], buffer: ItemBuffer, pending: Int)

    /// Applications whose tests come in increasing position (the ledger's "test order"): each
    /// test's applications follow each other, so the items are the answered applications in
    /// order. Two halves, split where a test starts, are indexed side by side on two cores
    /// and put end to end. Nil when the tests are not in that order.
    static func indexInTestOrder(_ columns: ApplicationColumns, item: @Sendable (Int) -> Item) -> IndexedItems? {
        let n = columns.count
        guard n > 0 else { return nil }
        let inOrder = columns.test.withUnsafeBufferPointer { test in
            for i in 1..<n where test[i] < test[i - 1] { return false }
            return true
        }
        guard inOrder else { return nil }
        var middle = n / 2
        while middle > 0, middle < n, columns.test[middle] == columns.test[middle - 1] { middle += 1 }
        let split = middle
        let answeredFirst = columns.level[0..<split].reduce(0) { $1 >= 0 ? $0 + 1 : $0 }
        let answered = answeredFirst + columns.level[split..<n].reduce(0) { $1 >= 0 ? $0 + 1 : $0 }
        let buffer = ItemBuffer(count: answered)
        // Per half: its tests, their sizes, its pending applications.
        var halves = [(tests: [String], sizes: [Int], pending: Int)](repeating: ([], [], 0), count: 2)
        halves.withUnsafeMutableBufferPointer { results in
            let out = UncheckedBox(results.baseAddress!), items = UncheckedBox(buffer.items.baseAddress)
            withoutActuallyEscaping(item) { item in
                let make = UncheckedBox(item)
                DispatchQueue.concurrentPerform(iterations: 2) { h in
                    var next = h == 0 ? 0 : answeredFirst
                    var tests: [String] = [], sizes: [Int] = [], pending = 0
                    var last: Int32 = -1
                    for i in h == 0 ? 0..<split : split..<n {
                        guard columns.level[i] >= 0 else { pending += 1; continue }
                        let test = columns.test[i]
                        if test != last {
                            last = test
                            tests.append(columns.tests[Int(test)])
                            sizes.append(0)
                        }
                        sizes[sizes.count - 1] += 1
                        (items.value! + next).initialize(to: make.value(i))
                        next += 1
                    }
                    out.value[h] = (tests, sizes, pending)
                }
            }
        }
        let tests = halves[0].tests + halves[1].tests
        var starts = [Int](repeating: 0, count: tests.count + 1)
        for (t, size) in (halves[0].sizes + halves[1].sizes).enumerated() { starts[t + 1] = starts[t] + size }
        return (tests, starts, buffer, halves[0].pending + halves[1].pending)
    }

    /// Applications in any order: tests by their first answered application, then the items
    /// test after test, each test's in their order (a counting sort).
    static func indexAnyOrder(_ columns: ApplicationColumns, item: (Int) -> Item) -> IndexedItems {
        let n = columns.count
        var testPosition = [Int32](repeating: -1, count: columns.tests.count)
        var tests: [String] = []
        var counts: [Int] = []
        var pending = 0
        for i in 0..<n {
            guard columns.level[i] >= 0 else { pending += 1; continue }
            let source = Int(columns.test[i])
            if testPosition[source] < 0 {
                testPosition[source] = Int32(tests.count)
                tests.append(columns.tests[source])
                counts.append(0)
            }
            counts[Int(testPosition[source])] += 1
        }
        var starts = [Int](repeating: 0, count: tests.count + 1)
        for t in 0..<tests.count { starts[t + 1] = starts[t] + counts[t] }
        let buffer = ItemBuffer(count: starts[tests.count])
        var next = starts
        for i in 0..<n where columns.level[i] >= 0 {
            let t = Int(testPosition[Int(columns.test[i])])
            (buffer.items.baseAddress! + next[t]).initialize(to: item(i))
            next[t] += 1
        }
        return (tests, starts, buffer, pending)
    }
}
