import Mustache

/// The dashboard's Mustache templates, compiled into the binary (a resource bundle's path is
/// fixed at build time and breaks when the binary moves). `{{name}}` escapes HTML, quotes
/// included; `{{{body}}}` appears only in the layout, for a page this library rendered.
enum Templates {
    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <meta name="robots" content="noindex"><title>{{title}} — Outcry</title>
        <style>
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;gap:1.5rem;align-items:center;padding:.5rem 1rem;background:#1f2d3d;color:#fff}
        header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto}
        header form{display:inline}main{padding:1rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.3rem .45rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
        th{background:#f0f0f0;font-size:.85rem}td form{display:inline}
        .sev-P1 td:nth-child(2){color:#fff;background:#b00020;font-weight:700}.sev-P2 td:nth-child(2){background:#f4b400;font-weight:700}
        .breached{color:#b00020;font-weight:700}.muted{color:#666}.error{background:#fde7e9;border:1px solid #b00020;padding:.5rem 1rem}
        .filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:.8rem}.filters label{display:flex;flex-direction:column;font-size:.8rem}
        .mention{background:#fff;border:1px solid #ddd;padding:.6rem .8rem;margin:.6rem 0}.mention .text{white-space:pre-wrap}
        .card{background:#fff;border:1px solid #ddd;padding:.6rem .8rem;margin:.6rem 0}.actions form{margin:.2rem 0}
        .report{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.report table{width:auto}
        .labels form{display:inline-block;margin:.15rem .2rem 0 0}button{cursor:pointer}tr.current{outline:2px solid #1f6feb}
        </style><script src="/static/dashboard.js" defer></script></head>
        <body>
        {{#principal}}<header><a href="/">Queue</a><a href="/sources">Sources</a><a href="/crises">Crises</a><a href="/reports">Reports</a>{{#isAdmin}}<a href="/contacts">Contacts</a><a href="/audit">Audit log</a>{{/isAdmin}}
        <span class="who">{{name}} ({{role}})</span>
        <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrfToken}}"><button type="submit">Log out</button></form></header>{{/principal}}
        <main>{{{body}}}</main>
        </body></html>
        """

    static let login = """
        <h1>Log in to Outcry</h1>
        {{#error}}<p class="error">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
        <p><label>Name<br><input name="name" autocomplete="username" required value="{{name}}"></label></p>
        <p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
        <p><button type="submit">Log in</button></p>
        </form>
        <p class="muted">No account? An administrator adds one with <code>outcry users add NAME --role viewer|responder|admin</code>.</p>
        """

    static let message = """
        <h1>{{title}}</h1>
        <p class="error">{{message}}</p>
        {{#back}}<p><a href="{{back}}">Back</a></p>{{/back}}
        """

    static let queue = """
        <h1>Queue <small class="muted">{{#paged}}threads {{first}}–{{last}}{{#next}}, more follow{{/next}}{{/paged}}{{^paged}}{{count}} open thread{{^one}}s{{/one}}{{/paged}}{{#filtered}} matching the filters{{/filtered}}</small></h1>
        <form method="get" action="/" class="filters">
        <label>Brand<input name="brand" value="{{brand}}" size="10"></label>
        <label>Channel<select name="channel"><option value="">any</option>{{#channels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/channels}}</select></label>
        <label>Severity<select name="severity"><option value="">any</option>{{#severities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/severities}}</select></label>
        <label>Urgency<select name="urgency"><option value="">any</option>{{#urgencies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/urgencies}}</select></label>
        <label>Assignee<input name="assignee" value="{{assignee}}" size="10"></label>
        <label>Segment<input name="segment" value="{{segment}}" size="8"></label>
        <label>Status<select name="status"><option value="">any open</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}</select></label>
        <button type="submit">Filter</button> <a href="/">Clear</a>
        </form>
        <p class="muted">Keys (with JavaScript): j/k move, enter opens, a acknowledges. The table follows changes as they happen.</p>
        <table class="queue" data-stamp="{{stamp}}"><thead><tr><th>ID</th><th>Sev</th><th>Status</th><th>SLA left</th><th>Waiting</th><th>Brand</th><th>Channel</th><th>Assignee</th><th>Thread</th><th>Why</th>{{#canAct}}<th>Act</th>{{/canAct}}</tr></thead>
        <tbody>
        {{{rowsHTML}}}
        {{^hasRows}}<tr><td colspan="11">No open threads{{#filtered}} match these filters{{/filtered}}.</td></tr>{{/hasRows}}
        </tbody></table>
        {{#pageLinks}}<p class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a> {{/previous}}{{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</p>{{/pageLinks}}
        """

    static let thread = """
        <h1>Thread {{id}}: {{title}}</h1>
        <p><strong>{{severity}}</strong> · status <strong>{{status}}</strong> · {{brand}} · {{source}} ({{channel}}) · by {{author}} ·
        opened {{opened}} ({{waiting}} ago) · {{mentionCount}} mention{{^oneMention}}s{{/oneMention}} · assignee {{assignee}}</p>
        <p>Why: {{why}}</p>
        {{#url}}<p>Original: <a href="{{url}}" rel="noopener noreferrer nofollow">{{url}}</a></p>{{/url}}{{#unsafeURL}}<p>Original (not a web link): <code>{{unsafeURL}}</code></p>{{/unsafeURL}}
        <div class="card" id="contact"><h2>Contact</h2>
        {{#contact}}<p><strong>{{name}}</strong> (#{{id}}) — linked with confidence {{confidence}}: {{reason}}</p>{{/contact}}
        {{#optedOut}}<p>Opted out: this author asked not to be profiled; no contact is shown or linked.</p>{{/optedOut}}
        {{#noContact}}<p class="muted">No contact linked.</p>{{/noContact}}
        {{#segment}}<p>Segment: {{segment}}</p>{{/segment}}
        </div>
        <div class="card"><h2>Clocks{{#policy}} (SLA policy {{policy}}){{/policy}}</h2>
        {{#hasClocks}}<table><thead><tr><th>Clock</th><th>Status</th><th>Target</th><th>Elapsed</th><th>Deadline</th><th>Note</th></tr></thead><tbody>
        {{#clocks}}<tr><td>{{kind}}</td><td class="{{statusClass}}">{{status}}</td><td>{{target}}</td><td>{{elapsed}}</td><td>{{deadlineText}}</td><td>{{note}}</td></tr>{{/clocks}}
        </tbody></table>{{/hasClocks}}
        {{^clocks}}<p class="muted">No SLA policy applies to {{severity}} on {{channel}}.</p>{{/clocks}}
        </div>
        {{#canAct}}<div class="card actions"><h2>Actions</h2>
        {{#actions}}<form method="post" action="/threads/{{id}}/{{action}}"><input type="hidden" name="csrf" value="{{csrfToken}}">
        {{#needsAssignee}}<input name="to" placeholder="person" size="10"> or <input name="team" placeholder="team" size="10">{{/needsAssignee}}
        <input name="note" placeholder="{{notePlaceholder}}" size="40"{{#needsNote}} required{{/needsNote}}> <button type="submit">{{label}}</button></form>{{/actions}}
        </div>{{/canAct}}
        <h2>Mentions ({{mentionsCount}})</h2>
        {{#mentions}}<div class="mention" id="m{{id}}">
        <p><strong>#{{id}}</strong> {{published}} · <strong>{{severity}}</strong> · sentiment {{sentiment}} ({{sentimentLabel}}) · complaint {{complaint}}{{#urgency}} · urgency {{urgency}}{{/urgency}}{{#backlog}} · first poll{{/backlog}}{{#link}} · author {{link}}{{/link}}</p>
        {{#title}}<p><strong>{{title}}</strong></p>{{/title}}
        <p class="text">{{text}}</p>
        {{#url}}<p><a href="{{url}}" rel="noopener noreferrer nofollow">{{url}}</a></p>{{/url}}{{#unsafeURL}}<p>Link (not a web link): <code>{{unsafeURL}}</code></p>{{/unsafeURL}}
        <details><summary>Why this score ({{reasonsCount}} reason{{^oneReason}}s{{/oneReason}})</summary><ul>{{#reasons}}<li>{{words}}</li>{{/reasons}}</ul></details>
        {{#canAct}}<div class="labels">Teach the scorer:
        {{#labels}}<form method="post" action="/mentions/{{id}}/label"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="{{field}}" value="{{value}}"><button type="submit">{{label}}</button></form>{{/labels}}
        <form method="post" action="/mentions/{{id}}/label"><input type="hidden" name="csrf" value="{{csrfToken}}"><select name="urgency">{{#urgencyChoices}}<option value="{{.}}">{{.}}</option>{{/urgencyChoices}}</select><button type="submit">Urgency is…</button></form>
        </div>{{/canAct}}
        </div>{{/mentions}}
        <h2>Event log</h2>
        <table><thead><tr><th>At</th><th>Event</th><th>By</th><th>From</th><th>To</th><th>Note</th></tr></thead><tbody>
        {{#events}}<tr><td>{{at}}</td><td>{{kind}}</td><td>{{actor}}</td><td>{{from}}</td><td>{{to}}</td><td>{{note}}</td></tr>{{/events}}
        </tbody></table>
        """

    static let sources = """
        <h1>Sources <small class="muted">{{count}}</small></h1>
        <table><thead><tr><th>Source</th><th>State</th><th>Last success</th><th>Errors</th><th>Next poll</th><th>Quarantine</th><th>Last error</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{name}}</td><td class="{{stateClass}}">{{state}}</td><td>{{lastSuccess}}</td><td>{{errors}}</td><td>{{nextPoll}}</td><td>{{quarantine}}</td><td>{{lastError}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7">No sources yet: the first poll records them.</td></tr>{{/rows}}
        </tbody></table>
        """

    static let audit = """
        <h1>Audit log <small class="muted">{{#paged}}entries {{first}}–{{last}}{{/paged}}{{^paged}}{{count}} entr{{#one}}y{{/one}}{{^one}}ies{{/one}}{{/paged}}, newest first</small></h1>
        <p class="muted">Every person's action on threads, crises declared and ended, privacy exports and erasures, merges, imports, users, labels and downloads: who and when.</p>
        <table><thead><tr><th>When (UTC)</th><th>Who</th><th>Action</th><th>On</th><th>Detail</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{#threadID}}<a href="/threads/{{threadID}}">{{subject}}</a>{{/threadID}}{{^threadID}}{{subject}}{{/threadID}}</td><td>{{detail}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="5">Nothing recorded yet.</td></tr>{{/rows}}
        </tbody></table>
        {{#paged}}<p class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Newer</a> {{/previous}}{{#next}}<a href="{{next}}" rel="next">Older →</a>{{/next}}</p>{{/paged}}
        """

    static let crises = """
        <h1>Crises <small class="muted">{{openCount}} open</small></h1>
        {{#canAct}}<form method="post" action="/crises/declare" class="filters card"><input type="hidden" name="csrf" value="{{csrfToken}}">
        <label>Brand{{#hasBrands}}<select name="brand" required>{{#brands}}<option value="{{.}}">{{.}}</option>{{/brands}}</select>{{/hasBrands}}{{^hasBrands}}<input name="brand" required size="14">{{/hasBrands}}</label>
        <label>Note<input name="note" size="30" placeholder="what is going on"></label>
        <button type="submit">Declare a crisis</button></form>{{/canAct}}
        {{^canAct}}<p class="muted">Declaring, confirming and ending crises needs an admin.</p>{{/canAct}}
        <table><thead><tr><th>#</th><th>Brand</th><th>Status</th><th>Origin</th><th>Started (UTC)</th><th>Ended</th><th>Folded alerts</th><th>Summary</th>{{#canAct}}<th>Act</th>{{/canAct}}</tr></thead><tbody>
        {{#rows}}<tr><td>{{id}}</td><td>{{brand}}</td><td class="{{statusClass}}">{{status}}</td><td>{{origin}}</td><td>{{started}}</td><td>{{ended}}</td><td>{{folded}}</td><td>{{summary}}</td>
        {{#canAct}}<td>{{#open}}{{#detected}}<form method="post" action="/crises/declare"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="brand" value="{{brand}}"><input type="hidden" name="note" value="confirmed"><button type="submit">Confirm</button></form> {{/detected}}<form method="post" action="/crises/end"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="brand" value="{{brand}}"><input name="note" size="12" placeholder="why (optional)"><button type="submit">End</button></form>{{/open}}</td>{{/canAct}}</tr>{{/rows}}
        {{^rows}}<tr><td colspan="9">No crises.</td></tr>{{/rows}}
        </tbody></table>
        """

    static let contacts = """
        <h1>Contacts</h1>
        <form method="get" action="/contacts" class="filters"><label>Name, company, external id, email or id<input name="q" value="{{q}}" size="30" autofocus></label><button type="submit">Search</button></form>
        {{#searched}}<table><thead><tr><th>#</th><th>Name</th><th>Company</th><th>Segment</th><th>External id</th><th>Opted out</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="/contacts/{{id}}">{{id}}</a></td><td><a href="/contacts/{{id}}">{{name}}</a></td><td>{{company}}</td><td>{{segment}}</td><td>{{externalID}}</td><td>{{#optedOut}}yes{{/optedOut}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="6">No contact matches.</td></tr>{{/rows}}
        </tbody></table>{{/searched}}
        <p><a href="/contacts/duplicates">Likely duplicates to merge</a></p>
        """

    static let duplicates = """
        <h1>Likely duplicates <small class="muted">{{count}} pair{{^one}}s{{/one}} scoring {{minimum}} or more</small></h1>
        <p class="muted">Merging keeps one contact: the other's mentions, history and CRM id move to it (a later import of the other's CRM id updates the kept one), an opt-out on either carries over, and the merge is recorded in the audit log. It cannot be undone.</p>
        <table><thead><tr><th>Score</th><th>Contact</th><th>Contact</th><th>Why</th><th>Merge</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{score}}</td><td><a href="/contacts/{{firstID}}">#{{firstID}} {{firstName}}</a><br><small>{{firstExternalID}}</small></td>
        <td><a href="/contacts/{{secondID}}">#{{secondID}} {{secondName}}</a><br><small>{{secondExternalID}}</small></td><td>{{reasons}}</td>
        <td><form method="post" action="/contacts/merge"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="keep" value="{{firstID}}"><input type="hidden" name="remove" value="{{secondID}}"><button type="submit">Keep #{{firstID}}</button></form>
        <form method="post" action="/contacts/merge"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="keep" value="{{secondID}}"><input type="hidden" name="remove" value="{{firstID}}"><button type="submit">Keep #{{secondID}}</button></form></td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="5">No likely duplicates.</td></tr>{{/rows}}
        </tbody></table>
        """

    static let contact = """
        <h1>Contact {{id}}: {{name}}</h1>
        <div class="card"><p>External id {{externalID}} · company {{company}} · segment {{segment}} · owner {{owner}}{{#optedOut}} · <strong>opted out</strong>{{/optedOut}}</p>
        <p>Email: {{emails}} · phone: {{phones}} · handles: {{handles}}</p></div>
        <div class="card actions"><form method="post" action="/contacts/{{id}}/export"><input type="hidden" name="csrf" value="{{csrfToken}}"><button type="submit">Export everything held (JSON)</button></form>
        <form method="post" action="/contacts/{{id}}/erase"><input type="hidden" name="csrf" value="{{csrfToken}}"><label>Type ERASE to erase this person: <input name="confirm" size="6" required pattern="ERASE"></label> <button type="submit">Erase</button></form>
        <p class="muted">Erasing anonymises their mentions and threads, deletes labels on them and suppresses their identifiers; it cannot be undone. Both are recorded in the audit log.</p></div>
        <h2>Timeline <small class="muted">{{count}} linked mention{{^one}}s{{/one}}, newest first</small></h2>
        <table><thead><tr><th>When</th><th>Source</th><th>Severity</th><th>Thread</th><th>Text</th><th>Link</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{at}}</td><td>{{source}}</td><td>{{severity}}</td><td>{{#threadID}}<a href="/threads/{{threadID}}">{{threadTitle}}</a>{{/threadID}}</td><td>{{text}}</td><td>{{confidence}} {{reason}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="6">No linked mentions.</td></tr>{{/rows}}
        </tbody></table>
        """

    /// `{{{svg}}}` is markup drawn by ``ReportCharts``, which escapes every label itself.
    static let reports = """
        <h1>Reports <small class="muted">the last {{days}} days</small></h1>
        <form method="get" action="/reports" class="filters"><label>Days<input name="days" value="{{days}}" size="4"></label><button type="submit">Show</button></form>
        {{#sections}}<section class="card"><h2>{{title}}</h2><p class="muted">{{note}}</p>
        <div class="report">{{{svg}}}
        <table><thead><tr>{{#header}}<th>{{.}}</th>{{/header}}</tr></thead><tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}{{^rows}}<tr><td colspan="{{columns}}">No data in this window.</td></tr>{{/rows}}</tbody></table></div>
        <p><a href="/reports/{{file}}?days={{days}}" download>Download CSV</a></p></section>{{/sections}}
        """

    /// The queue's row section as it was a template (``QueueRowsHTML`` writes it now): kept so a
    /// test proves both give the same bytes for the same rows.
    static let queueRows = """
        {{#rows}}<tr class="sev-{{severity}}" data-thread="{{id}}">
        <td><a href="/threads/{{id}}">{{id}}</a></td><td>{{severity}}</td><td>{{status}}</td><td class="{{dueClass}}" title="{{dueTitle}}"{{#deadline}} data-deadline="{{deadline}}"{{/deadline}}>{{due}}</td>
        <td>{{waiting}}</td><td>{{brand}}</td><td>{{channel}}</td><td>{{assignee}}</td><td><a href="/threads/{{id}}">{{title}}</a></td><td>{{why}}</td>
        {{#canAct}}<td>{{#isNew}}<form method="post" action="/threads/{{id}}/ack"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="return" value="{{returnPath}}"><button type="submit">Ack</button></form>{{/isNew}}
        <form method="post" action="/threads/{{id}}/assign"><input type="hidden" name="csrf" value="{{csrfToken}}"><input type="hidden" name="return" value="{{returnPath}}"><input name="to" placeholder="person" size="7" required><button type="submit">Assign</button></form></td>{{/canAct}}
        </tr>{{/rows}}
        """

    /// The library with every template registered; a template that does not parse is a
    /// programming error caught by the first test that renders a page.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("message", message), ("queue", queue), ("thread", thread),
                             ("sources", sources), ("audit", audit), ("crises", crises),
                             ("contacts", contacts), ("contact", contact), ("duplicates", duplicates), ("queueRows", queueRows), ("reports", reports)] {
            do { try library.register(text, named: name) } catch { preconditionFailure("dashboard template \(name) does not parse: \(error)") }
        }
        return library
    }()
}
