import Foundation
import Testing
import TestSupport
@testable import Campaigns

/// One deliberate mistake per validation rule, each answered with its path and message.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let name: String
    let change: @Sendable (inout CampaignFile) -> Void
    let location: String
    let message: String
    var hint: String? = nil
    /// How many issues the mistake gives (more than one when it affects several places).
    var count = 1
    var testDescription: String { name }
}

@Suite("Campaign validation rules")
struct ValidationRuleTests {
    static let cases: [RuleCase] = [
        // The schema.
        RuleCase(name: "unknown key, with a suggestion", change: { $0.set(["temlates"], []) },
                 location: "$.temlates", message: "unknown key \"temlates\"", hint: "did you mean \"templates\"?"),
        RuleCase(name: "missing required key", change: { $0.set(["territory"], nil) },
                 location: "$.territory", message: "required key \"territory\" is missing"),
        RuleCase(name: "wrong type", change: { $0.set(["wave"], "1") },
                 location: "$.wave", message: "expected an integer, found string"),
        RuleCase(name: "value outside an enumeration", change: { $0.set(["domain"], "logement") },
                 location: "$.domain", message: "\"logement\" is not one of: housing, employment, internship", hint: "did you mean \"housing\"?"),
        RuleCase(name: "a French weekday", change: { $0.set(["design", "workingDays", 0], "lundi") },
                 location: "$.design.workingDays[0]", message: "\"lundi\" is not one of", hint: "did you mean \"mon\"?"),
        RuleCase(name: "a French channel", change: { $0.set(["templates", 0, "channel"], "téléphone") },
                 location: "$.templates[0].channel", message: "\"téléphone\" is not one of", hint: "did you mean \"phone\"?", count: 2),
        // Testers (issue #14 item 2).
        RuleCase(name: "a phone campaign with one tester", change: { file in
                     for i in 0..<3 { file.set(["templates", i, "channel"], "phone") }
                     for i in 0..<6 { file.set(["targets", i, "channel"], "phone") }
                 },
                 location: "$.design.testers", message: "declares 1 tester, but a phone test has 3 applications and each must be conducted by a different tester",
                 hint: "declare at least 3 testers"),
        RuleCase(name: "testers who cannot cover every arm of a visit", change: { file in
                     for i in 0..<3 { file.set(["templates", i, "channel"], "visit") }
                     for i in 0..<6 { file.set(["targets", i, "channel"], "visit") }
                     file.set(["design", "testers"], [["name": "A", "arms": ["hors-qpv-hexagonale"]], ["name": "B", "arms": ["hors-qpv-hexagonale"]], ["name": "C"]])
                 },
                 location: "$.design.testers", message: "cannot cover a visit test: no tester is left to play",
                 hint: "to some testers' \"arms\", or declare more testers"),
        RuleCase(name: "a tester's unknown arm", change: { $0.set(["design", "testers"], [["name": "A", "arms": ["qpv-hexagonal"]]]) },
                 location: "$.design.testers[0].arms[0]", message: "\"qpv-hexagonal\" is not an arm of this campaign", hint: "did you mean \"qpv-hexagonale\"?"),
        RuleCase(name: "two testers with one name", change: { $0.set(["design", "testers"], ["A", ["name": "A"]]) },
                 location: "$.design.testers[1]", message: "tester \"A\" is already declared at $.design.testers[0]"),
        RuleCase(name: "id with spaces", change: { $0.set(["id"], "Mon étude") },
                 location: "$.id", message: "does not have the expected form", hint: "lowercase letters, digits and hyphens"),
        RuleCase(name: "impossible date", change: { $0.set(["period", "start"], "2026-02-30") },
                 location: "$.period.start", message: "\"2026-02-30\" is not a calendar date", hint: "YYYY-MM-DD"),
        RuleCase(name: "unknown ground", change: { $0.set(["criterion", "grounds"], ["origine"]) },
                 location: "$.criterion.grounds[0]", message: "is not one of", hint: "did you mean \"origin\"?"),
        RuleCase(name: "bad email", change: { $0.set(["arms", 0, "identities", 0, "email"], "lucas.dubois") },
                 location: "$.arms[0].identities[0].email", message: "does not have the expected form", hint: "email address"),
        RuleCase(name: "only one arm", change: { $0.set(["arms", 2], nil); $0.set(["arms", 1], nil) },
                 location: "$.arms", message: "needs at least 2 items, found 1"),
        RuleCase(name: "level out of (0, 1)", change: { $0.set(["analysis", "level"], 95) },
                 location: "$.analysis.level", message: "must be less than 1, found 95"),
        // Arms.
        RuleCase(name: "two reference arms", change: { $0.set(["arms", 1, "role"], "reference") },
                 location: "$.arms", message: "needs exactly one arm with role \"reference\" and at least one with role \"tested\", found 2 reference and 1 tested"),
        RuleCase(name: "no tested arm", change: { for i in 0..<3 { $0.set(["arms", i, "role"], "reference") } },
                 location: "$.arms", message: "found 3 reference and 0 tested"),
        RuleCase(name: "duplicate arm id", change: { $0.set(["arms", 1, "id"], "hors-qpv-hexagonale") },
                 location: "$.arms[1].id", message: "arm id \"hors-qpv-hexagonale\" is already used by $.arms[0]"),
        RuleCase(name: "arm without a value for a ground", change: { $0.set(["arms", 1, "signals", "origin"], nil) },
                 location: "$.arms[1].signals", message: "gives no value for the criterion ground \"origin\""),
        RuleCase(name: "arm signalling something else", change: { $0.set(["arms", 0, "signals", "age"], "25") },
                 location: "$.arms[0].signals.age", message: "is not a ground of this campaign's criterion"),
        RuleCase(name: "two arms signalling the same", change: { $0.set(["arms", 1, "signals", "origin"], "hexagonale") },
                 location: "$.arms[1].signals", message: "signals the same values as $.arms[0]"),
        RuleCase(name: "skeletons not identical", change: { $0.set(["arms", 1, "profile"], ["grade": "4e"]) },
                 location: "$.arms[1].profile.grade", message: "arms must differ only in the criterion"),
        RuleCase(name: "identity bank too small", change: { c in
                     var targets = c.value(["targets"]) as! [Any]
                     for i in 0..<5 { var t = targets[i] as! [String: Any]; t["organization"] = "Même organisation"; targets[i] = t }
                     c.set(["targets"], targets)
                 },
                 location: "$.arms[0].identities", message: "has 4 identities, needs at least 5", hint: "add 1 more identity", count: 3),
        RuleCase(name: "the same person twice", change: { $0.set(["arms", 2, "identities", 1, "firstName"], "Enzo"); $0.set(["arms", 2, "identities", 1, "lastName"], "Deschamps") },
                 location: "$.arms[2].identities[1]", message: "Enzo Deschamps is already an identity at $.arms[2].identities[0]"),
        RuleCase(name: "address missing for letters", change: { $0.set(["arms", 0, "identities", 2, "address"], nil) },
                 location: "$.arms[0].identities[2].address", message: "is missing, but applications are sent as letters"),
        RuleCase(name: "QPV flag unlike the rest of the arm", change: { $0.set(["arms", 2, "identities", 3, "address", "qpv"], false) },
                 location: "$.arms[2].identities[3].address.qpv", message: "is false, but the other identities of this arm are in a QPV"),
        RuleCase(name: "QPV flag not stated", change: { $0.set(["arms", 0, "identities", 1, "address", "qpv"], nil) },
                 location: "$.arms[0].identities[1].address.qpv", message: "must be stated (true or false)"),
        // Templates.
        RuleCase(name: "too few templates for a test", change: { $0.set(["templates", 2], nil) },
                 location: "$.templates", message: "has 2 templates for the letter channel, but a test sends 3 applications", hint: "add 1 more letter template"),
        RuleCase(name: "unknown template variable", change: { $0.set(["templates", 1, "body"], "Bonjour {{applicant.fistName}}") },
                 location: "$.templates[1].body", message: "uses the unknown variable {{applicant.fistName}}", hint: "did you mean \"applicant.firstName\"?"),
        RuleCase(name: "unclosed section", change: { $0.set(["templates", 1, "body"], "{{#profile.grade}} texte") },
                 location: "$.templates[1].body", message: "a section is opened but never closed (line 1"),
        RuleCase(name: "duplicate template id", change: { $0.set(["templates", 1, "id"], "classique") },
                 location: "$.templates[1].id", message: "template id \"classique\" is already used by $.templates[0]"),
        // Dates and design.
        RuleCase(name: "period ends before it starts", change: { $0.set(["period", "end"], "2026-09-01") },
                 location: "$.period.end", message: "2026-09-01 is before the start 2026-09-14"),
        RuleCase(name: "gap minimum above maximum", change: { $0.set(["design", "gapHours"], ["min": 12, "max": 4]) },
                 location: "$.design.gapHours.max", message: "(4 h) is smaller than the minimum gap (12 h)"),
        RuleCase(name: "working day ends before it starts", change: { $0.set(["design", "workingHours"], ["start": "18:00", "end": "08:00"]) },
                 location: "$.design.workingHours.end", message: "must be later than the start of the working day"),
        RuleCase(name: "period too short for one test", change: { $0.set(["period", "end"], "2026-09-14") },
                 location: "$.period", message: "holds 10 working hours, but one test may need 36", hint: "lengthen the period"),
        // Found by fuzzing (bench/fuzz): a mistyped year made validation count millions of days.
        RuleCase(name: "period of thousands of years", change: { $0.set(["period", "end"], "6545-10-16") },
                 location: "$.period.end", message: "is more than five years after the start", hint: "check the year"),
        RuleCase(name: "no working day in the period", change: { $0.set(["design", "workingDays"], ["sat"]); $0.set(["period", "end"], "2026-09-18") },
                 location: "$.period", message: "contains no working day"),
        // Outcomes, publication, targets.
        RuleCase(name: "threshold off the scale", change: { $0.set(["outcomes", "positiveThreshold"], "interveiw") },
                 location: "$.outcomes.positiveThreshold", message: "is not on the outcome scale", hint: "did you mean \"interview\"?"),
        RuleCase(name: "threshold at the lowest level", change: { $0.set(["outcomes", "positiveThreshold"], "no_response") },
                 location: "$.outcomes.positiveThreshold", message: "is the lowest level: every answer would count as positive"),
        RuleCase(name: "named organizations without an evidence bar", change: { $0.set(["publication", "naming"], nil) },
                 location: "$.publication.naming", message: "is required when organizations are named"),
        RuleCase(name: "primary comparison naming the reference arm", change: { $0.set(["analysis", "primary", 0], "hors-qpv-hexagonale") },
                 location: "$.analysis.primary[0]", message: "is the reference arm", hint: "list tested arms"),
        RuleCase(name: "primary comparison naming no arm", change: { $0.set(["analysis", "primary", 1], "qpv-hexagonal") },
                 location: "$.analysis.primary[1]", message: "is not a tested arm of this campaign", hint: "did you mean \"qpv-hexagonale\"?"),
        RuleCase(name: "duplicate target id", change: { $0.set(["targets", 3, "id"], "S01") },
                 location: "$.targets[3].id", message: "target id \"S01\" is already used by $.targets[0]"),
        RuleCase(name: "targets neither a list nor a file", change: { $0.set(["targets"], "targets.csv") },
                 location: "$.targets", message: "expected array or object, found string"),
    ]

