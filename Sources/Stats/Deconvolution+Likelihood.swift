import CGSL
import CKernels
import Foundation
import Values

// The likelihood that log-spline deconvolution (Deconvolution.swift, Efron 2016) maximizes:
// its value and gradient over the organizations × grid matrix, the kernels that compute them,
// and GSL's BFGS maximization.

/// The penalized log-likelihood of the spline coefficients and its gradient.
///
/// L_fm is kept scaled by its row maximum (a constant per organization, which changes neither
/// the optimum nor the gradient) so that a precise estimate never underflows to 0.
final class LikelihoodProblem: @unchecked Sendable {
    let count: Int, points: Int, df: Int
    /// Scaled likelihood, organizations × grid points, row-major; and each row's log scale.
    let likelihood: [Double]
    let logScale: [Double]
    /// Standardized spline basis, grid points × df, row-major.
    let basis: [Double]
    /// Whether the two ranges of organizations run on two cores: asked for, and each pass
    /// long enough (``parallelMinimum``).
    let parallel: Bool
    /// The smallest matrix (organizations × grid points) whose passes run on two cores. Below
    /// it a pass takes under 0.1 ms on one core, and waking a second core for each of the
    /// thousands of passes costs more than it saves: at 500 organizations × 1,000 points the
    /// deconvolution took 0.36 s on one core and 0.44–0.5 s on two, at 100 organizations
    /// 0.073 s and 0.1 s; at 1,000 the two were even, at 2,000 two cores took 0.57 s against
    /// 0.81 s (bench/README.md). The results are the same either way (the ranges are fixed).
    static let parallelMinimum = 1_000_000
    /// Whether the four-row kernels run in C on four lanes per instruction (AVX2, CKernels)
    /// rather than in Swift on two: the same operations, the same results to the last bit.
    let wideKernels: Bool
    /// Whether this processor runs the wide kernels.
    static let processorHasAVX2 = barometre_has_avx2() == 1
    var penalty = 0.0
    /// The last point's α (bit patterns), −Σ_f log (Lg)_f and the weights Σ_f L_fm / (Lg)_f of
    /// each range of organizations (ranges × points), which `g` also belongs to.
    private var lastAlpha: [UInt64] = []
    private var lastNegativeLogLikelihood = 0.0
    private var partialWeights: [Double] = []
    // Scratch, reused by every evaluation.
    private var g: [Double], weight: [Double]

    init(estimates: [Double], standardErrors: [Double], grid: [Double], basis: [Double], degreesOfFreedom: Int, parallel: Bool = true,
         wideKernels: Bool = LikelihoodProblem.processorHasAVX2) {
        count = estimates.count; points = grid.count; df = degreesOfFreedom
        self.parallel = parallel && count * points >= Self.parallelMinimum
        self.wideKernels = wideKernels && Self.processorHasAVX2
        self.basis = basis
        var likelihood = [Double](repeating: 0, count: count * points)
        var logScale = [Double](repeating: 0, count: count)
        let logRoot2Pi = 0.5 * log(2 * Double.pi)
        for f in 0..<count {
            let theta = estimates[f], s = standardErrors[f]
            // The grid point nearest θ̂ has the largest density: scale by it.
            var zMin = Double.infinity
            for t in grid { zMin = min(zMin, abs((theta - t) / s)) }
            logScale[f] = -0.5 * zMin * zMin - log(s) - logRoot2Pi
            for m in 0..<points {
                let z = (theta - grid[m]) / s
                likelihood[f * points + m] = exp(-0.5 * (z * z - zMin * zMin))
            }
        }
        self.likelihood = likelihood
        self.logScale = logScale
        g = [Double](repeating: 0, count: points)
        weight = [Double](repeating: 0, count: points)
    }

