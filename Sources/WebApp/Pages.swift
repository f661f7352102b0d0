import Foundation
import Hummingbird
import Ledger
import Mustache

/// The language of the pages.
public enum WebLanguage: String, Sendable, CaseIterable {
    case fr, en
}

/// Renders the app's pages: Mustache templates (every `{{value}}` is HTML-escaped; the only
/// unescaped insertion, `{{{body}}}`, is a page this code rendered) in the app's language.
struct Pages: Sendable {
    let language: WebLanguage
    let library: MustacheLibrary

    init(language: WebLanguage) {
        self.language = language
        var library = MustacheLibrary()
        for (name, text) in Templates.all {
            // The templates are constants of this file's module: a parse error is a bug.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    func text(_ key: String) -> String {
        WebTexts.table(language)[key] ?? key
    }

    /// A full page: the layout around `template` rendered with `values`.
    func page(_ template: String, title: String, values: [String: Any], session: WebSession?, status: HTTPResponse.Status = .ok,
              headers: HTTPFields = [:]) -> Response {
        var values = values
        values["t"] = WebTexts.table(language)
        let body = library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = ["t": WebTexts.table(language), "lang": language.rawValue, "title": title, "body": body]
        if let session {
            layout["who"] = ["name": session.account.name, "role": text("role.\(session.account.role.rawValue)"),
                             "campaign": session.account.campaign ?? "", "csrf": session.csrfToken]
        }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        return response
    }

    func errorPage(_ status: HTTPResponse.Status, message: String, headers: HTTPFields, session: WebSession?) -> Response {
        page("error", title: text("error.title"), values: ["status": status.code, "message": message, "signedIn": session != nil],
             session: session, status: status, headers: headers)
    }

    /// A level of the outcome scale in words (`interview` → "Entretien proposé").
    func level(_ level: String) -> String {
        WebTexts.table(language)["level.\(level)"] ?? level.replacingOccurrences(of: "_", with: " ")
    }

    /// `email`, `phone`, … in the page's language.
    func channel(_ channel: String) -> String { WebTexts.table(language)["channel.\(channel)"] ?? channel }

    /// `campaign` or `study` in the page's language.
    func kind(_ kind: String) -> String { WebTexts.table(language)["kind.\(kind)"] ?? kind }
}

/// The pages' templates. Phone first: one column, large touch targets, readable at 360 px.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "error": error, "home": home, "tester": tester, "application": application,
        "staff": staff, "staffCampaign": staffCampaign, "published": published,
    ]

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <link rel="icon" href="data:,">
        <title>{{title}} · Baromètre</title>
        <style>
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f5f6f8}
        header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.6rem 1rem;background:#14365d;color:#fff}
        header a{color:#fff;font-weight:700;text-decoration:none;margin-right:auto}
        header .who{font-size:.9rem}
        header form{margin:0}
        header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:.3rem .6rem;font-size:.9rem}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        h1{font-size:1.35rem;margin:.2rem 0 1rem}
        h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
        .card{background:#fff;border:1px solid #d8dde3;border-radius:10px;padding:.8rem 1rem;margin:.5rem 0}
        ul.items{list-style:none;padding:0;margin:0}
        ul.items li a{display:block;background:#fff;border:1px solid #d8dde3;border-radius:10px;padding:.7rem .9rem;margin:.45rem 0;color:inherit;text-decoration:none}
        ul.items li a:focus,ul.items li a:hover{border-color:#14365d}
        .code{font-weight:700}
        .muted{color:#56606b;font-size:.92rem}
        .nowrap{white-space:nowrap}
        .badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.85rem;background:#e4e9f0}
        .badge.overdue{background:#fde2e1;color:#8a1c17}
        .badge.done{background:#dff3e4;color:#1d5e2e}
        .notice{border-left:4px solid #1d5e2e;background:#eef8f0;padding:.6rem .8rem;margin:.6rem 0}
        .problem{border-left:4px solid #8a1c17;background:#fdeeee;padding:.6rem .8rem;margin:.6rem 0}
        fieldset{border:0;padding:0;margin:0 0 1rem}
        legend,label.field{display:block;font-weight:600;margin:.2rem 0 .35rem}
        .choice{display:flex;align-items:center;gap:.6rem;min-height:48px;padding:.4rem .7rem;margin:.35rem 0;background:#fff;border:1px solid #c5ccd4;border-radius:8px}
        .choice input{width:1.3rem;height:1.3rem}
        input[type=date],input[type=time],input[type=text],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #c5ccd4;border-radius:8px;background:#fff}
        textarea{min-height:5rem}
        .row{display:flex;gap:.6rem}
        .row>div{flex:1;min-width:0}
        button.primary{width:100%;min-height:48px;font:inherit;font-weight:700;color:#fff;background:#14365d;border:0;border-radius:8px;margin-top:.5rem}
        button.secondary{min-height:40px;font:inherit;color:#14365d;background:#fff;border:1px solid #14365d;border-radius:8px;padding:.3rem .8rem}
        td form{margin:0}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.95rem}
        th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #e1e5ea}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        .scroll{overflow-x:auto}
        .simulated{color:#8a1c17;font-weight:700}
        ul.tabs{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:0 0 .8rem}
        ul.tabs a{display:inline-block;padding:.45rem .7rem;border:1px solid #c5ccd4;border-radius:999px;background:#fff;color:#14365d;text-decoration:none;min-height:44px;line-height:1.9}
        ul.tabs a[aria-current=page]{background:#14365d;color:#fff;border-color:#14365d;font-weight:700}
        ul.tabs a[aria-current=page] .badge{background:#fff;color:#14365d}
        form.search{margin:.4rem 0 .6rem}
        input[type=search]{width:100%;font:inherit;padding:.6rem;border:1px solid #c5ccd4;border-radius:8px;background:#fff}
        .row>div.fit{flex:0 0 auto;display:flex;align-items:flex-end}
        .paging{display:flex;justify-content:space-between;align-items:center;gap:.5rem;margin:1rem 0}
        .paging a{padding:.5rem .2rem;min-height:44px}
        pre.document{white-space:pre-wrap;word-wrap:break-word;font:inherit;background:#f5f6f8;border:1px solid #e1e5ea;border-radius:8px;padding:.7rem;margin:.4rem 0}
        a.contact{font-weight:700;font-size:1.1rem}
        section.card h2{margin-top:.2rem}
        footer.help{max-width:60rem;margin:1.5rem auto 0;padding:.8rem 1rem;border-top:1px solid #d8dde3;font-size:.92rem;color:#1b1f24}
        </style>
        </head>
        <body>
        <header><a href="/">Baromètre</a>{{#who}}<span class="who">{{name}} · {{role}}</span><form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.signOut}}</button></form>{{/who}}</header>
        <main>
        {{{body}}}
        </main>
        <footer class="help"><p>{{t.help}}</p></footer>
        </body>
        </html>
        """

    static let error = """
        <h1>{{t.errorTitle}} ({{status}})</h1>
        <p class="problem" role="alert">{{message}}</p>
        <p><a href="/">{{t.backHome}}</a></p>
        """

    static let home = """
        <h1>{{t.homeTitle}}</h1>
        <div class="card"><p>{{t.homeText}}</p><p class="muted">{{t.homeHelp}}</p></div>
        """

    static let tester = """
        <h1>{{t.myApplications}} — {{campaignTitle}}</h1>
        {{#simulated}}<p class="simulated">{{t.simulatedWarning}}</p>{{/simulated}}
        <nav aria-label="{{t.stagesLabel}}"><ul class="tabs">
        {{#tabs}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{title}} <span class="badge {{style}}">{{count}}</span></a></li>{{/tabs}}
        </ul></nav>
        <form method="get" action="/applications" class="search" role="search">
        <input type="hidden" name="stage" value="{{stage}}">
        <label class="field" for="q">{{t.search}}</label>
        <div class="row"><div><input type="search" id="q" name="q" value="{{q}}" autocomplete="off"></div>
        <div class="fit"><button type="submit" class="secondary">{{t.searchButton}}</button></div></div>
        {{#searching}}<p class="muted"><a href="/applications?stage={{stage}}">{{t.clearSearch}}</a></p>{{/searching}}
        </form>
        <h2 id="{{stage}}">{{stageTitle}} <span class="badge">{{count}}</span></h2>
        <p class="muted">{{stageHelp}}</p>
        {{^items}}<p class="muted">{{t.nothing}}</p>{{/items}}
        <ul class="items">
        {{#items}}<li><a href="/applications/{{code}}"><span class="code">{{code}}</span> · {{target}}{{#place}} — {{.}}{{/place}}<br>
        <span class="muted">{{organization}}{{#channel}} · {{.}}{{/channel}} · <span class="nowrap">{{t.sendAt}} {{sendAt}}</span></span><br>
        <span class="muted">{{t.identity}}{{t.colon}} {{identity}}</span>{{#level}}<br><span class="badge done">{{.}}</span>{{/level}}</a></li>{{/items}}
        </ul>
        {{#paging}}<nav aria-label="{{t.pagination}}" class="paging">{{#previous}}<a href="{{.}}">{{t.previousPage}}</a>{{/previous}} <span>{{label}}</span> {{#next}}<a href="{{.}}">{{t.nextPage}}</a>{{/next}}</nav>{{/paging}}
        """

    static let application = """
        <p><a href="/applications">← {{t.myApplications}}</a></p>
        <h1>{{t.application}} {{code}}</h1>
        {{#recorded}}<p class="notice" role="status">{{t.recorded}}</p>{{/recorded}}
        {{#problem}}<div class="problem" role="alert" id="problem" tabindex="-1"><strong>{{t.notRecorded}}</strong> {{message}}{{#hint}}<br><span class="muted">{{.}}</span>{{/hint}}</div>{{/problem}}
        <section class="card" aria-labelledby="offer-title">
        <h2 id="offer-title">{{t.theOffer}}</h2>
        <p><strong>{{#title}}{{.}}{{/title}}{{^title}}{{target}}{{/title}}</strong>{{#organization}}<br>{{.}}{{/organization}}{{#place}}<br>{{.}}{{/place}}</p>
        <p>{{#channel}}{{t.channel}}{{t.colon}} {{.}}{{/channel}}{{#contact}}<br>{{t.contact}}{{t.colon}} {{#href}}<a href="{{href}}" class="contact">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}{{/contact}}</p>
        </section>
        <section class="card" aria-labelledby="identity-title">
        <h2 id="identity-title">{{t.youAre}}</h2>
        <p><strong>{{identity}}</strong> <span class="muted">({{t.profileType}} {{arm}})</span></p>
        {{#email}}<p>{{t.email}}{{t.colon}} {{.}}</p>{{/email}}{{#phone}}<p>{{t.phone}}{{t.colon}} {{.}}</p>{{/phone}}{{#address}}<p>{{t.address}}{{t.colon}} {{.}}</p>{{/address}}
        </section>
        <section class="card" aria-labelledby="when-title">
        <h2 id="when-title">{{t.when}}</h2>
        <p>{{#action}}{{.}} — {{/action}}{{t.sendOn}} <strong>{{sendAt}}</strong>{{#template}} <span class="muted">({{t.template}} {{.}})</span>{{/template}}</p>
        {{#answerBy}}<p class="muted">{{.}}</p>{{/answerBy}}
        </section>
        {{#hasDetails}}<section class="card" aria-labelledby="document-title">
        <h2 id="document-title">{{documentTitle}}</h2>
        {{#subject}}<p>{{t.subject}}{{t.colon}} <span id="document-subject">{{.}}</span> <button type="button" class="secondary copy" data-copy="document-subject" data-done="{{t.copied}}" data-failed="{{t.copyFailed}}" hidden>{{t.copySubject}}</button></p>{{/subject}}
        <pre id="document-body" class="document">{{body}}</pre>
        <button type="button" class="secondary copy" data-copy="document-body" data-done="{{t.copied}}" data-failed="{{t.copyFailed}}" hidden>{{t.copy}}</button>
        <span id="copy-status" role="status" class="muted"></span>
        </section>{{/hasDetails}}
        {{^hasDetails}}<p class="muted">{{t.noDetails}}</p>{{/hasDetails}}
        {{#hasHistory}}<h2>{{t.history}}</h2>{{/hasHistory}}
        {{#history}}<div class="card{{#superseded}} muted{{/superseded}}"><strong>{{level}}</strong> — {{t.observedOn}} {{observedAt}}
        {{#superseded}}<span class="badge">{{t.corrected}}</span>{{/superseded}}{{^superseded}}<span class="badge done">{{t.inForce}}</span>{{/superseded}}
        <br><span class="muted">{{t.recordedBy}} {{recordedBy}}, {{recordedAt}}</span>{{#eventNote}}<br>{{t.note}}{{t.colon}} {{.}}{{/eventNote}}{{#eventMeasures}}<br>{{t.measures}}{{t.colon}} {{.}}{{/eventMeasures}}</div>{{/history}}
        <h2 id="answer-title">{{#correcting}}{{t.correctTitle}}{{/correcting}}{{^correcting}}{{t.recordTitle}}{{/correcting}}</h2>
        <p id="offline" class="problem" role="alert" tabindex="-1" hidden>{{t.offline}}</p>
        <p id="draft" class="notice" role="status" hidden>{{t.draftRestored}}</p>
        <form method="post" action="/applications/{{code}}" class="card" id="answer" data-application="{{code}}" data-recorded="{{#recorded}}true{{/recorded}}" aria-labelledby="answer-title">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="key" value="{{key}}">
        {{#correcting}}<input type="hidden" name="correcting" value="{{.}}">{{/correcting}}
        <fieldset{{#problem}} aria-describedby="problem"{{/problem}}><legend>{{t.answer}}</legend>
        {{#levels}}<label class="choice"><input type="radio" name="level" value="{{value}}" required{{#checked}} checked{{/checked}}> {{label}}</label>{{/levels}}
        </fieldset>
        <div class="row"><div><label class="field" for="date">{{t.date}}</label><input type="date" id="date" name="date" value="{{date}}" max="{{today}}" required></div>
        <div><label class="field" for="time">{{t.time}}</label><input type="time" id="time" name="time" value="{{time}}"></div></div>
        <label class="field" for="note">{{t.note}} <span class="muted">({{t.optional}})</span></label>
        <textarea id="note" name="note" maxlength="2000">{{note}}</textarea>
        <label class="field" for="measures">{{t.measures}} <span class="muted">({{t.optional}}, {{t.measuresHelp}})</span></label>
        <input type="text" id="measures" name="measures" value="{{measures}}" placeholder="delay_hours=26" autocomplete="off">
        <button type="submit" class="primary">{{#correcting}}{{t.saveCorrection}}{{/correcting}}{{^correcting}}{{t.save}}{{/correcting}}</button>
        </form>
        <script src="/static/field.js"></script>
        """

    static let staff = """
        <h1>{{t.campaigns}}</h1>
        <div class="scroll"><table>
        <thead><tr><th>{{t.campaign}}</th><th>{{t.kind}}</th><th class="n">{{t.planned}}</th><th class="n">{{t.sent}}</th><th class="n">{{t.answered}}</th><th class="n">{{t.overdue}}</th></tr></thead>
        <tbody>{{#campaigns}}<tr><td>{{#isCampaign}}<a href="/staff/campaigns/{{id}}">{{/isCampaign}}{{id}}{{#isCampaign}}</a>{{/isCampaign}}<br><span class="muted">{{title}}</span>{{#simulated}} <span class="simulated">{{t.simulatedShort}}</span>{{/simulated}}</td>
        <td>{{kind}}</td><td class="n">{{planned}}</td><td class="n">{{sent}}</td><td class="n">{{answered}}</td><td class="n">{{overdue}}</td></tr>{{/campaigns}}</tbody>
        </table></div>
        {{^campaigns}}<p class="muted">{{t.noCampaigns}}</p>{{/campaigns}}
        <p><a href="/published">{{t.publishedTitle}}</a></p>
        """

    static let staffCampaign = """
        <p><a href="/staff">← {{t.campaigns}}</a></p>
        <h1>{{id}}</h1>
        <p class="muted">{{title}}</p>
        {{#simulated}}<p class="simulated">{{t.simulatedWarning}}</p>{{/simulated}}
        <p>{{t.planned}} {{planned}} · {{t.sent}} {{sent}} · {{t.answered}} {{answered}} · {{t.overdue}} {{overdue}}</p>
        <h2>{{t.byTester}}</h2>
        <div class="scroll"><table>
        <thead><tr><th>{{t.tester}}</th><th class="n">{{t.planned}}</th><th class="n">{{t.sent}}</th><th class="n">{{t.answered}}</th><th class="n">{{t.overdue}}</th><th>{{t.link}}</th></tr></thead>
        <tbody>{{#testers}}<tr><td>{{tester}}</td><td class="n">{{planned}}</td><td class="n">{{sent}}</td><td class="n">{{answered}}</td><td class="n">{{overdue}}</td><td>{{#linkSince}}{{t.linkSince}} {{.}}{{/linkSince}}{{#linkExpires}} · {{t.linkExpires}} {{.}}{{/linkExpires}}{{^linkSince}}<span class="muted">{{t.noLink}}</span>{{/linkSince}}</td></tr>{{/testers}}</tbody>
        </table></div>
        <h2>{{t.overdueTitle}} <span class="badge overdue">{{overdueCount}}</span></h2>
        {{^overdueItems}}<p class="muted">{{t.nothing}}</p>{{/overdueItems}}
        {{#hasOverdue}}<div class="scroll"><table><thead><tr><th>{{t.application}}</th><th>{{t.tester}}</th><th>{{t.target}}</th><th>{{t.sendAt}}</th></tr></thead><tbody>{{/hasOverdue}}
        {{#overdueItems}}<tr><td>{{code}}</td><td>{{tester}}</td><td>{{target}}</td><td>{{sendAt}}</td></tr>{{/overdueItems}}
        {{#hasOverdue}}</tbody></table></div>{{/hasOverdue}}
        {{#overdueMore}}<p class="muted">{{t.overdueMore}} {{.}}</p>{{/overdueMore}}
        <h2>{{t.sessionsTitle}}</h2>
        {{^sessions}}<p class="muted">{{t.noSessions}}</p>{{/sessions}}
        {{#hasSessions}}<div class="scroll"><table><thead><tr><th>{{t.tester}}</th><th>{{t.sessionOpened}}</th><th>{{t.sessionLastUsed}}</th><th>{{t.sessionExpires}}</th><th>{{t.sessionAction}}</th></tr></thead><tbody>{{/hasSessions}}
        {{#sessions}}<tr><td>{{name}}</td><td>{{opened}}</td><td>{{lastUsed}}</td><td>{{expires}}</td><td><form method="post" action="/staff/sessions/{{sessionId}}/end"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="campaign" value="{{campaign}}"><button type="submit" class="secondary">{{t.endSession}}</button></form></td></tr>{{/sessions}}
        {{#hasSessions}}</tbody></table></div>{{/hasSessions}}
        <h2>{{t.exports}}</h2>
        <ul><li><a href="/staff/campaigns/{{id}}/applications.csv">{{t.exportApplications}}</a></li>
        <li><a href="/staff/campaigns/{{id}}/events.csv">{{t.exportEvents}}</a></li></ul>
        """

    static let published = """
        <h1>{{t.publishedTitle}}</h1>
        {{^publications}}<p class="muted">{{t.noPublications}}</p>{{/publications}}
        <ul class="items">
        {{#publications}}<li><a href="/published/{{subject}}?lang={{language}}"><span class="code">{{title}}</span>{{#simulated}} <span class="simulated">{{t.simulatedShort}}</span>{{/simulated}}<br>
        <span class="muted">{{subject}} · {{language}} · {{t.publishedOn}} {{publishedAt}}</span></a></li>{{/publications}}
        </ul>
        """
}
