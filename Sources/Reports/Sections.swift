import Barometer
import Stats

/// The organizations a report may show, and how.
enum Organizations {
    struct Row { let label: String; let tested: String; let tests: Int; let midP: Double; let q: Double? }

    /// Pseudonyms always; the real name only when the campaign names organizations and this
    /// one meets the evidence bar (q ≤ maxQValue and at least minTests tests). Organizations
    /// under the minimum cell size were already left out by the analysis.
    static func rows(_ report: Report) -> [Row] {
        let c = report.context
        return report.findings.organizations.filter { $0.tests >= c.minimumCellSize }.compactMap { o in
            let named = c.mayName(o)
            // The public report shows an organization only where it may be named.
            if c.audience == .public && !named { return nil }
            return Row(label: named ? o.name! : o.label, tested: o.tested, tests: o.tests, midP: o.midP, q: o.q)
        }
    }

    static func policy(_ report: Report) -> String {
        let t = report.texts, c = report.context
        let audience = c.audience == .public
            ? (t.fr ? " Ce rapport public ne présente aucune organisation pseudonyme : le détail par organisation figure dans le rapport destiné à l'équipe."
                    : " This public report shows no pseudonymous organization: the per-organization detail is in the staff report.")
            : (t.fr ? " Rapport destiné à l'équipe : ne pas diffuser ; les pseudonymes ne se relient aux noms qu'avec le registre (barometre pseudonym)."
                    : " Staff report: not for distribution; pseudonyms map back to names only with the ledger (barometre pseudonym).")
        if c.organizationsNamed, let maxQ = c.namingMaxQ, let minTests = c.namingMinTests {
            return (t.fr ? "Une organisation n'est nommée que si q ≤ \(t.pValue(maxQ)) avec au moins \(minTests) tests ; les autres restent pseudonymes. Organisations de moins de \(c.minimumCellSize) tests non présentées."
                         : "An organization is named only if q ≤ \(t.pValue(maxQ)) with at least \(minTests) tests; the others stay pseudonymous. Organizations with fewer than \(c.minimumCellSize) tests are not shown.") + audience
        }
        return (t.fr ? "Les organisations sont pseudonymes (politique de publication de la campagne). Organisations de moins de \(c.minimumCellSize) tests non présentées."
                     : "Organizations are pseudonymous (the campaign's publication policy). Organizations with fewer than \(c.minimumCellSize) tests are not shown.") + audience
    }
}

/// Data-quality notes: pending answers, send-order and tester effects.
enum Quality {
    static func notes(_ report: Report) -> [String] {
        let t = report.texts, f = report.findings, c = report.context
        var notes: [String] = []
        if f.request.simulated { notes.append(t.fr ? "Données simulées : ce rapport illustre l'outil et ne décrit aucune situation réelle." : "Simulated data: this report illustrates the tool and describes no real situation.") }
        notes.append(f.pending == 0 ? (t.fr ? "Toutes les candidatures ont une réponse enregistrée." : "Every application has a recorded answer.")
                                    : (t.fr ? "\(t.number(f.pending)) candidatures attendent encore une réponse et ne sont pas comptées." : "\(t.number(f.pending)) applications are still waiting for an answer and are not counted."))
        for check in f.sendOrder {
            guard let p = check.test.value?.pValue else { continue }
            let detected = p <= 0.05
            notes.append(t.fr ? "Ordre d'envoi (\(c.label(check.tested))) : \(detected ? "effet détecté" : "pas d'effet détecté") de la candidature envoyée en premier (p = \(t.pValue(p)))."
                              : "Send order (\(c.label(check.tested))): \(detected ? "an effect was detected" : "no effect detected") of being sent first (p = \(t.pValue(p))).")
        }
        if let placebo = f.placebo, let noise = placebo.paired.difference.estimate.value {
            // The placebo: the reference profile against itself; discrimination is read next to it.
            let interval = placebo.paired.difference.interval(.newcombe)?.value
            let measured = f.comparisons.filter { $0.family == .confirmatory }.compactMap { c -> String? in
                guard let d = c.paired?.difference.estimate.value else { return nil }
                return "\(report.context.label(c.tested)) \(t.percent(d, digits: 1))"
            }.joined(separator: t.fr ? " ; " : "; ")
            let pair = placebo.declared
                ? (t.fr ? "le profil de référence et sa copie (profil placebo « \(c.label(placebo.arm)) ») ont candidaté" : "the reference profile and its copy (the placebo profile \"\(c.label(placebo.arm))\") applied")
                : (t.fr ? "deux candidatures du profil de référence ont été envoyées" : "two applications of the reference profile were sent")
            notes.append(t.fr
                ? "Contrôle placebo : dans \(t.number(placebo.tests)) tests, \(pair) ; elles ont reçu des réponses différentes dans \(t.percent(placebo.discordance)) des tests et leur écart de taux est de \(t.percent(noise, digits: 1)) (\(t.interval(interval))), alors que rien ne les distingue : c'est l'ampleur du hasard. Écarts mesurés entre profils, à lire à côté : \(measured)."
                : "Placebo check: in \(t.number(placebo.tests)) tests, \(pair); they got different answers in \(t.percent(placebo.discordance)) of the tests and their rate difference is \(t.percent(noise, digits: 1)) (\(t.interval(interval))), though nothing tells them apart: that is the size of chance. Differences measured between profiles, to read next to it: \(measured).")
        }
        for check in f.testers {
            guard let p = check.test.value?.pValue else { continue }
            // Calls and visits: the groups are tester pairs (the reference's tester, the tested one's).
            let pairs = check.groupsArePairs
            let groupsFR = pairs ? "paires de testeurs" : "testeurs", groupsEN = pairs ? "tester pairs" : "testers"
            notes.append(t.fr ? "Testeurs (\(c.label(check.tested))) : \(p <= 0.05 ? "les résultats diffèrent selon le testeur" : "pas de différence détectée entre testeurs") (\(check.groups) \(groupsFR), p = \(t.pValue(p)))."
                              : "Testers (\(c.label(check.tested))): \(p <= 0.05 ? "results differ by tester" : "no difference detected between testers") (\(check.groups) \(groupsEN), p = \(t.pValue(p))).")
        }
        if !c.untranslated.isEmpty {
            let names = c.untranslated.map { item -> String in
                switch item {
                case "title": return t.fr ? "le titre" : "the title"
                case "criterion": return t.fr ? "la description du critère" : "the criterion's description"
                default: return t.fr ? "les libellés des profils" : "the profiles' labels"
                }
            }
            notes.append(t.fr ? "Non traduit : \(names.joined(separator: ", ")) (la campagne n'en donne pas de traduction française ; ils sont affichés dans sa langue)."
                              : "Not translated: \(names.joined(separator: ", ")) (the campaign gives no English translation; they are shown in its own language).")
        }
        let suppressed = report.suppressedSlices
        if suppressed > 0 {
            notes.append(t.fr ? "\(suppressed) sous-groupes de moins de \(c.minimumCellSize) tests ne sont pas présentés." : "\(suppressed) subgroups with fewer than \(c.minimumCellSize) tests are not shown.")
        }
        return notes
    }
}

