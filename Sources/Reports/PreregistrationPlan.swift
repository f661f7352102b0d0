import Campaigns
import Foundation

/// A campaign's pre-analysis plan (issue #16 item 1), written from the campaign file alone
/// before any answer is seen: hypotheses (the primary family), outcome and threshold, sample
/// size and power, tests and intervals, adjustment, exploratory analyses, exclusions,
/// stopping rule, publication policy. The text holds no date: the same campaign gives the
/// same text on any machine, so that its fingerprint (computed over it) is stable.
public struct PreregistrationPlan: Sendable {
    /// One row of the power table: an assumed discordant split and its power.
    public struct PowerRow: Sendable {
        public let p10: Double, p01: Double
        /// Exact mid-p McNemar power at the planned number of tests and the family's level.
        public let power: Double
        /// Connor's tests needed for 80 % power at that level (nil when p₁₀ = p₀₁).
        public let testsNeeded: Int?

        public init(p10: Double, p01: Double, power: Double, testsNeeded: Int?) {
            self.p10 = p10
            self.p01 = p01
            self.power = power
            self.testsNeeded = testsNeeded
        }
    }

    public let campaign: Campaign
    public let tests: Int
    public let language: Language
    /// Power at the planned size for assumed splits, at α/m (the family's Bonferroni bound,
    /// Holm's first step); `powerSource` says where the splits come from.
    public let power: [PowerRow]
    public let powerSource: String
    public let alpha: Double

    public init(campaign: Campaign, tests: Int, language: Language, power: [PowerRow], powerSource: String, alpha: Double = 0.05) {
        self.campaign = campaign
        self.tests = tests
        self.language = language
        self.power = power
        self.powerSource = powerSource
        self.alpha = alpha
    }

    /// A section: a title, paragraphs, then bullet points.
    public struct Section: Sendable {
        public let title: String
        public let paragraphs: [String]
        public let bullets: [String]
    }

    var t: Texts { Texts(language) }
    var fr: Bool { language == .fr }

    /// The arms' labels in the plan's language (translations when given).
    func label(_ arm: String) -> String {
        let translated = language.rawValue == campaign.textLanguage ? nil : campaign.translations?[language.rawValue]?.arms?[arm]
        return translated ?? campaign.arms.first { $0.id == arm }?.label ?? arm
    }

    var title: String {
        let translated = language.rawValue == campaign.textLanguage ? nil : campaign.translations?[language.rawValue]?.title
        return (fr ? "Plan d'analyse pré-enregistré — " : "Pre-registered analysis plan — ") + (translated ?? campaign.title)
    }

    public var primaryArms: [String] { campaign.analysis?.primary ?? campaign.testedArms.map(\.id) }

