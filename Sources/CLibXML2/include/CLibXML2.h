#ifndef OUTCRY_CLIBXML2_H
#define OUTCRY_CLIBXML2_H
/*
 * A narrow C interface over libxml2's SAX2 parser for Swift.
 *
 * The header deliberately exposes no libxml2 types, so Swift modules that import it need no
 * libxml2 include path; the shim (shim.c) includes <libxml/parser.h> itself.
 */

/// Callbacks the SAX shim forwards to. Strings are UTF-8 and NUL-terminated unless a length
/// is given; attributes come as 5 pointers each: localname, prefix, URI, value start, value end.
typedef struct {
    void (*start_element)(void *user, const unsigned char *localname, const unsigned char *prefix,
                          const unsigned char *uri, int nb_namespaces, const unsigned char **namespaces,
                          int nb_attributes, const unsigned char **attributes);
    void (*end_element)(void *user, const unsigned char *localname, const unsigned char *prefix,
                        const unsigned char *uri);
    void (*characters)(void *user, const unsigned char *text, int length);
    /// level: 1 warning, 2 error, 3 fatal; namespace: 1 when the error is about namespaces.
    void (*error)(void *user, int level, int namespace_error, int code, int line, const char *message);
} outcry_sax_callbacks;

/// Parses `size` bytes of UTF-8 XML with recovery, no network, no entity substitution and no
/// DTD loading. Keeps delivering entity references after a recovered error. Returns 0 when
/// the document was well-formed, 1 when errors were recovered from, -1 when no parser could
/// be created.
int outcry_sax_parse(const outcry_sax_callbacks *callbacks, void *user, const char *buffer, int size);

#endif
