import Foundation
import Mustache
import Values

/// The checks a campaign needs beyond its schema (issue [plan]): they read the loose JSON
/// tree so that they can run, and report, even when other parts of the file are wrong.
/// Each check skips silently what the schema already reports as malformed.
struct CampaignValidator {
    let file: String
    let document: JSONNode
    /// Targets from the inline list or the CSV file, if they could be read.
    let targets: [Target]

    private var issues: [ValidationIssue] = []

    init(file: String, document: JSONNode, targets: [Target]) {
        self.file = file
        self.document = document
        self.targets = targets
    }

    mutating func validate() -> [ValidationIssue] {
        checkArms()
        checkTemplates()
        checkDates()
        checkDesign()
        checkTesters()
        checkOutcomes()
        checkPublication()
        checkPrimary()
        checkTranslations()
        checkTargets()
        checkText(document, path: .root)
        return issues
    }

    private mutating func report(_ path: JSONPath, _ message: String, _ hint: String? = nil) {
        issues.append(ValidationIssue(file: file, location: path.description, message: message, hint: hint))
    }

    private var arms: [JSONNode] { document["arms"]?.array ?? [] }
    /// One reference arm, at least one tested arm, every arm with its own id. When not,
    /// checkArms says so; checks that name arms (primary comparisons, translations) stay
    /// silent rather than repeat it.
    private var armsAreWellFormed: Bool {
        let ids = arms.compactMap { $0["id"]?.string }, roles = arms.map { $0["role"]?.string }
        return roles.filter { $0 == "reference" }.count == 1 && roles.contains("tested") && ids.count == arms.count && Set(ids).count == ids.count
    }
    /// The criterion's grounds, or none when one of them is not a ground (the schema reports
    /// it, and checking the arms against a misspelt ground would only repeat that).
    private var grounds: [String] {
        let values = document["criterion"]?["grounds"]?.array?.compactMap(\.string) ?? []
        return values.allSatisfy { Ground(rawValue: $0) != nil } ? values : []
    }
    private var groundsAreKnown: Bool { !grounds.isEmpty }
    private var applicationsPerArm: Int { max(1, document["design"]?["applicationsPerArm"]?.int ?? 1) }
    private var channelsUsed: Set<String> { Set(targets.map(\.channel.rawValue)) }

    // MARK: Arms: one reference, distinct signals, identical skeletons, large enough banks.