    public var sections: [Section] {
        let reference = campaign.referenceArm.id
        let primary = primaryArms
        let m = primary.count
        let level = campaign.analysis?.level ?? 0.95
        let k = campaign.design.applicationsPerArm
        let scale = campaign.scale, threshold = campaign.positiveThreshold
        let positives = scale.drop { $0 != threshold }.map { t.level($0) }
        let exploratoryArms = campaign.testedArms.map(\.id).filter { !primary.contains($0) }  // (a placebo arm is not tested)
        let slices = campaign.analysis?.slices ?? []
        let policy = campaign.publication
        let cell = policy?.minimumCellSize ?? 5
        var sections: [Section] = []

        sections.append(Section(
            title: fr ? "1. Hypothèses (famille confirmatoire)" : "1. Hypotheses (confirmatory family)",
            paragraphs: [fr
                ? "Pour chaque profil testé ci-dessous, comparé au profil de référence « \(label(reference)) » sur l'ensemble des tests : H₀ : p_R = p_T (même probabilité de réponse positive), contre H₁ : p_R ≠ p_T (test bilatéral). Ces \(m) comparaison\(m > 1 ? "s" : "") forme\(m > 1 ? "nt" : "") la famille confirmatoire : elles seules peuvent fonder un constat."
                : "For each tested profile below, compared with the reference profile \"\(label(reference))\" over all tests: H₀: p_R = p_T (the same probability of a positive answer), against H₁: p_R ≠ p_T (two-sided). These \(m) comparison\(m > 1 ? "s" : "") form the confirmatory family: only they can support a finding."],
            bullets: primary.map { "\(label($0)) (`\($0)`) " + (fr ? "contre" : "versus") + " \(label(reference)) (`\(reference)`)" }))

        sections.append(Section(
            title: fr ? "2. Résultat mesuré" : "2. Outcome",
            paragraphs: [fr
                ? "Chaque candidature reçoit une réponse sur l'échelle \(scale.map { t.level($0) }.joined(separator: " < ")). Une réponse est positive à partir de « \(t.level(threshold)) » (\(positives.joined(separator: ", "))). Un test est positif pour un profil quand au moins une de ses candidatures l'est (règle du maximum, \(k) candidature\(k > 1 ? "s" : "") par profil et par test). Une candidature sans réponse au terme du délai de \(campaign.design.responseWindowDays) jours compte comme « \(t.level(scale[0])) »."
                : "Each application gets an answer on the scale \(scale.map { t.level($0) }.joined(separator: " < ")). An answer is positive from \"\(t.level(threshold))\" upwards (\(positives.joined(separator: ", "))). A test is positive for a profile when at least one of its applications is (max rule, \(k) application\(k > 1 ? "s" : "") per profile and test). An application unanswered after the \(campaign.design.responseWindowDays)-day window counts as \"\(t.level(scale[0]))\"."],
            bullets: []))

        let powerLines = power.map { row -> String in
            let needed = row.testsNeeded.map { fr ? " ; \(t.number($0)) tests pour 80\u{00A0}%" : "; \(t.number($0)) tests for 80%" } ?? ""
            return fr
                ? "p₁₀ = \(t.percent(row.p10)), p₀₁ = \(t.percent(row.p01)) (écart net \(t.percent(row.p10 - row.p01))) : puissance \(t.percent(row.power))\(needed)"
                : "p₁₀ = \(t.percent(row.p10)), p₀₁ = \(t.percent(row.p01)) (net difference \(t.percent(row.p10 - row.p01))): power \(t.percent(row.power))\(needed)"
        }
        sections.append(Section(
            title: fr ? "3. Taille de l'échantillon et puissance" : "3. Sample size and power",
            paragraphs: [fr
                ? "\(t.number(tests)) tests prévus (une offre par test, \(campaign.arms.count) profils, \(t.number(tests * campaign.arms.count * k)) candidatures). Puissance du test de McNemar mid-p exact au niveau α/m = \(formatted(alpha / Double(m))) (borne de Bonferroni, première étape de Holm), \(powerSource) :"
                : "\(t.number(tests)) tests planned (one offer per test, \(campaign.arms.count) profiles, \(t.number(tests * campaign.arms.count * k)) applications). Power of the exact mid-p McNemar test at α/m = \(formatted(alpha / Double(m))) (Bonferroni bound, Holm's first step), \(powerSource):"],
            bullets: powerLines))

        sections.append(Section(
            title: fr ? "4. Tests, intervalles et ajustement" : "4. Tests, intervals and adjustment",
            paragraphs: [fr
                ? "Test de McNemar mid-p sur les tests discordants (Fagerland, Lydersen & Laake 2013) ; intervalles à \(t.percent(level)) : Newcombe (méthode 10) pour la différence nette, Tang pour le rapport. Les p-values de la famille confirmatoire sont ajustées par la méthode de Holm au seuil de \(t.percent(alpha)). Indicateurs complémentaires sans effet sur les constats : taux par candidature, régression à effets fixes par test (erreurs robustes par test)."
                : "Mid-p McNemar test on discordant tests (Fagerland, Lydersen & Laake 2013); \(t.percent(level)) intervals: Newcombe (method 10) for the net difference, Tang for the ratio. The confirmatory family's p-values are adjusted by Holm's method at \(t.percent(alpha)). Supporting indicators that do not change the findings: rates per application, a linear model with test fixed effects (standard errors clustered by test)."],
            bullets: []))

        var exploratory: [String] = []
        if !exploratoryArms.isEmpty {
            exploratory.append((fr ? "profils testés hors famille confirmatoire : " : "tested profiles outside the confirmatory family: ")
                               + exploratoryArms.map(label).joined(separator: ", "))
        }
        if !slices.isEmpty {
            exploratory.append((fr ? "sous-groupes : " : "subgroups: ") + slices.joined(separator: ", ")
                               + (fr ? " (et test de Mantel–Haenszel par strate)" : " (and the Mantel–Haenszel test across strata)"))
        }
        if let placebo = campaign.placeboArm {
            exploratory.append(fr ? "placebo : le profil de référence contre sa copie « \(label(placebo.id)) », pour mesurer l'écart dû au seul hasard"
                                  : "placebo: the reference profile against its copy \"\(label(placebo.id))\", to measure the difference due to chance alone")
        } else if k >= 2 {
            exploratory.append(fr ? "placebo : les deux candidatures du profil de référence d'un même test, l'une contre l'autre"
                                  : "placebo: the reference profile's two applications in a test, one against the other")
        }
        exploratory.append(fr ? "contrôles : effet de l'ordre d'envoi, homogénéité entre testeurs (ou paires de testeurs pour les appels et visites)"
                              : "checks: send-order effect, homogeneity across testers (or tester pairs for calls and visits)")
        exploratory.append(fr ? "organisations : test mid-p par organisation ayant au moins \(cell) tests, q-values de Benjamini–Hochberg"
                              : "organizations: mid-p test for each organization with at least \(cell) tests, Benjamini–Hochberg q-values")
        sections.append(Section(
            title: fr ? "5. Analyses exploratoires" : "5. Exploratory analyses",
            paragraphs: [fr ? "Ajustées entre elles par la méthode de Benjamini–Hochberg ; elles ne modifient pas les constats."
                            : "Adjusted among themselves by the Benjamini–Hochberg method; they do not change the findings."],
            bullets: exploratory))

        sections.append(Section(
            title: fr ? "6. Exclusions" : "6. Exclusions",
            paragraphs: [fr
                ? "Une candidature sans réponse enregistrée avant la fin de son délai est en attente et n'entre pas dans l'analyse ; un test n'entre dans une comparaison appariée que si les deux profils comparés y ont une réponse. Les tests où un seul des deux profils a candidaté sont analysés à part (échantillons indépendants). Aucun test n'est écarté après coup pour une autre raison ; toute correction d'une réponse reste dans le journal."
                : "An application with no answer recorded before its window ends is pending and is not analysed; a test enters a paired comparison only when both profiles compared have an answer in it. Tests where only one of the two profiles applied are analysed separately (independent samples). No test is dropped afterwards for any other reason; every correction of an answer stays in the log."],
            bullets: []))

        sections.append(Section(
            title: fr ? "7. Règle d'arrêt" : "7. Stopping rule",
            paragraphs: [fr
                ? "Échantillon fixé à l'avance : la campagne envoie les \(t.number(tests)) tests prévus entre le \(campaign.period.start) et le \(campaign.period.end), sans analyse intermédiaire qui déciderait de l'arrêter ; l'analyse confirmatoire est faite une fois toutes les réponses reçues ou leurs délais échus."
                : "Sample fixed in advance: the campaign sends the \(t.number(tests)) planned tests between \(campaign.period.start) and \(campaign.period.end), with no interim analysis that could stop it; the confirmatory analysis is run once every answer is in or its window has passed."],
            bullets: []))

        let naming: String
        if policy?.organizations == .named, let bar = policy?.naming {
            naming = fr ? "les organisations peuvent être nommées quand leur q-value est au plus \(formatted(bar.maxQValue)) avec au moins \(bar.minTests) tests, après avoir reçu leur dossier de preuves"
                        : "organizations may be named when their q-value is at most \(formatted(bar.maxQValue)) with at least \(bar.minTests) tests, after receiving their evidence file"
        } else {
            naming = fr ? "les organisations ne sont jamais nommées : elles sont désignées par un pseudonyme" : "organizations are never named: they appear under a pseudonym"
        }
        sections.append(Section(
            title: fr ? "8. Publication" : "8. Publication",
            paragraphs: [fr
                ? "Le rapport public présente les constats de la famille confirmatoire avec leurs intervalles ; les sous-groupes de moins de \(cell) tests ne sont pas présentés ; \(naming). Le rapport dit si ce plan a été suivi et liste tout écart."
                : "The public report shows the confirmatory family's findings with their intervals; subgroups with fewer than \(cell) tests are not shown; \(naming). The report says whether this plan was followed and lists every deviation."],
            bullets: []))
        return sections
    }

