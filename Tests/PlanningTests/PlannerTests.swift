import Foundation
import Testing
import TestSupport
@testable import Campaigns
@testable import Planning
import Values

/// Builds planner inputs without touching the disk.
enum Fixture {
    static func loaded(_ path: String) -> LoadedCampaign {
        try! CampaignLoader.load(Repository.url(path))
    }

    static let examples = [
        "campaigns/employment-origin-lille-2026.json",
        "campaigns/housing-origin-residence-lille-2026.json",
        "campaigns/internship-residence-origin-lille-2026.json",
    ]

    /// A campaign with every channel, k = 2 applications per arm and organizations that
    /// receive several tests: the hard case for rotation and identity draws.
    static func allChannels(applicationsPerArm k: Int = 2, order: OrderPolicy = .balanced) -> LoadedCampaign {
        let base = loaded("Tests/CampaignsTests/Fixtures/full.json")
        var campaign = base.campaign
        campaign.design.applicationsPerArm = k
        campaign.design.order = order
        campaign.design.gapHours = GapHours(min: 1, max: 5)
        // Calls and visits need a tester per application of a test (3 arms × k).
        campaign.design.testers = (0..<(3 * k + 1)).map { TesterDeclaration(name: "Tester \($0)") }
        var templates: [Template] = []
        for channel in Channel.allCases {
            for v in 0..<(3 * k + 1) {
                templates.append(Template(id: "\(channel.rawValue)-\(v)", channel: channel, subject: channel == .email ? "Objet {{target.title}} & co" : nil,
                                          body: "{{applicant.fullName}} ({{applicant.email}}) écrit à {{target.organization}} : l'offre « {{target.title}} » — {{profile.grade}}, {{send.date}} {{send.time}}, {{tester}}"))
            }
        }
        campaign.templates = templates
        var targets: [Target] = []
        for i in 0..<48 {
            targets.append(Target(id: "X\(i)", organization: "Org \(i % 7)", sector: "s\(i % 3)", city: "Lille", district: nil,
                                  channel: Channel.allCases[i % 4], title: "Offre \(i)", contact: "c\(i)@example.org"))
        }
        // Enough identities: 7 tests at the busiest organization × k.
        for a in campaign.arms.indices {
            campaign.arms[a].identities = (0..<(7 * k)).map { n in
                Identity(firstName: "P\(a)-\(n)", lastName: "N\(a)", email: "p\(a)\(n)@example.org", phone: "06 00 00 00 0\(n % 10)",
                         address: Address(street: "\(n) rue X", postalCode: "59000", city: "Lille", qpv: campaign.arms[a].identities[0].address?.qpv),
                         attributes: nil)
            }
        }
        return LoadedCampaign(campaign: campaign, targets: targets, source: base.source, targetsSource: nil, url: base.url)
    }
}

@Suite("Planner")
struct PlannerTests {
    @Test("same campaign and seed: identical plan and files; another seed: another plan", arguments: Fixture.examples)
    func deterministic(path: String) throws {
        let loaded = Fixture.loaded(path)
        let one = Planner.plan(loaded, seed: 7), two = Planner.plan(loaded, seed: 7), other = Planner.plan(loaded, seed: 8)
        #expect(one == two)
        #expect(PlanWriter.csv(one) == PlanWriter.csv(two))
        #expect(PlanWriter.summary(one, campaign: loaded.campaign).rendered() == PlanWriter.summary(two, campaign: loaded.campaign).rendered())
        #expect(one.applications != other.applications)
    }

    @Test("balance holds over many seeds (examples, and k = 2 with every channel)", arguments: 0..<12)
    func balance(seedIndex: Int) throws {
        let seed = UInt64(1000 + 7919 * seedIndex)
        for loaded in Fixture.examples.map(Fixture.loaded) + [Fixture.allChannels(), Fixture.allChannels(applicationsPerArm: 1)] {
            let plan = Planner.plan(loaded, seed: seed)
            try checkBalance(plan, loaded)
        }
    }

    @Test("with the random order policy, tests still hold one application per arm and replicate")
    func randomOrder() throws {
        let loaded = Fixture.allChannels(order: .random)
        try checkBalance(Planner.plan(loaded, seed: 99), loaded, orderBalanced: false)
    }

