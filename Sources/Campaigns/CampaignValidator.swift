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

    mutating func report(_ path: JSONPath, _ message: String, _ hint: String? = nil) {
        issues.append(ValidationIssue(file: file, location: path.description, message: message, hint: hint))
    }

    var arms: [JSONNode] { document["arms"]?.array ?? [] }
    /// One reference arm, at least one tested arm, every arm with its own id. When not,
    /// checkArms says so; checks that name arms (primary comparisons, translations) stay
    /// silent rather than repeat it.
    var armsAreWellFormed: Bool {
        let ids = arms.compactMap { $0["id"]?.string }, roles = arms.map { $0["role"]?.string }
        return roles.filter { $0 == "reference" }.count == 1 && roles.contains("tested") && ids.count == arms.count && Set(ids).count == ids.count
    }
    /// The criterion's grounds, or none when one of them is not a ground (the schema reports
    /// it, and checking the arms against a misspelt ground would only repeat that).
    var grounds: [String] {
        let values = document["criterion"]?["grounds"]?.array?.compactMap(\.string) ?? []
        return values.allSatisfy { Ground(rawValue: $0) != nil } ? values : []
    }
    var groundsAreKnown: Bool { !grounds.isEmpty }
    var applicationsPerArm: Int { max(1, document["design"]?["applicationsPerArm"]?.int ?? 1) }
    var channelsUsed: Set<String> { Set(targets.map(\.channel.rawValue)) }

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