    func formatted(_ value: Double) -> String {
        let text = String(format: "%.4g", value)
        return fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// The plan as Markdown (this text is what the fingerprint covers).
    public var markdown: String {
        var lines = ["# \(title)", "", (fr ? "Campagne" : "Campaign") + " `\(campaign.id)`, " + (fr ? "vague" : "wave") + " \(campaign.wave), \(campaign.territory).", ""]
        for section in sections {
            lines.append("## \(section.title)")
            lines.append("")
            for paragraph in section.paragraphs { lines.append(paragraph); lines.append("") }
            for bullet in section.bullets { lines.append("- \(bullet)") }
            if !section.bullets.isEmpty { lines.append("") }
        }
        return lines.joined(separator: "\n")
    }

    /// The plan as a self-contained HTML page (for the PDF), with its registration line.
    public func html(registration: String) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "`", with: "")
        }
        var body = ["<h1>\(escape(title))</h1>",
                    "<p>" + escape((fr ? "Campagne " : "Campaign ") + "\(campaign.id), " + (fr ? "vague" : "wave") + " \(campaign.wave), \(campaign.territory).") + "</p>",
                    "<p class=\"note\">\(escape(registration))</p>"]
        for section in sections {
            body.append("<h2>\(escape(section.title))</h2>")
            body += section.paragraphs.map { "<p>\(escape($0))</p>" }
            if !section.bullets.isEmpty { body.append("<ul>" + section.bullets.map { "<li>\(escape($0))</li>" }.joined() + "</ul>") }
        }
        return HTMLRenderer.page(title: title, language: language, simulated: false, texts: t, body: body)
    }
}
