import Foundation
import Stats
import Values

/// From observations to findings (METHODS.md §2–4): every comparison, in every slice.
public enum Analyzer {
    /// Compact per-application data, indexed for one pass per comparison.
    struct Data {
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

    /// One answered application: plain values and positions in `Data`'s tables (−1 for none).
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

        init(count: Int, repeating item: Item) {
            items = .allocate(capacity: count)
            items.initialize(repeating: item)
        }

        deinit { items.deallocate() }
    }

    /// The findings of applications given as columns (what the ledger reads for large studies).
    public static func analyze(_ columns: ApplicationColumns, _ request: AnalysisRequest) throws(StatisticsError) -> Findings {
        try StatisticsError.checkLevel(request.level)
        let data = try index(columns, request)
        let threshold = request.thresholdIndex
        let reference = data.arms.firstIndex(of: request.referenceArm)!
        var pairs: [(Int, Int)] = []
        if request.allPairs {
            for i in data.arms.indices { for j in data.arms.indices where j > i { pairs.append((i, j)) } }
        } else {
            pairs = data.arms.indices.filter { $0 != reference }.map { (reference, $0) }
        }
        var notes: [String] = []
        if data.pending > 0 { notes.append("\(data.pending) application\(data.pending == 1 ? " has" : "s have") no answer yet and \(data.pending == 1 ? "is" : "are") left out.") }
        if request.simulated { notes.append("SIMULATED DATA: these outcomes were drawn by `barometre simulate`, not observed.") }

        // Comparisons: whole sample, then each value of each slice column. Pairs of arms are
        // independent: they run side by side on the machine's cores, and are put back in order.
        // The reference's pairs also get their ordinal stages and send-order check here.
        let perPair = try concurrentMap(pairs) { (pair: (Int, Int)) throws(StatisticsError) -> PairFindings in
            var findings = try pairFindings(data, pair.0, pair.1, request: request)
            if pair.0 == reference {
                if request.scale.count > 2 { findings.ordinal = try ordinal(data, pair.0, pair.1, request: request) }
                findings.sendOrder = try sendOrderCheck(data, pair.0, pair.1, request: request)
            }
            return findings
        }
        var comparisons = perPair.flatMap(\.comparisons)
        let stratified = perPair.flatMap(\.stratified)
        notes += perPair.flatMap(\.notes)
        // Multiplicity in two families (METHODS.md §3). Confirmatory: the primary comparisons
        // (the reference against each primary tested arm, all tests), Holm within them only.
        // Exploratory: every other comparison (slices, all-pairs, non-primary arms),
        // Benjamini–Hochberg within them. Adding an exploratory analysis never moves a
        // confirmatory p-value.
        let primary = try primaryArms(data, request)
        for i in comparisons.indices {
            let c = comparisons[i]
            comparisons[i].family = c.slice.isEmpty && c.reference == request.referenceArm && primary.contains(c.tested)
                ? .confirmatory : .exploratory
        }
        for family in AnalysisFamily.allCases {
            let indices = comparisons.indices.filter { comparisons[$0].family == family && comparisons[$0].primaryP != nil }
            let ps = indices.map { comparisons[$0].primaryP! }
            guard !ps.isEmpty else { continue }
            switch family {
            case .confirmatory:
                let adjusted = try Multiplicity.holm(ps)
                for (k, i) in indices.enumerated() { comparisons[i].holm = adjusted[k] }
            case .exploratory:
                let q = try Multiplicity.benjaminiHochberg(ps)
                for (k, i) in indices.enumerated() { comparisons[i].benjaminiHochberg = q[k] }
            }
        }
        // Checks: the reference against each tested arm.
        let mainPairs = pairs.filter { $0.0 == reference }
        let ordinalFindings = perPair.compactMap(\.ordinal), sendOrder = perPair.compactMap(\.sendOrder)
        return Findings(
            request: request, arms: data.arms, comparisons: comparisons, stratified: stratified,
            ordinal: ordinalFindings,
            sendOrder: sendOrder,
            testers: mainPairs.compactMap { testerCheck(data, $0.0, $0.1, threshold: threshold) },
            organizations: try organizations(data, mainPairs, request: request),
            pending: data.pending, notes: notes)
    }

    /// The tested arms of the confirmatory family: those the request names (each must be a
    /// tested arm present in the data), else every tested arm.
    static func primaryArms(_ data: Data, _ request: AnalysisRequest) throws(StatisticsError) -> Set<String> {
        let tested = data.arms.filter { $0 != request.referenceArm }
        guard let named = request.primary else { return Set(tested) }
        for arm in named where !tested.contains(arm) {
            throw .invalidArgument(arm == request.referenceArm
                ? "the primary comparisons name the reference arm \"\(arm)\"; name tested arms (each is compared with the reference)"
                : "the primary comparisons name the arm \"\(arm)\", which has no answered application; tested arms present: \(tested.joined(separator: ", "))")
        }
        return Set(named)
    }

