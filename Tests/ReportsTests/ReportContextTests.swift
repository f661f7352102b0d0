import Foundation
import Testing
import TestSupport
@testable import Campaigns
@testable import Reports

/// A report's context in its language, from the campaign's translations.
@Suite("report context from a campaign")
struct ReportContextTests {
    @Test("English from the campaign's translations; French as written; what lacks a translation is listed")
    func translations() throws {
        let campaign = try CampaignLoader.load(Repository.url("Tests/CampaignsTests/Fixtures/full.json")).campaign
        let en = ReportContext.describing(campaign: campaign, studyTitle: "", language: .en, date: "2026-11-30", audience: .public, sentFrom: nil, sentTo: nil)
        #expect(en.title == "Full test campaign" && en.criterion?.hasPrefix("Origin signalled") == true)
        #expect(en.armLabels["hors-qpv-maghrebine"] == "Label hors-qpv-maghrebine" && en.untranslated.isEmpty)
        #expect(en.levelLabels["interview"] == "an interview invitation")
        let fr = ReportContext.describing(campaign: campaign, studyTitle: "", language: .fr, date: "2026-11-30", audience: .public, sentFrom: nil, sentTo: nil)
        #expect(fr.title == campaign.title && fr.armLabels["hors-qpv-maghrebine"] == "Adresse hors QPV, origine maghrébine" && fr.untranslated.isEmpty)
        var bare = campaign
        bare.translations = nil
        let untranslated = ReportContext.describing(campaign: bare, studyTitle: "", language: .en, date: "2026-11-30", audience: .public, sentFrom: nil, sentTo: nil)
        #expect(untranslated.untranslated == ["title", "criterion", "arms"] && untranslated.title == campaign.title)
        // A study: its title and the labels given at import.
        let study = ReportContext.describing(campaign: nil, studyTitle: "inter1", studyLabels: ["Woman.S": "Femme, origine sénégalaise"], language: .en,
                                             date: "2026-11-30", audience: .staff, sentFrom: nil, sentTo: nil)
        #expect(study.title == "inter1" && study.armLabels == ["Woman.S": "Femme, origine sénégalaise"] && study.audience == .staff)
    }
}
