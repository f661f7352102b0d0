import Campaigns
import Crypto
import Foundation
import Stats
import Values

/// Draws a campaign's test plan (METHODS.md §5, "Randomization"; Lahey & Beasley 2009).
///
/// For every target, one test, whose applications are drawn as follows, every random
/// choice coming from one seeded GSL mt19937 generator in a fixed order:
/// 1. **Testers**: tests are shuffled and dealt to the testers in turn (counts differ by ≤ 1).
///    Calls and visits (issue #14): the tester's voice and appearance are part of the
///    signal, so each application of such a test goes to a *different* tester who can play
///    its arm (paired testing, as in the ILO/ISM-Corum and HUD studies); see
///    ``TesterPairing``. Written channels keep one tester per test.
/// 2. **Send order**: with the `balanced` policy, tests are shuffled and the first arm is
///    dealt in turn (each arm first equally often: in half of the tests with two arms), the
///    other applications following in random order; with `random`, a plain shuffle.
/// 3. **Templates** (Latin-square rotation): per channel, the templates are put in random
///    order and the tests shuffled; the application slot j (arm a, replicate r: j = a·k + r)
///    of the q-th test takes template (j + q·k) mod T. No two applications of a test share
///    a template, and each arm uses each template equally often (counts differ by ≤ 1).
/// 4. **Identities**: drawn from the arm's bank among those not yet used at the target's
///    organization, and among them the least used so far (ties broken at random).
/// 5. **Send times**: the gaps between consecutive applications are drawn uniformly in
///    [min, max] hours of working time, and the test's first send uniformly over the
///    working time of the period in which the whole test fits.
///
/// Same campaign file + seed ⇒ the same plan, byte for byte.
///
/// ## References
/// - Lahey JN, Beasley RA (2009). Computerizing audit studies. J Econ Behav Organ 70:508–514.
///   doi:10.1016/j.jebo.2008.02.009
/// - Phillips DC (2019). Do comparisons of fictional applicants measure discrimination when
///   search externalities are present? Econ J 129:2240–2264. doi:10.1111/ecoj.12628
public enum Planner {
    public static func plan(_ loaded: LoadedCampaign, seed: UInt64) -> TestPlan {
        let campaign = loaded.campaign, design = campaign.design, targets = loaded.targets
        let generator = SeededGenerator(seed: seed)
        let arms = campaign.arms
        let k = design.applicationsPerArm
        let slotsPerTest = arms.count * k

        // 1. Testers (written channels; calls and visits get one tester per application, 3b).
        let testerOrder = shuffled(targets.indices.filter { !targets[$0].channel.isSpoken }, generator)
        var tester = [Int: String]()
        for (position, test) in testerOrder.enumerated() { tester[test] = design.testers[position % design.testers.count].name }

        // 2. Send order: a permutation of the slots (arm index a, replicate r) per test.
        var order = [Int: [Int]]()
        let firstOrder = shuffled(Array(targets.indices), generator)
        for (position, test) in firstOrder.enumerated() {
            var slots = Array(0..<slotsPerTest)
            switch design.order {
            case .random:
                order[test] = shuffled(slots, generator)
            case .balanced:
                let firstArm = position % arms.count
                let firstSlot = firstArm * k + generator.integer(below: k)
                slots.removeAll { $0 == firstSlot }
                order[test] = [firstSlot] + shuffled(slots, generator)
            }
        }

        // 3. Templates, per channel.
        var templateOf = [Int: [String]]()  // test → template id per slot
        for channel in Channel.allCases {
            let tests = targets.indices.filter { targets[$0].channel == channel }
            guard !tests.isEmpty else { continue }
            let templates = shuffled(campaign.templates.filter { $0.channel == channel }.map(\.id), generator)
            for (q, test) in shuffled(tests, generator).enumerated() {
                templateOf[test] = (0..<slotsPerTest).map { templates[($0 + q * k) % templates.count] }
            }
        }

        // 3b. Calls and visits: one tester per application (drawn after everything else so
        // that a written campaign's plan is what it always was).
        let spoken = targets.indices.filter { targets[$0].channel.isSpoken }
        var spokenTesters = [Int: [String]]()  // test → tester per slot
        if !spoken.isEmpty {
            let pairing = TesterPairing(testers: design.testers, slotArms: (0..<slotsPerTest).map { arms[$0 / k].id })
            let assigned = pairing.assign(spoken.map { (targets[$0].organization, order[$0]![0]) },
                                          order: shuffled(Array(spoken.indices), generator), generator: generator)
            for (position, test) in spoken.enumerated() { spokenTesters[test] = assigned[position] }
        }

        // 4 and 5, test by test in target order: identities and send times.
        var usedAt = [String: Set<Int>]()          // "arm|organization" → identity indices
        var usage = arms.map { [Int](repeating: 0, count: $0.identities.count) }
        let clock = WorkingClock(campaign: campaign)
        // Every random choice first, test after test; the documents after (``renderAll``).
        var drafts: [(testID: String, applications: [ApplicationDraft])] = []
        drafts.reserveCapacity(targets.count)
        for (index, target) in targets.enumerated() {
            let testID = "T" + String(repeating: "0", count: max(0, 4 - String(index + 1).count)) + String(index + 1)
            var identities = [Int: Int]()  // slot → identity index
            for slot in 0..<slotsPerTest {
                let a = slot / k
                let key = "\(arms[a].id)|\(target.organization)"
                let free = arms[a].identities.indices.filter { !(usedAt[key]?.contains($0) ?? false) }
                let least = free.map { usage[a][$0] }.min()!
                let candidates = free.filter { usage[a][$0] == least }
                let choice = candidates[generator.integer(below: candidates.count)]
                identities[slot] = choice
                usedAt[key, default: []].insert(choice)
                usage[a][choice] += 1
            }
            let gaps = (0..<(slotsPerTest - 1)).map { _ in
                design.gapHours.min + (design.gapHours.max - design.gapHours.min) * generator.uniform()
            }
            let offsets = clock.offsets(gapsInHours: gaps, uniform: generator.uniform())
            let sequence = order[index]!
            var applications: [ApplicationDraft] = []
            for (position, slot) in sequence.enumerated() {
                let arm = arms[slot / k]
                applications.append(ApplicationDraft(
                    target: target, arm: arm, slot: slot, position: position, identity: arm.identities[identities[slot]!],
                    template: campaign.templates.first { $0.id == templateOf[index]![slot] }!,
                    sendAt: clock.time(atOffset: offsets[position]), tester: spokenTesters[index]?[slot] ?? tester[index]!))
            }
            drafts.append((testID, applications))
        }
        let documents = renderAll(drafts.flatMap(\.applications), with: DocumentRenderer(campaign: campaign))
        var tests: [PlannedTest] = []
        var next = 0
        for (target, (testID, drafted)) in zip(targets, drafts) {
            let applications = drafted.map { d in
                defer { next += 1 }
                return PlannedApplication(
                    id: "\(testID)-\(d.position + 1)", testID: testID, targetID: target.id, organization: target.organization,
                    arm: d.arm.id, replicate: d.slot % k + 1, sendOrder: d.position + 1, identity: d.identity,
                    template: d.template.id, channel: target.channel, sendAt: d.sendAt, tester: d.tester, document: documents[next])
            }
            tests.append(PlannedTest(id: testID, target: target, tester: applications[0].tester, applications: applications))
        }
        return TestPlan(campaignID: campaign.id, seed: seed, campaignHash: hash(loaded), fictitious: campaign.fictitious, tests: tests)
    }

