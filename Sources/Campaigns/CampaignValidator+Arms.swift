import Foundation
import Values

// The campaign rules on arms (CampaignValidator): one reference, distinct signals,
// identical skeletons, identities and residences, banks large enough for the design.

extension CampaignValidator {
    // MARK: Arms: one reference, distinct signals, identical skeletons, large enough banks.

    mutating func checkArms() {
        let armsPath = JSONPath.root + "arms"
        let roles = arms.map { $0["role"]?.string }
        let references = roles.filter { $0 == "reference" }.count
        let tested = roles.filter { $0 == "tested" }.count
        let placebos = roles.filter { $0 == "placebo" }.count
        if placebos > 1 {
            report(armsPath, "declares \(placebos) placebo arms", "declare at most one arm with role \"placebo\" (a second copy of the reference profile)")
        }
        let referenceSignals = arms.first { $0["role"]?.string == "reference" }?["signals"]?.object
        // With fewer than two arms the schema has already said so.
        if arms.count >= 2 && roles.allSatisfy({ $0 != nil }) && (references != 1 || tested == 0) {
            report(armsPath, "needs exactly one arm with role \"reference\" and at least one with role \"tested\", found \(references) reference and \(tested) tested",
                   "the reference arm is the group least exposed to discrimination; mark the others \"tested\"")
        }
        var ids: [String: Int] = [:]
        var signalSets: [[String: JSONNode]: Int] = [:]
        let sharedProfile = document["profile"]?.object ?? [:]
        var identityNames: [String: JSONPath] = [:]
        for (index, arm) in arms.enumerated() {
            let path = armsPath + index
            if let id = arm["id"]?.string {
                if let first = ids[id] { report(path + "id", "arm id \"\(id)\" is already used by $.arms[\(first)]", "give every arm its own id") }
                else { ids[id] = index }
            }
            if groundsAreKnown, let signals = arm["signals"]?.object {
                for ground in grounds where signals[ground] == nil {
                    report(path + "signals", "gives no value for the criterion ground \"\(ground)\"",
                           "every arm states the value it signals for each ground of $.criterion.grounds")
                }
                for key in signals.keys.sorted() where !grounds.contains(key) {
                    report(path + "signals" + key, "\"\(key)\" is not a ground of this campaign's criterion (\(grounds.joined(separator: ", ")))",
                           suggestion(for: key, among: grounds) ?? "signal only the tested criterion: the arms must differ in nothing else")
                }
                if arm["role"]?.string == "placebo" {
                    // A placebo arm is a second copy of the reference profile: same signals.
                    if let referenceSignals, signals != referenceSignals {
                        report(path + "signals", "a placebo arm must signal what the reference arm signals",
                               "copy the reference arm's signals; only its identities differ")
                    }
                } else if let first = signalSets[signals] {
                    report(path + "signals", "signals the same values as $.arms[\(first)]", "each arm must signal a different value of the criterion")
                } else {
                    signalSets[signals] = index
                }
            }
            if groundsAreKnown, let profile = arm["profile"]?.object {
                for (key, value) in profile.sorted(by: { $0.key < $1.key }) where !grounds.contains(key) {
                    if let shared = sharedProfile[key], shared == value { continue }
                    report(path + "profile" + key,
                           "differs from the shared profile, but arms must differ only in the criterion (\(grounds.joined(separator: ", ")))",
                           "put \"\(key)\" in $.profile for every arm, or remove it here")
                }
            }
            checkIdentities(arm, at: path, names: &identityNames)
        }
        checkResidence()
        checkBankSizes()
    }

