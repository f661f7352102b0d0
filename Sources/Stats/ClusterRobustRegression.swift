import CGSL

/// A coefficient of a linear model with its cluster-robust standard error.
public struct RobustCoefficient: Sendable, Equatable {
    public let estimate: Double
    public let standardError: Double
    public let interval: ConfidenceInterval
    public let t: Double
    public let pValue: Double
    public let degreesOfFreedom: Double
}

/// Which small-sample factor multiplies the cluster-robust ("sandwich") variance.
public enum ClusterAdjustment: String, Sendable, Codable, CaseIterable {
    /// R: `lm(y ~ x + factor(test))` then `sandwich::vcovCL(model, cluster = ~test)` (type HC1,
    /// cadjust): G/(G−1)·(N−1)/(N−K), K counting the intercept, x and every test dummy.
    case lmDummiesHC1 = "CR1: G/(G-1)*(N-1)/(N-K), K counts every test dummy (R lm + sandwich::vcovCL, HC1)"
    /// The nested-fixed-effects convention (Stata `xtreg, fe vce(cluster)`; `fixest`): G/(G−1).
    case nestedFixedEffects = "CR1 nested: G/(G-1), fixed effects nested in clusters"
}

/// Linear regression with one fixed effect per cluster and cluster-robust errors.
///
/// ```
/// y_i = Σ_j β_j x_ij + α_g(i) + ε_i
/// β̂ = (X̃'X̃)⁻¹ X̃'ỹ            x̃, ỹ: deviations from the cluster means (Frisch–Waugh–Lovell)
/// V̂ = c · (X̃'X̃)⁻¹ [Σ_g s_g s_g'] (X̃'X̃)⁻¹,   s_g = Σ_{i∈g} x̃_i ê_i
/// ```
/// with c the chosen ``ClusterAdjustment``. Intervals and p-values use Student's t with
/// N − K degrees of freedom (for the lm convention, as `lmtest::coefci` on an `lm` does),
/// or G − 1 (nested). The linear algebra (Cholesky solve of the p×p normal equations) is GSL's.
///
/// Notes: clustering on the fixed-effect groups makes the within estimator's sandwich equal
/// to the dummy-variable regression's for β. With one application per arm in each test and
/// x = 1 for the reference arm, β̂ is exactly the paired difference (b − c)/n.
///
/// ## References
/// - Cameron AC, Miller DL (2015). A practitioner's guide to cluster-robust inference.
///   J Hum Resour 50:317–372. doi:10.3368/jhr.50.2.317
/// - Zeileis A, Köll S, Graham N (2020). Various versatile variances: an object-oriented
///   implementation of clustered covariances in R. J Stat Softw 95(1). doi:10.18637/jss.v095.i01
public enum ClusterRobustRegression {
    /// - Parameters:
    ///   - y: outcomes.
    ///   - x: regressors, `x[j][i]` for regressor j and observation i (no intercept: the
    ///     fixed effects absorb it).
    ///   - cluster: each observation's cluster (= fixed-effect group), 0..<G.
    /// - Returns: one coefficient per regressor.
    /// - Throws: ``StatisticsError/undefined(_:)`` when the regressors do not vary within
    ///   clusters, or when there are too few clusters or observations.
    public static func fixedEffects(
        y: [Double], x: [[Double]], cluster: [Int], level: Double = 0.95, adjustment: ClusterAdjustment = .lmDummiesHC1
    ) throws(StatisticsError) -> [RobustCoefficient] {
        try StatisticsError.checkLevel(level)
        return try fit(y: y, x: x, cluster: cluster).coefficients(level: level, adjustment: adjustment)
    }

    /// The estimate and the sandwich's pieces, before any small-sample adjustment: fit once,
    /// then read the coefficients under each ``ClusterAdjustment``.
    public static func fit(y: [Double], x: [[Double]], cluster: [Int]) throws(StatisticsError) -> FixedEffectsFit {
        let n = y.count, p = x.count
        guard p >= 1, x.allSatisfy({ $0.count == n }), cluster.count == n else {
            throw .invalidArgument("y, x and cluster must have the same length")
        }
        if let groups = contiguousGroups(cluster), p <= 2 {
            guard groups >= 2 else { throw .undefined("at least two tests are needed for cluster-robust errors") }
            return try fitRuns(ArrayRuns(y: y, x0: x[0], x1: p == 2 ? x[1] : x[0], cluster: cluster, twoRegressors: p == 2), groups: groups)
        }
        return try fitGeneral(y: y, x: x, cluster: cluster)
    }

