#ifndef OUTCRY_CCURL_H
#define OUTCRY_CCURL_H
#include <curl/curl.h>
#endif
