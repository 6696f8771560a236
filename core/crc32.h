/* CRC-32 (the zlib / EVTX checksum: polynomial 0x04C11DB7, reflected,
 * inverted in and out), as zlib's crc32() computes it.
 *
 * EVTX files checksum every chunk: checking them is a sixth of the time it
 * takes to parse an event log.  zlib 1.2 computes about 2 GB/s; where the
 * processor multiplies without carries (PCLMULQDQ, x86-64 since 2010), 64
 * bytes at a time are folded into four 128-bit remainders instead, several
 * times faster.  The result is the same bit for bit; TLSDIAG_NO_PCLMUL in
 * the environment forces zlib's code (tests compare the two).
 */
#ifndef TD_CRC32_H
#define TD_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of p[0..n) continued from crc (0 to start), like zlib's
 * crc32(crc, p, n). */
uint32_t td_crc32(uint32_t crc, const void *p, size_t n);

#endif