    /// ``fit(y:x:cluster:)`` for 0/1 outcomes and regressors given test after test
    /// (``BinaryDesign``: one pattern number per test, no arrays of doubles); the same values.
    public static func fit(_ design: BinaryDesign) throws(StatisticsError) -> FixedEffectsFit {
        guard design.tests >= 2 else { throw .undefined("at least two tests are needed for cluster-robust errors") }
        return try fitPatterns(design)
    }

    /// ``fixedEffects(y:x:cluster:level:adjustment:)`` for a ``BinaryDesign``.
    public static func fixedEffects(_ design: BinaryDesign, level: Double = 0.95, adjustment: ClusterAdjustment = .lmDummiesHC1)
        throws(StatisticsError) -> [RobustCoefficient] {
        try StatisticsError.checkLevel(level)
        return try fit(design).coefficients(level: level, adjustment: adjustment)
    }

    /// ``fit(y:x:cluster:)`` for clusters in any order: sums per cluster in flat arrays.
    static func fitGeneral(y: [Double], x: [[Double]], cluster: [Int]) throws(StatisticsError) -> FixedEffectsFit {
        let n = y.count, p = x.count
        let groups = (cluster.max() ?? -1) + 1
        guard groups >= 2 else { throw .undefined("at least two tests are needed for cluster-robust errors") }
        // Cluster sums. Flat arrays ([j * groups + g]): a test is a cluster, and a million
        // tests must not be a million small arrays. The sums run in the same order as the formula's.
        var count = [Double](repeating: 0, count: groups)
        var ySum = [Double](repeating: 0, count: groups)
        var xSum = [Double](repeating: 0, count: p * groups)
        for i in 0..<n {
            let g = cluster[i]
            count[g] += 1
            ySum[g] += y[i]
            for j in 0..<p { xSum[j * groups + g] += x[j][i] }
        }
        // Cluster means; the deviations x̃, ỹ are recomputed from them in each pass rather
        // than stored (the same operations, so the same values, without 2 arrays of N).
        var yMean = [Double](repeating: 0, count: groups)
        var xMean = [Double](repeating: 0, count: p * groups)
        for g in 0..<groups {
            yMean[g] = ySum[g] / count[g]
            for j in 0..<p { xMean[j * groups + g] = xSum[j * groups + g] / count[g] }
        }
        // Normal equations X̃'X̃ β = X̃'ỹ.
        var bread = [Double](repeating: 0, count: p * p)
        var rhs = [Double](repeating: 0, count: p)
        var xt = [Double](repeating: 0, count: p)
        for i in 0..<n {
            let g = cluster[i]
            let yt = y[i] - yMean[g]
            for j in 0..<p { xt[j] = x[j][i] - xMean[j * groups + g] }
            for j in 0..<p {
                rhs[j] += xt[j] * yt
                for k in 0...j { bread[j * p + k] += xt[j] * xt[k] }
            }
        }
        for j in 0..<p { for k in 0..<j { bread[k * p + j] = bread[j * p + k] } }
        let inverse = try invertSymmetric(bread, p)
        var beta = [Double](repeating: 0, count: p)
        for j in 0..<p { for k in 0..<p { beta[j] += inverse[j * p + k] * rhs[k] } }
        // Scores per cluster ([g * p + j]) and the meat.
        var scores = [Double](repeating: 0, count: groups * p)
        for i in 0..<n {
            let g = cluster[i]
            for j in 0..<p { xt[j] = x[j][i] - xMean[j * groups + g] }
            var residual = y[i] - yMean[g]
            for j in 0..<p { residual -= beta[j] * xt[j] }
            for j in 0..<p { scores[g * p + j] += xt[j] * residual }
        }
        var meat = [Double](repeating: 0, count: p * p)
        for g in 0..<groups { for j in 0..<p { for k in 0..<p { meat[j * p + k] += scores[g * p + j] * scores[g * p + k] } } }
        return FixedEffectsFit(beta: beta, inverse: inverse, meat: meat, observations: n, groups: groups)
    }

