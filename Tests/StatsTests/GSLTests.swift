import Testing
@testable import Stats

@Suite("GSL bridge: errors become Swift errors; the seeded generator")
struct GSLTests {
    @Test("an invalid GSL call throws instead of aborting the process")
    func domainError() {
        // GSL's default handler would abort here; Barometre turned it off.
        #expect(throws: GSLError.self) { try Beta.quantile(0.5, alpha: -1, beta: 2) }
    }

    @Test("Beta quantiles stay accurate where GSL's own inversion fails (a million trials)")
    func largeBetaQuantile() throws {
        let q = try Beta.quantile(0.025, alpha: 420_001, beta: 580_000)
        #expect(abs(Beta.cdf(q, alpha: 420_001, beta: 580_000) - 0.025) < 1e-12)
    }

    @Test("root finding without a sign change throws a GSLError naming the problem")
    func noBracket() {
        do {
            _ = try RootFinder.brent(in: 0...1) { $0 * $0 + 1 }
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("does not change sign"))
        }
    }

    @Test("Brent's method finds √2")
    func brent() throws {
        let root = try RootFinder.brent(in: 0...2) { $0 * $0 - 2 }
        #expect(abs(root - 2.0.squareRoot()) < 1e-13)
    }

    @Test("mt19937 reproduces the reference output for seed 5489")
    func mt19937Reference() {
        // Matsumoto & Nishimura's mt19937ar: init_genrand(5489) → 3499211612, 581869302, …
        let generator = SeededGenerator(seed: 5489)
        let expected: UInt64 = 3_499_211_612 << 32 | 581_869_302
        #expect(generator.next() == expected)
    }

    @Test("the same seed gives the same stream; another seed does not")
    func reproducible() {
        let one = SeededGenerator(seed: 42), two = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
        let first = (0..<100).map { _ in one.next() }
        #expect(first == (0..<100).map { _ in two.next() })
        #expect(first != (0..<100).map { _ in other.next() })
        var array = Array(0..<20)
        SeededGenerator(seed: 7).shuffle(&array)
        var again = Array(0..<20)
        SeededGenerator(seed: 7).shuffle(&again)
        #expect(array == again && array.sorted() == Array(0..<20))
        #expect((0..<1000).allSatisfy { _ in (0..<6).contains(one.integer(below: 6)) })
    }
}