/// The methods annex.
enum Methods {
    static func paragraphs(_ report: Report) -> [String] {
        let t = report.texts, f = report.findings
        let tests = f.comparisons.filter { $0.slice.isEmpty }.map(\.tests).max() ?? 0
        let arms = f.arms.count
        return (t.fr ? [
            "Plan : \(t.number(tests)) tests ; dans chaque test, \(arms) profils fictifs équivalents ont candidaté à la même offre, l'ordre d'envoi et les variantes de documents étant tirés au sort.",
            "Dénominateurs : le taux de réponses positives de chaque profil est calculé sur les tests ; la discrimination nette sur les tests où au moins un profil a reçu une réponse positive ; l'écart relatif est 1 − (taux du profil testé ÷ taux du profil de référence).",
            "Tests et intervalles : test de McNemar mid-p sur les tests discordants (Fagerland, Lydersen & Laake 2013) ; intervalles de Newcombe (méthode 10) pour les différences et de Tang pour les rapports ; \(Methods.familiesFR(f))",
            t.netDefinition,
        ] : [
            "Design: \(t.number(tests)) tests; in each test, \(arms) equivalent fictitious profiles applied to the same offer, with send order and document variants drawn at random.",
            "Denominators: each profile's positive rate is over tests; net discrimination is over tests where at least one profile got a positive answer; the relative gap is 1 − (tested rate ÷ reference rate).",
            "Tests and intervals: mid-p McNemar test on discordant tests (Fagerland, Lydersen & Laake 2013); Newcombe (method 10) intervals for differences and Tang intervals for ratios; \(Methods.familiesEN(f))",
            t.netDefinition,
        ]) + amendments(report) + (report.context.preregistration.map { [$0.paragraph(report.language)] } ?? [])
    }

    /// The campaign's amendments (`barometre amend`): what changed after the plan, when, by
    /// whom, and how many answers were already recorded.
    static func amendments(_ report: Report) -> [String] {
        let t = report.texts
        return report.context.amendments.map { a in
            let changes = a.changes.map { change -> String in
                let field = Methods.field(change.path, fr: t.fr)
                // Values are shown when short (a number, a word); a file's location never.
                guard let before = change.before, let after = change.after, !change.path.hasPrefix("$.targets"),
                      before.count + after.count <= 80 else { return field }
                return "\(field) (\(before) → \(after))"
            }.joined(separator: t.fr ? " ; " : "; ")
            // Who amended it is for staff: a public report does not name the team's members.
            let who = report.context.audience == .staff ? (t.fr ? " par \(a.by)" : " by \(a.by)") : ""
            return t.fr
                ? "Modification de la campagne enregistrée le \(a.date)\(who), après \(t.number(a.answersBefore)) réponse\(a.answersBefore > 1 ? "s" : "") : \(changes). Le plan, les candidatures et les réponses n'en sont pas changés."
                : "Campaign amendment recorded on \(a.date)\(who), after \(t.number(a.answersBefore)) answer\(a.answersBefore == 1 ? "" : "s"): \(changes). The plan, the applications and the answers are unchanged."
        }
    }