    /// The number of clusters when the observations come cluster after cluster, numbered
    /// 0, 1, 2, … in order (how the analyzer lists a comparison's tests); nil otherwise.
    static func contiguousGroups(_ cluster: [Int]) -> Int? {
        guard let first = cluster.first, first == 0 else { return nil }
        var previous = 0
        for g in cluster {
            guard g == previous || g == previous + 1 else { return nil }
            previous = g
        }
        return previous + 1
    }

    /// ``fit(y:x:cluster:)`` when the observations come test after test, with one or two
    /// regressors (arrays of doubles; the analyzer's designs take ``fitPatterns(_:)``, the
    /// same sums): each test's means are found when it is reached,
    /// so nothing is stored per test (a million-test study does not allocate and clear six
    /// arrays of a million doubles per comparison and slice), and every per-test quantity
    /// is a local scalar. Each accumulator receives the same terms in the same order as in
    /// the general path, so the results are the same to the last bit.
    static func fitRuns<Runs: TestRuns>(_ data: Runs, groups: Int) throws(StatisticsError) -> FixedEffectsFit {
        let n = data.count, two = data.twoRegressors
        // The test that starts at `start` (the `run`-th): its end and its means.
        @inline(__always) func means(from start: Int, run: Int) -> (end: Int, y: Double, x0: Double, x1: Double) {
            let end = data.end(ofRunAt: start, run: run)
            var count = 0.0, ySum = 0.0, sum0 = 0.0, sum1 = 0.0
            for i in start..<end {
                count += 1
                ySum += data.y(i)
                sum0 += data.x0(i)
                if two { sum1 += data.x1(i) }
            }
            return (end, ySum / count, sum0 / count, two ? sum1 / count : 0)
        }
        // Normal equations X̃'X̃ β = X̃'ỹ.
        var b00 = 0.0, b10 = 0.0, b11 = 0.0, r0 = 0.0, r1 = 0.0
        var start = 0, run = 0
        while start < n {
            let (end, yMean, mean0, mean1) = means(from: start, run: run)
            for i in start..<end {
                let yt = data.y(i) - yMean, t0 = data.x0(i) - mean0
                r0 += t0 * yt
                b00 += t0 * t0
                if two {
                    let t1 = data.x1(i) - mean1
                    r1 += t1 * yt
                    b10 += t1 * t0
                    b11 += t1 * t1
                }
            }
            start = end
            run += 1
        }
        let (beta, inverse) = try solveNormalEquations(b00: b00, b10: b10, b11: b11, r0: r0, r1: r1, twoRegressors: two)
        let beta0 = beta[0], beta1 = two ? beta[1] : 0
        // Each test's scores, added to the meat when its run ends.
        var m00 = 0.0, m01 = 0.0, m10 = 0.0, m11 = 0.0
        start = 0
        run = 0
        while start < n {
            let (end, yMean, mean0, mean1) = means(from: start, run: run)
            var s0 = 0.0, s1 = 0.0
            for i in start..<end {
                let t0 = data.x0(i) - mean0
                var residual = data.y(i) - yMean
                residual -= beta0 * t0
                if two {
                    let t1 = data.x1(i) - mean1
                    residual -= beta1 * t1
                    s1 += t1 * residual
                }
                s0 += t0 * residual
            }
            m00 += s0 * s0
            if two {
                m01 += s0 * s1
                m10 += s1 * s0
                m11 += s1 * s1
            }
            start = end
            run += 1
        }
        return FixedEffectsFit(beta: beta, inverse: inverse, meat: two ? [m00, m01, m10, m11] : [m00], observations: n, groups: groups)
    }

