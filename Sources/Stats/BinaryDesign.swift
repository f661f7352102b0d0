/// A linear probability model's data when the outcome and the regressors are all 0 or 1 and
/// the observations come test after test (the analyzer's regressions). An observation is a
/// code of 3 bits (bit 0: the outcome; bits 1 and 2: the regressors) and a test is the
/// sequence of its codes. Few sequences occur (a test of one application per arm has at most
/// 4 with one regressor), so each distinct sequence, a *pattern*, is kept once, and a test is
/// the number of its pattern: 4 bytes per test instead of a byte per observation and 8 bytes
/// per test, and the fit computes each pattern's terms once
/// (``ClusterRobustRegression/fitPatterns(_:)``).
public struct BinaryDesign: Sendable {
    private(set) var twoRegressors: Bool
    /// Each test's pattern, in order.
    @usableFromInline private(set) var testPatterns: [UInt32] = []
    /// The patterns' codes one after the other: pattern k is
    /// `patternCodes[patternStarts[k] ..< patternStarts[k + 1]]`.
    private(set) var patternCodes: [UInt8] = []
    @usableFromInline private(set) var patternStarts: [Int] = [0]
    /// A pattern of up to 21 codes is keyed by its codes packed 3 bits each after a leading 1;
    /// the keys of up to 4 codes (below ``shortKeys``) index a table (−1: not seen yet; made at
    /// the first test), the others a dictionary. Longer patterns are keyed by their codes.
    private var shortPatterns: [Int32] = []
    private var packedPatterns: [UInt64: UInt32] = [:]
    private var longPatterns: [[UInt8]: UInt32] = [:]
    /// The codes of the test being appended by ``append(y:x0:x1:)``.
    private var current: [UInt8] = []
    /// The number of observations.
    @usableFromInline var observations = 0
    public var count: Int { observations }

    /// The number of tests ended.
    public var tests: Int { testPatterns.count }

    /// Every observation's code, test after test.
    public var codes: [UInt8] { testPatterns.flatMap { patternCodes[patternStarts[Int($0)] ..< patternStarts[Int($0) + 1]] } }

    /// - Parameters:
    ///   - regressors: 1 or 2.
    ///   - capacity: the observations expected (room for half as many tests is reserved).
    public init(regressors: Int, capacity: Int = 0) {
        precondition(regressors == 1 || regressors == 2, "a binary design has one or two regressors")
        twoRegressors = regressors == 2
        testPatterns.reserveCapacity(capacity / 2)
    }

    /// One observation of the current test.
    @inlinable
    public mutating func append(y: Bool, x0: Bool, x1: Bool = false) {
        appendCode(Self.code(y: y, x0: x0, x1: x1))
    }

    @usableFromInline mutating func appendCode(_ code: UInt8) { current.append(code) }

    /// Ends the current test (it must hold an observation).
    public mutating func endTest() {
        precondition(!current.isEmpty, "a test of the design holds at least one observation")
        current.withUnsafeBufferPointer { appendTest($0) }
        current.removeAll(keepingCapacity: true)
    }

    /// One observation's code: bit 0 y, bit 1 x₀, bit 2 x₁.
    @inlinable
    public static func code(y: Bool, x0: Bool, x1: Bool = false) -> UInt8 {
        UInt8(y ? 1 : 0) | UInt8(x0 ? 2 : 0) | UInt8(x1 ? 4 : 0)
    }

    /// A whole test at once (its observations' ``code(y:x0:x1:)``, in order, at least one):
    /// the same design as `append` for each then `endTest`.
    public mutating func appendTest(_ testCodes: UnsafeBufferPointer<UInt8>) {
        appendTest(pattern: pattern(of: testCodes))
    }

    /// A test whose pattern is known (``pattern(of:)`` of this design or of the design it was
    /// copied from).
    @inlinable
    public mutating func appendTest(pattern: UInt32) {
        observations += patternLength(pattern)
        testPatterns.append(pattern)
    }

    /// The number of observations of a pattern.
    @inlinable
    public func patternLength(_ pattern: UInt32) -> Int { patternStarts[Int(pattern) + 1] - patternStarts[Int(pattern)] }

    /// The codes of a pattern.
    public func codes(of pattern: UInt32) -> ArraySlice<UInt8> {
        patternCodes[patternStarts[Int(pattern)] ..< patternStarts[Int(pattern) + 1]]
    }

    /// The number of distinct patterns met.
    public var patternCount: Int { patternStarts.count - 1 }

    /// The same patterns (their numbers stay valid) and no test: a design to fill with some of
    /// the tests whose patterns were found in this one.
    /// `regressors`: 1 or 2 (a code's x₁ is read only with 2), by default this design's.
    public func withoutTests(regressors: Int? = nil) -> BinaryDesign {
        precondition(regressors == nil || regressors == 1 || regressors == 2, "a binary design has one or two regressors")
        var copy = self
        copy.testPatterns = []
        copy.observations = 0
        if let regressors { copy.twoRegressors = regressors == 2 }
        return copy
    }

    /// Room for `tests` more tests.
    public mutating func reserveTests(_ tests: Int) { testPatterns.reserveCapacity(testPatterns.count + tests) }

