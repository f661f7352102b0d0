import Foundation
import Testing
@testable import Stats

/// Issue #17: the deconvolution and π compute several dot products side by side. Each must
/// equal its own `dot`, bit for bit, since findings are compared byte for byte.
@Suite("Likelihood kernels: side by side equals one at a time")
struct LikelihoodKernelTests {
    static func vectors(_ count: Int, length: Int, seed: UInt64) -> [[Double]] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<length).map { _ in Double.random(in: 0..<1, using: &random) * 1e-3 } }
    }

    @Test("dot4 and accumulate4 equal four dot and accumulate", arguments: [1, 3, 4, 7, 1000, 1001])
    func sideBySide(length: Int) {
        let v = Self.vectors(5, length: length, seed: UInt64(length))
        let rows = Array(v[1...4].joined())
        v[0].withUnsafeBufferPointer { a in
            rows.withUnsafeBufferPointer { b in
                let base = b.baseAddress!
                let four = LikelihoodProblem.dot4(a.baseAddress!, base, base + length, base + 2 * length, base + 3 * length, length)
                for k in 0..<4 { #expect(four[k] == LikelihoodProblem.dot(base + k * length, a.baseAddress!, length)) }
                var one = [Double](repeating: 0.5, count: length), together = one
                let scales = SIMD4<Double>(1.5, 2e3, 3e-2, 7)
                one.withUnsafeMutableBufferPointer { r in
                    for k in 0..<4 { LikelihoodProblem.accumulate(base + k * length, scale: scales[k], into: r.baseAddress!, length) }
                }
                together.withUnsafeMutableBufferPointer { r in LikelihoodProblem.accumulate4(base, scales: scales, into: r.baseAddress!, length) }
                #expect(one == together)
            }
        }
    }

    /// The C kernels (four lanes per instruction, AVX2) must do the Swift kernels' very
    /// operations: values spread over many magnitudes, so that any other order of the sums or
    /// a fused multiply-add would show in the last bits.
    @Test("the AVX2 kernels in C equal the Swift kernels, bit for bit", arguments: [1, 3, 4, 7, 12, 1000, 1001, 1003])
    func wideEqualsSwift(length: Int) throws {
        try #require(LikelihoodProblem.processorHasAVX2, "this processor has no AVX2: only the Swift kernels run here")
        var random = SeededGenerator(seed: UInt64(100 + length))
        let g = (0..<length).map { _ in Double.random(in: 0..<1, using: &random) * pow(10, Double.random(in: -12..<3, using: &random)) }
        let rows = (0..<(4 * length)).map { _ in Double.random(in: 0..<1, using: &random) * pow(10, Double.random(in: -12..<3, using: &random)) }
        g.withUnsafeBufferPointer { g in
            rows.withUnsafeBufferPointer { b in
                let swift = LikelihoodProblem.dot4(g.baseAddress!, b.baseAddress!, length, wide: false)
                let wide = LikelihoodProblem.dot4(g.baseAddress!, b.baseAddress!, length, wide: true)
                #expect(swift.indices.allSatisfy { swift[$0].bitPattern == wide[$0].bitPattern }, "dot4: \(swift) against \(wide)")
                let scales = 1 / swift
                var one = (0..<length).map { Double($0) * 0.37 + 1e-9 }, other = one
                one.withUnsafeMutableBufferPointer { LikelihoodProblem.accumulate4(b.baseAddress!, scales: scales, into: $0.baseAddress!, length, wide: false) }
                other.withUnsafeMutableBufferPointer { LikelihoodProblem.accumulate4(b.baseAddress!, scales: scales, into: $0.baseAddress!, length, wide: true) }
                #expect(one.map(\.bitPattern) == other.map(\.bitPattern))
            }
        }
    }

    /// Seeded estimates, standard errors (0.02–0.2), an even grid over [−0.2, 0.4] and a basis.
    static func problemInputs(seed: UInt64, count: Int, points: Int, df: Int) -> (estimates: [Double], errors: [Double], grid: [Double], basis: [Double]) {
        var random = SeededGenerator(seed: seed)
        let estimates = (0..<count).map { _ in Double.random(in: -0.2..<0.4, using: &random) }
        let errors = (0..<count).map { _ in Double.random(in: 0.02..<0.2, using: &random) }
        let grid = (0..<points).map { -0.2 + 0.6 * Double($0) / Double(points - 1) }
        let basis = (0..<(points * df)).map { _ in Double.random(in: -1..<1, using: &random) }
        return (estimates, errors, grid, basis)
    }

    @Test("a report card's maximization gives the same coefficients with the C kernels and without")
    func wideMaximization() throws {
        try #require(LikelihoodProblem.processorHasAVX2, "this processor has no AVX2: only the Swift kernels run here")
        let (estimates, errors, grid, basis) = Self.problemInputs(seed: 23, count: 203, points: 301, df: 5)
        let df = 5
        let solutions = try [false, true].map { wide in
            try LikelihoodProblem(estimates: estimates, standardErrors: errors, grid: grid, basis: basis, degreesOfFreedom: df, wideKernels: wide)
                .maximize(from: [Double](repeating: 0, count: df), penalty: 0.05, gradientTolerance: 1e-6)
        }
        #expect(solutions[0].map(\.bitPattern) == solutions[1].map(\.bitPattern))
    }

    @Test("two cores only for a matrix of a million entries or more, and the same coefficients on one core or two")
    func twoCoresOrOne() throws {
        let count = 1000, points = 1000, df = 5
        let (estimates, errors, grid, basis) = Self.problemInputs(seed: 29, count: count, points: points, df: df)
        let problems = [false, true].map {
            LikelihoodProblem(estimates: estimates, standardErrors: errors, grid: grid, basis: basis, degreesOfFreedom: df, parallel: $0)
        }
        #expect(count * points == LikelihoodProblem.parallelMinimum && problems.map(\.parallel) == [false, true])
        let smaller = LikelihoodProblem(estimates: Array(estimates.prefix(999)), standardErrors: Array(errors.prefix(999)), grid: grid,
                                        basis: basis, degreesOfFreedom: df, parallel: true)
        #expect(!smaller.parallel)
        let solutions = try problems.map { try $0.maximize(from: [Double](repeating: 0, count: df), penalty: 0.05, gradientTolerance: 1e-6) }
        #expect(solutions[0].map(\.bitPattern) == solutions[1].map(\.bitPattern))
        #expect(solutions[0].contains { $0 != 0 })
    }

    @Test("the gradient at the point just evaluated, from the weights kept by its value's pass, equals a fresh evaluation", arguments: [false, true])
    func keptWeights(parallel: Bool) {
        var random = SeededGenerator(seed: 17)
        let count = 130, points = 50, df = 5
        let estimates = (0..<count).map { _ in Double.random(in: -0.2..<0.4, using: &random) }
        let errors = (0..<count).map { _ in Double.random(in: 0.05..<0.2, using: &random) }
        let grid = (0..<points).map { -0.2 + 0.6 * Double($0) / Double(points - 1) }
        let basis = (0..<(points * df)).map { _ in Double.random(in: -1..<1, using: &random) }
        func problem() -> LikelihoodProblem {
            let made = LikelihoodProblem(estimates: estimates, standardErrors: errors, grid: grid, basis: basis, degreesOfFreedom: df, parallel: parallel)
            made.penalty = 0.03
            return made
        }
        let alpha = [0.3, -0.2, 0.1, 0.05, -0.4], other = [0.1, 0.1, 0.1, 0.1, 0.1]
        let kept = problem(), fresh = problem()
        var keptGradient = [Double](repeating: 0, count: df), freshGradient = keptGradient
        let keptValue = alpha.withUnsafeBufferPointer { a in
            _ = other.withUnsafeBufferPointer { kept.evaluate($0.baseAddress!, gradient: nil) }
            _ = kept.evaluate(a.baseAddress!, gradient: nil)  // the value first, as GSL asks
            return keptGradient.withUnsafeMutableBufferPointer { kept.evaluate(a.baseAddress!, gradient: $0.baseAddress!) }
        }
        let freshValue = alpha.withUnsafeBufferPointer { a in freshGradient.withUnsafeMutableBufferPointer { fresh.evaluate(a.baseAddress!, gradient: $0.baseAddress!) } }
        #expect(keptValue == freshValue)
        #expect(keptGradient == freshGradient)
        #expect(keptGradient.contains { $0 != 0 })
        // Another penalty at the same point: the same likelihood, the new penalty.
        kept.penalty = 0.07
        fresh.penalty = 0.07
        let again = alpha.withUnsafeBufferPointer { kept.evaluate($0.baseAddress!, gradient: nil) }
        let other2 = problem()
        other2.penalty = 0.07
        #expect(again == alpha.withUnsafeBufferPointer { other2.evaluate($0.baseAddress!, gradient: nil) })
    }

    /// π's dot products run four g at a time against every f of a chunk (blocked for the
    /// cache): each π_fg must still be its own dot of post_f with g's cumulative posterior.
    @Test("π, blocked by chunks of organizations, equals each pair's own dot, bit for bit", arguments: [(false, false), (true, false), (true, true)])
    func orderingBlocked(parallel: Bool, wide: Bool) {
        let count = 131, points = 203
        var random = SeededGenerator(seed: 31)
        var post = [Double](repeating: 0, count: count * points)
        for f in 0..<count {
            let row = (0..<points).map { _ in Double.random(in: 0..<1, using: &random) * pow(10, Double.random(in: -9..<0, using: &random)) }
            let total = row.reduce(0, +)
            for m in 0..<points { post[f * points + m] = row[m] / total }
        }
        var below = [Double](repeating: 0, count: post.count)
        for g in 0..<count {
            var running = 0.0
            for m in 0..<points { below[g * points + m] = running; running += post[g * points + m] }
        }
        let pi = ReportCard.orderingProbabilities(post, points: points, parallel: parallel, wide: wide)
        var mismatches = 0
        post.withUnsafeBufferPointer { p in
            below.withUnsafeBufferPointer { c in
                for f in 0..<count {
                    for g in 0..<count {
                        let expected = f == g ? 0 : LikelihoodProblem.dot(p.baseAddress! + f * points, c.baseAddress! + g * points, points)
                        if pi[f * count + g].bitPattern != expected.bitPattern { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(pi.contains { $0 > 0.5 })
    }
}
