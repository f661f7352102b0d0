import Barometer
import Stats

/// An organization's evidence file (issue #20 item 4): everything the campaign holds about
/// it, for its response before anyone names it — every test with its dates, channel, the
/// profiles sent and the answers, every correction with its history, its statistics and its
/// place in the report card, and the responses already on file. Staff only: it names the
/// organization.
public struct EvidenceFile: Sendable {
    public struct Event: Sendable {
        /// The outcome level recorded (a scale code; the file says it in words).
        public var answer: String
        public var observedAt: String
        public var recordedAt: String
        public var recordedBy: String
        public var source: String
        public var note: String?
        /// True when a later event corrected this one.
        public var corrected: Bool
        public init(answer: String, observedAt: String, recordedAt: String, recordedBy: String, source: String, note: String?, corrected: Bool) {
            self.answer = answer; self.observedAt = observedAt; self.recordedAt = recordedAt; self.recordedBy = recordedBy
            self.source = source; self.note = note; self.corrected = corrected
        }
    }

    public struct Application: Sendable {
        public var code: String
        public var profile: String
        public var identity: String?
        public var tester: String?
        public var channel: String?
        public var sentAt: String?
        /// The level in force (a scale code) and every event recorded, oldest first.
        public var answer: String?
        public var events: [Event]
        public init(code: String, profile: String, identity: String?, tester: String?, channel: String?, sentAt: String?, answer: String?, events: [Event]) {
            self.code = code; self.profile = profile; self.identity = identity; self.tester = tester; self.channel = channel
            self.sentAt = sentAt; self.answer = answer; self.events = events
        }
    }

    public struct TestRecord: Sendable {
        public var code: String
        public var offer: String
        public var place: String?
        public var applications: [Application]
        public init(code: String, offer: String, place: String?, applications: [Application]) {
            self.code = code; self.offer = offer; self.place = place; self.applications = applications
        }
    }

    public struct Response: Sendable {
        public var receivedOn: String
        public var recordedAt: String
        public var recordedBy: String
        public var text: String
        public init(receivedOn: String, recordedAt: String, recordedBy: String, text: String) {
            self.receivedOn = receivedOn; self.recordedAt = recordedAt; self.recordedBy = recordedBy; self.text = text
        }
    }

    public var organization: String
    public var pseudonym: String
    public var campaignID: String
    public var context: ReportContext
    public var findings: Findings
    public var tests: [TestRecord]
    public var responses: [Response]
    public var language: Language

    public init(organization: String, pseudonym: String, campaignID: String, context: ReportContext, findings: Findings, tests: [TestRecord],
                responses: [Response], language: Language) {
        self.organization = organization; self.pseudonym = pseudonym; self.campaignID = campaignID; self.context = context
        self.findings = findings; self.tests = tests; self.responses = responses; self.language = language
    }

