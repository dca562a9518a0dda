/* Webhooks (truce/webhook.h): HMAC-SHA256 against RFC 4231's test cases;
 * the signature header "t=T,v1=HEX" against one computed by Python's hmac;
 * the retry schedule (doubling from the base, capped at an hour, given up
 * after a day, scaled by the base); and the store's side: a URL or secret
 * refused, the queue filled from the changes that pass a webhook's filter,
 * a due delivery's body, a failed attempt scheduled again and a good one
 * delivered, the log, deactivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "temp_store.h"
#include "truce/webhook.h"

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    unsigned char mac[32], key[131];
    char text[65];
    /* Test case 1: a 20-byte key of 0x0b. */
    memset(key, 0x0b, 20);
    trc_hmac_sha256(key, 20, "Hi There", 8, mac);
    hex(mac, 32, text);
    assert_string_equal(text, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* Test case 2: a key shorter than the output. */
    trc_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
    hex(mac, 32, text);
    assert_string_equal(text, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* Test case 6: a key longer than the block (hashed first). */
    memset(key, 0xaa, sizeof key);
    static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    trc_hmac_sha256(key, sizeof key, msg, sizeof msg - 1, mac);
    hex(mac, 32, text);
    assert_string_equal(text, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_signature(void **state)
{
    (void)state;
    char sig[TRUCE_WEBHOOK_SIGNATURE_SIZE];
    /* python3: hmac.new(b"whsec_test", b"1700000000." + b'{"a":1}', hashlib.sha256) */
    assert_int_equal(truce_webhook_sign("whsec_test", 1700000000, "{\"a\":1}", 7, sig), TRUCE_OK);
    assert_string_equal(
        sig, "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    char other[TRUCE_WEBHOOK_SIGNATURE_SIZE];
    assert_int_equal(truce_webhook_sign("whsec_tesT", 1700000000, "{\"a\":1}", 7, other), TRUCE_OK);
    assert_string_not_equal(sig + 16, other + 16);
    assert_int_equal(truce_webhook_sign(NULL, 0, "", 0, sig), TRUCE_E_ARG);
}

static void test_schedule(void **state)
{
    (void)state;
    double next = 0;
    const double q = 1000000; /* queued then; each attempt at once when due */
    /* 10 s, 20 s, ..., 2560 s, then an hour each, until a day has passed. */
    double now = q, expect[] = {10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600};
    for (unsigned f = 1; f <= 11; f++) {
        assert_int_equal(truce_webhook_retry_at(10, f, q, now, &next), 1);
        assert_true(next - now == expect[f - 1]);
        now = next;
    }
    unsigned attempts = 12;
    while (truce_webhook_retry_at(10, attempts, q, now, &next)) {
        assert_true(next - now == 3600);
        assert_true(next <= q + 86400);
        now = next;
        attempts++;
    }
    /* Given up once the next would be more than a day after queueing. */
    assert_true(now + 3600 > q + 86400);
    assert_true(attempts >= 28 && attempts <= 32);
    /* Far past the cap's doubling: no overflow. */
    assert_int_equal(truce_webhook_retry_at(10, 4000000000u, q, q, &next), 1);
    assert_true(next - q == 3600);
    /* The base scales the whole schedule (tests use a short one). */
    assert_int_equal(truce_webhook_retry_at(0.01, 3, 0, 5, &next), 1);
    assert_true(next - 5 > 0.0399 && next - 5 < 0.0401);
    assert_int_equal(truce_webhook_retry_at(0.01, 1, 0, 86.4, &next), 0);
    assert_int_equal(truce_webhook_retry_at(0, 1, 0, 0, &next), 0);
    assert_int_equal(truce_webhook_retry_at(10, 0, 0, 0, &next), 0);
}

/* ---- in the store ---- */

static void put(truce_store *s, const char *id, const char *violation)
{
    char event[64], record[128];
    snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
    snprintf(record, sizeof record, "{\"id\":\"%s\",\"violation\":\"%s\"}", id, violation);
    truce_store_report r = {.id = id, .event_json = event, .record = record};
    truce_store_put_result res;
    truce_text answer = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &answer), TRUCE_OK);
    truce_text_release(&answer);
}

typedef struct got {
    int n;
    truce_webhook_delivery d;
    char body[1024], url[64], secret[64];
} got;

static truce_status on_due(void *ctx, const truce_webhook_delivery *d)
{
    got *g = ctx;
    g->n++;
    g->d = *d;
    snprintf(g->body, sizeof g->body, "%.*s", (int)d->len, d->body);
    snprintf(g->url, sizeof g->url, "%s", d->url);
    snprintf(g->secret, sizeof g->secret, "%s", d->secret);
    g->d.body = g->body;
    g->d.url = g->url;
    g->d.secret = g->secret;
    return TRUCE_OK;
}

static void test_store_webhooks(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *s = temp_store_open(dir, path);
    put(s, "before", "violation"); /* stored before the webhook: not sent */

    truce_event_filter f;
    truce_event_filter_init(&f);
    assert_int_equal(truce_event_filter_set(&f, "violation", "yes", NULL, NULL, 0), TRUCE_OK);
    assert_int_equal(truce_store_webhook_add(s, "ftp://h/x", "k", &f, 0, NULL, NULL),
                     TRUCE_E_INVALID);
    assert_int_equal(truce_store_webhook_add(s, "http:///x", "k", &f, 0, NULL, NULL),
                     TRUCE_E_INVALID);
    assert_int_equal(truce_store_webhook_add(s, "http://h/a b", "k", &f, 0, NULL, NULL),
                     TRUCE_E_INVALID);
    assert_int_equal(truce_store_webhook_add(s, "http://h/x", "", &f, 0, NULL, NULL),
                     TRUCE_E_RANGE);
    int64_t id = 0;
    truce_text out = {0};
    assert_int_equal(
        truce_store_webhook_add(s, "http://127.0.0.1:9/hook", "sekrit", &f, 0, &id, &out),
        TRUCE_OK);
    assert_int_equal(id, 1);
    assert_non_null(strstr(out.p, "\"filter\":{\"violation\":\"yes\"}"));
    assert_non_null(strstr(out.p, "\"active\":true"));
    assert_null(strstr(out.p, "sekrit"));

    put(s, "v1", "violation");
    put(s, "n1", "none");
    put(s, "v2", "violation");
    size_t queued = 0;
    assert_int_equal(truce_store_webhooks_queue(s, 100, &queued), TRUCE_OK);
    assert_int_equal(queued, 2);
    assert_int_equal(truce_store_webhooks_queue(s, 100, &queued), TRUCE_OK);
    assert_int_equal(queued, 0); /* once */

    /* Due now: v1 first, its body the change and the event. */
    got g = {0};
    double next = -1;
    assert_int_equal(truce_store_webhooks_due(s, 4e9, 1, on_due, &g, &next), TRUCE_OK);
    assert_int_equal(g.n, 1);
    assert_true(next > 0); /* v2 waits */
    assert_string_equal(g.url, "http://127.0.0.1:9/hook");
    assert_string_equal(g.secret, "sekrit");
    assert_int_equal(g.d.change, 2);
    assert_non_null(strstr(g.body, "\"change\":{\"id\":2,\"kind\":\"created\""));
    assert_non_null(strstr(g.body, "\"event\":{\"id\":\"v1\",\"violation\":\"violation\","
                                   "\"status\":\"submitted\""));

    /* It fails: due again 1 s later (base 1 s), not before. */
    truce_webhook_attempt a = {g.d.queued_s, 500, "the receiver answered 500", 1.5};
    assert_int_equal(truce_store_webhook_attempted(s, &g.d, &a, 1.0), TRUCE_OK);
    got g2 = {0};
    assert_int_equal(truce_store_webhooks_due(s, g.d.queued_s + 0.5, 10, on_due, &g2, &next),
                     TRUCE_OK);
    assert_int_equal(g2.n, 1); /* v2 only */
    assert_int_equal(g2.d.change, 4);
    got g3 = {0};
    assert_int_equal(truce_store_webhooks_due(s, g.d.queued_s + 1.01, 10, on_due, &g3, &next),
                     TRUCE_OK);
    assert_int_equal(g3.n, 2);
    /* The last handed out is v1: its retry is due after v2. */
    assert_int_equal(g3.d.change, 2);
    assert_int_equal(g3.d.attempts, 1);
    a = (truce_webhook_attempt){g.d.queued_s + 1.01, 204, NULL, 2.0};
    assert_int_equal(truce_store_webhook_attempted(s, &g3.d, &a, 1.0), TRUCE_OK);

    truce_text log = {0};
    int64_t after = -1;
    assert_int_equal(truce_store_webhook_deliveries(s, id, 0, 1, &log, &after), TRUCE_OK);
    assert_int_equal(after, 1); /* one more follows */
    assert_non_null(strstr(log.p, "\"state\":\"delivered\""));
    assert_non_null(strstr(log.p, "\"status\":500,\"error\":\"the receiver answered 500\""));
    assert_non_null(strstr(log.p, "\"status\":204,\"error\":null"));
    assert_non_null(strstr(log.p, "\"next_attempt_at\":null"));
    log.len = 0;
    assert_int_equal(truce_store_webhook_deliveries(s, id, after, 10, &log, &after), TRUCE_OK);
    assert_int_equal(after, 0);
    assert_non_null(strstr(log.p, "\"event\":\"v2\",\"state\":\"pending\""));
    assert_non_null(strstr(log.p, "\"attempts\":[]"));
    assert_int_equal(truce_store_webhook_deliveries(s, 99, 0, 10, &log, &after), TRUCE_E_NOT_FOUND);

    /* Deactivated: nothing more is due or queued; listed as inactive. */
    out.len = 0;
    assert_int_equal(truce_store_webhook_deactivate(s, id, &out), TRUCE_OK);
    assert_non_null(strstr(out.p, "\"active\":false"));
    assert_int_equal(truce_store_webhook_deactivate(s, id, NULL), TRUCE_E_NOT_FOUND);
    put(s, "v3", "violation");
    assert_int_equal(truce_store_webhooks_queue(s, 100, &queued), TRUCE_OK);
    assert_int_equal(queued, 0);
    got g4 = {0};
    assert_int_equal(truce_store_webhooks_due(s, 4e9, 10, on_due, &g4, &next), TRUCE_OK);
    assert_int_equal(g4.n, 0);
    out.len = 0;
    assert_int_equal(truce_store_webhooks_list(s, &out), TRUCE_OK);
    assert_true(out.p[0] == '[' && strstr(out.p, "\"deactivated_at\":\"") != NULL);

    truce_text_release(&out);
    truce_text_release(&log);
    temp_store_remove(s, dir, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_store_webhooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
