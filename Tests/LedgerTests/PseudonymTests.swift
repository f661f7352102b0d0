import Crypto
import Foundation
import Testing
import TestSupport
@testable import Ledger

/// Issue #19 item 2: pseudonyms nobody can reverse without the ledger's key.
@Suite("keyed pseudonyms of organizations")
struct PseudonymTests {
    static let names = (1...40).map { String(format: "Agence %02d", $0) }

    @Test("a ledger's pseudonyms: stable, distinct, well formed, unrelated to the names' order")
    func keyed() throws {
        let ledger = Ledger.inMemory()
        let labels = try ledger.pseudonyms(for: Self.names)
        #expect(labels.allSatisfy { $0.count == 8 && $0.hasPrefix("O-") && $0.dropFirst(2).allSatisfy { Ledger.pseudonymAlphabet.contains($0) } })
        #expect(Set(labels).count == Self.names.count)
        // Same ledger, same pseudonyms, whatever the order or the set asked for (stable across waves).
        #expect(try ledger.pseudonyms(for: Self.names.reversed()) == labels.reversed())
        #expect(try ledger.pseudonyms(for: [Self.names[7]]) == [labels[7]])
        // Organizations named in alphabetical order do not get pseudonyms in that order:
        // the sorted pseudonyms' names are not the sorted names (40! orders; this key gives one).
        let byPseudonym = zip(labels, Self.names).sorted { $0.0 < $1.0 }.map(\.1)
        #expect(byPseudonym != Self.names)
        // Rank correlation with the alphabetical order is small (|ρ| < 0.5 for a random order
        // of 40 happens with probability > 0.999).
        let ranks = byPseudonym.map { Self.names.firstIndex(of: $0)! }
        let n = Double(ranks.count)
        let d2 = ranks.enumerated().reduce(0.0) { $0 + pow(Double($1.offset - $1.element), 2) }
        let rho = 1 - 6 * d2 / (n * (n * n - 1))
        #expect(abs(rho) < 0.5, "Spearman ρ = \(rho)")
    }

    @Test("another ledger (another key) gives other pseudonyms; the key is created once and cannot be changed")
    func perLedger() throws {
        let first = try Ledger.inMemory().pseudonyms(for: Self.names)
        let second = try Ledger.inMemory().pseudonyms(for: Self.names)
        #expect(zip(first, second).filter { $0 == $1 }.count <= 1)
        let ledger = Ledger.inMemory()
        #expect(throws: LedgerError.self) { try ledger.write { db in try db.execute(sql: "UPDATE ledgerSecret SET value = zeroblob(32)") } }
        #expect(throws: LedgerError.self) { try ledger.write { db in try db.execute(sql: "DELETE FROM ledgerSecret") } }
    }

    @Test("the pseudonym is HMAC-SHA256 of the name under the key, in Crockford base 32; colliding prefixes get longer")
    func construction() {
        let key = SymmetricKey(data: Data(repeating: 7, count: 32))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Data("Agence 01".utf8), using: key))
        // The first 30 bits, five at a time.
        let bits = (UInt64(mac[0]) << 24 | UInt64(mac[1]) << 16 | UInt64(mac[2]) << 8 | UInt64(mac[3])) >> 2
        let expected = "O-" + String((0..<6).map { Ledger.pseudonymAlphabet[Int((bits >> (5 * (5 - UInt64($0)))) & 31)] })
        #expect(Ledger.pseudonym("Agence 01", key: key) == expected)
        #expect(Ledger.pseudonym("Agence 01", key: key, length: 8).hasPrefix(expected))
        // The same name twice is one organization: same pseudonym, not lengthened.
        let same = Ledger.pseudonyms(for: ["Agence 01", "Agence 01"], key: key)
        #expect(same[0] == same[1] && same[0] == expected)
    }
}
