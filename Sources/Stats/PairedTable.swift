/// The paired 2×2 table of one comparison (reference arm R against tested arm T) in one
/// slice of tests (METHODS.md §1):
///
/// ```
///               T positive   T negative
/// R positive        a            b
/// R negative        c            d
/// ```
///
/// n = a+b+c+d tests; p_R = (a+b)/n; p_T = (a+c)/n. b counts tests where R was favoured,
/// c tests where T was favoured.
public struct PairedTable: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// a: both applications answered positively.
    public let both: Int
    /// b: only the reference arm's application answered positively.
    public let referenceOnly: Int
    /// c: only the tested arm's application answered positively.
    public let testedOnly: Int
    /// d: neither application answered positively.
    public let neither: Int

    /// - Throws: ``StatisticsError/negativeCount(name:value:)`` for a negative cell.
    public init(both a: Int, referenceOnly b: Int, testedOnly c: Int, neither d: Int) throws(StatisticsError) {
        try StatisticsError.checkCount(a, name: "both (a)")
        try StatisticsError.checkCount(b, name: "reference-only (b)")
        try StatisticsError.checkCount(c, name: "tested-only (c)")
        try StatisticsError.checkCount(d, name: "neither (d)")
        let (ab, o1) = a.addingReportingOverflow(b)
        let (abc, o2) = ab.addingReportingOverflow(c)
        let (_, o3) = abc.addingReportingOverflow(d)
        guard !(o1 || o2 || o3) else { throw .invalidArgument("the table's total overflows a 64-bit count") }
        self.both = a
        self.referenceOnly = b
        self.testedOnly = c
        self.neither = d
    }

    /// n = a+b+c+d, the number of tests.
    public var tests: Int { both + referenceOnly + testedOnly + neither }
    /// b+c, the discordant tests.
    public var discordant: Int { referenceOnly + testedOnly }
    /// a+b+c, the tests with at least one positive answer ("usable tests").
    public var testsWithAnyPositive: Int { both + referenceOnly + testedOnly }
    /// a+b, positives of the reference arm.
    public var referencePositives: Int { both + referenceOnly }
    /// a+c, positives of the tested arm.
    public var testedPositives: Int { both + testedOnly }

    /// The table (a, b, c, 0): net discrimination is the paired difference of this table
    /// (Riach & Rich 2002; TEPP `callback` "tcs"; ILO "usable tests").
    public var usableTests: PairedTable {
        // Cannot throw: the cells are those of a valid table.
        try! PairedTable(both: both, referenceOnly: referenceOnly, testedOnly: testedOnly, neither: 0)
    }

    /// The same table with the arms' roles exchanged (b and c swapped).
    public var swapped: PairedTable {
        try! PairedTable(both: both, referenceOnly: testedOnly, testedOnly: referenceOnly, neither: neither)
    }

    public var description: String {
        "a=\(both) b=\(referenceOnly) c=\(testedOnly) d=\(neither) (n=\(tests))"
    }
}
