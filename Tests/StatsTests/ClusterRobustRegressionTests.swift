import Testing
@testable import Stats

/// Issue #17: the fixed-effects fit has a path for tests that come one after the other
/// (no arrays per test). It must give the general path's values to the last bit, since the
/// findings are compared byte for byte.
@Suite("Cluster-robust fixed-effects fit: contiguous tests")
struct ClusterRobustRegressionTests {
    /// Seeded data: tests of 1–4 applications, 0/1 outcomes and regressors.
    static func data(tests: Int, regressors: Int, seed: UInt64, sizes: ClosedRange<Int> = 1...4) -> (y: [Double], x: [[Double]], cluster: [Int]) {
        var random = SeededGenerator(seed: seed)
        var y: [Double] = [], x = [[Double]](repeating: [], count: regressors), cluster: [Int] = []
        for g in 0..<tests {
            for _ in 0..<Int.random(in: sizes, using: &random) {
                y.append(Double(Int.random(in: 0...1, using: &random)))
                for j in 0..<regressors { x[j].append(Double(Int.random(in: 0...1, using: &random))) }
                cluster.append(g)
            }
        }
        return (y, x, cluster)
    }

    @Test("contiguous tests: the same fit as the general path, bit for bit", arguments: [(200, 1, 1), (500, 2, 2), (2_000, 2, 3)] as [(Int, Int, UInt64)])
    func sameAsGeneral(tests: Int, regressors: Int, seed: UInt64) throws {
        let (y, x, cluster) = Self.data(tests: tests, regressors: regressors, seed: seed)
        #expect(ClusterRobustRegression.contiguousGroups(cluster) == tests)
        let general = try ClusterRobustRegression.fitGeneral(y: y, x: x, cluster: cluster)
        let contiguous = try ClusterRobustRegression.fit(y: y, x: x, cluster: cluster)
        #expect(contiguous == general)
        #expect(try contiguous.coefficients(level: 0.95, adjustment: .lmDummiesHC1) == general.coefficients(level: 0.95, adjustment: .lmDummiesHC1))
        // The same observations as one byte each.
        var design = BinaryDesign(regressors: regressors)
        for i in y.indices {
            design.append(y: y[i] == 1, x0: x[0][i] == 1, x1: regressors == 2 && x[1][i] == 1)
            if i + 1 == y.count || cluster[i + 1] != cluster[i] { design.endTest() }
        }
        #expect(design.tests == tests && design.count == y.count)
        #expect(try ClusterRobustRegression.fit(design) == general)
        // Each test appended whole: the same design.
        var whole = BinaryDesign(regressors: regressors)
        var test: [UInt8] = []
        for i in y.indices {
            test.append(BinaryDesign.code(y: y[i] == 1, x0: x[0][i] == 1, x1: regressors == 2 && x[1][i] == 1))
            if i + 1 == y.count || cluster[i + 1] != cluster[i] {
                test.withUnsafeBufferPointer { whole.appendTest($0) }
                test = []
            }
        }
        #expect(whole.codes == design.codes && whole.tests == tests)
        #expect(try ClusterRobustRegression.fit(whole) == general)
        #expect(try ClusterRobustRegression.fixedEffects(design) == ClusterRobustRegression.fixedEffects(y: y, x: x, cluster: cluster))
    }

    /// A design keeps each distinct test once (short, packed and long patterns are looked up
    /// three ways): tests of up to 30 applications still give the general path's fit.
    @Test("tests of 1 to 30 observations: the design's patterns give the general path's fit, bit for bit", arguments: [1, 2])
    func longTests(regressors: Int) throws {
        let (y, x, cluster) = Self.data(tests: 400, regressors: regressors, seed: 11, sizes: 1...30)
        var design = BinaryDesign(regressors: regressors)
        var codes: [UInt8] = []
        for i in y.indices {
            let code = BinaryDesign.code(y: y[i] == 1, x0: x[0][i] == 1, x1: regressors == 2 && x[1][i] == 1)
            design.append(y: y[i] == 1, x0: x[0][i] == 1, x1: regressors == 2 && x[1][i] == 1)
            codes.append(code)
            if i + 1 == y.count || cluster[i + 1] != cluster[i] { design.endTest() }
        }
        #expect(design.codes == codes && design.tests == 400 && design.count == y.count)
        #expect(try ClusterRobustRegression.fit(design) == ClusterRobustRegression.fitGeneral(y: y, x: x, cluster: cluster))
        // Repeated tests share their pattern: the same fit, twice as many tests.
        var twice = design
        for i in y.indices {
            twice.append(y: y[i] == 1, x0: x[0][i] == 1, x1: regressors == 2 && x[1][i] == 1)
            if i + 1 == y.count || cluster[i + 1] != cluster[i] { twice.endTest() }
        }
        #expect(twice.patternStarts == design.patternStarts && twice.tests == 800)
        let doubled = (y: y + y, x: x.map { $0 + $0 }, cluster: cluster + cluster.map { $0 + 400 })
        #expect(try ClusterRobustRegression.fit(twice) == ClusterRobustRegression.fitGeneral(y: doubled.y, x: doubled.x, cluster: doubled.cluster))
    }

    @Test("tests out of order take the general path, with the same estimate")
    func outOfOrder() throws {
        let (y, x, cluster) = Self.data(tests: 300, regressors: 1, seed: 4)
        let relabelled = cluster.map { 299 - $0 }  // same rows, tests numbered backwards
        #expect(ClusterRobustRegression.contiguousGroups(relabelled) == nil)
        #expect(ClusterRobustRegression.contiguousGroups([0, 0, 2, 2]) == nil && ClusterRobustRegression.contiguousGroups([1, 1]) == nil)
        let a = try ClusterRobustRegression.fit(y: y, x: x, cluster: cluster), b = try ClusterRobustRegression.fit(y: y, x: x, cluster: relabelled)
        #expect(abs(a.beta[0] - b.beta[0]) < 1e-12)
        let ca = try a.coefficients(level: 0.95, adjustment: .lmDummiesHC1), cb = try b.coefficients(level: 0.95, adjustment: .lmDummiesHC1)
        #expect(abs(ca[0].standardError - cb[0].standardError) < 1e-12)
    }

    @Test("one test is refused on both paths")
    func oneTest() {
        #expect(throws: StatisticsError.self) { try ClusterRobustRegression.fit(y: [1, 0], x: [[1, 0]], cluster: [0, 0]) }
        #expect(throws: StatisticsError.self) { try ClusterRobustRegression.fitGeneral(y: [1, 0], x: [[1, 0]], cluster: [0, 0]) }
        var design = BinaryDesign(regressors: 1)
        design.append(y: true, x0: true)
        design.append(y: false, x0: false)
        design.endTest()
        #expect(throws: StatisticsError.self) { try ClusterRobustRegression.fit(design) }
    }
}
