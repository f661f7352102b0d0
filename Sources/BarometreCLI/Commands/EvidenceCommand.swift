import ArgumentParser
import Barometer
import Foundation
import Ledger
import Reports

/// `barometre evidence`: an organization's evidence file, and its response (issue #20).
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Write an organization's evidence file (staff only), or record its response.",
        discussion: """
            Before anyone is named, the organization gets its evidence file and may respond \
            (the adversarial review the HALDE practised before naming in 2008). The file holds \
            every test sent to it: the offer, the dates, the channel, the profiles and \
            identities sent, the answer in force and every answer recorded (corrections are \
            added, never replacing anything), then its statistics: the paired table, the mid-p \
            test and its q-value, and its place in the report card (estimate, posterior, \
            Condorcet rank, grade). It names the organization: staff only.

            Write the file (HTML and PDF; --format html for HTML alone):
              barometre evidence --campaign logement-agences-lille-2026 --organization O-7KQ2MX
              barometre evidence --campaign ID --organization "Agence fictive 07" --out dossiers/
            Record the organization's response (append-only; a later response is added beside \
            the earlier ones):
              barometre evidence --respond --campaign ID --organization O-7KQ2MX \\
                  --response-file reponse.txt --received 2026-12-04 --by "Service égalité"
            The public report says, beside a named organization, when its response is on file.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case both, html, pdf }

    @Option(help: ArgumentHelp("The campaign.", valueName: "id"))
    var campaign: String

    @Option(help: ArgumentHelp("The organization: its pseudonym (O-…, as the staff report prints it) or its name.", valueName: "pseudonym|name"))
    var organization: String

    @Option(help: ArgumentHelp("Folder to write the file in (default results/<campaign>/evidence).", valueName: "dir"))
    var out: String?

    @Option(help: "Formats to write: both (HTML and PDF), html or pdf.")
    var format: Format = .both

    @Option(help: "Language of the file: fr or en.", transform: parseLanguage)
    var lang: Language = .fr

    @Option(help: ArgumentHelp("The date printed on the file (default: today).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Flag(help: "Record the organization's response instead of writing its file.")
    var respond = false

    @Option(help: ArgumentHelp("With --respond: a text file holding the organization's response.", valueName: "file"))
    var responseFile: String?

    @Option(help: ArgumentHelp("With --respond: the day the response arrived.", valueName: "YYYY-MM-DD"))
    var received: String?

    @Option(help: ArgumentHelp("With --respond: who records it.", valueName: "name"))
    var by: String?

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        if respond {
            guard responseFile != nil, received != nil, by != nil else {
                throw ValidationError("--respond needs --response-file FILE (the response's text), --received YYYY-MM-DD and --by NAME.")
            }
            if out != nil { throw ValidationError("--out is where the file is written; --respond writes nothing but the ledger: drop --out.") }
        } else if responseFile != nil || received != nil || by != nil {
            throw ValidationError("--response-file, --received and --by go with --respond (recording a response).")
        }
    }

    func run() async throws {
        let store = try (respond ? ledger.open() : ledger.openForReading())
        let name: String, pseudonym: String
        do {
            let source = try store.source(campaign)
            guard source.kind == .campaign else {
                printError("error: \(campaign) is an imported study: an evidence file lists the tests a campaign sent (plan, identities, answers)\n  hint: evidence files are for campaigns planned with barometre plan")
                throw SysExit.dataError
            }
            let names = try store.applicationColumns(campaign: campaign).organizations.sorted()
            let labels = try store.pseudonyms(for: names)
            if let index = names.firstIndex(of: organization) {
                (name, pseudonym) = (names[index], labels[index])
            } else if let index = labels.firstIndex(of: organization) {
                (name, pseudonym) = (names[index], labels[index])
            } else {
                printError("error: \(campaign) tested no organization \"\(organization)\" (neither a name nor a pseudonym of this campaign)\n"
                           + "  hint: copy the pseudonym from the staff report (O- and six letters or digits), or list them: barometre pseudonym --list --campaign \(campaign)")
                throw SysExit.dataError
            }
        } catch let error as LedgerError {
            throw report(error)
        }
        if respond { return try record(store, name: name, pseudonym: pseudonym) }
        try write(store, name: name, pseudonym: pseudonym)
    }

    func record(_ store: Ledger, name: String, pseudonym: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: responseFile!, encoding: .utf8)
        } catch {
            printError("error: cannot read the response file \(responseFile!): \((error as NSError).localizedDescription)\n  hint: give a UTF-8 text file holding the organization's response")
            throw SysExit.noInput
        }
        do {
            let response = try store.recordResponse(campaign: campaign, organization: name, receivedOn: received!, response: text, by: by!)
            print("recorded the response of \(pseudonym) received on \(response.receivedOn) (response \(response.id), append-only)")
        } catch {
            throw report(error)
        }
    }

    func write(_ store: Ledger, name: String, pseudonym: String) throws {
        let loaded = try AnalysisLoader.load(ledger: ledger, campaign: campaign, study: nil, by: [], level: nil, seed: 1, allPairs: false)
        let assignments: [Assignment], events: [OutcomeEvent], responses: [OrganizationResponse]
        do {
            assignments = try store.assignments(campaign: campaign, organization: name)
            events = try store.events(campaign: campaign)
            responses = try store.responses(campaign: campaign, organization: name)
        } catch {
            throw report(error)
        }
        var context = ReportContext.describing(campaign: loaded.campaign, studyTitle: loaded.source.title, studyLabels: loaded.source.labels,
                                               language: lang, date: date ?? ReportCommand.today(), audience: .staff,
                                               sentFrom: loaded.sendPeriod?.first, sentTo: loaded.sendPeriod?.last)
        context.responsesOnFile = responses.isEmpty ? [] : [name]
        let byApplication = Dictionary(grouping: events, by: \.application)
        var tests: [EvidenceFile.TestRecord] = []
        for (code, group) in Dictionary(grouping: assignments, by: \.test).sorted(by: { $0.key < $1.key }) {
            let first = group[0]
            let place = [first.listing.district, first.listing.city].compactMap { $0 }.joined(separator: ", ")
            tests.append(EvidenceFile.TestRecord(
                code: code, offer: first.listing.title ?? first.target, place: place.isEmpty ? nil : place,
                applications: group.map { a in
                    EvidenceFile.Application(
                        code: a.application, profile: context.label(a.arm), identity: a.identity, tester: a.tester.isEmpty ? nil : a.tester,
                        channel: a.channel, sentAt: a.sendAt.map { $0.replacingOccurrences(of: "T", with: " ") }, answer: a.current?.level,
                        events: (byApplication[a.application] ?? []).map { e in
                            EvidenceFile.Event(answer: e.level, observedAt: e.observedAt, recordedAt: e.recordedAt, recordedBy: e.recordedBy,
                                               source: e.source, note: e.note, corrected: e.supersededBy != nil)
                        })
                }))
        }
        let file = EvidenceFile(organization: name, pseudonym: pseudonym, campaignID: campaign, context: context, findings: loaded.findings, tests: tests,
                                responses: responses.map { EvidenceFile.Response(receivedOn: $0.receivedOn, recordedAt: $0.recordedAt, recordedBy: $0.recordedBy, text: $0.response) },
                                language: lang)
        let folder = out ?? "results/\(campaign)/evidence"
        let base = (folder as NSString).appendingPathComponent("evidence-\(pseudonym).\(lang.rawValue)")
        let html = file.html()
        // Both files are rendered before either is written: a PDF engine that is missing
        // leaves nothing half-written.
        var outputs: [(String, Data)] = []
        if format != .pdf { outputs.append((base + ".html", Data(html.utf8))) }
        if format != .html {
            do { outputs.append((base + ".pdf", try PDFRenderer.render(html: html))) } catch {
                printError("error: \(error)\n  hint: install weasyprint or chromium (make deps does), or write --format html and print it")
                throw ExitCode(69)
            }
        }
        for (path, data) in outputs {
            try writeAtomically(data, to: path)
            print("wrote \(path) (evidence file of \(pseudonym), \(tests.count) tests; names the organization: staff only)"
                  + (loaded.findings.request.simulated ? " (SIMULATED DATA, watermarked)" : ""))
        }
    }
}
