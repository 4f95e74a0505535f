#ifndef OUTCRY_CCURL_H
#define OUTCRY_CCURL_H

#include <curl/curl.h>

/// Typed, non-variadic shims over libcurl's variadic option functions, so Swift can call them.
/// Each returns libcurl's own result code unchanged.

/// Initialises libcurl once per process (thread-safe, idempotent). Returns the code of the first call.
CURLcode ccurl_global_init_once(void);

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/// For CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION, CURLOPT_READFUNCTION.
CURLcode ccurl_easy_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);
/// For CURLOPT_XFERINFOFUNCTION.
CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback callback);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

/// CURLINFO_ACTIVESOCKET: the socket of a CURLOPT_CONNECT_ONLY connection (for curl_easy_send/recv).
CURLcode ccurl_easy_getinfo_socket(CURL *handle, curl_socket_t *socket);

typedef int (*ccurl_prereq_callback)(void *userdata, char *primary_ip, char *local_ip, int primary_port, int local_port);
/// For CURLOPT_PREREQFUNCTION (libcurl 7.80+): called for every request, on a new or reused
/// connection, after it is connected and before anything is sent; return CURL_PREREQFUNC_ABORT to stop.
CURLcode ccurl_easy_setopt_prereq_callback(CURL *handle, ccurl_prereq_callback callback);

/// For CURLOPT_OPENSOCKETFUNCTION: `decide` gets `userdata` and the address libcurl is about to
/// connect to (as text) and returns nonzero to allow it; then the socket is created as libcurl
/// would. The process has one decider: every call must pass the same function.
typedef int (*ccurl_address_decider)(void *userdata, const char *address);
CURLcode ccurl_easy_setopt_address_check(CURL *handle, ccurl_address_decider decide, void *userdata);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ccurl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value);

/// The result code of a CURLMSG_DONE message (the `data` union is awkward from Swift).
CURLcode ccurl_msg_result(const CURLMsg *message);

#endif