    /// An application with every choice drawn, its document not yet rendered.
    struct ApplicationDraft: Sendable {
        let target: Target, arm: Arm, slot: Int, position: Int
        let identity: Identity, template: Template, sendAt: SendTime, tester: String
    }

    /// Each application's document, in order. A document depends only on its own
    /// application, and rendering is most of a large plan's time (the templates' variables
    /// are looked up through dynamic casts): runs of applications are rendered on every
    /// core; a small plan is one run, rendered here.
    static func renderAll(_ drafts: [ApplicationDraft], with renderer: DocumentRenderer) -> [RenderedDocument] {
        let run = 256
        var documents = [RenderedDocument?](repeating: nil, count: drafts.count)
        documents.withUnsafeMutableBufferPointer { out in
            let base = UncheckedSendable(out.baseAddress)
            DispatchQueue.concurrentPerform(iterations: (drafts.count + run - 1) / run) { r in
                for i in (r * run)..<min(drafts.count, (r + 1) * run) {
                    let d = drafts[i]
                    base.value![i] = renderer.render(d.template, arm: d.arm, identity: d.identity, target: d.target,
                                                     sendAt: d.sendAt, tester: d.tester)
                }
            }
        }
        return documents.map { $0! }
    }

    /// `sha256:` + hex digest of the campaign file, followed by the targets CSV if any.
    public static func hash(_ loaded: LoadedCampaign) -> String {
        hash(definition: loaded.source, targets: loaded.targetsSource)
    }

    /// The same digest from the campaign file's bytes and the targets CSV's.
    public static func hash(definition: Data, targets: Data?) -> String {
        var hasher = SHA256()
        hasher.update(data: definition)
        if let targets { hasher.update(data: targets) }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func shuffled<T>(_ array: [T], _ generator: SeededGenerator) -> [T] {
        var copy = array
        generator.shuffle(&copy)
        return copy
    }
}

/// Maps offsets in working time (minutes counted only inside working days and hours) to
/// calendar times, over the campaign's period.
struct WorkingClock {
    let days: [CalendarDate]
    let start: Int, end: Int

    init(campaign: Campaign) {
        let first = CalendarDate(campaign.period.start)!, last = CalendarDate(campaign.period.end)!
        let working = Set(campaign.design.workingDays.map(\.index))
        days = (first.dayNumber...last.dayNumber).map(CalendarDate.init(dayNumber:)).filter { working.contains($0.weekdayIndex) }
        start = campaign.design.workingHours.startMinutes
        end = campaign.design.workingHours.endMinutes
    }

    var minutesPerDay: Int { end - start }
    var total: Int { days.count * minutesPerDay }

    /// Offsets (whole minutes) of a test's sends: the first uniformly placed so that the
    /// whole test fits in the period, the next ones `gapsInHours` later.
    func offsets(gapsInHours gaps: [Double], uniform: Double) -> [Int] {
        let steps = gaps.map { Int(($0 * 60).rounded()) }
        let span = steps.reduce(0, +)
        let room = max(0, total - 1 - span)
        var offset = Int((Double(room + 1) * uniform).rounded(.down))
        var offsets = [offset]
        for step in steps {
            offset += step
            offsets.append(offset)
        }
        return offsets
    }

    func time(atOffset offset: Int) -> SendTime {
        let clamped = min(max(0, offset), total - 1)
        return SendTime(date: days[clamped / minutesPerDay], minute: start + clamped % minutesPerDay)
    }
}
