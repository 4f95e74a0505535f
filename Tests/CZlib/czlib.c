#include "CZlib.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef const uint8_t *(*chunk_source)(void *state, size_t *chunk_length);

static int gzip_stream(chunk_source next, void *state, uint8_t **output, size_t *output_length) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t capacity = 1 << 16, used = 0;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { deflateEnd(&stream); return -1; }
    int flush = Z_NO_FLUSH, status = Z_OK;
    while (status != Z_STREAM_END) {
        if (stream.avail_in == 0 && flush == Z_NO_FLUSH) {
            size_t chunk = 0;
            const uint8_t *data = next(state, &chunk);
            if (chunk == 0) flush = Z_FINISH;
            stream.next_in = (Bytef *)data;
            stream.avail_in = (uInt)chunk;
        }
        if (capacity - used < (1 << 15)) {
            capacity *= 2;
            uint8_t *grown = realloc(buffer, capacity);
            if (!grown) { free(buffer); deflateEnd(&stream); return -1; }
            buffer = grown;
        }
        stream.next_out = buffer + used;
        stream.avail_out = (uInt)(capacity - used);
        status = deflate(&stream, flush);
        if (status == Z_STREAM_ERROR) { free(buffer); deflateEnd(&stream); return -1; }
        used = capacity - stream.avail_out;
    }
    deflateEnd(&stream);
    *output = buffer;
    *output_length = used;
    return 0;
}

struct bytes_state { const uint8_t *data; size_t left; };

static const uint8_t *next_bytes(void *state, size_t *chunk_length) {
    struct bytes_state *s = state;
    size_t chunk = s->left > (1u << 20) ? (1u << 20) : s->left;
    const uint8_t *data = s->data;
    s->data += chunk;
    s->left -= chunk;
    *chunk_length = chunk;
    return data;
}

static const uint8_t zeros[1 << 16];

static const uint8_t *next_zeros(void *state, size_t *chunk_length) {
    size_t *left = state;
    size_t chunk = *left > sizeof zeros ? sizeof zeros : *left;
    *left -= chunk;
    *chunk_length = chunk;
    return zeros;
}

int czlib_gzip(const uint8_t *input, size_t length, uint8_t **output, size_t *output_length) {
    struct bytes_state state = { input, length };
    return gzip_stream(next_bytes, &state, output, output_length);
}

int czlib_gzip_zeros(size_t length, uint8_t **output, size_t *output_length) {
    size_t left = length;
    return gzip_stream(next_zeros, &left, output, output_length);
}

void czlib_free(uint8_t *buffer) { free(buffer); }