    /// The number of a test's pattern (its codes in order, at least one), added to the
    /// patterns if new; the test itself is not added.
    public mutating func pattern(of testCodes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        precondition(!testCodes.isEmpty, "a test of the design holds at least one observation")
        guard testCodes.count <= 21 else {
            let key = Array(testCodes)
            if let known = longPatterns[key] { return known }
            let pattern = newPattern(testCodes)
            longPatterns[key] = pattern
            return pattern
        }
        var key: UInt64 = 1
        for code in testCodes { key = key << 3 | UInt64(code & 7) }
        if key < Self.shortKeys {
            if shortPatterns.isEmpty { shortPatterns = [Int32](repeating: -1, count: Int(Self.shortKeys)) }
            let known = shortPatterns[Int(key)]
            if known >= 0 { return UInt32(known) }
            let pattern = newPattern(testCodes)
            shortPatterns[Int(key)] = Int32(pattern)
            return pattern
        }
        if let known = packedPatterns[key] { return known }
        let pattern = newPattern(testCodes)
        packedPatterns[key] = pattern
        return pattern
    }

    /// The packed keys of the patterns of at most 4 codes are below 2¹³ (a leading 1, 12 bits).
    static let shortKeys: UInt64 = 1 << 13

    private mutating func newPattern(_ codes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let pattern = UInt32(patternStarts.count - 1)
        patternCodes.append(contentsOf: codes)
        patternStarts.append(patternCodes.count)
        return pattern
    }

    @inline(__always) static func y(_ code: UInt8) -> Double { Double(code & 1) }
    @inline(__always) static func x0(_ code: UInt8) -> Double { Double((code >> 1) & 1) }
    @inline(__always) static func x1(_ code: UInt8) -> Double { Double((code >> 2) & 1) }
}

extension ClusterRobustRegression {
    /// ``fitRuns(_:groups:)`` for a ``BinaryDesign``: a test's means, deviations and score
    /// depend only on its pattern, so they are computed once per pattern; the pass over the
    /// tests then adds, test after test, the same terms in the same order to the same sums:
    /// the same values to the last bit, with one table read per observation.
    static func fitPatterns(_ design: BinaryDesign) throws(StatisticsError) -> FixedEffectsFit {
        let two = design.twoRegressors
        let codes = design.patternCodes, starts = design.patternStarts
        let patterns = starts.count - 1
        // Each pattern's means, computed as the runs path computes a test's.
        var yMean = [Double](repeating: 0, count: patterns), mean0 = yMean, mean1 = yMean
        for k in 0..<patterns {
            var count = 0.0, ySum = 0.0, sum0 = 0.0, sum1 = 0.0
            for i in starts[k]..<starts[k + 1] {
                count += 1
                ySum += BinaryDesign.y(codes[i])
                sum0 += BinaryDesign.x0(codes[i])
                if two { sum1 += BinaryDesign.x1(codes[i]) }
            }
            yMean[k] = ySum / count
            mean0[k] = sum0 / count
            mean1[k] = two ? sum1 / count : 0
        }
        // Each observation's terms of the normal equations X̃'X̃ β = X̃'ỹ.
        let n = codes.count
        var r0Term = [Double](repeating: 0, count: n), b00Term = r0Term, r1Term = r0Term, b10Term = r0Term, b11Term = r0Term
        for k in 0..<patterns {
            for i in starts[k]..<starts[k + 1] {
                let yt = BinaryDesign.y(codes[i]) - yMean[k], t0 = BinaryDesign.x0(codes[i]) - mean0[k]
                r0Term[i] = t0 * yt
                b00Term[i] = t0 * t0
                if two {
                    let t1 = BinaryDesign.x1(codes[i]) - mean1[k]
                    r1Term[i] = t1 * yt
                    b10Term[i] = t1 * t0
                    b11Term[i] = t1 * t1
                }
            }
        }
        var b00 = 0.0, b10 = 0.0, b11 = 0.0, r0 = 0.0, r1 = 0.0
        design.testPatterns.withUnsafeBufferPointer { tests in
            starts.withUnsafeBufferPointer { starts in
                for pattern in tests {
                    let k = Int(pattern)
                    for i in starts[k]..<starts[k + 1] {
                        r0 += r0Term[i]
                        b00 += b00Term[i]
                        if two {
                            r1 += r1Term[i]
                            b10 += b10Term[i]
                            b11 += b11Term[i]
                        }
                    }
                }
            }
        }
        let (beta, inverse) = try solveNormalEquations(b00: b00, b10: b10, b11: b11, r0: r0, r1: r1, twoRegressors: two)
        let beta0 = beta[0], beta1 = two ? beta[1] : 0
        // Each pattern's score s and its products, then the meat Σ_g s_g s_g' test after test.
        var m00Term = [Double](repeating: 0, count: patterns), m01Term = m00Term, m10Term = m00Term, m11Term = m00Term
        for k in 0..<patterns {
            var s0 = 0.0, s1 = 0.0
            for i in starts[k]..<starts[k + 1] {
                let t0 = BinaryDesign.x0(codes[i]) - mean0[k]
                var residual = BinaryDesign.y(codes[i]) - yMean[k]
                residual -= beta0 * t0
                if two {
                    let t1 = BinaryDesign.x1(codes[i]) - mean1[k]
                    residual -= beta1 * t1
                    s1 += t1 * residual
                }
                s0 += t0 * residual
            }
            m00Term[k] = s0 * s0
            m01Term[k] = s0 * s1
            m10Term[k] = s1 * s0
            m11Term[k] = s1 * s1
        }
        var m00 = 0.0, m01 = 0.0, m10 = 0.0, m11 = 0.0
        for pattern in design.testPatterns {
            let k = Int(pattern)
            m00 += m00Term[k]
            if two {
                m01 += m01Term[k]
                m10 += m10Term[k]
                m11 += m11Term[k]
            }
        }
        return FixedEffectsFit(beta: beta, inverse: inverse, meat: two ? [m00, m01, m10, m11] : [m00],
                               observations: design.count, groups: design.tests)
    }
}
