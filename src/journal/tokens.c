/*
 * Secrets handed out once (session cookies, invite links): 256 random bits
 * as URL-safe base64 text, of which the journal keeps only a BLAKE2b-256
 * hash. A stolen database therefore holds no token that works.
 */
#include "journal/practice.h"

#include <sodium.h>
#include <string.h>

int sb__journal_sodium_ready(void)
{
    /* Thread-safe and idempotent; 1 means it had already been done. */
    return sodium_init() >= 0;
}

sb_status sb__journal_token_new(char text[SB_TOKEN_TEXT],
                               unsigned char hash[SB_TOKEN_BYTES],
                               sb_error *err)
{
    if (!sb__journal_sodium_ready())
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "the cryptography library cannot start");
    unsigned char raw[SB_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, SB_TOKEN_TEXT, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_generichash(hash, SB_TOKEN_BYTES, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    return SB_OK;
}

int sb__journal_token_hash(const char *text, unsigned char hash[SB_TOKEN_BYTES])
{
    unsigned char raw[SB_TOKEN_BYTES];
    size_t n = 0;
    const char *end = NULL;
    if (!text || strlen(text) != SB_TOKEN_TEXT - 1 ||
        sodium_base642bin(raw, sizeof raw, text, SB_TOKEN_TEXT - 1, NULL, &n,
                          &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof raw || *end != '\0')
        return 0;
    crypto_generichash(hash, SB_TOKEN_BYTES, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    return 1;
}
