/*
 * The stamps loggers put in front of lines (PROTOCOLS.md#log-stamps):
 * `@` and 24 hex digits of TAI64N (multilog t, svlogd -t, s6-log t),
 * svlogd's UTC `YYYY-MM-DD_HH:MM:SS.xxxxx` (-tt) and
 * `YYYY-MM-DDTHH:MM:SS.xxxxx` (-ttt), s6-log's local
 * `YYYY-MM-DD HH:MM:SS.xxxxxxxxx` (T). Shown: TAI64N and svlogd's in
 * local time, s6-log's T as written (it is local time already). multilog's and svlogd's TAI64N
 * is unix time + 10 (as tai64nlocal reads it); s6-log's is skalibs' TAI,
 * leap seconds counted (as s6-tai64nlocal reads it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bytes.h"
#include "logs.h"

#define TAI64N_LEN	25	/* "@" and 24 hex digits */

static int
tai64n_at(const char *line, size_t len, int s6, struct svx_stamp *at)
{
	unsigned char label[12];
	size_t i;
	int hi, lo;

	if (len < TAI64N_LEN || line[0] != '@')
		return 0;
	for (i = 0; i < 12; i++) {
		if ((hi = hex_value(line[1 + 2 * i])) < 0 ||
		    (lo = hex_value(line[2 + 2 * i])) < 0)
			return 0;
		label[i] = (unsigned char)(hi << 4 | lo);
	}
	if (label[0] != 0x40)
		return 0;
	if (s6)
		tai_unpack_s6(label, at);
	else
		tai_unpack_djb(label, at);
	return 1;
}