    @Test("each rule reports its mistake with path, message and hint", arguments: cases)
    func rule(_ rule: RuleCase) throws {
        // Given the complete campaign with one mistake,
        var file = CampaignFile.full()
        rule.change(&file)
        // When it is validated,
        let issues = file.issues()
        // Then that mistake is reported where it is, and nothing else is.
        let matching = issues.filter { $0.location == rule.location && $0.message.contains(rule.message) }
        #expect(matching.count == 1, "expected \(rule.location): \(rule.message); got:\n\(issues.map(\.description).joined(separator: "\n"))")
        if let hint = rule.hint { #expect(matching.first?.hint?.contains(hint) == true, "hint was \(matching.first?.hint ?? "none")") }
        #expect(issues.count == rule.count, "not just the one mistake reported:\n\(issues.map(\.description).joined(separator: "\n"))")
    }

    @Test("the unchanged complete campaign is valid")
    func baseIsValid() {
        #expect(CampaignFile.full().issues().isEmpty)
    }

    @Test("a file with 20 deliberate mistakes gets all 20 reported, with their paths, in one run")
    func twentyMistakes() {
        let url = Repository.url("Tests/CampaignsTests/Fixtures/twenty-mistakes.json")
        do {
            _ = try CampaignLoader.load(url)
            Issue.record("the file was accepted")
        } catch {
            let locations = error.issues.map(\.location).sorted()
            #expect(locations == [
                "$.arms", "$.arms[0].identities[0].address.postalCode", "$.arms[0].profile.grade", "$.arms[0].signals.sex",
                "$.arms[1].identities[1]", "$.arms[1].signals", "$.arms[2].id", "$.arms[2].identities[0].address.qpv",
                "$.design.gapHours.max", "$.design.workingDays[2]", "$.design.workingHours.end", "$.domian", "$.id",
                "$.outcomes.positiveThreshold", "$.period.end", "$.publication.naming", "$.templates", "$.templates[0].subject",
                "$.templates[2].body", "$.wave",
            ])
            #expect(!error.missingInput)
        }
    }

    @Test("not JSON, or no file at all")
    func unreadable() throws {
        let folder = Repository.temporaryFolder()
        let broken = folder.appendingPathComponent("broken.json")
        try Data("{\"id\": \"x\",, }".utf8).write(to: broken)
        do { _ = try CampaignLoader.load(broken); Issue.record("accepted") } catch {
            #expect(error.issues.first?.location == "line 1, column 12")
            #expect(error.issues.first?.message == "expected a key in double quotes but found “,”")
            #expect(!error.missingInput)
        }
        do { _ = try CampaignLoader.load(folder.appendingPathComponent("missing.json")); Issue.record("accepted") } catch {
            #expect(error.missingInput)
            #expect(error.issues.first?.message.contains("cannot be read") == true)
        }
    }
}
