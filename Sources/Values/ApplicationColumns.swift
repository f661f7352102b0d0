/// Applications and their answers as columns — the one table the Ledger reads and the
/// Barometer analyses: one array per field, one position per application, each distinct
/// string (test, arm, tester, organization) and each distinct attribute or measure set
/// stored once (``TextPositions``, ``Positions``). This is how a million-test study reaches
/// the analysis without a million-element array of structs full of strings (bench/README.md).
///
/// Positions are `Int32`; −1 means "none" (no answer yet, unknown send order, no tester, no
/// organization). Applications of a test follow each other; tests are in the order their
/// first application appears.
public struct ApplicationColumns: Sendable {
    /// Test codes, by test position (in test id order); empty when the producer leaves the
    /// tests unnamed (the analysis never names one), which it may do only with `testStarts`.
    public var tests: [String] = []
    public var arms: [String] = []
    public var testers: [String] = []
    public var organizations: [String] = []
    /// Distinct slice-value sets (the target's attributes merged with the application's own); 0 is empty.
    public var attributeSets: [[String: String]] = [[:]]
    /// Distinct measure sets of the answers in force; 0 is empty.
    public var measureSets: [[String: Double]] = [[:]]
    /// The campaign's scale, lowest first (`level` holds positions on it).
    public var scale: [String] = []

    /// Per application, in test order then application id order.
    public var test: [Int32] = []
    public var arm: [Int32] = []
    /// Position of the answer in force on the scale; −1 while unanswered.
    public var level: [Int32] = []
    public var sendOrder: [Int32] = []
    /// Empty when no application has a tester (an imported study): nothing per application.
    public var tester: [Int32] = []
    public var organization: [Int32] = []
    public var attributes: [Int32] = []
    /// Empty when no application has measures: nothing per application.
    public var measures: [Int32] = []
    /// Where each test's applications start (one more entry than there are tests), when the
    /// producer knows it: applications test after test, tests in position order, none empty
    /// (a stored study). Nil otherwise; the analysis then reads it off `test`.
    public var testStarts: [Int]?
    /// True when any answer in force was simulated.
    public var simulated = false

    public init() {}

    public var count: Int { test.count }
    /// The number of tests, named or not.
    public var testCount: Int { tests.isEmpty ? max(0, (testStarts?.count ?? 1) - 1) : tests.count }
}
