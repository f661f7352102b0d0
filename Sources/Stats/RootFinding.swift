import CGSL

/// Bracketed root finding through GSL's Brent–Dekker solver.
///
/// Used to invert score tests into confidence intervals (Tango 1998; Tang, Tang & Chan 2003)
/// and mid-p tail equations. The solver stops when the bracket is narrower than
/// `absoluteTolerance + relativeTolerance·|x|` (GSL's `gsl_root_test_interval`).
public enum RootFinder {
    /// Finds x in [lower, upper] with f(x) = 0; f(lower) and f(upper) must differ in sign.
    ///
    /// - Throws: ``GSLError`` if the bracket does not straddle a root or the solver
    ///   fails to converge in `maxIterations`.
    public static func brent(
        in bracket: ClosedRange<Double>,
        absoluteTolerance: Double = 1e-14,
        relativeTolerance: Double = 1e-13,
        maxIterations: Int = 500,
        _ f: (Double) -> Double
    ) throws(GSLError) -> Double {
        GSL.ensureConfigured()
        let fLower = f(bracket.lowerBound)
        if fLower == 0 { return bracket.lowerBound }
        let fUpper = f(bracket.upperBound)
        if fUpper == 0 { return bracket.upperBound }
        guard !fLower.isNaN, !fUpper.isNaN, (fLower < 0) != (fUpper < 0) else {
            throw GSLError(status: GSL_EINVAL, operation: "root finding on [\(bracket.lowerBound), \(bracket.upperBound)]",
                           reason: "the function does not change sign over the bracket (f = \(fLower), \(fUpper))")
        }
        guard let solver = gsl_root_fsolver_alloc(cgsl_root_fsolver_brent()) else {
            throw GSLError(status: GSL_ENOMEM, operation: "root finding", reason: "could not allocate the solver")
        }
        defer { gsl_root_fsolver_free(solver) }

        // GSL calls back through a C function pointer; the Swift closure travels in `params`.
        return try withoutActuallyEscaping(f) { (escapable) throws(GSLError) -> Double in
            var box = ClosureBox(escapable)
            return try withUnsafeMutablePointer(to: &box) { (boxPointer) throws(GSLError) -> Double in
                var function = gsl_function(
                    function: { x, params in
                        params!.assumingMemoryBound(to: ClosureBox.self).pointee.f(x)
                    },
                    params: UnsafeMutableRawPointer(boxPointer)
                )
                try GSL.check(gsl_root_fsolver_set(solver, &function, bracket.lowerBound, bracket.upperBound),
                              "setting up root finding")
                for _ in 0..<maxIterations {
                    try GSL.check(gsl_root_fsolver_iterate(solver), "root finding iteration")
                    let low = gsl_root_fsolver_x_lower(solver)
                    let high = gsl_root_fsolver_x_upper(solver)
                    let status = gsl_root_test_interval(low, high, absoluteTolerance, relativeTolerance)
                    if Int(status) == GSL_SUCCESS { return gsl_root_fsolver_root(solver) }
                    if Int(status) != GSL_CONTINUE { try GSL.check(status, "root finding convergence test") }
                }
                throw GSLError(status: GSL_EMAXITER, operation: "root finding",
                               reason: "no convergence after \(maxIterations) iterations")
            }
        }
    }

    private struct ClosureBox {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// For a function on (0, ∞) that changes sign once, finds a bracket around its root by
    /// halving (`.downward`) or doubling (`.upward`) the argument from `start`, where the
    /// function has the sign of `f(start)`. Returns `nil` when no sign change is met before
    /// the floating-point range ends: the root is at 0 or at +∞.
    static func geometricBracket(
        from start: Double, _ direction: Direction, _ f: (Double) -> Double
    ) -> ClosedRange<Double>? {
        let startSign = f(start) < 0
        var previous = start
        for _ in 0..<2100 {
            let candidate = direction == .downward ? previous / 2 : previous * 2
            guard candidate > 0, candidate.isFinite else { return nil }
            let value = f(candidate)
            if value.isNaN { return nil }
            if (value < 0) != startSign || value == 0 {
                return direction == .downward ? candidate...previous : previous...candidate
            }
            previous = candidate
        }
        return nil
    }

    enum Direction { case downward, upward }
}
