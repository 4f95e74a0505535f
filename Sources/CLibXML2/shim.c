#include "CLibXML2.h"
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <string.h>
#include <pthread.h>

typedef struct {
    const outcry_sax_callbacks *cb;
    void *user;
    xmlParserCtxtPtr ctxt;
    int had_error;
} outcry_state;

static pthread_once_t outcry_init_once = PTHREAD_ONCE_INIT;
static void outcry_init(void) { xmlInitParser(); }

/* libxml2 drops entity references (even &amp;) once a document is known to be ill-formed;
   the caller records errors itself, so the flag is raised again before each event. */
static void outcry_reset(outcry_state *s) {
    if (s->ctxt != NULL) s->ctxt->wellFormed = 1;
}

static void outcry_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                         int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                         const xmlChar **attributes) {
    (void)nb_defaulted;
    outcry_state *s = (outcry_state *)ctx;
    outcry_reset(s);
    if (s->cb->start_element)
        s->cb->start_element(s->user, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, attributes);
}

static void outcry_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    outcry_state *s = (outcry_state *)ctx;
    outcry_reset(s);
    if (s->cb->end_element) s->cb->end_element(s->user, localname, prefix, uri);
}

static void outcry_characters(void *ctx, const xmlChar *ch, int len) {
    outcry_state *s = (outcry_state *)ctx;
    outcry_reset(s);
    if (s->cb->characters && len > 0) s->cb->characters(s->user, ch, len);
}

static xmlEntityPtr outcry_get_entity(void *ctx, const xmlChar *name) {
    outcry_state *s = (outcry_state *)ctx;
    outcry_reset(s);
    (void)name;
    return NULL; /* never expand anything but the five predefined entities */
}

static void outcry_error(void *ctx, xmlErrorPtr error) {
    outcry_state *s = (outcry_state *)ctx;
    if (error == NULL) return;
    int level = error->level == XML_ERR_WARNING ? 1 : (error->level == XML_ERR_ERROR ? 2 : 3);
    int ns = error->domain == XML_FROM_NAMESPACE;
    if (level >= 2 || ns) s->had_error = 1;
    if (s->cb->error) s->cb->error(s->user, level, ns, error->code, error->line, error->message);
}

int outcry_sax_parse(const outcry_sax_callbacks *callbacks, void *user, const char *buffer, int size) {
    pthread_once(&outcry_init_once, outcry_init);
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = outcry_start;
    sax.endElementNs = outcry_end;
    sax.characters = outcry_characters;
    sax.cdataBlock = outcry_characters;
    sax.ignorableWhitespace = outcry_characters;
    sax.getEntity = outcry_get_entity;
    sax.serror = outcry_error;

    outcry_state state = { callbacks, user, NULL, 0 };
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return -1;
    xmlSAXHandlerPtr copy = (xmlSAXHandlerPtr)xmlMalloc(sizeof(xmlSAXHandler));
    if (copy == NULL) { xmlFreeParserCtxt(ctxt); return -1; }
    memcpy(copy, &sax, sizeof(xmlSAXHandler));
    if (ctxt->sax != NULL) xmlFree(ctxt->sax);
    ctxt->sax = copy;
    ctxt->userData = &state;
    state.ctxt = ctxt;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOWARNING | XML_PARSE_NOERROR |
                                XML_PARSE_IGNORE_ENC | XML_PARSE_NOXINCNODE);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    xmlParseDocument(ctxt);
    int result = (ctxt->wellFormed && !state.had_error) ? 0 : 1;
    if (ctxt->myDoc != NULL) { xmlFreeDoc(ctxt->myDoc); ctxt->myDoc = NULL; }
    xmlFreeParserCtxt(ctxt);
    return result;
}
