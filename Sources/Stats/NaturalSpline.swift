import CGSL

/// The natural cubic spline basis of R's `splines::ns(x, df)` (intercept omitted), which the
/// report card's log-spline prior uses (Efron 2016; METHODS.md §4 step 2).
///
/// Construction, as R does it: `df − 1` interior knots at the quantiles `1/df, 2/df, …` of `x`
/// (type 7), boundary knots at `min x` and `max x`; the cubic B-spline basis on those knots
/// (GSL `gsl_bspline`) without its first function; then the natural-spline constraints (zero
/// second derivative at both boundary knots) removed by the Householder QR of the constraint
/// matrix: each basis row is multiplied by the full `Qᵀ` and its first two coordinates dropped, as
/// `qr.qty(qr(t(const)), t(basis))[-(1:2), ]` does (GSL `gsl_linalg_QR_decomp`, `QR_QTvec`;
/// LINPACK and GSL choose the same reflectors).
public enum NaturalSpline {
    /// The `x.count × df` basis, row-major (row i is the basis at `x[i]`). `x` must be sorted.
    public static func basis(_ x: [Double], degreesOfFreedom df: Int) throws(GSLError) -> [Double] {
        GSL.ensureConfigured()
        let n = x.count
        guard df >= 1, n >= 2, let lo = x.first, let hi = x.last, hi > lo else {
            throw GSLError(status: nil, operation: "natural spline basis", reason: "needs at least two distinct sorted points and df ≥ 1")
        }
        // Interior knots: R's quantile(x, probs) type 7 on the sorted x.
        let interior = (1..<df).map { k -> Double in
            let h = Double(n - 1) * (Double(k) / Double(df))
            let j = Int(h.rounded(.down))
            return j + 1 < n ? x[j] + (h - Double(j)) * (x[j + 1] - x[j]) : x[n - 1]
        }
        let breaks = [lo] + interior + [hi]
        let order = 4
        guard let workspace = gsl_bspline_alloc(order, breaks.count) else {
            throw GSLError(status: nil, operation: "natural spline basis", reason: "could not allocate the B-spline workspace")
        }
        defer { gsl_bspline_free(workspace) }
        let breakVector = gsl_vector_alloc(breaks.count)!
        defer { gsl_vector_free(breakVector) }
        for (i, b) in breaks.enumerated() { gsl_vector_set(breakVector, i, b) }
        try GSL.check(gsl_bspline_knots(breakVector, workspace), "natural spline knots")
        let all = gsl_bspline_ncoeffs(workspace)          // df + 3
        let kept = all - 1                                 // without the first function
        // Constraint matrix: second derivatives at the boundary knots (kept × 2, i.e. t(const)).
        let derivatives = gsl_matrix_alloc(all, 3)!
        defer { gsl_matrix_free(derivatives) }
        let constraint = gsl_matrix_alloc(kept, 2)!
        defer { gsl_matrix_free(constraint) }
        for (c, knot) in [lo, hi].enumerated() {
            try GSL.check(gsl_bspline_deriv_eval(knot, 2, derivatives, workspace), "natural spline second derivatives")
            for j in 0..<kept { gsl_matrix_set(constraint, j, c, gsl_matrix_get(derivatives, j + 1, 2)) }
        }
        let tau = gsl_vector_alloc(2)!
        defer { gsl_vector_free(tau) }
        try GSL.check(gsl_linalg_QR_decomp(constraint, tau), "natural spline constraint QR")
        // Each row of the B-spline basis, multiplied by Qᵀ, loses its first two coordinates.
        let values = gsl_vector_alloc(all)!
        defer { gsl_vector_free(values) }
        let row = gsl_vector_alloc(kept)!
        defer { gsl_vector_free(row) }
        var result = [Double](repeating: 0, count: n * df)
        for i in 0..<n {
            try GSL.check(gsl_bspline_eval(x[i], values, workspace), "natural spline basis at \(x[i])")
            for j in 0..<kept { gsl_vector_set(row, j, gsl_vector_get(values, j + 1)) }
            try GSL.check(gsl_linalg_QR_QTvec(constraint, tau, row), "natural spline projection")
            for j in 0..<df { result[i * df + j] = gsl_vector_get(row, j + 2) }
        }
        return result
    }
}
