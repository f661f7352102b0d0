import Campaigns
import Barometer
import Foundation
import Stats

/// `analyze --format table`: a terminal table that reads like a paper's.
public enum FindingsTable {
    public static func render(_ f: Findings, title: String) -> String {
        var out: [String] = []
        let r = f.request
        if r.simulated { out.append("*** SIMULATED DATA — not observed outcomes ***") }
        out.append("\(title) (\(r.kind.rawValue) \(r.id))")
        out.append("Reference arm \(r.referenceArm); positive = \(r.scale[r.thresholdIndex]) or higher; \(percent(r.level)) intervals.")
        out.append("p_R, p_T: positive rates over tests (an arm is positive in a test if any of its applications is). "
                   + "Difference p_R − p_T over all tests (Newcombe); net = (b − c)/(a + b + c) over tests with a positive (Newcombe); "
                   + "mid-p McNemar. Family: primary comparisons (confirmatory, Holm within them; only these make headlines) "
                   + "or exploratory ones (slices, all-pairs, other arms; Benjamini–Hochberg within them).")
        out.append("")
        // Column widths follow the longest arm names and slice labels.
        func sliceLabel(_ c: ComparisonFinding) -> String { c.slice.isEmpty ? "all" : c.slice.map { "\($0)=\($1)" }.joined(separator: ",") }
        let nameWidth = max(12, f.comparisons.map { "\($0.reference) vs \($0.tested)".count }.max() ?? 0) + 2
        let sliceWidth = max(7, f.comparisons.map { sliceLabel($0).count }.max() ?? 0) + 2
        let header = padded("comparison", nameWidth) + padded("slice", sliceWidth) + "tests    p_R    p_T    diff  [95% CI]            net  [95% CI]           mid-p      Holm        BH  family"
        out.append(header)
        out.append(String(repeating: "─", count: header.count))
        for c in f.comparisons {
            var line = padded("\(c.reference) vs \(c.tested)", nameWidth) + padded(sliceLabel(c), sliceWidth) + leftPad("\(c.tests)", 5)
            if let p = c.paired {
                let diff = p.difference.interval(.newcombe)?.value, net = p.net.interval(.newcombe)?.value
                line += "  " + decimal(p.referenceRate.estimate.value, places: 3) + "  " + decimal(p.testedRate.estimate.value, places: 3)
                line += "  " + leftPad(decimal(p.difference.estimate.value, places: 3), 6) + "  " + padded(bracket(diff), 18)
                line += "  " + leftPad(decimal(p.net.estimate.value, places: 3), 6) + "  " + padded(bracket(net), 18)
            } else if let b = c.between {
                line += "  (between targets: \(b.targets.reference)+\(b.targets.tested), diff \(decimal(b.difference.value, places: 3)) \(bracket(b.newcombe.value)))"
            } else {
                line += "  no data"
            }
            line += "  " + leftPad(c.primaryP.map(pValue) ?? "—", 9) + "  " + leftPad(c.holm.map(pValue) ?? "—", 9) + "  " + leftPad(c.benjaminiHochberg.map(pValue) ?? "—", 9)
            line += "  " + (c.family == .confirmatory ? "primary" : "exploratory")
            out.append(line)
        }
        if !f.stratified.isEmpty {
            out.append("")
            out.append("Across slices")
            for s in f.stratified {
                var line = "  \(s.reference) vs \(s.tested) by \(s.by) (\(s.strata) values): "
                if let m = s.mantelHaenszel {
                    line += "MH odds ratio \(decimal(m.oddsRatio.value, places: 3)) \(bracket(m.interval.value)), CMH p = \(pValue(m.test.pValue))"
                    if let h = m.homogeneity.value { line += ", Breslow–Day p = \(pValue(h.pValue))" }
                }
                if let h = s.discordantHomogeneity.value { line += "; discordant split homogeneity p = \(pValue(h.pValue))" }
                out.append(line)
            }
        }
        if !f.ordinal.isEmpty {
            out.append("")
            out.append("Ordinal outcomes: net discrimination in reaching each stage, and cumulated (ILO)")
            for o in f.ordinal {
                let stages = o.stages.map { "≥\($0.stage) \(decimal($0.net.value, places: 3))" }.joined(separator: ", ")
                out.append("  \(o.reference) vs \(o.tested): \(stages); cumulated \(decimal(o.cumulatedNet.value, places: 3)) \(bracket(o.cumulatedInterval.value)) (bootstrap)")
            }
        }
        let checks = f.sendOrder + f.testers
        if !checks.isEmpty {
            out.append("")
            out.append("Data-quality checks")
            for c in f.sendOrder {
                out.append("  send order, \(c.reference) vs \(c.tested): sent-first effect \(decimal(c.estimate, places: 3)) \(bracket(c.interval)), p = \(c.test.value.map { pValue($0.pValue) } ?? "—")")
            }
            for c in f.testers {
                let groups = c.groupsArePairs ? "tester pairs" : "testers"
                out.append("  testers, \(c.reference) vs \(c.tested): \(c.groups) \(groups), homogeneity p = \(c.test.value.map { pValue($0.pValue) } ?? "—")")
            }
        }
        if !f.organizations.isEmpty {
            let flagged = f.organizations.filter { ($0.q ?? 1) <= 0.05 }
            out.append("")
            out.append("Organizations: \(f.organizations.count) tested with enough tests; \(flagged.count) with q ≤ 0.05 (Benjamini–Hochberg)"
                       + (flagged.isEmpty ? "" : ": " + flagged.map { "\($0.name ?? $0.label) (\($0.reference) vs \($0.tested))" }.joined(separator: ", ")))
        }
        for card in f.reportCards {
            out.append("")
            out += reportCardLines(card)
        }
        if !f.notes.isEmpty {
            out.append("")
            out += f.notes.map { "Note: \($0)" }
        }
        return out.joined(separator: "\n")
    }