static int
digits(const char *s, size_t n, long *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* Days from 1970-01-01 to Y-M-D, proleptic Gregorian (no timegm in
 * POSIX). */
static int64_t
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

/* TM read as UTC: seconds since the epoch. */
static int64_t
utc_seconds(const struct tm *tm)
{
	return days_from_civil(tm->tm_year + 1900L, tm->tm_mon + 1L,
	    tm->tm_mday) * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 +
	    tm->tm_sec;
}

/* "YYYY-MM-DD?HH:MM:SS" at LINE into TM; SEP: the date/time separator. */
static int
civil_at(const char *line, size_t len, char *sep, struct tm *tm)
{
	long v[6];

	if (len < 19 || line[4] != '-' || line[7] != '-' || line[13] != ':' ||
	    line[16] != ':' || !digits(line, 4, &v[0]) ||
	    !digits(line + 5, 2, &v[1]) || !digits(line + 8, 2, &v[2]) ||
	    !digits(line + 11, 2, &v[3]) || !digits(line + 14, 2, &v[4]) ||
	    !digits(line + 17, 2, &v[5]) || v[1] < 1 || v[1] > 12 ||
	    v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return 0;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = (int)v[0] - 1900;
	tm->tm_mon = (int)v[1] - 1;
	tm->tm_mday = (int)v[2];
	tm->tm_hour = (int)v[3];
	tm->tm_min = (int)v[4];
	tm->tm_sec = (int)v[5];
	tm->tm_isdst = -1;
	*sep = line[10];
	return 1;
}

/* ".ddd" after the seconds: nanoseconds, and where the stamp ends. */
static size_t
fraction(const char *line, size_t len, size_t at, uint32_t *nsec)
{
	uint32_t scale = 100000000;

	*nsec = 0;
	if (at < len && line[at] == '.')
		for (at++; at < len && line[at] >= '0' && line[at] <= '9';
		    at++) {
			*nsec += (uint32_t)(line[at] - '0') * scale;
			scale /= 10;
		}
	return at;
}

/*
 * The dated stamps each logger writes, by the separator between date and
 * time: svlogd's -tt '_' and -ttt 'T' are UTC, s6-log's T ' ' local
 * time. Under any other logger a date at the start of a line is the
 * service's own text, in a zone svx cannot know: not a stamp.
 */
enum civil_zone { ZONE_NONE, ZONE_UTC, ZONE_LOCAL };

static enum civil_zone
civil_zone(enum logger_kind kind, char sep)
{
	static const struct {
		enum logger_kind kind;
		char		 sep;
		enum civil_zone	 zone;
	} forms[] = {
		{ LOGGER_SVLOGD, '_', ZONE_UTC },
		{ LOGGER_SVLOGD, 'T', ZONE_UTC },
		{ LOGGER_S6LOG, ' ', ZONE_LOCAL },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (forms[i].kind == kind && forms[i].sep == sep)
			return forms[i].zone;
	return ZONE_NONE;
}

int
log_line_stamp(const char *line, size_t len, enum logger_kind kind,
    struct log_stamp_info *st)
{
	struct tm tm;
	char sep;

	if (tai64n_at(line, len, kind == LOGGER_S6LOG, &st->at)) {
		st->len = TAI64N_LEN;
		return 1;
	}
	if (!civil_at(line, len, &sep, &tm))
		return 0;
	switch (civil_zone(kind, sep)) {
	case ZONE_UTC:
		st->at.sec = utc_seconds(&tm);
		break;
	case ZONE_LOCAL:
		st->at.sec = (int64_t)mktime(&tm);
		break;
	default:
		return 0;
	}
	st->len = fraction(line, len, 19, &st->at.nsec);
	return 1;
}

/* AT as local "YYYY-MM-DD HH:MM:SS" into OUT: its length, or 0. */
static size_t
local_civil(int64_t sec, char *out, size_t outlen)
{
	struct tm tm;
	time_t t = (time_t)sec;
	int w;

	if (localtime_r(&t, &tm) == NULL || (w = snprintf(out, outlen,
	    "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)) <= 0 ||
	    (size_t)w >= outlen)
		return 0;
	return (size_t)w;
}

/*
 * The stamp LINE starts with, in local time, into OUT: its length, and
 * in *USED the bytes of LINE it replaces; 0 when LINE has none to turn.
 * A TAI64N label becomes what tai64nlocal prints (nine digits); svlogd's
 * UTC -tt/-ttt stamp keeps its own five digits, so no precision is made
 * up. Only svlogd's lines are read for its stamp: under another logger a
 * date at the start is the service's own text, in a zone svx cannot know.
 * s6-log's T is local time already, in the logger's zone, and carries no
 * offset: it stays as written.
 */
static size_t
local_stamp(const char *line, size_t len, enum logger_kind kind, char *out,
    size_t outlen, size_t *used)
{
	struct svx_stamp at;
	struct tm tm;
	size_t n, end;
	uint32_t nsec;
	int w;
	char sep;

	if (tai64n_at(line, len, kind == LOGGER_S6LOG, &at)) {
		if ((n = local_civil(at.sec, out, outlen)) == 0 ||
		    (w = snprintf(out + n, outlen - n, ".%09u",
		    (unsigned int)at.nsec)) <= 0 || (size_t)w >= outlen - n)
			return 0;
		*used = TAI64N_LEN;
		return n + (size_t)w;
	}
	if (!civil_at(line, len, &sep, &tm) ||
	    civil_zone(kind, sep) != ZONE_UTC)
		return 0;
	end = fraction(line, len, 19, &nsec);
	if ((n = local_civil(utc_seconds(&tm), out, outlen)) == 0 ||
	    end - 19 >= outlen - n)
		return 0;
	memcpy(out + n, line + 19, end - 19);
	*used = end;
	return n + end - 19;
}

size_t
log_line_local(const char *line, size_t len, enum logger_kind kind,
    char *out, size_t outlen)
{
	size_t n, used = 0;

	if (outlen == 0)
		return 0;
	if ((n = local_stamp(line, len, kind, out, outlen, &used)) > 0) {
		line += used;
		len -= used;
	}
	if (len > outlen - 1 - n)
		len = outlen - 1 - n;
	memcpy(out + n, line, len);
	out[n + len] = '\0';
	return n + len;
}

/* "-N[smhd]": N units ago. */
static int
relative(const char *arg, int64_t now, int64_t *out)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char *end;
	long long v;
	size_t i;

	v = strtoll(arg + 1, &end, 10);
	if (end == arg + 1 || v < 0 || v > 100000000)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (end[0] == units[i].unit && end[1] == '\0') {
			*out = now - v * units[i].secs;
			return 0;
		}
	return -1;
}

int
log_parse_time(const char *arg, int64_t now, int64_t *out)
{
	char buf[32], tail;
	struct tm tm;
	time_t t = (time_t)now;
	long long v;
	int y, mo, d, h = 0, mi = 0, sec = 0, n;

	if (arg[0] == '-')
		return relative(arg, now, out);
	if (arg[0] == '@') {
		if (sscanf(arg + 1, "%lld%c", &v, &tail) != 1 || v < 0)
			return -1;
		*out = v;
		return 0;
	}
	if (localtime_r(&t, &tm) == NULL || strlen(arg) >= sizeof(buf))
		return -1;
	strlcpy(buf, arg, sizeof(buf));
	if (strlen(buf) > 10 && buf[10] == 'T')
		buf[10] = ' ';
	y = tm.tm_year + 1900;
	mo = tm.tm_mon + 1;
	d = tm.tm_mday;
	if (strchr(buf, '-') != NULL) {
		n = sscanf(buf, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h,
		    &mi, &sec, &tail);
		if (n != 5 && n != 6 && (n != 3 || strlen(buf) != 10))
			return -1;
	} else if ((n = sscanf(buf, "%2d:%2d:%2d%c", &h, &mi, &sec,
	    &tail)) != 2 && n != 3)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}
