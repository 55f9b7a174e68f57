/*
 * Time: the monotonic clock (at the end), and TAI64N stamps. daemontools,
 * encore and runit write 2^62 + 10 + unix time (no leap seconds: djb's
 * libtai used with the system clock). s6 (skalibs, default build) writes
 * 2^62 + TAI, where TAI - UTC was 10 s in 1972 and is 37 s since 2017;
 * reading s6 stamps as djb ones puts every age 27 s off.
 */
#include <stdint.h>
#include <time.h>

#include "adapter.h"
#include "bytes.h"

#define TAI_EPOCH	(UINT64_C(1) << 62)
#define DJB_OFFSET	10

/* TAI - UTC from each date on (unix seconds), from the IERS bulletins. */
static const struct leap {
	int64_t	utc;
	int	offset;
} leaps[] = {
	{ 63072000, 10 },	/* 1972-01-01 */
	{ 78796800, 11 },	/* 1972-07-01 */
	{ 94694400, 12 },	/* 1973-01-01 */
	{ 126230400, 13 },	/* 1974-01-01 */
	{ 157766400, 14 },	/* 1975-01-01 */
	{ 189302400, 15 },	/* 1976-01-01 */
	{ 220924800, 16 },	/* 1977-01-01 */
	{ 252460800, 17 },	/* 1978-01-01 */
	{ 283996800, 18 },	/* 1979-01-01 */
	{ 315532800, 19 },	/* 1980-01-01 */
	{ 362793600, 20 },	/* 1981-07-01 */
	{ 394329600, 21 },	/* 1982-07-01 */
	{ 425865600, 22 },	/* 1983-07-01 */
	{ 489024000, 23 },	/* 1985-07-01 */
	{ 567993600, 24 },	/* 1988-01-01 */
	{ 631152000, 25 },	/* 1990-01-01 */
	{ 662688000, 26 },	/* 1991-01-01 */
	{ 709948800, 27 },	/* 1992-07-01 */
	{ 741484800, 28 },	/* 1993-07-01 */
	{ 773020800, 29 },	/* 1994-07-01 */
	{ 820454400, 30 },	/* 1996-01-01 */
	{ 867715200, 31 },	/* 1997-07-01 */
	{ 915148800, 32 },	/* 1999-01-01 */
	{ 1136073600, 33 },	/* 2006-01-01 */
	{ 1230768000, 34 },	/* 2009-01-01 */
	{ 1341100800, 35 },	/* 2012-07-01 */
	{ 1435708800, 36 },	/* 2015-07-01 */
	{ 1483228800, 37 },	/* 2017-01-01 */
};

int
tai_leap_offset(int64_t tai_sec)
{
	int offset = DJB_OFFSET;
	size_t i;

	for (i = 0; i < sizeof(leaps) / sizeof(leaps[0]); i++) {
		if (leaps[i].utc + leaps[i].offset > tai_sec)
			break;
		offset = leaps[i].offset;
	}
	return offset;
}

static int64_t
label_seconds(const unsigned char *p)
{
	/* Labels below 2^62 are not produced by any backend; clamp to 0. */
	uint64_t label = get_be64(p);

	if (label < TAI_EPOCH || label - TAI_EPOCH > (uint64_t)INT64_MAX / 2)
		return 0;
	return (int64_t)(label - TAI_EPOCH);
}

static uint32_t
label_nsec(const unsigned char *p)
{
	uint32_t n = get_be32(p + 8);

	return n < 1000000000 ? n : 0;
}

void
tai_unpack_djb(const unsigned char *p, struct svx_stamp *st)
{
	st->sec = label_seconds(p) - DJB_OFFSET;
	st->nsec = label_nsec(p);
}

void
tai_unpack_s6(const unsigned char *p, struct svx_stamp *st)
{
	int64_t tai = label_seconds(p);

	st->sec = tai - tai_leap_offset(tai);
	st->nsec = label_nsec(p);
}

/* The TAI64 label s6 would have written for a unix time (skalibs). */
uint64_t
tai_label_s6(int64_t unix_sec)
{
	int offset = DJB_OFFSET;
	size_t i;

	for (i = 0; i < sizeof(leaps) / sizeof(leaps[0]); i++) {
		if (leaps[i].utc > unix_sec)
			break;
		offset = leaps[i].offset;
	}
	return TAI_EPOCH + (uint64_t)(unix_sec + offset);
}

/* Milliseconds of the monotonic clock: every bound and interval. */
int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