    func checkBalance(_ plan: TestPlan, _ loaded: LoadedCampaign, orderBalanced: Bool = true) throws {
        let campaign = loaded.campaign, k = campaign.design.applicationsPerArm
        let label = "\(campaign.id) seed \(plan.seed)"
        #expect(plan.tests.count == loaded.targets.count, "\(label)")
        var first: [String: Int] = [:], testers: [String: Int] = [:]
        var templateUse: [String: [String: Int]] = [:]
        var usedAt: Set<String> = []
        let clock = WorkingClock(campaign: campaign)
        let workingDays = Set(campaign.design.workingDays.map(\.index))
        for test in plan.tests {
            // One application per arm and replicate.
            let slots = test.applications.map { "\($0.arm)#\($0.replicate)" }
            #expect(Set(slots).count == campaign.arms.count * k && slots.count == campaign.arms.count * k, "\(label) \(test.id)")
            // No two applications of a test share a template.
            #expect(Set(test.applications.map(\.template)).count == test.applications.count, "\(label) \(test.id) shares a template")
            first[test.applications[0].arm, default: 0] += 1
            if test.target.channel.isSpoken {
                // Calls and visits: a different tester for each application, one who plays its arm.
                #expect(Set(test.applications.map(\.tester)).count == test.applications.count, "\(label) \(test.id): a tester plays two profiles")
                for a in test.applications {
                    #expect(campaign.design.testers.first { $0.name == a.tester }?.plays(a.arm) == true, "\(label) \(a.id)")
                }
            } else {
                testers[test.tester, default: 0] += 1
                #expect(test.applications.allSatisfy { $0.tester == test.tester })
            }
            for (position, a) in test.applications.enumerated() {
                #expect(a.sendOrder == position + 1)
                #expect(campaign.templates.first { $0.id == a.template }?.channel == test.target.channel)
                templateUse[a.arm, default: [:]][a.template, default: 0] += 1
                // An identity is never reused at one organization.
                let key = "\(a.arm)|\(a.organization)|\(a.identity.firstName) \(a.identity.lastName)"
                #expect(!usedAt.contains(key), "\(label): \(key) reused")
                usedAt.insert(key)
                // Inside the period, on a working day, inside working hours.
                #expect(a.sendAt.date >= CalendarDate(campaign.period.start)! && a.sendAt.date <= CalendarDate(campaign.period.end)!)
                #expect(workingDays.contains(a.sendAt.date.weekdayIndex))
                #expect(a.sendAt.minute >= clock.start && a.sendAt.minute < clock.end)
            }
            // Gaps between consecutive sends, in working time, within [min, max] (to the minute).
            let offsets = test.applications.map { app in
                clock.days.firstIndex(of: app.sendAt.date)! * clock.minutesPerDay + app.sendAt.minute - clock.start
            }
            for (earlier, later) in zip(offsets, offsets.dropFirst()) {
                let gap = Double(later - earlier) / 60
                #expect(gap >= campaign.design.gapHours.min - 1.0 / 60 && gap <= campaign.design.gapHours.max + 1.0 / 60, "\(label) \(test.id) gap \(gap)")
            }
        }
        func spread(_ counts: some Collection<Int>) -> Int { (counts.max() ?? 0) - (counts.min() ?? 0) }
        if orderBalanced {
            let firsts = campaign.arms.map { first[$0.id] ?? 0 }
            #expect(spread(firsts) <= 1, "\(label): first in send order \(firsts)")
        }
        #expect(spread(campaign.design.testerNames.map { testers[$0] ?? 0 }) <= 1, "\(label): testers \(testers)")
        // Each arm uses each template of a channel equally often (±1).
        for channel in Set(loaded.targets.map(\.channel)) {
            let ids = campaign.templates.filter { $0.channel == channel }.map(\.id)
            for arm in campaign.arms {
                let counts = ids.map { templateUse[arm.id]?[$0] ?? 0 }
                #expect(spread(counts) <= 1, "\(label): arm \(arm.id), \(channel) templates \(counts)")
            }
        }
    }

