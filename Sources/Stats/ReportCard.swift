import Foundation
import Values

/// One organization's posterior under the deconvolved prior (METHODS.md §4 step 3).
public struct OrganizationPosterior: Sendable, Equatable {
    /// θ̂_f and s_f, as given.
    public let estimate: Double
    public let standardError: Double
    /// Posterior mean Σ_m t_m post_f(m) and the equal-tailed credible interval: the first grid
    /// points where the cumulative posterior exceeds (1 − level)/2 and (1 + level)/2.
    public let mean: Double
    public let interval: ConfidenceInterval
}

/// The empirical-Bayes report card of Kline, Rose & Walters ("A Discrimination Report Card",
/// AER 2024; reference implementation the Python package `drrank`), METHODS.md §4.
public struct ReportCard: Sendable {
    public let prior: DeconvolvedPrior
    public let posteriors: [OrganizationPosterior]
    /// π_fg = P(θ_f > θ_g | data), organizations × organizations, row-major (diagonal 0).
    public let orderingProbabilities: [Double]
    /// Condorcet rank: the grades at λ = 1, where f goes above g exactly when that agrees with
    /// the pairwise majority (π_fg > π_gf, which is π_fg > ½ when the pair has no ties on the
    /// grid) as far as a weak order can; 1 for the top. When the majority relation is
    /// transitive this is the dense rank of how many organizations each beats. `drrank`
    /// reports the same (its `condorcet_rank`, the λ = 1 solution).
    public let condorcetRanks: [Int]
    /// Storey's π̂₀ at λ = 0.5 from the organizations' p-values, when they were given: an upper
    /// bound on the share of organizations that do not discriminate.
    public let nullShare: Double?
    /// Share of the prior's net discrimination (Σ g_m t_m) due to its top fifth (by θ, mass
    /// 0.2 with the boundary point split); nil when the net is not positive.
    public let concentration: Double?

    public var count: Int { posteriors.count }

    /// Organizations from the most to the least likely to discriminate: by Condorcet rank,
    /// then posterior mean, then position (the order the grades' fallback groups along).
    public var condorcetOrder: [Int] {
        posteriors.indices.sorted {
            (condorcetRanks[$0], -posteriors[$0].mean, $0) < (condorcetRanks[$1], -posteriors[$1].mean, $1)
        }
    }
    public func ordering(_ f: Int, over g: Int) -> Double { orderingProbabilities[f * count + g] }

    /// Builds the report card from per-organization estimates θ̂_f (reference positive rate −
    /// tested positive rate over its tests) and standard errors s_f.
    /// `exactLimit`: as ``Grading/grade(_:count:objective:order:exactLimit:timeLimit:)`` for the
    /// Condorcet ranks; `stage` is told when each stage ends (the benchmarks time them).
    /// `parallel`: the deconvolution and π on both cores (false when the caller already keeps
    /// the cores busy, as `analyze` does; the results are the same).
    public static func estimate(estimates: [Double], standardErrors: [Double], pValues: [Double]? = nil,
                                level: Double = 0.95, gridPoints: Int = 1000, degreesOfFreedom: Int = 5, exactLimit: Int = Grading.defaultExactLimit,
                                parallel: Bool = true, stage: (String) -> Void = { _ in }) throws(StatisticsError) -> ReportCard {
        guard level > 0, level < 1 else { throw .levelOutOfRange(level) }
        let prior = try LogSplineDeconvolution.estimate(estimates: estimates, standardErrors: standardErrors,
                                                         gridPoints: gridPoints, degreesOfFreedom: degreesOfFreedom, parallel: parallel)
        stage("deconvolution")
        let distributions = posteriorDistributions(prior: prior, estimates: estimates, standardErrors: standardErrors)
        let posteriors = summarize(distributions, prior: prior, estimates: estimates, standardErrors: standardErrors, level: level)
        stage("posteriors")
        let pi = orderingProbabilities(distributions, points: prior.grid.count, parallel: parallel)
        stage("π matrix")
        var nullShare: Double?
        if let pValues {
            guard pValues.count == estimates.count else { throw .invalidArgument("one p-value per organization is needed for π̂₀") }
            nullShare = storeyNullShare(pValues)
        }
        let majority = majorityOrder(pi, posteriors: posteriors)
        let condorcet = try Grading.grade(pi, count: estimates.count, objective: .lambda(1), order: majority, exactLimit: exactLimit)
        stage("Condorcet ranks")
        return ReportCard(prior: prior, posteriors: posteriors, orderingProbabilities: pi,
                          condorcetRanks: condorcet.fromTop, nullShare: nullShare,
                          concentration: concentration(prior))
    }