    /// A campaign field's name for people (`$.design.responseWindowDays` → "délai de réponse (jours)").
    static func field(_ path: String, fr: Bool) -> String {
        let names: [(String, String, String)] = [
            ("$.design.responseWindowDays", "délai de réponse (jours)", "response window (days)"),
            ("$.title", "titre", "title"), ("$.territory", "territoire", "territory"),
            ("$.criterion.description", "description du critère", "criterion description"),
            ("$.translations", "traductions", "translations"), ("$.language", "langue", "language"),
            ("$.publication", "politique de publication", "publication policy"), ("$.analysis", "options d'analyse", "analysis options"),
            ("$.targets.file", "emplacement du fichier des cibles", "location of the targets file"),
        ]
        for (prefix, french, english) in names where path == prefix || path.hasPrefix(prefix + ".") || path.hasPrefix(prefix + "[") {
            let rest = String(path.dropFirst(prefix.count))
            return (fr ? french : english) + (rest.isEmpty ? "" : " \(rest.drop { $0 == "." })")
        }
        if path.hasPrefix("$.arms") && path.hasSuffix(".label") { return fr ? "libellé d'un profil" : "an arm's label" }
        return path
    }

    /// The two multiplicity families in words (METHODS.md §3).
    static func familiesFR(_ f: Findings) -> String {
        let primary = f.comparisons.filter { $0.family == .confirmatory && $0.primaryP != nil }.count
        let exploratory = f.comparisons.filter { $0.family == .exploratory && $0.primaryP != nil }.count
        return "les \(primary) comparaison\(primary == 1 ? "" : "s") principale\(primary == 1 ? "" : "s") (chaque profil testé annoncé contre le profil de référence, sur tous les tests) forment la famille confirmatoire, ajustée par la méthode de Holm : elles seules font les constats. "
            + (exploratory == 0 ? "Aucune comparaison exploratoire." : "Les \(exploratory) comparaisons exploratoires (sous-groupes, paires de profils testés, profils non annoncés) sont ajustées entre elles par la méthode de Benjamini–Hochberg et ne modifient pas les constats.")
    }

    static func familiesEN(_ f: Findings) -> String {
        let primary = f.comparisons.filter { $0.family == .confirmatory && $0.primaryP != nil }.count
        let exploratory = f.comparisons.filter { $0.family == .exploratory && $0.primaryP != nil }.count
        return "the \(primary) primary comparison\(primary == 1 ? "" : "s") (each tested profile named primary against the reference profile, over all tests) form the confirmatory family, adjusted by Holm's method: only they make findings. "
            + (exploratory == 0 ? "No exploratory comparison." : "The \(exploratory) exploratory comparisons (subgroups, pairs of tested profiles, profiles not named primary) are adjusted among themselves by the Benjamini–Hochberg method and do not change the findings.")
    }

    /// Every comparison × slice with its family and adjusted p-value; small cells suppressed.
    static func adjustedTable(_ report: Report) -> String {
        let t = report.texts, c = report.context
        return ReportTemplates.render("adjustedTable", [
            "label": (t.fr ? "Toutes les comparaisons et leurs p-values ajustées, " : "Every comparison and its adjusted p-values, ") + report.findings.request.id,
            "columns": [t.comparison, t.fr ? "Sous-groupe" : "Subgroup", t.fr ? "Famille" : "Family", t.tests, "mid-p",
                        t.fr ? "p ajusté (Holm, principales)" : "Adjusted p (Holm, primary)", t.fr ? "q (BH, exploratoires)" : "q (BH, exploratory)"],
            "rows": report.findings.comparisons.map { comparison -> [String: Any] in
                let slice = comparison.slice.isEmpty ? (t.fr ? "ensemble" : "all") : comparison.slice.keys.sorted().map { t.slice($0, comparison.slice[$0]!) }.joined(separator: ", ")
                var row: [String: Any] = ["profile": c.label(comparison.tested), "slice": slice, "family": t.family(comparison.family)]
                if !comparison.slice.isEmpty && comparison.tests < c.minimumCellSize {
                    row["suppressed"] = t.fr ? "moins de \(c.minimumCellSize) tests : non présenté" : "fewer than \(c.minimumCellSize) tests: not shown"
                } else {
                    row["shown"] = ["tests": String(comparison.tests), "p": t.pValue(comparison.primaryP), "holm": t.pValue(comparison.holm),
                                    "bh": t.pValue(comparison.benjaminiHochberg)]
                }
                return row
            },
        ])
    }
}
