import CGSL
import Foundation

/// The distribution of discrimination across organizations, estimated by log-spline
/// deconvolution (Efron 2016, "Empirical Bayes deconvolution estimates", Biometrika 103:1–20;
/// as Kline, Rose & Walters 2024 use it; METHODS.md §4 step 2).
public struct DeconvolvedPrior: Sendable, Equatable {
    /// The grid t₁ < … < t_M over [min θ̂, max θ̂] and the prior mass on each point (sums to 1).
    public let grid: [Double]
    public let mass: [Double]
    /// The penalty c chosen in [0, 0.1] and the spline coefficients α at the optimum.
    public let penalty: Double
    public let coefficients: [Double]
    /// Mean and standard deviation of the prior.
    public let mean: Double
    public let standardDeviation: Double
    /// Mean of the estimates θ̂ and their bias-corrected SD √(var θ̂ − mean s²) (nil when the
    /// estimates vary less than their noise: no detectable heterogeneity).
    public let estimatesMean: Double
    public let biasCorrectedSD: Double?
    /// Σ_f log Σ_m L_fm g_m at the optimum (the likelihood of the estimates under the prior).
    public let logLikelihood: Double
    /// How the prior's moments were matched to the estimates' (the weighting of the distance).
    public let momentWeighting: String
}

/// Log-spline deconvolution: prior g = softmax(Qα), Q the standardized natural cubic spline
/// basis of the grid; α maximizes Σ_f log Σ_m L_fm g_m − c‖α‖ with
/// L_fm = φ((θ̂_f − t_m)/s_f)/s_f. The penalty c ∈ [0, 0.1] minimizes the Mahalanobis distance
/// between (prior mean, prior SD) and (mean θ̂, bias-corrected SD of θ̂), weighted by the
/// sampling covariance of those two moments:
/// var(mean) = Σs²/F², var(SD) = (2Σs⁴ + 4Σ((θ̂−θ̄)² − s²))/F², cov = −2Σ(θ̂−θ̄)²s²/F²
/// (the reference implementation `drrank`'s formulas).
///
/// The inner maximization uses GSL's BFGS (`gsl_multimin_fdfminimizer_vector_bfgs2`) with
/// the analytic gradient, warm-started from the previous penalty's optimum (α = 0, the
/// uniform prior, for the first); the penalty is chosen by Brent's bounded minimization
/// (absolute tolerance 10⁻⁴, as `drrank` does with SciPy's `fminbound`).
public enum LogSplineDeconvolution {
    /// `parallel`: the likelihood's two ranges of organizations on two cores (false when the
    /// caller already keeps the cores busy; the results are the same).
    public static func estimate(estimates: [Double], standardErrors: [Double], gridPoints: Int = 1000,
                                degreesOfFreedom: Int = 5, penaltyRange: ClosedRange<Double> = 0...0.1,
                                parallel: Bool = true) throws(StatisticsError) -> DeconvolvedPrior {
        let count = estimates.count
        guard count >= 2, standardErrors.count == count else {
            throw .invalidArgument("deconvolution needs at least two estimates, each with its standard error")
        }
        guard estimates.allSatisfy(\.isFinite), standardErrors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .invalidArgument("every estimate must be finite and every standard error positive")
        }
        guard gridPoints >= 10, degreesOfFreedom >= 1, degreesOfFreedom < gridPoints else {
            throw .invalidArgument("the grid needs at least 10 points and more points than spline degrees of freedom")
        }
        let lo = estimates.min()!, hi = estimates.max()!
        guard hi > lo else { throw .undefined("every organization has the same estimate: there is no distribution to deconvolve") }
        // numpy.linspace: lo + i·step, the last point exactly hi.
        let step = (hi - lo) / Double(gridPoints - 1)
        var grid = (0..<gridPoints).map { lo + Double($0) * step }
        grid[gridPoints - 1] = hi

