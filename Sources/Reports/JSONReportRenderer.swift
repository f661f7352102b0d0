import Barometer
import Stats
import Values

/// The report as JSON: the findings plus the report's texts.
public enum JSONReportRenderer {
    public static func render(_ report: Report) -> String {
        let t = report.texts
        let json = JSONValue.object([
            ("schema", .string("barometre.report/1")),
            ("language", .string(report.language.rawValue)),
            ("title", .string(report.context.title)),
            ("simulated", .bool(report.findings.request.simulated)),
            ("headlines", .array(report.headlines.map { h in
                .object([("reference", .string(h.reference)), ("tested", .string(h.tested)), ("tests", .int(h.tests)),
                         ("verdict", .string(h.verdict.rawValue)), ("sentence", .string(h.sentence)),
                         ("relativeGap", h.relativeGap.map(JSONValue.number) ?? .null),
                         ("relativeGapInterval", h.relativeGapInterval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
                         ("net", h.net.map(JSONValue.number) ?? .null),
                         ("netInterval", h.netInterval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
                         ("holm", h.holm.map(JSONValue.number) ?? .null)])
            })),
            ("quality", .array(Quality.notes(report).map(JSONValue.string))),
            ("methods", .array(Methods.paragraphs(report).map(JSONValue.string))),
            ("limits", .array(t.limitsText.map(JSONValue.string))),
            ("organizations", .array(Organizations.rows(report).map { .object([("organization", .string($0.label)), ("tested", .string($0.tested)),
                                                                                ("tests", .int($0.tests)), ("midP", .number($0.midP)),
                                                                                ("q", $0.q.map(JSONValue.number) ?? .null)]) })),
            ("findings", report.findings.json),
        ])
        return json.rendered() + "\n"
    }
}