    /// The report card as a table: the distribution, then one row per organization, most
    /// likely to discriminate first.
    static func reportCardLines(_ card: OrganizationReportCard) -> [String] {
        var out: [String] = []
        let g = card.grades
        out.append("Report card, \(card.reference) vs \(card.tested): \(card.rows.count) organizations with ≥ \(card.request.minimumTests) tests (Kline, Rose & Walters 2024)")
        var distribution = "  Across organizations: mean net difference \(decimal(card.prior.estimatesMean, places: 3)), SD \(card.prior.biasCorrectedSD.map { decimal($0, places: 3) } ?? "0 (no detectable spread)") (bias-corrected)"
        if let p0 = card.nullShare { distribution += ", at most \(percent(p0)) do not discriminate (Storey π̂₀)" }
        if let c = card.concentration { distribution += ", top fifth: \(percent(c)) of net lost answers" }
        out.append(distribution)
        out.append("  \(g.count) grade\(g.count == 1 ? "" : "s") by \(g.objective); expected mis-ordered pairs among those graded apart: \(g.discordanceShare.map { percent($0) } ?? "—")"
                   + (g.provenOptimal ? " (exact)" : " (\(g.method); gap to bound \(decimal(g.value - g.bound, places: 4)))"))
        if card.pooledStandardErrors > 0 { out.append("  \(card.pooledStandardErrors) organization(s) whose tests did not vary use the pooled standard error.") }
        let width = max(12, card.rows.map { ($0.name ?? $0.label).count }.max() ?? 0) + 2
        let header = "  " + padded("organization", width) + "tests  estimate  posterior  [credible interval]   rank  grade"
        out.append(header)
        for row in card.rows.sorted(by: { ($0.gradeFromTop, $0.condorcetRank, $0.label) < ($1.gradeFromTop, $1.condorcetRank, $1.label) }) {
            out.append("  " + padded(row.name ?? row.label, width) + leftPad("\(row.tests)", 5) + "  " + leftPad(decimal(row.posterior.estimate, places: 3), 8)
                       + "  " + leftPad(decimal(row.posterior.mean, places: 3), 9) + "  " + padded(bracket(row.posterior.interval), 20)
                       + leftPad("\(row.condorcetRank)", 5) + "  " + card.letter(fromTop: row.gradeFromTop))
        }
        return out
    }