    /// One pair's comparisons (whole sample, then every slice value) and stratified tests.
    struct PairFindings {
        var comparisons: [ComparisonFinding] = []
        var stratified: [StratifiedFinding] = []
        var notes: [String] = []
        var ordinal: OrdinalFinding?
        var sendOrder: CheckFinding?
    }

    static func pairFindings(_ data: Data, _ r: Int, _ t: Int, request: AnalysisRequest) throws(StatisticsError) -> PairFindings {
        var result = PairFindings()
        let threshold = request.thresholdIndex
        result.comparisons.append(try compare(data, r, t, tests: Array(data.tests.indices), slice: [:], excluded: 0, request: request))
        for column in request.slices {
            let (byValue, excluded) = sliceValues(data, r, t, column: column)
            var discordant: [(Int, Int)] = []
            for value in byValue.keys.sorted() {
                let finding = try compare(data, r, t, tests: byValue[value]!, slice: [column: value], excluded: excluded, request: request)
                result.comparisons.append(finding)
                if let table = finding.paired?.table { discordant.append((table.referenceOnly, table.testedOnly)) }
            }
            // Mantel–Haenszel is application-level: each application is in the stratum
            // of its own value (which may vary within a test, e.g. an applicant's zip).
            let tables = strata(data, r, t, column: column, threshold: threshold)
            let totalB = discordant.reduce(0) { $0 + $1.0 }, totalC = discordant.reduce(0) { $0 + $1.1 }
            result.stratified.append(StratifiedFinding(
                reference: data.arms[r], tested: data.arms[t], by: column, strata: tables.count,
                mantelHaenszel: tables.isEmpty ? nil : try MantelHaenszel.analyze(tables, level: request.level),
                discordantHomogeneity: ContingencyChiSquared.test(discordant, method: "Pearson χ² of the discordant split (b, c) across \(column) values"),
                pooledDiscordantShare: totalB + totalC > 0 ? .value(Double(totalB) / Double(totalB + totalC)) : .undefined("no discordant test")))
            if excluded > 0 {
                result.notes.append("\(excluded) test\(excluded == 1 ? "" : "s") left out of the \(column) slices for \(data.arms[r]) vs \(data.arms[t]): the value varies within the test.")
            }
        }
        return result
    }

    /// `transform` on every element, spread over the cores (Dispatch), results in order; the
    /// first error (in element order) is thrown.
    static func concurrentMap<Element, Value>(_ elements: [Element], _ transform: (Element) throws(StatisticsError) -> Value) throws(StatisticsError) -> [Value] {
        if elements.count < 2 { return try elements.map { e throws(StatisticsError) in try transform(e) } }
        let results = ResultSlots<Value>(count: elements.count)
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedBox(transform), inputs = UncheckedBox(elements)
            DispatchQueue.concurrentPerform(iterations: elements.count) { i in
                results.set(i, Result { () throws(StatisticsError) -> Value in try shared.value(inputs.value[i]) })
            }
        }
        var values: [Value] = []
        for outcome in results.all() {
            switch outcome {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            }
        }
        return values
    }

    /// Tests in order of first appearance, keeping only answered applications (pending
    /// ones are counted); arms with the reference first.
    static func index(_ columns: ApplicationColumns, _ request: AnalysisRequest) throws(StatisticsError) -> Data {
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
        // Tests: positions in order of their first answered application.
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
        // One flat array, test after test, applications in their order (a counting sort).
        var starts = [Int](repeating: 0, count: tests.count + 1)
        for t in 0..<tests.count { starts[t + 1] = starts[t] + counts[t] }
        var next = starts
        let placeholder = Item(arm: 0, level: 0, order: nil, tester: -1, organization: -1, attributes: 0, measures: 0)
        let buffer = ItemBuffer(count: starts[tests.count], repeating: placeholder)
        let items = buffer.items
        for i in 0..<n where columns.level[i] >= 0 {
            let t = Int(testPosition[Int(columns.test[i])])
            let order = columns.sendOrder[i]
            items[next[t]] = Item(arm: armIndex[Int(columns.arm[i])], level: Int(columns.level[i]), order: order < 0 ? nil : Int(order),
                                  tester: columns.tester[i], organization: columns.organization[i],
                                  attributes: columns.attributes[i], measures: columns.measures[i])
            next[t] += 1
        }
        return Data(tests: tests, arms: arms, byTest: TestItems(buffer, starts: starts), pending: pending,
                    testers: columns.testers, organizations: columns.organizations,
                    attributeSets: columns.attributeSets, measureSets: columns.measureSets)
    }
}

/// Results written by concurrent iterations, one slot each.
final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, StatisticsError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, StatisticsError>) { lock.withLock { slots[index] = result } }

    func all() -> [Result<Value, StatisticsError>] { lock.withLock { slots.map { $0! } } }
}

/// Hands a value that is only read to concurrent iterations (the analysis data is immutable).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
