import Campaigns

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
