import ArgumentParser
import Barometer
import Campaigns
import Foundation
import Ledger
import Reports
import Stats
import Values

/// Reads a campaign or study from the ledger and computes its findings: shared by
/// `analyze` and `report`, so that both say exactly the same thing.
struct AnalysisLoader {
    let source: SourceInfo
    /// The campaign file, for campaigns.
    let campaign: Campaign?
    let findings: Findings
    /// When the tests were sent (campaigns), from the ledger.
    let sendPeriod: (first: String, last: String)?
    /// The campaign's recorded amendments, oldest first.
    var amendments: [Amendment] = []
    /// The registered pre-analysis plan and the deviations from it (nil when none).
    var preregistration: PreregistrationNote?
    /// Names of the organizations whose response to their evidence file is on file.
    var responsesOnFile: Set<String> = []

    static func load(ledger: LedgerOptions, campaign: String?, study: String?, by: [String], level: Double?, seed: UInt64,
                     allPairs: Bool, primary: [String]? = nil, grades: GradingObjective? = nil) throws -> AnalysisLoader {
        let store = try ledger.openForReading()
        let id = campaign ?? study!
        let source: SourceInfo
        let stored: ApplicationColumns
        do {
            source = try store.source(id)
            stored = try store.applicationColumns(campaign: id)
        } catch {
            throw report(error)
        }
        let asked: SourceKind = study != nil ? .study : .campaign
        if source.kind != asked {
            printError("error: \(id) is a \(source.kind.rawValue), not a \(asked.rawValue)\n  hint: use --\(source.kind.rawValue) \(id)")
            throw SysExit.dataError
        }
        let definition = try Self.storedCampaign(source)
        let scaleIndex = Dictionary(uniqueKeysWithValues: source.scale.enumerated().map { ($1, $0) })
        // Keyed pseudonyms for the organizations (the ledger's secret; never the names' order).
        let labels: [String]
        let period: (first: String, last: String)?
        let amendments: [Amendment]
        let registered: Preregistration?
        let responses: [OrganizationResponse]
        do {
            labels = try store.pseudonyms(for: stored.organizations)
            period = try store.sendPeriod(campaign: id)
            amendments = source.kind == .campaign ? try store.amendments(campaign: id) : []
            registered = try store.preregistration(campaign: id)
            responses = source.kind == .campaign ? try store.responses(campaign: id) : []
        } catch {
            throw report(error)
        }
        var request = AnalysisRequest(
            kind: source.kind, id: id, referenceArm: source.referenceArm, scale: source.scale,
            thresholdIndex: scaleIndex[source.positiveThreshold] ?? 1,
            slices: by.isEmpty ? (definition?.analysis?.slices ?? source.sliceColumns) : by,
            level: level ?? definition?.analysis?.level ?? 0.95, allPairs: allPairs, seed: seed,
            organizationsNamed: definition?.publication?.organizations == .named,
            minimumCellSize: definition?.publication?.minimumCellSize ?? 5,
            simulated: stored.simulated, primary: primary ?? definition?.analysis?.primary ?? source.primaryArms)
        request.placeboArm = definition?.placeboArm?.id
        request.reportCard = Self.reportCardRequest(definition?.analysis?.reportCard, grades: grades)
        request.organizationLabels = Dictionary(zip(stored.organizations, labels), uniquingKeysWith: { first, _ in first })
        do {
            let storedArms = stored.arms
            var loader = AnalysisLoader(source: source, campaign: definition, findings: try Analyzer.analyze(consume stored, request), sendPeriod: period,
                                        amendments: amendments)
            loader.responsesOnFile = Set(responses.map(\.organization))
            loader.preregistration = registered.map { plan in
                Self.note(plan, amendments: amendments, request: request, tested: storedArms.filter { $0 != source.referenceArm && $0 != request.placeboArm }.sorted())
            }
            return loader
        } catch {
            throw report(error, dataError: true)
        }
    }

    /// The report card's settings: the command line's grading choice over the campaign's
    /// `analysis.reportCard`, over the defaults (10 tests, 5 organizations, λ = 0.25).
    static func reportCardRequest(_ settings: ReportCardSettings?, grades: GradingObjective?) -> ReportCardRequest {
        var request = ReportCardRequest()
        if let n = settings?.minimumTests { request.minimumTests = n }
        if let n = settings?.minimumOrganizations { request.minimumOrganizations = n }
        switch settings?.grades?.by {
        case .lambda?: request.objective = .lambda(settings!.grades!.value)
        case .discordanceRate?: request.objective = .discordanceRate(settings!.grades!.value)
        case nil: break
        }
        if let grades { request.objective = grades }
        return request
    }

    /// The campaign file the ledger keeps for a campaign (nil for a study). One that cannot be
    /// read is an error, not a silent fallback to default settings.
    static func storedCampaign(_ source: SourceInfo) throws -> Campaign? {
        guard source.kind == .campaign, let text = source.definition else { return nil }
        do {
            return try JSONDecoder().decode(Campaign.self, from: Data(text.utf8))
        } catch {
            printError("error: the campaign file stored in the ledger for \(source.id) cannot be read: \(error)\n"
                       + "  hint: the ledger was probably written by another version of barometre; run `barometre plan` on the campaign file with this version")
            throw SysExit.dataError
        }
    }

    /// How the analysis departs from the registered plan: amendments after it, primary
    /// comparisons changed, slices and comparisons it did not announce.
    static func note(_ plan: Preregistration, amendments: [Amendment], request: AnalysisRequest, tested: [String]) -> PreregistrationNote {
        var deviations: [PreregistrationNote.Deviation] = []
        for a in amendments where a.amendedAt > plan.registeredAt {
            deviations.append(.amendment(date: String(a.amendedAt.prefix(10)), fields: a.changes.map(\.path)))
        }
        let used = (request.primary ?? tested).sorted()
        if used != plan.primaryArms.sorted() { deviations.append(.primaryChanged(planned: plan.primaryArms.sorted(), used: used)) }
        let unannounced = request.slices.filter { !plan.slices.contains($0) }
        if !unannounced.isEmpty { deviations.append(.unannouncedSlices(unannounced)) }
        if request.allPairs { deviations.append(.allPairs) }
        return PreregistrationNote(date: String(plan.registeredAt.prefix(10)), fingerprint: plan.fingerprint, answersBefore: plan.answersBefore,
                                   deviations: deviations)
    }

    /// `analyze --format json`: the findings, with the registered plan when there is one.
    var json: JSONValue {
        guard let note = preregistration, case var .object(pairs) = findings.json else { return findings.json }
        pairs.append(("preregistration", .object([
            ("registered", .string(note.date)), ("fingerprint", .string(note.fingerprint)), ("late", .bool(note.answersBefore > 0)),
            ("answersBefore", .int(note.answersBefore)), ("followed", .bool(note.deviations.isEmpty)),
            ("deviations", .array(note.sentences(.en).map(JSONValue.string))),
        ])))
        return .object(pairs)
    }
}