    static func bracket(_ interval: ConfidenceInterval?) -> String {
        guard let interval else { return "[—]" }
        return "[\(decimal(interval.lower, places: 3)), \(decimal(interval.upper, places: 3))]"
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

/// `analyze --format csv`: one row per comparison × slice.
public enum FindingsCSV {
    public static let columns = ["reference", "tested", "slice", "tests", "applications_reference", "applications_tested", "positives_reference",
                          "positives_tested", "both", "reference_only", "tested_only", "neither", "rate_reference", "rate_tested",
                          "difference", "difference_low", "difference_high", "net", "net_low", "net_high", "mid_p", "family", "holm", "bh",
                          "regression", "regression_se", "chi_square_p", "fisher_p", "between_targets_reference", "between_targets_tested"]

    public static func render(_ f: Findings) -> String {
        var csv = CSVWriter(header: columns)
        func number(_ value: Double?) -> CSVWriter.Cell { .number(value.map { "\($0)" } ?? "") }
        for c in f.comparisons {
            let p = c.paired, t = p?.table
            let diff = p?.difference.interval(.newcombe)?.value, net = p?.net.interval(.newcombe)?.value
            let slice = c.slice.keys.sorted().map { "\($0)=\(c.slice[$0]!)" }.joined(separator: ";")
            csv.append([
                .text(c.reference), .text(c.tested), .text(slice), .int(c.tests),
                .int(c.applications.reference), .int(c.applications.tested), .int(c.positives.reference), .int(c.positives.tested),
                .int(t?.both), .int(t?.referenceOnly), .int(t?.testedOnly), .int(t?.neither),
                number(p?.referenceRate.estimate.value), number(p?.testedRate.estimate.value),
                number(p?.difference.estimate.value), number(diff?.lower), number(diff?.upper),
                number(p?.net.estimate.value), number(net?.lower), number(net?.upper),
                number(c.primaryP), .text(c.family.rawValue), number(c.holm), number(c.benjaminiHochberg),
                number(c.regression.value?.estimate), number(c.regression.value?.standardError),
                number(c.chiSquare.value?.pValue), number(c.independentFisher.value?.pValue),
                .int(c.between?.targets.reference ?? 0), .int(c.between?.targets.tested ?? 0),
            ])
        }
        return csv.text
    }

    public static let reportCardColumns = ["reference", "tested", "organization", "name", "tests", "estimate", "standard_error", "standard_error_pooled",
                                           "posterior_mean", "credible_low", "credible_high", "condorcet_rank", "grade", "grade_from_top", "grades"]

    /// `analyze --report-card --format csv`: one row per graded organization.
    public static func reportCard(_ f: Findings) -> String {
        var csv = CSVWriter(header: reportCardColumns)
        for card in f.reportCards {
            for r in card.rows {
                csv.append([.text(card.reference), .text(card.tested), .text(r.label), .text(r.name ?? ""), .int(r.tests),
                            .number("\(r.posterior.estimate)"), .number("\(r.posterior.standardError)"), .text(r.standardErrorPooled ? "yes" : "no"),
                            .number("\(r.posterior.mean)"), .number("\(r.posterior.interval.lower)"), .number("\(r.posterior.interval.upper)"),
                            .int(r.condorcetRank), .text(card.letter(fromTop: r.gradeFromTop)), .int(r.gradeFromTop), .int(card.grades.count)])
            }
        }
        return csv.text
    }
}
