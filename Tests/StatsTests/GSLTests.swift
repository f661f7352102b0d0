import Testing
import TestSupport
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

/// Beta quantiles with huge shape parameters (the Clopper–Pearson bounds of a 10⁷-test study,
/// issue #17 item 3), where GSL's `gsl_cdf_beta_Pinv` can run for minutes or give NaN and its
/// incomplete beta does not converge near the mean. Reference values from R 4.2.2:
///   Rscript -e 'options(digits=17); n<-12500000; x<-3750000; print(qbeta(0.025,x,n-x+1));
///               print(qbeta(0.975,x+1,n-x)); n2<-3000000; x2<-0.15*n2; print(qbeta(0.025,x2,n2-x2+1));
///               print(qbeta(0.975,x2+1,n2-x2)); print(qbeta(0.025,7,n-6)); print(qbeta(0.975,8,n-7))'
@Suite("Beta quantiles with shape parameters in the millions, against R's qbeta")
struct LargeBetaQuantileTests {
    @Test("Clopper–Pearson bounds at n = 1.25·10⁷ and 3·10⁶, central and extreme rates")
    func againstR() throws {
        let n = 12_500_000.0, x = 3_750_000.0, n2 = 3_000_000.0, x2 = 450_000.0
        expectClose(try Beta.quantile(0.025, alpha: x, beta: n - x + 1), 0.29974596597342051, relativeTolerance: 1e-12)
        expectClose(try Beta.quantile(0.975, alpha: x + 1, beta: n - x), 0.30025412666371087, relativeTolerance: 1e-12)
        expectClose(try Beta.quantile(0.025, alpha: x2, beta: n2 - x2 + 1), 0.14959611433966954, relativeTolerance: 1e-12)
        expectClose(try Beta.quantile(0.975, alpha: x2 + 1, beta: n2 - x2), 0.15040456136768965, relativeTolerance: 1e-12)
        expectClose(try Beta.quantile(0.025, alpha: 7, beta: n - 6), 2.2514907281131986e-07, relativeTolerance: 1e-10)
        expectClose(try Beta.quantile(0.975, alpha: 8, beta: n - 7), 1.1538136863607356e-06, relativeTolerance: 1e-10)
    }
}
