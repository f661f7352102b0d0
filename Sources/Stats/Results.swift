/// A two-sided confidence interval.
///
/// Bounds may be infinite only where the parameter is unbounded (the upper limit of a
/// ratio or odds ratio). When a method's raw limits fall outside the parameter's range
/// they are clipped to it and `clipped` says so, as METHODS.md §2 requires.
public struct ConfidenceInterval: Sendable, Equatable, Codable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double
    /// True when at least one raw limit lay outside the parameter range and was clipped.
    public var clipped: Bool

    public init(lower: Double, upper: Double, level: Double, clipped: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.level = level
        self.clipped = clipped
    }

    /// Clips the limits to `range` and records whether anything changed.
    func clipped(to range: ClosedRange<Double>) -> ConfidenceInterval {
        let low = Swift.min(Swift.max(lower, range.lowerBound), range.upperBound)
        let high = Swift.min(Swift.max(upper, range.lowerBound), range.upperBound)
        return ConfidenceInterval(lower: low, upper: high, level: level,
                                  clipped: clipped || low != lower || high != upper)
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    public var description: String {
        "\(Int((level * 100).rounded()))% CI [\(lower), \(upper)]" + (clipped ? " (clipped)" : "")
    }
}

/// The result of a hypothesis test, shaped like R's `htest`.
public struct HypothesisTest: Sendable, Equatable, Codable {
    /// The test statistic; `nil` where the test has none (exact tests) or it is undefined.
    public var statistic: Double?
    /// Degrees of freedom of the reference χ² distribution, where there is one.
    public var degreesOfFreedom: Double?
    /// The two-sided p-value.
    public var pValue: Double
    /// Human-readable method name, e.g. "McNemar mid-p test".
    public var method: String

    public init(statistic: Double?, degreesOfFreedom: Double? = nil, pValue: Double, method: String) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.method = method
    }
}

/// A bibliographic reference for a method.
public struct Citation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var authors: String
    public var year: Int
    public var title: String
    public var source: String
    public var doi: String?

    public var description: String {
        "\(authors) (\(year)). \(title). \(source)." + (doi.map { " doi:\($0)" } ?? "")
    }
}

/// Errors from the statistics layer. Each message names the argument and says what to do.
public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A count is negative.
    case negativeCount(name: String, value: Int)
    /// More positives than trials.
    case countExceedsTrials(count: Int, trials: Int)
    /// The confidence level is not strictly between 0 and 1.
    case levelOutOfRange(Double)
    /// A probability is outside its allowed range.
    case probabilityOutOfRange(name: String, value: Double)
    /// Some other argument is invalid; the text says which and why.
    case invalidArgument(String)
    /// The quantity is not defined for these data (e.g. a ratio whose denominator is 0).
    case undefined(String)
    /// GSL reported a numerical failure.
    case numerical(GSLError)

    public var description: String {
        switch self {
        case let .negativeCount(name, value):
            return "\(name) must be a count of 0 or more, got \(value)"
        case let .countExceedsTrials(count, trials):
            return "positives (\(count)) cannot exceed trials (\(trials)); check that the counts are not swapped"
        case let .levelOutOfRange(level):
            return "confidence level must lie strictly between 0 and 1 (e.g. 0.95), got \(level)"
        case let .probabilityOutOfRange(name, value):
            return "\(name) must be a probability between 0 and 1, got \(value)"
        case let .invalidArgument(text):
            return text
        case let .undefined(reason):
            return "undefined: \(reason)"
        case let .numerical(error):
            return error.description
        }
    }
}

extension StatisticsError {
    public static func checkLevel(_ level: Double) throws(StatisticsError) {
        guard level > 0, level < 1, level.isFinite else { throw .levelOutOfRange(level) }
    }

    static func checkCount(_ value: Int, name: String) throws(StatisticsError) {
        guard value >= 0 else { throw .negativeCount(name: name, value: value) }
    }
}

/// Runs a GSL-backed computation, mapping ``GSLError`` to ``StatisticsError/numerical(_:)``.
@inline(__always)
func numerics<T>(_ body: () throws(GSLError) -> T) throws(StatisticsError) -> T {
    do { return try body() } catch { throw .numerical(error) }
}

/// A value that may be undefined for the data at hand, with the reason.
///
/// Barometre never returns NaN silently: an undefined estimate, interval or p-value is
/// `.undefined(reason)`, which JSON renders as `null` beside the reason.
public enum Defined<Value: Sendable & Equatable>: Sendable, Equatable {
    case value(Value)
    case undefined(String)

    public var value: Value? {
        if case let .value(value) = self { return value }
        return nil
    }

    public var undefinedReason: String? {
        if case let .undefined(reason) = self { return reason }
        return nil
    }

    /// Evaluates `body`, turning ``StatisticsError/undefined(_:)`` into `.undefined`.
    /// Other errors (bad input, numerical failure) are thrown on.
    public static func evaluate(_ body: () throws(StatisticsError) -> Value) throws(StatisticsError) -> Defined<Value> {
        do {
            return .value(try body())
        } catch {
            if case let .undefined(reason) = error { return .undefined(reason) }
            throw error
        }
    }
}