        let basis: [Double]
        do { basis = try NaturalSpline.basis(grid, degreesOfFreedom: degreesOfFreedom) } catch { throw .numerical(error) }
        let standardized = standardizeColumns(basis, rows: gridPoints, columns: degreesOfFreedom)
        let problem = LikelihoodProblem(estimates: estimates, standardErrors: standardErrors, grid: grid,
                                        basis: standardized, degreesOfFreedom: degreesOfFreedom, parallel: parallel)

        // Moments of the estimates and their sampling covariance.
        let f = Double(count)
        let mean = estimates.reduce(0, +) / f
        let variance = estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (f - 1)
        let meanS2 = standardErrors.reduce(0) { $0 + $1 * $1 } / f
        let corrected = variance - meanS2
        let biasCorrectedSD: Double? = corrected > 0 ? corrected.squareRoot() : nil
        let sdTarget = biasCorrectedSD ?? 0
        var s2 = 0.0, s4 = 0.0, dev = 0.0, cov = 0.0
        for (t, s) in zip(estimates, standardErrors) {
            let d2 = (t - mean) * (t - mean)
            s2 += s * s; s4 += s * s * s * s; dev += d2 - s * s; cov += d2 * s * s
        }
        let vMean = s2 / (f * f), vSD = (2 * s4 + 4 * dev) / (f * f), cMS = -2 * cov / (f * f)
        let determinant = vMean * vSD - cMS * cMS
        let weighting: String
        let inverse: (Double, Double, Double)
        if vMean > 0, vSD > 0, determinant > 0 {
            inverse = (vSD / determinant, -cMS / determinant, vMean / determinant)
            weighting = "sampling covariance of the mean and the bias-corrected SD"
        } else {
            inverse = (1, 0, 1)
            weighting = "unweighted (the moments' sampling covariance is not positive definite)"
        }

        var alpha = [Double](repeating: 0, count: degreesOfFreedom)
        var failure: StatisticsError?
        func gap(_ c: Double) -> Double {
            do {
                alpha = try problem.maximize(from: alpha, penalty: c, gradientTolerance: 1e-7)
            } catch {
                failure = error
                return .infinity
            }
            let g = problem.prior(alpha)
            let (m, sd) = moments(grid, g)
            let a = m - mean, b = sdTarget - sd
            return a * a * inverse.0 + 2 * a * b * inverse.1 + b * b * inverse.2
        }
        let c = BoundedMinimization.brent(gap, in: penaltyRange, absoluteTolerance: 1e-4)
        if let failure { throw failure }
        let coefficients = try problem.maximize(from: alpha, penalty: c, gradientTolerance: 1e-9)
        let mass = problem.prior(coefficients)
        let (priorMean, priorSD) = moments(grid, mass)
        return DeconvolvedPrior(grid: grid, mass: mass, penalty: c, coefficients: coefficients,
                                mean: priorMean, standardDeviation: priorSD, estimatesMean: mean, biasCorrectedSD: biasCorrectedSD,
                                logLikelihood: problem.logLikelihood(mass), momentWeighting: weighting)
    }

    static func moments(_ grid: [Double], _ g: [Double]) -> (Double, Double) {
        var total = 0.0, first = 0.0, second = 0.0
        for (t, w) in zip(grid, g) { total += w; first += t * w; second += t * t * w }
        let m = first / total
        return (m, max(0, second / total - m * m).squareRoot())
    }

    /// Each column centred and scaled to unit Euclidean norm (`sklearn.preprocessing.scale`,
    /// then division by the column norm, as `drrank` standardizes Q).
    static func standardizeColumns(_ matrix: [Double], rows: Int, columns: Int) -> [Double] {
        var out = matrix
        for j in 0..<columns {
            var mean = 0.0
            for i in 0..<rows { mean += matrix[i * columns + j] }
            mean /= Double(rows)
            var norm = 0.0
            for i in 0..<rows { let v = matrix[i * columns + j] - mean; norm += v * v }
            norm = norm.squareRoot()
            for i in 0..<rows { out[i * columns + j] = norm > 0 ? (matrix[i * columns + j] - mean) / norm : 0 }
        }
        return out
    }
}