    /// β̂ = (X̃'X̃)⁻¹ X̃'ỹ from the sums of one or two regressors' normal equations, and (X̃'X̃)⁻¹.
    static func solveNormalEquations(b00: Double, b10: Double, b11: Double, r0: Double, r1: Double, twoRegressors two: Bool)
        throws(StatisticsError) -> (beta: [Double], inverse: [Double]) {
        let p = two ? 2 : 1
        let bread = two ? [b00, b10, b10, b11] : [b00]
        let rhs = two ? [r0, r1] : [r0]
        let inverse = try invertSymmetric(bread, p)
        var beta = [Double](repeating: 0, count: p)
        for j in 0..<p { for k in 0..<p { beta[j] += inverse[j * p + k] * rhs[k] } }
        return (beta, inverse)
    }

    static func invertSymmetric(_ matrix: [Double], _ p: Int) throws(StatisticsError) -> [Double] {
        GSL.ensureConfigured()
        var data = matrix
        let status: Int32 = data.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, p, p)
            return gsl_linalg_cholesky_decomp1(&view.matrix) == 0 ? gsl_linalg_cholesky_invert(&view.matrix) : -1
        }
        guard status == 0 else {
            throw .undefined("the regressors do not vary within tests (e.g. every test has a single arm): the effect is not identified")
        }
        return data
    }
}

/// A fitted fixed-effects regression: β̂, (X̃'X̃)⁻¹ and the meat Σ_g s_g s_g'.
public struct FixedEffectsFit: Sendable, Equatable {
    public let beta: [Double]
    let inverse: [Double]
    let meat: [Double]
    public let observations: Int
    public let groups: Int

    /// The coefficients with their cluster-robust errors under `adjustment`.
    public func coefficients(level: Double, adjustment: ClusterAdjustment) throws(StatisticsError) -> [RobustCoefficient] {
        try StatisticsError.checkLevel(level)
        let p = beta.count, n = observations
        let G = Double(groups), N = Double(n), K = Double(groups + p)  // intercept + (G−1) dummies + p regressors
        let factor: Double
        let df: Double
        switch adjustment {
        case .lmDummiesHC1:
            guard N > K else { throw .undefined("too few applications for the test fixed effects (N = \(n) ≤ K = \(groups + p))") }
            factor = G / (G - 1) * (N - 1) / (N - K)
            df = N - K
        case .nestedFixedEffects:
            factor = G / (G - 1)
            df = G - 1
        }
        let critical = try StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: df)
        var result: [RobustCoefficient] = []
        for j in 0..<p {
            var v = 0.0
            for a in 0..<p { for b in 0..<p { v += inverse[j * p + a] * meat[a * p + b] * inverse[b * p + j] } }
            let se = (factor * v).squareRoot()
            let t = se > 0 ? beta[j] / se : (beta[j] == 0 ? 0 : .infinity)
            result.append(RobustCoefficient(
                estimate: beta[j], standardError: se,
                interval: ConfidenceInterval(lower: beta[j] - critical * se, upper: beta[j] + critical * se, level: level),
                t: t, pValue: se > 0 ? StudentT.twoSidedP(t, degreesOfFreedom: df) : (beta[j] == 0 ? 1 : 0), degreesOfFreedom: df))
        }
        return result
    }
}

/// Observations test after test, as ``ClusterRobustRegression/fitRuns(_:groups:)`` reads them.
protocol TestRuns {
    var count: Int { get }
    var twoRegressors: Bool { get }
    /// The end of the test that starts at `start`, the `run`-th.
    func end(ofRunAt start: Int, run: Int) -> Int
    func y(_ i: Int) -> Double
    func x0(_ i: Int) -> Double
    func x1(_ i: Int) -> Double
}

/// Arrays of doubles with each observation's test (numbered 0, 1, … in order).
struct ArrayRuns: TestRuns {
    let y: [Double], x0: [Double], x1: [Double], cluster: [Int]
    let twoRegressors: Bool
    var count: Int { y.count }
    @inline(__always) func end(ofRunAt start: Int, run: Int) -> Int {
        var end = start
        while end < cluster.count && cluster[end] == cluster[start] { end += 1 }
        return end
    }
    @inline(__always) func y(_ i: Int) -> Double { y[i] }
    @inline(__always) func x0(_ i: Int) -> Double { x0[i] }
    @inline(__always) func x1(_ i: Int) -> Double { x1[i] }
}
