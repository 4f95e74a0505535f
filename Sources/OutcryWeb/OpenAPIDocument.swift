/// The JSON API and the operations endpoints as an OpenAPI 3 document, written by hand and
/// served at `GET /openapi.json`. A test walks the router: every route is either here or one of
/// the dashboard's HTML pages in ``pageRoutes``, and every path here is a route.
enum OpenAPIDocument {
    /// The dashboard's HTML pages and its script: documented in docs/dashboard.md, not here.
    static let pageRoutes: Set<String> = [
        "GET /", "GET /login", "POST /login", "POST /logout", "GET /threads/{id}", "POST /threads/{id}/{action}",
        "POST /mentions/{id}/label", "GET /sources", "GET /static/dashboard.js", "GET /queue/events", "GET /audit", "GET /crises",
        "POST /crises/{action}", "GET /contacts", "GET /contacts/{id}", "POST /contacts/{id}/{action}",
        "GET /reports", "GET /reports/{file}", "GET /contacts/duplicates", "POST /contacts/merge",
    ]

    static let json = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "Outcry",
            "version": "1",
            "description": "The escalation queue, its threads and the crises of an Outcry monitor. Every /api route takes `Authorization: Bearer TOKEN`: the configured web.api_token (an admin that names who acts in the body) or a person's token from `outcry users token NAME` (that person's role; reading needs a viewer, acting a responder)."
          },
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {
              "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}
            },
            "responses": {
              "Error": {"description": "The request was refused; `error` says why.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
              "Thread": {
                "type": "object",
                "properties": {
                  "id": {"type": "integer", "format": "int64"}, "key": {"type": "string"},
                  "status": {"type": "string", "enum": ["new", "acknowledged", "responded", "on_hold", "resolved"]},
                  "severity": {"type": "string", "enum": ["P1", "P2", "P3", "P4", "none"]},
                  "title": {"type": "string"}, "source_name": {"type": "string"},
                  "channel": {"type": "string", "enum": ["feed", "social", "mail"]},
                  "author_name": {"type": "string", "nullable": true}, "author_handle": {"type": "string", "nullable": true},
                  "opened_at": {"type": "string", "format": "date-time"}, "last_mention_at": {"type": "string", "format": "date-time"},
                  "mention_count": {"type": "integer"}, "summary": {"type": "string"},
                  "brand": {"type": "string", "nullable": true}, "segment": {"type": "string", "nullable": true}
                }
              },
              "Event": {
                "type": "object",
                "properties": {
                  "kind": {"type": "string"}, "actor": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
                  "from": {"type": "string", "nullable": true}, "to": {"type": "string"}, "note": {"type": "string", "nullable": true},
                  "assignee": {"type": "string", "nullable": true, "description": "`person:NAME` or `team:NAME`"}
                }
              },
              "ThreadDetail": {
                "type": "object",
                "properties": {
                  "thread": {"$ref": "#/components/schemas/Thread"}, "assignee": {"type": "string", "nullable": true},
                  "urgency": {"type": "array", "items": {"type": "string"}},
                  "reasons": {"type": "array", "items": {"type": "object"}},
                  "contact": {"type": "object", "nullable": true, "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"}, "confidence": {"type": "number"}, "reason": {"type": "string"}}},
                  "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}
                }
              },
              "Contact": {
                "type": "object",
                "properties": {
                  "id": {"type": "integer", "format": "int64"}, "external_id": {"type": "string"}, "name": {"type": "string"},
                  "company": {"type": "string", "nullable": true}, "segment": {"type": "string", "nullable": true},
                  "tier": {"type": "string", "nullable": true}, "owner": {"type": "string", "nullable": true},
                  "opted_out": {"type": "boolean"}, "emails": {"type": "array", "items": {"type": "string"}},
                  "phones": {"type": "array", "items": {"type": "string"}},
                  "handles": {"type": "array", "items": {"type": "string"}, "description": "`NETWORK HANDLE`"},
                  "merged_external_ids": {"type": "array", "items": {"type": "string"}}
                }
              },
              "AdminBody": {
                "type": "object",
                "properties": {
                  "by": {"type": "string", "description": "who acts (the configured api_token only; a person's token acts as the person)"},
                  "brand": {"type": "string"}, "note": {"type": "string"},
                  "keep": {"type": "integer", "format": "int64"}, "remove": {"type": "integer", "format": "int64"},
                  "confirm": {"type": "string", "enum": ["ERASE"]}
                }
              },
              "Crisis": {
                "type": "object",
                "properties": {
                  "id": {"type": "integer"}, "brand": {"type": "string"}, "status": {"type": "string", "enum": ["open", "ended"]},
                  "origin": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"},
                  "ended_at": {"type": "string", "format": "date-time", "nullable": true}, "summary": {"type": "string"},
                  "top_terms": {"type": "array", "items": {"type": "string"}},
                  "example_mention_ids": {"type": "array", "items": {"type": "string"}}, "folded_alerts": {"type": "integer"}
                }
              }
            }
          },
          "security": [{"bearer": []}],
          "paths": {
            "/healthz": {"get": {"summary": "The process answers.", "security": [],
              "responses": {"200": {"description": "`ok`", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/readyz": {"get": {"summary": "The store answers and every migration of this build is applied.", "security": [],
              "responses": {"200": {"description": "`ready`", "content": {"text/plain": {"schema": {"type": "string"}}}},
                            "503": {"description": "`not ready: REASON`", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics: polls and poll errors per source kind, mentions stored, alerts routed, deliveries and failures per receiver, the SLA clocks' lag, request latency per route.",
              "security": [], "responses": {"200": {"description": "text exposition format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "This document.", "security": [],
              "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/api/threads": {"get": {
              "summary": "The queue: open threads, most severe then longest waiting, filtered and paged by the database.",
              "parameters": [
                {"name": "brand", "in": "query", "schema": {"type": "string"}, "description": "compared without case"},
                {"name": "channel", "in": "query", "schema": {"type": "string", "enum": ["feed", "social", "mail"]}},
                {"name": "severity", "in": "query", "schema": {"type": "string", "enum": ["P1", "P2", "P3", "P4"]}},
                {"name": "urgency", "in": "query", "schema": {"type": "string",
                  "enum": ["legal", "safety", "privacy", "regulator", "press", "churn", "discrimination", "vulnerable"]},
                  "description": "threads with a mention in this category"},
                {"name": "assignee", "in": "query", "schema": {"type": "string"}, "description": "a person or team, without case"},
                {"name": "segment", "in": "query", "schema": {"type": "string"}, "description": "the linked contact's tier"},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["new", "acknowledged", "responded", "on_hold"]}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 200}}
              ],
              "responses": {
                "200": {"description": "The threads of this page.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"threads": {"type": "array", "items": {"$ref": "#/components/schemas/Thread"}}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/threads/{id}": {"get": {
              "summary": "One thread: its reasons, contact and lifecycle events.",
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "responses": {
                "200": {"description": "The thread.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThreadDetail"}}}},
                "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/threads/{id}/{action}": {"post": {
              "summary": "A checked lifecycle action (responder or admin).",
              "parameters": [{"$ref": "#/components/parameters/id"},
                {"name": "action", "in": "path", "required": true,
                 "schema": {"type": "string", "enum": ["ack", "acknowledge", "respond", "hold", "resolve", "reopen", "assign"]}}],
              "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "by": {"type": "string", "description": "who acts (the admin token only; a person's token acts as the person)"},
                "note": {"type": "string"}, "to": {"type": "string", "description": "assign: a person"},
                "team": {"type": "string", "description": "assign: a team"}}}}}},
              "responses": {
                "200": {"description": "The stored event.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                "409": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/mentions/{id}/label": {"post": {
              "summary": "A person's label on a mention, for the scorer (responder or admin).",
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                "by": {"type": "string"}, "sentiment": {"type": "string", "enum": ["negative", "neutral", "positive"]},
                "complaint": {"type": "boolean"}, "urgency": {"type": "array", "items": {"type": "string"}}}}}}},
              "responses": {
                "201": {"description": "The label's id.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"id": {"type": "integer"}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/crises": {"get": {
              "summary": "Crises, detected and declared.",
              "responses": {
                "200": {"description": "The crises.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"crises": {"type": "array", "items": {"$ref": "#/components/schemas/Crisis"}}}}}}},
                "401": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/crises/{action}": {"post": {
              "summary": "Declares a crisis for a configured brand, confirms a detected one (as declaring it) or ends a brand's open crisis (admin). Recorded in the audit log.",
              "parameters": [{"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": ["declare", "confirm", "end"]}}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdminBody"}}}},
              "responses": {
                "201": {"description": "declare, confirm: the crisis id.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"id": {"type": "integer"}}}}}},
                "200": {"description": "end: the ended crisis.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Crisis"}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                "409": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/contacts": {"get": {
              "summary": "Contacts matching a search: a part of the name, company or CRM id, or an exact email or id (admin; at most 50).",
              "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}],
              "responses": {
                "200": {"description": "The contacts found.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"contacts": {"type": "array", "items": {"$ref": "#/components/schemas/Contact"}}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/contacts/duplicates": {"get": {
              "summary": "Pairs of contacts likely the same person, best first, with the score and the reasons (admin; at most 200), as `outcry contacts duplicates`.",
              "parameters": [{"name": "minimum", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.75}}],
              "responses": {
                "200": {"description": "The pairs.", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"pairs": {"type": "array", "items": {"type": "object", "properties": {
                    "score": {"type": "number"}, "reasons": {"type": "array", "items": {"type": "string"}},
                    "first": {"$ref": "#/components/schemas/Contact"}, "second": {"$ref": "#/components/schemas/Contact"}}}}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/contacts/merge": {"post": {
              "summary": "Merges contact `remove` into `keep` (admin), as `outcry contacts merge KEEP REMOVE`: both histories stay on `keep`, recorded in the audit log.",
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdminBody"}}}},
              "responses": {
                "200": {"description": "What was kept, in words.", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "kept": {"type": "integer"}, "removed": {"type": "integer"}, "audit": {"type": "array", "items": {"type": "string"}}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/contacts/{id}": {"get": {
              "summary": "A contact and their linked mentions, newest first (admin).",
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "responses": {
                "200": {"description": "The contact and timeline.", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "contact": {"$ref": "#/components/schemas/Contact"},
                  "timeline": {"type": "array", "items": {"type": "object", "properties": {
                    "at": {"type": "string"}, "source": {"type": "string"}, "severity": {"type": "string"},
                    "thread_id": {"type": "integer", "nullable": true}, "thread_title": {"type": "string"}, "text": {"type": "string"},
                    "confidence": {"type": "string"}, "reason": {"type": "string"}}}}}}}}},
                "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/contacts/{id}/{action}": {"post": {
              "summary": "export: everything held about the person, as `outcry privacy export`; erase (with {\"confirm\": \"ERASE\"}): anonymise and suppress them, as `outcry privacy erase` (admin; both recorded in the audit log).",
              "parameters": [{"$ref": "#/components/parameters/id"},
                {"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": ["export", "erase"]}}],
              "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdminBody"}}}},
              "responses": {
                "200": {"description": "export: the personal data (JSON); erase: the counts anonymised, suppressed and deleted.",
                  "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}
              }}},
            "/api/reports": {"get": {
              "summary": "The reports' aggregates over the last `days` days, computed by the database: response times, SLA attainment per day, volume and mean sentiment per brand and day, crises started, fairness by segment.",
              "parameters": [{"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366, "default": 30}}],
              "responses": {
                "200": {"description": "The aggregates.", "content": {"application/json": {"schema": {"type": "object", "properties": {
                  "days": {"type": "integer"},
                  "response_times": {"type": "array", "items": {"type": "object", "properties": {"bucket": {"type": "string"}, "threads": {"type": "integer"}}}},
                  "attainment": {"type": "array", "items": {"type": "object", "properties": {
                    "day": {"type": "string"}, "threads": {"type": "integer"}, "within_target": {"type": "integer"}}}},
                  "volume": {"type": "array", "items": {"type": "object", "properties": {
                    "brand": {"type": "string"}, "day": {"type": "string"}, "mentions": {"type": "integer"},
                    "mean_sentiment": {"type": "number", "nullable": true}}}},
                  "crises": {"type": "array", "items": {"type": "object", "properties": {
                    "brand": {"type": "string"}, "day": {"type": "string"}, "origin": {"type": "string"}}}},
                  "fairness": {"type": "array", "items": {"type": "object", "properties": {
                    "segment": {"type": "string"}, "threads": {"type": "integer"}, "answered": {"type": "integer"},
                    "mean_response_seconds": {"type": "number", "nullable": true}, "within_target": {"type": "integer"}}}}}}}}},
                "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}
              }}},
            "/ack/{token}": {
              "get": {"summary": "A notification's signed acknowledge link: shows the thread and a button (a link preview acknowledges nothing).",
                "security": [], "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                              "400": {"description": "a forged or damaged link"}, "410": {"description": "an expired link"}}},
              "post": {"summary": "Acknowledges the thread of a signed link, as the name in the form.",
                "security": [], "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
                  "properties": {"name": {"type": "string"}}}}}},
                "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                              "400": {"description": "a forged or damaged link"}, "410": {"description": "an expired link"}}}
            }
          }
        }
        """#
}
