import ArgumentParser
import Campaigns
import Foundation
import Ledger
import Planning
import Reports
import Stats

/// `barometre preregister`: the pre-analysis plan, written from the campaign and registered.
struct PreregisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preregister",
        abstract: "Write a campaign's pre-analysis plan (Markdown and PDF), fingerprint it and register it in the ledger.",
        discussion: """
            The plan is written from the campaign file alone: the hypotheses (the primary \
            family, analysis.primary), the outcome and its threshold, the planned number of \
            tests and the power at that size, the tests, intervals and adjustment, the \
            exploratory analyses (slices, organizations, checks), exclusions, the stopping rule \
            and the publication policy.

            Power: with --scenario FILE (the format of `barometre simulate`), for the splits the \
            scenario implies for each primary comparison; without it, for three stated \
            assumptions (net differences of 5 and 10 points), so that the reader sees what the \
            planned size can detect.

            The fingerprint is the SHA-256 of the campaign as canonical JSON (and its targets \
            CSV) and of the plan's text: the same design always gives the same fingerprint; a \
            changed design gives another. The registration is append-only, with its date and \
            who made it. Registering after the first answer is allowed and stated as late. \
            Reports (methods annex) and `analyze --format json` then state the registration \
            and list every deviation: amendments made after it, primary comparisons changed, \
            analyses the plan did not announce.

            Writes PLAN into --out (default results/<campaign id>/): preregistration.<lang>.md \
            and .pdf. Nothing is registered or written if the campaign is not valid or the PDF \
            cannot be made.
            """
    )

    @Argument(help: ArgumentHelp("The campaign file.", valueName: "campaign.json"))
    var file: String

    @Option(help: ArgumentHelp("Who registers the plan (recorded).", valueName: "name"))
    var by: String

    @Option(help: "Language of the plan: fr or en.", transform: parseLanguage)
    var lang: Language = .fr

    @Option(help: ArgumentHelp("A scenario file (as for `simulate`) whose splits the power is computed for.", valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("Output folder (default results/<campaign id>/).", valueName: "dir"))
    var out: String?

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let loaded = try loadCampaign(file, or: "not registered")
        let campaign = loaded.campaign
        let tests = loaded.targets.count
        let primary = campaign.analysis?.primary ?? campaign.testedArms.map(\.id)
        let alpha = 0.05, level = alpha / Double(primary.count)
        var rows: [PreregistrationPlan.PowerRow] = []
        let source: String
        if let scenario {
            let parsed: Scenario
            do {
                parsed = try Scenario.parse(try readInput(scenario), file: scenario, arms: campaign.arms.map(\.id), scale: campaign.scale)
            } catch let error as CampaignValidationError {
                for issue in error.issues { printError("error: " + issue.rendered) }
                throw SysExit.dataError
            }
            let threshold = campaign.scale.firstIndex(of: campaign.positiveThreshold)!
            let pR = DesignPower.positiveProbability(parsed, arm: campaign.referenceArm.id, threshold: threshold)
            for arm in primary {
                let pT = DesignPower.positiveProbability(parsed, arm: arm, threshold: threshold)
                let rho = parsed.withinTestCorrelation
                let p11 = rho * min(pR, pT) + (1 - rho) * pR * pT
                rows.append(try powerRow(p10: pR - p11, p01: pT - p11, tests: tests, level: level))
            }
            source = lang == .fr ? "pour les écarts du scénario \(URL(fileURLWithPath: scenario).lastPathComponent) (un par comparaison principale)"
                                 : "for the splits of scenario \(URL(fileURLWithPath: scenario).lastPathComponent) (one per primary comparison)"
        } else {
            for (p10, p01) in [(0.10, 0.05), (0.15, 0.10), (0.15, 0.05)] { rows.append(try powerRow(p10: p10, p01: p01, tests: tests, level: level)) }
            source = lang == .fr ? "pour des hypothèses énoncées ici (p₁₀ : seul le profil de référence a une réponse positive ; p₀₁ : seul le profil testé)"
                                 : "for assumptions stated here (p₁₀: only the reference profile gets a positive answer; p₀₁: only the tested profile does)"
        }
        let plan = PreregistrationPlan(campaign: campaign, tests: tests, language: lang, power: rows, powerSource: source, alpha: alpha)
        let markdown = plan.markdown
        let fingerprint = Ledger.fingerprint(definition: loaded.source, targets: loaded.targetsSource, plan: markdown)
        // An existing ledger is read now; a new one is created only when the plan is registered.
        let existing = FileManager.default.fileExists(atPath: ledger.resolvedPath) ? try ledger.open() : nil
        func registrationLine(at: String, by who: String, fingerprint: String, answers: Int) -> String {
            lang == .fr
                ? "Plan d'analyse enregistré le \(at.prefix(10)) par \(who) ; empreinte \(fingerprint)." + (answers > 0 ? " Enregistrement tardif : \(answers) réponse(s) déjà enregistrée(s)." : "")
                : "Analysis plan registered on \(at.prefix(10)) by \(who); fingerprint \(fingerprint)." + (answers > 0 ? " Late registration: \(answers) answer(s) already recorded." : "")
        }
        // Everything that can fail comes before the registration: the name, the PDF, the
        // files. A failure registers nothing and leaves no file behind.
        guard !by.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("Say who registers the plan with --by NAME (it is recorded).")
        }
        let now = Date()
        let earlier: Preregistration?
        do { earlier = try existing?.preregistration(campaign: campaign.id, fingerprint: fingerprint) } catch { throw report(error) }
        let answersNow = (try? existing?.events(campaign: campaign.id).count) ?? 0
        let line = earlier.map { registrationLine(at: $0.registeredAt, by: $0.registeredBy, fingerprint: $0.fingerprint, answers: $0.answersBefore) }
            ?? registrationLine(at: Timestamp.utc(now), by: by, fingerprint: fingerprint, answers: answersNow)
        let pdf: Data
        do { pdf = try PDFRenderer.render(html: plan.html(registration: line)) } catch {
            printError("error: \(error)\n  hint: install weasyprint or chromium (make deps does); nothing was registered or written")
            throw ExitCode(69)
        }
        let directory = URL(fileURLWithPath: out ?? "results/\(campaign.id)")
        let files = [(directory.appendingPathComponent("preregistration.\(lang.rawValue).md").path, Data((markdown + "\n" + line + "\n").utf8)),
                     (directory.appendingPathComponent("preregistration.\(lang.rawValue).pdf").path, pdf)]
        var written: [String] = []
        func removeWritten() { for path in written { try? FileManager.default.removeItem(atPath: path) } }
        do {
            for (path, data) in files {
                try writeAtomically(data, to: path)
                written.append(path)
            }
        } catch {
            removeWritten()
            throw error
        }
        let registered: (registration: Preregistration, created: Bool)
        let store: Ledger
        do { store = try existing ?? ledger.open(create: true) } catch {
            removeWritten()
            throw error
        }
        do {
            registered = try store.preregister(campaign: campaign.id, fingerprint: fingerprint, language: lang.rawValue, plan: markdown,
                                               primaryArms: primary, slices: campaign.analysis?.slices ?? [], by: by, now: now)
        } catch {
            removeWritten()
            throw report(error)
        }
        let r = registered.registration
        print(registered.created ? "Registered the analysis plan of \(campaign.id) in \(store.path):" : "This plan was registered before (same fingerprint); nothing new registered:")
        print("  \(r.registeredAt) by \(r.registeredBy), fingerprint \(r.fingerprint)" + (r.late ? " — LATE: \(r.answersBefore) answers were already recorded" : ""))
        print("  \(directory.relativePath)/preregistration.\(lang.rawValue).md and .pdf")
    }

    func powerRow(p10: Double, p01: Double, tests: Int, level: Double) throws -> PreregistrationPlan.PowerRow {
        do {
            return PreregistrationPlan.PowerRow(p10: p10, p01: p01, power: try PairedPower.midPPower(pairs: tests, p10: p10, p01: p01, alpha: level),
                                                testsNeeded: p10 == p01 ? nil : try PairedPower.pairsNeeded(p10: p10, p01: p01, alpha: level))
        } catch { throw report(error) }
    }
}
