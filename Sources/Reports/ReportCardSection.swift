import Barometer
import Stats

/// The organizations' report card in a report (METHODS.md §4): plain sentences, the grades
/// chart (posterior intervals ordered by rank, each grade drawn with its own colour, mark and
/// letter) and the table. The staff report shows every graded organization by pseudonym; the
/// public report shows an organization only where it may be named (the evidence bar), and
/// otherwise only the distribution (SD, π̂₀, concentration).
enum ReportCardSection {
    struct Row { let label: String; let row: ReportCardRow; let responseOnFile: Bool }

    /// Colour-blind-safe colours (Okabe & Ito) from the least to the most likely to
    /// discriminate; grades beyond six reuse them, the letter always says which grade.
    static let palette = ["#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9"]
    static let marks = ["circle", "square", "diamond", "triangle"]

    static func rows(_ report: Report, _ card: OrganizationReportCard) -> [Row] {
        let c = report.context
        let tests = Dictionary(report.findings.organizations.filter { $0.tested == card.tested }.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        return card.rows.compactMap { row in
            let finding = tests[row.label]
            let named = finding.map(c.mayName) ?? false
            if c.audience == .public && !named { return nil }
            let label = named ? (finding?.name ?? row.label) : row.label
            return Row(label: label, row: row, responseOnFile: named && c.responsesOnFile.contains(finding?.name ?? ""))
        }.sorted { ($0.row.gradeFromTop, $0.row.condorcetRank, $0.label) < ($1.row.gradeFromTop, $1.row.condorcetRank, $1.label) }
    }

    static func html(_ report: Report, heading h: String, idPrefix: String) -> String {
        let t = report.texts, c = report.context
        var parts: [String] = []
        for (index, card) in report.findings.reportCards.enumerated() {
            let rows = rows(report, card)
            let id = "\(idPrefix)report-card\(index == 0 ? "" : "-\(index + 1)")"
            var paragraphs = distribution(card, texts: t)
            if !rows.isEmpty { paragraphs.insert(gradesSentence(card, texts: t), at: 0) }
            if c.audience == .public {
                paragraphs.append(rows.isEmpty
                    ? (t.fr ? "Aucune organisation n'est nommée : la politique de publication de la campagne ne le permet pas, ou aucune n'atteint le seuil de preuve. Seule la distribution est publiée."
                            : "No organization is named: the campaign's publication policy does not allow it, or none meets the evidence bar. Only the distribution is published.")
                    : (t.fr ? "Seules les organisations qui atteignent le seuil de preuve de la campagne sont nommées ; une organisation dont la réponse est au dossier est signalée."
                            : "Only organizations that meet the campaign's evidence bar are named; an organization whose response is on file is marked."))
            } else {
                paragraphs.append(t.fr ? "Rapport destiné à l'équipe : les organisations sont pseudonymes ; avant toute désignation publique, chacune reçoit son dossier de preuves (barometre evidence) et peut répondre."
                                       : "Staff report: organizations are pseudonymous; before anyone is named, each receives its evidence file (barometre evidence) and may respond.")
            }
            parts.append(ReportTemplates.render("reportCard", [
                "h": h, "id": id,
                "title": (t.fr ? "Bulletin des organisations" : "Organizations' report card") + (report.findings.reportCards.count > 1 ? " — \(c.label(card.tested))" : ""),
                "paragraphs": paragraphs,
                "chart": rows.isEmpty ? "" : chart(rows, card: card, texts: t, id: id),
                "table": rows.isEmpty ? false : [
                    "label": (t.fr ? "Bulletin, " : "Report card, ") + c.label(card.tested),
                    "columns": [t.fr ? "Organisation" : "Organization", t.fr ? "Note" : "Grade", t.tests,
                                t.fr ? "Écart observé" : "Observed gap", t.fr ? "Estimation bayésienne [intervalle crédible]" : "Bayesian estimate [credible interval]",
                                t.fr ? "Rang (Condorcet)" : "Rank (Condorcet)"]
                        + (c.audience == .public ? [t.fr ? "Réponse de l'organisation" : "Organization's response"] : []),
                    "rows": rows.map { r -> [String: Any] in
                        var cells = [t.percent(r.row.posterior.estimate), "\(t.percent(r.row.posterior.mean)) [\(t.interval(r.row.posterior.interval))]", String(r.row.condorcetRank)]
                        if c.audience == .public { cells.append(r.responseOnFile ? (t.fr ? "au dossier" : "on file") : (t.fr ? "aucune" : "none")) }
                        return ["label": r.label, "grade": card.letter(fromTop: r.row.gradeFromTop), "tests": String(r.row.tests), "cells": cells]
                    },
                ] as Any,
                "method": method(card, level: report.findings.request.level, texts: t),
            ]))
        }
        return parts.joined(separator: "\n")
    }

    /// The same section in Markdown: sentences, the table, the method (no chart).
    static func markdown(_ report: Report) -> [String] {
        let t = report.texts, c = report.context
        var out: [String] = []
        for card in report.findings.reportCards {
            let rows = rows(report, card)
            out.append("\n## " + (t.fr ? "Bulletin des organisations" : "Organizations' report card") + (report.findings.reportCards.count > 1 ? " — \(c.label(card.tested))" : "") + "\n")
            if !rows.isEmpty { out.append(gradesSentence(card, texts: t) + "\n") }
            out += distribution(card, texts: t).map { $0 + "\n" }
            if !rows.isEmpty {
                out.append("| \(t.fr ? "Organisation" : "Organization") | \(t.fr ? "Note" : "Grade") | \(t.tests) | \(t.fr ? "Écart observé" : "Observed gap") | \(t.fr ? "Estimation bayésienne [intervalle crédible]" : "Bayesian estimate [credible interval]") | \(t.fr ? "Rang" : "Rank") |")
                out.append("|---|---|---:|---|---|---:|")
                for r in rows {
                    out.append("| \(r.label) | \(card.letter(fromTop: r.row.gradeFromTop)) | \(r.row.tests) | \(t.percent(r.row.posterior.estimate)) | \(t.percent(r.row.posterior.mean)) [\(t.interval(r.row.posterior.interval))] | \(r.row.condorcetRank) |")
                }
                out.append("")
            }
            out.append(method(card, level: report.findings.request.level, texts: t))
        }
        return out
    }

    /// "Grade D: the organizations most likely to discriminate; … at most X %."
    static func gradesSentence(_ card: OrganizationReportCard, texts t: Texts) -> String {
        let g = card.grades
        guard g.count > 1 else {
            return t.fr ? "Une seule note : les données ne permettent pas de classer ces organisations les unes par rapport aux autres sans trop de risque d'erreur."
                        : "A single grade: the data do not order these organizations without too great a risk of error."
        }
        let top = card.letter(fromTop: 1), bottom = card.letter(fromTop: g.count)
        let share = g.discordanceShare.map { t.percent($0, digits: 1) } ?? "—"
        let largest = g.largestDiscordance.map { t.percent($0) } ?? "—"
        return t.fr
            ? "\(g.count) notes. Note \(top) : les organisations les plus susceptibles de discriminer ; note \(bottom) : les moins susceptibles. Pour deux organisations de notes différentes, la probabilité qu'elles soient dans le mauvais ordre est de \(share) en moyenne et d'au plus \(largest)."
            : "\(g.count) grades. Grade \(top): the organizations most likely to discriminate; grade \(bottom): the least likely. For two organizations in different grades, the chance that they are in the wrong order is \(share) on average and at most \(largest)."
    }

    static func distribution(_ card: OrganizationReportCard, texts t: Texts) -> [String] {
        var out: [String] = []
        let n = card.grades.fromTop.count
        let spread = card.prior.biasCorrectedSD.map { t.percent($0, digits: 1) }
        out.append(t.fr
            ? "\(n) organisations ayant reçu au moins \(card.request.minimumTests) tests. Écart moyen de réponses positives entre les profils : \(t.percent(card.prior.estimatesMean, digits: 1)) ; "
                + (spread.map { "d'une organisation à l'autre, il varie avec un écart-type de \($0) (corrigé du bruit d'échantillonnage)." } ?? "les écarts observés ne varient pas plus que le bruit d'échantillonnage ne l'explique.")
            : "\(n) organizations that received at least \(card.request.minimumTests) tests. Mean gap in positive answers between the profiles: \(t.percent(card.prior.estimatesMean, digits: 1)); "
                + (spread.map { "from one organization to the next it varies with a standard deviation of \($0) (net of sampling noise)." } ?? "the observed gaps vary no more than sampling noise explains."))
        if let p0 = card.nullShare {
            out.append(t.fr ? "Au plus \(t.percent(p0)) de ces organisations ne discriminent pas (estimation π̂₀ de Storey) ; autrement dit, au moins \(t.percent(1 - p0)) discriminent."
                            : "At most \(t.percent(p0)) of these organizations do not discriminate (Storey's π̂₀); in other words, at least \(t.percent(1 - p0)) do.")
        }
        if let share = card.concentration {
            if share >= 0.995 {
                out.append(t.fr ? "Le cinquième des organisations qui discriminent le plus concentre la totalité des réponses positives perdues en net par le profil testé : les autres, ensemble, ne le défavorisent pas."
                                : "The fifth of organizations that discriminate most accounts for all the positive answers the tested profile lost, net: the others, together, do not disfavour it.")
            } else {
                out.append(t.fr ? "Le cinquième des organisations qui discriminent le plus concentre \(t.percent(share)) des réponses positives perdues en net par le profil testé."
                                : "The fifth of organizations that discriminate most accounts for \(t.percent(share)) of the positive answers the tested profile lost, net.")
            }
        }
        return out
    }

    static func method(_ card: OrganizationReportCard, level: Double, texts t: Texts) -> String {
        let g = card.grades
        let objective: String
        switch g.objective {
        case let .lambda(l):
            objective = t.fr ? "λ = \(t.decimal(l)) : une organisation n'est placée au-dessus d'une autre que si la probabilité qu'elle discrimine davantage dépasse \(t.percent(1 / (1 + l)))"
                             : "λ = \(t.decimal(l)): an organization is placed above another only if the chance that it discriminates more exceeds \(t.percent(1 / (1 + l)))"
        case let .discordanceRate(d):
            objective = t.fr ? "le plus de notes possible avec un taux de paires mal ordonnées attendu d'au plus \(t.percent(d / 2, digits: 1)) des paires (DR = \(t.decimal(d)))"
                             : "the most grades with expected mis-ordered pairs at most \(t.percent(d / 2, digits: 1)) of the pairs (DR = \(t.decimal(d)))"
        }
        let solved = g.provenOptimal
            ? (t.fr ? "programme en nombres entiers résolu exactement (COIN-OR CBC)" : "integer program solved exactly (COIN-OR CBC)")
            : (t.fr ? "\(g.method) ; écart à la borne : \(t.decimal(g.value - g.bound, places: 4))" : "\(g.method); gap to the bound: \(t.decimal(g.value - g.bound, places: 4))")
        var text = t.fr
            ? "Méthode : bulletin bayésien empirique (Kline, Rose et Walters, AER 2024). L'écart de chaque organisation est estimé sur ses tests ; la distribution des écarts entre organisations est déconvoluée (Efron 2016, spline logarithmique, \(card.prior.grid.count) points) ; chaque organisation reçoit une estimation a posteriori, rapprochée de la moyenne d'autant plus qu'elle a peu de tests, avec un intervalle crédible à \(t.percent(level)). Notes : \(objective) ; \(solved)."
            : "Method: empirical-Bayes report card (Kline, Rose & Walters, AER 2024). Each organization's gap is estimated from its tests; the distribution of gaps across organizations is deconvolved (Efron 2016, log-spline, \(card.prior.grid.count) points); each organization gets a posterior estimate, pulled towards the mean the more so as it has few tests, with a \(t.percent(level)) credible interval. Grades: \(objective); \(solved)."
        if card.pooledStandardErrors > 0 {
            text += t.fr ? " \(card.pooledStandardErrors) organisation(s) dont les tests ne varient pas reçoivent l'erreur type commune." : " \(card.pooledStandardErrors) organization(s) whose tests do not vary get the pooled standard error."
        }
        if card.leftOut > 0 {
            text += t.fr ? " \(card.leftOut) organisation(s) testée(s) moins de \(card.request.minimumTests) fois ne sont pas notées." : " \(card.leftOut) organization(s) tested fewer than \(card.request.minimumTests) times are not graded."
        }
        return text
    }

    /// Posterior intervals, one row per organization ordered by grade then rank; each grade
    /// has its colour, its mark shape and its letter, written right after the organization's
    /// name: on a phone the chart scrolls sideways (its text stays legible), and the grade is
    /// seen without scrolling.
    static func chart(_ rows: [Row], card: OrganizationReportCard, texts t: Texts, id: String) -> String {
        let width = 720.0, labelWidth = 150.0, rowHeight = 18.0, top = 34.0
        let height = top + Double(rows.count) * rowHeight + 44
        let gradeX = labelWidth + 24, plotLeft = labelWidth + 50, plotWidth = width - plotLeft - 20
        let lows = rows.map(\.row.posterior.interval.lower), highs = rows.map(\.row.posterior.interval.upper)
        var lo = min(0, lows.min() ?? 0), hi = max(0, highs.max() ?? 0)
        if hi - lo < 1e-9 { lo -= 0.05; hi += 0.05 }
        func x(_ v: Double) -> Double { plotLeft + (v - lo) / (hi - lo) * plotWidth }
        let title = t.fr ? "Estimation bayésienne de l'écart par organisation, par note" : "Bayesian estimate of each organization's gap, by grade"
        var svg = ["<figure class=\"svg-chart\" tabindex=\"0\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"]
        svg.append("<title id=\"\(id)-title\">\(escape(title))</title>")
        let description = rows.map { r in
            "\(r.label) : \(t.fr ? "note" : "grade") \(card.letter(fromTop: r.row.gradeFromTop)), \(t.percent(r.row.posterior.mean)) [\(t.interval(r.row.posterior.interval))]"
        }.joined(separator: " ; ")
        svg.append("<desc id=\"\(id)-desc\">\(escape(description))</desc>")
        // Axis: ticks every 10 or 20 points, the zero line darker.
        let span = hi - lo
        let step = span > 0.8 ? 0.2 : (span > 0.3 ? 0.1 : 0.05)
        var tick = (lo / step).rounded(.up) * step
        while tick <= hi + 1e-9 {
            let isZero = abs(tick) < 1e-9
            svg.append("<line x1=\"\(Charts.fmt(x(tick)))\" y1=\"\(Charts.fmt(top - 6))\" x2=\"\(Charts.fmt(x(tick)))\" y2=\"\(Charts.fmt(height - 34))\" stroke=\"\(isZero ? "#1a1a1a" : "#cccccc")\" stroke-width=\"\(isZero ? 1.5 : 1)\"/>")
            svg.append("<text x=\"\(Charts.fmt(x(tick)))\" y=\"\(Charts.fmt(height - 18))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(escape(t.percent(isZero ? 0 : tick)))</text>")
            tick += step
        }
        svg.append("<text x=\"\(Charts.fmt(plotLeft + plotWidth / 2))\" y=\"\(Charts.fmt(height - 2))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(escape(t.fr ? "écart de réponses positives (profil de référence − profil testé)" : "gap in positive answers (reference − tested profile)"))</text>")
        svg.append("<text x=\"\(Charts.fmt(gradeX))\" y=\"\(Charts.fmt(top - 12))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(escape(t.fr ? "note" : "grade"))</text>")
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * rowHeight + rowHeight / 2
            let fromBottom = card.grades.count - r.row.gradeFromTop
            let colour = palette[fromBottom % palette.count]
            let letter = card.letter(fromTop: r.row.gradeFromTop)
            if i > 0, rows[i - 1].row.gradeFromTop != r.row.gradeFromTop {
                svg.append("<line x1=\"0\" y1=\"\(Charts.fmt(y - rowHeight / 2))\" x2=\"\(Int(width))\" y2=\"\(Charts.fmt(y - rowHeight / 2))\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>")
            }
            svg.append("<text x=\"\(Charts.fmt(labelWidth))\" y=\"\(Charts.fmt(y + 4))\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\">\(escape(Charts.truncate(r.label, 22)))</text>")
            let interval = r.row.posterior.interval
            svg.append("<line x1=\"\(Charts.fmt(x(interval.lower)))\" y1=\"\(Charts.fmt(y))\" x2=\"\(Charts.fmt(x(interval.upper)))\" y2=\"\(Charts.fmt(y))\" stroke=\"\(colour)\" stroke-width=\"3\"/>")
            svg.append(mark(marks[fromBottom % marks.count], x: x(r.row.posterior.mean), y: y, colour: colour,
                            title: "\(r.label) : \(t.fr ? "note" : "grade") \(letter), \(t.percent(r.row.posterior.mean))"))
            svg.append("<text x=\"\(Charts.fmt(gradeX))\" y=\"\(Charts.fmt(y + 4))\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(escape(letter))</text>")
        }
        let caption = t.fr
            ? "Chaque ligne : une organisation ; le point marque l'estimation bayésienne de son écart, le trait son intervalle crédible. Les organisations sont rangées par note (lettre après son nom), puis par rang de Condorcet."
            : "Each row: an organization; the mark is the Bayesian estimate of its gap, the line its credible interval. Organizations are ordered by grade (letter after its name), then by Condorcet rank."
        svg.append("</svg><figcaption>\(escape(title)). \(escape(caption))</figcaption></figure>")
        return svg.joined(separator: "\n")
    }

    static func mark(_ shape: String, x: Double, y: Double, colour: String, title: String) -> String {
        let t = "<title>\(escape(title))</title>"
        switch shape {
        case "square":
            return "<rect x=\"\(Charts.fmt(x - 5))\" y=\"\(Charts.fmt(y - 5))\" width=\"10\" height=\"10\" fill=\"\(colour)\" stroke=\"#1a1a1a\" stroke-width=\"1\">\(t)</rect>"
        case "diamond":
            return "<polygon points=\"\(Charts.fmt(x)),\(Charts.fmt(y - 6)) \(Charts.fmt(x + 6)),\(Charts.fmt(y)) \(Charts.fmt(x)),\(Charts.fmt(y + 6)) \(Charts.fmt(x - 6)),\(Charts.fmt(y))\" fill=\"\(colour)\" stroke=\"#1a1a1a\" stroke-width=\"1\">\(t)</polygon>"
        case "triangle":
            return "<polygon points=\"\(Charts.fmt(x)),\(Charts.fmt(y - 6)) \(Charts.fmt(x + 6)),\(Charts.fmt(y + 5)) \(Charts.fmt(x - 6)),\(Charts.fmt(y + 5))\" fill=\"\(colour)\" stroke=\"#1a1a1a\" stroke-width=\"1\">\(t)</polygon>"
        default:
            return "<circle cx=\"\(Charts.fmt(x))\" cy=\"\(Charts.fmt(y))\" r=\"5.5\" fill=\"\(colour)\" stroke=\"#1a1a1a\" stroke-width=\"1\">\(t)</circle>"
        }
    }
}
