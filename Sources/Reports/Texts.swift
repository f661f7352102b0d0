import Barometer
import Stats

/// Every word the report prints, in French or English, and number formatting.
public struct Texts: Sendable {
    public let language: Language
    init(_ language: Language) { self.language = language }

    var fr: Bool { language == .fr }

    /// A share as a percentage: « 26 % » (French: decimal comma, non-breaking space), "26%".
    func percent(_ value: Double, digits: Int = 0) -> String {
        let number = (value * 100)
        let factor = digits == 0 ? 1.0 : (digits == 1 ? 10.0 : 100.0)
        let rounded = (number * factor).rounded() / factor
        var text = digits == 0 ? String(Int(rounded)) : String(format: "%.\(digits)f", rounded)
        if text == "-0" { text = "0" }
        if fr { return text.replacingOccurrences(of: ".", with: ",").replacingOccurrences(of: "-", with: "−") + "\u{00A0}%" }
        return text.replacingOccurrences(of: "-", with: "−") + "%"
    }

    func interval(_ i: ConfidenceInterval?) -> String {
        guard let i else { return "—" }
        return fr ? "\(percent(i.lower)) à \(percent(i.upper))" : "\(percent(i.lower)) to \(percent(i.upper))"
    }

    /// A plain decimal in the report's language: « 0,25 », "0.25" (trailing zeros kept to `places`).
    func decimal(_ value: Double, places: Int = 2) -> String {
        let text = String(format: "%.\(places)f", value).replacingOccurrences(of: "-", with: "−")
        return fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    func levelLabel(_ value: Double) -> String { fr ? "IC \(percent(value))" : "\(percent(value)) CI" }

    func pValue(_ p: Double?) -> String {
        guard let p else { return "—" }
        if p < 0.001 { return fr ? "< 0,001" : "< 0.001" }
        let text = String(format: "%.3f", p)
        return fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    func number(_ n: Int) -> String {
        let digits = String(n)
        guard n >= 10_000 || (n >= 1000 && !fr) else { return digits }
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(fr ? "\u{202F}" : ",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// The plain-language headline of one comparison.
    func sentence(_ h: Headline, context: ReportContext, level: Double) -> String {
        let tested = context.label(h.tested), reference = context.label(h.reference)
        let ci = levelLabel(level)
        switch h.verdict {
        case .insufficient:
            return fr ? "Candidatures « \(tested) » : trop peu de tests (\(h.tests)) pour conclure."
                      : "“\(tested)” applications: too few tests (\(h.tests)) to conclude."
        case .against, .favour:
            guard let gap = h.relativeGap else { return "" }
            let fewer = h.verdict == .against
            let amount = percent(abs(gap))
            let bounds = h.relativeGapInterval.map { fewer ? interval($0) : interval(ConfidenceInterval(lower: -$0.upper, upper: -$0.lower, level: $0.level)) } ?? "—"
            return fr
                ? "À candidature équivalente, les candidatures « \(tested) » ont reçu \(amount) de réponses positives \(fewer ? "de moins" : "de plus") que les candidatures « \(reference) » (\(ci) : \(bounds)), sur \(number(h.tests)) tests."
                : "With equivalent applications, the “\(tested)” applications received \(amount) \(fewer ? "fewer" : "more") positive answers than the “\(reference)” applications (\(ci): \(bounds)), over \(number(h.tests)) tests."
        case .notDetected:
            let gap = h.relativeGap.map { percent($0) } ?? "—"
            let excludesZero = h.relativeGapInterval.map { $0.lower > 0 || $0.upper < 0 } ?? false
            if excludesZero {
                // The unadjusted interval excludes 0 but the adjusted test is not significant:
                // say both, so that the interval and the verdict do not seem to contradict.
                return fr
                    ? "Candidatures « \(tested) » comparées aux candidatures « \(reference) » : un écart de \(gap) est estimé (\(ci) : \(interval(h.relativeGapInterval))) sur \(number(h.tests)) tests, mais il n'est pas confirmé une fois pris en compte le nombre de comparaisons principales (p ajusté = \(pValue(h.holm))) : aucune différence n'est établie. Cela ne prouve pas l'absence de discrimination."
                    : "“\(tested)” applications compared with “\(reference)” applications: a gap of \(gap) is estimated (\(ci): \(interval(h.relativeGapInterval))) over \(number(h.tests)) tests, but it is not confirmed once the number of primary comparisons is taken into account (adjusted p = \(pValue(h.holm))): no difference is established. This does not show that there is no discrimination."
            }
            return fr
                ? "Candidatures « \(tested) » comparées aux candidatures « \(reference) » : aucune différence n'a été détectée avec \(number(h.tests)) tests (écart estimé \(gap), \(ci) : \(interval(h.relativeGapInterval))). Cela ne prouve pas l'absence de discrimination."
                : "“\(tested)” applications compared with “\(reference)” applications: no difference was detected with \(number(h.tests)) tests (estimated gap \(gap), \(ci): \(interval(h.relativeGapInterval))). This does not show that there is no discrimination."
        }
    }

    // Fixed texts.
    var simulated: String { fr ? "SIMULATION — données fictives" : "SIMULATION — not real data" }
    var summary: String { fr ? "Ce que le testing a mesuré" : "What the testing measured" }
    var barometerTable: String { fr ? "Le baromètre" : "The barometer" }
    var charts: String { fr ? "En images" : "In pictures" }
    var forestTitle: String { fr ? "Discrimination nette et son intervalle de confiance" : "Net discrimination with its confidence interval" }
    var ratesTitle: String { fr ? "Taux de réponses positives par profil" : "Positive answer rate per profile" }
    var organizations: String { fr ? "Organisations testées" : "Organizations tested" }
    var quality: String { fr ? "Qualité des données" : "Data quality" }
    var methods: String { fr ? "Annexe méthodologique" : "Methods annex" }
    var limits: String { fr ? "Ce que le testing mesure, et ce qu'il ne mesure pas" : "What testing measures, and what it does not" }
    var comparison: String { fr ? "Profil testé" : "Tested profile" }
    var tests: String { fr ? "Tests" : "Tests" }
    var netColumn: String { fr ? "Discrimination nette" : "Net discrimination" }
    var gapColumn: String { fr ? "Écart relatif" : "Relative gap" }
    var ratesColumn: String { fr ? "Taux (réf. / testé)" : "Rates (ref. / tested)" }
    var adjustedColumn: String { fr ? "p ajusté (Holm)" : "Adjusted p (Holm)" }
    func family(_ f: AnalysisFamily) -> String {
        switch f {
        case .confirmatory: return fr ? "principale" : "primary"
        case .exploratory: return fr ? "exploratoire" : "exploratory"
        }
    }
    var verdictColumn: String { fr ? "Constat" : "Finding" }

    func verdict(_ v: Verdict) -> String {
        switch v {
        case .against: return fr ? "défavorisé" : "disadvantaged"
        case .favour: return fr ? "favorisé" : "favoured"
        case .notDetected: return fr ? "aucune différence détectée" : "no difference detected"
        case .insufficient: return fr ? "trop peu de tests" : "too few tests"
        }
    }

    var scrollTable: String { fr ? "Tableau des résultats (défile horizontalement sur un petit écran)" : "Table of results (scrolls sideways on a small screen)" }
    var essentials: String { fr ? "L'essentiel" : "At a glance" }
    var chartTitle: String {
        fr ? "À candidature équivalente, part des réponses positives que le groupe testé n'a pas reçues par rapport au groupe de référence, avec son intervalle de confiance à 95 %"
           : "For equivalent applications, the share of positive answers the tested group did not get compared with the reference group, with its 95% confidence interval"
    }
    var essentialsLegend: String {
        fr ? "Point plein et trait continu : écart établi, après ajustement pour le nombre de comparaisons principales. Point creux et trait pointillé : écart non établi. À droite de 0 : le groupe testé reçoit moins de réponses positives."
           : "Filled dot and solid line: gap established, after adjustment for the number of primary comparisons. Hollow dot and dashed line: not established. Right of 0: the tested group gets fewer positive answers."
    }
    var definitionsTitle: String { fr ? "Ce qui a été mesuré" : "What was measured" }
    var measuresInBrief: String {
        fr ? "des candidatures fictives équivalentes, ne différant que par le critère testé, envoyées aux mêmes offres ; l'écart mesure l'effet de ce critère sur la première réponse, pas l'embauche ou la signature du bail, ni les discriminations vécues par chacun."
           : "equivalent fictitious applications, differing only in the criterion tested, sent to the same offers; the gap measures that criterion's effect on the first answer, not hiring or signing a lease, nor what each person lives through."
    }
    var helpLine: String {
        fr ? "Vous pensez avoir été victime de discrimination ? Le Défenseur des droits vous écoute et vous aide : antidiscriminations.fr, ou le 39 28 (numéro gratuit)."
           : "Do you think you were discriminated against? France's Défenseur des droits listens and helps: antidiscriminations.fr, or call 39 28 (free)."
    }

    /// A slice as people read it: « canal = courriel », "channel = email".
    func slice(_ column: String, _ value: String) -> String {
        let columns: [String: (String, String)] = ["sector": ("secteur", "sector"), "city": ("ville", "city"), "district": ("quartier", "district"),
                                                   "channel": ("canal", "channel"), "organization": ("organisation", "organization")]
        let name = columns[column].map { fr ? $0.0 : $0.1 } ?? column
        let shown = column == "channel" ? channel(value) : value
        return "\(name) = \(shown)"
    }

    /// A channel in words: « courriel », "phone".
    func channel(_ value: String) -> String {
        let channels: [String: (String, String)] = ["email": ("courriel", "email"), "phone": ("téléphone", "phone"), "letter": ("courrier", "letter"),
                                                    "visit": ("visite", "visit")]
        return channels[value].map { fr ? $0.0 : $0.1 } ?? value
    }

    /// An outcome level in words (the scales of METHODS.md §1, and an imported study's).
    func level(_ name: String) -> String {
        let words: [String: (String, String)] = [
            "no_response": ("pas de réponse", "no response"), "refusal": ("un refus", "a refusal"),
            "information_only": ("une simple information", "information only"), "visit_offered": ("une proposition de visite", "an offer to visit"),
            "file_accepted": ("un dossier accepté", "an application accepted"), "information_request": ("une demande d'informations", "a request for information"),
            "interview": ("une invitation à un entretien", "an interview invitation"), "offer": ("une offre de stage", "an internship offer"),
            "positive": ("une réponse positive (rappel de l'employeur ou du bailleur)", "a positive answer (a callback)"), "negative": ("pas de réponse positive", "no positive answer"),
        ]
        return words[name].map { fr ? $0.0 : $0.1 } ?? name
    }

    /// « une proposition de visite ou mieux (un dossier accepté) ».
    func positiveDefinition(scale: [String], threshold: Int, labels: [String: String] = [:]) -> String {
        guard scale.indices.contains(threshold) else { return "—" }
        func word(_ name: String) -> String { labels[name] ?? level(name) }
        let higher = scale[(threshold + 1)...].map(word)
        if higher.isEmpty { return word(scale[threshold]) }
        return fr ? "\(word(scale[threshold])) ou mieux (\(higher.joined(separator: ", ")))" : "\(word(scale[threshold])) or better (\(higher.joined(separator: ", ")))"
    }

    /// « du 6 janvier au 27 juin 2025 » from two timestamps.
    func period(from: String, to: String) -> String {
        func parts(_ s: String) -> (Int, Int, Int)? {
            let p = s.prefix(10).split(separator: "-").compactMap { Int($0) }
            return p.count == 3 ? (p[0], p[1], p[2]) : nil
        }
        guard let a = parts(from), let b = parts(to) else { return "\(from) – \(to)" }
        let months = fr ? ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
                        : ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        func day(_ d: (Int, Int, Int), year: Bool) -> String {
            fr ? "\(d.2 == 1 ? "1er" : String(d.2)) \(months[d.1 - 1])" + (year ? " \(d.0)" : "") : "\(months[d.1 - 1]) \(d.2)" + (year ? ", \(d.0)" : "")
        }
        return fr ? "du \(day(a, year: a.0 != b.0)) au \(day(b, year: true))" : "from \(day(a, year: a.0 != b.0)) to \(day(b, year: true))"
    }

    /// The verdict in one or two words (« L'essentiel »'s chart).
    func shortVerdict(_ v: Verdict) -> String {
        switch v {
        case .against: return fr ? "établi" : "established"
        case .favour: return fr ? "établi, en faveur du groupe testé" : "established, in the tested group's favour"
        case .notDetected: return fr ? "non établi" : "not established"
        case .insufficient: return fr ? "trop peu de tests" : "too few tests"
        }
    }

    /// The verdict as the chart writes it under each row's label.
    func chartVerdict(_ v: Verdict) -> String {
        switch v {
        case .against: return fr ? "écart établi (défavorisé)" : "gap established (disadvantaged)"
        case .favour: return fr ? "écart établi (favorisé)" : "gap established (favoured)"
        case .notDetected: return fr ? "non établi après ajustement" : "not established after adjustment"
        case .insufficient: return fr ? "trop peu de tests" : "too few tests"
        }
    }

    var forestLegend: String {
        fr ? "Point plein et trait continu : écart établi après ajustement pour le nombre de comparaisons principales ; point creux et trait pointillé : écart non établi (l'intervalle, non ajusté, peut alors exclure 0)."
           : "Filled dot and solid line: gap established after adjustment for the number of primary comparisons; hollow dot and dashed line: not established (the interval, unadjusted, may then exclude 0)."
    }

    func reference(_ label: String) -> String { fr ? "Profil de référence : \(label)." : "Reference profile: \(label)." }

    var netDefinition: String {
        fr ? "Discrimination nette : (tests où seul le profil de référence a reçu une réponse positive − tests où seul le profil testé en a reçu une) ÷ tests où au moins un profil a reçu une réponse positive."
           : "Net discrimination: (tests where only the reference profile got a positive answer − tests where only the tested profile did) ÷ tests where at least one profile got a positive answer."
    }

    var limitsText: [String] {
        fr ? [
            "Un test envoie des candidatures équivalentes, qui ne diffèrent que par le critère testé, à la même offre. L'écart mesure l'effet de ce critère sur la première étape du recrutement ou de la location, dans les offres testées.",
            "Il ne mesure ni les étapes suivantes (entretien, embauche, signature du bail), ni les offres qui ne sont pas publiées, ni les discriminations que subissent les personnes réelles dans leur parcours.",
            "« Aucune différence détectée » signifie que l'écart, s'il existe, est trop petit pour être distingué du hasard avec ce nombre de tests ; ce n'est pas une preuve d'absence de discrimination.",
            "Les constats du baromètre portent sur les comparaisons principales, annoncées avant l'analyse, et leurs p-values sont ajustées pour leur nombre (Holm). Les résultats par sous-groupe, par organisation ou entre profils testés sont exploratoires : ajustés entre eux (Benjamini–Hochberg), ils ne font jamais un constat.",
        ] : [
            "A test sends equivalent applications, differing only in the criterion tested, to the same offer. The gap measures that criterion's effect on the first stage of hiring or renting, in the offers tested.",
            "It does not measure later stages (interview, hiring, lease), offers that are not advertised, or the discrimination real people meet along their path.",
            "“No difference detected” means that a gap, if there is one, is too small to tell from chance with this number of tests; it is not proof that there is no discrimination.",
            "The barometer's findings rest on the primary comparisons, stated before the analysis, with p-values adjusted for their number (Holm). Results by subgroup, by organization or between tested profiles are exploratory: adjusted among themselves (Benjamini–Hochberg), they never make a finding.",
        ]
    }
}

extension String {
    /// "Prénom et nom d'origine maghrébine" → "prénom et nom …" inside a sentence; keeps
    /// acronyms and proper names that start with two capitals.
    var lowercasedFirst: String {
        guard let first = first, count > 1 else { return self }
        let second = self[index(after: startIndex)]
        if second.isUppercase || second == "." { return self }
        return first.lowercased() + dropFirst()
    }
}