    /// The self-contained HTML file (the report's style; PDF is rendered from it).
    public func html() -> String {
        let t = Texts(language), c = context, fr = t.fr
        func answer(_ level: String) -> String { c.levelLabels[level] ?? t.level(level) }
        let simulated = findings.request.simulated
        let title = (fr ? "Dossier de preuves — " : "Evidence file — ") + organization
        var body: [String] = [HTMLRenderer.header(title: (simulated ? "[\(t.simulated)] " : "") + title,
                                                  meta: [c.title, fr ? "pseudonyme \(pseudonym)" : "pseudonym \(pseudonym)", c.date], simulated: simulated, texts: t)]
        var main: [String] = []
        main.append("<p class=\"confidential\" role=\"note\"><strong>\(fr ? "Document confidentiel" : "Confidential")</strong> — "
                    + escape(fr ? "remis à l'organisation avant toute désignation publique, pour qu'elle puisse répondre. Il nomme l'organisation : ne pas diffuser au-delà."
                                : "given to the organization before any public naming, so that it can respond. It names the organization: do not circulate it further.") + "</p>")
        // Statistics.
        main.append("<h2 id=\"statistics\">\(fr ? "Ce que montrent les tests" : "What the tests show")</h2>")
        let own = findings.organizations.filter { $0.label == pseudonym }
        if own.isEmpty {
            main.append("<p>" + escape(fr ? "Trop peu de tests auprès de cette organisation pour un test statistique qui lui soit propre (moins de \(c.minimumCellSize))."
                                          : "Too few tests at this organization for a statistical test of its own (fewer than \(c.minimumCellSize)).") + "</p>")
        }
        for o in own {
            let table = o.table
            let sentence = fr
                ? "\(c.label(o.reference)) contre \(c.label(o.tested)) : \(o.tests) tests. Réponse positive aux deux : \(table.both) ; au seul profil de référence : \(table.referenceOnly) ; au seul profil testé : \(table.testedOnly) ; à aucun : \(table.neither). Test apparié (McNemar mid-p) : p = \(t.pValue(o.midP)) ; q de Benjamini–Hochberg entre organisations : \(t.pValue(o.q))."
                : "\(c.label(o.reference)) against \(c.label(o.tested)): \(o.tests) tests. Positive answer to both: \(table.both); to the reference profile only: \(table.referenceOnly); to the tested profile only: \(table.testedOnly); to neither: \(table.neither). Paired test (McNemar mid-p): p = \(t.pValue(o.midP)); Benjamini–Hochberg q across organizations: \(t.pValue(o.q))."
            main.append("<p>\(escape(sentence))</p>")
        }
        for card in findings.reportCards {
            guard let row = card.rows.first(where: { $0.label == pseudonym }) else { continue }
            let p = row.posterior
            let sentence = fr
                ? "Bulletin (\(c.label(card.tested))) : écart observé \(t.percent(p.estimate, digits: 1)) (erreur type \(t.percent(p.standardError, digits: 1))) ; estimation bayésienne \(t.percent(p.mean, digits: 1)), intervalle crédible \(t.interval(p.interval)) ; rang de Condorcet \(row.condorcetRank) sur \(card.rows.count) ; note \(card.letter(fromTop: row.gradeFromTop)) sur \(card.grades.count) (A : la moins susceptible de discriminer)."
                : "Report card (\(c.label(card.tested))): observed gap \(t.percent(p.estimate, digits: 1)) (standard error \(t.percent(p.standardError, digits: 1))); Bayesian estimate \(t.percent(p.mean, digits: 1)), credible interval \(t.interval(p.interval)); Condorcet rank \(row.condorcetRank) of \(card.rows.count); grade \(card.letter(fromTop: row.gradeFromTop)) of \(card.grades.count) (A: the least likely to discriminate)."
            main.append("<p>\(escape(sentence))</p>")
            main.append("<p class=\"note\">\(escape(ReportCardSection.method(card, level: findings.request.level, texts: t)))</p>")
        }
        // Every test.
        main.append("<h2 id=\"tests\">\(fr ? "Chaque test" : "Every test") (\(tests.count))</h2>")
        main.append("<p>" + escape(fr ? "Pour chaque offre : les candidatures envoyées (profil, identité, canal, date), la réponse retenue et, pour chacune, l'historique complet des réponses enregistrées (les corrections ne remplacent rien : elles s'ajoutent)."
                                      : "For each offer: the applications sent (profile, identity, channel, date), the answer in force and, for each, the full history of the answers recorded (corrections replace nothing: they are added).") + "</p>")
        let columns = fr ? ["Candidature", "Profil", "Identité", "Canal", "Envoi prévu", "Réponse retenue", "Historique"]
                         : ["Application", "Profile", "Identity", "Channel", "Planned send", "Answer in force", "History"]
        for test in tests {
            main.append("<h3>\(escape(test.code)) — \(escape(test.offer))\(test.place.map { " (" + escape($0) + ")" } ?? "")</h3>")
            var rows: [String] = []
            for a in test.applications {
                let history = a.events.isEmpty ? (fr ? "aucune réponse enregistrée" : "no answer recorded") : a.events.map { e in
                    var line = "\(answer(e.answer)), \(fr ? "observée le" : "observed") \(e.observedAt), \(fr ? "saisie le" : "recorded") \(e.recordedAt) \(fr ? "par" : "by") \(e.recordedBy) (\(e.source))"
                    if let note = e.note, !note.isEmpty { line += " — « \(note) »" }
                    if e.corrected { line += fr ? " — corrigée ensuite" : " — later corrected" }
                    return line
                }.joined(separator: " ; ")
                let cells = [a.code, a.profile, a.identity ?? "—", a.channel.map(t.channel) ?? "—", a.sentAt ?? "—", a.answer.map(answer) ?? (fr ? "en attente" : "pending"), history]
                rows.append("<tr><th scope=\"row\">\(escape(cells[0]))</th>" + cells.dropFirst().map { "<td>\(escape($0))</td>" }.joined() + "</tr>")
            }
            main.append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"\(escape(test.code))\"><table><thead><tr>"
                        + columns.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>" + rows.joined() + "</tbody></table></div>")
        }
        // Responses.
        main.append("<h2 id=\"responses\">\(fr ? "Réponses de l'organisation" : "The organization's responses")</h2>")
        if responses.isEmpty {
            main.append("<p>" + escape(fr ? "Aucune réponse au dossier pour l'instant. Une réponse s'enregistre avec : barometre evidence --respond --campaign \(campaignID) --organization \"\(organization)\" --response-file FICHIER --received AAAA-MM-JJ --by NOM"
                                          : "No response on file yet. A response is recorded with: barometre evidence --respond --campaign \(campaignID) --organization \"\(organization)\" --response-file FILE --received YYYY-MM-DD --by NAME") + "</p>")
        }
        for r in responses {
            main.append("<h3>\(fr ? "Reçue le" : "Received") \(escape(r.receivedOn)) (\(fr ? "enregistrée le" : "recorded") \(escape(r.recordedAt)) \(fr ? "par" : "by") \(escape(r.recordedBy)))</h3>")
            main.append("<blockquote>" + r.text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "<br>") + "</blockquote>")
        }
        body.append(main.joined(separator: "\n"))
        return HTMLRenderer.page(title: title, language: language, simulated: simulated, texts: t, body: body)
    }
}