    /// post_f(m) ∝ φ((θ̂_f − t_m)/s_f) g_m, organizations × grid points, row-major (computed in
    /// logarithms, so that a precise estimate far in a tail never gives 0/0).
    static func posteriorDistributions(prior: DeconvolvedPrior, estimates: [Double], standardErrors: [Double]) -> [Double] {
        let points = prior.grid.count
        let logMass = prior.mass.map { $0 > 0 ? log($0) : -Double.infinity }
        var out = [Double](repeating: 0, count: estimates.count * points)
        for f in estimates.indices {
            let base = f * points
            var largest = -Double.infinity
            for m in 0..<points {
                let z = (estimates[f] - prior.grid[m]) / standardErrors[f]
                let v = -0.5 * z * z + logMass[m]
                out[base + m] = v
                largest = max(largest, v)
            }
            var total = 0.0
            for m in 0..<points { let v = exp(out[base + m] - largest); out[base + m] = v; total += v }
            for m in 0..<points { out[base + m] /= total }
        }
        return out
    }

    static func summarize(_ post: [Double], prior: DeconvolvedPrior, estimates: [Double], standardErrors: [Double], level: Double) -> [OrganizationPosterior] {
        let points = prior.grid.count
        let lowTail = (1 - level) / 2, highTail = 1 - lowTail
        return estimates.indices.map { f in
            let base = f * points
            var mean = 0.0, cumulative = 0.0
            var lower: Int?, upper: Int?
            for m in 0..<points {
                let p = post[base + m]
                mean += prior.grid[m] * p
                cumulative += p
                if lower == nil, cumulative > lowTail { lower = m }
                if upper == nil, cumulative > highTail { upper = m }
            }
            return OrganizationPosterior(estimate: estimates[f], standardError: standardErrors[f], mean: mean,
                                         interval: ConfidenceInterval(lower: prior.grid[lower ?? points - 1],
                                                                      upper: prior.grid[upper ?? points - 1], level: level))
        }
    }

    /// π_fg = Σ_m post_f(m) · P_g(θ < t_m): one pass over the grid per pair with g's cumulative
    /// posterior (O(F²M); ties on the grid count for neither).
    /// `wide`: the four-row dot products in C on four lanes per instruction (AVX2, when the
    /// processor has it): the same operations, the same values.
    static func orderingProbabilities(_ post: [Double], points: Int, parallel: Bool = true,
                                      wide: Bool = LikelihoodProblem.processorHasAVX2) -> [Double] {
        let count = post.count / points
        let wide = wide && LikelihoodProblem.processorHasAVX2
        // Exclusive cumulative posteriors: below[g][m] = Σ_{n<m} post_g(n).
        var below = [Double](repeating: 0, count: post.count)
        for g in 0..<count {
            var running = 0.0
            for m in 0..<points { below[g * points + m] = running; running += post[g * points + m] }
        }
        var pi = [Double](repeating: 0, count: count * count)
        let rowsPerChunk = 64
        let chunks = (count + rowsPerChunk - 1) / rowsPerChunk
        pi.withUnsafeMutableBufferPointer { out in
            let outBase = UncheckedSendable(out.baseAddress!)
            post.withUnsafeBufferPointer { p in
                below.withUnsafeBufferPointer { c in
                    let pBase = UncheckedSendable(UnsafeMutablePointer(mutating: p.baseAddress!))
                    let cBase = UncheckedSendable(UnsafeMutablePointer(mutating: c.baseAddress!))
                    let rows: @Sendable (Int) -> Void = { chunk in
                        let p = pBase.value, c = cBase.value, out = outBase.value
                        let fs = (chunk * rowsPerChunk)..<min(count, (chunk + 1) * rowsPerChunk)
                        // Four g at a time (each sum as its own dot, side by side), each four
                        // against every f of the chunk while their rows are in cache: the
                        // chunk's posteriors stay in L2 and each cumulative row is read from
                        // memory once per chunk rather than once per f.
                        var g = 0
                        while g + 4 <= count {
                            for f in fs {
                                let sums = LikelihoodProblem.dot4(p + f * points, c + g * points, points, wide: wide)
                                for k in 0..<4 where g + k != f { out[f * count + g + k] = sums[k] }
                            }
                            g += 4
                        }
                        for g in g..<count {
                            for f in fs where g != f { out[f * count + g] = LikelihoodProblem.dot(p + f * points, c + g * points, points) }
                        }
                    }
                    if parallel { DispatchQueue.concurrentPerform(iterations: chunks, execute: rows) }
                    else { for chunk in 0..<chunks { rows(chunk) } }
                }
            }
        }
        return pi
    }

