import Testing

/// Checks `actual` against a reference value within a relative tolerance, reporting the
/// size of the error on failure.
///
/// Passes when |actual − expected| ≤ relativeTolerance·|expected|, or when both are within
/// `absoluteTolerance` of each other (needed for references that are exactly 0), or when
/// both are the same infinity.
public func expectClose(
    _ actual: Double?, _ expected: Double,
    relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-12,
    _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected) but the value is undefined. \(comment())", sourceLocation: sourceLocation)
        return
    }
    if expected.isInfinite || actual.isInfinite {
        if actual != expected {
            Issue.record("expected \(expected), got \(actual). \(comment())", sourceLocation: sourceLocation)
        }
        return
    }
    let error = abs(actual - expected)
    let relative = expected == 0 ? error : error / abs(expected)
    if !(error <= absoluteTolerance || relative <= relativeTolerance) {
        Issue.record("expected \(expected), got \(actual): relative error \(relative) > \(relativeTolerance). \(comment())",
                     sourceLocation: sourceLocation)
    }
}

/// Checks a value to a number of decimals, as published tables print them.
public func expectRounded(
    _ actual: Double?, _ expected: Double, decimals: Int = 4,
    _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected) but the value is undefined. \(comment())", sourceLocation: sourceLocation)
        return
    }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (actual * scale).rounded() / scale
    if abs(rounded - expected) > 0.5 / scale {
        Issue.record("expected \(expected) to \(decimals) decimals, got \(actual). \(comment())", sourceLocation: sourceLocation)
    }
}
