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
}
