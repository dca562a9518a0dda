/* The corridor tests' random numbers: xorshift64*, a fixed seed (each test
 * program may set rng_state first), so a failure reproduces. */
#ifndef TRUCE_TEST_RNG_H
#define TRUCE_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* Uniform in [0, 1). */
static inline double rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
