import Campaigns
import Mustache

/// Fills a campaign's Mustache templates for one application (variables: README,
/// "Template variables"; checked by `validate`). Documents are plain text: nothing is
/// HTML-escaped.
struct DocumentRenderer: Sendable {
    let campaign: Campaign
    private let compiled: [String: (subject: MustacheTemplate?, body: MustacheTemplate)]

    init(campaign: Campaign) {
        self.campaign = campaign
        var compiled: [String: (MustacheTemplate?, MustacheTemplate)] = [:]
        for template in campaign.templates {
            // Validation parsed every template already, so these cannot fail.
            let subject = template.subject.map { try! MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + $0) }
            compiled[template.id] = (subject, try! MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template.body))
        }
        self.compiled = compiled
    }

    func render(_ template: Template, arm: Arm, identity: Identity, target: Target, sendAt: SendTime, tester: String) -> RenderedDocument {
        var profile = campaign.profile
        for (key, value) in arm.profile ?? [:] { profile[key] = value }
        var applicant: [String: Any] = [
            "firstName": identity.firstName, "lastName": identity.lastName,
            "fullName": "\(identity.firstName) \(identity.lastName)",
        ]
        if let email = identity.email { applicant["email"] = email }
        if let phone = identity.phone { applicant["phone"] = phone }
        if let address = identity.address {
            applicant["address"] = ["street": address.street, "postalCode": address.postalCode, "city": address.city]
        }
        for (key, value) in identity.attributes ?? [:] { applicant[key] = value }
        var targetContext: [String: Any] = ["id": target.id, "organization": target.organization, "sector": target.sector, "city": target.city]
        if let district = target.district { targetContext["district"] = district }
        if let title = target.title { targetContext["title"] = title }
        if let contact = target.contact { targetContext["contact"] = contact }
        let date = sendAt.date
        let context: [String: Any] = [
            "applicant": applicant, "profile": profile, "target": targetContext,
            "campaign": ["title": campaign.title, "territory": campaign.territory],
            "send": ["date": String(format2: date.day) + "/" + String(format2: date.month) + "/\(date.year)",
                     "time": String(format2: sendAt.minute / 60) + "h" + String(format2: sendAt.minute % 60)],
            "tester": tester,
        ]
        let pair = compiled[template.id]!
        return RenderedDocument(subject: pair.subject?.render(context), body: pair.body.render(context))
    }
}
