#ifndef OUTCRY_CLIBXML2_H
#define OUTCRY_CLIBXML2_H
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#endif