    private mutating func checkIdentities(_ arm: JSONNode, at path: JSONPath, names: inout [String: JSONPath]) {
        for (index, identity) in (arm["identities"]?.array ?? []).enumerated() {
            let identityPath = path + "identities" + index
            if let first = identity["firstName"]?.string, let last = identity["lastName"]?.string {
                let name = "\(first) \(last)".lowercased()
                if let earlier = names[name] {
                    report(identityPath, "\(first) \(last) is already an identity at \(earlier)", "every fictitious person must be unique")
                } else {
                    names[name] = identityPath
                }
            }
            if channelsUsed.contains(Channel.email.rawValue) && identity["email"] == nil {
                report(identityPath + "email", "is missing, but targets are contacted by email", "give every identity an email address")
            }
            if channelsUsed.contains(Channel.phone.rawValue) && identity["phone"] == nil {
                report(identityPath + "phone", "is missing, but targets are contacted by phone", "give every identity a phone number")
            }
            if channelsUsed.contains(Channel.letter.rawValue) && identity["address"] == nil {
                report(identityPath + "address", "is missing, but applications are sent as letters", "give every identity a postal address")
            }
        }
    }

    /// With place of residence as a criterion, the address is the signal: every identity
    /// states whether it lies in a QPV, all identities of an arm agree, and arms that signal
    /// the same residence agree too.
    private mutating func checkResidence() {
        guard grounds.contains("place-of-residence") else { return }
        var qpvBySignal: [String: (Bool, JSONPath)] = [:]
        for (armIndex, arm) in arms.enumerated() {
            var stated: [(Bool, JSONPath)] = []
            for (index, identity) in (arm["identities"]?.array ?? []).enumerated() {
                let path = JSONPath.root + "arms" + armIndex + "identities" + index + "address"
                guard let address = identity["address"] else {
                    // With letters, the missing address is already reported.
                    if !channelsUsed.contains(Channel.letter.rawValue) {
                        report(path, "is missing, but place of residence is the criterion",
                               "the address is how the arm signals where the applicant lives")
                    }
                    continue
                }
                guard let qpv = address["qpv"]?.bool else {
                    report(path + "qpv", "must be stated (true or false) when place of residence is the criterion",
                           "true for an address in a quartier prioritaire de la politique de la ville")
                    continue
                }
                stated.append((qpv, path + "qpv"))
            }
            guard !stated.isEmpty else { continue }
            // The arm's kind of address is what most of its identities state; the others are wrong.
            let trueCount = stated.filter(\.0).count
            let majority = trueCount * 2 >= stated.count
            for (qpv, path) in stated where qpv != majority {
                report(path, "is \(qpv), but the other identities of this arm are \(majority ? "" : "not ")in a QPV",
                       "all identities of an arm must signal the same place of residence")
            }
            let armPath = stated.first { $0.0 == majority }!.1
            if let signal = arm["signals"]?["place-of-residence"]?.string {
                if let (other, otherPath) = qpvBySignal[signal], other != majority {
                    report(armPath, "is \(majority), but \(otherPath) is \(other) for the same residence signal \"\(signal)\"",
                           "arms that signal the same place of residence must use the same kind of address")
                } else {
                    qpvBySignal[signal] = (majority, armPath)
                }
            }
        }
    }

    /// An identity is never reused at one organization: the busiest organization decides.
    private mutating func checkBankSizes() {
        guard !targets.isEmpty else { return }
        var perOrganization: [String: Int] = [:]
        for target in targets { perOrganization[target.organization, default: 0] += 1 }
        guard let (organization, tests) = perOrganization.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return }
        let needed = tests * applicationsPerArm
        for (index, arm) in arms.enumerated() {
            let count = arm["identities"]?.array?.count ?? 0
            if count > 0 && count < needed {
                report(JSONPath.root + "arms" + index + "identities",
                       "has \(count) identit\(count == 1 ? "y" : "ies"), needs at least \(needed): \"\(organization)\" receives \(tests) test\(tests == 1 ? "" : "s") × \(applicationsPerArm) application\(applicationsPerArm == 1 ? "" : "s") of this arm, and an identity is never reused at one organization",
                       "add \(needed - count) more identit\(needed - count == 1 ? "y" : "ies")")
            }
        }
    }
}
