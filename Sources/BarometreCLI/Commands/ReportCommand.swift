import ArgumentParser
import Campaigns
import Foundation
import Reports

/// `barometre report`: the barometer report for elected officials.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the barometer report (HTML, PDF, Markdown or JSON; French or English).",
        discussion: """
            Page 1 is « L'essentiel »: one sentence over the primary comparisons, the barometer \
            chart (a row per domain × criterion × tested profile: how much less often the \
            tested group got a positive answer, with its interval and its verdict in words), \
            the established findings, and a definitions box (what counted as a positive answer, \
            when the tests were sent, where, how many, what testing measures, and where to turn: \
            antidiscriminations.fr, 39 28). --summary writes that page alone.

            Then each campaign's page: one plain sentence per primary comparison ("no \
            difference detected with N tests", never "no discrimination", when the gap is not \
            established after adjustment), the barometer table and the charts. Then the \
            exploratory results (slices, other comparisons: Benjamini–Hochberg, never a \
            headline), organizations, data quality and the methods annex.

            --audience public (default; what --publish shows): no pseudonymous organization \
            row, small cells suppressed everywhere. --audience staff: every organization under \
            its keyed pseudonym (`barometre pseudonym` maps one back); not for distribution.
            Simulated data is marked in the title, a banner and the margins of every page.

            HTML is one self-contained file (inline CSS and SVG). PDF is rendered from the same \
            HTML by WeasyPrint, or headless Chromium when WeasyPrint is missing (`make deps` \
            installs them). The default output is results/<id>/report.<lang>.<format>.

            With --publish, the HTML report is also stored in the ledger, where `barometre \
            serve` shows it to officials and staff (the newest publication of each id and \
            language is the one shown; earlier ones are kept).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, pdf, md, json }

    @Option(help: ArgumentHelp("The campaign to report on.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("The imported study to report on.", valueName: "id"))
    var study: String?

    @Option(help: ArgumentHelp("A barometer file: several campaigns and studies across domains, criteria and waves.", valueName: "file"))
    var barometer: String?

    @Option(help: "Output format.")
    var format: Format = .html

    @Option(help: "Language of the report: fr or en.", transform: parseLanguage)
    var lang: Language = .fr

    @Option(help: ArgumentHelp("Output file (default results/<id>/report.<lang>.<format>).", valueName: "path"))
    var out: String?

    @Option(help: ArgumentHelp("The date printed on the report (default: today).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("Who the report is for: public (officials, the web app: no pseudonymous organization row) or staff (every organization under its pseudonym; not for distribution).", valueName: "public|staff"))
    var audience: Audience = .public

    @Option(help: ArgumentHelp("A tested arm whose comparison with the reference is primary (repeatable; default: the campaign's analysis.primary, else every tested arm). Only primary comparisons make headlines.", valueName: "arm"))
    var primary: [String] = []

    @Option(help: ArgumentHelp("A label for people for an arm code, e.g. --label \"Woman.S=Femme, origine sénégalaise\" (repeatable; a barometer file's entry has \"labels\").", valueName: "CODE=TEXT"))
    var label: [String] = []

    @OptionGroup var grading: GradingOptions

    @Flag(help: "Write « L'essentiel » alone: the one-page summary (chart, findings, definitions).")
    var summary = false

    @Flag(help: "Also publish the HTML report in the ledger, for officials in `barometre serve`.")
    var publish = false

    @Option(help: ArgumentHelp("Who publishes (with --publish; default: $USER).", valueName: "name"))
    var by: String?

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        if by != nil && !publish { throw ValidationError("--by names who publishes: add --publish.") }
        for item in label where !item.contains("=") || item.hasPrefix("=") || item.hasSuffix("=") {
            throw ValidationError("--label takes CODE=TEXT (e.g. \"Woman.S=Femme, origine sénégalaise\"), got \(item).")
        }
        if barometer != nil && !label.isEmpty { throw ValidationError("--label applies to one campaign or study; in a barometer file, give the entry \"labels\".") }
        if publish && summary { throw ValidationError("--publish stores the whole report; write the summary without --publish.") }
        if publish && audience == .staff { throw ValidationError("--publish shows the report to officials: it is the public report. Drop --audience staff, or drop --publish.") }
        if barometer != nil && !primary.isEmpty { throw ValidationError("--primary applies to one campaign or study; in a barometer file, give each entry its \"primary\" key.") }
        if barometer != nil && grading.objective != nil { throw ValidationError("--grades-lambda and --grades-dr apply to one campaign or study; a barometer file's campaigns use their analysis.reportCard.") }
        guard [campaign, study, barometer].compactMap({ $0 }).count == 1 else {
            throw ValidationError("Give one of --campaign ID, --study ID or --barometer FILE.")
        }
    }

    func run() async throws {
        if let barometer { return try runBarometer(barometer) }
        let loaded = try AnalysisLoader.load(ledger: ledger, campaign: campaign, study: study, by: [], level: nil, seed: 1, allPairs: false,
                                             primary: primary.isEmpty ? nil : primary, grades: grading.objective)
        var reportContext = context(loaded)
        for item in label {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            reportContext.armLabels[parts[0]] = parts[1]
        }
        let report = Report(findings: loaded.findings, context: reportContext, language: lang)
        let id = campaign ?? study!
        let path = out ?? "results/\(id)/report.\(lang.rawValue).\(format.rawValue)"
        try write(to: path, html: { HTMLRenderer.render(report, summaryOnly: summary) }, markdown: { MarkdownRenderer.render(report, summaryOnly: summary) },
                  json: { JSONReportRenderer.render(report) })
        print("wrote \(path)" + (loaded.findings.request.simulated ? " (SIMULATED DATA, watermarked)" : ""))
        if publish {
            try publishHTML(subject: id, title: report.context.title, html: HTMLRenderer.render(report), simulated: loaded.findings.request.simulated)
        }
    }

    /// Stores the HTML report in the ledger for `barometre serve` (append-only).
    func publishHTML(subject: String, title: String, html: String, simulated: Bool) throws {
        let store = try ledger.open()
        let publisher = by ?? ProcessInfo.processInfo.environment["USER"] ?? "staff"
        do {
            let publication = try store.publish(subject: subject, title: title, language: lang.rawValue, html: html, simulated: simulated, by: publisher)
            print("published \(subject) (\(lang.rawValue)) in \(ledger.resolvedPath) as publication \(publication.id): `barometre serve` shows it at /published/\(subject)")
        } catch {
            throw report(error)
        }
    }

    /// Several campaigns and studies together (a barometer file).
    func runBarometer(_ file: String) throws {
        let definition: BarometerFile
        do {
            definition = try BarometerFile.load(URL(fileURLWithPath: file))
        } catch {
            for issue in error.issues { printError("error: " + issue.rendered) }
            throw error.missingInput ? SysExit.noInput : SysExit.dataError
        }
        var entries: [BarometerEntry] = []
        for entry in definition.entries {
            let loaded = try AnalysisLoader.load(ledger: ledger, campaign: entry.campaign, study: entry.study, by: [], level: nil, seed: 1, allPairs: false,
                                                 primary: entry.primary)
            entries.append(.describing(entry, fileLanguage: definition.language ?? "fr", campaign: loaded.campaign, findings: loaded.findings,
                                       context: context(loaded), language: lang))
        }
        let barometerReport: BarometerReport
        do {
            let texts = definition.texts(in: lang)
            barometerReport = try BarometerReport(title: texts.title, territory: texts.territory, date: date ?? Self.today(),
                                                  language: lang, entries: entries)
        } catch {
            throw BarometreCLI.report(error, dataError: true)
        }
        let report = barometerReport
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let path = out ?? "results/\(name)/barometre.\(lang.rawValue).\(format.rawValue)"
        try write(to: path, html: { BarometerRenderer.html(report, summaryOnly: summary) }, markdown: { BarometerRenderer.markdown(report, summaryOnly: summary) },
                  json: { BarometerRenderer.json(report) })
        print("wrote \(path) (\(entries.count) campaigns and studies)" + (report.simulated ? " (includes SIMULATED DATA, watermarked)" : ""))
        if publish { try publishHTML(subject: name, title: report.title, html: BarometerRenderer.html(report), simulated: report.simulated) }
    }

    /// Renders in the chosen format (PDF from the HTML) and writes the file atomically.
    func write(to path: String, html: () -> String, markdown: () -> String, json: () -> String) throws {
        let data: Data
        switch format {
        case .html: data = Data(html().utf8)
        case .md: data = Data(markdown().utf8)
        case .json: data = Data(json().utf8)
        case .pdf:
            do { data = try PDFRenderer.render(html: html()) } catch {
                printError("error: \(error)\n  hint: install weasyprint or chromium (make deps does), or write --format html and print it")
                throw ExitCode(69)
            }
        }
        try writeAtomically(data, to: path)
    }

    /// The report's context, in the report's language (Reports: `ReportContext.describing`).
    func context(_ loaded: AnalysisLoader) -> ReportContext {
        var context = ReportContext.describing(campaign: loaded.campaign, studyTitle: loaded.source.title, studyLabels: loaded.source.labels,
                                               language: lang, date: date ?? Self.today(), audience: audience,
                                               sentFrom: loaded.sendPeriod?.first, sentTo: loaded.sendPeriod?.last)
        context.preregistration = loaded.preregistration
        context.responsesOnFile = loaded.responsesOnFile
        context.amendments = loaded.amendments.map { a in
            ReportContext.AmendmentNote(date: String(a.amendedAt.prefix(10)), by: a.amendedBy, answersBefore: a.outcomesBefore,
                                        changes: a.changes.map { ($0.path, $0.before, $0.after) })
        }
        return context
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }
}

/// Writes a file all at once: a temporary file beside it, then a rename.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch {
        printError("error: cannot write \(path): \((error as NSError).localizedDescription)\n  hint: choose another --out, or check the folder's permissions")
        throw SysExit.cannotCreate
    }
}
extension Audience: ExpressibleByArgument {}