    /// g = softmax(Qα).
    func prior(_ alpha: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: points)
        alpha.withUnsafeBufferPointer { a in out.withUnsafeMutableBufferPointer { softmax(a.baseAddress!, into: $0) } }
        return out
    }

    private func softmax(_ alpha: UnsafePointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
        var largest = -Double.infinity
        basis.withUnsafeBufferPointer { q in
            for m in 0..<points {
                var eta = 0.0
                for k in 0..<df { eta += q[m * df + k] * alpha[k] }
                g[m] = eta
                largest = max(largest, eta)
            }
        }
        var total = 0.0
        for m in 0..<points { g[m] = exp(g[m] - largest); total += g[m] }
        for m in 0..<points { g[m] /= total }
    }

    func logLikelihood(_ g: [Double]) -> Double {
        var total = 0.0
        likelihood.withUnsafeBufferPointer { p in
            for f in 0..<count {
                var sum = 0.0
                for m in 0..<points { sum += p[f * points + m] * g[m] }
                total += log(sum) + logScale[f]
            }
        }
        return total
    }

    /// −Σ_f log Σ_m L_fm g_m + c‖α‖ and, when asked, its gradient
    /// ∂/∂α_k = −Σ_m r_m g_m (Q_mk − Σ_n Q_nk g_n) + c α_k/‖α‖, with r_m = Σ_f L_fm / (Lg)_f.
    /// One pass over L (F × M) per new point gives both the row sums (Lg)_f and the weights r
    /// (row f's weights added while the row is still in cache), split across the cores by
    /// organization, four rows at a time.
    ///
    /// GSL's BFGS asks for the gradient at the point whose value it has just asked for
    /// (nearly every gradient, measured): the weights are then that point's, kept from the
    /// value's pass, and no pass over L runs at all (a pass is bound by the cache's
    /// bandwidth; adding the weights to a pass that reads the rows anyway costs little). The
    /// same operations in the same order, so the same results to the last bit.
    func evaluate(_ alpha: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?) -> Double {
        let same = lastAlpha.count == df && (0..<df).allSatisfy { lastAlpha[$0] == alpha[$0].bitPattern }
        let chunks = Self.chunks(count)
        if !same {
            g.withUnsafeMutableBufferPointer { softmax(alpha, into: $0) }
            lastAlpha = (0..<df).map { alpha[$0].bitPattern }
            let points = self.points
            var partialValues = [Double](repeating: 0, count: chunks.count)
            partialWeights = [Double](repeating: 0, count: chunks.count * points)
            likelihood.withUnsafeBufferPointer { p in
                g.withUnsafeBufferPointer { g in
                    partialValues.withUnsafeMutableBufferPointer { values in
                        partialWeights.withUnsafeMutableBufferPointer { weights in
                            let pBase = UncheckedSendable(p.baseAddress!), gBase = UncheckedSendable(g.baseAddress!)
                            let valueBase = UncheckedSendable(values.baseAddress!), weightBase = UncheckedSendable(weights.baseAddress!)
                            let wide = wideKernels
                            let chunk: @Sendable (Int) -> Void = { c in
                                let p = pBase.value, g = gBase.value, r = weightBase.value + c * points
                                var value = 0.0
                                // Four rows at a time: each row's sums are its own (the same lanes,
                                // in the same order), the four chains just run side by side.
                                var f = chunks[c].lowerBound
                                while f + 4 <= chunks[c].upperBound {
                                    let a = p + f * points
                                    let sums = Self.dot4(g, a, points, wide: wide)
                                    for k in 0..<4 { value -= log(sums[k]) }
                                    Self.accumulate4(a, scales: 1 / sums, into: r, points, wide: wide)
                                    f += 4
                                }
                                while f < chunks[c].upperBound {
                                    let sum = Self.dot(p + f * points, g, points)
                                    value -= log(sum)
                                    Self.accumulate(p + f * points, scale: 1 / sum, into: r, points)
                                    f += 1
                                }
                                valueBase.value[c] = value
                            }
                            if parallel { DispatchQueue.concurrentPerform(iterations: chunks.count, execute: chunk) }
                            else { for c in chunks.indices { chunk(c) } }
                        }
                    }
                }
            }
            lastNegativeLogLikelihood = partialValues.reduce(0, +)
        }
        var value = lastNegativeLogLikelihood
        var norm = 0.0
        for k in 0..<df { norm += alpha[k] * alpha[k] }
        norm = norm.squareRoot()
        value += penalty * norm
        guard let gradient else { return value }
        weight.withUnsafeMutableBufferPointer { r in
            for m in 0..<points { r[m] = 0 }
            for c in 0..<chunks.count { for m in 0..<points { r[m] += partialWeights[c * points + m] } }
            basis.withUnsafeBufferPointer { q in
                g.withUnsafeBufferPointer { g in
                    var mean = [Double](repeating: 0, count: df)
                    for m in 0..<points { for k in 0..<df { mean[k] += q[m * df + k] * g[m] } }
                    for k in 0..<df { gradient[k] = 0 }
                    for m in 0..<points {
                        let w = r[m] * g[m]
                        for k in 0..<df { gradient[k] -= w * (q[m * df + k] - mean[k]) }
                    }
                }
            }
        }
        if norm > 0 { for k in 0..<df { gradient[k] += penalty * alpha[k] / norm } }
        return value
    }

    /// Organizations split in two contiguous ranges (one when few). The partition fixes the
    /// order of the sums, so it does not depend on the machine: the same data give the same
    /// report card to the last bit on any number of cores. (It was one range per core, read
    /// from the system at every evaluation: an `open` of /sys per call, and results that
    /// could differ in the last bits between machines.)
    static func chunks(_ count: Int) -> [Range<Int>] {
        let parts = count >= 64 ? 2 : 1
        let size = (count + parts - 1) / parts
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Σ a[i]·b[i] on four lanes.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var lanes = SIMD4<Double>(repeating: 0)
        var i = 0
        while i + 4 <= n {
            lanes += SIMD4(a[i], a[i + 1], a[i + 2], a[i + 3]) * SIMD4(b[i], b[i + 1], b[i + 2], b[i + 3])
            i += 4
        }
        var sum = lanes.sum()
        while i < n { sum += a[i] * b[i]; i += 1 }
        return sum
    }

    /// ``dot(_:_:_:)`` of `a` with each of four vectors, side by side: each result is the
    /// same as its own `dot`, to the last bit.
    @inline(__always)
    static func dot4(_ a: UnsafePointer<Double>, _ b0: UnsafePointer<Double>, _ b1: UnsafePointer<Double>, _ b2: UnsafePointer<Double>,
                     _ b3: UnsafePointer<Double>, _ n: Int) -> SIMD4<Double> {
        var l0 = SIMD4<Double>(repeating: 0), l1 = l0, l2 = l0, l3 = l0
        var i = 0
        while i + 4 <= n {
            let x = SIMD4(a[i], a[i + 1], a[i + 2], a[i + 3])
            l0 += x * SIMD4(b0[i], b0[i + 1], b0[i + 2], b0[i + 3])
            l1 += x * SIMD4(b1[i], b1[i + 1], b1[i + 2], b1[i + 3])
            l2 += x * SIMD4(b2[i], b2[i + 1], b2[i + 2], b2[i + 3])
            l3 += x * SIMD4(b3[i], b3[i + 1], b3[i + 2], b3[i + 3])
            i += 4
        }
        var sums = SIMD4(l0.sum(), l1.sum(), l2.sum(), l3.sum())
        while i < n {
            sums[0] += a[i] * b0[i]; sums[1] += a[i] * b1[i]; sums[2] += a[i] * b2[i]; sums[3] += a[i] * b3[i]
            i += 1
        }
        return sums
    }

    /// ``dot4(_:_:_:_:_:_:)`` of `g` with the four rows that follow each other from `a`: in C on
    /// four lanes per instruction when `wide` (the same operations, CKernels), else in Swift.
    @inline(__always)
    static func dot4(_ g: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ n: Int, wide: Bool) -> SIMD4<Double> {
        #if arch(x86_64)
        if wide {
            var out = SIMD4<Double>()
            withUnsafeMutableBytes(of: &out) { barometre_dot4_avx2(g, a, n, $0.baseAddress!.assumingMemoryBound(to: Double.self)) }
            return out
        }
        #endif
        return dot4(g, a, a + n, a + 2 * n, a + 3 * n, n)
    }

    /// ``accumulate4(_:scales:into:_:)`` in C on four lanes per instruction when `wide`.
    @inline(__always)
    static func accumulate4(_ a: UnsafePointer<Double>, scales: SIMD4<Double>, into r: UnsafeMutablePointer<Double>, _ n: Int, wide: Bool) {
        #if arch(x86_64)
        if wide {
            withUnsafeBytes(of: scales) { barometre_accumulate4_avx2(a, n, $0.baseAddress!.assumingMemoryBound(to: Double.self), r) }
            return
        }
        #endif
        accumulate4(a, scales: scales, into: r, n)
    }

    /// r[i] += scales[k]·a_k[i] for the four rows a_0 … a_3 that follow each other from `a`,
    /// in that order (the order of four ``accumulate(_:scale:into:_:)``).
    @inline(__always)
    static func accumulate4(_ a: UnsafePointer<Double>, scales: SIMD4<Double>, into r: UnsafeMutablePointer<Double>, _ n: Int) {
        let (a0, a1, a2, a3) = (a, a + n, a + 2 * n, a + 3 * n)
        let (s0, s1, s2, s3) = (scales[0], scales[1], scales[2], scales[3])
        for i in 0..<n { r[i] = (((r[i] + s0 * a0[i]) + s1 * a1[i]) + s2 * a2[i]) + s3 * a3[i] }
    }

    /// r[i] += scale·a[i].
    @inline(__always)
    static func accumulate(_ a: UnsafePointer<Double>, scale: Double, into r: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 0..<n { r[i] += scale * a[i] }
    }

    /// The α maximizing the penalized likelihood, by GSL's BFGS from `start`.
    func maximize(from start: [Double], penalty: Double, gradientTolerance: Double) throws(StatisticsError) -> [Double] {
        GSL.ensureConfigured()
        self.penalty = penalty
        let n = df
        let unmanaged = Unmanaged.passUnretained(self)
        var function = gsl_multimin_function_fdf()
        function.n = n
        function.params = unmanaged.toOpaque()
        function.f = { x, params in
            let problem = Unmanaged<LikelihoodProblem>.fromOpaque(params!).takeUnretainedValue()
            return problem.evaluate(x!.pointee.data, gradient: nil)
        }
        function.df = { x, params, g in
            let problem = Unmanaged<LikelihoodProblem>.fromOpaque(params!).takeUnretainedValue()
            _ = problem.evaluate(x!.pointee.data, gradient: g!.pointee.data)
        }
        function.fdf = { x, params, f, g in
            let problem = Unmanaged<LikelihoodProblem>.fromOpaque(params!).takeUnretainedValue()
            f!.pointee = problem.evaluate(x!.pointee.data, gradient: g!.pointee.data)
        }
        guard let minimizer = gsl_multimin_fdfminimizer_alloc(cgsl_multimin_fdfminimizer_vector_bfgs2(), n),
              let x = gsl_vector_alloc(n) else {
            throw .numerical(GSLError(status: nil, operation: "report card prior", reason: "could not allocate the minimizer"))
        }
        defer { gsl_multimin_fdfminimizer_free(minimizer); gsl_vector_free(x) }
        for k in 0..<n { gsl_vector_set(x, k, start[k]) }
        let status = withUnsafeMutablePointer(to: &function) { gsl_multimin_fdfminimizer_set(minimizer, $0, x, 0.1, 0.1) }
        guard status == GSL_SUCCESS else {
            throw .numerical(GSLError(status: Int(status), operation: "report card prior", reason: String(cString: gsl_strerror(status))))
        }
        // The gradient's scale grows with the number of organizations.
        let tolerance = gradientTolerance * Double(max(1, count))
        for _ in 0..<10_000 {
            let step = gsl_multimin_fdfminimizer_iterate(minimizer)
            if gsl_multimin_test_gradient(minimizer.pointee.gradient, tolerance) == GSL_SUCCESS { break }
            // No further progress along the search direction: the optimum to machine precision.
            if step == GSL_ENOPROG { break }
            guard step == GSL_SUCCESS else {
                throw .numerical(GSLError(status: Int(step), operation: "report card prior (BFGS)", reason: String(cString: gsl_strerror(step))))
            }
        }
        let solution = minimizer.pointee.x!
        let result = (0..<n).map { gsl_vector_get(solution, $0) }
        guard result.allSatisfy(\.isFinite) else {
            throw .numerical(GSLError(status: nil, operation: "report card prior", reason: "the spline coefficients are not finite"))
        }
        return result
    }
}
