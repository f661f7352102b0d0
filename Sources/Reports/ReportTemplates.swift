import Mustache

/// The report's Mustache templates (swift-mustache, as the web app): every `{{value}}` is
/// HTML-escaped; the only unescaped insertions (`{{{…}}}`) are markup this module rendered
/// (the page's sections, the SVG charts) or its own style sheet.
///
/// Every part of the HTML report is a template except the SVG charts (Charts.swift), whose
/// coordinates are computed and which are inserted as rendered markup.
enum ReportTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("page", page), ("essentials", essentials), ("header", header), ("headlines", headlines), ("table", table),
                                  ("annexes", annexes), ("adjustedTable", adjustedTable), ("campaignPages", campaignPages),
                                  ("barometerPages", barometerPages), ("reportCard", reportCard)] {
            // The templates are constants of this module: a parse error is a bug.
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>{{{style}}}</style>
        </head>
        <body>
        <main>
        {{{body}}}
        </main>
        </body>
        </html>

        """

    static let essentials = """
        <section class="essentiel" aria-labelledby="essentiel"><h2 id="essentiel">{{heading}}</h2>
        <p class="lead">{{lead}}</p>
        <figure class="bc"><table class="bc-table"><caption>{{caption}}</caption>
        <thead><tr><th scope="col">{{profileColumn}}</th><th scope="col"><span class="visually-hidden">{{drawColumn}}</span><span class="bc-axis" aria-hidden="true">{{#ticks}}<span style="left:{{left}}%">{{label}}</span>{{/ticks}}</span></th><th scope="col">{{verdictColumn}}</th></tr></thead><tbody>
        {{#rows}}{{#group}}<tr class="bc-grouprow"><th colspan="3" scope="colgroup">{{.}}</th></tr>
        {{/group}}<tr class="bc-row {{verdict}}"><th scope="row">{{profile}}</th><td class="bc-draw"><span class="bc-track" aria-hidden="true"><span class="bc-zero" style="left:{{zero}}%"></span>{{#interval}}<span class="bc-ci{{^established}} open{{/established}}" style="left:{{left}}%;width:{{width}}%"></span>{{/interval}}{{#point}}<span class="bc-point{{^established}} open{{/established}}" style="left:{{.}}%"></span>{{/point}}</span></td><td class="bc-value">{{value}} <strong>{{verdictText}}</strong></td></tr>
        {{/rows}}</tbody></table><p class="bc-legend">{{legend}}</p></figure>
        {{#hasSentences}}<ul class="headlines">
        {{#sentences}}<li class="{{verdict}}">{{#group}}<span class="bc-group">{{.}}</span> {{/group}}{{sentence}}</li>
        {{/sentences}}</ul>
        {{/hasSentences}}<div class="definitions"><h3 id="definitions">{{definitionsTitle}}</h3><dl>
        {{#definitions}}<dt>{{term}}</dt><dd>{{text}}</dd>
        {{/definitions}}</dl><p class="help">{{help}}</p></div></section>
        """

    static let header = """
        <header>
        {{#banner}}<p class="simulated-banner" role="note">{{.}}</p>
        {{/banner}}<h1>{{#mark}}<span class="title-mark">{{.}}</span>{{/mark}}{{title}}</h1>
        <p class="meta">{{meta}}</p>
        </header>
        """

    static let headlines = """
        {{#criterion}}<p class="criterion">{{.}}</p>
        {{/criterion}}<p>{{reference}}</p>
        <ul class="headlines">
        {{#headlines}}<li class="{{verdict}}">{{sentence}}</li>
        {{/headlines}}</ul>
        """

    static let table = """
        <div class="scroll" tabindex="0" role="region" aria-label="{{label}}"><table><caption>{{caption}}</caption><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>{{#rows}}<tr class="{{verdict}}">{{#leading}}<td>{{.}}</td>{{/leading}}<th scope="row">{{profile}}</th><td>{{tests}}</td><td>{{rates}}</td><td>{{net}}</td><td>{{gap}}</td><td>{{adjusted}}</td><td>{{verdictText}}</td></tr>{{/rows}}</tbody></table></div>
        """

    static let annexes = """
        {{#organizations}}<div class="annex"><{{h}} id="{{prefix}}organizations">{{title}}</{{h}}><div class="scroll" tabindex="0" role="region" aria-label="{{label}}"><table><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>
        {{#rows}}<tr><th scope="row">{{label}}</th><td>{{tested}}</td><td>{{tests}}</td><td>{{midP}}</td><td>{{q}}</td></tr>
        {{/rows}}</tbody></table></div><p class="note">{{policy}}</p></div>
        {{/organizations}}{{{reportCard}}}<div class="annex"><{{h}} id="{{prefix}}quality">{{qualityTitle}}</{{h}}><ul>
        {{#quality}}<li>{{.}}</li>
        {{/quality}}</ul></div>
        <div class="annex"><{{h}} id="{{prefix}}methods">{{methodsTitle}}</{{h}}>
        {{#methods}}<p>{{.}}</p>
        {{/methods}}{{{adjusted}}}
        <h3>{{limitsTitle}}</h3>
        {{#limits}}<p>{{.}}</p>
        {{/limits}}</div>
        """

    static let reportCard = """
        <div class="annex report-card"><{{h}} id="{{id}}">{{title}}</{{h}}>
        {{#paragraphs}}<p>{{.}}</p>
        {{/paragraphs}}{{{chart}}}
        {{#table}}<div class="scroll" tabindex="0" role="region" aria-label="{{label}}"><table><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>
        {{#rows}}<tr><th scope="row">{{label}}</th><td><strong>{{grade}}</strong></td><td>{{tests}}</td>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
        {{/rows}}</tbody></table></div>
        {{/table}}<p class="note">{{method}}</p></div>
        """

    static let adjustedTable = """
        <div class="scroll" tabindex="0" role="region" aria-label="{{label}}"><table><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>{{#rows}}<tr><th scope="row">{{profile}}</th><td>{{slice}}</td><td>{{family}}</td>{{#suppressed}}<td colspan="4">{{.}}</td>{{/suppressed}}{{#shown}}<td>{{tests}}</td><td>{{p}}</td><td>{{holm}}</td><td>{{bh}}</td>{{/shown}}</tr>{{/rows}}</tbody></table></div>
        """

    /// A single campaign's or study's pages after « L'essentiel ».
    static let campaignPages = """
        <section class="page" aria-labelledby="summary"><h2 id="summary">{{summary}}</h2>
        {{{headlines}}}
        <h3 id="barometer">{{barometerTitle}}</h3>
        {{{table}}}
        <h3 id="charts">{{chartsTitle}}</h3>
        {{{forest}}}
        {{{rates}}}
        </section>
        <div class="page">{{{annexes}}}</div>
        """

    /// A barometer's pages after « L'essentiel »: the table and waves, one page per campaign,
    /// then the exploratory results and methods.
    static let barometerPages = """
        <section class="page" aria-labelledby="barometer"><h2 id="barometer">{{barometerTitle}}</h2>
        {{{table}}}
        <p class="note">{{note}}</p>
        {{#waves}}<h3 id="waves">{{title}}</h3><div class="scroll" tabindex="0" role="region" aria-label="{{title}}"><table><caption>{{caption}}</caption><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>
        {{#rows}}<tr><td>{{domain}}</td><td>{{criterion}}</td><th scope="row">{{label}}</th><td>{{waves}}</td><td>{{net}}</td><td>{{change}}</td></tr>
        {{/rows}}</tbody></table></div>
        {{/waves}}</section>
        {{#entries}}<section class="page" aria-labelledby="{{id}}"><h2 id="{{id}}">{{title}}</h2>
        {{{headlines}}}
        {{{rates}}}
        </section>
        {{/entries}}<section class="page" aria-labelledby="detail"><h2 id="detail">{{detailTitle}}</h2>
        {{#details}}<h3>{{title}}</h3>
        {{{annexes}}}
        {{/details}}</section>
        """
}