    @Test("documents are filled for every channel, as plain text")
    func rendering() throws {
        let loaded = Fixture.allChannels()
        let plan = Planner.plan(loaded, seed: 3)
        for channel in Channel.allCases {
            let application = try #require(plan.applications.first { $0.channel == channel })
            let test = try #require(plan.tests.first { $0.id == application.testID })
            let body = application.document.body
            #expect(body.hasPrefix("\(application.identity.firstName) \(application.identity.lastName) (\(application.identity.email!))"))
            #expect(body.contains("écrit à \(test.target.organization) : l'offre « \(test.target.title!) » — 3e"), "\(body)")
            #expect(body.contains(application.tester))
            // Plain text: apostrophes and ampersands are not HTML-escaped.
            #expect(!body.contains("&#39;") && !body.contains("&amp;"))
            let date = application.sendAt.date
            #expect(body.contains(String(format: "%02d/%02d/%d", date.day, date.month, date.year)))
            if channel == .email {
                #expect(application.document.subject == "Objet \(test.target.title!) & co")
            } else {
                #expect(application.document.subject == nil)
            }
            let file = PlanWriter.document(application, plan: plan, target: test.target)
            #expect(file.hasPrefix("FICTITIOUS TARGET"))
            #expect(file.contains("Channel: \(channel.rawValue)"))
        }
    }

    /// Documents are rendered after every choice is drawn, runs of 256 applications on
    /// every core: each must still be its own application's, in its place.
    @Test("documents rendered side by side: each is its own application's, as rendered alone")
    func renderedSideBySide() throws {
        let loaded = Fixture.allChannels()
        let plan = Planner.plan(loaded, seed: 11)
        let campaign = loaded.campaign
        #expect(plan.applications.count > 256)
        let renderer = DocumentRenderer(campaign: campaign)
        for test in plan.tests {
            for application in test.applications {
                let template = try #require(campaign.templates.first { $0.id == application.template })
                let arm = try #require(campaign.arms.first { $0.id == application.arm })
                let alone = renderer.render(template, arm: arm, identity: application.identity, target: test.target,
                                            sendAt: application.sendAt, tester: application.tester)
                #expect(application.document == alone, "\(application.id)")
            }
        }
        #expect(Set(plan.applications.map(\.document.body)).count == plan.applications.count)
    }
}

@Suite("Plan writer")
struct PlanWriterTests {
    @Test("writes plan.csv, plan.json and one document per application; rewriting is identical")
    func writes() throws {
        let loaded = Fixture.loaded("campaigns/internship-residence-origin-lille-2026.json")
        let plan = Planner.plan(loaded, seed: 20260914)
        let folder = Repository.temporaryFolder("plan").appendingPathComponent("out")
        try PlanWriter.write(plan, campaign: loaded.campaign, to: folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("plan.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + plan.applications.count)
        #expect(csv.hasPrefix(PlanWriter.columns.joined(separator: ",")))
        let documents = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("documents").path)
        #expect(documents.count == plan.applications.count)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("plan.json"))) as! [String: Any]
        #expect(summary["seed"] as? Int == 20260914)
        #expect((summary["campaignHash"] as? String)?.hasPrefix("sha256:") == true)
        // Same again: byte-identical.
        let before = try Data(contentsOf: folder.appendingPathComponent("plan.json"))
        try PlanWriter.write(plan, campaign: loaded.campaign, to: folder)
        #expect(try Data(contentsOf: folder.appendingPathComponent("plan.json")) == before)
        #expect(try String(contentsOf: folder.appendingPathComponent("plan.csv"), encoding: .utf8) == csv)
    }

    @Test("a destination that cannot be created is an error, and nothing is left behind")
    func unwritable() throws {
        let loaded = Fixture.loaded("campaigns/internship-residence-origin-lille-2026.json")
        let plan = Planner.plan(loaded, seed: 1)
        let folder = Repository.temporaryFolder("plan")
        let blocker = folder.appendingPathComponent("file")
        try Data("not a folder".utf8).write(to: blocker)
        #expect(throws: PlanWriter.WriteError.self) {
            try PlanWriter.write(plan, campaign: loaded.campaign, to: blocker.appendingPathComponent("out"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["file"])
    }
}

@Suite("Working-time clock")
struct WorkingClockTests {
    @Test("calendar dates round-trip, and weekdays are right")
    func dates() {
        let date = CalendarDate("2026-03-02")!
        #expect(date.weekdayIndex == 0, "2 March 2026 is a Monday")
        #expect(CalendarDate(dayNumber: date.dayNumber) == date)
        #expect(CalendarDate("2024-02-29") != nil && CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
    }
}
