import Crypto
import Foundation
import GRDB

/// Organizations' pseudonyms (issue #19 item 2). A pseudonym is a keyed hash of the
/// organization's name — HMAC-SHA256 under the ledger's secret key (created with the ledger,
/// never printed or exported) — written as `O-` and six Crockford base-32 characters
/// (30 bits). It is unrelated to the name's alphabetical order, to the order in which
/// organizations appear and to the plan's order; without the key nobody can compute the
/// pseudonym of a given name, and with the ledger staff can map one back
/// (``organization(forPseudonym:campaign:)``). It depends on the name alone, so an
/// organization keeps its pseudonym across waves and campaigns of one ledger.
extension Ledger {
    /// Characters of Crockford's base 32 (no I, L, O, U: nothing to misread).
    static let pseudonymAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The ledger's pseudonym key.
    func pseudonymKey(_ db: Database) throws -> SymmetricKey {
        guard let value = try Data.fetchOne(db, sql: "SELECT value FROM ledgerSecret WHERE name = 'pseudonyms'") else {
            throw LedgerError.database(DatabaseFailure(message: "the ledger has no pseudonym key (migration v4-pseudonym-key did not run)"))
        }
        return SymmetricKey(data: value)
    }

    /// The pseudonym of each name, from the key: `O-` and `length` base-32 characters of
    /// HMAC-SHA256(key, name).
    static func pseudonym(_ name: String, key: SymmetricKey, length: Int = 6) -> String {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Data(name.utf8), using: key))
        var bits = 0, value = 0, out = "O-"
        for byte in mac {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 && out.count < 2 + length {
                out.append(pseudonymAlphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
            value &= (1 << bits) - 1
            if out.count == 2 + length { break }
        }
        return out
    }

    /// Pseudonyms for `names` (in the same order). Two names whose six characters coincide
    /// (about one chance in 2,000 with 1,000 organizations) both get longer pseudonyms,
    /// as long as needed to tell them apart.
    public func pseudonyms(for names: [String]) throws(LedgerError) -> [String] {
        let key = try read { db in try pseudonymKey(db) }
        return Self.pseudonyms(for: names, key: key)
    }

    static func pseudonyms(for names: [String], key: SymmetricKey) -> [String] {
        var length = [Int](repeating: 6, count: names.count)
        var labels = names.indices.map { pseudonym(names[$0], key: key, length: 6) }
        while true {
            let groups = Dictionary(grouping: labels.indices, by: { labels[$0] }).values.filter { group in
                Set(group.map { names[$0] }).count > 1
            }
            guard !groups.isEmpty else { return labels }
            for group in groups {
                for i in group {
                    length[i] += 2
                    labels[i] = pseudonym(names[i], key: key, length: length[i])
                }
            }
        }
    }

    /// The organization behind a pseudonym in one campaign or study (staff only: the CLI's
    /// `pseudonym` command). Nil when no organization of it has that pseudonym.
    public func organization(forPseudonym pseudonym: String, campaign: String) throws(LedgerError) -> String? {
        let names = try applicationColumns(campaign: campaign).organizations
        let labels = try pseudonyms(for: names)
        let wanted = pseudonym.uppercased()
        return zip(names, labels).first { $0.1 == wanted }?.0
    }
}
