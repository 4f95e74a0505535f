#ifndef OUTCRY_CZLIB_H
#define OUTCRY_CZLIB_H
#include <stddef.h>
#include <stdint.h>

/// Test-only gzip helpers over the system zlib. Output is malloc'ed; free it with czlib_free.

/// gzip-compresses `length` bytes; returns 0 on success.
int czlib_gzip(const uint8_t *input, size_t length, uint8_t **output, size_t *output_length);
/// gzip-compresses `length` zero bytes without holding them in memory (a "gzip bomb").
int czlib_gzip_zeros(size_t length, uint8_t **output, size_t *output_length);
void czlib_free(uint8_t *buffer);

#endif
