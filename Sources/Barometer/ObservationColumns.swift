/// Applications as columns: one array per field, one position per application, with each
/// distinct string (test, arm, tester, organization) and each distinct attribute or measure
/// set stored once. This is how a million-test study reaches the analysis without a
/// million-element array of structs full of strings (bench/README.md).
///
/// Positions are `Int32`; −1 means "none" (no answer yet, unknown send order, no tester,
/// no organization). Applications of a test keep their order; tests are in the order their
/// first application appears.
public struct ObservationColumns: Sendable {
    /// Test codes, by test position.
    public var tests: [String] = []
    public var arms: [String] = []
    public var testers: [String] = []
    public var organizations: [String] = []
    /// Distinct slice-value sets (target attributes merged with the application's own).
    public var attributeSets: [[String: String]] = [[:]]
    /// Distinct measure sets; position 0 is the empty set.
    public var measureSets: [[String: Double]] = [[:]]

    /// Per application: positions in the tables above, and the answer's scale position.
    public var test: [Int32] = []
    public var arm: [Int32] = []
    public var level: [Int32] = []
    public var sendOrder: [Int32] = []
    public var tester: [Int32] = []
    public var organization: [Int32] = []
    public var attributes: [Int32] = []
    public var measures: [Int32] = []

    public init() {}

    public var count: Int { test.count }

    /// The columns of a list of observations (kept for callers that build observations).
    public init(_ observations: [Observation]) {
        var tests = Positions<String>(), arms = Positions<String>(), testers = Positions<String>(), organizations = Positions<String>()
        var attributeSets = Positions<[String: String]>(), measureSets = Positions<[String: Double]>()
        _ = attributeSets.position([:])
        _ = measureSets.position([:])
        for o in observations {
            test.append(tests.position(o.test))
            arm.append(arms.position(o.arm))
            level.append(o.levelIndex.map { Int32(clamping: $0) } ?? -1)
            sendOrder.append(o.sendOrder.map { Int32(clamping: $0) } ?? -1)
            tester.append(o.tester.map { testers.position($0) } ?? -1)
            organization.append(o.organization.map { organizations.position($0) } ?? -1)
            attributes.append(attributeSets.position(o.attributes))
            measures.append(measureSets.position(o.measures))
        }
        self.tests = tests.values
        self.arms = arms.values
        self.testers = testers.values
        self.organizations = organizations.values
        self.attributeSets = attributeSets.values
        self.measureSets = measureSets.values
    }
}

/// Assigns each distinct value a position, in order of first appearance.
public struct Positions<Value: Hashable> {
    public private(set) var values: [Value] = []
    private var positions: [Value: Int32] = [:]

    public init() {}

    public mutating func position(_ value: Value) -> Int32 {
        if let known = positions[value] { return known }
        let position = Int32(values.count)
        values.append(value)
        positions[value] = position
        return position
    }
}