    private mutating func checkArms() {
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

    // MARK: Templates: unique ids, enough per channel, valid Mustache, known variables.

    private mutating func checkTemplates() {
        let templates = document["templates"]?.array ?? []
        var ids: [String: Int] = [:]
        var perChannel: [String: Int] = [:]
        let known = knownVariables()
        for (index, template) in templates.enumerated() {
            let path = JSONPath.root + "templates" + index
            if let id = template["id"]?.string {
                if let first = ids[id] { report(path + "id", "template id \"\(id)\" is already used by $.templates[\(first)]") }
                else { ids[id] = index }
            }
            if let channel = template["channel"]?.string { perChannel[channel, default: 0] += 1 }
            for (field, text) in [("subject", template["subject"]?.string), ("body", template["body"]?.string)] {
                guard let text else { continue }
                do {
                    _ = try MustacheTemplate(string: text)
                } catch {
                    report(path + field, "is not a valid Mustache template: \(Self.describe(mustacheError: error))",
                           "close every {{#section}} with {{/section}}, and every {{ with }}")
                    continue
                }
                for name in TemplateVariables.used(in: text) where !known.contains(name) {
                    report(path + field, "uses the unknown variable {{\(name)}}",
                           suggestion(for: name, among: known) ?? "see the README's list of template variables")
                }
            }
        }
        let perTest = arms.count * applicationsPerArm
        for channel in channelsUsed.sorted() {
            let count = perChannel[channel] ?? 0
            if count < perTest {
                report(JSONPath.root + "templates",
                       "has \(count) template\(count == 1 ? "" : "s") for the \(channel) channel, but a test sends \(perTest) applications by \(channel) and no two may share a template",
                       "add \(perTest - count) more \(channel) template\(perTest - count == 1 ? "" : "s") (wording/layout variants)")
            }
        }
    }

    private func knownVariables() -> Set<String> {
        var names = Set(TemplateVariables.fixed)
        for key in (document["profile"]?.object ?? [:]).keys { names.insert("profile.\(key)") }
        for arm in arms {
            for key in (arm["profile"]?.object ?? [:]).keys { names.insert("profile.\(key)") }
            for identity in arm["identities"]?.array ?? [] {
                for key in (identity["attributes"]?.object ?? [:]).keys { names.insert("applicant.\(key)") }
            }
        }
        return names
    }

    // MARK: Dates and schedule.

    private mutating func checkDates() {
        guard let startText = document["period"]?["start"]?.string, let endText = document["period"]?["end"]?.string,
              let start = CalendarDate(startText), let end = CalendarDate(endText) else { return }
        if end < start {
            report(JSONPath.root + "period" + "end", "\(end) is before the start \(start)", "the period runs from start to end, inclusive")
        } else if end.dayNumber - start.dayNumber > Self.longestPeriodDays {
            report(JSONPath.root + "period" + "end", "\(end) is more than five years after the start \(start)",
                   "check the year: a testing campaign runs over weeks or months (each wave is a campaign of its own)")
        }
    }

    /// Five years: longer is a typo in a year (found by fuzzing: `"end": "6545-10-16"` made
    /// every later check count two million days).
    static let longestPeriodDays = 5 * 366

    private mutating func checkDesign() {
        let design = JSONPath.root + "design"
        if let minimum = document["design"]?["gapHours"]?["min"]?.number, let maximum = document["design"]?["gapHours"]?["max"]?.number,
           minimum > maximum {
            report(design + "gapHours" + "max", "(\(formatHours(maximum)) h) is smaller than the minimum gap (\(formatHours(minimum)) h)")
        }
        guard let hours = WorkingHours.parse(document["design"]?["workingHours"]) else { return }
        if hours.end <= hours.start {
            report(design + "workingHours" + "end", "must be later than the start of the working day", "e.g. start 09:00, end 18:00")
            return
        }
        guard let startText = document["period"]?["start"]?.string, let endText = document["period"]?["end"]?.string,
              let start = CalendarDate(startText), let end = CalendarDate(endText), start <= end,
              end.dayNumber - start.dayNumber <= Self.longestPeriodDays,
              let days = document["design"]?["workingDays"]?.array?.compactMap({ $0.string.flatMap(Weekday.init(rawValue:)) }),
              !days.isEmpty, let gapMax = document["design"]?["gapHours"]?["max"]?.number else { return }
        let workingDays = (start.dayNumber...end.dayNumber).filter { days.map(\.index).contains(CalendarDate(dayNumber: $0).weekdayIndex) }.count
        let available = Double(workingDays * (hours.end - hours.start)) / 60
        let needed = Double(arms.count * applicationsPerArm - 1) * gapMax
        if workingDays == 0 {
            report(JSONPath.root + "period", "contains no working day (\(days.map(\.rawValue).joined(separator: ", ")))",
                   "lengthen the period or add working days")
        } else if needed >= available {
            report(JSONPath.root + "period",
                   "holds \(Int(available)) working hours, but one test may need \(Int(needed)) (\(arms.count * applicationsPerArm) applications, up to \(formatHours(gapMax)) h apart)",
                   "lengthen the period or shorten $.design.gapHours.max")
        }
    }

    // MARK: Outcomes, publication, targets.

    private mutating func checkOutcomes() {
        guard let domain = document["domain"]?.string.flatMap(Domain.init(rawValue:)) else { return }
        let scale = document["outcomes"]?["scale"]?.array?.compactMap(\.string) ?? domain.defaultScale
        guard let threshold = document["outcomes"]?["positiveThreshold"]?.string else { return }
        let path = JSONPath.root + "outcomes" + "positiveThreshold"
        if let position = scale.firstIndex(of: threshold) {
            if position == 0 {
                report(path, "\"\(threshold)\" is the lowest level: every answer would count as positive",
                       "choose the first level that keeps the applicant in the race, e.g. \"\(scale[min(1, scale.count - 1)])\"")
            }
        } else {
            report(path, "\"\(threshold)\" is not on the outcome scale (\(scale.joined(separator: " < ")))",
                   suggestion(for: threshold, among: scale))
        }
    }

    private mutating func checkPublication() {
        if document["publication"]?["organizations"]?.string == "named" && document["publication"]?["naming"] == nil {
            report(JSONPath.root + "publication" + "naming", "is required when organizations are named",
                   "state the evidence bar, e.g. {\"maxQValue\": 0.05, \"minTests\": 20}: only organizations meeting it are named")
        }
    }

    /// Every text of the file: no invisible control character (NUL, ESC, …), and line
    /// breaks only in document bodies and descriptions (issue #18 item 2).
    private mutating func checkText(_ node: JSONNode, path: JSONPath) {
        switch node {
        case .string(let text):
            let last = path.description.split(separator: ".").last.map(String.init) ?? ""
            let multiline = last == "body" || last == "description"
            if let problem = TextSafety.problem(in: text, multiline: multiline) {
                report(path, problem,
                       multiline ? "remove it: it would be invisible in documents and reports" : "remove it (a line break is allowed only in a template body or a description)")
            }
        case .array(let items):
            for (k, item) in items.enumerated() { checkText(item, path: path + k) }
        case .object(let members):
            for key in members.keys.sorted() { checkText(members[key]!, path: path + key) }
        default:
            break
        }
    }

    /// `translations.LANG.arms` names arms of the campaign.
    private mutating func checkTranslations() {
        guard let translations = document["translations"] else { return }
        guard armsAreWellFormed else { return }
        let ids = arms.compactMap { $0["id"]?.string }
        for language in ["fr", "en"] {
            guard case .object(let labels)? = translations[language]?["arms"] else { continue }
            for key in labels.keys.sorted() where !ids.contains(key) {
                report(JSONPath.root + "translations" + language + "arms" + key, "\"\(key)\" is not an arm of this campaign",
                       suggestion(for: key, among: ids) ?? "arms: \(ids.joined(separator: ", "))")
            }
        }
    }

    /// `analysis.primary` names tested arms (each compared with the reference).
    private mutating func checkPrimary() {
        guard let primary = document["analysis"]?["primary"]?.array else { return }
        guard armsAreWellFormed else { return }
        let tested = arms.filter { $0["role"]?.string == "tested" }.compactMap { $0["id"]?.string }
        let references = arms.filter { $0["role"]?.string == "reference" }.compactMap { $0["id"]?.string }
        for (index, item) in primary.enumerated() {
            guard let id = item.string, !tested.contains(id) else { continue }
            let path = JSONPath.root + "analysis" + "primary" + index
            if references.contains(id) {
                report(path, "\"\(id)\" is the reference arm: a primary comparison names a tested arm, which is compared with the reference",
                       "list tested arms: \(tested.map { "\"\($0)\"" }.joined(separator: ", "))")
            } else {
                report(path, "\"\(id)\" is not a tested arm of this campaign",
                       suggestion(for: id, among: tested) ?? "list tested arms: \(tested.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
    }

    /// Tester names are distinct, the arms they play exist, and calls and visits can be
    /// conducted: each application of such a test needs its own tester who can play its arm.
    private mutating func checkTesters() {
        let path = JSONPath.root + "design" + "testers"
        guard let list = document["design"]?["testers"]?.array else { return }
        var declared: [TesterDeclaration] = []
        var names: [String: Int] = [:]
        let armIDs = arms.compactMap { $0["id"]?.string }
        for (index, node) in list.enumerated() {
            let name = node.string ?? node["name"]?.string
            guard let name else { continue }
            if let first = names[name] {
                report(path + index, "tester \"\(name)\" is already declared at $.design.testers[\(first)]", "give each tester a distinct name")
                continue
            }
            names[name] = index
            let played = node["arms"]?.array?.compactMap(\.string)
            if let played, armsAreWellFormed {
                for (position, arm) in played.enumerated() where !armIDs.contains(arm) {
                    report(path + index + "arms" + position, "\"\(arm)\" is not an arm of this campaign",
                           suggestion(for: arm, among: armIDs) ?? "arms: \(armIDs.joined(separator: ", "))")
                }
            }
            declared.append(TesterDeclaration(name: name, arms: played))
        }
        guard armsAreWellFormed, !declared.isEmpty else { return }
        let spoken = channelsUsed.compactMap(Channel.init(rawValue:)).filter(\.isSpoken).map(\.rawValue).sorted()
        guard !spoken.isEmpty else { return }
        let slots = armIDs.flatMap { Array(repeating: $0, count: applicationsPerArm) }
        guard let missing = TesterCoverage.uncovered(slots: slots, testers: declared) else { return }
        let channels = spoken.joined(separator: " and ")
        if declared.count < slots.count {
            report(path, "declares \(declared.count) tester\(declared.count == 1 ? "" : "s"), but a \(channels) test has \(slots.count) applications and each must be conducted by a different tester (a tester's voice and appearance are part of the profile)",
                   "declare at least \(slots.count) testers, e.g. one per arm: {\"name\": \"Testeuse A\", \"arms\": [\"\(armIDs[0])\"]}")
        } else {
            let lacking = Array(Set(missing)).sorted()
            report(path, "cannot cover a \(channels) test: no tester is left to play \(lacking.map { "\"\($0)\"" }.joined(separator: ", ")) once the others are taken (each application of a test needs its own tester who can play its arm)",
                   "add \(lacking.joined(separator: ", ")) to some testers' \"arms\", or declare more testers")
        }
    }

    private mutating func checkTargets() {
        guard let list = document["targets"]?.array else { return }
        var ids: [String: Int] = [:]
        for (index, target) in list.enumerated() {
            guard let id = target["id"]?.string else { continue }
            if let first = ids[id] {
                report(JSONPath.root + "targets" + index + "id", "target id \"\(id)\" is already used by $.targets[\(first)]")
            } else {
                ids[id] = index
            }
        }
    }
}

private func formatHours(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}

extension CampaignValidator {
    /// A Mustache parser error in words, with its line and column in the template.
    static func describe(mustacheError error: any Error) -> String {
        guard let parserError = error as? MustacheTemplate.ParserError else { return "\(error)" }
        let what: String
        switch parserError.error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: what = "a section is closed with another name than it was opened with"
        case .unfinishedName?: what = "a tag is not closed with }}"
        case .expectedSectionEnd?: what = "a section is opened but never closed"
        case .invalidSetDelimiter?: what = "invalid delimiter change"
        default: what = "\(parserError.error)"
        }
        return "\(what) (line \(parserError.context.lineNumber), column \(parserError.context.columnNumber))"
    }
}
