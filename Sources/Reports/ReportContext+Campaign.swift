import Campaigns
import Barometer

extension ReportContext {
    /// A campaign's or study's context in `language`: the campaign's own texts, or their
    /// translation from its `translations` (listed in `untranslated` when missing), the study's
    /// labels for its arm codes, the publication policy, and the send dates.
    public static func describing(campaign: Campaign?, studyTitle: String, studyLabels: [String: String] = [:], language: Language,
                                  date: String, audience: Audience, sentFrom: String?, sentTo: String?) -> ReportContext {
        let lang = language.rawValue
        let translation = campaign.flatMap { $0.textLanguage == lang ? nil : $0.translations?[lang] }
        var untranslated: [String] = []
        if let c = campaign, c.textLanguage != lang {
            if translation?.title == nil { untranslated.append("title") }
            if translation?.criterion == nil { untranslated.append("criterion") }
            if c.arms.contains(where: { translation?.arms?[$0.id] == nil }) { untranslated.append("arms") }
        }
        var labels = Dictionary(uniqueKeysWithValues: (campaign?.arms ?? []).map { ($0.id, $0.label) })
        for (code, text) in studyLabels { labels[code] = text }
        for (id, label) in translation?.arms ?? [:] { labels[id] = label }
        var context = ReportContext(
            title: translation?.title ?? campaign?.title ?? studyTitle, territory: campaign?.territory, domain: campaign?.domain.rawValue,
            criterion: translation?.criterion ?? campaign?.criterion.description,
            armLabels: labels,
            wave: campaign?.wave, organizationsNamed: campaign?.publication?.organizations == .named,
            namingMaxQ: campaign?.publication?.naming?.maxQValue, namingMinTests: campaign?.publication?.naming?.minTests,
            minimumCellSize: campaign?.publication?.minimumCellSize ?? 5, date: date, audience: audience,
            sentFrom: sentFrom, sentTo: sentTo)
        context.levelLabels = translation?.levels ?? [:]
        context.untranslated = untranslated
        return context
    }
}

extension BarometerEntry {
    /// One entry of a barometer file, in `language`: its labels and criterion (or their
    /// translation from the entry's `translations`), its domain and wave (the file's, else the
    /// campaign's), around the report of its findings.
    public static func describing(_ entry: BarometerFile.Entry, fileLanguage: String, campaign: Campaign?, findings: Findings,
                                  context base: ReportContext, language: Language) -> BarometerEntry {
        let lang = language.rawValue
        var context = base
        let translation = fileLanguage == lang ? nil : entry.translations?[lang]
        for (code, text) in entry.labels ?? [:] { context.armLabels[code] = text }
        for (code, text) in translation?.labels ?? [:] { context.armLabels[code] = text }
        if fileLanguage != lang, campaign == nil, !(entry.labels ?? [:]).isEmpty, translation?.labels == nil {
            context.untranslated.append("arms")
        }
        let criterion = translation?.criterion ?? entry.criterion
            ?? campaign.map { $0.criterion.grounds.map { language == .fr ? $0.frenchName : $0.rawValue.replacingOccurrences(of: "-", with: " ") }.joined(separator: " × ") }
            ?? ""
        return BarometerEntry(domain: entry.domain?.rawValue ?? campaign?.domain.rawValue ?? "", criterion: criterion,
                              wave: entry.wave ?? campaign?.wave ?? 1, report: Report(findings: findings, context: context, language: language))
    }
}

extension BarometerFile {
    /// The file's title and territory in `language` (its translation when it has one).
    public func texts(in language: Language) -> (title: String, territory: String) {
        let translation = (self.language ?? "fr") == language.rawValue ? nil : translations?[language.rawValue]
        return (translation?.title ?? title, translation?.territory ?? territory)
    }
}
