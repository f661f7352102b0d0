import Testing
import TestSupport
@testable import Stats

@Suite("Multiplicity adjustments")
struct MultiplicityTests {
    @Test("Holm and Benjamini–Hochberg against R's p.adjust",
          arguments: Set(ReferenceValues.shared.cases(in: "multiplicity").map(\.0.id)).sorted())
    func againstR(set: String) throws {
        let rows = ReferenceValues.shared.cases(in: "multiplicity").filter { $0.0.id == set }.sorted { $0.0.counts[0] < $1.0.counts[0] }
        let p = rows.map { $0.1["p"]!! }
        let holm = try Multiplicity.holm(p)
        let bh = try Multiplicity.benjaminiHochberg(p)
        for (index, row) in rows.enumerated() {
            expectClose(holm[index], row.1["holm"]!!, "\(set) holm #\(index)")
            expectClose(bh[index], row.1["bh"]!!, "\(set) BH #\(index)")
        }
    }

    @Test("a p-value outside [0, 1] is refused")
    func refusesBadP() {
        #expect(throws: StatisticsError.self) { try Multiplicity.holm([0.2, 1.2]) }
        #expect(throws: StatisticsError.self) { try Multiplicity.benjaminiHochberg([.nan]) }
    }

    @Test("adjusted p-values never fall below the raw ones, and BH ≤ Holm")
    func ordering() throws {
        let p = [0.001, 0.01, 0.02, 0.03, 0.5, 0.04]
        let holm = try Multiplicity.holm(p), bh = try Multiplicity.benjaminiHochberg(p)
        for i in p.indices {
            #expect(holm[i] >= p[i])
            #expect(bh[i] >= p[i])
            #expect(bh[i] <= holm[i])
        }
    }
}