    /// Organizations by how many others each beats (π_fg > π_gf), then posterior mean, then
    /// position: the order the λ = 1 program starts from.
    static func majorityOrder(_ pi: [Double], posteriors: [OrganizationPosterior]) -> [Int] {
        let count = posteriors.count
        let wins = (0..<count).map { f in (0..<count).reduce(0) { $0 + (f != $1 && pi[f * count + $1] > pi[$1 * count + f] ? 1 : 0) } }
        return (0..<count).sorted { (-wins[$0], -posteriors[$0].mean, $0) < (-wins[$1], -posteriors[$1].mean, $1) }
    }

    /// Storey (2002) π̂₀ at λ = 0.5: #{p > 0.5} / (0.5 F), at most 1.
    public static func storeyNullShare(_ pValues: [Double], lambda: Double = 0.5) -> Double {
        guard !pValues.isEmpty else { return 1 }
        let above = pValues.filter { $0 > lambda }.count
        return min(1, Double(above) / ((1 - lambda) * Double(pValues.count)))
    }

    /// Share of the prior's net discrimination Σ g_m t_m carried by its top fifth.
    static func concentration(_ prior: DeconvolvedPrior) -> Double? {
        let total = zip(prior.grid, prior.mass).reduce(0) { $0 + $1.0 * $1.1 }
        guard total > 0 else { return nil }
        var remaining = 0.2, top = 0.0
        for m in prior.grid.indices.reversed() where remaining > 0 {
            let take = min(prior.mass[m], remaining)
            top += take * prior.grid[m]
            remaining -= take
        }
        return top / total
    }
}

/// Per-organization inputs of the report card from its paired tests (METHODS.md §4 step 1).
public enum OrganizationEstimates {
    /// θ̂_f = mean of the test-level differences (reference positive − tested positive)
    /// = (b − c)/n; s_f = SD of those differences / √n, SD² = (b + c − n θ̂²)/(n − 1).
    ///
    /// An organization whose differences do not vary (every test concordant, or every one the
    /// same discordance) has s = 0, and a likelihood that is a point mass; it gets instead the
    /// pooled within-organization SD, √(Σ_f (b + c − n θ̂²) / Σ_f (n − 1)), over √n_f. Those
    /// organizations are listed in `pooled`.
    public static func from(_ tables: [PairedTable]) throws(StatisticsError) -> (estimates: [Double], standardErrors: [Double], pooled: [Int]) {
        guard tables.allSatisfy({ $0.tests >= 2 }) else { throw .invalidArgument("each organization needs at least two tests for a standard error") }
        var estimates: [Double] = [], sums: [Double] = []
        var pooledSum = 0.0, pooledDegrees = 0
        for t in tables {
            let n = Double(t.tests)
            let theta = Double(t.referenceOnly - t.testedOnly) / n
            let sum = max(0, Double(t.discordant) - n * theta * theta)
            estimates.append(theta)
            sums.append(sum)
            pooledSum += sum
            pooledDegrees += t.tests - 1
        }
        let pooledSD = pooledDegrees > 0 ? (pooledSum / Double(pooledDegrees)).squareRoot() : 0
        var standardErrors: [Double] = [], pooled: [Int] = []
        for (f, t) in tables.enumerated() {
            let n = Double(t.tests)
            var sd = (sums[f] / (n - 1)).squareRoot()
            if !(sd > 0) { sd = pooledSD; pooled.append(f) }
            standardErrors.append(sd / n.squareRoot())
        }
        guard standardErrors.allSatisfy({ $0 > 0 }) else {
            throw .undefined("no organization's tests disagree: every test was answered alike for both profiles, so there is no variation to deconvolve")
        }
        return (estimates, standardErrors, pooled)
    }
}
